using ModelRegistry.Engine.Operations;
using ModelRegistry.Engine.Registry;
using ModelRegistry.Engine.Registry.Local;
using ModelRegistry.Tests.Support;

namespace ModelRegistry.Tests.Operations;

/// <summary>
/// New-MRModelGroup's engine: what exists comes from a listing read in the background, and groups whose turn comes
/// first are described, so creating never waits for a listing of the whole registry.
/// </summary>
public sealed class GroupEnsureTests : IDisposable
{
    private readonly TempFolder _temp = new("mr-ensure");
    private readonly LocalRegistry _local;
    private static CancellationToken Ct => CancellationToken.None;

    public GroupEnsureTests()
    {
        _local = new LocalRegistry(new RegistryConnection { Backend = RegistryBackend.Local, LocalPath = _temp.Path });
    }

    public void Dispose()
    {
        _local.Dispose();
        _temp.Dispose();
    }

    private static DesiredGroup Want(string name) => new(name, "d " + name, new Dictionary<string, string> { ["Team"] = "t" });

    /// <summary>A listing that does not answer until released; counts describes and creates.</summary>
    private sealed class SlowListing(IModelRegistry inner) : RegistryDecorator(inner)
    {
        public readonly TaskCompletionSource Release = new(TaskCreationOptions.RunContinuationsAsynchronously);
        public int Describes;
        public int Creates;
        public int Listings;
        public bool ListingCancelled;

        public override async Task<Page<ModelGroup>> ListGroupsAsync(string? nameContains, string? nextToken, int pageSize, NameOrder order, CancellationToken ct)
        {
            Interlocked.Increment(ref Listings);
            try
            {
                await Release.Task.WaitAsync(ct);
            }
            catch (OperationCanceledException)
            {
                ListingCancelled = true;
                throw;
            }
            return await Inner.ListGroupsAsync(nameContains, nextToken, pageSize, order, ct);
        }

        public Func<Task>? BeforeDescribe;

        public override async Task<ModelGroup?> GetGroupAsync(string name, CancellationToken ct)
        {
            Interlocked.Increment(ref Describes);
            if (BeforeDescribe != null) await BeforeDescribe();
            return await Inner.GetGroupAsync(name, ct);
        }

        public override Task<ModelGroup> CreateGroupAsync(string name, string description, IReadOnlyDictionary<string, string> tags, CancellationToken ct)
        {
            Interlocked.Increment(ref Creates);
            return Inner.CreateGroupAsync(name, description, tags, ct);
        }
    }

    [Fact]
    public void Creates_do_not_wait_for_the_listing_and_the_listing_ends_with_the_run()
    {
        _local.CreateGroupAsync("g-00", "existing", new Dictionary<string, string> { ["Keep"] = "me" }, Ct).GetAwaiter().GetResult();
        var slow = new SlowListing(_local);
        var desired = Enumerable.Range(0, 10).Select(i => Want($"g-{i:D2}")).ToList();

        // The listing never answers during the run: every group is judged by its own describe.
        var outcomes = new ModelGroupOperations(slow).Ensure(desired, force: false, 4, Ct).ToList();

        Assert.All(outcomes, o => Assert.Null(o.Error));
        Assert.Equal(GroupChange.Existed, outcomes.Single(o => o.Input.Name == "g-00").Result!.Change);
        Assert.Equal(9, outcomes.Count(o => o.Result!.Change == GroupChange.Created));
        Assert.Equal(10, slow.Describes);
        Assert.Equal(9, slow.Creates);
        // The existing group was judged, not re-created: its description and tags are as they were.
        var kept = _local.GetGroupAsync("g-00", Ct).GetAwaiter().GetResult()!;
        Assert.Equal("existing", kept.Description);
        // Nothing of the command keeps reading after it returned: one listing from each end of the names, both ended.
        Assert.Equal(2, slow.Listings);
        Assert.True(slow.ListingCancelled);
    }

    [Fact]
    public void Once_the_listing_is_complete_no_group_is_described()
    {
        _local.CreateGroupAsync("g-00", "existing", new Dictionary<string, string>(), Ct).GetAwaiter().GetResult();
        var slow = new SlowListing(_local);
        var desired = Enumerable.Range(0, 40).Select(i => Want($"g-{i:D2}")).ToList();
        var ops = new ModelGroupOperations(slow);
        // The listing answers when the first group is described, and that describe returns once the listing is
        // complete: the order is fixed, with no race against the clock.
        slow.BeforeDescribe = () =>
        {
            slow.Release.TrySetResult();
            return ops.Listing!;
        };

        var outcomes = ops.Ensure(desired, force: false, 1, Ct).ToList();

        Assert.All(outcomes, o => Assert.Null(o.Error));
        Assert.Equal(39, slow.Creates);
        // The listing answers only once a describe begins, which is after the patience for the first pages
        // (ExistingGroups.FirstPagesPatience): the first group is described, and the next one ahead of its turn (one
        // slot: one ahead); no group after them.
        Assert.Equal(2, slow.Describes);
        Assert.Equal(GroupChange.Existed, outcomes.Single(o => o.Input.Name == "g-00").Result!.Change);
    }

