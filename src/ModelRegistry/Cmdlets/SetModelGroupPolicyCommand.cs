using System;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using ModelRegistry.Engine.Operations;
using ModelRegistry.Engine.Registry;

namespace ModelRegistry.Cmdlets
{
    /// <summary>
    /// <para type="synopsis">Shares model groups with consumer accounts: sets each group's resource policy.</para>
    /// <para type="description">The policy grants each consumer account's root principal what a cross-account deploy needs and nothing more: sagemaker:DescribeModelPackageGroup on the group, and sagemaker:DescribeModelPackage, sagemaker:ListModelPackages and sagemaker:CreateModel on its versions (…:model-package/{group}/*); -AllowApproval adds sagemaker:UpdateModelPackage on the versions. Every statement's Sid starts with "ModelRegistry"; the document is checked against SageMaker's limit of 20,480 characters. The accounts come from the projects piped from Get-MRProject ({TEAM}_CONSUMER_ACCOUNTS and MODEL_REGISTRY_CONSUMER_ACCOUNTS in .env.shared; a project whose team has none is skipped with a warning), or from -ConsumerAccountId with -Name. The current policies are read first (several at a time): a group already shared exactly so is left as it is, and a policy ModelRegistry did not write is replaced only with -Force (ErrorId ModelRegistry.Conflict.PolicyNotManaged). -WhatIf does the same reads and checks and changes nothing. The consumer accounts also need an identity policy: Get-MRIamPolicy -Role Consumer. AWS: PutModelPackageGroupPolicy.</para>
    /// <example>
    ///   <code>Get-MRProject | Set-MRModelGroupPolicy</code>
    ///   <para>Shares every configured group with its team's consumer accounts.</para>
    /// </example>
    /// <example>
    ///   <code>Set-MRModelGroupPolicy -Name rc-fraud-detection -ConsumerAccountId 111111111111, 222222222222 -PassThru</code>
    ///   <para>Shares one group with two accounts and shows the result.</para>
    /// </example>
    /// </summary>
    [Cmdlet(VerbsCommon.Set, "MRModelGroupPolicy", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium, DefaultParameterSetName = ByProject)]
    [OutputType(typeof(ModelGroupPolicy))]
    public sealed class SetModelGroupPolicyCommand : GroupInputCmdlet
    {
        /// <summary>The AWS accounts to share the groups named by -Name with (12-digit ids); needed with -Name.</summary>
        // Not Mandatory: a mandatory parameter of the by-name set that the pipeline cannot fill makes PowerShell ask for it
        // even when TeamProjects are piped to the default set. Checked in EndProcessing instead.
        [Parameter(ParameterSetName = ByName)]
        [Parameter(ParameterSetName = ByText)]
        [ValidateNotNullOrEmpty]
        [ValidatePattern(Engine.Config.Naming.AccountIdShape)] // a compile-time constant: no engine type at run time
        public string[]? ConsumerAccountId { get; set; }

        /// <summary>Also let the consumer accounts approve and reject versions (sagemaker:UpdateModelPackage).</summary>
        [Parameter]
        public SwitchParameter AllowApproval { get; set; }

        /// <summary>Replace a resource policy that ModelRegistry did not write.</summary>
        [Parameter]
        public SwitchParameter Force { get; set; }

        /// <summary>Emit each group's policy afterwards (also when it was already as asked).</summary>
        [Parameter]
        public SwitchParameter PassThru { get; set; }

        protected override void EndProcessing()
        {
            if ((ParameterSetName == ByName || ParameterSetName == ByText) && (ConsumerAccountId is null || ConsumerAccountId.Length == 0))
                ThrowTerminatingError(Hosting.ErrorRecords.Invalid(
                    "-ConsumerAccountId is needed with -Name: the accounts to share the groups with. (Projects from Get-MRProject bring their team's.)",
                    nameof(ConsumerAccountId)));
            base.EndProcessing();
        }

        protected override void Process(IModelRegistry registry, RegistryConnection connection, IReadOnlyList<GroupInput> groups)
        {
            var shared = new List<GroupInput>();
            foreach (var g in groups)
            {
                if (g.Project != null && g.Project.ConsumerAccounts.Count == 0)
                    WriteWarning($"{g.Name}: team '{g.Project.Team}' has no consumer accounts ({g.Project.Team.ToUpperInvariant()}_CONSUMER_ACCOUNTS or MODEL_REGISTRY_CONSUMER_ACCOUNTS in {g.Project.SourcePath}); not shared. Sync-MRModelGroup removes a policy no longer configured.");
                else shared.Add(g);
            }
            if (shared.Count == 0) return;

            var operations = new GroupPolicyOperations(registry);
            var plans = new List<GroupPolicyPlan>();
            var inputs = new Dictionary<GroupPolicyPlan, GroupInput>();
            Drain(operations.Read(shared.Select(g => g.Name).ToList(), Bulk(ThrottleLimit), Cancellation), shared.Count, "Reading model group policies", o =>
            {
                var input = shared[o.Index];
                if (o.Error != null)
                {
                    WriteFailure(o.Error, input.Target);
                    return;
                }
                var accounts = input.Project?.ConsumerAccounts ?? (IReadOnlyList<string>)(ConsumerAccountId ?? Array.Empty<string>());
                GroupPolicyPlan plan;
                try
                {
                    plan = GroupPolicyOperations.Plan(input.Name, registry.GroupArn(input.Name), o.Result, accounts, AllowApproval, Force);
                }
                catch (RegistryException ex)
                {
                    WriteFailure(ex, input.Target);
                    return;
                }
                if (plan.Refusal != null) WriteFailure(plan.Refusal, input.Target);
                else if (plan.Action == PolicyAction.None)
                {
                    WriteVerbose($"{input.Name}: already shared with {string.Join(", ", accounts)}; unchanged.");
                    if (PassThru) WriteObject(Stamp(plan.CurrentPolicy, input));
                }
                else if (ShouldProcess($"{input.Name} in {registry.Location}",
                             $"Share with {string.Join(", ", accounts)}{(AllowApproval ? " (approval allowed)" : "")}"))
                {
                    plans.Add(plan);
                    inputs[plan] = input;
                }
            });

            Drain(operations.Apply(plans, Bulk(ThrottleLimit), Cancellation), plans.Count, "Sharing model groups", o =>
            {
                var input = inputs[o.Input];
                if (o.Error != null) WriteFailure(o.Error, input.Target);
                else if (PassThru) WriteObject(Stamp(o.Result!, input));
            });
        }

        private static ModelGroupPolicy Stamp(ModelGroupPolicy policy, GroupInput input) =>
            policy.WithExpectedAccount(input.ExpectedAccountId, input.ConfiguredRegion);
    }
}
