using System.Collections.Concurrent;
using ModelRegistry.Engine.Bulk;
using ModelRegistry.Engine.Operations;
using ModelRegistry.Engine.Registry;
using ModelRegistry.Engine.Registry.Local;
using ModelRegistry.Tests.Support;

namespace ModelRegistry.Tests.Operations;

/// <summary>
/// Changes that start while the input still arrives: a target goes on once the page holding it is read (not the
/// whole listing), and a streaming run updates its first version before the next one is even given. No timing:
/// the listing's second page and the input's second version wait on gates the test opens; the only bound is a
/// generous one that fails a hang instead of waiting forever.
/// </summary>
public sealed class StreamingVersionChangeTests : IDisposable
{
    private static readonly TimeSpan Hang = TimeSpan.FromSeconds(60);
    private static CancellationToken Ct => CancellationToken.None;
    private readonly LocalVersions _fixture = new("mr-streaming");
    private LocalRegistry Local => _fixture.Registry;
    private List<ModelVersion> Versions => _fixture.Versions;

    public void Dispose() => _fixture.Dispose();

    /// <summary>Lists the group two versions to a page; the second page waits for <see cref="SecondPage"/>; counts calls.</summary>
    private sealed class PagedRegistry(IModelRegistry inner) : RegistryDecorator(inner)
    {
        public TaskCompletionSource SecondPage { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
        public int Pages;
        public int Describes;
        public TaskCompletionSource<string> FirstUpdate { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public override async Task<Page<ModelVersion>> ListVersionsAsync(VersionQuery query, string? nextToken, CancellationToken ct)
        {
            Interlocked.Increment(ref Pages);
            var all = (await Inner.ListVersionsAsync(query, null, ct)).Items.ToList(); // in the query's order
            if (nextToken is null) return new Page<ModelVersion>(all.Take(2).ToList(), "second");
            await SecondPage.Task.WaitAsync(ct);
            return new Page<ModelVersion>(all.Skip(2).ToList(), null);
        }

        public override Task<ModelVersion?> GetVersionAsync(string arn, CancellationToken ct)
        {
            Interlocked.Increment(ref Describes);
            return base.GetVersionAsync(arn, ct);
        }

        public override async Task<ModelVersion> UpdateVersionAsync(string arn, VersionUpdate update, CancellationToken ct)
        {
            var changed = await base.UpdateVersionAsync(arn, update, ct);
            FirstUpdate.TrySetResult(arn);
            return changed;
        }
    }

    [Fact]
    public async Task A_target_on_the_first_page_goes_on_while_the_second_page_is_still_being_read()
    {
        var paged = new PagedRegistry(Local);
        var newest = Versions[2];
        var oldest = Versions[0];
        var current = new CurrentVersions(paged, new[] { newest.Arn, oldest.Arn }, Ct);

        // Newest first: version 3 is on the first page, and is judged without waiting for the second.
        var found = await current.GetAsync(newest.Arn, Ct).WaitAsync(Hang);
        Assert.Equal(3, found!.Version);
        var waiting = current.GetAsync(oldest.Arn, Ct);
        Assert.False(waiting.IsCompleted);

        paged.SecondPage.SetResult();
        Assert.Equal(1, (await waiting.WaitAsync(Hang))!.Version);
        Assert.Equal(2, paged.Pages);
        Assert.Equal(0, paged.Describes);
    }

    [Fact]
    public async Task The_first_page_is_asked_for_when_the_second_target_is_expected_before_any_target_asks()
    {
        var paged = new PagedRegistry(Local);
        var current = new CurrentVersions(paged, Ct);
        current.Expect(Versions[0].Arn);
        Assert.Equal(0, Volatile.Read(ref paged.Pages)); // one target: it will be described, not listed
        current.Expect(Versions[1].Arn);
        // The page is on its way although no target asked yet (their work may still wait for a slot).
        var deadline = DateTime.UtcNow + Hang;
        while (Volatile.Read(ref paged.Pages) == 0 && DateTime.UtcNow < deadline) await Task.Delay(10);
        Assert.Equal(1, Volatile.Read(ref paged.Pages));
        Assert.Equal(1, (await current.GetAsync(Versions[0].Arn, Ct).WaitAsync(Hang))!.Version);
        Assert.Equal(2, (await current.GetAsync(Versions[1].Arn, Ct).WaitAsync(Hang))!.Version);
        Assert.Equal((1, 0), (paged.Pages, paged.Describes)); // the same page served both
    }

    [Fact]
    public async Task A_group_with_one_target_is_described_and_a_listing_runs_the_way_the_targets_come()
    {
        var paged = new PagedRegistry(Local);
        paged.SecondPage.SetResult();
        Assert.Equal(1, (await new CurrentVersions(paged, new[] { Versions[0].Arn }, Ct).GetAsync(Versions[0].Arn, Ct))!.Version);
        Assert.Equal((0, 1), (paged.Pages, paged.Describes));

        // Given oldest first (Get-MRModelVersion's order): listed oldest first, so one page holds both.
        var ascending = new CurrentVersions(paged, new[] { Versions[0].Arn, Versions[1].Arn }, Ct);
        Assert.Equal(1, (await ascending.GetAsync(Versions[0].Arn, Ct))!.Version);
        Assert.Equal(2, (await ascending.GetAsync(Versions[1].Arn, Ct))!.Version);
        Assert.Equal((1, 1), (paged.Pages, paged.Describes));

        // Given newest first: listed newest first; the older target needs the second page, which completes the listing.
        var descending = new CurrentVersions(paged, new[] { Versions[1].Arn, Versions[0].Arn }, Ct);
        Assert.Equal(2, (await descending.GetAsync(Versions[1].Arn, Ct))!.Version);
        Assert.Equal(1, (await descending.GetAsync(Versions[0].Arn, Ct))!.Version);
        Assert.Equal((3, 1), (paged.Pages, paged.Describes));
        // A version the complete listing does not hold is gone, without a describe.
        Assert.Null(await descending.GetAsync(Versions[0].Arn.Replace("/g/1", "/g/9"), Ct));
        Assert.Equal((3, 1), (paged.Pages, paged.Describes));
    }

    [Fact]
    public async Task A_streaming_run_changes_its_first_version_before_the_next_is_given()
    {
        var paged = new PagedRegistry(Local);
        paged.SecondPage.SetResult();
        var ops = new ModelVersionOperations(paged);
        var outcomes = new List<BulkOutcome<VersionTarget, ModelVersion>>();
        using (var run = ops.StartUpdates(VersionUpdate.Approval(ApprovalStatus.Approved, "ok"), force: false, new BulkOptions(4), Ct))
        {
            run.Add(new VersionTarget(Versions[2].Arn));
            // With a run that waited for all of its input, this would never complete.
            Assert.Equal(Versions[2].Arn, await paged.FirstUpdate.Task.WaitAsync(Hang));
            run.Add(new VersionTarget(Versions[1].Arn));
            outcomes.AddRange(run.RemainingOutcomes());
        }
        Assert.All(outcomes, o => Assert.True(o.Succeeded, o.Error?.ToString()));
        Assert.Equal(new[] { 0, 1 }, outcomes.Select(o => o.Index).OrderBy(i => i));
        foreach (var v in Versions.Skip(1))
            Assert.Equal(ApprovalStatus.Approved, (await Local.GetVersionAsync(v.Arn, Ct))!.Status);
        Assert.Equal(ApprovalStatus.PendingManualApproval, (await Local.GetVersionAsync(Versions[0].Arn, Ct))!.Status);
    }

    [Fact]
    public void Inputs_added_after_the_run_stopped_starting_are_reported_not_started()
    {
        using var stop = new CancellationTokenSource();
        var started = new ConcurrentBag<int>();
        using var run = BulkRunner.Start<int, int>((i, ct) => { started.Add(i); return Task.FromResult(i); }, new BulkOptions(2, stopStarting: stop.Token), Ct);
        run.Add(0);
        var first = run.RemainingOutcomesUntil(1);
        stop.Cancel();
        run.Add(1);
        run.Add(2);
        var rest = run.RemainingOutcomes().ToList();
        Assert.True(first.Single().Succeeded);
        Assert.Equal(new[] { 1, 2 }, rest.Select(o => o.Index).OrderBy(i => i));
        Assert.All(rest, o => Assert.True(o.Skipped));
        Assert.Equal(new[] { 0 }, started);
        Assert.Throws<InvalidOperationException>(() => run.Add(3));
    }
}

internal static class BulkRunTestExtensions
{
    /// <summary>The first <paramref name="count"/> outcomes, waiting for each (bounded: a hang fails instead).</summary>
    public static List<BulkOutcome<TIn, TOut>> RemainingOutcomesUntil<TIn, TOut>(this BulkRun<TIn, TOut> run, int count)
    {
        var taken = new List<BulkOutcome<TIn, TOut>>();
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (taken.Count < count)
        {
            if (run.TryTake(out var o)) taken.Add(o);
            else if (DateTime.UtcNow > deadline) throw new TimeoutException("the run did not report");
            else Thread.Sleep(5);
        }
        return taken;
    }
}
