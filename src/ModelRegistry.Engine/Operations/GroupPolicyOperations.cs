using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using ModelRegistry.Engine.Bulk;
using ModelRegistry.Engine.Iam;
using ModelRegistry.Engine.Registry;

namespace ModelRegistry.Engine.Operations
{
    /// <summary>What a group's resource policy needs.</summary>
    public enum PolicyAction
    {
        /// <summary>It already is what it should be (or it is not this module's to change).</summary>
        None,
        /// <summary>Set the desired document.</summary>
        Put,
        /// <summary>Remove the policy.</summary>
        Delete,
    }

    /// <summary>One group's policy: as it is, as it should be, what to do, and why not when a rule refuses.</summary>
    public sealed class GroupPolicyPlan
    {
        internal GroupPolicyPlan(string groupName, string? current, string? desired, PolicyAction action, string? difference, RegistryException? refusal)
        {
            GroupName = groupName;
            Current = current;
            Desired = desired;
            Action = action;
            Difference = difference;
            Refusal = refusal;
            Reading = GroupResourcePolicy.Read(current);
        }

        public string GroupName { get; }
        public string? Current { get; }
        /// <summary>The document to put; null when the group should have no policy.</summary>
        public string? Desired { get; }
        public PolicyAction Action { get; }
        /// <summary>What differs, for Compare-MRModelGroup ("policy …"); null when nothing does.</summary>
        public string? Difference { get; }
        /// <summary>Set when the change must not be made: the current policy was not written by this module and -Force was not given.</summary>
        public RegistryException? Refusal { get; }
        /// <summary>The current policy as read.</summary>
        public GroupResourcePolicy.Reading Reading { get; }

        /// <summary>The current policy as a domain object.</summary>
        public ModelGroupPolicy CurrentPolicy => ToPolicy(GroupName, Current);

        public static ModelGroupPolicy ToPolicy(string groupName, string? document)
        {
            var r = GroupResourcePolicy.Read(document);
            return new ModelGroupPolicy(groupName, document, r.ConsumerAccounts, r.AllowsApproval, r.IsManaged);
        }
    }

    /// <summary>
    /// Sharing model groups with consumer accounts: read each group's policy (bulk), plan the change by one rule, apply it
    /// (bulk). Set-, Remove-MRModelGroupPolicy and Sync-MRModelGroup all go through <see cref="Plan"/> /
    /// <see cref="PlanRemoval"/>, so "a policy this module did not write is never overwritten without -Force" holds for all.
    /// </summary>
    public sealed class GroupPolicyOperations
    {
        /// <summary>The ErrorId reason of the refusal to replace or remove a policy this module did not write.</summary>
        public const string PolicyNotManaged = nameof(PolicyNotManaged);

        private readonly IModelRegistry _registry;

        public GroupPolicyOperations(IModelRegistry registry) { _registry = registry; }

        /// <summary>Each group's current policy document (null: none), read with bounded concurrency.</summary>
        public IEnumerable<BulkOutcome<string, string?>> Read(IReadOnlyList<string> groupNames, BulkOptions bulk, CancellationToken ct) =>
            BulkRunner.Run<string, string?>(groupNames, (name, token) => _registry.GetGroupPolicyAsync(name, token), bulk, ct);

