using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using ModelRegistry.Engine.Registry;

namespace ModelRegistry.Engine.Operations
{
    /// <summary>
    /// Versions listed while a change command runs, handed to that command's guards so they need not read them
    /// again: in <c>Get-MRModelVersion | Set-MRApproval</c> each page is read once, and the first change goes out
    /// one round trip sooner. Only a listing that began after the change command began is handed on: it is the
    /// registry's state during that command, as current as the command's own listing would be (which it reads once
    /// and judges later targets by too). Never a piped object's copy, and never a read from before the command (a
    /// variable filled earlier is read again). Each version is handed on once; a watcher holds at most
    /// <see cref="MaxHeld"/> versions nobody asked for yet and forgets them when its command ends. A version this
    /// process changes or removes meanwhile (<c>… | Deny-MRModelVersion -PassThru | Approve-MRModelVersion</c>) is never
    /// handed on again to a command watching then: it is read again, so the guards see the change.
    /// </summary>
    public sealed class VersionReads : IDisposable
    {
        /// <summary>Versions a watcher keeps for its command; past it, a version is read again (slower, never wrong).</summary>
        public const int MaxHeld = 10_000;

        private static readonly object Watching = new object();
        private static VersionReads[] _watchers = Array.Empty<VersionReads>();

        private readonly Dictionary<(IModelRegistry Registry, string Arn), ModelVersion> _held =
            new Dictionary<(IModelRegistry, string), ModelVersion>();
        private readonly HashSet<(IModelRegistry Registry, string Arn)> _changed = new HashSet<(IModelRegistry, string)>();
        private bool _ended;

        private VersionReads() { }

        /// <summary>A change command begins: listings from now on are kept for it until <see cref="Dispose"/>.</summary>
        public static VersionReads Watch()
        {
            var watcher = new VersionReads();
            lock (Watching) _watchers = _watchers.Append(watcher).ToArray();
            return watcher;
        }

        /// <summary>The command ended: nothing more is kept for it.</summary>
        public void Dispose()
        {
            lock (Watching) _watchers = _watchers.Where(w => w != this).ToArray();
            lock (_held)
            {
                _ended = true;
                _held.Clear();
                _changed.Clear();
            }
        }

        /// <summary>Reads one page of a version listing and hands its versions to the commands that were watching when the
        /// read began (not to one that began while it was out: the page may predate that command).</summary>
        internal static async Task<Page<ModelVersion>> ListAsync(IModelRegistry registry, VersionQuery query, string? nextToken, CancellationToken ct)
        {
            var watchers = Volatile.Read(ref _watchers);
            var page = await registry.ListVersionsAsync(query, nextToken, ct).ConfigureAwait(false);
            foreach (var watcher in watchers)
                lock (watcher._held)
                    foreach (var v in page.Items)
                    {
                        if (watcher._ended || watcher._held.Count >= MaxHeld) break;
                        if (!string.IsNullOrEmpty(v.Arn) && !watcher._changed.Contains((registry, v.Arn))) watcher._held[(registry, v.Arn)] = v;
                    }
            return page;
        }

        /// <summary>This process changed or removed a version: no command watching now judges it by a listing (a page read
        /// before the change may come back after it).</summary>
        internal static void Changed(IModelRegistry registry, string arn)
        {
            foreach (var watcher in Volatile.Read(ref _watchers))
                lock (watcher._held)
                {
                    watcher._held.Remove((registry, arn));
                    if (!watcher._ended) watcher._changed.Add((registry, arn));
                }
        }

        /// <summary>Whether a version of <paramref name="registry"/> was listed for this command and not yet taken.</summary>
        public bool Holds(IModelRegistry registry, string arn)
        {
            lock (_held) return _held.ContainsKey((registry, arn));
        }

        /// <summary>Takes a version listed for this command (once: a second ask reads the registry).</summary>
        public bool TryTake(IModelRegistry registry, string arn, out ModelVersion version)
        {
            lock (_held)
            {
                if (_held.TryGetValue((registry, arn), out version!))
                {
                    _held.Remove((registry, arn));
                    return true;
                }
                return false;
            }
        }
    }
}
