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
    /// <summary>
    /// An embedded registry in a folder that behaves like SageMaker Model Registry, safe for many writers in
    /// many processes. Layout (format 1):
    /// <code>
    /// &lt;root&gt;/groups/&lt;key&gt;/group.json            GroupRecord; key = lower-case group name
    /// &lt;root&gt;/groups/&lt;key&gt;/versions/&lt;n&gt;.json     VersionRecord; n = version number
    /// &lt;root&gt;/groups/&lt;key&gt;/tokens/&lt;hex&gt;.json     TokenRecord; ClientToken → version
    /// &lt;root&gt;/locks/&lt;key&gt;.lock                  GroupLock; never deleted
    /// .*.tmp, groups/.trash-*                   in-flight or abandoned writes; readers ignore them
    /// </code>
    /// Every write is a temp file renamed into place, so a reader sees a whole old or a whole new file, and a killed
    /// writer leaves at most an ignored temp file. New names (group.json, a version number) are claimed with
    /// link(2), which exactly one contender wins. Readers take no locks.
    /// </summary>
    public sealed partial class LocalRegistry : IModelRegistry, IDeploymentTarget
    {
        private const string GroupFile = "group.json";
        private const string VersionsFolder = "versions";
        private const string TokensFolder = "tokens";
        private const string TrashPrefix = ".trash-";
        /// <summary>Collisions tolerated before the next free version number is looked up afresh instead of probed.</summary>
        private const int ProbesBeforeRescan = 16;

        private readonly string _root;
        private readonly string _groups;
        private readonly string _locks;
        private readonly string _region;
        private readonly string _account;
        /// <summary>Per group: the next version number this instance expects to be free (a hint; link decides).</summary>
        private readonly Dictionary<string, int> _nextVersionHint = new Dictionary<string, int>(StringComparer.Ordinal);

        public LocalRegistry(RegistryConnection options)
        {
            if (options is null) throw new ArgumentNullException(nameof(options));
            if (string.IsNullOrWhiteSpace(options.LocalPath))
                throw new RegistryException(RegistryErrorKind.Invalid, "The Local registry needs a folder (LocalPath).");
            _root = Path.GetFullPath(options.LocalPath);
            _region = options.Region ?? RegistryConnection.LocalDefaultRegion;
            _account = options.LocalAccountId ?? "000000000000";
            _groups = Path.Combine(_root, "groups");
            _locks = Path.Combine(_root, "locks");
            try
            {
                Directory.CreateDirectory(_groups);
                Directory.CreateDirectory(_locks);
            }
            catch (Exception e) when (e is IOException || e is UnauthorizedAccessException)
            {
                throw new RegistryException(RegistryErrorKind.Unavailable,
                    $"Cannot create the Local registry folder '{_root}': {e.Message}", _root, inner: e);
            }
        }

        public string Location => "Local " + _root;

        /// <summary>How long a write waits for another writer's lock before giving up with Unavailable.</summary>
        public TimeSpan LockTimeout { get; set; } = TimeSpan.FromSeconds(30);

        public string GroupArn(string groupName)
        {
            LocalNames.ValidateGroupName(groupName);
            return $"arn:aws:sagemaker:{_region}:{_account}:model-package-group/{groupName}";
        }

        private string VersionArn(string groupName, int version) =>
            $"arn:aws:sagemaker:{_region}:{_account}:model-package/{groupName}/{version.ToString(CultureInfo.InvariantCulture)}";

        // ---- groups -------------------------------------------------------------------------------------------

        public Task<ModelGroup?> GetGroupAsync(string name, CancellationToken ct) => Run(() =>
        {
            LocalNames.ValidateGroupName(name);
            var record = ReadGroup(LocalNames.Key(name));
            return record is null ? null : ToGroup(record, withTags: true);
        }, ct);

        public Task<Page<ModelGroup>> ListGroupsAsync(string? nameContains, string? nextToken, int pageSize, CancellationToken ct) => Run(() =>
            // Folder names only; group.json is read for the page's groups alone. A folder without group.json is a
            // create in flight or abandoned, and is skipped.
            NamePage("groups", Directory.EnumerateDirectories(_groups).Select(path => Path.GetFileName(path) ?? ""),
                nameContains, nextToken, pageSize, key => ReadGroup(key) is { } record ? ToGroup(record, withTags: false) : null, ct), ct);

        public Task<ModelGroup> CreateGroupAsync(string name, string description, IReadOnlyDictionary<string, string> tags, CancellationToken ct) => Run(() =>
        {
            LocalNames.ValidateGroupName(name);
            var newTags = ValidatedTags(tags);
            var key = LocalNames.Key(name);
            using (Lock(key, name, exclusive: true, ct))
            {
                var folder = GroupFolder(key);
                var path = Path.Combine(folder, GroupFile);
                if (File.Exists(path))
                    throw AlreadyExists(name);
                Directory.CreateDirectory(Path.Combine(folder, VersionsFolder));
                var record = new GroupRecord
                {
                    Name = name,
                    Description = description,
                    Created = DateTime.UtcNow,
                    Tags = newTags,
                };
                var temp = AtomicFile.WriteTemp(folder, LocalJson.Serialize(record));
                try
                {
                    // The lock already orders creators; link is the backstop should a lock be bypassed
                    // (e.g. DOTNET_SYSTEM_IO_DISABLEFILELOCKING=1).
                    if (!AtomicFile.TryLinkNew(temp, path))
                        throw AlreadyExists(name);
                }
                finally
                {
                    AtomicFile.TryDelete(temp);
                }
                return ToGroup(record, withTags: true);
            }
        }, ct);

        public Task DeleteGroupAsync(string name, CancellationToken ct) => Run(() =>
        {
            LocalNames.ValidateGroupName(name);
            var key = LocalNames.Key(name);
            using (Lock(key, name, exclusive: true, ct))
            {
                var record = ReadGroup(key) ?? throw GroupNotFound(name);
                var count = VersionNumbers(key).Count;
                if (count > 0)
                    throw new RegistryException(RegistryErrorKind.Conflict,
                        $"Model package group '{record.Name}' still has {count} version(s); delete them before the group.", record.Name);
                // One rename takes the group out of sight; removing the files afterwards may be interrupted harmlessly.
                var trash = Path.Combine(_groups, TrashPrefix + Guid.NewGuid().ToString("N"));
                Directory.Move(GroupFolder(key), trash);
                lock (_nextVersionHint) _nextVersionHint.Remove(key);
                TryDeleteFolder(trash);
            }
            return true;
        }, ct);

        // ---- tags ---------------------------------------------------------------------------------------------

        public Task<IReadOnlyDictionary<string, string>> GetTagsAsync(string arn, CancellationToken ct) => Run(() =>
        {
            var (key, version) = ResolveArn(arn);
            IReadOnlyDictionary<string, string> tags = version is null
                ? (ReadGroup(key) ?? throw ResourceNotFound(arn)).Tags
                : (ReadVersion(key, version.Value) ?? throw ResourceNotFound(arn)).Tags;
            return tags;
        }, ct);

        public Task AddTagsAsync(string arn, IReadOnlyDictionary<string, string> tags, CancellationToken ct) => Run(() =>
        {
            var add = ValidatedTags(tags);
            UpdateTags(arn, current =>
            {
                foreach (var kv in add) current[kv.Key] = kv.Value;
            }, ct);
            return true;
        }, ct);

        public Task RemoveTagsAsync(string arn, IReadOnlyCollection<string> keys, CancellationToken ct) => Run(() =>
        {
            if (keys is null) throw new ArgumentNullException(nameof(keys));
            UpdateTags(arn, current =>
            {
                foreach (var k in keys) current.Remove(k);
            }, ct);
            return true;
        }, ct);

        private void UpdateTags(string arn, Action<Dictionary<string, string>> change, CancellationToken ct)
        {
            var (key, version) = ResolveArn(arn);
            using (Lock(key, arn, exclusive: true, ct))
            {
                if (version is null)
                {
                    var group = ReadGroup(key) ?? throw ResourceNotFound(arn);
                    change(group.Tags);
                    AtomicFile.Replace(GroupPath(key), LocalJson.Serialize(group));
                }
                else
                {
                    var record = ReadVersion(key, version.Value) ?? throw ResourceNotFound(arn);
                    change(record.Tags);
                    AtomicFile.Replace(VersionPath(key, version.Value), LocalJson.Serialize(record));
                }
            }
        }

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

        public Task<string?> GetCallerAccountAsync(CancellationToken ct) => Task.FromResult<string?>(null);

        public void Dispose()
        {
        }

        // ---- storage helpers ----------------------------------------------------------------------------------

        private string GroupFolder(string key) => Path.Combine(_groups, key);
        private string GroupPath(string key) => Path.Combine(_groups, key, GroupFile);
        private static string VersionFileName(int version) => version.ToString(CultureInfo.InvariantCulture) + ".json";
        private string VersionPath(string key, int version) => Path.Combine(_groups, key, VersionsFolder, VersionFileName(version));

        /// <summary>Holds a group's lock as a writer would; tests use it to play a slow or stuck writer.</summary>
        internal IDisposable HoldGroupLock(string groupName, bool exclusive)
        {
            LocalNames.ValidateGroupName(groupName);
            return Lock(LocalNames.Key(groupName), groupName, exclusive, CancellationToken.None);
        }

        private GroupLock Lock(string key, string target, bool exclusive, CancellationToken ct) =>
            GroupLock.Acquire(Path.Combine(_locks, key + ".lock"), exclusive, LockTimeout, target, ct);

        /// <summary>A group's record; Damaged when it cannot be read or belongs to another folder.</summary>
        private GroupRecord? ReadGroup(string key)
        {
            var path = GroupPath(key);
            var record = ReadRecord<GroupRecord>(path);
            if (record != null && !string.Equals(LocalNames.Key(record.Name), key, StringComparison.Ordinal))
                throw LocalJson.Damaged(path, $"it names group '{record.Name}', which does not belong in folder '{key}'", null);
            return record;
        }

        private VersionRecord? ReadVersion(string key, int version)
        {
            var path = VersionPath(key, version);
            var record = ReadRecord<VersionRecord>(path);
            if (record != null && !string.Equals(LocalNames.Key(record.GroupName), key, StringComparison.Ordinal))
                throw LocalJson.Damaged(path, $"it names group '{record.GroupName}', which does not belong in folder '{key}'", null);
            return record;
        }

        /// <summary>One record of a listing: a damaged one becomes one error in <paramref name="damaged"/> (naming its file),
        /// and the listing goes on with the rest.</summary>
        private static T? ReadOrDamaged<T>(Func<T?> read, List<RegistryException> damaged) where T : class
        {
            try
            {
                return read();
            }
            catch (RegistryException e) when (e.Kind == RegistryErrorKind.Damaged)
            {
                damaged.Add(e);
                return null;
            }
        }

        private static T? ReadRecord<T>(string path) where T : class
        {
            var bytes = AtomicFile.ReadOrNull(path);
            return bytes is null ? null : LocalJson.Deserialize<T>(bytes, path);
        }

        /// <summary>Version numbers present in a group, from file names alone (temp files never parse as numbers).</summary>
        private List<int> VersionNumbers(string key)
        {
            var result = new List<int>();
            var folder = Path.Combine(GroupFolder(key), VersionsFolder);
            if (!Directory.Exists(folder)) return result;
            foreach (var path in Directory.EnumerateFiles(folder, "*.json"))
            {
                var name = Path.GetFileNameWithoutExtension(path);
                if (name.Length > 0 && name[0] != '0'
                    && int.TryParse(name, NumberStyles.None, CultureInfo.InvariantCulture, out var n))
                    result.Add(n);
            }
            return result;
        }

        /// <summary>Group key and version number of an ARN of this registry. An ARN of another region or account
        /// names nothing here: NotFound.</summary>
        private (string key, int? version) ResolveArn(string arn, bool requireVersion = false)
        {
            var parsed = ParseArn(arn, requireVersion);
            if (!IsHere(parsed))
                throw new RegistryException(RegistryErrorKind.NotFound,
                    $"'{arn}' belongs to {parsed.Region}/{parsed.Account}; this registry is {_region}/{_account}.", arn);
            return (LocalNames.Key(parsed.GroupName), parsed.Version);
        }

        private static LocalNames.ParsedArn ParseArn(string arn, bool requireVersion)
        {
            var parsed = LocalNames.ParseArn(arn);
            if (requireVersion && parsed.Version is null)
                throw new RegistryException(RegistryErrorKind.Invalid, $"'{arn}' is a group ARN; a model package (version) ARN is needed.", arn);
            return parsed;
        }

        private bool IsHere(LocalNames.ParsedArn parsed) =>
            string.Equals(parsed.Region, _region, StringComparison.Ordinal) && string.Equals(parsed.Account, _account, StringComparison.Ordinal);

        private ModelGroup ToGroup(GroupRecord r, bool withTags) =>
            new ModelGroup(r.Name, GroupArn(r.Name), r.Description, r.Created, "Completed",
                withTags ? new Dictionary<string, string>(r.Tags) : null);

        private ModelVersion ToVersion(VersionRecord r, int version, bool detailed)
        {
            var v = new ModelVersion
            {
                GroupName = r.GroupName,
                Version = version,
                Arn = VersionArn(r.GroupName, version),
                Status = r.Status,
                Created = r.Created,
                Description = r.Description,
                PackageStatus = "Completed",
                Stage = r.Stage,
                StageStatus = r.StageStatus,
                StageDescription = r.StageDescription,
                IsDetailed = detailed,
            };
            if (!detailed) return v; // what ListModelPackages' summaries carry
            v.ApprovalDescription = r.ApprovalDescription;
            v.ImageUri = r.ImageUri;
            v.ModelDataUrl = r.ModelDataUrl;
            v.ContentTypes = r.ContentTypes.ToArray();
            v.ResponseTypes = r.ResponseTypes.ToArray();
            v.InferenceInstanceTypes = r.InferenceInstanceTypes.ToArray();
            v.TransformInstanceTypes = r.TransformInstanceTypes.ToArray();
            v.ModelStatisticsUri = r.ModelStatisticsUri;
            v.ModelStatisticsContentType = r.ModelStatisticsContentType;
            v.MetricsSources = r.MetricsSources != null
                ? r.MetricsSources.Select(m => new MetricsSource(m.Kind, m.Uri, m.ContentType, m.ContentDigest)).ToList()
                : r.ModelStatisticsUri != null
                    ? new[] { new MetricsSource(MetricsSourceKind.ModelQualityStatistics, r.ModelStatisticsUri, r.ModelStatisticsContentType) }
                    : Array.Empty<MetricsSource>();
            v.CustomerMetadata = new Dictionary<string, string>(r.CustomerMetadata);
            v.LastModified = r.LastModified;
            v.CreatedBy = r.CreatedBy;
            v.LastModifiedBy = r.LastModifiedBy ?? r.CreatedBy;
            return v;
        }

        /// <summary>Who acts, for CreatedBy/LastModifiedBy: the OS user (domain\user where there is a domain).</summary>
        private static string LocalUser()
        {
            var domain = Environment.UserDomainName;
            var user = Environment.UserName;
            return string.IsNullOrEmpty(domain) || string.Equals(domain, Environment.MachineName, StringComparison.OrdinalIgnoreCase)
                ? user : domain + "\\" + user;
        }

        private static Dictionary<string, string> ValidatedTags(IReadOnlyDictionary<string, string>? tags)
        {
            var result = new Dictionary<string, string>(StringComparer.Ordinal);
            if (tags is null) return result;
            foreach (var kv in tags)
            {
                if (string.IsNullOrEmpty(kv.Key) || kv.Key.Length > 128)
                    throw new RegistryException(RegistryErrorKind.Invalid, $"Tag key '{kv.Key}' must be 1–128 characters.", kv.Key);
                if (kv.Value is null || kv.Value.Length > 256)
                    throw new RegistryException(RegistryErrorKind.Invalid, $"Tag '{kv.Key}' needs a value of 0–256 characters.", kv.Key);
                if (kv.Key.StartsWith("aws:", StringComparison.OrdinalIgnoreCase))
                    throw new RegistryException(RegistryErrorKind.Invalid, $"Tag key '{kv.Key}' uses the reserved prefix 'aws:'.", kv.Key);
                result[kv.Key] = kv.Value;
            }
            return result;
        }

        private static void ValidatePageSize(int pageSize) => RequestChecks.PageSize(pageSize);

        /// <summary>
        /// One page of a listing by name (groups, endpoints): keys in ordinal order after the token's key, filtered by
        /// NameContains; records are read for the page alone, and a key whose record is gone (<paramref name="read"/>
        /// returns null: deleted since listed, or a create in flight) is skipped.
        /// </summary>
        private static Page<T> NamePage<T>(string kind, IEnumerable<string> keys, string? nameContains, string? nextToken, int pageSize,
            Func<string, T?> read, CancellationToken ct) where T : class
        {
            var filter = ListingFilter(nameContains, pageSize);
            var listing = kind + ":" + filter;
            var after = nextToken is null ? null : LocalNames.DecodeToken(nextToken, listing);
            var page = keys
                .Where(k => k.Length > 0 && k[0] != '.' && (filter is null || k.Contains(filter)))
                .Where(k => after is null || string.CompareOrdinal(k, after) > 0)
                .OrderBy(k => k, StringComparer.Ordinal)
                .ToList();
            var items = new List<T>(pageSize);
            var damaged = new List<RegistryException>();
            var i = 0;
            // A damaged record counts towards the page, so a page's reads stay bounded however much is damaged.
            for (; i < page.Count && items.Count + damaged.Count < pageSize; i++)
            {
                ct.ThrowIfCancellationRequested();
                var item = ReadOrDamaged(() => read(page[i]), damaged);
                if (item != null) items.Add(item);
            }
            var token = i < page.Count ? LocalNames.EncodeToken(listing, page[i - 1]) : null;
            return new Page<T>(items, token, damaged);
        }

        /// <summary>Checks a listing's page size and NameContains; returns the filter as names are stored (lower case).</summary>
        private static string? ListingFilter(string? nameContains, int pageSize)
        {
            ValidatePageSize(pageSize);
            if (string.IsNullOrEmpty(nameContains)) return null;
            LocalNames.ValidateNameContains(nameContains!);
            return nameContains!.ToLowerInvariant();
        }

        private static DateTime? ToUtc(DateTime? t) =>
            t is null ? (DateTime?)null
            : t.Value.Kind == DateTimeKind.Local ? t.Value.ToUniversalTime()
            : DateTime.SpecifyKind(t.Value, DateTimeKind.Utc);

        private static void TryDeleteFolder(string path)
        {
            try
            {
                Directory.Delete(path, recursive: true);
            }
            catch (IOException)
            {
            }
            catch (UnauthorizedAccessException)
            {
            }
        }

        private static RegistryException AlreadyExists(string name) =>
            new RegistryException(RegistryErrorKind.AlreadyExists, $"Model package group '{name}' already exists.", name);

        private static RegistryException GroupNotFound(string name) =>
            new RegistryException(RegistryErrorKind.NotFound, $"Model package group '{name}' does not exist.", name);

        private static RegistryException VersionNotFound(string arn) =>
            new RegistryException(RegistryErrorKind.NotFound, $"Model package '{arn}' does not exist.", arn);

        private static RegistryException ResourceNotFound(string arn) =>
            new RegistryException(RegistryErrorKind.NotFound, $"'{arn}' does not exist.", arn);

        /// <summary>Runs synchronous file work and reports failures through the task, as an async call would.</summary>
        private Task<T> Run<T>(Func<T> work, CancellationToken ct)
        {
            try
            {
                ct.ThrowIfCancellationRequested();
                return Task.FromResult(work());
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested)
            {
                return Task.FromCanceled<T>(ct);
            }
            catch (Exception e) when (e is IOException || e is UnauthorizedAccessException)
            {
                // File-system trouble (disk full, permissions, a folder removed underneath us): one domain error.
                return Task.FromException<T>(new RegistryException(RegistryErrorKind.Unavailable,
                    $"The Local registry at '{_root}' could not be used: {e.Message}", _root, inner: e));
            }
            catch (Exception e)
            {
                return Task.FromException<T>(e);
            }
        }
    }
}
