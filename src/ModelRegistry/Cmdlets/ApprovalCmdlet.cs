using System;
using System.Collections.Generic;
using System.Management.Automation;
using ModelRegistry.Engine.Bulk;
using ModelRegistry.Engine.Operations;

namespace ModelRegistry.Cmdlets
{
    /// <summary>Approval changes: Set-MRApproval and its readable forms Approve-/Deny-MRModelVersion.</summary>
    public abstract class ApprovalCmdlet : VersionInputCmdlet
    {
        /// <summary>The reason recorded with the change (AWS: ApprovalDescription), e.g. "AUC 0.93 on holdout".</summary>
        [Parameter]
        [Alias("ApprovalDescription")]
        [ValidateLength(0, 1024)]
        public string? Reason { get; set; }

        /// <summary>Approve only when every rule holds on the version's metrics as read now (Get-MRModelMetric), e.g.
        /// 'auc >= 0.90', 'f1 >= 0.80': a metric name, one of >= > &lt;= &lt; == !=, a number. Otherwise the version is refused
        /// (ErrorId ModelRegistry.Conflict.RequirementNotMet) naming each failing rule and the actual value, and nothing changes;
        /// a missing metric fails its rule, and -Force does not override it. The rules that held, with their values, are added
        /// to the approval description. Without -Require, the team's {TEAM}_APPROVAL_REQUIRE from .env.shared applies to its
        /// groups' versions. -WhatIf reports the same refusals.</summary>
        [Parameter]
        [ValidateNotNullOrEmpty]
        public string[]? Require { get; set; }

        /// <summary>Approve a version that was Rejected, or change the status of a version that serves an endpoint.</summary>
        [Parameter]
        public SwitchParameter Force { get; set; }

        /// <summary>Emit each version as it is after the change.</summary>
        [Parameter]
        public SwitchParameter PassThru { get; set; }

        protected abstract ApprovalStatus NewStatus { get; }

        protected override ApprovalStatus? TargetStatus => NewStatus;
        protected override string? ReasonText => Reason;
        protected override string[]? RequireText => Require;

        protected override void BeginProcessing()
        {
            // Rules are checked before anything is read or changed.
            if (Require != null && NewStatus != ApprovalStatus.Approved)
                ThrowTerminatingError(Hosting.ErrorRecords.Invalid($"-Require applies to approvals; the status here is {NewStatus}.", null, "ModelRegistry.Invalid.Rule"));
            Hosting.ApprovalRules.ParseRequire(this, Require);
        }
        protected override bool ForceChange => Force;

        protected override string Action => $"Set approval status to {NewStatus}{(Reason is null ? "" : $" (\"{Reason}\")")}";
        protected override string Activity => $"Setting approval to {NewStatus}";

        protected override void OnDone(ModelVersion version)
        {
            WriteVerbose($"{version.GroupName} version {version.Version}: {version.Status}");
            if (PassThru) WriteObject(version);
        }
    }
}
