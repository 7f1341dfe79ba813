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
    /// <summary>
    /// The model registry on Amazon SageMaker Model Registry (model package groups and versioned model
    /// packages). Wire shapes stay in this folder; callers see domain types and <see cref="RegistryException"/>.
    /// </summary>
    public sealed partial class SageMakerRegistry : IModelRegistry, IDeploymentTarget
    {
        private const int MaxTagsPerCall = 50;

        private readonly SageMakerConnection _connection;
        private readonly SageMakerClient _client;
        private readonly RetryPolicy _retry;
        private readonly object _stsLock = new object();
        private AmazonSecurityTokenServiceClient? _sts;
        private string? _account;

        public SageMakerRegistry(RegistryConnection options)
            : this(options, new SageMakerClientSettings())
        {
        }

        internal SageMakerRegistry(RegistryConnection options, SageMakerClientSettings settings)
        {
            if (options is null) throw new ArgumentNullException(nameof(options));
            settings ??= new SageMakerClientSettings();
            _connection = SageMakerConnection.Resolve(options, settings);
            _client = new SageMakerClient(_connection.Credentials, _connection.Config);
            _retry = new RetryPolicy(_connection.MaxRetries, settings.RetryBaseDelay, settings.MaxConcurrency, throttlePatience: settings.ThrottlePatience);
        }

        public string Region => _connection.Region;

        public string Location
        {
            get
            {
                var endpoint = _connection.EndpointUrl;
                return endpoint is null ? $"SageMaker {Region}" : $"SageMaker {Region} at {endpoint}";
            }
        }

        /// <summary>Built from the region and the caller's account. The account is learned from the ARNs the
        /// service returns; before any is seen, the first use asks STS once (then no call is made).</summary>
        public string GroupArn(string groupName)
        {
            var account = _account ?? GetCallerAccountAsync(CancellationToken.None).ConfigureAwait(false).GetAwaiter().GetResult();
            var partition = Region.StartsWith("cn-", StringComparison.Ordinal) ? "aws-cn"
                : Region.StartsWith("us-gov-", StringComparison.Ordinal) ? "aws-us-gov" : "aws";
            return $"arn:{partition}:sagemaker:{Region}:{account}:model-package-group/{groupName}";
        }

        // ---- groups ---------------------------------------------------------------------------------

        public async Task<ModelGroup?> GetGroupAsync(string name, CancellationToken ct)
        {
            RequestChecks.GroupName(name); // the one name rule, before any call (as Local checks it)
            var body = await CallOrNullAsync("DescribeModelPackageGroup", w => w.WriteString("ModelPackageGroupName", name), name, ct)
                .ConfigureAwait(false);
            if (body is null)
                return null;
            var group = ToGroup(body.Value);
            try
            {
                return group.WithTags(await GetTagsAsync(group.Arn, ct).ConfigureAwait(false));
            }
            catch (RegistryException e) when (e.Kind == RegistryErrorKind.NotFound)
            {
                return null; // deleted between the two calls
            }
        }

        public async Task<Page<ModelGroup>> ListGroupsAsync(string? nameContains, string? nextToken, int pageSize, CancellationToken ct)
        {
            RequestChecks.PageSize(pageSize);
            var body = await CallAsync("ListModelPackageGroups", w => WriteNameListing(w, nameContains, nextToken, pageSize), nameContains, ct)
                .ConfigureAwait(false);
            var groups = Items(body, "ModelPackageGroupSummaryList").Select(ToGroup).ToList();
            return new Page<ModelGroup>(groups, NextToken(body));
        }

        /// <summary>One call, no existence check first: bulk callers list first. (SageMaker answers
        /// ValidationException "already exists" → AlreadyExists; moto silently replaces the group.) After an
        /// ambiguous failure the group is looked up before any re-send, so a lost reply is not a second create.</summary>
        public Task<ModelGroup> CreateGroupAsync(string name, string description, IReadOnlyDictionary<string, string> tags, CancellationToken ct)
        {
            RequestChecks.NewGroup(name, description, tags);
            return _retry.ExecuteAsync(async token =>
            {
                var body = await SendAsync("CreateModelPackageGroup", w =>
                {
                    w.WriteString("ModelPackageGroupName", name);
                    if (!string.IsNullOrEmpty(description)) w.WriteString("ModelPackageGroupDescription", description);
                    WriteTags(w, tags);
                }, name, token).ConfigureAwait(false);
                var arn = Str(body, "ModelPackageGroupArn") ?? "";
                Learn(arn);
                var copy = (tags ?? new Dictionary<string, string>()).ToDictionary(t => t.Key, t => t.Value, StringComparer.Ordinal);
                return new ModelGroup(name, arn, string.IsNullOrEmpty(description) ? null : description, null, null, copy);
            }, Idempotency.Create, async token =>
            {
                var earlier = await GetGroupAsync(name, token).ConfigureAwait(false);
                return (earlier != null, earlier!);
            }, ct, "CreateModelPackageGroup");
        }

        public async Task DeleteGroupAsync(string name, CancellationToken ct)
        {
            RequestChecks.GroupName(name);
            await CallAsync("DeleteModelPackageGroup", w => w.WriteString("ModelPackageGroupName", name), name, ct, Idempotency.Delete).ConfigureAwait(false);
        }

        // ---- tags -----------------------------------------------------------------------------------

        public async Task<IReadOnlyDictionary<string, string>> GetTagsAsync(string arn, CancellationToken ct)
        {
            var tags = new Dictionary<string, string>(StringComparer.Ordinal);
            var walk = new RegistryExtensions.PageWalk("ListTags");
            string? token = null;
            do
            {
                var page = token;
                var body = await CallAsync("ListTags", w =>
                {
                    w.WriteString("ResourceArn", arn);
                    w.WriteNumber("MaxResults", 100);
                    if (page != null) w.WriteString("NextToken", page);
                }, arn, ct).ConfigureAwait(false);
                foreach (var tag in Items(body, "Tags"))
                {
                    var key = Str(tag, "Key");
                    if (key != null) tags[key] = Str(tag, "Value") ?? "";
                }
                token = walk.Next(NextToken(body));
            } while (token != null);
            return tags;
        }

        public async Task AddTagsAsync(string arn, IReadOnlyDictionary<string, string> tags, CancellationToken ct)
        {
            foreach (var chunk in Chunks(tags ?? new Dictionary<string, string>(), MaxTagsPerCall))
            {
                await CallAsync("AddTags", w =>
                {
                    w.WriteString("ResourceArn", arn);
                    WriteTags(w, chunk);
                }, arn, ct).ConfigureAwait(false);
            }
        }

        public async Task RemoveTagsAsync(string arn, IReadOnlyCollection<string> keys, CancellationToken ct)
        {
            foreach (var chunk in Chunks(keys ?? Array.Empty<string>(), MaxTagsPerCall))
            {
                await CallAsync("DeleteTags", w =>
                {
                    w.WriteString("ResourceArn", arn);
                    w.WriteStartArray("TagKeys");
                    foreach (var key in chunk) w.WriteStringValue(key);
                    w.WriteEndArray();
                }, arn, ct).ConfigureAwait(false);
            }
        }

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
        /// (not re-read), so it is not <see cref="ModelVersion.IsDetailed"/>. After an ambiguous failure, a spec
        /// carrying its client token in customer metadata is looked up before any re-send: SageMaker honours
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
                    CustomerMetadata = spec.CustomerMetadata.ToDictionary(p => p.Key, p => p.Value, StringComparer.Ordinal),
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
            if (update.Lifecycle != null)
            {
                w.WriteStartObject("ModelLifeCycle");
                w.WriteString("Stage", update.Lifecycle.Stage);
                w.WriteString("StageStatus", update.Lifecycle.StageStatus);
                if (update.Lifecycle.StageDescription != null) w.WriteString("StageDescription", update.Lifecycle.StageDescription);
                w.WriteEndObject();
            }
        }

        /// <summary>The request of a listing by name (ListModelPackageGroups, ListEndpoints): one page, name ascending.</summary>
        private static void WriteNameListing(Utf8JsonWriter w, string? nameContains, string? nextToken, int pageSize)
        {
            w.WriteNumber("MaxResults", pageSize);
            if (!string.IsNullOrEmpty(nameContains)) w.WriteString("NameContains", nameContains);
            if (!string.IsNullOrEmpty(nextToken)) w.WriteString("NextToken", nextToken);
            w.WriteString("SortBy", "Name");
            w.WriteString("SortOrder", "Ascending");
        }

        private static string GroupFromArn(string arn)
        {
            var slash = arn.LastIndexOf('/');
            var start = arn.IndexOf(":model-package/", StringComparison.Ordinal);
            return start < 0 || slash <= start ? "" : arn.Substring(start + ":model-package/".Length, slash - start - ":model-package/".Length);
        }

        public Task DeleteVersionAsync(string arn, CancellationToken ct) =>
            CallAsync("DeleteModelPackage", w => w.WriteString("ModelPackageName", arn), arn, ct, Idempotency.Delete);

        // ---- identity -------------------------------------------------------------------------------

        public async Task<string?> GetCallerAccountAsync(CancellationToken ct)
        {
            return await _retry.ExecuteAsync<string?>(async token =>
            {
                try
                {
                    var response = await Sts().GetCallerIdentityAsync(new GetCallerIdentityRequest(), token).ConfigureAwait(false);
                    _account = response.Account;
                    return response.Account;
                }
                catch (Exception e) when (!(e is OperationCanceledException && token.IsCancellationRequested))
                {
                    throw SageMakerErrors.ToRegistryException(e, "sts:GetCallerIdentity");
                }
            }, Idempotency.Safe, null, ct, "sts:GetCallerIdentity").ConfigureAwait(false);
        }

        public void Dispose()
        {
            _client.Dispose();
            lock (_stsLock) _sts?.Dispose();
        }

        // ---- the one call path ----------------------------------------------------------------------

        /// <summary>A call under the retry policy (creates use <see cref="RetryPolicy.ExecuteAsync"/> with a lookup).</summary>
        private Task<JsonElement> CallAsync(string operation, Action<Utf8JsonWriter> writeBody, string? target, CancellationToken ct,
            Idempotency idempotency = Idempotency.Safe) =>
            _retry.ExecuteAsync(token => SendAsync(operation, writeBody, target, token), idempotency, null, ct, operation);

        /// <summary>One attempt: the request is sent once, failures become <see cref="RegistryException"/>s.</summary>
        private async Task<JsonElement> SendAsync(string operation, Action<Utf8JsonWriter> writeBody, string? target, CancellationToken ct)
        {
            var call = new SageMakerCall(operation, writeBody);
            var clock = ServiceCallLog.IsListening ? Stopwatch.StartNew() : null;
            try
            {
                var reply = await _client.InvokeAsync(call, ct).ConfigureAwait(false);
                if (clock != null)
                    ServiceCallLog.Report(new ServiceCall("SageMaker", operation, target, clock.Elapsed, call.Attempts, reply.ResponseMetadata?.RequestId, null));
                return reply.Body;
            }
            catch (Exception e) when (!(e is OperationCanceledException && ct.IsCancellationRequested))
            {
                var error = SageMakerErrors.ToRegistryException(e, target);
                if (clock != null)
                    ServiceCallLog.Report(new ServiceCall("SageMaker", operation, target, clock.Elapsed, call.Attempts, error.RequestId, error.ServiceCode ?? error.Kind.ToString()));
                throw error;
            }
        }

        private async Task<JsonElement?> CallOrNullAsync(string operation, Action<Utf8JsonWriter> writeBody, string? target, CancellationToken ct)
        {
            try
            {
                return await CallAsync(operation, writeBody, target, ct).ConfigureAwait(false);
            }
            catch (RegistryException e) when (e.Kind == RegistryErrorKind.NotFound)
            {
                return null;
            }
        }

        private AmazonSecurityTokenServiceClient Sts()
        {
            lock (_stsLock)
            {
                return _sts ??= _connection.Credentials is null
                    ? new AmazonSecurityTokenServiceClient(_connection.StsConfig)
                    : new AmazonSecurityTokenServiceClient(_connection.Credentials, _connection.StsConfig);
            }
        }

        // ---- wire → domain --------------------------------------------------------------------------

        private ModelGroup ToGroup(JsonElement e)
        {
            var arn = Str(e, "ModelPackageGroupArn") ?? "";
            Learn(arn);
            return new ModelGroup(Str(e, "ModelPackageGroupName") ?? "", arn, Str(e, "ModelPackageGroupDescription"),
                Time(e, "CreationTime"), Str(e, "ModelPackageGroupStatus"));
        }

        private static ModelVersion ToVersion(JsonElement e, string groupName)
        {
            var arn = Str(e, "ModelPackageArn") ?? "";
            var v = new ModelVersion
            {
                GroupName = Str(e, "ModelPackageGroupName") ?? groupName,
                Arn = arn,
                Version = Int(e, "ModelPackageVersion") ?? VersionFromArn(arn),
                Status = DomainStatus(Str(e, "ModelApprovalStatus")),
                Created = Time(e, "CreationTime"),
                Description = Str(e, "ModelPackageDescription"),
                PackageStatus = Str(e, "ModelPackageStatus"),
            };
            // ModelLifeCycle comes with both the summary (ListModelPackages) and the description.
            if (e.ValueKind == JsonValueKind.Object && e.TryGetProperty("ModelLifeCycle", out var life) && life.ValueKind == JsonValueKind.Object)
            {
                v.Stage = Str(life, "Stage");
                v.StageStatus = Str(life, "StageStatus");
                v.StageDescription = Str(life, "StageDescription");
            }
            return v;
        }

        private static ModelVersion ToDetailedVersion(JsonElement e)
        {
            var v = ToVersion(e, "");
            v.IsDetailed = true;
            v.ApprovalDescription = Str(e, "ApprovalDescription");
            v.LastModified = Time(e, "LastModifiedTime");
            v.LastModifiedBy = Who(e, "LastModifiedBy") ?? Who(e, "CreatedBy");
            v.CreatedBy = Who(e, "CreatedBy");
            if (e.TryGetProperty("InferenceSpecification", out var spec) && spec.ValueKind == JsonValueKind.Object)
            {
                var first = Items(spec, "Containers").FirstOrDefault();
                if (first.ValueKind == JsonValueKind.Object)
                {
                    v.ImageUri = Str(first, "Image");
                    v.ModelDataUrl = Str(first, "ModelDataUrl");
                }
                v.ContentTypes = Strings(spec, "SupportedContentTypes");
                v.ResponseTypes = Strings(spec, "SupportedResponseMIMETypes");
                v.InferenceInstanceTypes = Strings(spec, "SupportedRealtimeInferenceInstanceTypes");
                v.TransformInstanceTypes = Strings(spec, "SupportedTransformInstanceTypes");
            }
            var sources = new List<MetricsSource>();
            if (e.TryGetProperty("ModelMetrics", out var metrics) && metrics.ValueKind == JsonValueKind.Object)
                foreach (var wire in MetricsSources.Wire)
                    if (metrics.TryGetProperty(wire.Section, out var section) && section.ValueKind == JsonValueKind.Object &&
                        section.TryGetProperty(wire.Member, out var source) && source.ValueKind == JsonValueKind.Object &&
                        Str(source, "S3Uri") is string uri)
                        sources.Add(new MetricsSource(wire.Kind, uri, Str(source, "ContentType"), Str(source, "ContentDigest")));
            v.MetricsSources = sources;
            var statistics = sources.FirstOrDefault(x => x.Kind == MetricsSourceKind.ModelQualityStatistics);
            v.ModelStatisticsUri = statistics?.Uri;
            v.ModelStatisticsContentType = statistics?.ContentType;
            if (e.TryGetProperty("CustomerMetadataProperties", out var meta) && meta.ValueKind == JsonValueKind.Object)
                v.CustomerMetadata = meta.EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetString() ?? "", StringComparer.Ordinal);
            return v;
        }

        /// <summary>UserProfileName, or the IAM identity's ARN, of a CreatedBy/LastModifiedBy structure.</summary>
        private static string? Who(JsonElement e, string name)
        {
            if (!e.TryGetProperty(name, out var who) || who.ValueKind != JsonValueKind.Object)
                return null;
            if (who.TryGetProperty("IamIdentity", out var iam) && iam.ValueKind == JsonValueKind.Object && Str(iam, "Arn") is string iamArn)
                return iamArn;
            return Str(who, "UserProfileName") ?? Str(who, "UserProfileArn");
        }

        // ---- domain → wire --------------------------------------------------------------------------

        private static void WriteCreateModelPackage(Utf8JsonWriter w, VersionSpec spec)
        {
            w.WriteString("ModelPackageGroupName", spec.GroupName);
            if (!string.IsNullOrEmpty(spec.Description)) w.WriteString("ModelPackageDescription", spec.Description);
            if (spec.ImageUri != null || spec.ModelDataUrl != null)
            {
                w.WriteStartObject("InferenceSpecification");
                w.WriteStartArray("Containers");
                w.WriteStartObject();
                if (spec.ImageUri != null) w.WriteString("Image", spec.ImageUri);
                if (spec.ModelDataUrl != null) w.WriteString("ModelDataUrl", spec.ModelDataUrl);
                w.WriteEndObject();
                w.WriteEndArray();
                WriteStrings(w, "SupportedContentTypes", spec.ContentTypes);
                WriteStrings(w, "SupportedResponseMIMETypes", spec.ResponseTypes);
                WriteStrings(w, "SupportedRealtimeInferenceInstanceTypes", spec.InferenceInstanceTypes);
                // TransformInstanceTypes has a minimum of one item: omit the member when there are none.
                WriteStrings(w, "SupportedTransformInstanceTypes", spec.TransformInstanceTypes);
                w.WriteEndObject();
            }
            var sources = MetricsSources.Of(spec);
            if (sources.Count > 0)
            {
                w.WriteStartObject("ModelMetrics");
                foreach (var section in MetricsSources.Wire.Where(x => sources.Any(s => s.Kind == x.Kind)).GroupBy(x => x.Section))
                {
                    w.WriteStartObject(section.Key);
                    foreach (var member in section)
                    {
                        var source = sources.First(s => s.Kind == member.Kind);
                        w.WriteStartObject(member.Member);
                        w.WriteString("ContentType", source.ContentType);
                        if (source.ContentDigest != null) w.WriteString("ContentDigest", source.ContentDigest);
                        w.WriteString("S3Uri", source.Uri);
                        w.WriteEndObject();
                    }
                    w.WriteEndObject();
                }
                w.WriteEndObject();
            }
            w.WriteString("ModelApprovalStatus", WireStatus(spec.ApprovalStatus));
            if (spec.CustomerMetadata != null && spec.CustomerMetadata.Count > 0)
            {
                w.WriteStartObject("CustomerMetadataProperties");
                foreach (var p in spec.CustomerMetadata) w.WriteString(p.Key, p.Value);
                w.WriteEndObject();
            }
            WriteTags(w, spec.Tags);
            if (!string.IsNullOrEmpty(spec.ClientToken)) w.WriteString("ClientToken", spec.ClientToken);
        }

        private static string StatisticsContentType(VersionSpec spec) =>
            string.IsNullOrEmpty(spec.ModelStatisticsContentType) ? "application/json" : spec.ModelStatisticsContentType!;

        private static void WriteTags(Utf8JsonWriter w, IEnumerable<KeyValuePair<string, string>>? tags)
        {
            if (tags is null || !tags.Any())
                return;
            w.WriteStartArray("Tags");
            foreach (var t in tags)
            {
                w.WriteStartObject();
                w.WriteString("Key", t.Key);
                w.WriteString("Value", t.Value ?? "");
                w.WriteEndObject();
            }
            w.WriteEndArray();
        }

        private static void WriteStrings(Utf8JsonWriter w, string name, IReadOnlyList<string>? values)
        {
            if (values is null || values.Count == 0)
                return;
            w.WriteStartArray(name);
            foreach (var v in values) w.WriteStringValue(v);
            w.WriteEndArray();
        }

        internal static string WireStatus(ApprovalStatus status) => status switch
        {
            ApprovalStatus.Approved => "Approved",
            ApprovalStatus.Rejected => "Rejected",
            _ => "PendingManualApproval",
        };

        internal static ApprovalStatus DomainStatus(string? wire) => wire switch
        {
            "Approved" => ApprovalStatus.Approved,
            "Rejected" => ApprovalStatus.Rejected,
            _ => ApprovalStatus.PendingManualApproval,
        };

        // ---- JSON helpers ---------------------------------------------------------------------------

        private static IEnumerable<JsonElement> Items(JsonElement e, string name) =>
            e.ValueKind == JsonValueKind.Object && e.TryGetProperty(name, out var list) && list.ValueKind == JsonValueKind.Array
                ? list.EnumerateArray()
                : Enumerable.Empty<JsonElement>();

        private static IReadOnlyList<string> Strings(JsonElement e, string name) =>
            Items(e, name).Where(x => x.ValueKind == JsonValueKind.String).Select(x => x.GetString()!).ToList();

        private static string? Str(JsonElement e, string name) =>
            e.ValueKind == JsonValueKind.Object && e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;

        private static int? Int(JsonElement e, string name) =>
            e.ValueKind == JsonValueKind.Object && e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.Number && v.TryGetInt32(out var i) ? i : (int?)null;

        private static string? NextToken(JsonElement e)
        {
            var token = Str(e, "NextToken");
            return string.IsNullOrEmpty(token) ? null : token;
        }

        /// <summary>awsJson timestamps are epoch seconds (with fractions); tolerate ISO 8601 strings too.</summary>
        internal static DateTime? Time(JsonElement e, string name)
        {
            if (e.ValueKind != JsonValueKind.Object || !e.TryGetProperty(name, out var v))
                return null;
            if (v.ValueKind == JsonValueKind.Number && v.TryGetDouble(out var seconds))
                return DateTimeOffset.FromUnixTimeMilliseconds((long)Math.Round(seconds * 1000.0)).UtcDateTime;
            if (v.ValueKind == JsonValueKind.String &&
                DateTimeOffset.TryParse(v.GetString(), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var parsed))
                return parsed.UtcDateTime;
            return null;
        }

        internal static double EpochSeconds(DateTime t)
        {
            var utc = t.Kind == DateTimeKind.Local ? t.ToUniversalTime() : DateTime.SpecifyKind(t, DateTimeKind.Utc);
            return (utc - new DateTime(1970, 1, 1, 0, 0, 0, DateTimeKind.Utc)).TotalMilliseconds / 1000.0;
        }

        /// <summary>The version number is the ARN's last segment: …:model-package/{group}/{version}.</summary>
        internal static int VersionFromArn(string arn)
        {
            var slash = arn.LastIndexOf('/');
            return slash >= 0 && int.TryParse(arn.Substring(slash + 1), NumberStyles.None, CultureInfo.InvariantCulture, out var n) ? n : 0;
        }

        /// <summary>Remembers the account from an ARN the service returned, for <see cref="GroupArn"/>.</summary>
        private void Learn(string arn)
        {
            if (_account != null) return;
            var parts = arn.Split(':');
            if (parts.Length >= 6 && parts[4].Length == 12) _account = parts[4];
        }

        private static int Clamp(int value, int min, int max) => value < min ? min : value > max ? max : value;

        private static IEnumerable<List<T>> Chunks<T>(IEnumerable<T> items, int size)
        {
            var chunk = new List<T>(size);
            foreach (var item in items)
            {
                chunk.Add(item);
                if (chunk.Count == size)
                {
                    yield return chunk;
                    chunk = new List<T>(size);
                }
            }
            if (chunk.Count > 0) yield return chunk;
        }
    }
}
