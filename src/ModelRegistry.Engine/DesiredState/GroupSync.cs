using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using ModelRegistry.Engine.Bulk;
using ModelRegistry.Engine.Operations;
using ModelRegistry.Engine.Registry;

namespace ModelRegistry.Engine.DesiredState
{
    /// <summary>What pruning one Extra group takes, or why it must not happen.</summary>
    public sealed class PrunePlan
    {
        public PrunePlan(GroupDrift drift, GroupRemovalPlan? removal)
        {
            Drift = drift;
            Removal = removal;
        }

        public GroupDrift Drift { get; }
        /// <summary>The group and its versions as read just now, with the verdict; null when the group is already gone.</summary>
        public GroupRemovalPlan? Removal { get; }
    }

    /// <summary>
    /// Applies a plan in phases: create Missing, repair Drifted tags and resource policies, prune Extra. Each phase is its own bulk run
    /// so a caller (the cmdlet) can ask ShouldProcess per group and report progress per phase; <see cref="Apply"/>
    /// composes them for callers that need neither.
    /// </summary>
    public sealed class GroupSync
    {
        private readonly IModelRegistry _registry;
        private readonly ModelGroupOperations _groups;
        private readonly GroupPolicyOperations _policies;

        public GroupSync(IModelRegistry registry)
        {
            _registry = registry;
            _groups = new ModelGroupOperations(registry);
            _policies = new GroupPolicyOperations(registry);
        }

        /// <summary>Creates the Missing groups through the same idempotent path as New-MRModelGroup.</summary>
        public IEnumerable<BulkOutcome<GroupDrift, GroupSyncResult>> CreateMissing(IReadOnlyList<GroupDrift> missing, BulkOptions bulk, CancellationToken ct)
        {
            var desired = missing.Select(d => DesiredGroup.From(d.Desired ?? throw new ArgumentException($"'{d.Name}' has no configured project.", nameof(missing)))).ToList();
            // Ensure looks again before creating (a listing, or a describe for a few), so a group created since the
            // plan is found, not created twice — which moto would answer by replacing it.
            return _groups.Ensure(desired, force: false, bulk, ct).Select(o =>
            {
                var drift = missing[o.Index];
                GroupSyncResult? result = null;
                if (o.Succeeded)
                    result = o.Result!.Change == GroupChange.Created
                        ? new GroupSyncResult(drift, SyncAction.Created, o.Result.Group)
                        : new GroupSyncResult(drift, SyncAction.None, o.Result.Group, "created by someone else since the plan; compare again to check it");
                return new BulkOutcome<GroupDrift, GroupSyncResult>(drift, o.Index, result, o.Error, o.Skipped);
            });
        }

        /// <summary>Sets the configured tags a Drifted group lacks or has wrong. A description cannot be repaired:
        /// SageMaker has no call that changes it, so it is reported, never pretended.</summary>
        public IEnumerable<BulkOutcome<GroupDrift, GroupSyncResult>> RepairTags(IReadOnlyList<GroupDrift> drifted, BulkOptions bulk, CancellationToken ct) =>
            BulkRunner.Run(drifted, async (d, token) =>
            {
                var group = d.Actual ?? throw new ArgumentException($"'{d.Name}' does not exist.", nameof(drifted));
                var left = d.DescriptionDiffers ? DescriptionNote : null;
                if (d.TagRepairs.Count == 0) return new GroupSyncResult(d, d.DescriptionDiffers ? SyncAction.Skipped : SyncAction.None, group, left);

                await _registry.AddTagsAsync(group.Arn, d.TagRepairs, token).ConfigureAwait(false);
                var merged = new Dictionary<string, string>(StringComparer.Ordinal);
                foreach (var t in group.Tags ?? TagSet.Empty) merged[t.Key] = t.Value;
                foreach (var t in d.TagRepairs) merged[t.Key] = t.Value;
                var detail = "tags set: " + string.Join(", ", d.TagRepairs.Select(t => $"{t.Key}='{t.Value}'"));
                return new GroupSyncResult(d, SyncAction.Repaired, group.WithTags(merged), left is null ? detail : detail + "; " + left);
            }, bulk, ct);

