using System;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using ModelRegistry.Engine.Bulk;
using ModelRegistry.Engine.DesiredState;
using ModelRegistry.Engine.Operations;
using ModelRegistry.Engine.Registry;

namespace ModelRegistry.Cmdlets
{
    /// <summary>
    /// <para type="synopsis">Makes the registry match the configuration: creates missing groups, repairs drifted tags, and with -Prune removes groups no longer configured.</para>
    /// <para type="description">Applies the plan Compare-MRModelGroup shows. Missing groups are created (the same idempotent path as New-MRModelGroup); configured tags that were changed or removed by hand are set again; a resource policy that does not share the group with exactly its team's consumer accounts ({TEAM}_CONSUMER_ACCOUNTS, MODEL_REGISTRY_CONSUMER_ACCOUNTS) is set again, or removed when the team has none — but a policy ModelRegistry did not write is replaced only with -Force (ErrorId ModelRegistry.Conflict.PolicyNotManaged); a differing description is reported as not repairable, because SageMaker cannot change a group's description. Extra groups (this configuration's ManagedBy tag, no longer configured) are removed only with -Prune, versions first; a group holding Approved versions is refused unless -Force, and nothing is pruned when the configuration has problems. Foreign groups are never touched. Creating and repairing asks ShouldProcess (ConfirmImpact Medium: a scheduled run does not prompt); each prune asks for confirmation as a High-impact command does, unless -Confirm:$false or $ConfirmPreference = 'None'. -WhatIf prints every change it would make. Emits one GroupSyncResult per group; every failure or refusal is also an error, so $? and -ErrorAction work as usual.</para>
    /// <example>
    ///   <code>Get-MRProject | Sync-MRModelGroup -WhatIf</code>
    ///   <para>Prints each group it would create or re-tag.</para>
    /// </example>
    /// <example>
    ///   <code>Sync-MRModelGroup ./.env.shared -Prune -Confirm:$false</code>
    ///   <para>Converges unattended, removing groups no longer configured (but never one holding Approved versions).</para>
    /// </example>
    /// </summary>
    [Cmdlet(VerbsData.Sync, "MRModelGroup", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium, DefaultParameterSetName = ByProject)]
    [OutputType(typeof(GroupSyncResult))]
    public sealed class SyncModelGroupCommand : DesiredStateCmdlet
    {
        /// <summary>Also remove Extra groups: they carry this configuration's ManagedBy tag but are no longer configured.</summary>
        [Parameter]
        public SwitchParameter Prune { get; set; }

        /// <summary>With -Prune, also remove Extra groups that hold Approved versions; and replace a group's resource policy that ModelRegistry did not write.</summary>
        [Parameter]
        public SwitchParameter Force { get; set; }

