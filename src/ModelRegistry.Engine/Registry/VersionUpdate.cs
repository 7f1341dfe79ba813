using System;
using System.Collections.Generic;
using System.Linq;
using System.Text.RegularExpressions;
using ModelRegistry.Engine.Config;

namespace ModelRegistry.Engine.Registry
{
    /// <summary>A version's lifecycle stage (AWS: ModelLifeCycle — Stage and StageStatus required, StageDescription optional).</summary>
    public sealed class VersionLifecycle
    {
        /// <summary>The stage status sent when a stage is set without one (ModelLifeCycle.StageStatus is required).</summary>
        public const string DefaultStageStatus = "Approved";

        public VersionLifecycle(string stage, string stageStatus, string? stageDescription = null)
        {
            Stage = stage;
            StageStatus = stageStatus;
            StageDescription = stageDescription;
        }

        /// <summary>AWS: ModelLifeCycle.Stage, e.g. "Staging".</summary>
        public string Stage { get; }
        /// <summary>AWS: ModelLifeCycle.StageStatus, e.g. "Approved", "InProgress".</summary>
        public string StageStatus { get; }
        /// <summary>AWS: ModelLifeCycle.StageDescription.</summary>
        public string? StageDescription { get; }

        // botocore EntityName (Stage, StageStatus): letters, digits, hyphens inside, 1–63.
        private static readonly Regex EntityName = new Regex(@"\A[a-zA-Z0-9](-*[a-zA-Z0-9]){0,62}\z", RegexOptions.CultureInvariant);

        /// <summary>True when <paramref name="name"/> is a valid stage or stage status (botocore EntityName).</summary>
        public static bool IsEntityName(string? name) => EntityName.IsMatch(name ?? "");

        /// <summary>Every way this lifecycle breaks SageMaker's limits (botocore ModelLifeCycle); empty when it can be sent.</summary>
        public IReadOnlyList<string> Problems()
        {
            var problems = new List<string>();
            if (!IsEntityName(Stage))
                problems.Add($"stage '{Stage}' is not a SageMaker stage name: 1 to 63 letters, digits and hyphens, starting and ending with a letter or digit");
            if (!IsEntityName(StageStatus))
                problems.Add($"stage status '{StageStatus}' is not a SageMaker stage status: 1 to 63 letters, digits and hyphens, starting and ending with a letter or digit");
            if (StageDescription != null && StageDescription.Length > VersionUpdate.MaxStageDescription)
                problems.Add($"the stage description is {StageDescription.Length} characters; SageMaker allows at most {VersionUpdate.MaxStageDescription}");
            if (StageDescription != null && StageDescription.IndexOfAny(new[] { '\r', '\n' }) >= 0)
                problems.Add("the stage description contains a line break, which SageMaker does not allow");
            return problems;
        }

        /// <summary>The lifecycle a registration asks for (AWS: CreateModelPackage ModelLifeCycle), with
        /// <see cref="DefaultStageStatus"/> when it gives no status; null when it names no stage.</summary>
        public static VersionLifecycle? Of(VersionSpec spec) =>
            spec?.Stage is null && spec?.StageStatus is null && spec?.StageDescription is null
                ? null
                : new VersionLifecycle(spec!.Stage ?? "", spec.StageStatus ?? DefaultStageStatus, spec.StageDescription);
    }

    /// <summary>
    /// One change to a version (AWS: UpdateModelPackage): only the members that are set are sent, so one call
    /// changes exactly what was asked. Approval, metadata and lifecycle all go through it.
    /// </summary>
    public sealed class VersionUpdate
    {
        public const int MaxMetadataEntries = 50;
        public const int MaxApprovalDescription = 1024;
        public const int MaxStageDescription = 1024;

        /// <summary>AWS: ModelApprovalStatus; null leaves it.</summary>
        public ApprovalStatus? Status { get; set; }
        /// <summary>AWS: ApprovalDescription; null leaves the previous one (SageMaker keeps it).</summary>
        public string? ApprovalDescription { get; set; }
        /// <summary>AWS: CustomerMetadataProperties — keys added or overwritten; the others stay.</summary>
        public IReadOnlyDictionary<string, string>? CustomerMetadata { get; set; }
        /// <summary>AWS: CustomerMetadataPropertiesToRemove.</summary>
        public IReadOnlyCollection<string>? RemoveCustomerMetadata { get; set; }
        /// <summary>AWS: ModelLifeCycle; null leaves the stage.</summary>
        public VersionLifecycle? Lifecycle { get; set; }

