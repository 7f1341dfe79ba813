using System.Management.Automation;

namespace ModelRegistry.Cmdlets
{
    /// <summary>
    /// <para type="synopsis">Deletes model versions; Approved versions only with -Force.</para>
    /// <para type="description">Takes versions from the pipeline or ARNs and deletes them with bounded concurrency, asking first (ConfirmImpact High). An Approved version, or one that serves an endpoint, is refused unless -Force. Each deletion is reported with -Verbose; -PassThru emits the deleted versions; every failure is a non-terminating error naming the version.</para>
    /// <example>
    ///   <code>Get-MRModelVersion rc-fraud-detection -Status Rejected | Remove-MRModelVersion -Confirm:$false</code>
    ///   <para>Deletes every rejected version of a group without asking.</para>
    /// </example>
    /// </summary>
    [Cmdlet(VerbsCommon.Remove, "MRModelVersion", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.High, DefaultParameterSetName = ByArn)]
    [OutputType(typeof(ModelVersion))]
    public sealed class RemoveModelVersionCommand : VersionInputCmdlet
    {
        /// <summary>Also delete Approved versions and versions that serve endpoints.</summary>
        [Parameter]
        public SwitchParameter Force { get; set; }

        /// <summary>Emit each deleted version.</summary>
        [Parameter]
        public SwitchParameter PassThru { get; set; }

        protected override string Action => "Remove model version";
        protected override string Activity => "Removing model versions";

        protected override bool RemovesVersions => true;
        protected override bool ForceChange => Force;

        protected override void OnDone(ModelVersion version)
        {
            WriteVerbose($"Removed model version {version.Arn}");
            if (PassThru) WriteObject(version);
        }
    }
}
