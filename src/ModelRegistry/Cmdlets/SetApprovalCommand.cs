using System.Management.Automation;

namespace ModelRegistry.Cmdlets
{
    /// <summary>
    /// <para type="synopsis">Sets the approval status of model versions: Approved, Rejected or PendingManualApproval, with a reason.</para>
    /// <para type="description">The review step: sets the approval status of model versions. Takes versions from the pipeline (Get-MRModelVersion) or ARNs, and updates many at once with bounded concurrency; each failure is a non-terminating error naming the version, and the others go on. Approving a version that was Rejected needs -Force, and so does changing the status of a version that serves an endpoint (the command says which). Supports -WhatIf and -Confirm. -PassThru emits each version as it now is. -Require gates approvals on the versions' metrics (see Approve-MRModelVersion).</para>
    /// <example>
    ///   <code>Get-MRModelVersion rc-fraud-detection -Status PendingManualApproval | Set-MRApproval -Status Approved -Reason "AUC 0.93"</code>
    ///   <para>Approves every pending version of a group.</para>
    /// </example>
    /// <example>
    ///   <code>Get-MRModelVersion rc-* -Status PendingManualApproval | Set-MRApproval -Status Approved -Require 'auc >= 0.9'</code>
    ///   <para>A gated approval: only versions whose AUC is at least 0.9 are approved (see Approve-MRModelVersion -Require).</para>
    /// </example>
    /// <example>
    ///   <code>Set-MRApproval -Arn arn:aws:sagemaker:ap-northeast-1:123456789012:model-package/rc-fraud-detection/4 -Status Rejected -Reason "Performance below threshold" -PassThru</code>
    ///   <para>Rejects one version by ARN and shows the result.</para>
    /// </example>
    /// </summary>
    [Cmdlet(VerbsCommon.Set, "MRApproval", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium, DefaultParameterSetName = ByArn)]
    [OutputType(typeof(ModelVersion))]
    public sealed class SetApprovalCommand : ApprovalCmdlet
    {
        /// <summary>The new approval status.</summary>
        [Parameter(Mandatory = true)]
        public ApprovalStatus Status { get; set; }

        protected override ApprovalStatus NewStatus => Status;
    }

    /// <summary>
    /// <para type="synopsis">Approves model versions (Set-MRApproval -Status Approved).</para>
    /// <para type="description">The readable form of Set-MRApproval -Status Approved: takes versions from the pipeline or ARNs, records -Reason as the approval description, updates many at once, and reports each failure as a non-terminating error. Approving a Rejected version, or changing a deployed one, needs -Force.</para>
    /// <para type="description">Gated approval: with -Require 'auc >= 0.90', 'f1 >= 0.80' (or, without -Require, the rules .env.shared sets for the version's team in {TEAM}_APPROVAL_REQUIRE="auc>=0.9 f1>=0.8"), each version is read again and its metrics (Get-MRModelMetric) judged; it is approved only when every rule holds, and the rules with the values that held are written into the approval description ("Gate: auc = 0.93 (>= 0.9)"). Otherwise it is refused with ErrorId ModelRegistry.Conflict.RequirementNotMet naming each failing rule and the actual value, and nothing changes. A missing metric fails its rule. Rule syntax: a metric name, one of >= > &lt;= &lt; == !=, and a number; anything else is an error before any call. A rule's metric is looked up in the model quality statistics first, then the -Metric values, then the data quality, bias and explainability files (constraints are thresholds, never judged as values). Test-MRModelVersion -Require shows the same judgement without changing anything.</para>
    /// <example>
    ///   <code>Get-MRModelVersion rc-fraud-detection -Status PendingManualApproval | Approve-MRModelVersion -Reason "AUC 0.93"</code>
    ///   <para>Approves the pending versions with a reason.</para>
    /// </example>
    /// <example>
    ///   <code>Get-MRModelVersion rc-fraud-detection -Status PendingManualApproval | Approve-MRModelVersion -Require 'auc >= 0.90', 'f1 >= 0.80' -PassThru</code>
    ///   <para>Approves only the versions whose metrics meet both rules; each other version is one RequirementNotMet error with its actual values.</para>
    /// </example>
    /// </summary>
    [Cmdlet(VerbsLifecycle.Approve, "MRModelVersion", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium, DefaultParameterSetName = ByArn)]
    [OutputType(typeof(ModelVersion))]
    public sealed class ApproveModelVersionCommand : ApprovalCmdlet
    {
        protected override ApprovalStatus NewStatus => ApprovalStatus.Approved;
    }

    /// <summary>
    /// <para type="synopsis">Rejects model versions (Set-MRApproval -Status Rejected).</para>
    /// <para type="description">The readable form of Set-MRApproval -Status Rejected: takes versions from the pipeline or ARNs, records -Reason as the approval description, updates many at once, and reports each failure as a non-terminating error.</para>
    /// <example>
    ///   <code>Get-MRModelVersion rc-fraud-detection -Version 4 | Deny-MRModelVersion -Reason "Performance below threshold"</code>
    ///   <para>Rejects version 4 and records why.</para>
    /// </example>
    /// </summary>
    [Cmdlet(VerbsLifecycle.Deny, "MRModelVersion", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium, DefaultParameterSetName = ByArn)]
    [OutputType(typeof(ModelVersion))]
    public sealed class DenyModelVersionCommand : ApprovalCmdlet
    {
        protected override ApprovalStatus NewStatus => ApprovalStatus.Rejected;
    }
}
