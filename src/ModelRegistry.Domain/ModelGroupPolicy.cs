using System;
using System.Collections.Generic;

namespace ModelRegistry
{
    /// <summary>A model group's resource policy (AWS: GetModelPackageGroupPolicy) and whom it shares the group with.</summary>
    public sealed class ModelGroupPolicy
    {
        public ModelGroupPolicy(string groupName, string? document, IReadOnlyList<string> consumerAccounts, bool allowsApproval, bool isManaged)
        {
            GroupName = groupName;
            Document = document;
            ConsumerAccounts = consumerAccounts ?? Array.Empty<string>();
            AllowsApproval = allowsApproval;
            IsManaged = isManaged;
        }

        /// <summary>The model group; also <see cref="Name"/>, so the object binds to the group cmdlets' -Name.</summary>
        public string GroupName { get; }
        public string Name => GroupName;
        /// <summary>The policy document (JSON) as the registry holds it; null when the group has no policy.</summary>
        public string? Document { get; }
        /// <summary>True when the group has a resource policy.</summary>
        public bool HasPolicy => Document != null;
        /// <summary>The accounts the module's statements share the group with (empty when the policy was not written by this module).</summary>
        public IReadOnlyList<string> ConsumerAccounts { get; }
        /// <summary>The consumer accounts may also approve and reject versions (UpdateModelPackage; Set-MRModelGroupPolicy -AllowApproval).</summary>
        public bool AllowsApproval { get; }
        /// <summary>Written by this module (a statement Sid starts with "ModelRegistry"). A policy that is not is never replaced or removed without -Force.</summary>
        public bool IsManaged { get; }
        /// <summary>AWS_ACCOUNT_ID of the configuration the group was reached from; mutating cmdlets fed this object refuse in another account.</summary>
        public string? ExpectedAccountId { get; private set; }
        /// <summary>AWS_REGION of the configuration the group was reached from.</summary>
        public string? ConfiguredRegion { get; private set; }

        /// <summary>This policy, carrying the account and region of the configuration it was reached from.</summary>
        internal ModelGroupPolicy WithExpectedAccount(string? expectedAccountId, string? configuredRegion)
        {
            var copy = (ModelGroupPolicy)MemberwiseClone();
            copy.ExpectedAccountId = expectedAccountId;
            copy.ConfiguredRegion = configuredRegion;
            return copy;
        }

        public override string ToString() => GroupName;
    }
}
