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
        public override string ToString() => Name;
    }
}
