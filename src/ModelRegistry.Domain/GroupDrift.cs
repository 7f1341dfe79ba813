using System;
using System.Collections.Generic;

namespace ModelRegistry
{
    /// <summary>How a model group in the registry compares with the configuration.</summary>
    public enum GroupState
    {
        /// <summary>Configured, exists, description and configured tags match.</summary>
        InSync,
        /// <summary>Configured but does not exist.</summary>
        Missing,
        /// <summary>Carries this configuration's ManagedBy tag but is no longer configured.</summary>
        Extra,
        /// <summary>Configured and ours, but its description, configured tags or resource policy (its consumer accounts) differ.</summary>
        Drifted,
        /// <summary>Not ours: no ManagedBy tag, or another one. Reported, never touched.</summary>
        Foreign,
    }

    /// <summary>One entry of a desired-state plan: a group, its state, and exactly what differs.</summary>
    public sealed class GroupDrift
    {
        public GroupDrift(string name, GroupState state, IReadOnlyList<string> differences, TeamProject? desired,
            ModelGroup? actual, IReadOnlyDictionary<string, string>? tagRepairs = null, bool descriptionDiffers = false)
        {
            Name = name;
            State = state;
            Differences = differences;
            Desired = desired;
            Actual = actual;
            TagRepairs = TagSet.From(tagRepairs) ?? TagSet.Empty;
            DescriptionDiffers = descriptionDiffers;
        }

        public string Name { get; }
        public string GroupName => Name;
        public GroupState State { get; }
        /// <summary>What differs, one line each, e.g. <c>tag Team: 'x' → 'rc'</c>; for other states, why the state.</summary>
        public IReadOnlyList<string> Differences { get; }
        /// <summary>The configured project, when the group is configured.</summary>
        public TeamProject? Desired { get; }
        /// <summary>The group as it is in the registry (with its tags), when it exists.</summary>
        public ModelGroup? Actual { get; }
        /// <summary>Configured tags the group lacks or has with another value: what a sync sets.</summary>
        public TagSet TagRepairs { get; }
        /// <summary>SageMaker cannot change a group's description, so this part of a drift cannot be repaired in place.</summary>
        public bool DescriptionDiffers { get; }
        /// <summary>The group's ManagedBy tag, when it exists and has one.</summary>
        public string? ManagedBy => Actual?.Tags != null && Actual.Tags.TryGetValue("ManagedBy", out var v) ? v : null;
        /// <summary>AWS_ACCOUNT_ID of the configuration compared with; mutating cmdlets fed this entry refuse in another account.</summary>
        public string? ExpectedAccountId { get; internal set; }
        /// <summary>AWS_REGION of the configuration compared with.</summary>
        public string? ConfiguredRegion { get; internal set; }

        /// <summary>The group's resource policy differs from the configured consumer accounts (a "policy …" line in
        /// <see cref="Differences"/>): a sync sets it, or removes it when the team has no consumer accounts.</summary>
        public bool PolicyDiffers { get; private set; }
        /// <summary>The group's resource policy was not written by this module: a sync replaces it only with -Force.</summary>
        public bool PolicyNotManaged { get; private set; }

        /// <summary>This entry, marked as planned from a configuration naming this account and region.</summary>
        internal GroupDrift WithExpectedAccount(string? expectedAccountId, string? configuredRegion)
        {
            var copy = (GroupDrift)MemberwiseClone();
            copy.ExpectedAccountId = expectedAccountId;
            copy.ConfiguredRegion = configuredRegion;
            return copy;
        }

        /// <summary>This entry, Drifted by its resource policy as well: <paramref name="difference"/> says how.</summary>
        internal GroupDrift WithPolicyDifference(string difference, bool notManaged)
        {
            var differences = new List<string>(Differences) { difference };
            return new GroupDrift(Name, GroupState.Drifted, differences, Desired, Actual, TagRepairs, DescriptionDiffers)
            {
                ExpectedAccountId = ExpectedAccountId,
                ConfiguredRegion = ConfiguredRegion,
                PolicyDiffers = true,
                PolicyNotManaged = notManaged,
            };
        }

        public override string ToString() => $"{State} {Name}";
    }

    /// <summary>What Sync-MRModelGroup did to one group.</summary>
    public enum SyncAction
    {
        /// <summary>Nothing needed doing.</summary>
        None,
        Created,
        /// <summary>Configured tags were set again.</summary>
        Repaired,
        Removed,
        /// <summary>Left alone on purpose: foreign, extra without -Prune, declined, or a difference that cannot be repaired.</summary>
        Skipped,
        /// <summary>A safety rule stopped it (e.g. Approved versions without -Force); also written as an error.</summary>
        Refused,
        /// <summary>A call failed; also written as an error.</summary>
        Failed,
    }

    /// <summary>The result of syncing one group: its state before, the action taken, and what is left.</summary>
    public sealed class GroupSyncResult
    {
        public GroupSyncResult(GroupDrift drift, SyncAction action, ModelGroup? group, string? detail = null)
        {
            Drift = drift ?? throw new ArgumentNullException(nameof(drift));
            Action = action;
            Group = group;
            Detail = detail;
        }

        public string Name => Drift.Name;
        public string GroupName => Drift.Name;
        /// <summary>The state the plan found before anything was done.</summary>
        public GroupState State => Drift.State;
        public SyncAction Action { get; }
        public string? Detail { get; }
        /// <summary>The group as it is after the action; null when it does not exist (removed, or creation failed).</summary>
        public ModelGroup? Group { get; }
        public GroupDrift Drift { get; }
        /// <summary>The plan entry's <see cref="GroupDrift.ExpectedAccountId"/>, so the result binds to the next cmdlet with it.</summary>
        public string? ExpectedAccountId => Drift.ExpectedAccountId;
        /// <summary>The plan entry's <see cref="GroupDrift.ConfiguredRegion"/>.</summary>
        public string? ConfiguredRegion => Drift.ConfiguredRegion;

        public override string ToString() => $"{Action} {Name}";
    }
}
