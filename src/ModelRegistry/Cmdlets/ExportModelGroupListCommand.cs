using System;
using System.Collections.Generic;
using System.IO;
using System.Management.Automation;
using ModelRegistry.Engine.Operations;
using ModelRegistry.Hosting;

namespace ModelRegistry.Cmdlets
{
    /// <summary>
    /// <para type="synopsis">Writes the list of model groups to output/model-groups.env, a file shell scripts can source (MODEL_GROUPS="...").</para>
    /// <para type="description">Writes the file other scripts source: comment lines, then MODEL_GROUPS="a b c" and one comment line per group, in the order given. The write is atomic, and a file that already lists the same groups is left untouched, so re-running a job changes nothing. Takes TeamProject objects, ModelGroup objects or names.</para>
    /// <example>
    ///   <code>Get-MRProject | New-MRModelGroup | Export-MRModelGroupList</code>
    ///   <para>Creates the configured groups and writes output/model-groups.env.</para>
    /// </example>
    /// </summary>
    [Cmdlet(VerbsData.Export, "MRModelGroupList", SupportsShouldProcess = true, DefaultParameterSetName = "Project")]
    [OutputType(typeof(FileInfo))]
    public sealed class ExportModelGroupListCommand : ModelRegistryCmdlet
    {
        private readonly List<string> _groups = new List<string>();
        private readonly HashSet<string> _seen = new HashSet<string>(StringComparer.OrdinalIgnoreCase);

        /// <summary>TeamProject objects from Get-MRProject.</summary>
        [Parameter(Mandatory = true, ValueFromPipeline = true, ParameterSetName = "Project")]
        public TeamProject[]? InputObject { get; set; }

        /// <summary>Group names or group ARNs; binds strings piped by value, and by property name from ModelGroup and New-MRModelGroup output.</summary>
        [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true, ParameterSetName = "Name")]
        [ValidateNotNullOrEmpty]
        public string[]? Name { get; set; }

        /// <summary>The file to write. Defaults to output/model-groups.env under the current location.</summary>
        [Parameter]
        public string Path { get; set; } = GroupListFile.DefaultPath;

        /// <summary>Emit the file written.</summary>
        [Parameter]
        public SwitchParameter PassThru { get; set; }

        protected override void ProcessRecord()
        {
            if (InputObject != null)
                foreach (var p in InputObject) Add(p.GroupName);
            if (Name != null && ParameterSetName == "Name")
                foreach (var n in Name)
                {
                    try { Add(Engine.Config.Arns.GroupName(n, "-Name")); }
                    catch (RegistryException ex) { WriteError(Hosting.ErrorRecords.From(ex, n)); }
                }
        }

        private void Add(string name)
        {
            if (_seen.Add(name)) _groups.Add(name);
        }

        protected override void EndProcessing()
        {
            var path = SessionState.Path.GetUnresolvedProviderPathFromPSPath(Path);
            if (!ShouldProcess(path, $"Write the list of {_groups.Count} model group(s)")) return;
            try
            {
                var written = GroupListFile.Write(path, _groups, DateTime.UtcNow);
                WriteVerbose(written ? $"Wrote {_groups.Count} group(s) to {path}" : $"{path} already lists these {_groups.Count} group(s); left unchanged");
            }
            catch (Exception ex) when (ex is IOException || ex is UnauthorizedAccessException)
            {
                ThrowTerminatingError(ErrorRecords.From(ex, path));
            }
            if (PassThru) WriteObject(new FileInfo(path));
        }
    }
}
