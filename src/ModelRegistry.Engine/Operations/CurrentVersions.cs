using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using ModelRegistry.Engine.Registry;

namespace ModelRegistry.Engine.Operations
{
    /// <summary>
    /// The registry's current state of the versions one command acts on, read in batches so the guards judge
    /// what is there now without a describe per version: a group with one target is described (one call, the
    /// whole version); a group with several is listed newest first, one listing shared by all its targets, until
    /// every target is seen — or, since old targets in a big group would cost a page each, until as many pages
    /// as targets were read, after which the rest are described one by one. A version the complete listing
    /// does not hold is gone (null).
    /// </summary>
    public sealed class CurrentVersions
    {
        private readonly IModelRegistry _registry;
        private readonly Dictionary<string, List<int>> _targetsByGroup = new Dictionary<string, List<int>>(StringComparer.OrdinalIgnoreCase);
        private readonly Dictionary<string, Lazy<Task<GroupListing>>> _listings = new Dictionary<string, Lazy<Task<GroupListing>>>(StringComparer.OrdinalIgnoreCase);

        private readonly CancellationToken _command;

        /// <param name="registry">Where the versions live.</param>
        /// <param name="arns">Every version the command acts on, so each group is listed once for all of them.</param>
        /// <param name="command">Ends the shared listings (the command's cancellation, not one item's).</param>
        public CurrentVersions(IModelRegistry registry, IEnumerable<string> arns, CancellationToken command)
        {
            _registry = registry ?? throw new ArgumentNullException(nameof(registry));
            _command = command;
            foreach (var arn in arns)
            {
                if (!TryParse(arn, out var group, out var version)) continue;
                if (!_targetsByGroup.TryGetValue(group, out var versions)) _targetsByGroup[group] = versions = new List<int>();
                if (!versions.Contains(version)) versions.Add(version);
            }
            foreach (var entry in _targetsByGroup)
            {
                if (entry.Value.Count < 2) continue;
                var group = entry.Key;
                var wanted = new HashSet<int>(entry.Value);
                // Started by the first target that asks, with no caller's token: its waiters share it.
                _listings[group] = new Lazy<Task<GroupListing>>(() => ListAsync(group, wanted), LazyThreadSafetyMode.ExecutionAndPublication);
            }
        }

        /// <summary>The version as the registry holds it now; null when it does not exist.</summary>
        public async Task<ModelVersion?> GetAsync(string arn, CancellationToken ct)
        {
            if (TryParse(arn, out var group, out var version) && _listings.TryGetValue(group, out var listing))
            {
                var listed = await WaitAsync(listing.Value, ct).ConfigureAwait(false);
                if (listed.Versions.TryGetValue(version, out var found)) return found;
                if (listed.Complete) return null;
            }
            return await _registry.GetVersionAsync(arn, ct).ConfigureAwait(false);
        }

        private sealed class GroupListing
        {
            public Dictionary<int, ModelVersion> Versions { get; } = new Dictionary<int, ModelVersion>();
            /// <summary>Every page was read: what is not in it does not exist.</summary>
            public bool Complete { get; set; }
        }

        private async Task<GroupListing> ListAsync(string group, HashSet<int> wanted)
        {
            await Task.Yield(); // off the first asker's stack: the Lazy must not run the listing inline under its lock
            var result = new GroupListing();
            var query = new VersionQuery(group) { Descending = true, PageSize = RegistryExtensions.MaxPageSize };
            string? token = null;
            var pages = 0;
            var seenTokens = new HashSet<string>(StringComparer.Ordinal);
            try
            {
                do
                {
                    var page = await _registry.ListVersionsAsync(query, token, _command).ConfigureAwait(false);
                    pages++;
                    foreach (var v in page.Items)
                        if (wanted.Contains(v.Version)) result.Versions[v.Version] = v;
                    token = page.NextToken;
                    // A repeated token would list forever; describing the rest is always correct.
                    if (token != null && !seenTokens.Add(token)) return result;
                } while (token != null && result.Versions.Count < wanted.Count && pages < wanted.Count);
                result.Complete = token is null;
            }
            catch (RegistryException e) when (e.Kind == RegistryErrorKind.NotFound)
            {
                result.Complete = true; // the group is gone, and with it every version
            }
            catch (RegistryException e) when (e.Kind == RegistryErrorKind.AccessDenied)
            {
                // A role that may describe but not list: each target is described instead.
            }
            return result;
        }

        /// <summary>Waits for a shared listing; a caller's cancellation ends its wait, not the listing.</summary>
        private static async Task<GroupListing> WaitAsync(Task<GroupListing> listing, CancellationToken ct)
        {
            if (listing.IsCompleted || !ct.CanBeCanceled) return await listing.ConfigureAwait(false);
            var cancelled = new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously);
            using (ct.Register(() => cancelled.TrySetResult(true)))
            {
                if (await Task.WhenAny(listing, cancelled.Task).ConfigureAwait(false) != listing)
                    ct.ThrowIfCancellationRequested();
            }
            return await listing.ConfigureAwait(false);
        }

        /// <summary>Group and number of a version ARN: …:model-package/{group}/{version}.</summary>
        internal static bool TryParse(string arn, out string group, out int version)
        {
            group = "";
            version = 0;
            const string marker = ":model-package/";
            var start = arn?.IndexOf(marker, StringComparison.Ordinal) ?? -1;
            var slash = arn?.LastIndexOf('/') ?? -1;
            if (start < 0 || slash <= start + marker.Length) return false;
            group = arn!.Substring(start + marker.Length, slash - start - marker.Length);
            return group.Length > 0 && group.IndexOf('/') < 0 &&
                   int.TryParse(arn.Substring(slash + 1), NumberStyles.None, CultureInfo.InvariantCulture, out version) && version > 0;
        }
    }
}
