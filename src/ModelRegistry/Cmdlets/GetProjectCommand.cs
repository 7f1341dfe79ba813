using System;
using System.IO;
using System.Management.Automation;
using ModelRegistry.Engine.Config;
using ModelRegistry.Hosting;

namespace ModelRegistry.Cmdlets
{
    /// <summary>
    /// <para type="synopsis">Reads .env.shared and emits one TeamProject per team and project.</para>
    /// <para type="description">Reads the configuration file as data — it is never executed — and expands TEAMS, TEAM_{TEAM}_FULLNAME and {TEAM}_PROJECTS into one model group per team and project: name {team}-{project}, description "Models for {fullname}/{project}", tags ManagedBy, Team, Project and Phase. Every problem in the file is reported as an error naming the file, line and key; the valid projects are still emitted.</para>
    /// <example>
    ///   <code>Get-MRProject ./.env.shared</code>
    ///   <para>Lists every configured team and project with its group name and description.</para>
    /// </example>
    /// <example>
    ///   <code>Get-MRProject -Team rc -Project fraud* | New-MRModelGroup</code>
    ///   <para>Creates only the risk-control team's fraud projects' groups.</para>
    /// </example>
    /// </summary>
    [Cmdlet(VerbsCommon.Get, "MRProject")]
    [OutputType(typeof(TeamProject))]
    public sealed class GetProjectCommand : ModelRegistryCmdlet
    {
        /// <summary>The configuration file. Defaults to the session's (Set-MRConfiguration), else ./.env.shared.</summary>
        [Parameter(Position = 0, ValueFromPipelineByPropertyName = true)]
        [Alias("FullName", "PSPath")]
        public string? Path { get; set; }

        /// <summary>Only these teams (wildcards allowed).</summary>
        [Parameter]
        [SupportsWildcards]
        [ArgumentCompleter(typeof(TeamNameCompleter))]
        public string[]? Team { get; set; }

        /// <summary>Only these projects (wildcards allowed).</summary>
        [Parameter]
        [SupportsWildcards]
        [ArgumentCompleter(typeof(ProjectNameCompleter))]
        public string[]? Project { get; set; }

        protected override void ProcessRecord()
        {
            var catalog = ConfigurationReader.Load(this, Path, Team, Project);
            if (catalog is null) return;
            foreach (var project in catalog.Projects) WriteObject(project);
        }
    }
}
