using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Runtime.ExceptionServices;
using System.Threading;
using System.Threading.Tasks;
using ModelRegistry.Engine.Registry;

namespace ModelRegistry.Engine.Operations
{
    /// <summary>
    /// The registry's current state of the versions one command acts on, read in batches so the guards judge
    /// what is there now without a describe per version. A group with one target is described (one call, the
    /// whole version); a group with several is listed, one listing shared by all its targets, a page at a time
    /// and only while a target waits for a version not yet seen: a target goes on as soon as the page holding it
    /// is read, while later targets may still be arriving (a pipeline). The listing runs the way the targets
    /// come: oldest first when the second target is newer than the first (Get-MRModelVersion's default order,
    /// so the listing follows right behind the stream), else newest first (-Latest, pending approvals). Since old targets in a big
    /// group would cost a page each, the listing reads no more pages than the group has targets; after that the
    /// rest are described one by one. A version the complete listing does not hold is gone (null). A version listed
    /// for this command since it began (<see cref="VersionReads"/>: Get-MRModelVersion upstream) is taken from there
    /// and not read again.
    /// </summary>
    public sealed class CurrentVersions
    {
        private readonly IModelRegistry _registry;
        private readonly Dictionary<string, GroupListing> _groups = new Dictionary<string, GroupListing>(StringComparer.OrdinalIgnoreCase);
        private readonly CancellationToken _command;
        private readonly VersionReads? _reads;

        /// <param name="registry">Where the versions live.</param>
        /// <param name="command">Ends the shared listings (the command's cancellation, not one item's).</param>
        /// <param name="reads">Versions listed since the command began; null to read every target here.</param>
        public CurrentVersions(IModelRegistry registry, CancellationToken command, VersionReads? reads = null)
        {
            _registry = registry ?? throw new ArgumentNullException(nameof(registry));
            _command = command;
            _reads = reads;
        }

        /// <param name="registry">Where the versions live.</param>
        /// <param name="arns">Every version the command acts on, so each group is listed once for all of them.</param>
        /// <param name="command">Ends the shared listings (the command's cancellation, not one item's).</param>
        public CurrentVersions(IModelRegistry registry, IEnumerable<string> arns, CancellationToken command) : this(registry, command)
        {
            foreach (var arn in arns) Expect(arn);
        }

        /// <summary>A version the command will ask for: its group is listed once it has two, and may read a page more.
        /// The first page is asked for as soon as the group has two targets, before any target's work asks for it
        /// (that work waits for a free slot of the bulk run, and the page takes a round trip).</summary>
        public void Expect(string arn)
        {
            if (!TryParse(arn, out var group, out var version) || _reads?.Holds(_registry, arn) == true) return;
            var listing = Listing(group);
            listing.Expect(version);
            lock (listing)
                if (listing.Targets.Count == 2 && listing.Pages == 0 && listing.Reading is null && !listing.Complete && !listing.Abandoned
                    && listing.Failure is null)
                    listing.Reading = ReadPageAsync(listing);
        }

        /// <summary>The version as the registry holds it now; null when it does not exist.</summary>
        public async Task<ModelVersion?> GetAsync(string arn, CancellationToken ct)
        {
            if (_reads != null && _reads.TryTake(_registry, arn, out var listed)) return listed;
            if (!TryParse(arn, out var group, out var version)) return await _registry.GetVersionAsync(arn, ct).ConfigureAwait(false);
            var listing = Listing(group);
            listing.Expect(version);
            while (true)
            {
                Task reading;
                lock (listing)
                {
                    if (listing.Seen.TryGetValue(version, out var found)) return found;
                    if (listing.Complete) return null;
                    if (listing.Failure != null) ExceptionDispatchInfo.Capture(listing.Failure).Throw();
                    if (listing.Reading is null)
                    {
                        // One target, a listing given up, or as many pages read as targets: describing is cheaper now.
                        if (listing.Abandoned || listing.Targets.Count < 2 || listing.Pages >= listing.Targets.Count) break;
                        listing.Reading = ReadPageAsync(listing);
                    }
                    reading = listing.Reading;
                }
                await WaitAsync(reading, ct).ConfigureAwait(false);
            }
            return await _registry.GetVersionAsync(arn, ct).ConfigureAwait(false);
        }

