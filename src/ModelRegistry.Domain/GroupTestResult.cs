using System.Collections.Generic;

namespace ModelRegistry
{
    /// <summary>The result of checking one group, as the seed's verify.sh does.</summary>
    public sealed class GroupTestResult
    {
        public string Name { get; set; } = "";
        public string GroupName => Name;
        public bool Exists { get; set; }
        /// <summary>Whether listing groups is permitted (verify.sh: list-model-package-groups --max-results 1).</summary>
        public bool? ListPermitted { get; set; }
        public int? VersionCount { get; set; }
        public int? Approved { get; set; }
        public int? PendingManualApproval { get; set; }
        public int? Rejected { get; set; }
        public List<string> Problems { get; } = new List<string>();
        public bool Passed => Problems.Count == 0;
        /// <summary>AWS_ACCOUNT_ID of the .env.shared the group was reached from; mutating cmdlets fed this result refuse in another account.</summary>
        public string? ExpectedAccountId { get; private set; }
        /// <summary>AWS_REGION of the .env.shared the group was reached from.</summary>
        public string? ConfiguredRegion { get; private set; }

        /// <summary>Marks this result as reached from a configuration naming this account and region.</summary>
        public GroupTestResult WithExpectedAccount(string? expectedAccountId, string? configuredRegion)
        {
            ExpectedAccountId = expectedAccountId;
            ConfiguredRegion = configuredRegion;
            return this;
        }
        public override string ToString() => Name;
    }
}