        /// <summary>
        /// The change that makes <paramref name="groupName"/> share with exactly <paramref name="consumerAccounts"/> (none: not
        /// shared, no policy). A current policy that grants the same needs nothing; a policy this module did not write is
        /// replaced only with <paramref name="force"/>, and is left alone when nothing is to be shared. Throws Invalid for an
        /// account that is not 12 digits or a document over SageMaker's limit.
        /// </summary>
        public static GroupPolicyPlan Plan(string groupName, string groupArn, string? current, IReadOnlyList<string> consumerAccounts,
            bool allowApproval, bool force)
        {
            var accounts = (consumerAccounts ?? Array.Empty<string>()).Distinct(StringComparer.Ordinal).OrderBy(a => a, StringComparer.Ordinal).ToList();
            var desired = accounts.Count == 0 ? null : GroupResourcePolicy.Build(groupArn, accounts, allowApproval);
            var reading = GroupResourcePolicy.Read(current);
            if (current is null && desired is null) return new GroupPolicyPlan(groupName, null, null, PolicyAction.None, null, null);
            if (current != null && !reading.IsManaged)
            {
                if (desired is null) return new GroupPolicyPlan(groupName, current, null, PolicyAction.None, null, null);
                var difference = $"policy not written by ModelRegistry (no Sid starting '{GroupResourcePolicy.SidPrefix}'): to share with {string.Join(", ", accounts)} it would be replaced, which needs -Force";
                return new GroupPolicyPlan(groupName, current, desired, PolicyAction.Put, difference, force ? null : NotManaged(groupName, "replace"));
            }
            if (desired != null && GroupResourcePolicy.SameGrants(current, desired))
                return new GroupPolicyPlan(groupName, current, desired, PolicyAction.None, null, null);

            var now = current is null ? "not shared" : "shared with " + Accounts(reading.ConsumerAccounts) + (reading.AllowsApproval ? " (approval allowed)" : "");
            var want = desired is null ? "not shared" : "shared with " + Accounts(accounts) + (allowApproval ? " (approval allowed)" : "");
            var what = now == want ? $"policy differs from the one generated for {Accounts(accounts)}" : $"policy: {now} → {want}";
            return new GroupPolicyPlan(groupName, current, desired, desired is null ? PolicyAction.Delete : PolicyAction.Put, what, null);
        }

        /// <summary>Removing the policy: nothing to do without one; a policy this module did not write only with <paramref name="force"/>.</summary>
        public static GroupPolicyPlan PlanRemoval(string groupName, string? current, bool force)
        {
            if (current is null) return new GroupPolicyPlan(groupName, null, null, PolicyAction.None, null, null);
            var reading = GroupResourcePolicy.Read(current);
            var refusal = reading.IsManaged || force ? null : NotManaged(groupName, "remove");
            return new GroupPolicyPlan(groupName, current, null, PolicyAction.Delete, "policy removed", refusal);
        }

        /// <summary>Applies planned changes (Put or Delete) with bounded concurrency; returns each group's policy afterwards.</summary>
        public IEnumerable<BulkOutcome<GroupPolicyPlan, ModelGroupPolicy>> Apply(IReadOnlyList<GroupPolicyPlan> plans, BulkOptions bulk, CancellationToken ct) =>
            BulkRunner.Run(plans, (plan, token) => ApplyAsync(plan, token), bulk, ct);

        /// <summary>One planned change; refused plans throw their refusal.</summary>
        public async Task<ModelGroupPolicy> ApplyAsync(GroupPolicyPlan plan, CancellationToken ct)
        {
            if (plan.Refusal != null) throw plan.Refusal;
            switch (plan.Action)
            {
                case PolicyAction.Put:
                    await _registry.PutGroupPolicyAsync(plan.GroupName, plan.Desired!, ct).ConfigureAwait(false);
                    return GroupPolicyPlan.ToPolicy(plan.GroupName, plan.Desired);
                case PolicyAction.Delete:
                    try
                    {
                        await _registry.DeleteGroupPolicyAsync(plan.GroupName, ct).ConfigureAwait(false);
                    }
                    catch (RegistryException e) when (e.Kind == RegistryErrorKind.NotFound)
                    {
                        // Gone since it was read: the policy, or the whole group (then say so).
                        if (await _registry.GetGroupAsync(plan.GroupName, ct).ConfigureAwait(false) is null) throw;
                    }
                    return GroupPolicyPlan.ToPolicy(plan.GroupName, null);
                default:
                    return plan.CurrentPolicy;
            }
        }

        private static string Accounts(IReadOnlyList<string> accounts) => accounts.Count == 0 ? "nobody" : string.Join(", ", accounts);

        /// <summary>The refusal to replace (<paramref name="verb"/> "replace") or remove ("remove") a policy this module did not write.</summary>
        public static RegistryException NotManaged(string groupName, string verb) =>
            new RegistryException(RegistryErrorKind.Conflict,
                $"Model group '{groupName}' has a resource policy that ModelRegistry did not write (no statement Sid starts with '{GroupResourcePolicy.SidPrefix}'); " +
                $"it was not {(verb == "replace" ? "replaced" : "removed")}. Use -Force to {verb} it.", groupName, reason: PolicyNotManaged);
    }
}