        private GroupListing Listing(string group)
        {
            lock (_groups)
            {
                if (!_groups.TryGetValue(group, out var listing)) _groups[group] = listing = new GroupListing(group);
                return listing;
            }
        }

        /// <summary>One group's shared listing, read a page at a time; every field is guarded by the instance's lock.</summary>
        private sealed class GroupListing
        {
            public GroupListing(string group) { Query = new VersionQuery(group) { Descending = true, PageSize = RegistryExtensions.MaxPageSize }; }

            public VersionQuery Query { get; }
            /// <summary>The versions of the group the command asks for (or will).</summary>
            public HashSet<int> Targets { get; } = new HashSet<int>();
            /// <summary>The first two targets, in the order they came: the listing's direction.</summary>
            public List<int> FirstTwo { get; } = new List<int>(2);
            /// <summary>Every version the pages read so far hold.</summary>
            public Dictionary<int, ModelVersion> Seen { get; } = new Dictionary<int, ModelVersion>();
            public HashSet<string> Tokens { get; } = new HashSet<string>(StringComparer.Ordinal);
            public string? NextToken { get; set; }
            public int Pages { get; set; }
            /// <summary>Every page was read: what is not in it does not exist.</summary>
            public bool Complete { get; set; }
            /// <summary>Listing cannot go on (a repeated token, a role that may not list): targets are described.</summary>
            public bool Abandoned { get; set; }
            /// <summary>A page read failed: every target waiting on the listing fails with it.</summary>
            public Exception? Failure { get; set; }
            /// <summary>The page being read, shared by its waiters.</summary>
            public Task? Reading { get; set; }

            public void Expect(int version)
            {
                lock (this)
                    if (Targets.Add(version) && FirstTwo.Count < 2) FirstTwo.Add(version);
            }
        }

        private async Task ReadPageAsync(GroupListing listing)
        {
            await Task.Yield(); // off the asker's stack: the page is read outside the listing's lock
            string? token;
            lock (listing)
            {
                token = listing.NextToken;
                if (listing.Pages == 0) listing.Query.Descending = !(listing.FirstTwo.Count == 2 && listing.FirstTwo[1] > listing.FirstTwo[0]);
            }
            try
            {
                var page = await _registry.ListVersionsAsync(listing.Query, token, _command).ConfigureAwait(false);
                lock (listing)
                {
                    listing.Pages++;
                    foreach (var v in page.Items) listing.Seen[v.Version] = v;
                    listing.NextToken = page.NextToken;
                    if (page.NextToken is null) listing.Complete = true;
                    // A repeated token would list forever; describing the rest is always correct.
                    else if (!listing.Tokens.Add(page.NextToken)) listing.Abandoned = true;
                }
            }
            catch (RegistryException e) when (e.Kind == RegistryErrorKind.NotFound)
            {
                lock (listing) listing.Complete = true; // the group is gone, and with it every version
            }
            catch (RegistryException e) when (e.Kind == RegistryErrorKind.AccessDenied)
            {
                lock (listing) listing.Abandoned = true; // a role that may describe but not list: each target is described
            }
            catch (Exception e)
            {
                lock (listing) listing.Failure = e;
            }
            finally
            {
                lock (listing) listing.Reading = null;
            }
        }

        /// <summary>Waits for a shared page read; a caller's cancellation ends its wait, not the read.</summary>
        private static async Task WaitAsync(Task reading, CancellationToken ct)
        {
            if (reading.IsCompleted || !ct.CanBeCanceled)
            {
                await reading.ConfigureAwait(false);
                return;
            }
            var cancelled = new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously);
            using (ct.Register(() => cancelled.TrySetResult(true)))
            {
                if (await Task.WhenAny(reading, cancelled.Task).ConfigureAwait(false) != reading)
                    ct.ThrowIfCancellationRequested();
            }
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
