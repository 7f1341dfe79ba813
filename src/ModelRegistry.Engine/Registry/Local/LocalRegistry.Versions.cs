using ModelRegistry.Engine.IO;
using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;

namespace ModelRegistry.Engine.Registry.Local
{
    /// <summary>Versions: list, read, register (version numbers claimed with link(2)), update, delete.</summary>
    public sealed partial class LocalRegistry
    {
        // ---- versions -----------------------------------------------------------------------------------------

        public Task<Page<ModelVersion>> ListVersionsAsync(VersionQuery query, string? nextToken, CancellationToken ct) => Run(() =>
        {
            if (query is null) throw new ArgumentNullException(nameof(query));
            LocalNames.ValidateGroupName(query.GroupName);
            ValidatePageSize(query.PageSize);
            var key = LocalNames.Key(query.GroupName);
            var listing = "versions:" + key + (query.Descending ? ":desc" : ":asc");
            int? after = null;
            if (nextToken != null)
            {
                if (!int.TryParse(LocalNames.DecodeToken(nextToken, listing), NumberStyles.None, CultureInfo.InvariantCulture, out var n))
                    throw new RegistryException(RegistryErrorKind.Invalid, "NextToken is not valid for this listing.", nextToken);
                after = n;
            }
            if (ReadGroup(key) is null) throw GroupNotFound(query.GroupName);
            var createdAfter = ToUtc(query.CreatedAfter);
            var createdBefore = ToUtc(query.CreatedBefore);

            // Creation order is version-number order: numbers are claimed in time order. Only the names are listed;
            // records are read one by one until the page is full, so a 10,000-version group costs a page's reads.
            var numbers = VersionNumbers(key);
            numbers.Sort();
            if (query.Descending) numbers.Reverse();
            var start = 0;
            if (after != null)
                while (start < numbers.Count && (query.Descending ? numbers[start] >= after : numbers[start] <= after))
                    start++;

            var items = new List<ModelVersion>(query.PageSize);
            var damaged = new List<RegistryException>();
            var i = start;
            for (; i < numbers.Count && items.Count + damaged.Count < query.PageSize; i++)
            {
                ct.ThrowIfCancellationRequested();
                var record = ReadOrDamaged(() => ReadVersion(key, numbers[i]), damaged);
                if (record is null) continue; // deleted since the folder was listed
                if (query.Status != null && record.Status != query.Status) continue;
                if (createdAfter != null && !(record.Created > createdAfter)) continue;
                if (createdBefore != null && !(record.Created < createdBefore)) continue;
                items.Add(ToVersion(record, numbers[i], detailed: false));
            }
            var token = i < numbers.Count ? LocalNames.EncodeToken(listing, numbers[i - 1].ToString(CultureInfo.InvariantCulture)) : null;
            return new Page<ModelVersion>(items, token, damaged);
        }, ct);

        public Task<ModelVersion?> GetVersionAsync(string arn, CancellationToken ct) => Run(() =>
        {
            var parsed = ParseArn(arn, requireVersion: true);
            if (!IsHere(parsed)) return null;
            var version = parsed.Version!.Value;
            var record = ReadVersion(LocalNames.Key(parsed.GroupName), version);
            return record is null ? null : ToVersion(record, version, detailed: true);
        }, ct);

