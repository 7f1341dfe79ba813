using ModelRegistry.Engine.Registry;
using ModelRegistry.Engine.Registry.SageMaker;

namespace ModelRegistry.Tests.Registry.SageMaker;

/// <summary>The one retry policy and its concurrency governor, without a network: scripted failures.</summary>
public sealed class RetryPolicyTests
{
    private static readonly CancellationToken None = CancellationToken.None;
    private static RetryPolicy Policy(int retries = 5) => new(retries, TimeSpan.FromMilliseconds(1), maxConcurrency: 8, seed: 7);
    private static RegistryException Reset() => new(RegistryErrorKind.Unavailable, "Connection reset by peer", "g");
    private static RegistryException Throttle() => new(RegistryErrorKind.Throttled, "Rate exceeded", "g", "ThrottlingException");

    [Fact]
    public async Task A_create_after_an_ambiguous_failure_is_looked_up_not_resent()
    {
        var sends = 0;
        var result = await Policy().ExecuteAsync<string>(_ => { sends++; throw Reset(); }, Idempotency.Create,
            _ => Task.FromResult((true, "found")), None);
        Assert.Equal("found", result);
        Assert.Equal(1, sends);
    }

    [Fact]
    public async Task A_create_after_a_throttle_is_resent_without_a_lookup()
    {
        var sends = 0;
        var lookups = 0;
        var result = await Policy().ExecuteAsync(_ => ++sends == 1 ? throw Throttle() : Task.FromResult("created"), Idempotency.Create,
            _ => { lookups++; return Task.FromResult((false, "")); }, None);
        Assert.Equal("created", result);
        Assert.Equal(2, sends);
        Assert.Equal(0, lookups);
    }

    [Fact]
    public async Task A_create_whose_lookup_fails_is_not_resent_and_says_it_is_unknown()
    {
        var sends = 0;
        var e = await Assert.ThrowsAsync<RegistryException>(() => Policy().ExecuteAsync<string>(_ => { sends++; throw Reset(); },
            Idempotency.Create, _ => throw new RegistryException(RegistryErrorKind.Unavailable, "describe failed"), None));
        Assert.Equal(1, sends);
        Assert.Contains("could not be checked", e.Message);
    }

    [Fact]
    public async Task A_delete_that_finds_nothing_after_a_lost_reply_succeeded()
    {
        var sends = 0;
        await Policy().ExecuteAsync<object?>(_ => ++sends == 1 ? throw Reset() : throw new RegistryException(RegistryErrorKind.NotFound, "gone"),
            Idempotency.Delete, null, None);
        Assert.Equal(2, sends);
    }

    [Fact]
    public async Task Errors_that_are_answers_are_not_retried()
    {
        var sends = 0;
        await Assert.ThrowsAsync<RegistryException>(() => Policy().ExecuteAsync<string>(_ =>
        {
            sends++;
            throw new RegistryException(RegistryErrorKind.AccessDenied, "no");
        }, Idempotency.Safe, null, None));
        Assert.Equal(1, sends);
    }

    [Fact]
    public async Task A_dead_endpoint_spends_the_retry_budget_then_fails_fast()
    {
        var policy = Policy(retries: 3);
        var sends = 0;
        for (var i = 0; i < 60; i++)
            await Assert.ThrowsAsync<RegistryException>(() => policy.ExecuteAsync<string>(_ => { sends++; throw Unavailable503(); }, Idempotency.Safe, null, None));
        // 500 tokens at 5 a retry: 100 retries in all, then first attempts only.
        Assert.Equal(60 + 100, sends);
        var last = await Assert.ThrowsAsync<RegistryException>(() => policy.ExecuteAsync<string>(_ => throw Unavailable503(), Idempotency.Safe, null, None));
        Assert.Contains("retry budget", last.Message);
        Assert.Equal(RegistryErrorKind.Unavailable, last.Kind);
    }

    private static RegistryException Unavailable503() => new(RegistryErrorKind.Unavailable, "Service Unavailable", "g", "ServiceUnavailable");

