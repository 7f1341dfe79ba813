using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using ModelRegistry.Engine.Registry;

namespace ModelRegistry.Engine.Operations
{
    /// <summary>
    /// Which of one <see cref="ModelGroupOperations.Ensure"/> run's groups exist, learned while the run goes on.
    /// With several groups the registry's groups are listed by name from both ends at once, a page at a time, in the
    /// background: a group is settled as soon as a listing has shown it, or has passed where its name would be (it does
    /// not exist), and the listings stop once every group of the run is settled or they meet. So groups named before or
    /// after all others (a configuration's groups often sort together) are settled by the first page from each end,
    /// and the rest within half the pages of a listing of everything. The groups those first pages leave open are
    /// described, up to <c>ahead</c> groups before the bulk run's slots reach them; whichever answers first settles a
    /// group. Describing waits for the first pages (at most <see cref="FirstPagesPatience"/>): sent meanwhile, most
    /// describes would race a page that settles them anyway, and at a limit of a few calls a second they would be
    /// throttled for nothing. A describe still waiting for its turn (slow start, send rate) once its group is settled
    /// is called off (<see cref="CallOff"/>); one already sent finishes and its answer is ignored.
    /// Absence is judged from the name order only while every page came in the order names compare here (ordinal, with
    /// and without case); otherwise only a complete listing judges absence. A group judged absent that does exist
    /// answers the create with AlreadyExists and is then read, so a misjudgement costs one call, never a group.
    /// A failed listing fails no group: groups it has not settled are described.
    /// </summary>
    public sealed class ExistingGroups : IDisposable
    {
        private readonly IModelRegistry _registry;
        private readonly IReadOnlyList<DesiredGroup> _desired;
        private readonly Dictionary<DesiredGroup, int> _positions = new Dictionary<DesiredGroup, int>();
        private readonly Describe?[] _describes;
        private readonly int _ahead;
        private readonly CancellationToken _command;
        // Ends the listings with the run: nothing of the command goes on reading after it returns.
        private readonly CancellationTokenSource _stopListing;
        // Calls off every describe still waiting for its turn when the run ends.
        private readonly CancellationTokenSource _runOver = new CancellationTokenSource();

        private readonly object _lock = new object();
        private readonly Dictionary<string, ModelGroup> _listed = new Dictionary<string, ModelGroup>(StringComparer.OrdinalIgnoreCase);
        private string? _low;       // every name up to this one has been listed (the ascending listing's last name)
        private string? _high;      // every name from this one on has been listed (the descending listing's last name)
        private bool _complete;     // every name has been listed
        private bool _unordered;    // a page was not in the order names compare here: absence only from a complete listing
        private int _reading;       // listings still reading
        private int _firstAnswers;  // listings whose first page (or failure) is in: describing waits for both
        private TaskCompletionSource<bool> _changed = NewSignal();
        private int _started;       // describes considered for positions below this
        private HashSet<DesiredGroup>? _run; // the groups the run acts on, once it starts (null: all of them)

        private sealed class Describe
        {
            public Describe(Lazy<Task<ModelGroup?>> call, CancellationTokenSource callOff) { Call = call; CallOff = callOff; }
            public Lazy<Task<ModelGroup?>> Call { get; }
            public CancellationTokenSource CallOff { get; }
        }

        /// <param name="registry">Where the groups live.</param>
        /// <param name="desired">The run's groups, in the order the bulk run starts them.</param>
        /// <param name="ahead">How far describes run ahead of the latest group the run started (its throttle limit).</param>
        /// <param name="list">Whether to list (several groups) or only describe.</param>
        /// <param name="command">The command's cancellation (Ctrl+C).</param>
        internal ExistingGroups(IModelRegistry registry, IReadOnlyList<DesiredGroup> desired, int ahead, bool list, CancellationToken command)
        {
            _registry = registry;
            _desired = desired;
            _ahead = Math.Max(0, ahead);
            _command = command;
            _describes = new Describe?[desired.Count];
            for (var i = 0; i < desired.Count; i++)
                if (!_positions.ContainsKey(desired[i])) _positions[desired[i]] = i;
            _stopListing = CancellationTokenSource.CreateLinkedTokenSource(command);
            if (!list) return;
            _reading = 2;
            // A listing slower than this (throttled, or stuck until its timeout) does not hold the run: describing begins.
            Task.Delay(FirstPagesPatience, _stopListing.Token).ContinueWith(_ =>
            {
                lock (_lock) _firstAnswers = 2;
                Signal();
            }, CancellationToken.None, TaskContinuationOptions.OnlyOnRanToCompletion, TaskScheduler.Default);
            Listing = Task.WhenAll(
                Task.Run(() => ReadAsync(NameOrder.Ascending, _stopListing.Token)),
                Task.Run(() => ReadAsync(NameOrder.Descending, _stopListing.Token)));
        }

