using System;
using System.Collections.Generic;

namespace ModelRegistry
{
    /// <summary>One version in an approval audit (Export-MRApprovalAudit): who did what, when, and on which evidence.</summary>
    public sealed class ApprovalAuditRecord
    {
        public ApprovalAuditRecord(string groupName, int version, string modelVersionArn, ApprovalStatus status, string? approvalDescription,
            string? createdBy, string? lastModifiedBy, DateTime? created, DateTime? lastModified, string? stage,
            IReadOnlyList<string> gateRules, IReadOnlyDictionary<string, double?> gatedMetrics)
        {
            GroupName = groupName;
            Version = version;
            ModelVersionArn = modelVersionArn;
            Status = status;
            ApprovalDescription = approvalDescription;
            CreatedBy = createdBy;
            LastModifiedBy = lastModifiedBy;
            Created = created;
            LastModified = lastModified;
            Stage = stage;
            GateRules = gateRules;
            GatedMetrics = gatedMetrics;
        }

        public string GroupName { get; }
        public int Version { get; }
        public string ModelVersionArn { get; }
        public ApprovalStatus Status { get; }
        /// <summary>AWS: ApprovalDescription — the reason, and for a gated approval the rules and values that held.</summary>
        public string? ApprovalDescription { get; }
        /// <summary>AWS: CreatedBy (IAM identity or user profile) where SageMaker returns it; the OS user on the Local registry.</summary>
        public string? CreatedBy { get; }
        /// <summary>AWS: LastModifiedBy (else CreatedBy); the OS user on the Local registry.</summary>
        public string? LastModifiedBy { get; }
        /// <summary>UTC.</summary>
        public DateTime? Created { get; }
        /// <summary>UTC.</summary>
        public DateTime? LastModified { get; }
        /// <summary>AWS: ModelLifeCycle.Stage, when set.</summary>
        public string? Stage { get; }
        /// <summary>The gate rules that held when the version was approved (from its approval description), e.g. "auc &gt;= 0.9".</summary>
        public IReadOnlyList<string> GateRules { get; }
        /// <summary>The version's value of each metric any version of its group was gated on (null when it has none).</summary>
        public IReadOnlyDictionary<string, double?> GatedMetrics { get; }

        public override string ToString() => $"{GroupName} version {Version} ({Status})";
    }
}