    /// <summary>A policy on a fake clock: every wait advances the clock instead of sleeping.</summary>
    private static RetryPolicy FakeClockPolicy(int retries, TimeSpan? patience = null)
    {
        var now = 0.0;
        return new RetryPolicy(retries, TimeSpan.FromMilliseconds(100), 8, seed: 7, throttlePatience: patience,
            clock: () => now, delay: (d, _) => { now += d.TotalSeconds; return Task.CompletedTask; });
    }

    [Fact]
    public async Task Throttling_spends_neither_attempts_nor_the_retry_quota()
    {
        var policy = FakeClockPolicy(retries: 1);
        var sends = 0;
        var result = await policy.ExecuteAsync(_ => ++sends <= 40 ? throw Throttle() : Task.FromResult("done"), Idempotency.Create, null, None, "CreateModelPackageGroup");
        Assert.Equal("done", result);
        Assert.Equal(41, sends);
        Assert.Equal(500, policy.QuotaLeft);
        // The throttles taught the operation a send rate; other operations are not slowed.
        Assert.NotNull(policy.RateOf("CreateModelPackageGroup"));
        Assert.Null(policy.RateOf("ListModelPackages"));
    }

    [Fact]
    public async Task Throttling_ends_when_the_patience_is_spent()
    {
        var policy = FakeClockPolicy(retries: 5, patience: TimeSpan.FromSeconds(30));
        var sends = 0;
        var e = await Assert.ThrowsAsync<RegistryException>(() => policy.ExecuteAsync<string>(_ => { sends++; throw Throttle(); }, Idempotency.Safe, null, None, "Op"));
        Assert.Equal(RegistryErrorKind.Throttled, e.Kind);
        Assert.Contains("still throttled after 30 s", e.Message);
        Assert.InRange(sends, 2, 100); // paced at the learned floor rate, not spun
    }

    [Fact]
    public async Task Failures_still_count_attempts_between_throttles()
    {
        var policy = FakeClockPolicy(retries: 2);
        var sends = 0;
        var e = await Assert.ThrowsAsync<RegistryException>(() => policy.ExecuteAsync<string>(_ => ++sends % 2 == 0 ? throw Throttle() : throw Unavailable503(),
            Idempotency.Safe, null, None, "Op"));
        Assert.Equal(RegistryErrorKind.Unavailable, e.Kind);
        Assert.Equal(5, sends); // 503, throttle, 503, throttle, 503: three failures = 1 + 2 retries
        Assert.Contains("gave up after 5 attempt(s)", e.Message);
    }