        /// <summary>How long describing waits for the first page from each end (a round trip or two, normally).</summary>
        internal static readonly TimeSpan FirstPagesPatience = TimeSpan.FromSeconds(1);

        /// <summary>The background listings (tests wait on them); null when the run only describes.</summary>
        internal Task? Listing { get; }

        /// <summary>The group as it exists now, or null.</summary>
        internal async Task<ModelGroup?> CurrentAsync(DesiredGroup want, CancellationToken ct)
        {
            if (Listing is null || !_positions.TryGetValue(want, out var position))
                return await _registry.GetGroupAsync(want.Name, ct).ConfigureAwait(false);

            while (true)
            {
                ct.ThrowIfCancellationRequested();
                Task changed;
                bool reading;
                lock (_lock)
                {
                    if (Judged(want.Name, out var known)) return known;
                    changed = _changed.Task;
                    reading = _reading > 0;
                }
                DescribeThrough(position + _ahead);
                var describe = DescribeOf(position);
                if (!reading) return await (describe ?? _registry.GetGroupAsync(want.Name, ct)).ConfigureAwait(false);
                if (describe is null)
                {
                    // Not described yet: the first pages from both ends are still on their way.
                    await changed.ConfigureAwait(false);
                    continue;
                }
                await Task.WhenAny(describe, changed).ConfigureAwait(false);
                if (!describe.IsCompleted) continue; // the listings moved on: look again
                if (!describe.IsCanceled) return await describe.ConfigureAwait(false);
                // Called off: its group was judged meanwhile (or the command was cancelled, which the loop throws).
                lock (_lock)
                    if (Judged(want.Name, out var known)) return known;
                ct.ThrowIfCancellationRequested();
                return await _registry.GetGroupAsync(want.Name, ct).ConfigureAwait(false);
            }
        }

        /// <summary>Narrows what is learned to the groups the run acts on (those the account guard passed and the user
        /// confirmed): no describe, and no page read, for the others.</summary>
        internal void Run(IReadOnlyList<DesiredGroup> run)
        {
            lock (_lock) _run = new HashSet<DesiredGroup>(run);
        }

        /// <summary>Under the lock.</summary>
        private bool Wanted(DesiredGroup group) => _run is null || _run.Contains(group);

        /// <summary>Whether the listings have judged <paramref name="name"/>, and the group if it exists. Under the lock.</summary>
        private bool Judged(string name, out ModelGroup? group)
        {
            if (_listed.TryGetValue(name, out group)) return true;
            group = null;
            if (_complete) return true;
            if (_unordered) return false;
            return _low != null && Before(name, _low) || _high != null && Before(_high, name);
        }

        /// <summary>Whether <paramref name="a"/> comes before <paramref name="b"/> in every order a listing by name may use here.</summary>
        private static bool Before(string a, string b) =>
            string.CompareOrdinal(a, b) < 0 && StringComparer.OrdinalIgnoreCase.Compare(a, b) < 0;

        /// <summary>Whether an ascending listing that reached <paramref name="low"/> and a descending one that reached
        /// <paramref name="high"/> have together shown every name, in every order a listing by name may use here.</summary>
        private static bool Met(string low, string high) =>
            string.CompareOrdinal(low, high) >= 0 && StringComparer.OrdinalIgnoreCase.Compare(low, high) >= 0;

        private async Task ReadAsync(NameOrder order, CancellationToken ct)
        {
            var walk = new RegistryExtensions.PageWalk("ListModelPackageGroups");
            string? token = null;
            var answered = false;
            try
            {
                do
                {
                    var page = await _registry.ListGroupsAsync(null, token, RegistryExtensions.MaxPageSize, order, ct).ConfigureAwait(false);
                    token = walk.Next(page.NextToken);
                    var more = Learn(page, order, last: token is null, first: !answered);
                    answered = true;
                    if (!more) break;
                } while (token != null);
            }
            catch (Exception e) when (e is RegistryException || e is OperationCanceledException)
            {
                // Groups this listing has not judged are described.
            }
            finally
            {
                lock (_lock)
                {
                    _reading--;
                    if (!answered) _firstAnswers++;
                }
                Signal();
            }
        }

