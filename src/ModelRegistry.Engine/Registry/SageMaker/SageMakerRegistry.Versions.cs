using System;
using ModelRegistry.Engine.Diagnostics;
using System.Diagnostics;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;
using Amazon.SecurityToken;
using Amazon.SecurityToken.Model;
using ModelRegistry.Engine.Metrics;

namespace ModelRegistry.Engine.Registry.SageMaker
{
    /// <summary>Versions: ListModelPackages, DescribeModelPackage, CreateModelPackage (client token in customer metadata), UpdateModelPackage, DeleteModelPackage.</summary>
    public sealed partial class SageMakerRegistry
    {
        // ---- versions -------------------------------------------------------------------------------

        public async Task<Page<ModelVersion>> ListVersionsAsync(VersionQuery query, string? nextToken, CancellationToken ct)
        {
            if (query is null) throw new ArgumentNullException(nameof(query));
            RequestChecks.GroupName(query.GroupName);
            var body = await CallAsync("ListModelPackages", w =>
            {
                w.WriteString("ModelPackageGroupName", query.GroupName);
                // SageMaker's default is Unversioned; a group's versions are Versioned packages.
                w.WriteString("ModelPackageType", "Versioned");
                w.WriteNumber("MaxResults", Clamp(query.PageSize, 1, 100));
                if (query.Status.HasValue) w.WriteString("ModelApprovalStatus", WireStatus(query.Status.Value));
                if (query.CreatedAfter.HasValue) w.WriteNumber("CreationTimeAfter", EpochSeconds(query.CreatedAfter.Value));
                if (query.CreatedBefore.HasValue) w.WriteNumber("CreationTimeBefore", EpochSeconds(query.CreatedBefore.Value));
                w.WriteString("SortBy", "CreationTime");
                w.WriteString("SortOrder", query.Descending ? "Descending" : "Ascending");
                if (!string.IsNullOrEmpty(nextToken)) w.WriteString("NextToken", nextToken);
            }, query.GroupName, ct).ConfigureAwait(false);

            var versions = Items(body, "ModelPackageSummaryList").Select(s => ToVersion(s, query.GroupName)).ToList();
            var token = NextToken(body);
            // A missing group may list as empty; only then is it worth one describe to tell the two apart.
            if (versions.Count == 0 && string.IsNullOrEmpty(nextToken))
            {
                var group = await CallOrNullAsync("DescribeModelPackageGroup",
                    w => w.WriteString("ModelPackageGroupName", query.GroupName), query.GroupName, ct).ConfigureAwait(false);
                if (group is null)
                    throw new RegistryException(RegistryErrorKind.NotFound,
                        $"Model group '{query.GroupName}' does not exist.", query.GroupName);
            }
            return new Page<ModelVersion>(versions, token);
        }

        public async Task<ModelVersion?> GetVersionAsync(string arn, CancellationToken ct)
        {
            var body = await CallOrNullAsync("DescribeModelPackage", w => w.WriteString("ModelPackageName", arn), arn, ct)
                .ConfigureAwait(false);
            return body is null ? null : ToDetailedVersion(body.Value);
        }

        /// <summary>One CreateModelPackage call; the result is built from the spec and the returned ARN
        /// (not re-read: bulk registration would pay double), so it is not <see cref="ModelVersion.IsDetailed"/>;
        /// CreateModelPackage returns no times, so its creation time is when the reply came. After an ambiguous failure,
        /// a spec carrying its client token in customer metadata is looked up before any re-send: SageMaker honours
        /// ClientToken, but moto ignores it and would register a second version.</summary>
        public Task<ModelVersion> RegisterVersionAsync(VersionSpec spec, CancellationToken ct)
        {
            if (spec is null) throw new ArgumentNullException(nameof(spec));
            // SageMaker reads metrics files from S3 only; file:// sources are the Local registry's offline form.
            var local = MetricsSources.Of(spec).FirstOrDefault(x => MetricsSources.IsFileUri(x.Uri));
            if (local != null)
                throw new RegistryException(RegistryErrorKind.Invalid,
                    $"{MetricsSources.ParameterOf(local.Kind)} '{local.Uri}': SageMaker takes metrics files from S3 (s3://bucket/key); file:// paths are for a Local registry. Nothing was registered.", spec.GroupName);
            var started = DateTime.UtcNow;
            string? token = null;
            if (!string.IsNullOrEmpty(spec.ClientToken) &&
                spec.CustomerMetadata.TryGetValue(VersionLookup.ClientTokenKey, out var t) && t == spec.ClientToken)
                token = t;
            return _retry.ExecuteAsync(async ctoken =>
            {
                var body = await SendAsync("CreateModelPackage", w => WriteCreateModelPackage(w, spec), spec.GroupName, ctoken)
                    .ConfigureAwait(false);
                var arn = Str(body, "ModelPackageArn") ?? "";
                Learn(arn);
                return new ModelVersion
                {
                    GroupName = spec.GroupName,
                    Arn = arn,
                    Version = VersionFromArn(arn),
                    Status = spec.ApprovalStatus,
                    Description = spec.Description,
                    ImageUri = spec.ImageUri,
                    ModelDataUrl = spec.ModelDataUrl,
                    ContentTypes = spec.ContentTypes.ToList(),
                    ResponseTypes = spec.ResponseTypes.ToList(),
                    InferenceInstanceTypes = spec.InferenceInstanceTypes.ToList(),
                    TransformInstanceTypes = spec.TransformInstanceTypes.ToList(),
                    ModelStatisticsUri = spec.ModelStatisticsUri,
                    ModelStatisticsContentType = spec.ModelStatisticsUri is null ? null : StatisticsContentType(spec),
                    MetricsSources = MetricsSources.Of(spec),
                    CustomerMetadata = new TagSet(spec.CustomerMetadata),
                    // As sent (VersionLifecycle.Of: a stage without a status goes with the default one).
                    Stage = VersionLifecycle.Of(spec)?.Stage,
                    StageStatus = VersionLifecycle.Of(spec)?.StageStatus,
                    StageDescription = VersionLifecycle.Of(spec)?.StageDescription,
                    CreatedUtc = DateTime.UtcNow,
                    LastModifiedUtc = DateTime.UtcNow,
                };
            }, Idempotency.Create, token is null ? null : async ctoken =>
            {
                var earlier = await VersionLookup.FindByTokenAsync(this, spec.GroupName, token, started, ctoken).ConfigureAwait(false);
                return (earlier != null, earlier!);
            }, ct, "CreateModelPackage");
        }

