using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using ModelRegistry.Engine.Bulk;
using ModelRegistry.Engine.Deployment;
using ModelRegistry.Engine.Registry;

namespace ModelRegistry.Engine.Operations
{
    /// <summary>The group lifecycle of the seed scripts: create (idempotent), verify, remove.</summary>
    public sealed class ModelGroupOperations
    {
        // Below this many groups a describe each is cheaper than listing the whole registry.
        internal const int ListInsteadOfDescribeThreshold = 5;

        private readonly IModelRegistry _registry;

        public ModelGroupOperations(IModelRegistry registry)
        {
            _registry = registry;
            Deployed = new DeployedVersions(registry);
        }

        /// <summary>What is deployed, read once for all the removal plans of this command.</summary>
        public DeployedVersions Deployed { get; }

        /// <summary>
        /// Creates the groups that do not exist. Existing groups are returned unchanged, or with their tags
        /// re-applied when <paramref name="force"/> is set. With several groups, what exists is learned from one
        /// paged listing (not a describe per group) read in the background, and groups are described meanwhile
        /// (<see cref="ExistingGroups"/>), so creating starts at once rather than after a listing of the whole
        /// registry (ten pages for 1,000 groups: seconds where list calls are limited to a few a second). Describe,
        /// list and create are separate operations with separate rate limits, so the describes cost no create time.
        /// </summary>
        /// <param name="desired">The groups, in the order they are started.</param>
        /// <param name="force">Re-apply the tags of groups that exist.</param>
        /// <param name="bulk">How many at a time, and the stop rule.</param>
        /// <param name="ct">The command's cancellation.</param>
        /// <param name="lookUp">What <see cref="LookUp"/> began for these groups (the caller disposes it); null to
        /// begin here.</param>
        public IEnumerable<BulkOutcome<DesiredGroup, ModelGroupChangeResult>> Ensure(
            IReadOnlyList<DesiredGroup> desired, bool force, BulkOptions bulk, CancellationToken ct, ExistingGroups? lookUp = null)
        {
            var existing = lookUp ?? LookUp(desired, bulk, ct);
            existing.Run(desired);
            try
            {
                Listing = existing.Listing;
                foreach (var outcome in BulkRunner.Run(desired, (want, token) => EnsureOneAsync(want, existing, force, token), bulk, ct))
                    yield return outcome;
            }
            finally
            {
                if (lookUp is null) existing.Dispose();
            }
        }

        /// <summary>
        /// Begins learning which of <paramref name="desired"/> exist (the listing by name; reads only, and no describe
        /// before <see cref="Ensure"/> runs), so a command can begin it while its account guard waits for STS and pass
        /// it to <see cref="Ensure"/> (with the same group objects, or a subset of them). Disposing it ends the reads.
        /// </summary>
        public ExistingGroups LookUp(IReadOnlyList<DesiredGroup> desired, BulkOptions bulk, CancellationToken ct) =>
            new ExistingGroups(_registry, desired, bulk.ThrottleLimit, desired.Count >= ListInsteadOfDescribeThreshold, ct);

        /// <summary>The background listing of the running <see cref="Ensure"/> (tests wait on it).</summary>
        internal Task? Listing { get; private set; }

        private async Task<ModelGroupChangeResult> EnsureOneAsync(DesiredGroup want, ExistingGroups existing, bool force, CancellationToken ct)
        {
            var current = await existing.CurrentAsync(want, ct).ConfigureAwait(false);

            if (current is null)
            {
                try
                {
                    var created = await _registry.CreateGroupAsync(want.Name, want.Description, want.Tags, ct).ConfigureAwait(false);
                    return new ModelGroupChangeResult(created, GroupChange.Created);
                }
                catch (RegistryException ex) when (ex.Kind == RegistryErrorKind.AlreadyExists)
                {
                    // Created by someone else since we looked (or by our own retried call): it exists, which is the goal.
                    current = await _registry.GetGroupAsync(want.Name, ct).ConfigureAwait(false)
                              ?? throw new RegistryException(RegistryErrorKind.Conflict,
                                  $"Model group '{want.Name}' was reported as existing but cannot be read.", want.Name, ex.ServiceCode, ex.RequestId, ex);
                }
            }

            if (!force) return new ModelGroupChangeResult(current, GroupChange.Existed);
            return await ReapplyAsync(current, want, ct).ConfigureAwait(false);
        }

        private async Task<ModelGroupChangeResult> ReapplyAsync(ModelGroup current, DesiredGroup want, CancellationToken ct)
        {
            var tags = current.Tags ?? await _registry.GetTagsAsync(current.Arn, ct).ConfigureAwait(false);
            var differing = want.Tags
                .Where(t => !tags.TryGetValue(t.Key, out var value) || value != t.Value)
                .ToDictionary(t => t.Key, t => t.Value);

            var notes = new List<string>();
            if (differing.Count > 0)
            {
                await _registry.AddTagsAsync(current.Arn, differing, ct).ConfigureAwait(false);
                notes.Add("tags re-applied: " + string.Join(", ", differing.Keys));
            }
            // SageMaker has no call that changes a group's description; say so rather than pretend.
            if (!string.Equals(current.Description ?? "", want.Description, StringComparison.Ordinal))
                notes.Add($"description differs ('{current.Description}'); SageMaker cannot change it without re-creating the group");

            var merged = new Dictionary<string, string>();
            foreach (var t in tags) merged[t.Key] = t.Value;
            foreach (var t in differing) merged[t.Key] = t.Value;
            var group = current.WithTags(merged);
            return differing.Count > 0
                ? new ModelGroupChangeResult(group, GroupChange.Updated, string.Join("; ", notes))
                : new ModelGroupChangeResult(group, GroupChange.Existed, notes.Count > 0 ? string.Join("; ", notes) : null);
        }

