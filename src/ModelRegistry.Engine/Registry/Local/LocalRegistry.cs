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

        public Task<Page<ModelGroup>> ListGroupsAsync(string? nameContains, string? nextToken, int pageSize, NameOrder order, CancellationToken ct) => Run(() =>
            // Folder names only; group.json is read for the page's groups alone. A folder without group.json is a
            // create in flight or abandoned, and is skipped.
            NamePage("groups", Directory.EnumerateDirectories(_groups).Select(path => Path.GetFileName(path) ?? ""),
                nameContains, nextToken, pageSize, order, key => ReadGroup(key) is { } record ? ToGroup(record, withTags: false) : null, ct), ct);

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

        public Task<string?> GetCallerAccountAsync(CancellationToken ct) => Task.FromResult<string?>(null);

        public void Dispose()
        {
        }

    }
}
