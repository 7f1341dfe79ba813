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
    /// <summary>A plan: one entry per group, plus the groups whose state could not be read.</summary>
    public sealed class DriftPlan
    {
        public DriftPlan(IReadOnlyList<GroupDrift> entries, IReadOnlyList<KeyValuePair<ModelGroup, Exception>> unreadable)
        {
            Entries = entries;
            Unreadable = unreadable;
        }

        /// <summary>Configured groups in configuration order, then Extra, then Foreign, each by name.</summary>
        public IReadOnlyList<GroupDrift> Entries { get; }
        /// <summary>Listed groups whose tags could not be read: left out of the plan, never treated as Missing.</summary>
        public IReadOnlyList<KeyValuePair<ModelGroup, Exception>> Unreadable { get; }

        public IEnumerable<GroupDrift> InState(GroupState state) => Entries.Where(e => e.State == state);
    }

    /// <summary>
    /// Compares the configuration with the registry. Two reads: one paged listing of every group, then the tags
    /// of every listed group (listing does not return tags).
    /// </summary>
    /// <remarks>
    /// Cost: ceil(groups/100) list calls plus one ListTags per group in the registry, at ThrottleLimit at a time.
    /// Reading only the configured groups' tags is not enough: whether an unconfigured group is Extra (ours) or
    /// Foreign is only in its ManagedBy tag, and a project removed from the file — even a whole team — leaves no
    /// trace in the name. SageMaker's Search (or the Resource Groups Tagging API) could find the ManagedBy-tagged
    /// groups in one paged call, but neither is in IModelRegistry and moto has neither; in an account with
    /// thousands of groups that is the place to save calls.
    /// </remarks>
    public sealed class GroupPlanner
    {
        private readonly IModelRegistry _registry;

        public GroupPlanner(IModelRegistry registry) { _registry = registry; }

        /// <summary>Every group in the registry (one paged listing; no tags yet).</summary>
        public IReadOnlyList<ModelGroup> ListGroups(CancellationToken ct) => _registry.EnumerateGroups(null, ct).ToList();

        /// <summary>Each group with its tags, read with bounded concurrency. A null result: the group was deleted
        /// since it was listed.</summary>
        public IEnumerable<BulkOutcome<ModelGroup, ModelGroup?>> ReadTags(IReadOnlyList<ModelGroup> groups, BulkOptions bulk, CancellationToken ct) =>
            BulkRunner.Run<ModelGroup, ModelGroup?>(groups, async (g, token) =>
            {
                if (g.Tags != null) return g;
                try
                {
                    return g.WithTags(await _registry.GetTagsAsync(g.Arn, token).ConfigureAwait(false));
                }
                catch (RegistryException ex) when (ex.Kind == RegistryErrorKind.NotFound)
                {
                    return null;
                }
            }, bulk, ct);

        /// <summary>The whole plan without progress reporting (engine callers, tests).</summary>
        public DriftPlan Plan(DesiredConfiguration config, BulkOptions bulk, CancellationToken ct)
        {
            var plan = Classify(config, ReadTags(ListGroups(ct), bulk, ct).ToList());
            return config.ComparesPolicies ? ComparePolicies(plan, ReadPolicies(PolicyEntries(plan), bulk, ct).ToList()) : plan;
        }

        /// <summary>The entries whose resource policy is compared: configured groups of ours that exist (InSync, Drifted).</summary>
        public static IReadOnlyList<GroupDrift> PolicyEntries(DriftPlan plan) =>
            plan.Entries.Where(e => (e.State == GroupState.InSync || e.State == GroupState.Drifted) && e.Desired != null && e.Actual != null).ToList();

        /// <summary>Each entry's current resource policy (null: none), read with bounded concurrency (AWS: GetModelPackageGroupPolicy).</summary>
        public IEnumerable<BulkOutcome<GroupDrift, string?>> ReadPolicies(IReadOnlyList<GroupDrift> entries, BulkOptions bulk, CancellationToken ct) =>
            BulkRunner.Run<GroupDrift, string?>(entries, (d, token) => _registry.GetGroupPolicyAsync(d.Name, token), bulk, ct);

        /// <summary>
        /// The plan with each read policy compared to the configured consumer accounts, by the one rule
        /// (<see cref="GroupPolicyOperations.Plan"/>): a policy that differs makes the entry Drifted with a "policy …"
        /// difference; a team without consumers and a group without a policy stay as they are; a policy the module did not
        /// write is reported (and only replaced by a sync with -Force). A group whose policy could not be read, or whose
        /// policy cannot be generated, leaves the plan as unreadable. Pure: no calls.
        /// </summary>
        public static DriftPlan ComparePolicies(DriftPlan plan, IEnumerable<BulkOutcome<GroupDrift, string?>> reads)
        {
            var changed = new Dictionary<GroupDrift, GroupDrift?>();
            var unreadable = new List<KeyValuePair<ModelGroup, Exception>>(plan.Unreadable);
            foreach (var read in reads)
            {
                var d = read.Input;
                try
                {
                    if (!read.Succeeded)
                        throw read.Error ?? new OperationCanceledException($"The resource policy of '{d.Name}' was not read: stopped.");
                    var policy = GroupPolicyOperations.Plan(d.Name, d.Actual!.Arn, read.Result, d.Desired!.ConsumerAccounts, allowApproval: false, force: false);
                    if (policy.Action != PolicyAction.None) changed[d] = d.WithPolicyDifference(policy.Difference!, policy.Refusal != null);
                }
                catch (Exception ex) when (ex is RegistryException || ex is OperationCanceledException)
                {
                    // Not judged is not InSync: left out of the plan, as a group whose tags could not be read.
                    changed[d] = null;
                    unreadable.Add(new KeyValuePair<ModelGroup, Exception>(d.Actual!, ex));
                }
            }
            var entries = plan.Entries.Select(e => changed.TryGetValue(e, out var c) ? c : e).Where(e => e != null).Select(e => e!).ToList();
            return new DriftPlan(entries, unreadable);
        }

        /// <summary>Builds the plan from the tag reads. Pure: no calls.</summary>
        public static DriftPlan Classify(DesiredConfiguration config, IEnumerable<BulkOutcome<ModelGroup, ModelGroup?>> reads)
        {
            var actual = new Dictionary<string, ModelGroup>(StringComparer.OrdinalIgnoreCase);
            var unreadable = new List<KeyValuePair<ModelGroup, Exception>>();
            var unreadableNames = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
            foreach (var read in reads)
            {
                if (read.Succeeded)
                {
                    if (read.Result != null && !actual.ContainsKey(read.Result.Name)) actual[read.Result.Name] = read.Result;
                    continue;
                }
                unreadable.Add(new KeyValuePair<ModelGroup, Exception>(read.Input,
                    read.Error ?? new OperationCanceledException($"The tags of '{read.Input.Name}' were not read: stopped.")));
                unreadableNames.Add(read.Input.Name);
            }

            var entries = new List<GroupDrift>();
            var configured = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
            foreach (var project in config.Projects)
            {
                configured.Add(project.GroupName);
                // A group we could not read is not Missing: creating it again would, on some emulators, replace it.
                if (unreadableNames.Contains(project.GroupName)) continue;
                entries.Add(actual.TryGetValue(project.GroupName, out var group)
                    ? CompareConfigured(project, group)
                    : new GroupDrift(project.GroupName, GroupState.Missing, new[] { "does not exist" }, project, null));
            }

            var ours = new HashSet<string>(config.ManagedBy, StringComparer.Ordinal);
            var others = actual.Values
                .Where(g => !configured.Contains(g.Name) && !config.IsOutOfScope(g.Name))
                .Select(g => Unconfigured(g, ours, config.ManagedBy))
                .OrderBy(d => d.State == GroupState.Extra ? 0 : 1)
                .ThenBy(d => d.Name, StringComparer.OrdinalIgnoreCase);
            entries.AddRange(others);
            return new DriftPlan(entries, unreadable);
        }

        private static GroupDrift Unconfigured(ModelGroup group, HashSet<string> ours, IReadOnlyList<string> managedBy)
        {
            var tag = ManagedByOf(group);
            if (tag != null && ours.Contains(tag))
                return new GroupDrift(group.Name, GroupState.Extra, new[] { $"ManagedBy '{tag}' but no longer configured" }, null, group);
            var why = tag is null ? "no ManagedBy tag" : $"ManagedBy '{tag}', not {string.Join(" or ", managedBy.Select(m => $"'{m}'"))}";
            return new GroupDrift(group.Name, GroupState.Foreign, new[] { why + "; never touched" }, null, group);
        }

        private static GroupDrift CompareConfigured(TeamProject project, ModelGroup group)
        {
            var tags = group.Tags ?? TagSet.Empty;
            var want = project.Tags.TryGetValue("ManagedBy", out var w) ? w : null;
            var have = ManagedByOf(group);
            if (want != null && have != want)
            {
                // Same name, someone else's group (or one made by hand before this configuration adopted it).
                // Taking it over is a decision for a person: New-MRModelGroup -Force adopts it explicitly.
                var why = have is null ? "no ManagedBy tag" : $"ManagedBy '{have}', not '{want}'";
                return new GroupDrift(project.GroupName, GroupState.Foreign,
                    new[] { $"{why}; configured in {project.SourcePath}:{project.SourceLine} but never touched (adopt it with New-MRModelGroup -Force)" },
                    project, group);
            }

            var differences = new List<string>();
            var repairs = new Dictionary<string, string>(StringComparer.Ordinal);
            // Only the configured keys are ours: other tags (cost allocation, other tools) are left alone.
            foreach (var t in project.Tags)
            {
                if (!tags.TryGetValue(t.Key, out var value))
                {
                    differences.Add($"tag {t.Key} missing (→ '{t.Value}')");
                    repairs[t.Key] = t.Value;
                }
                else if (!string.Equals(value, t.Value, StringComparison.Ordinal))
                {
                    differences.Add($"tag {t.Key}: '{value}' → '{t.Value}'");
                    repairs[t.Key] = t.Value;
                }
            }
            var descriptionDiffers = !string.Equals(group.Description ?? "", project.Description, StringComparison.Ordinal);
            if (descriptionDiffers)
                differences.Add($"description differs (cannot be changed in place): '{group.Description}' → '{project.Description}'");

            return new GroupDrift(project.GroupName, differences.Count == 0 ? GroupState.InSync : GroupState.Drifted,
                differences, project, group, repairs, descriptionDiffers);
        }

        internal static string? ManagedByOf(ModelGroup group) =>
            group.Tags != null && group.Tags.TryGetValue("ManagedBy", out var v) ? v : null;
    }
}