    /// <summary>Describes that wait for <see cref="Gate"/> (as behind a slow start); the listing answers once the first
    /// describe has started, so the order is fixed without a race against the clock.</summary>
    private sealed class SlowDescribes(IModelRegistry inner) : RegistryDecorator(inner)
    {
        public readonly TaskCompletionSource Gate = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private readonly TaskCompletionSource _firstDescribe = new(TaskCreationOptions.RunContinuationsAsynchronously);
        public int Started;
        public int Cancelled;
        public int Listings;

        public override async Task<Page<ModelGroup>> ListGroupsAsync(string? nameContains, string? nextToken, int pageSize, NameOrder order, CancellationToken ct)
        {
            Interlocked.Increment(ref Listings);
            await _firstDescribe.Task.WaitAsync(ct);
            return await Inner.ListGroupsAsync(nameContains, nextToken, pageSize, order, ct);
        }

        public override async Task<ModelGroup?> GetGroupAsync(string name, CancellationToken ct)
        {
            Interlocked.Increment(ref Started);
            _firstDescribe.TrySetResult();
            try
            {
                await Gate.Task.WaitAsync(ct);
            }
            catch (OperationCanceledException)
            {
                Interlocked.Increment(ref Cancelled);
                throw;
            }
            return await Inner.GetGroupAsync(name, ct);
        }
    }

    [Fact]
    public void Describes_the_listing_made_unnecessary_do_not_hold_the_run_and_sent_ones_are_not_aborted()
    {
        _local.CreateGroupAsync("g-02", "existing", new Dictionary<string, string>(), Ct).GetAwaiter().GetResult();
        var slow = new SlowDescribes(_local);
        var desired = Enumerable.Range(0, 12).Select(i => Want($"g-{i:D2}")).ToList();

        // The describes never answer: every group is judged by the listing, and the run does not wait for describes
        // it no longer needs (bounded: a hang fails the test instead of waiting forever). A describe already sent is
        // left to finish, not aborted (CallOff: aborting closes its connection and saves no call); those still waiting
        // for their turn on SageMaker are called off (RetryPolicyTests).
        var run = Task.Run(() => new ModelGroupOperations(slow).Ensure(desired, force: false, 4, Ct).ToList());
        Assert.True(run.Wait(TimeSpan.FromSeconds(60)), "the run waited for describes the listing had made unnecessary");
        var outcomes = run.Result;
        Assert.True(slow.Started > 0);

        Assert.All(outcomes, o => Assert.Null(o.Error));
        Assert.Equal(GroupChange.Existed, outcomes.Single(o => o.Input.Name == "g-02").Result!.Change);
        Assert.Equal(11, outcomes.Count(o => o.Result!.Change == GroupChange.Created));
        Assert.Equal(2, slow.Listings); // one page from each end of the names
        Assert.Equal(0, slow.Cancelled);
        slow.Gate.SetResult();
        Assert.Equal("existing", _local.GetGroupAsync("g-02", Ct).GetAwaiter().GetResult()!.Description);
    }

    /// <summary>A listing that fails: groups are described instead of failing.</summary>
    private sealed class FailingListing(IModelRegistry inner) : RegistryDecorator(inner)
    {
        public override Task<Page<ModelGroup>> ListGroupsAsync(string? nameContains, string? nextToken, int pageSize, NameOrder order, CancellationToken ct) =>
            throw new RegistryException(RegistryErrorKind.AccessDenied, "not allowed to list", null, "AccessDeniedException");
    }

    [Fact]
    public void A_failed_listing_fails_no_group()
    {
        _local.CreateGroupAsync("g-03", "existing", new Dictionary<string, string>(), Ct).GetAwaiter().GetResult();
        var desired = Enumerable.Range(0, 8).Select(i => Want($"g-{i:D2}")).ToList();

        var outcomes = new ModelGroupOperations(new FailingListing(_local)).Ensure(desired, force: false, 2, Ct).ToList();

        Assert.All(outcomes, o => Assert.Null(o.Error));
        Assert.Equal(GroupChange.Existed, outcomes.Single(o => o.Input.Name == "g-03").Result!.Change);
        Assert.Equal(7, outcomes.Count(o => o.Result!.Change == GroupChange.Created));
    }