        /// <summary>Whether listing groups is permitted (verify.sh's list-model-package-groups --max-results 1).</summary>
        public async Task<(bool Permitted, string? Problem)> CheckListPermittedAsync(CancellationToken ct)
        {
            try
            {
                await _registry.ListGroupsAsync(null, null, 1, NameOrder.Ascending, ct).ConfigureAwait(false);
                return (true, null);
            }
            catch (RegistryException ex) when (ex.Kind == RegistryErrorKind.AccessDenied)
            {
                return (false, "listing model groups is not permitted: " + ex.Message);
            }
        }

        /// <summary>verify.sh for one group: it exists, and its versions counted per approval status (every page).</summary>
        public async Task<GroupTestResult> TestAsync(string name, bool? listPermitted, CancellationToken ct)
        {
            var result = new GroupTestResult { Name = name, ListPermitted = listPermitted };
            if (listPermitted == false) result.ProblemList.Add("listing model groups is not permitted");

            var group = await _registry.GetGroupAsync(name, ct).ConfigureAwait(false);
            if (group is null)
            {
                result.ProblemList.Add($"model group '{name}' does not exist in {_registry.Location}");
                return result;
            }
            result.Exists = true;
            var counts = await CountVersionsAsync(group.Name, ct).ConfigureAwait(false);
            result.Approved = counts.Approved;
            result.PendingManualApproval = counts.PendingManualApproval;
            result.Rejected = counts.Rejected;
            result.VersionCount = counts.Total;
            return result;
        }

        /// <summary>A group's versions counted per approval status, over every page (verify.sh stopped at the first).</summary>
        public async Task<VersionCounts> CountVersionsAsync(string group, CancellationToken ct)
        {
            int approved = 0, pending = 0, rejected = 0;
            foreach (var v in await _registry.ListAllVersionsAsync(new VersionQuery(group), ct).ConfigureAwait(false))
            {
                switch (v.Status)
                {
                    case ApprovalStatus.Approved: approved++; break;
                    case ApprovalStatus.Rejected: rejected++; break;
                    default: pending++; break;
                }
            }
            return new VersionCounts(approved, pending, rejected);
        }

        /// <summary>The rules a removal is judged by: the same list that judges removing one version.</summary>
        public VersionGuards Guards { get; } = new VersionGuards();

        /// <summary>
        /// Steps 1–2 of the one group-removal path (plan → refuse → delete versions → delete group), for
        /// Remove-MRModelGroup and Sync-MRModelGroup -Prune alike: reads the group and every version now, and judges
        /// removing each version by <see cref="Guards"/> (an Approved or deployed version keeps the group unless
        /// <paramref name="force"/>), after the caller's own <paramref name="blockers"/> for the group as read.
        /// Null when the group does not exist. Deletes nothing.
        /// </summary>
        public async Task<GroupRemovalPlan?> PlanRemovalAsync(string name, bool force, CancellationToken ct,
            Func<ModelGroup, IEnumerable<GroupBlocker>>? blockers = null)
        {
            var group = await _registry.GetGroupAsync(name, ct).ConfigureAwait(false);
            if (group is null) return null;
            var versions = await _registry.ListAllVersionsAsync(new VersionQuery(group.Name), ct).ConfigureAwait(false);
            var refusals = new List<(ModelVersion, RegistryException, bool)>();
            foreach (var v in versions)
                foreach (var (guard, error) in await Guards.RefusalsAsync(new VersionGuardContext(VersionChange.Remove, v, null, Deployed), force, ct).ConfigureAwait(false))
                    refusals.Add((v, error, guard.ForceOverrides));
            var all = (blockers?.Invoke(group) ?? Enumerable.Empty<GroupBlocker>()).Concat(GroupRemovalPlan.Fold(refusals)).ToList();
            return new GroupRemovalPlan(group, versions, all);
        }

        /// <summary>Step 3: deletes the plan's versions (bounded concurrency), an outcome each. A refused plan deletes nothing.</summary>
        public IEnumerable<BulkOutcome<ModelVersion, ModelVersion>> RemoveVersions(GroupRemovalPlan plan, BulkOptions bulk, CancellationToken ct)
        {
            if (plan.Refusal != null) throw plan.Refusal;
            return BulkRunner.Run(plan.Versions, async (v, token) =>
            {
                await _registry.DeleteVersionAsync(v.Arn, token).ConfigureAwait(false);
                return v;
            }, bulk, ct);
        }

        /// <summary>Step 4: deletes the group once every version went; otherwise Conflict saying how many remain.</summary>
        public async Task RemoveGroupAsync(GroupRemovalPlan plan, int versionsNotRemoved, CancellationToken ct)
        {
            if (plan.Refusal != null) throw plan.Refusal;
            if (versionsNotRemoved > 0 || ct.IsCancellationRequested)
                throw new RegistryException(RegistryErrorKind.Conflict,
                    $"Model group '{plan.Group.Name}' was not removed: {(versionsNotRemoved > 0 ? versionsNotRemoved.ToString(CultureInfo.InvariantCulture) : "some")} of its {plan.Versions.Count} version(s) remain.",
                    plan.Group.Name);
            await _registry.DeleteGroupAsync(plan.Group.Name, ct).ConfigureAwait(false);
        }

        /// <summary>Steps 3–4 for callers that neither ask nor show progress (GroupSync.Apply).</summary>
        public async Task RemoveAsync(GroupRemovalPlan plan, BulkOptions bulk, CancellationToken ct)
        {
            var notRemoved = RemoveVersions(plan, bulk, ct).Count(o => !o.Succeeded);
            await RemoveGroupAsync(plan, notRemoved, ct).ConfigureAwait(false);
        }
    }
}
