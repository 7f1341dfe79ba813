using System.IO;
using System.Management.Automation;
using ModelRegistry.Hosting;

namespace ModelRegistry.Cmdlets
{
    /// <summary>
    /// <para type="synopsis">Sets session defaults: the .env.shared that commands read, and optionally the registry.</para>
    /// <para type="description">Sets, for the rest of the session, the configuration file read by Get-MRProject, Get-MRIamPolicy and Deploy-MRModelVersion when they are given no path. The registry itself is chosen with Connect-MRRegistry; a region or backend for one parameter of one command can also be set the PowerShell way, with $PSDefaultParameterValues (e.g. $PSDefaultParameterValues['*-MR*:Region'] = 'ap-northeast-1'). Get-MRConfiguration shows the result.</para>
    /// <example>
    ///   <code>Set-MRConfiguration -ConfigPath ./.env.shared; Set-Location $HOME; Get-MRProject | Test-MRModelGroup</code>
    ///   <para>Commands read that file from now on, wherever the session's current folder is: here Get-MRProject reads it from the home folder.</para>
    /// </example>
    /// </summary>
    [Cmdlet(VerbsCommon.Set, "MRConfiguration")]
    [OutputType(typeof(SessionConfiguration))]
    public sealed class SetConfigurationCommand : ModelRegistryCmdlet
    {
        /// <summary>The .env.shared to read by default; resolved to a full path now.</summary>
        [Parameter(Position = 0)]
        [Alias("Path")]
        [ValidateNotNullOrEmpty]
        public string? ConfigPath { get; set; }

        /// <summary>Seconds one SageMaker call (one attempt) may take, for the session's registry (as Connect-MRRegistry -TimeoutSec).</summary>
        [Parameter]
        [ValidateRange(1, 3600)]
        public int TimeoutSec { get; set; }

        /// <summary>Emit the resulting configuration.</summary>
        [Parameter]
        public SwitchParameter PassThru { get; set; }

        protected override void EndProcessing()
        {
            if (ConfigPath is null && TimeoutSec == 0)
                ThrowTerminatingError(Hosting.ErrorRecords.Invalid("Give -ConfigPath, -TimeoutSec, or both.", null, "ModelRegistry.Invalid.NothingToSet"));
            if (ConfigPath != null)
            {
                var full = SessionState.Path.GetUnresolvedProviderPathFromPSPath(ConfigPath);
                if (!File.Exists(full)) WriteWarning($"{full} does not exist yet; commands that read it will say so.");
                SessionSettings.Current.ConfigPath = full;
            }
            if (TimeoutSec > 0)
            {
                var connection = SessionSettings.Current.Connection?.Clone() ?? new RegistryConnection();
                connection.Timeout = System.TimeSpan.FromSeconds(TimeoutSec);
                SessionSettings.Current.Connection = connection;
            }
            if (PassThru) WriteObject(GetConfigurationCommand.Current(this));
        }
    }

    /// <summary>
    /// <para type="synopsis">Shows the session's defaults: the registry (backend, region, profile, endpoint or folder) and the .env.shared read by default.</para>
    /// <para type="description">Shows what commands use when they name nothing else: the registry chosen with Connect-MRRegistry (SageMaker resolved the AWS way when none was chosen) and the configuration file set with Set-MRConfiguration (./.env.shared under the current folder when none was set), and whether that file exists.</para>
    /// <example>
    ///   <code>Get-MRConfiguration</code>
    ///   <para>Shows the session's registry and configuration file.</para>
    /// </example>
    /// </summary>
    [Cmdlet(VerbsCommon.Get, "MRConfiguration")]
    [OutputType(typeof(SessionConfiguration))]
    public sealed class GetConfigurationCommand : ModelRegistryCmdlet
    {
        protected override void EndProcessing() => WriteObject(Current(this));

        internal static SessionConfiguration Current(PSCmdlet cmdlet)
        {
            var path = cmdlet.SessionState.Path.GetUnresolvedProviderPathFromPSPath(SessionSettings.ConfigPathOr(null));
            return new SessionConfiguration(SessionSettings.Effective(cmdlet), path, File.Exists(path));
        }
    }
}
