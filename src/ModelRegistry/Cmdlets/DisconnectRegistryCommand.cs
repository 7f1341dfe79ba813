using System.Management.Automation;
using ModelRegistry.Hosting;

namespace ModelRegistry.Cmdlets
{
    /// <summary>
    /// <para type="synopsis">Returns the session to its default registry: SageMaker, resolved the AWS way.</para>
    /// <para type="description">Forgets the registry chosen with Connect-MRRegistry in this session, so later commands use SageMaker with the region, profile, credentials and endpoint resolved the AWS way (as in a new session). Connections kept in variables (Connect-MRRegistry -PassThru) and passed with -Registry still work. Changes nothing in any registry.</para>
    /// <example>
    ///   <code>Connect-MRRegistry -Local -Path ./registry; Get-MRModelGroup; Disconnect-MRRegistry</code>
    ///   <para>Works on a Local registry for a while, then returns the session to SageMaker.</para>
    /// </example>
    /// </summary>
    [Cmdlet(VerbsCommunications.Disconnect, "MRRegistry")]
    [OutputType(typeof(RegistryConnection))]
    public sealed class DisconnectRegistryCommand : ModelRegistryCmdlet
    {
        /// <summary>Emit the session's connection as it now is (the default).</summary>
        [Parameter]
        public SwitchParameter PassThru { get; set; }

        protected override void EndProcessing()
        {
            var previous = SessionSettings.Current.Connection;
            SessionSettings.Current.Connection = null;
            WriteVerbose(previous is null ? "The session already used the default registry." : $"Disconnected from {previous}; the session uses the default registry.");
            if (PassThru) WriteObject(new RegistryConnection());
        }
    }
}