        /// <summary>An approval change: status and, when given, the reason.</summary>
        public static VersionUpdate Approval(ApprovalStatus status, string? reason) =>
            new VersionUpdate { Status = status, ApprovalDescription = reason };

        /// <summary>This update with another lifecycle (the other members shared, not copied).</summary>
        public VersionUpdate WithLifecycle(VersionLifecycle? lifecycle) => new VersionUpdate
        {
            Status = Status,
            ApprovalDescription = ApprovalDescription,
            CustomerMetadata = CustomerMetadata,
            RemoveCustomerMetadata = RemoveCustomerMetadata,
            Lifecycle = lifecycle,
        };

        /// <summary>True when nothing would change.</summary>
        public bool IsEmpty =>
            Status is null && ApprovalDescription is null && (CustomerMetadata is null || CustomerMetadata.Count == 0)
            && (RemoveCustomerMetadata is null || RemoveCustomerMetadata.Count == 0) && Lifecycle is null;

        /// <summary>Every problem with the update, in SageMaker's limits (botocore UpdateModelPackageInput); empty when it can be sent.</summary>
        public IReadOnlyList<string> Problems()
        {
            var problems = new List<string>();
            void Add(string? p) { if (p != null) problems.Add(p); }
            if (IsEmpty) problems.Add("nothing to change");
            if (ApprovalDescription != null && ApprovalDescription.Length > MaxApprovalDescription)
                problems.Add($"the approval reason is {ApprovalDescription.Length} characters; SageMaker allows at most {MaxApprovalDescription}");
            if (CustomerMetadata != null)
            {
                if (CustomerMetadata.Count > MaxMetadataEntries)
                    problems.Add($"{CustomerMetadata.Count} customer metadata entries; SageMaker allows at most {MaxMetadataEntries} in one update");
                foreach (var kv in CustomerMetadata)
                {
                    Add(Naming.CheckMetadataKey(kv.Key));
                    Add(Naming.CheckMetadataValue(kv.Key, kv.Value));
                }
            }
            if (RemoveCustomerMetadata != null)
            {
                foreach (var key in RemoveCustomerMetadata) Add(Naming.CheckMetadataKey(key));
                if (CustomerMetadata != null)
                {
                    var both = RemoveCustomerMetadata.Where(k => k != null && CustomerMetadata.ContainsKey(k)).ToList();
                    if (both.Count > 0) problems.Add($"customer metadata {string.Join(", ", both.Select(k => $"'{k}'"))} is both set and removed");
                }
            }
            if (Lifecycle != null) problems.AddRange(Lifecycle.Problems());
            return problems;
        }

        /// <summary>Throws Invalid naming every problem, before any call is made.</summary>
        public void Validate(string arn)
        {
            var problems = Problems();
            if (problems.Count > 0)
                throw new RegistryException(RegistryErrorKind.Invalid,
                    $"Cannot update '{arn}': {string.Join("; ", problems)}. Nothing was changed.", arn);
        }

        /// <summary>Applies this update to a copy of <paramref name="version"/>: the version as it is after the update.</summary>
        public ModelVersion ApplyTo(ModelVersion version, DateTime? modified)
        {
            if (version is null) throw new ArgumentNullException(nameof(version));
            var now = version.Clone();
            if (Status.HasValue) now.Status = Status.Value;
            if (ApprovalDescription != null) now.ApprovalDescription = ApprovalDescription;
            if (CustomerMetadata?.Count > 0 || RemoveCustomerMetadata?.Count > 0)
            {
                var metadata = new Dictionary<string, string>(StringComparer.Ordinal);
                foreach (var kv in version.CustomerMetadata ?? TagSet.Empty) metadata[kv.Key] = kv.Value;
                foreach (var key in RemoveCustomerMetadata ?? Array.Empty<string>()) metadata.Remove(key);
                foreach (var kv in CustomerMetadata ?? new Dictionary<string, string>()) metadata[kv.Key] = kv.Value;
                now.CustomerMetadata = new TagSet(metadata);
            }
            if (Lifecycle != null)
            {
                now.Stage = Lifecycle.Stage;
                now.StageStatus = Lifecycle.StageStatus;
                now.StageDescription = Lifecycle.StageDescription;
            }
            if (modified.HasValue) now.LastModifiedUtc = modified;
            return now;
        }
    }
}
