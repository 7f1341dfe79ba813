using System.Collections.Generic;

namespace ModelRegistry
{
    /// <summary>The result of checking one group, (Test-MRModelGroup).</summary>
    public sealed class GroupTestResult
    {
        public string Name { get; internal set; } = "";
        public string GroupName => Name;
        public bool Exists { get; internal set; }
        /// <summary>Whether listing groups is permitted (verify.sh: list-model-package-groups --max-results 1).</summary>
        public bool? ListPermitted { get; internal set; }
        public int? VersionCount { get; internal set; }
        public int? Approved { get; internal set; }
        public int? PendingManualApproval { get; internal set; }
        public int? Rejected { get; internal set; }
        /// <summary>What failed, one line each; empty when the group passed.</summary>
        public IReadOnlyList<string> Problems => ProblemList;
        internal List<string> ProblemList { get; } = new List<string>();
        public bool Passed => ProblemList.Count == 0;
        /// <summary>AWS_ACCOUNT_ID of the .env.shared the group was reached from; mutating cmdlets fed this result refuse in another account.</summary>
        public string? ExpectedAccountId { get; internal set; }
        /// <summary>AWS_REGION of the .env.shared the group was reached from.</summary>
        public string? ConfiguredRegion { get; internal set; }

        /// <summary>Marks this result as reached from a configuration naming this account and region.</summary>
        internal GroupTestResult WithExpectedAccount(string? expectedAccountId, string? configuredRegion)
        {
            ExpectedAccountId = expectedAccountId;
            ConfiguredRegion = configuredRegion;
            return this;
        }
        public override string ToString() => Name;
    }
}