    /// <summary>Counts listing pages per direction and creates per name; a listing's second page waits until the other
    /// end's first page is in (as if both took a round trip), so what a page judges does not race a fast backend.
    /// Describes wait for <see cref="Describes"/>, so the listings alone judge. Optionally answers descending listings in
    /// ascending order (a service that ignores SortOrder).</summary>
    private sealed class CountingRegistry(IModelRegistry inner, bool ignoreDescending = false) : RegistryDecorator(inner)
    {
        /// <summary>Before a second page, waits this long for a create (to let a wrong judgement from the first pages
        /// show); correct code never depends on it.</summary>
        public TimeSpan SecondPageWaitsForACreate = TimeSpan.Zero;
        private readonly TaskCompletionSource _created = new(TaskCreationOptions.RunContinuationsAsynchronously);
        public int Ascending;
        public int Descending;
        public readonly System.Collections.Concurrent.ConcurrentBag<string> Created = new();
        public readonly TaskCompletionSource Describes = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private readonly TaskCompletionSource _ascendingFirst = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private readonly TaskCompletionSource _descendingFirst = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public override async Task<Page<ModelGroup>> ListGroupsAsync(string? nameContains, string? nextToken, int pageSize, NameOrder order, CancellationToken ct)
        {
            var ascending = order == NameOrder.Ascending;
            Interlocked.Increment(ref ascending ? ref Ascending : ref Descending);
            if (nextToken != null)
            {
                await (ascending ? _descendingFirst : _ascendingFirst).Task.WaitAsync(ct);
                await Task.WhenAny(_created.Task, Task.Delay(SecondPageWaitsForACreate, ct));
            }
            var page = await Inner.ListGroupsAsync(nameContains, nextToken, pageSize, ignoreDescending ? NameOrder.Ascending : order, ct);
            (ascending ? _ascendingFirst : _descendingFirst).TrySetResult();
            return page;
        }

        public override async Task<ModelGroup?> GetGroupAsync(string name, CancellationToken ct)
        {
            // The read after a create answered AlreadyExists is not held (a wrong judgement fails the test, not hangs it).
            if (!Created.Contains(name)) await Describes.Task.WaitAsync(ct);
            return await Inner.GetGroupAsync(name, ct);
        }

        public override Task<ModelGroup> CreateGroupAsync(string name, string description, IReadOnlyDictionary<string, string> tags, CancellationToken ct)
        {
            Created.Add(name);
            _created.TrySetResult();
            return Inner.CreateGroupAsync(name, description, tags, ct);
        }
    }

    private void Existing(string stem, int count)
    {
        for (var i = 0; i < count; i++)
            _local.CreateGroupAsync($"{stem}-{i:D3}", "existing", new Dictionary<string, string>(), Ct).GetAwaiter().GetResult();
    }

    [Fact]
    public void Groups_named_near_either_end_are_judged_from_the_first_pages_and_the_listings_stop()
    {
        // 1,000 groups: ten pages from either end to list them all.
        Existing("m", 1000);
        var counting = new CountingRegistry(_local);
        var desired = Enumerable.Range(0, 6).Select(i => Want($"a-{i}"))      // before every name: absent
            .Concat(Enumerable.Range(0, 6).Select(i => Want($"z-{i}")))        // after every name: absent
            .Concat(new[] { Want("m-050"), Want("m-950") })                    // on the first page of each end
            .ToList();

        var outcomes = Bounded(() => new ModelGroupOperations(counting).Ensure(desired, force: false, 4, Ct).ToList());
        counting.Describes.SetResult();

        Assert.All(outcomes, o => Assert.Null(o.Error));
        Assert.Equal(GroupChange.Existed, outcomes.Single(o => o.Input.Name == "m-050").Result!.Change);
        Assert.Equal(GroupChange.Existed, outcomes.Single(o => o.Input.Name == "m-950").Result!.Change);
        Assert.Equal(12, outcomes.Count(o => o.Result!.Change == GroupChange.Created));
        // Only the absent groups were created (none sent in error and answered AlreadyExists).
        Assert.Equal(desired.Where(d => !d.Name.StartsWith("m-")).Select(d => d.Name).OrderBy(n => n), counting.Created.OrderBy(n => n));
        // Each end's first page judges all of them; a listing may read a page or two more while the other end's first
        // page is taken in — never the ten pages of listing everything from one end.
        Assert.InRange(counting.Ascending, 1, 4);
        Assert.InRange(counting.Descending, 1, 4);
    }

