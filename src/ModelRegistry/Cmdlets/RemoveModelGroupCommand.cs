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
    /// <para type="description">The seed's cleanup.sh done right. -WhatIf lists every version and group it would delete. Asks for confirmation once per group (ConfirmImpact High). A group holding Approved versions, or versions that serve endpoints, is refused unless -Force. Every deletion is reported (-Verbose for each version, one result object per group), and every failure is an error: a group whose versions could not all be deleted is left in place and reported.</para>
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
                    plan = operations.PlanRemovalAsync(input.Name, Cancellation).GetAwaiter().GetResult();
                }
                catch (Exception ex)
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
                RemoveOne(operations, registry, plan, input);
            }
        }

        private void RemoveOne(ModelGroupOperations operations, IModelRegistry registry, GroupRemovalPlan plan, GroupInput input)
        {
            var name = plan.Group.Name;
            var reasons = plan.ReasonsToKeep();
            if (reasons.Count > 0 && !Force)
            {
                WriteFailure(new RegistryException(RegistryErrorKind.Conflict,
                    $"Model group '{name}' was kept: {string.Join("; ", reasons)}. Nothing was deleted. Use -Force to delete it anyway.",
                    name), input.Target);
                return;
            }
            if (operations.Deployed.Unavailable != null) WriteWarning($"{name}: {operations.Deployed.Unavailable}.");

            if (IsWhatIf())
            {
                // -WhatIf names everything that would go, versions first, as the deletion would run.
                foreach (var v in plan.Versions) ShouldProcess(v.Arn, $"Remove model version {v.Version} ({v.Status})");
                ShouldProcess(plan.Group.Arn, "Remove model group");
                return;
            }

            var what = plan.Versions.Count == 0
                ? "Remove model group (it holds no versions)"
                : $"Remove model group and its {plan.Versions.Count} version(s): {string.Join(", ", plan.Versions.Select(v => $"{v.Version} ({v.Status})"))}";
            if (!ShouldProcess($"{name} in {registry.Location}", what)) return;

            var failed = 0;
            Drain(operations.RemoveVersions(plan.Versions, Bulk(ThrottleLimit), Cancellation), plan.Versions.Count, $"Removing versions of {name}", outcome =>
            {
                if (outcome.Error != null)
                {
                    failed++;
                    WriteFailure(outcome.Error, outcome.Input.Arn);
                }
                else WriteVerbose($"Removed model version {outcome.Input.Arn}");
            });
            var removed = plan.Versions.Count - failed;
            if (failed > 0 || Cancellation.IsCancellationRequested)
            {
                WriteFailure(new RegistryException(RegistryErrorKind.Conflict,
                    $"Model group '{name}' was not removed: {plan.Versions.Count - removed} of its {plan.Versions.Count} version(s) remain.", name), input.Target);
                return;
            }

            try
            {
                operations.RemoveGroupAsync(name, Cancellation).GetAwaiter().GetResult();
            }
            catch (Exception ex)
            {
                WriteFailure(ex, input.Target);
                return;
            }
            WriteVerbose($"Removed model group {plan.Group.Arn}");
            WriteObject(new ModelGroupChangeResult(plan.Group.WithExpectedAccount(input.ExpectedAccountId, input.ConfiguredRegion),
                GroupChange.Removed, $"{removed} version(s) removed"));
        }
    }
}
