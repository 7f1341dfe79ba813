using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using ModelRegistry.Engine.Operations;
using ModelRegistry.Engine.Registry;

namespace ModelRegistry.Cmdlets
{
    /// <summary>
    /// <para type="synopsis">Stops sharing model groups: removes each group's resource policy.</para>
    /// <para type="description">Reads each group's policy first (several at a time). A group without one is left as it is (-Verbose says so); a policy ModelRegistry did not write (no statement Sid starting with "ModelRegistry") is removed only with -Force (ErrorId ModelRegistry.Conflict.PolicyNotManaged). Consumer accounts lose access to the group's versions at once, so it asks for confirmation (ConfirmImpact High); -WhatIf does the same reads and checks and changes nothing. Takes TeamProject objects from Get-MRProject, or -Name (binds from ModelGroup and ModelGroupPolicy objects). AWS: DeleteModelPackageGroupPolicy.</para>
    /// <example>
    ///   <code>Get-MRModelGroup rc-* | Get-MRModelGroupPolicy | Where-Object IsManaged | Remove-MRModelGroupPolicy -Confirm:$false</code>
    ///   <para>Stops sharing the risk-control team's groups.</para>
    /// </example>
    /// </summary>
    [Cmdlet(VerbsCommon.Remove, "MRModelGroupPolicy", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.High, DefaultParameterSetName = ByProject)]
    [OutputType(typeof(ModelGroupPolicy))]
    public sealed class RemoveModelGroupPolicyCommand : GroupInputCmdlet
    {
        /// <summary>Also remove a resource policy that ModelRegistry did not write.</summary>
        [Parameter]
        public SwitchParameter Force { get; set; }

        /// <summary>Emit each group's policy afterwards (HasPolicy false once removed; also for a group that had none).</summary>
        [Parameter]
        public SwitchParameter PassThru { get; set; }

        protected override void Process(IModelRegistry registry, RegistryConnection connection, IReadOnlyList<GroupInput> groups)
        {
            var operations = new GroupPolicyOperations(registry);
            var plans = new List<GroupPolicyPlan>();
            var inputs = new Dictionary<GroupPolicyPlan, GroupInput>();
            Drain(operations.Read(groups.Select(g => g.Name).ToList(), Bulk(ThrottleLimit), Cancellation), groups.Count, "Reading model group policies", o =>
            {
                var input = groups[o.Index];
                if (o.Error != null)
                {
                    WriteFailure(o.Error, input.Target);
                    return;
                }
                var plan = GroupPolicyOperations.PlanRemoval(input.Name, o.Result, Force);
                if (plan.Refusal != null) WriteFailure(plan.Refusal, input.Target);
                else if (plan.Action == PolicyAction.None)
                {
                    WriteVerbose($"{input.Name}: has no resource policy; nothing to remove.");
                    if (PassThru) WriteObject(Stamp(plan.CurrentPolicy, input));
                }
                else if (ShouldProcess($"{input.Name} in {registry.Location}",
                             "Remove the resource policy" + (plan.Reading.ConsumerAccounts.Count > 0 ? $" sharing it with {string.Join(", ", plan.Reading.ConsumerAccounts)}" : "")))
                {
                    plans.Add(plan);
                    inputs[plan] = input;
                }
            });

            Drain(operations.Apply(plans, Bulk(ThrottleLimit), Cancellation), plans.Count, "Removing model group policies", o =>
            {
                var input = inputs[o.Input];
                if (o.Error != null) WriteFailure(o.Error, input.Target);
                else
                {
                    WriteVerbose($"{o.Input.GroupName}: resource policy removed.");
                    if (PassThru) WriteObject(Stamp(o.Result!, input));
                }
            });
        }

        private static ModelGroupPolicy Stamp(ModelGroupPolicy policy, GroupInput input) =>
            policy.WithExpectedAccount(input.ExpectedAccountId, input.ConfiguredRegion);
    }
}
