using System;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using ModelRegistry.Engine.Operations;
using ModelRegistry.Engine.Registry;

namespace ModelRegistry.Cmdlets
{
    /// <summary>
    /// <para type="synopsis">Deletes model groups and every version in them, versions first.</para>
    /// <para type="description">Deletes model groups with all their versions (the versions first, then the group). -WhatIf lists every version and group it would delete. Asks for confirmation once per group (ConfirmImpact High). A group holding Approved versions, or versions that serve endpoints, is refused unless -Force. Every deletion is reported (-Verbose for each version, one result object per group), and every failure is an error: a group whose versions could not all be deleted is left in place and reported.</para>
    /// <example>
    ///   <code>Get-MRProject | Remove-MRModelGroup -WhatIf</code>
    ///   <para>Shows every version and group that would be deleted.</para>
    /// </example>
    /// <example>
    ///   <code>Remove-MRModelGroup rc-fraud-detection -Force -Confirm:$false</code>
    ///   <para>Deletes the group and all its versions, approved ones included, without asking.</para>
    /// </example>
    /// </summary>
    [Cmdlet(VerbsCommon.Remove, "MRModelGroup", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.High, DefaultParameterSetName = ByProject)]
    [OutputType(typeof(ModelGroupChangeResult))]
    public sealed class RemoveModelGroupCommand : GroupInputCmdlet
    {
        /// <summary>Also delete groups that hold Approved or deployed versions.</summary>
        [Parameter]
        public SwitchParameter Force { get; set; }

        protected override void Process(IModelRegistry registry, RegistryConnection connection, IReadOnlyList<GroupInput> groups)
        {
            var operations = new ModelGroupOperations(registry);
            foreach (var input in groups)
            {
                if (Cancellation.IsCancellationRequested) return;
                GroupRemovalPlan? plan;
                try
                {
                    plan = operations.PlanRemovalAsync(input.Name, Force, Cancellation).GetAwaiter().GetResult();
                }
                catch (Exception ex) when (ex is not PipelineStoppedException)
                {
                    WriteFailure(ex, input.Target);
                    continue;
                }
                if (plan is null)
                {
                    WriteFailure(new RegistryException(RegistryErrorKind.NotFound,
                        $"Model group '{input.Name}' does not exist in {registry.Location}; nothing to remove.", input.Name), input.Target);
                    continue;
                }
                var end = RemoveGroup(operations, plan, input.Target, null, ThrottleLimit,
                    what => ShouldProcess($"{plan.Group.Name} in {registry.Location}", what), out var detail);
                if (end == GroupRemovalEnd.Removed)
                    WriteObject(new ModelGroupChangeResult(plan.Group.WithExpectedAccount(input.ExpectedAccountId, input.ConfiguredRegion), GroupChange.Removed, detail));
            }
        }
    }
}
