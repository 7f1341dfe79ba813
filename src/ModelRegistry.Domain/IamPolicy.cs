using System;
using System.Collections.Generic;

namespace ModelRegistry
{
    /// <summary>IAM permission profiles for one project's model group.</summary>
    public enum IamPolicyRole
    {
        /// <summary>Registers versions: CreateModelPackage and reads.</summary>
        Publisher,
        /// <summary>Approves or rejects versions: UpdateModelPackage and reads.</summary>
        Approver,
        /// <summary>Deploys approved versions: reads, models, endpoint configs, endpoints, PassRole.</summary>
        Deployer,
        /// <summary>Everything above, plus deleting versions and the group, tagging, and sharing the group (its resource policy).</summary>
        Admin,
        /// <summary>For an account the group is shared with: describe the group and its versions, create a model from one.</summary>
        Consumer,
    }

    /// <summary>A least-privilege IAM policy document for one team × project.</summary>
    public sealed class IamPolicy
    {
        public string Team { get; internal set; } = "";
        public string Project { get; internal set; } = "";
        public string GroupName { get; internal set; } = "";
        public IamPolicyRole Role { get; internal set; }
        /// <summary>Suggested managed policy name, e.g. rc-fraud-detection-ModelRegistry-Approver.</summary>
        public string PolicyName { get; internal set; } = "";
        /// <summary>The policy document (JSON).</summary>
        public string Document { get; internal set; } = "";
        /// <summary>Size as IAM counts it (without whitespace); the managed policy limit is 6,144.</summary>
        public int Size { get; internal set; }
        /// <summary>The file it was written to (-OutDirectory), else null.</summary>
        public string? Path { get; internal set; }
        /// <summary>What the document cannot scope and why (e.g. List actions that IAM only grants on "*").</summary>
        public IReadOnlyList<string> Notes { get; internal set; } = Array.Empty<string>();
        public override string ToString() => PolicyName;
    }
}