        public Task<ModelVersion> RegisterVersionAsync(VersionSpec spec, CancellationToken ct) => Run(() =>
        {
            if (spec is null) throw new ArgumentNullException(nameof(spec));
            // SageMaker's ModelPackageGroupName takes a name or the group's ARN.
            var groupName = spec.GroupName ?? "";
            if (groupName.StartsWith("arn:", StringComparison.Ordinal))
            {
                var parsed = LocalNames.ParseArn(groupName);
                if (parsed.Version != null)
                    throw new RegistryException(RegistryErrorKind.Invalid, $"'{groupName}' is a version ARN, not a group.", groupName);
                if (!IsHere(parsed)) throw GroupNotFound(groupName);
                groupName = parsed.GroupName;
            }
            LocalNames.ValidateGroupName(groupName);
            if (spec.ClientToken != null) LocalNames.ValidateClientToken(spec.ClientToken);
            // SageMaker refuses a ModelLifeCycle outside its limits (ValidationException); so does Local.
            var lifecycle = VersionLifecycle.Of(spec);
            if (lifecycle?.Problems() is { Count: > 0 } lifecycleProblems)
                throw new RegistryException(RegistryErrorKind.Invalid,
                    $"Cannot register a version in '{groupName}': {string.Join("; ", lifecycleProblems)}. Nothing was registered.", groupName);
            var key = LocalNames.Key(groupName);
            var now = DateTime.UtcNow;
            var tags = ValidatedTags(spec.Tags);

            // A ClientToken needs check-then-register to be one step, so it takes the group exclusively; plain
            // registrations share the lock and race only for numbers, which link settles.
            using (Lock(key, groupName, exclusive: spec.ClientToken != null, ct))
            {
                var group = ReadGroup(key) ?? throw GroupNotFound(groupName);
                string? tokenPath = null;
                if (spec.ClientToken != null)
                {
                    tokenPath = Path.Combine(GroupFolder(key), TokensFolder, LocalNames.TokenFileName(spec.ClientToken));
                    var earlier = ReadRecord<TokenRecord>(tokenPath);
                    if (earlier != null)
                    {
                        var existing = ReadVersion(key, earlier.Version);
                        if (existing != null && existing.ClientToken == spec.ClientToken)
                            return ToVersion(existing, earlier.Version, detailed: true);
                    }
                }

                var record = new VersionRecord
                {
                    GroupName = group.Name,
                    Status = spec.ApprovalStatus,
                    Created = now,
                    LastModified = now,
                    CreatedBy = LocalUser(),
                    LastModifiedBy = LocalUser(),
                    Description = spec.Description,
                    ImageUri = spec.ImageUri,
                    ModelDataUrl = spec.ModelDataUrl,
                    ContentTypes = spec.ContentTypes?.ToList() ?? new List<string>(),
                    ResponseTypes = spec.ResponseTypes?.ToList() ?? new List<string>(),
                    InferenceInstanceTypes = spec.InferenceInstanceTypes?.ToList() ?? new List<string>(),
                    TransformInstanceTypes = spec.TransformInstanceTypes?.ToList() ?? new List<string>(),
                    ModelStatisticsUri = spec.ModelStatisticsUri,
                    ModelStatisticsContentType = spec.ModelStatisticsContentType,
                    MetricsSources = Metrics.MetricsSources.Of(spec)
                        .Select(m => new MetricsSourceRecord { Kind = m.Kind, Uri = m.Uri, ContentType = m.ContentType, ContentDigest = m.ContentDigest })
                        .ToList(),
                    CustomerMetadata = spec.CustomerMetadata?.ToDictionary(kv => kv.Key, kv => kv.Value) ?? new Dictionary<string, string>(),
                    Tags = tags,
                    ClientToken = spec.ClientToken,
                    Stage = lifecycle?.Stage,
                    StageStatus = lifecycle?.StageStatus,
                    StageDescription = lifecycle?.StageDescription,
                };
                var version = ClaimVersionNumber(key, group, LocalJson.Serialize(record), tokenPath);
                return ToVersion(record, version, detailed: true);
            }
        }, ct);

