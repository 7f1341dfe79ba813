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
            CreatedUtc = Times.Utc(created);
            LastModifiedUtc = Times.Utc(lastModified);
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
        /// <summary>Creation time of the version, local; <see cref="CreatedUtc"/> is the same instant in UTC.</summary>
        public DateTime? Created => Times.Local(CreatedUtc);
        /// <summary>Creation time of the version, UTC.</summary>
        public DateTime? CreatedUtc { get; }
        /// <summary>Last change of the version (its approval, usually), local.</summary>
        public DateTime? LastModified => Times.Local(LastModifiedUtc);
        /// <summary>Last change of the version, UTC.</summary>
        public DateTime? LastModifiedUtc { get; }
        /// <summary>AWS: ModelLifeCycle.Stage, when set.</summary>
        public string? Stage { get; }
        /// <summary>The gate rules that held when the version was approved (from its approval description), e.g. "auc &gt;= 0.9".</summary>
        public IReadOnlyList<string> GateRules { get; }
        /// <summary>The version's value of each metric any version of its group was gated on (null when it has none).</summary>
        public IReadOnlyDictionary<string, double?> GatedMetrics { get; }

        public override string ToString() => $"{GroupName} version {Version} ({Status})";
    }
}