    [Fact]
    public async Task A_call_called_off_stops_while_it_waits_for_its_turn_but_a_sent_one_finishes()
    {
        var policy = Policy(); // RetryPolicy.InitialConcurrency calls of an operation in flight at first (slow start)
        var release = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        var sentTokens = new List<CancellationToken>();
        var thirdSent = false;
        using var off = new CancellationTokenSource();
        Task<string> Sent() => CallOff.RunAsync(off.Token, () => policy.ExecuteAsync(token =>
        {
            lock (sentTokens) sentTokens.Add(token);
            return release.Task;
        }, Idempotency.Safe, null, None, "DescribeModelPackageGroup"));
        var sent = Enumerable.Range(0, RetryPolicy.InitialConcurrency).Select(_ => Sent()).ToList();
        var third = CallOff.RunAsync(off.Token, () => policy.ExecuteAsync(_ => { thirdSent = true; return Task.FromResult("x"); },
            Idempotency.Safe, null, None, "DescribeModelPackageGroup"));
        Assert.False(third.IsCompleted); // waiting for a slot

        off.Cancel();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => third.WaitAsync(TimeSpan.FromSeconds(60)));
        Assert.False(thirdSent);
        // The sent calls are not aborted: their tokens stay uncancelled and they finish with their answers.
        Assert.All(sentTokens, t => Assert.False(t.IsCancellationRequested));
        release.SetResult("answer");
        Assert.All(await Task.WhenAll(sent).WaitAsync(TimeSpan.FromSeconds(60)), a => Assert.Equal("answer", a));
        Assert.Equal(RetryPolicy.InitialConcurrency, sentTokens.Count);
        // A call made outside CallOff's scope is not affected by it.
        Assert.Equal("y", await policy.ExecuteAsync(_ => Task.FromResult("y"), Idempotency.Safe, null, None, "DescribeModelPackageGroup"));
    }

    [Fact]
    public async Task Slow_start_grows_only_while_the_window_is_full()
    {
        var governor = new ConcurrencyGovernor(16, 4);
        // Calls one at a time (the run waits on something else, e.g. describes): no growth, so a batch released
        // later meets the unknown limit with 4 calls, not 14.
        for (var i = 0; i < 10; i++)
        {
            await governor.EnterAsync(None);
            governor.Exit(overloaded: false);
        }
        Assert.Equal(4, governor.Limit);
        // A full window grows by one per success.
        for (var i = 0; i < 4; i++) await governor.EnterAsync(None);
        governor.Exit(overloaded: false);
        Assert.Equal(5, governor.Limit);
        // A call waiting for room counts as a full window too.
        await governor.EnterAsync(None);
        await governor.EnterAsync(None); // 5 of 5 in flight
        var waiting = governor.EnterAsync(None);
        Assert.False(waiting.IsCompleted);
        governor.Exit(overloaded: false);
        Assert.Equal(6, governor.Limit);
        await waiting.WaitAsync(TimeSpan.FromSeconds(60));
    }

    [Fact]
    public void Backoff_is_jittered_and_capped()
    {
        var policy = new RetryPolicy(5, TimeSpan.FromMilliseconds(100), 8, seed: 1);
        var delays = Enumerable.Range(0, 200).Select(_ => policy.Backoff(3, throttled: false).TotalMilliseconds).ToList();
        Assert.All(delays, d => Assert.InRange(d, 0, 800));
        Assert.True(delays.Distinct().Count() > 100);
        Assert.All(Enumerable.Range(0, 50), _ => Assert.InRange(policy.Backoff(30, throttled: true).TotalMilliseconds, 0, 20_000));
    }

    [Fact]
    public async Task Governor_halves_on_a_failure_once_per_window_and_recovers_one_at_a_time()
    {
        var g = new ConcurrencyGovernor(8);
        for (var i = 0; i < 8; i++) await g.EnterAsync(None);
        g.Exit(overloaded: true);
        Assert.Equal(4, g.Limit);
        // Replies to requests sent before the cut do not cut again.
        for (var i = 0; i < 7; i++) g.Exit(overloaded: true);
        Assert.Equal(4, g.Limit);
        Assert.Equal(1, g.Cuts);

        // Now a throttle cuts again, and successes raise the limit by one per limit-long run.
        await g.EnterAsync(None);
        g.Exit(overloaded: true);
        Assert.Equal(2, g.Limit);
        for (var i = 0; i < 2; i++) { await g.EnterAsync(None); g.Exit(false); }
        Assert.Equal(3, g.Limit);
    }

    [Fact]
    public async Task Governor_never_goes_below_one_and_queues_beyond_the_limit()
    {
        var g = new ConcurrencyGovernor(2);
        for (var round = 0; round < 5; round++) { await g.EnterAsync(None); g.Exit(overloaded: true); }
        Assert.Equal(1, g.Limit);
        await g.EnterAsync(None);
        using var cts = new CancellationTokenSource();
        var cancelled = g.EnterAsync(cts.Token);
        var second = g.EnterAsync(None);
        Assert.False(second.IsCompleted);
        cts.Cancel();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => cancelled);
        g.Exit(false);
        await second.WaitAsync(TimeSpan.FromSeconds(10)); // the cancelled waiter took no slot
        g.Exit(false);
        await g.EnterAsync(None).WaitAsync(TimeSpan.FromSeconds(10)); // the cancelled waiter took no slot
    }
}
