using System.Collections.Concurrent;
using ModelRegistry.Engine.Bulk;

namespace ModelRegistry.Tests.Bulk;

/// <summary>How a bulk run stops starting work (-ErrorAction Stop), without timing: items block on gates the test opens.</summary>
public class BulkRunnerStopTests
{
    private static readonly int[] Eight = Enumerable.Range(0, 8).ToArray();

    [Fact]
    public void Stop_at_first_failure_starts_nothing_after_it_and_lets_the_item_in_flight_finish()
    {
        var started = new ConcurrentBag<int>();
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        CancellationToken seenByFirst = default;
        var outcomes = new List<BulkOutcome<int, int>>();
        foreach (var o in BulkRunner.Run(Eight, async (i, ct) =>
                 {
                     started.Add(i);
                     if (i == 0)
                     {
                         seenByFirst = ct;
                         await release.Task; // in flight until the failure has been seen
                         return i;
                     }
                     if (i == 1) throw new InvalidOperationException("item 1 fails");
                     return i;
                 }, new BulkOptions(2, stopAtFirstFailure: true), CancellationToken.None))
        {
            outcomes.Add(o);
            if (o.Error != null) release.TrySetResult();
        }

        Assert.Equal(new[] { 0, 1 }, started.OrderBy(i => i));
        var byIndex = outcomes.OrderBy(o => o.Index).ToList();
        Assert.Equal(8, byIndex.Count);
        Assert.True(byIndex[0].Succeeded);
        Assert.IsType<InvalidOperationException>(byIndex[1].Error);
        Assert.All(byIndex.Skip(2), o => Assert.True(o.Skipped));
        Assert.False(seenByFirst.IsCancellationRequested); // stopping never interrupts what runs
    }

    [Fact]
    public void With_a_throttle_limit_of_one_the_failure_is_the_last_item_started()
    {
        var started = new ConcurrentBag<int>();
        var outcomes = BulkRunner.Run(Eight, (i, ct) =>
        {
            started.Add(i);
            return i == 3 ? Task.FromException<int>(new InvalidOperationException("x")) : Task.FromResult(i);
        }, new BulkOptions(1, stopAtFirstFailure: true), CancellationToken.None).ToList();

        Assert.Equal(new[] { 0, 1, 2, 3 }, started.OrderBy(i => i));
        Assert.Equal(3, outcomes.Count(o => o.Succeeded));
        Assert.Equal(4, outcomes.Count(o => o.Skipped));
    }

    [Fact]
    public void Without_stop_at_first_failure_every_item_runs()
    {
        var outcomes = BulkRunner.Run(Eight, (i, ct) =>
            i == 1 ? Task.FromException<int>(new InvalidOperationException("x")) : Task.FromResult(i), 1, CancellationToken.None).ToList();
        Assert.Equal(7, outcomes.Count(o => o.Succeeded));
        Assert.DoesNotContain(outcomes, o => o.Skipped);
    }

    [Fact]
    public void The_stop_starting_token_skips_what_has_not_started_and_does_not_interrupt_what_runs()
    {
        using var stop = new CancellationTokenSource();
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var running = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        CancellationToken seen = default;
        var run = BulkRunner.Run(Eight, async (i, ct) =>
        {
            seen = ct;
            running.TrySetResult();
            await release.Task;
            return i;
        }, new BulkOptions(1, stopStarting: stop.Token), CancellationToken.None);

        using var e = run.GetEnumerator();
        var first = Task.Run(() => e.MoveNext() ? e.Current : null);
        running.Task.Wait();
        stop.Cancel();
        Assert.False(seen.IsCancellationRequested);
        release.SetResult();
        var outcomes = new List<BulkOutcome<int, int>> { first.Result! };
        while (e.MoveNext()) outcomes.Add(e.Current);
        Assert.Single(outcomes, o => o.Succeeded);
        Assert.Equal(7, outcomes.Count(o => o.Skipped));
    }
}