        /// <summary>
        /// Sets (or removes) the resource policy of Drifted groups whose policy differs from the configured consumer accounts.
        /// Each policy is read again first and judged by the one rule (<see cref="GroupPolicyOperations.Plan"/>), so a policy
        /// changed since the plan is judged as it is now: one ModelRegistry did not write is replaced only with
        /// <paramref name="force"/> (the refusal is the outcome's error, reason PolicyNotManaged).
        /// </summary>
        /// <remarks>Groups this sync created (Missing entries) are shared too: <paramref name="created"/> gives their group.</remarks>
        public IEnumerable<BulkOutcome<GroupDrift, GroupSyncResult>> RepairPolicies(IReadOnlyList<GroupDrift> drifted, bool force, BulkOptions bulk,
            CancellationToken ct, IReadOnlyDictionary<GroupDrift, ModelGroup>? created = null) =>
            BulkRunner.Run(drifted, async (d, token) =>
            {
                var group = (created != null && created.TryGetValue(d, out var made) ? made : d.Actual)
                            ?? throw new ArgumentException($"'{d.Name}' does not exist.", nameof(drifted));
                var project = d.Desired ?? throw new ArgumentException($"'{d.Name}' has no configured project.", nameof(drifted));
                var current = await _registry.GetGroupPolicyAsync(d.Name, token).ConfigureAwait(false);
                var plan = GroupPolicyOperations.Plan(d.Name, group.Arn, current, project.ConsumerAccounts, allowApproval: false, force);
                if (plan.Action == PolicyAction.None) return new GroupSyncResult(d, SyncAction.None, group, "policy already as configured");
                await _policies.ApplyAsync(plan, token).ConfigureAwait(false);
                return new GroupSyncResult(d, SyncAction.Repaired, group, plan.Action == PolicyAction.Delete
                    ? "policy removed: no consumer accounts are configured"
                    : "policy set: shared with " + string.Join(", ", project.ConsumerAccounts));
            }, bulk, ct);

        /// <summary>The Missing entries this sync created whose team has consumer accounts, with the group created: they are shared
        /// in the same sync.</summary>
        public static IReadOnlyDictionary<GroupDrift, ModelGroup> SharedOnCreation(DriftPlan plan, IReadOnlyDictionary<GroupDrift, GroupSyncResult> results) =>
            plan.InState(GroupState.Missing)
                .Where(d => d.Desired is { ConsumerAccounts.Count: > 0 } && results.TryGetValue(d, out var r) && r.Action == SyncAction.Created && r.Group != null)
                .ToDictionary(d => d, d => results[d].Group!);

        /// <summary>One result from the tag repair and the policy repair of the same group: the worse action wins
        /// (Failed, then Refused, then Repaired), and both details are kept.</summary>
        public static GroupSyncResult Merge(GroupSyncResult? first, GroupSyncResult second)
        {
            if (first is null) return second;
            static int Rank(SyncAction a) => a switch { SyncAction.Failed => 4, SyncAction.Refused => 3, SyncAction.Repaired or SyncAction.Created => 2, SyncAction.Skipped => 1, _ => 0 };
            var action = Rank(first.Action) >= Rank(second.Action) ? first.Action : second.Action;
            var detail = string.Join("; ", new[] { first.Detail, second.Detail }.Where(x => !string.IsNullOrEmpty(x)));
            return new GroupSyncResult(first.Drift, action, first.Group ?? second.Group, detail.Length == 0 ? null : detail);
        }

        public const string DescriptionNote =
            "description not changed: SageMaker cannot change a group's description; re-create the group (Remove-MRModelGroup, then sync) to change it";

        /// <summary>Reasons of the refusals only pruning has (ErrorId ModelRegistry.Conflict.&lt;reason&gt;); -Force overrides neither.</summary>
        public const string IncompleteConfiguration = nameof(IncompleteConfiguration);
        public const string NotManaged = nameof(NotManaged);

        /// <summary>
        /// Plans pruning an Extra group through the one group-removal path (ModelGroupOperations): read again, with
        /// its versions, and refused when the configuration is incomplete, when the group no longer carries this
        /// configuration's ManagedBy, or when the version guards keep it (Approved or deployed versions, unless
        /// <paramref name="force"/>).
        /// </summary>
        public async Task<PrunePlan> PlanPruneAsync(GroupDrift extra, DesiredConfiguration config, bool force, CancellationToken ct)
        {
            if (extra.State != GroupState.Extra) throw new ArgumentException($"'{extra.Name}' is {extra.State}, not Extra.", nameof(extra));
            IEnumerable<GroupBlocker> Ownership(ModelGroup group)
            {
                if (!config.IsComplete)
                    yield return new GroupBlocker(IncompleteConfiguration,
                        "the configuration is incomplete, so the group may only look unconfigured: " + string.Join("; ", config.Gaps), forceOverrides: false);
                // The plan may be minutes old in a confirmation prompt: check ownership on what is there now.
                var managedBy = GroupPlanner.ManagedByOf(group);
                if (managedBy is null || !config.ManagedBy.Contains(managedBy))
                    yield return new GroupBlocker(NotManaged,
                        $"its ManagedBy tag is now {(managedBy is null ? "gone" : $"'{managedBy}'")}; it is no longer this configuration's", forceOverrides: false);
            }
            var removal = await _groups.PlanRemovalAsync(extra.Name, force, ct, Ownership).ConfigureAwait(false);
            return new PrunePlan(extra, removal);
        }

