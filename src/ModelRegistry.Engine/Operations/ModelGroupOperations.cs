using System;
using System.Collections.Generic;
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
        /// re-applied when <paramref name="force"/> is set. What exists is learned from one paged listing
        /// (not a describe per group) when there are several groups.
        /// </summary>
        public IEnumerable<BulkOutcome<DesiredGroup, ModelGroupChangeResult>> Ensure(
            IReadOnlyList<DesiredGroup> desired, bool force, BulkOptions bulk, CancellationToken ct)
        {
            Dictionary<string, ModelGroup>? existing = null;
            if (desired.Count >= ListInsteadOfDescribeThreshold)
            {
                existing = new Dictionary<string, ModelGroup>(StringComparer.OrdinalIgnoreCase);
                try
                {
                    foreach (var group in _registry.EnumerateGroups(null, ct)) existing[group.Name] = group;
                }
                catch (RegistryException ex)
                {
                    var notStarted = new RegistryException(ex.Kind,
                        $"Not attempted: the existing model groups could not be listed in {_registry.Location}: {ex.Message}",
                        ex.Target, ex.ServiceCode, ex.RequestId, ex);
                    return BulkRunner.FailAll<DesiredGroup, ModelGroupChangeResult>(desired, notStarted);
                }
            }

            return BulkRunner.Run(desired, (want, token) => EnsureOneAsync(want, existing, force, token), bulk, ct);
        }

        private async Task<ModelGroupChangeResult> EnsureOneAsync(
            DesiredGroup want, Dictionary<string, ModelGroup>? known, bool force, CancellationToken ct)
        {
            ModelGroup? current;
            if (known is null) current = await _registry.GetGroupAsync(want.Name, ct).ConfigureAwait(false);
            else known.TryGetValue(want.Name, out current);

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
                await _registry.ListGroupsAsync(null, null, 1, ct).ConfigureAwait(false);
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
            if (listPermitted == false) result.Problems.Add("listing model groups is not permitted");

            var group = await _registry.GetGroupAsync(name, ct).ConfigureAwait(false);
            if (group is null)
            {
                result.Problems.Add($"model group '{name}' does not exist in {_registry.Location}");
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

        /// <summary>What removing a group takes: the group and every version in it. Null when the group does not exist.</summary>
        public async Task<GroupRemovalPlan?> PlanRemovalAsync(string name, CancellationToken ct)
        {
            var group = await _registry.GetGroupAsync(name, ct).ConfigureAwait(false);
            if (group is null) return null;
            var versions = await _registry.ListAllVersionsAsync(new VersionQuery(group.Name), ct).ConfigureAwait(false);
            var deployed = versions.Count == 0
                ? new List<(string, IReadOnlyList<string>)>()
                : await Deployed.InGroupAsync(group.Arn.Replace(":model-package-group/", ":model-package/") + "/", ct).ConfigureAwait(false);
            return new GroupRemovalPlan(group, versions, deployed);
        }

        /// <summary>Deletes the plan's versions (bounded concurrency), reporting each; the caller deletes the group after.</summary>
        public IEnumerable<BulkOutcome<ModelVersion, ModelVersion>> RemoveVersions(
            IReadOnlyList<ModelVersion> versions, BulkOptions bulk, CancellationToken ct) =>
            BulkRunner.Run(versions, async (v, token) =>
            {
                await _registry.DeleteVersionAsync(v.Arn, token).ConfigureAwait(false);
                return v;
            }, bulk, ct);

        public Task RemoveGroupAsync(string name, CancellationToken ct) => _registry.DeleteGroupAsync(name, ct);
    }

    /// <summary>A group and the versions that must go before it.</summary>
    public sealed class GroupRemovalPlan
    {
        public GroupRemovalPlan(ModelGroup group, IReadOnlyList<ModelVersion> versions,
            IReadOnlyList<(string VersionArn, IReadOnlyList<string> Endpoints)>? deployed = null)
        {
            Group = group;
            Versions = versions;
            Deployed = deployed ?? Array.Empty<(string, IReadOnlyList<string>)>();
        }

        public ModelGroup Group { get; }
        public IReadOnlyList<ModelVersion> Versions { get; }
        public IReadOnlyList<ModelVersion> Approved => Versions.Where(v => v.Status == ApprovalStatus.Approved).ToList();
        /// <summary>Versions of the group that serve endpoints, with the endpoints.</summary>
        public IReadOnlyList<(string VersionArn, IReadOnlyList<string> Endpoints)> Deployed { get; }

        /// <summary>Why the group must not go without -Force: Approved versions, deployed versions. Empty when nothing holds it.</summary>
        public IReadOnlyList<string> ReasonsToKeep()
        {
            var reasons = new List<string>();
            var approved = Approved;
            if (approved.Count > 0)
                reasons.Add($"it holds {approved.Count} Approved version(s) ({string.Join(", ", approved.Select(v => v.Version))})");
            if (Deployed.Count > 0)
                reasons.Add($"{Deployed.Count} of its version(s) serve endpoints ({string.Join("; ", Deployed.Select(d => $"{d.VersionArn.Substring(d.VersionArn.LastIndexOf('/') + 1)} → {string.Join(", ", d.Endpoints)}"))})");
            return reasons;
        }
    }
}