        /// <summary>One UpdateModelPackage carrying exactly the members the update sets: SageMaker leaves the
        /// others as they are (moto does not: it clears ApprovalDescription, CustomerMetadataProperties and the
        /// status when they are omitted, and ignores ModelLifeCycle).</summary>
        public async Task<ModelVersion> UpdateVersionAsync(string arn, VersionUpdate update, CancellationToken ct)
        {
            if (update is null) throw new ArgumentNullException(nameof(update));
            update.Validate(arn);
            await CallAsync("UpdateModelPackage", w => WriteUpdateModelPackage(w, arn, update), arn, ct).ConfigureAwait(false);
            // One call, not update + describe: bulk approvals would pay double. Callers that hold the version
            // merge the update into it (ModelVersionOperations).
            var known = new ModelVersion
            {
                Arn = arn,
                GroupName = GroupFromArn(arn),
                Version = VersionFromArn(arn),
            };
            return update.ApplyTo(known, DateTime.UtcNow);
        }

        private static void WriteUpdateModelPackage(Utf8JsonWriter w, string arn, VersionUpdate update)
        {
            w.WriteString("ModelPackageArn", arn);
            if (update.Status.HasValue) w.WriteString("ModelApprovalStatus", WireStatus(update.Status.Value));
            if (update.ApprovalDescription != null) w.WriteString("ApprovalDescription", update.ApprovalDescription);
            if (update.CustomerMetadata?.Count > 0)
            {
                w.WriteStartObject("CustomerMetadataProperties");
                foreach (var p in update.CustomerMetadata) w.WriteString(p.Key, p.Value);
                w.WriteEndObject();
            }
            if (update.RemoveCustomerMetadata?.Count > 0)
            {
                w.WriteStartArray("CustomerMetadataPropertiesToRemove");
                foreach (var key in update.RemoveCustomerMetadata) w.WriteStringValue(key);
                w.WriteEndArray();
            }
            WriteLifecycle(w, update.Lifecycle);
        }

        /// <summary>The request of a listing by name (ListModelPackageGroups, ListEndpoints): one page, by name.</summary>
        private static void WriteNameListing(Utf8JsonWriter w, string? nameContains, string? nextToken, int pageSize, NameOrder order = NameOrder.Ascending)
        {
            w.WriteNumber("MaxResults", pageSize);
            if (!string.IsNullOrEmpty(nameContains)) w.WriteString("NameContains", nameContains);
            if (!string.IsNullOrEmpty(nextToken)) w.WriteString("NextToken", nextToken);
            w.WriteString("SortBy", "Name");
            w.WriteString("SortOrder", order == NameOrder.Descending ? "Descending" : "Ascending");
        }

        private static string GroupFromArn(string arn)
        {
            var slash = arn.LastIndexOf('/');
            var start = arn.IndexOf(":model-package/", StringComparison.Ordinal);
            return start < 0 || slash <= start ? "" : arn.Substring(start + ":model-package/".Length, slash - start - ":model-package/".Length);
        }

        public Task DeleteVersionAsync(string arn, CancellationToken ct) =>
            CallAsync("DeleteModelPackage", w => w.WriteString("ModelPackageName", arn), arn, ct, Idempotency.Delete);
    }
}