        protected override void Process(IModelRegistry registry, DesiredConfiguration config, DriftPlan plan)
        {
            var sync = new GroupSync(registry);
            var results = new Dictionary<GroupDrift, GroupSyncResult>();
            var whatIf = IsWhatIf();
            string Target(GroupDrift d) => $"{d.Name} in {registry.Location}";

            void Collect(BulkOutcome<GroupDrift, GroupSyncResult> o)
            {
                if (o.Error != null)
                {
                    WriteFailure(o.Error, (object?)o.Input.Desired ?? o.Input.Name);
                    results[o.Input] = new GroupSyncResult(o.Input, SyncAction.Failed, o.Input.Actual, o.Error.Message);
                }
                else results[o.Input] = o.Result!;
            }

            var create = new List<GroupDrift>();
            foreach (var d in plan.InState(GroupState.Missing))
                if (ShouldProcess(Target(d), "Create model group")) create.Add(d);
                else results[d] = Declined(d);
            Drain(sync.CreateMissing(create, Bulk(ThrottleLimit), Cancellation), create.Count, "Creating model groups", Collect);

            var repair = new List<GroupDrift>();
            var share = new List<GroupDrift>();
            var policyResults = new Dictionary<GroupDrift, GroupSyncResult>();
            foreach (var d in plan.InState(GroupState.Drifted))
            {
                if (d.DescriptionDiffers) WriteWarning($"{d.Name}: {GroupSync.DescriptionNote}.");
                if (d.TagRepairs.Count > 0)
                {
                    if (ShouldProcess(Target(d), "Set tags " + string.Join(", ", d.TagRepairs.Select(t => $"{t.Key}='{t.Value}'")))) repair.Add(d);
                    else results[d] = Declined(d);
                }
                else if (d.DescriptionDiffers) results[d] = new GroupSyncResult(d, SyncAction.Skipped, d.Actual, GroupSync.DescriptionNote);
                if (!d.PolicyDiffers) continue;
                // A policy ModelRegistry did not write is replaced only with -Force; judged again on what is there when applied.
                if (d.PolicyNotManaged && !Force)
                {
                    var refusal = GroupPolicyOperations.NotManaged(d.Name, "replace");
                    WriteFailure(refusal, (object?)d.Desired ?? d.Name);
                    policyResults[d] = new GroupSyncResult(d, SyncAction.Refused, d.Actual, refusal.Message);
                }
                else if (ShouldProcess(Target(d), PolicyAction(d.Differences.Last(x => x.StartsWith("policy", StringComparison.Ordinal))))) share.Add(d);
                else policyResults[d] = Declined(d);
            }
            Drain(sync.RepairTags(repair, Bulk(ThrottleLimit), Cancellation), repair.Count, "Repairing model group tags", Collect);
            // Groups just created are shared in the same run when their team has consumer accounts.
            var created = GroupSync.SharedOnCreation(plan, results);
            foreach (var d in created.Keys)
                if (ShouldProcess(Target(d), "Set resource policy: share with " + string.Join(", ", d.Desired!.ConsumerAccounts))) share.Add(d);
            Drain(sync.RepairPolicies(share, Force, Bulk(ThrottleLimit), Cancellation, created), share.Count, "Sharing model groups", o =>
            {
                if (o.Succeeded) policyResults[o.Input] = o.Result!;
                else policyResults[o.Input] = GroupSync.PolicyFailure(o.Input, o.Error, (d, e) => WriteFailure(e, (object?)d.Desired ?? d.Name));
            });
            foreach (var p in policyResults) results[p.Key] = GroupSync.Merge(results.TryGetValue(p.Key, out var r) ? r : null, p.Value);

            foreach (var d in plan.InState(GroupState.Extra))
            {
                if (Cancellation.IsCancellationRequested) break;
                results[d] = Prune ? PruneOne(sync, config, d, Target(d)) : GroupSync.Untouched(d);
            }

            // -WhatIf shows what would change; result objects would only say "nothing was done".
            if (whatIf) return;
            foreach (var entry in plan.Entries)
                WriteObject(Stamped(results.TryGetValue(entry, out var r) ? r
                    : entry.State is GroupState.InSync or GroupState.Foreign ? GroupSync.Untouched(entry)
                    : new GroupSyncResult(entry, SyncAction.Skipped, entry.Actual, "stopped before it started")));
        }

        /// <summary>The result, carrying the configuration's account and region on to the next cmdlet.</summary>
        private GroupSyncResult Stamped(GroupSyncResult r) =>
            new GroupSyncResult(Stamped(r.Drift), r.Action, r.Group, r.Detail);

        private GroupSyncResult PruneOne(GroupSync sync, DesiredConfiguration config, GroupDrift d, string target)
        {
            GroupRemovalPlan? removal;
            try
            {
                removal = sync.PlanPruneAsync(d, config, Force, Cancellation).GetAwaiter().GetResult().Removal;
            }
            catch (Exception ex) when (ex is not PipelineStoppedException)
            {
                WriteFailure(ex, d.Name);
                return new GroupSyncResult(d, SyncAction.Failed, d.Actual, ex.Message);
            }
            if (removal is null) return new GroupSyncResult(d, SyncAction.None, null, "already gone");

            var end = RemoveGroup(sync.Groups, removal, d.Name, "no longer configured", ThrottleLimit,
                what => ShouldProcess(target, what) && ConfirmPrune(target, what), out var detail);
            return end switch
            {
                GroupRemovalEnd.Refused => new GroupSyncResult(d, SyncAction.Refused, removal.Group, detail),
                GroupRemovalEnd.Failed => new GroupSyncResult(d, SyncAction.Failed, removal.Group, detail),
                GroupRemovalEnd.Removed => new GroupSyncResult(d, SyncAction.Removed, null, detail),
                _ => Declined(d),
            };
        }

        /// <summary>
        /// Creating and re-tagging is routine and a scheduled run must not prompt for it, so the cmdlet is Medium;
        /// deleting is not routine, so a prune asks as a High-impact command does (see ConfirmHighImpact). -Force is
        /// deliberately not a way past it: here it means "Approved versions too", a separate decision.
        /// </summary>
        private bool ConfirmPrune(string target, string what) => ConfirmHighImpact(target, what, $"Prune {target}", "prune");

        /// <summary>"Set the resource policy (shared with A → shared with A, B)" from a plan's policy difference.</summary>
        private static string PolicyAction(string difference) =>
            "Set the resource policy (" + (difference.StartsWith("policy: ", StringComparison.Ordinal) ? difference.Substring("policy: ".Length) : difference) + ")";

        private static GroupSyncResult Declined(GroupDrift d) => new GroupSyncResult(d, SyncAction.Skipped, d.Actual, "declined");
    }
}
