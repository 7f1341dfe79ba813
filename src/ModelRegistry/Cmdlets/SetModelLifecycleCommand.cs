using System.Management.Automation;

namespace ModelRegistry.Cmdlets
{
    /// <summary>
    /// <para type="synopsis">Moves model versions to a lifecycle stage (Development, Staging, Production, or the stages .env.shared names).</para>
    /// <para type="description">Sets the version's ModelLifeCycle (one UpdateModelPackage per version): -Stage, -StageStatus (Approved unless given) and -Reason as the stage description. The stages and their promotion order come from MODEL_LIFECYCLE_STAGES in the session's .env.shared (default "Development Staging Production"); a stage not listed is an error (ModelRegistry.Invalid.UnknownStage) before anything is read. The rules are judged on each version as the registry holds it now, not on a piped copy: a version moves one stage at a time, up or down (skipping one needs -Force; ModelRegistry.Conflict.StageSkipped); only an Approved version enters the last stage, and -Force does not change that (ModelRegistry.Conflict.NotApprovedForStage). Rejecting a version that is in the last stage (Deny-MRModelVersion, Set-MRApproval -Status Rejected) needs -Force there (ModelRegistry.Conflict.InLastStage). Takes versions from the pipeline, -GroupName with -Version, or -Arn; many at once; -WhatIf reports exactly the refusals the real run would make. Get-MRModelVersion -Stage lists what is in a stage.</para>
    /// <example>
    ///   <code>Set-MRModelLifecycle rc-fraud-detection -Version 4 -Stage Staging -Reason 'soak test from 2024-06-01'</code>
    ///   <para>Moves version 4 from Development to Staging.</para>
    /// </example>
    /// <example>
    ///   <code>Get-MRModelVersion rc-fraud-detection -Stage Staging -Status Approved -Latest 1 | Set-MRModelLifecycle -Stage Production -Reason 'CAB-1234'</code>
    ///   <para>Promotes the newest approved version in Staging to Production.</para>
    /// </example>
    /// <example>
    ///   <code>Get-MRModelGroup | Get-MRModelVersion -Stage Production -Latest 1</code>
    ///   <para>What is in Production, for every group.</para>
    /// </example>
    /// </summary>
    [Cmdlet(VerbsCommon.Set, "MRModelLifecycle", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium, DefaultParameterSetName = ByVersion)]
    [OutputType(typeof(ModelVersion))]
    public sealed class SetModelLifecycleCommand : VersionInputCmdlet
    {
        /// <summary>The stage to move to (AWS: ModelLifeCycle.Stage): one of MODEL_LIFECYCLE_STAGES, compared case-insensitively.</summary>
        [Parameter(Mandatory = true)]
        [ValidateNotNullOrEmpty]
        public string Stage { get; set; } = "";

        /// <summary>The status within the stage (AWS: ModelLifeCycle.StageStatus), e.g. InProgress; Approved when not given.</summary>
        [Parameter]
        [ValidateNotNullOrEmpty]
        public string? StageStatus { get; set; }

        /// <summary>Why the version moves (AWS: ModelLifeCycle.StageDescription), e.g. a change ticket; at most 1024 characters, one line.</summary>
        [Parameter]
        [Alias("StageDescription")]
        [ValidateLength(0, 1024)]
        public string? Reason { get; set; }

        /// <summary>Move more than one stage at a time. Never lets a version that is not Approved into the last stage.</summary>
        [Parameter]
        public SwitchParameter Force { get; set; }

        /// <summary>Emit each version as it is after the change.</summary>
        [Parameter]
        public SwitchParameter PassThru { get; set; }

        protected override void BeginProcessing() => RefuseInvalidChange();

        protected override string? StageToSet => Stage;
        protected override string? StageStatusToSet => StageStatus;
        protected override string? StageDescriptionToSet => Reason;
        protected override bool ForceChange => Force;

        protected override string Action => $"Move to stage {Stage} ({StageStatus ?? "Approved"}){(Reason is null ? "" : $" (\"{Reason}\")")}";
        protected override string Activity => $"Moving versions to {Stage}";

        protected override void OnDone(ModelVersion version)
        {
            WriteVerbose($"{version.GroupName} version {version.Version}: {version.Stage} ({version.StageStatus})");
            if (PassThru) WriteObject(version);
        }
    }
}
