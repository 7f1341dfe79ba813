using System;
using System.Collections.Generic;

namespace ModelRegistry
{
    /// <summary>One registered version of a model in a group (AWS: ModelPackage / ModelPackageSummary, versioned).</summary>
    public sealed class ModelVersion
    {
        public string GroupName { get; internal set; } = "";
        /// <summary>AWS: ModelPackageVersion.</summary>
        public int Version { get; internal set; }
        /// <summary>AWS: ModelPackageArn.</summary>
        public string Arn { get; internal set; } = "";
        /// <summary>AWS: ModelApprovalStatus.</summary>
        public ApprovalStatus Status { get; internal set; }
        /// <summary>Creation time, local (AWS: CreationTime); <see cref="CreatedUtc"/> is the same instant in UTC.</summary>
        public DateTime? Created => Times.Local(CreatedUtc);
        /// <summary>Creation time, UTC.</summary>
        public DateTime? CreatedUtc { get; internal set; }
        /// <summary>AWS: ModelPackageDescription.</summary>
        public string? Description { get; internal set; }
        /// <summary>AWS: ApprovalDescription — the reason given with the last approval change.</summary>
        public string? ApprovalDescription { get; internal set; }
        /// <summary>AWS: ModelPackageStatus (Pending, InProgress, Completed, Failed, Deleting).</summary>
        public string? PackageStatus { get; internal set; }
        /// <summary>First container image (InferenceSpecification.Containers[0].Image); filled by detailed reads.</summary>
        public string? ImageUri { get; internal set; }
        /// <summary>First container's ModelDataUrl; filled by detailed reads.</summary>
        public string? ModelDataUrl { get; internal set; }
        public IReadOnlyList<string>? ContentTypes { get; internal set; }
        public IReadOnlyList<string>? ResponseTypes { get; internal set; }
        public IReadOnlyList<string>? InferenceInstanceTypes { get; internal set; }
        public IReadOnlyList<string>? TransformInstanceTypes { get; internal set; }
        /// <summary>ModelMetrics.ModelQuality.Statistics.S3Uri.</summary>
        public string? ModelStatisticsUri { get; internal set; }
        public string? ModelStatisticsContentType { get; internal set; }
        /// <summary>Every metrics file the version names (AWS: ModelMetrics — model quality, data quality, bias,
        /// explainability); filled by detailed reads. Get-MRModelMetric reads them.</summary>
        public IReadOnlyList<MetricsSource>? MetricsSources { get; internal set; }
        /// <summary>AWS: CustomerMetadataProperties.</summary>
        public TagSet? CustomerMetadata { get; internal set; }
        /// <summary>AWS: ModelLifeCycle.Stage — the lifecycle stage (e.g. Staging, Production); null when none was set.</summary>
        public string? Stage { get; internal set; }
        /// <summary>AWS: ModelLifeCycle.StageStatus, e.g. Approved, InProgress.</summary>
        public string? StageStatus { get; internal set; }
        /// <summary>AWS: ModelLifeCycle.StageDescription.</summary>
        public string? StageDescription { get; internal set; }
        /// <summary>Last change, local (AWS: LastModifiedTime); <see cref="LastModifiedUtc"/> is the same instant in UTC.</summary>
        public DateTime? LastModified => Times.Local(LastModifiedUtc);
        /// <summary>Last change, UTC.</summary>
        public DateTime? LastModifiedUtc { get; internal set; }
        /// <summary>AWS: LastModifiedBy / CreatedBy user profile or ARN, when the service reports it.</summary>
        public string? LastModifiedBy { get; internal set; }
        /// <summary>AWS: CreatedBy (IAM identity ARN, else user profile), when the service reports it; the OS user on the Local registry.</summary>
        public string? CreatedBy { get; internal set; }
        /// <summary>True when the full description was read (Describe), not only the list summary.</summary>
        public bool IsDetailed { get; internal set; }

        /// <summary>AWS_ACCOUNT_ID of the .env.shared this version was reached from (Get-MRProject | …); null when none.
        /// Every mutating cmdlet fed this object refuses to act when the caller's account is another.</summary>
        public string? ExpectedAccountId { get; internal set; }
        /// <summary>AWS_REGION of the .env.shared this version was reached from; used when nothing more explicit names a region.</summary>
        public string? ConfiguredRegion { get; internal set; }

        /// <summary>A shallow copy, for "this version, with its new status".</summary>
        internal ModelVersion Clone() => (ModelVersion)MemberwiseClone();

        /// <summary>This version, marked as reached from a configuration naming this account and region (null keeps none).</summary>
        internal ModelVersion WithExpectedAccount(string? expectedAccountId, string? configuredRegion)
        {
            var copy = Clone();
            copy.ExpectedAccountId = expectedAccountId;
            copy.ConfiguredRegion = configuredRegion;
            return copy;
        }

        public override string ToString() => Arn;
    }

    /// <summary>What to register as a new version (AWS: CreateModelPackage input, versioned).</summary>
    public sealed class VersionSpec
    {
        public string GroupName { get; set; } = "";
        public string? ImageUri { get; set; }
        public string? ModelDataUrl { get; set; }
        public IReadOnlyList<string> ContentTypes { get; set; } = Array.Empty<string>();
        public IReadOnlyList<string> ResponseTypes { get; set; } = Array.Empty<string>();
        public IReadOnlyList<string> InferenceInstanceTypes { get; set; } = Array.Empty<string>();
        public IReadOnlyList<string> TransformInstanceTypes { get; set; } = Array.Empty<string>();
        public string? ModelStatisticsUri { get; set; }
        public string? ModelStatisticsContentType { get; set; }
        /// <summary>Further metrics files (AWS: ModelMetrics). A model quality statistics source here and
        /// <see cref="ModelStatisticsUri"/> together are an error: one file per kind.</summary>
        public IReadOnlyList<MetricsSource> MetricsSources { get; set; } = Array.Empty<MetricsSource>();
        public ApprovalStatus ApprovalStatus { get; set; } = ApprovalStatus.PendingManualApproval;
        public string? Description { get; set; }
        public IReadOnlyDictionary<string, string> CustomerMetadata { get; set; } = new Dictionary<string, string>();
        public IReadOnlyDictionary<string, string> Tags { get; set; } = new Dictionary<string, string>();
        /// <summary>Metric values measured by the caller (Register-MRModelVersion -Metric), kept in the version's customer
        /// metadata as "metric:&lt;name&gt;" entries.</summary>
        public IReadOnlyDictionary<string, double> Metrics { get; set; } = new Dictionary<string, double>();
        /// <summary>Idempotency token (AWS: ClientToken), 1–36 chars of [a-zA-Z0-9-].</summary>
        public string? ClientToken { get; set; }
        /// <summary>The lifecycle stage the version starts in (AWS: ModelLifeCycle.Stage); null for none.</summary>
        public string? Stage { get; set; }
        /// <summary>AWS: ModelLifeCycle.StageStatus; required with <see cref="Stage"/>.</summary>
        public string? StageStatus { get; set; }
        /// <summary>AWS: ModelLifeCycle.StageDescription.</summary>
        public string? StageDescription { get; set; }
    }
}