        /// <summary>Takes in one page; false when reading on would tell the run nothing more.</summary>
        private bool Learn(Page<ModelGroup> page, NameOrder order, bool last, bool first)
        {
            var callOff = new List<CancellationTokenSource>();
            bool more;
            lock (_lock)
            {
                if (first) _firstAnswers++;
                var ascending = order == NameOrder.Ascending;
                var frontier = ascending ? _low : _high;
                foreach (var group in page.Items)
                {
                    _listed[group.Name] = group;
                    if (frontier != null && !(ascending ? Before(frontier, group.Name) : Before(group.Name, frontier))) _unordered = true;
                    frontier = group.Name;
                }
                if (ascending) _low = frontier; else _high = frontier;
                // One listing at its end has shown every name; two that met have too, if their order can be trusted.
                if (last || !_unordered && _low != null && _high != null && Met(_low, _high)) _complete = true;

                for (var i = 0; i < _started; i++)
                    if (_describes[i] is { } d && !(d.Call.IsValueCreated && d.Call.Value.IsCompleted) && Judged(_desired[i].Name, out _))
                        callOff.Add(d.CallOff);
                // Out of order, the ascending listing alone reads on to the end (a complete listing still judges).
                more = !_complete && _desired.Any(g => Wanted(g) && !Judged(g.Name, out _)) && (ascending || !_unordered);
            }
            foreach (var cts in callOff) cts.Cancel();
            Signal();
            return more;
        }

        /// <summary>Wakes the groups waiting for the listings.</summary>
        private void Signal()
        {
            TaskCompletionSource<bool> changed;
            lock (_lock)
            {
                changed = _changed;
                _changed = NewSignal();
            }
            changed.TrySetResult(true);
        }

        private static TaskCompletionSource<bool> NewSignal() => new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously);

        /// <summary>Describing waits while a listing still reads its first page. Under the lock.</summary>
        private bool WaitingForFirstPages => _firstAnswers < 2 && _reading > 0;

        /// <summary>Starts the describes up to position <paramref name="last"/> of the groups the listings have not judged,
        /// once the first page from each end is in: most runs' groups are judged by those, and a describe sent meanwhile
        /// would race them for nothing (at a limit of a few calls a second, into throttling).</summary>
        private void DescribeThrough(int last)
        {
            last = Math.Min(last, _describes.Length - 1);
            var start = new List<Describe>();
            lock (_lock)
            {
                if (WaitingForFirstPages) return;
                for (; _started <= last; _started++)
                {
                    if (!Wanted(_desired[_started]) || Judged(_desired[_started].Name, out _)) continue;
                    var describe = _describes[_started] = NewDescribe(_desired[_started].Name);
                    start.Add(describe);
                }
            }
            // Started outside the lock: a backend may answer synchronously (Local).
            foreach (var describe in start) _ = describe.Call.Value;
        }

        /// <summary>The group's describe; one passed over while the listings had judged the group, which an out-of-order
        /// page has since left open again, starts here. Null before its turn, and while describing waits for the first pages.</summary>
        private Task<ModelGroup?>? DescribeOf(int position)
        {
            Describe? describe;
            lock (_lock)
            {
                describe = _describes[position];
                if (describe is null)
                {
                    if (position >= _started || WaitingForFirstPages) return null;
                    _describes[position] = describe = NewDescribe(_desired[position].Name);
                }
            }
            return describe.Call.Value;
        }

        /// <summary>A describe of <paramref name="name"/>, started on first use, with its own call-off.</summary>
        private Describe NewDescribe(string name)
        {
            var callOff = CancellationTokenSource.CreateLinkedTokenSource(_runOver.Token);
            return new Describe(new Lazy<Task<ModelGroup?>>(() => DescribeAsync(name, callOff.Token)), callOff);
        }

        private Task<ModelGroup?> DescribeAsync(string name, CancellationToken callOff)
        {
            var describe = CallOff.RunAsync(callOff, () => _registry.GetGroupAsync(name, _command));
            // A describe whose group the listings judged is never awaited: observe its end so it is not reported unobserved.
            _ = describe.ContinueWith(t => t.Exception, CancellationToken.None, TaskContinuationOptions.OnlyOnFaulted, TaskScheduler.Default);
            return describe;
        }

        /// <summary>Ends the listings and calls off the describes still waiting; waits for the listings to stop.</summary>
        public void Dispose()
        {
            _runOver.Cancel();
            _stopListing.Cancel();
            try { Listing?.Wait(); } catch (AggregateException) { }
            _stopListing.Dispose();
        }
    }
}