        /// <summary>Links one complete temp file to the first free number; returns that number.</summary>
        private int ClaimVersionNumber(string key, GroupRecord group, byte[] content, string? tokenPath)
        {
            var folder = Path.Combine(GroupFolder(key), VersionsFolder);
            Directory.CreateDirectory(folder);
            int candidate;
            lock (_nextVersionHint)
                candidate = _nextVersionHint.TryGetValue(key, out var hint) ? hint : 0;
            if (candidate == 0)
                candidate = NextFreeByScan(key);
            candidate = Math.Max(candidate, group.HighestDeletedVersion + 1);

            var temp = AtomicFile.WriteTemp(folder, content);
            try
            {
                var collisions = 0;
                while (true)
                {
                    if (tokenPath != null)
                    {
                        // Token first: if we die before the link, the token names a number with no version and a retry
                        // registers afresh; the other order could leave a version its token does not know about.
                        Directory.CreateDirectory(Path.GetDirectoryName(tokenPath)!);
                        AtomicFile.Replace(tokenPath, LocalJson.Serialize(new TokenRecord { Version = candidate }));
                    }
                    if (AtomicFile.TryLinkNew(temp, Path.Combine(folder, VersionFileName(candidate))))
                        break;
                    candidate = ++collisions % ProbesBeforeRescan == 0
                        ? Math.Max(candidate + 1, NextFreeByScan(key))
                        : candidate + 1;
                }
                lock (_nextVersionHint)
                    _nextVersionHint[key] = candidate + 1;
                return candidate;
            }
            finally
            {
                AtomicFile.TryDelete(temp);
            }
        }

        private int NextFreeByScan(string key)
        {
            var numbers = VersionNumbers(key);
            return numbers.Count == 0 ? 1 : numbers.Max() + 1;
        }

        /// <summary>Applies exactly what the update sets, under the group's exclusive lock, as SageMaker does:
        /// an omitted reason keeps the previous one, metadata keys are merged, removed keys go.</summary>
        public Task<ModelVersion> UpdateVersionAsync(string arn, VersionUpdate update, CancellationToken ct) => Run(() =>
        {
            if (update is null) throw new ArgumentNullException(nameof(update));
            update.Validate(arn);
            var (key, version) = ResolveArn(arn, requireVersion: true);
            using (Lock(key, arn, exclusive: true, ct))
            {
                var record = ReadVersion(key, version!.Value) ?? throw VersionNotFound(arn);
                if (update.Status.HasValue) record.Status = update.Status.Value;
                if (update.ApprovalDescription != null) record.ApprovalDescription = update.ApprovalDescription;
                foreach (var k in update.RemoveCustomerMetadata ?? Array.Empty<string>()) record.CustomerMetadata.Remove(k);
                foreach (var kv in update.CustomerMetadata ?? new Dictionary<string, string>()) record.CustomerMetadata[kv.Key] = kv.Value;
                if (record.CustomerMetadata.Count > VersionUpdate.MaxMetadataEntries)
                    throw new RegistryException(RegistryErrorKind.Invalid,
                        $"Cannot update '{arn}': it would have {record.CustomerMetadata.Count} customer metadata entries; SageMaker allows at most {VersionUpdate.MaxMetadataEntries}. Nothing was changed.", arn);
                if (update.Lifecycle != null)
                {
                    record.Stage = update.Lifecycle.Stage;
                    record.StageStatus = update.Lifecycle.StageStatus;
                    record.StageDescription = update.Lifecycle.StageDescription;
                }
                record.LastModified = DateTime.UtcNow;
                record.LastModifiedBy = LocalUser();
                AtomicFile.Replace(VersionPath(key, version.Value), LocalJson.Serialize(record));
                return ToVersion(record, version.Value, detailed: true);
            }
        }, ct);

        public Task DeleteVersionAsync(string arn, CancellationToken ct) => Run(() =>
        {
            var (key, version) = ResolveArn(arn, requireVersion: true);
            using (Lock(key, arn, exclusive: true, ct))
            {
                var group = ReadGroup(key) ?? throw VersionNotFound(arn);
                var path = VersionPath(key, version!.Value);
                if (!File.Exists(path)) throw VersionNotFound(arn);
                // Record the number as used before the file goes, so a crash in between cannot free it for reuse.
                if (version.Value > group.HighestDeletedVersion)
                {
                    group.HighestDeletedVersion = version.Value;
                    AtomicFile.Replace(GroupPath(key), LocalJson.Serialize(group));
                }
                File.Delete(path);
            }
            return true;
        }, ct);
    }
}