    [Fact]
    public void Pages_out_of_the_expected_order_judge_absence_only_from_a_complete_listing()
    {
        // A service that answers a descending listing in ascending order: its first page ends at m-099, which read as a
        // descending frontier would call every later name absent. The order check catches it.
        Existing("m", 150);
        var counting = new CountingRegistry(_local, ignoreDescending: true) { SecondPageWaitsForACreate = TimeSpan.FromMilliseconds(500) };
        var desired = new[] { Want("m-120"), Want("m-149"), Want("n-0"), Want("a-0"), Want("m-0995") }.ToList();

        var outcomes = Bounded(() => new ModelGroupOperations(counting).Ensure(desired, force: false, 2, Ct).ToList());
        counting.Describes.SetResult();

        Assert.All(outcomes, o => Assert.Null(o.Error));
        Assert.Equal(GroupChange.Existed, outcomes.Single(o => o.Input.Name == "m-120").Result!.Change);
        Assert.Equal(GroupChange.Existed, outcomes.Single(o => o.Input.Name == "m-149").Result!.Change);
        // No create was sent for a group that exists.
        Assert.Equal(new[] { "a-0", "m-0995", "n-0" }, counting.Created.OrderBy(n => n, StringComparer.Ordinal));
    }

    /// <summary>Runs <paramref name="run"/>, failing the test instead of hanging it.</summary>
    private static T Bounded<T>(Func<T> run)
    {
        var task = Task.Run(run);
        Assert.True(task.Wait(TimeSpan.FromSeconds(60)), "the run did not end");
        return task.Result;
    }

    [Fact]
    public void Listings_meet_only_where_every_order_of_names_agrees()
    {
        // Upper and lower case: "ML-…" comes before "churn-…" in ordinal order and after it ignoring case (Local's
        // order). The first pages end at churn-099 (ascending) and ML-100 (descending): crossed in one order, not in
        // the other, so the middle (churn-100…, ML-000…) has not been listed and nothing there is judged absent.
        for (var i = 0; i < 200; i++)
        {
            _local.CreateGroupAsync($"churn-{i:D3}", "existing", new Dictionary<string, string>(), Ct).GetAwaiter().GetResult();
            _local.CreateGroupAsync($"ML-{i:D3}", "existing", new Dictionary<string, string>(), Ct).GetAwaiter().GetResult();
        }
        var counting = new CountingRegistry(_local) { SecondPageWaitsForACreate = TimeSpan.FromMilliseconds(500) };
        var desired = new[] { Want("churn-150"), Want("ML-050"), Want("a-new"), Want("z-new"), Want("n-new") }.ToList();

        var outcomes = Bounded(() => new ModelGroupOperations(counting).Ensure(desired, force: false, 2, Ct).ToList());
        counting.Describes.SetResult();

        Assert.All(outcomes, o => Assert.Null(o.Error));
        Assert.Equal(GroupChange.Existed, outcomes.Single(o => o.Input.Name == "churn-150").Result!.Change);
        Assert.Equal(GroupChange.Existed, outcomes.Single(o => o.Input.Name == "ML-050").Result!.Change);
        Assert.Equal(new[] { "a-new", "n-new", "z-new" }, counting.Created.OrderBy(n => n, StringComparer.Ordinal));
    }

    /// <summary>A listing that never answers; records the names described.</summary>
    private sealed class NeverListed(IModelRegistry inner) : RegistryDecorator(inner)
    {
        public readonly System.Collections.Concurrent.ConcurrentBag<string> Described = new();

        public override async Task<Page<ModelGroup>> ListGroupsAsync(string? nameContains, string? nextToken, int pageSize, NameOrder order, CancellationToken ct)
        {
            await Task.Delay(Timeout.Infinite, ct);
            throw new InvalidOperationException("not reached");
        }

        public override Task<ModelGroup?> GetGroupAsync(string name, CancellationToken ct)
        {
            Described.Add(name);
            return Inner.GetGroupAsync(name, ct);
        }
    }

    [Fact]
    public void Reads_begun_before_the_account_check_serve_only_the_groups_the_run_acts_on()
    {
        // New-MRModelGroup begins the lookup for every group while STS answers; groups the guard refuses (or the user
        // declines under -Confirm) are not in the run, and nothing is described for them.
        var neverListed = new NeverListed(_local);
        var ops = new ModelGroupOperations(neverListed);
        var all = Enumerable.Range(0, 10).Select(i => Want($"g-{i:D2}")).ToList();
        var run = all.Where((_, i) => i % 2 == 0).ToList();

        using (var lookUp = ops.LookUp(all, 4, Ct))
        {
            var outcomes = Bounded(() => ops.Ensure(run, force: false, 4, Ct, lookUp).ToList());
            Assert.All(outcomes, o => Assert.Equal(GroupChange.Created, o.Result!.Change));
        }

        Assert.Equal(run.Select(g => g.Name).OrderBy(n => n), neverListed.Described.OrderBy(n => n));
        Assert.Null(_local.GetGroupAsync("g-01", Ct).GetAwaiter().GetResult());
    }
}
