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
    /// <summary>Storage helpers: paths, locks, reading records (damaged ones reported per record), ARNs, conversions, errors.</summary>
    public sealed partial class LocalRegistry
    {
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
                CreatedUtc = r.Created,
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
            v.CustomerMetadata = new TagSet(r.CustomerMetadata);
            v.LastModifiedUtc = r.LastModified;
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
            NameOrder order, Func<string, T?> read, CancellationToken ct) where T : class
        {
            var filter = ListingFilter(nameContains, pageSize);
            var descending = order == NameOrder.Descending;
            // The direction is part of the listing: a token of one direction does not continue the other.
            var listing = kind + ":" + filter + (descending ? ":descending" : "");
            var after = nextToken is null ? null : LocalNames.DecodeToken(nextToken, listing);
            var matching = keys
                .Where(k => k.Length > 0 && k[0] != '.' && (filter is null || k.Contains(filter)))
                .Where(k => after is null || (descending ? string.CompareOrdinal(k, after) < 0 : string.CompareOrdinal(k, after) > 0));
            var page = (descending ? matching.OrderByDescending(k => k, StringComparer.Ordinal) : matching.OrderBy(k => k, StringComparer.Ordinal))
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
