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

        public override async Task<Page<ModelGroup>> ListGroupsAsync(string? nameContains, string? nextToken, int pageSize, CancellationToken ct)
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
            return await Inner.ListGroupsAsync(nameContains, nextToken, pageSize, ct);
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
        // Nothing of the command keeps reading after it returned.
        Assert.Equal(1, slow.Listings);
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
        Assert.Equal(1, slow.Describes);
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

        public override async Task<Page<ModelGroup>> ListGroupsAsync(string? nameContains, string? nextToken, int pageSize, CancellationToken ct)
        {
            Interlocked.Increment(ref Listings);
            await _firstDescribe.Task.WaitAsync(ct);
            return await Inner.ListGroupsAsync(nameContains, nextToken, pageSize, ct);
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
        Assert.Equal(1, slow.Listings);
        Assert.Equal(0, slow.Cancelled);
        slow.Gate.SetResult();
        Assert.Equal("existing", _local.GetGroupAsync("g-02", Ct).GetAwaiter().GetResult()!.Description);
    }

    /// <summary>A listing that fails: groups are described instead of failing.</summary>
    private sealed class FailingListing(IModelRegistry inner) : RegistryDecorator(inner)
    {
        public override Task<Page<ModelGroup>> ListGroupsAsync(string? nameContains, string? nextToken, int pageSize, CancellationToken ct) =>
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
}
