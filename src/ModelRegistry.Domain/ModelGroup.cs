using System;
using System.Collections.Generic;

namespace ModelRegistry
{
    /// <summary>A model group (AWS: ModelPackageGroup).</summary>
    public sealed class ModelGroup
    {
        public ModelGroup(string name, string arn, string? description, DateTime? created, string? status,
            IReadOnlyDictionary<string, string>? tags = null)
        {
            Name = name;
            Arn = arn;
            Description = description;
            CreatedUtc = Times.Utc(created);
            Status = status;
            Tags = TagSet.From(tags);
        }

        public string Name { get; }
        /// <summary>Alias of <see cref="Name"/> so a group binds to cmdlets that take -GroupName.</summary>
        public string GroupName => Name;
        public string Arn { get; }
        public string? Description { get; }
        /// <summary>Creation time, local (AWS: CreationTime); <see cref="CreatedUtc"/> is the same instant in UTC.</summary>
        public DateTime? Created => Times.Local(CreatedUtc);
        /// <summary>Creation time, UTC.</summary>
        public DateTime? CreatedUtc { get; }
        /// <summary>AWS: ModelPackageGroupStatus (Completed, Pending, InProgress, Failed, Deleting, DeleteFailed).</summary>
        public string? Status { get; }
        /// <summary>Tags, when they were read (listing groups does not return them).</summary>
        public TagSet? Tags { get; }

        /// <summary>How many versions the group holds per approval status, when they were counted (-IncludeVersionCount).</summary>
        public VersionCounts? Versions { get; internal set; }

        /// <summary>AWS_ACCOUNT_ID of the .env.shared this group was reached from (Get-MRProject | …); null when none.
        /// Every mutating cmdlet fed this object refuses to act when the caller's account is another.</summary>
        public string? ExpectedAccountId { get; internal set; }
        /// <summary>AWS_REGION of the .env.shared this group was reached from; used when nothing more explicit names a region.</summary>
        public string? ConfiguredRegion { get; internal set; }

        internal ModelGroup WithTags(IReadOnlyDictionary<string, string> tags) => Copy(tags, Versions);

        internal ModelGroup WithVersions(VersionCounts counts) => Copy(Tags, counts);

        /// <summary>This group, marked as reached from a configuration naming this account and region (null keeps none).</summary>
        internal ModelGroup WithExpectedAccount(string? expectedAccountId, string? configuredRegion)
        {
            var copy = Copy(Tags, Versions);
            copy.ExpectedAccountId = expectedAccountId;
            copy.ConfiguredRegion = configuredRegion;
            return copy;
        }

        private ModelGroup Copy(IReadOnlyDictionary<string, string>? tags, VersionCounts? versions) =>
            new ModelGroup(Name, Arn, Description, CreatedUtc, Status, tags)
            {
                Versions = versions,
                ExpectedAccountId = ExpectedAccountId,
                ConfiguredRegion = ConfiguredRegion,
            };

        public override string ToString() => Name;
    }

    /// <summary>A group's versions counted per approval status.</summary>
    public sealed class VersionCounts
    {
        public VersionCounts(int approved, int pendingManualApproval, int rejected)
        {
            Approved = approved;
            PendingManualApproval = pendingManualApproval;
            Rejected = rejected;
        }

        public int Approved { get; }
        public int PendingManualApproval { get; }
        public int Rejected { get; }
        public int Total => Approved + PendingManualApproval + Rejected;

        public override string ToString()
        {
            if (Total == 0) return "0";
            var parts = new List<string>();
            if (Approved > 0) parts.Add($"{Approved} approved");
            if (PendingManualApproval > 0) parts.Add($"{PendingManualApproval} pending");
            if (Rejected > 0) parts.Add($"{Rejected} rejected");
            return $"{Total}: {string.Join(", ", parts)}";
        }
    }

    /// <summary>What New-MRModelGroup / Sync did to one group.</summary>
    public enum GroupChange
    {
        Created,
        Existed,
        Updated,
        Removed,
    }

    /// <summary>A group together with what was done to it.</summary>
    public sealed class ModelGroupChangeResult
    {
        public ModelGroupChangeResult(ModelGroup group, GroupChange change, string? detail = null)
        {
            Group = group;
            Change = change;
            Detail = detail;
        }

        public ModelGroup Group { get; }
        public GroupChange Change { get; }
        public string? Detail { get; }
        public string Name => Group.Name;
        public string GroupName => Group.Name;
        public string Arn => Group.Arn;
        public string? Description => Group.Description;
        public TagSet? Tags => Group.Tags;
        /// <summary>The group's <see cref="ModelGroup.ExpectedAccountId"/>, so the result binds to the next cmdlet with it.</summary>
        public string? ExpectedAccountId => Group.ExpectedAccountId;
        /// <summary>The group's <see cref="ModelGroup.ConfiguredRegion"/>.</summary>
        public string? ConfiguredRegion => Group.ConfiguredRegion;
        public override string ToString() => Name;
    }
}