        /// <summary>The removal path these plans go through (the same as Remove-MRModelGroup's).</summary>
        public ModelGroupOperations Groups => _groups;

        /// <summary>The result for an entry no phase acts on (InSync, Foreign, Extra without prune).</summary>
        public static GroupSyncResult Untouched(GroupDrift d) => d.State switch
        {
            GroupState.InSync => new GroupSyncResult(d, SyncAction.None, d.Actual),
            GroupState.Foreign => new GroupSyncResult(d, SyncAction.Skipped, d.Actual, "not managed by this configuration; never touched"),
            GroupState.Extra => new GroupSyncResult(d, SyncAction.Skipped, d.Actual, "no longer configured; -Prune removes it"),
            _ => throw new ArgumentException($"'{d.Name}' is {d.State}: a phase acts on it.", nameof(d)),
        };

        /// <summary>
        /// Applies the whole plan without asking (engine callers and tests; the cmdlet composes the phases itself to
        /// ask ShouldProcess and show progress). Returns one result per plan entry, in plan order; a failed call is a
        /// <see cref="SyncAction.Failed"/> result carrying the error message, and is also handed to <paramref name="onError"/>.
        /// </summary>
        public IReadOnlyList<GroupSyncResult> Apply(DriftPlan plan, DesiredConfiguration config, bool prune, bool force,
            BulkOptions bulk, CancellationToken ct, Action<GroupDrift, Exception>? onError = null)
        {
            var results = new Dictionary<GroupDrift, GroupSyncResult>();
            void Collect(BulkOutcome<GroupDrift, GroupSyncResult> o)
            {
                if (o.Succeeded) results[o.Input] = o.Result!;
                else results[o.Input] = Failed(o.Input, o.Error ?? new OperationCanceledException("stopped before it started"), onError);
            }

            foreach (var o in CreateMissing(plan.InState(GroupState.Missing).ToList(), bulk, ct)) Collect(o);
            foreach (var o in RepairTags(plan.InState(GroupState.Drifted).ToList(), bulk, ct)) Collect(o);
            var created = SharedOnCreation(plan, results);
            foreach (var o in RepairPolicies(plan.InState(GroupState.Drifted).Where(d => d.PolicyDiffers).Concat(created.Keys).ToList(), force, bulk, ct, created))
                results[o.Input] = Merge(results.TryGetValue(o.Input, out var tags) ? tags : null,
                    o.Succeeded ? o.Result! : PolicyFailure(o.Input, o.Error, onError));
            foreach (var extra in plan.InState(GroupState.Extra))
                results[extra] = prune ? PruneOne(extra, config, force, bulk, ct, onError) : Untouched(extra);
            return plan.Entries.Select(e => results.TryGetValue(e, out var r) ? r : Untouched(e)).ToList();
        }

        private GroupSyncResult PruneOne(GroupDrift extra, DesiredConfiguration config, bool force, BulkOptions bulk,
            CancellationToken ct, Action<GroupDrift, Exception>? onError)
        {
            try
            {
                var removal = PlanPruneAsync(extra, config, force, ct).GetAwaiter().GetResult().Removal;
                if (removal is null) return new GroupSyncResult(extra, SyncAction.None, null, "already gone");
                if (removal.Refusal != null)
                {
                    onError?.Invoke(extra, removal.Refusal);
                    return new GroupSyncResult(extra, SyncAction.Refused, removal.Group, removal.Refusal.Message);
                }
                _groups.RemoveAsync(removal, bulk, ct).GetAwaiter().GetResult();
                return new GroupSyncResult(extra, SyncAction.Removed, null, $"{removal.Versions.Count} version(s) removed");
            }
            catch (Exception ex) when (ex is RegistryException || ex is OperationCanceledException)
            {
                return Failed(extra, ex, onError);
            }
        }

        /// <summary>The result of a policy repair that did not succeed: Refused for a policy this module did not write, else Failed.</summary>
        public static GroupSyncResult PolicyFailure(GroupDrift d, Exception? error, Action<GroupDrift, Exception>? onError)
        {
            error ??= new OperationCanceledException("stopped before it started");
            if (error is RegistryException { Reason: GroupPolicyOperations.PolicyNotManaged })
            {
                onError?.Invoke(d, error);
                return new GroupSyncResult(d, SyncAction.Refused, d.Actual, error.Message);
            }
            return Failed(d, error, onError);
        }

        private static GroupSyncResult Failed(GroupDrift d, Exception error, Action<GroupDrift, Exception>? onError)
        {
            onError?.Invoke(d, error);
            return new GroupSyncResult(d, SyncAction.Failed, d.Actual, error.Message);
        }
    }
}
