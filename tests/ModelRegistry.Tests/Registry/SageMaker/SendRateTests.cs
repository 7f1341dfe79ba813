using ModelRegistry.Engine.Registry.SageMaker;

namespace ModelRegistry.Tests.Registry.SageMaker;

/// <summary>
/// The send rate learned from throttling, on simulated time: a service token bucket, fixed latency, and a
/// bulk client with 16 workers behind the policy's concurrency governor (slow start from RetryPolicy.InitialConcurrency) and one
/// <see cref="SendRate"/>, as an event simulation (no sleeps, no wall clock; deterministic).
/// </summary>
public sealed class SendRateTests
{
    private sealed record Outcome(int Done, int Throttled, int Calls, double Seconds, double? Rate);

    /// <summary>N items, each sent until it succeeds, by <paramref name="workers"/> concurrent senders that pace
    /// with one <see cref="SendRate"/>, against a bucket of <paramref name="rate"/>/s, <paramref name="burst"/> deep.
    /// <paramref name="noiseThrottles"/> and <paramref name="noiseFailures"/> are the shares of calls a noisy path
    /// throttles or fails (5xx) at random, whatever the rate. <paramref name="workTime"/> is what a call the service
    /// lets through takes on top of the latency (a throttle is answered without doing the work, so it comes back first).</summary>
    private static Outcome Simulate(double rate, double burst, double latency, int n, int workers = 16, SendRate? learner = null, double start = 0,
        double noiseThrottles = 0, double noiseFailures = 0, int seed = 7, int initial = RetryPolicy.InitialConcurrency, double workTime = 0)
    {
        var random = new Random(seed);
        learner ??= new SendRate();
        var governor = new ConcurrencyGovernor(64, initial);
        var waiting = new List<(int Worker, Task Turn)>();
        var events = new PriorityQueue<(int Kind, int Worker, double SentAt), (double Time, long Seq)>();
        long seq = 0;
        double tokens = burst, stamp = start;
        int next = 0, done = 0, throttled = 0, calls = 0;
        const int Ready = 0, Send = 1, Reply = 2, ReplyThrottled = 3, ReplyFailed = 4;
        for (var w = 0; w < Math.Min(workers, n); w++) { events.Enqueue((Ready, w, 0), (start, seq++)); next++; }
        var now = start;
        while (events.TryDequeue(out var e, out var at))
        {
            now = at.Time;
            switch (e.Kind)
            {
                case Ready:
                    waiting.Add((e.Worker, governor.EnterAsync(CancellationToken.None)));
                    break;
                case Send:
                    calls++;
                    tokens = Math.Min(burst, tokens + (now - stamp) * rate);
                    stamp = now;
                    var ok = tokens >= 1;
                    if (ok) tokens -= 1;
                    var draw = random.NextDouble();
                    var kind = !ok || draw < noiseThrottles ? ReplyThrottled : draw < noiseThrottles + noiseFailures ? ReplyFailed : Reply;
                    events.Enqueue((kind, e.Worker, now), (now + latency + (kind == ReplyThrottled ? 0 : workTime), seq++));
                    break;
                case ReplyFailed:
                    learner.OnReply(e.SentAt, now, throttled: false);
                    governor.Exit(overloaded: true);
                    events.Enqueue((Ready, e.Worker, 0), (now, seq++)); // the same item again
                    break;
                case Reply:
                    learner.OnReply(e.SentAt, now, throttled: false);
                    governor.Exit(overloaded: false);
                    done++;
                    if (next < n) { next++; events.Enqueue((Ready, e.Worker, 0), (now, seq++)); }
                    break;
                case ReplyThrottled:
                    learner.OnReply(e.SentAt, now, throttled: true);
                    governor.Exit(overloaded: false, throttled: true);
                    throttled++;
                    events.Enqueue((Ready, e.Worker, 0), (now, seq++)); // the same item again
                    break;
            }
            // Workers the governor let in (its grants complete their tasks synchronously) take their send slot.
            for (var i = 0; i < waiting.Count; i++)
            {
                if (!waiting[i].Turn.IsCompleted) continue;
                events.Enqueue((Send, waiting[i].Worker, 0), (now + learner.Reserve(now).TotalSeconds, seq++));
                waiting.RemoveAt(i--);
            }
        }
        return new Outcome(done, throttled, calls, now - start, learner.Rate);
    }

    [Theory]
    [InlineData(40, 40, 0.100, 400)]
    [InlineData(10, 10, 0.050, 200)]
    [InlineData(5, 5, 0.050, 200)]
    [InlineData(2, 2, 0.050, 60)]
    public void A_bulk_run_settles_at_the_limit_and_wastes_few_calls(double rate, double burst, double latency, int n)
    {
        var r = Simulate(rate, burst, latency, n);
        Assert.Equal(n, r.Done);
        var limitSeconds = (n - burst) / rate;
        Assert.True(limitSeconds / r.Seconds >= 0.95, $"{r} reached {100 * limitSeconds / r.Seconds:0} % of the limit");
        Assert.True(r.Throttled < 0.2 * r.Calls, $"{r}: {r.Throttled} of {r.Calls} calls throttled");
        Assert.InRange(r.Rate!.Value, rate, rate * 1.3);
    }

    [Theory]
    [InlineData(2, 2, 4)]
    [InlineData(2, 2, 2)]
    [InlineData(5, 5, 8)]
    [InlineData(3, 3, 2)]
    public void Throttles_that_come_back_before_the_successes_of_their_wave_do_not_start_the_pacing_too_low(double rate, double burst, int initial)
    {
        // Successes take 20 ms more than throttles (the service does the work): at the cut, the wave's successes
        // have not come back yet. Before they were counted, 2/s met by four calls paced at 0.5/s for a minute.
        var r = Simulate(rate, burst, 0.05, 60, initial: initial, workTime: 0.02);
        Assert.Equal(60, r.Done);
        var limitSeconds = (60 - burst) / rate;
        Assert.True(limitSeconds / r.Seconds >= 0.95, $"{r} reached {100 * limitSeconds / r.Seconds:0} % of the limit");
        Assert.True(r.Throttled < 0.2 * r.Calls, $"{r}: {r.Throttled} of {r.Calls} calls throttled");
    }

    [Theory]
    [InlineData(0.033, 0.13, 1.5)] // the fault proxy's mix: a sixth of 20 % faults are throttles, the rest fail otherwise
    [InlineData(0.25, 0.05, 1.5)]  // throttles far above what pacing at the margin explains: judged noise at once
    // 15 % at random is close to what an overrun at the margin looks like in a window of 40 calls: the learner
    // may take it for a limit for a while (paced, never failing), at a bounded cost.
    [InlineData(0.15, 0.0, 2.0)]
    public void Random_throttles_and_failures_do_not_make_the_sender_crawl(double throttles, double failures, double slowest)
    {
        // No real limit (a bucket far above what 16 senders can send): only the noise.
        const int n = 2000;
        var r = Simulate(1e6, 1e6, 0.05, n, noiseThrottles: throttles, noiseFailures: failures);
        Assert.Equal(n, r.Done);
        // The same noise as failures that are not throttles: the learner never paces, only the governor acts.
        var unpaced = Simulate(1e6, 1e6, 0.05, n, noiseFailures: throttles + failures);
        Assert.Null(unpaced.Rate);
        Assert.True(r.Seconds < slowest * unpaced.Seconds, $"{r}: {r.Seconds:0.0} s, unpaced {unpaced.Seconds:0.0} s");
    }

    [Theory]
    [InlineData(5, 5, 0.05, 200)]
    [InlineData(10, 10, 0.05, 400)]
    public void A_real_limit_is_still_found_on_a_path_that_also_fails_at_random(double rate, double burst, double latency, int n)
    {
        var r = Simulate(rate, burst, latency, n, noiseThrottles: 0.033, noiseFailures: 0.13);
        Assert.Equal(n, r.Done);
        // A seventh of the calls fail and are sent again, so at most ~85 % of the limit is left for new items.
        var limitSeconds = (n - burst) / rate;
        Assert.True(limitSeconds / r.Seconds >= 0.75, $"{r} reached {100 * limitSeconds / r.Seconds:0} % of the limit");
        Assert.True(r.Throttled < 0.25 * r.Calls, $"{r}: {r.Throttled} of {r.Calls} calls throttled");
    }

    [Fact]
    public void Unlimited_until_the_first_throttle()
    {
        var s = new SendRate();
        for (var i = 0; i < 100; i++)
        {
            Assert.Equal(TimeSpan.Zero, s.Reserve(i * 0.001));
            s.OnReply(i * 0.001, i * 0.001 + 0.05, throttled: false);
        }
        Assert.Null(s.Rate);
    }

    [Fact]
    public void The_first_guess_is_what_succeeded_in_the_last_second_and_calls_are_then_paced()
    {
        var s = new SendRate();
        for (var i = 0; i < 8; i++) s.OnReply(0.0, 0.05, throttled: false);
        s.OnReply(0.0, 0.05, throttled: true);
        Assert.Null(s.Rate); // too few replies to tell a limit from noise
        s.OnReply(0.0, 0.05, throttled: true);
        Assert.Equal(8, s.Rate);
        Assert.Equal(TimeSpan.Zero, s.Reserve(0.05));
        Assert.Equal(0.125, s.Reserve(0.05).TotalSeconds, 6);
        Assert.Equal(0.25, s.Reserve(0.05).TotalSeconds, 6);
    }

    [Fact]
    public void A_small_limit_met_at_the_start_is_paced_from_the_second_throttle()
    {
        // 2 calls a second, burst 2, two senders: two succeed, then the next two are throttled.
        var s = new SendRate();
        s.OnReply(0.0, 0.05, throttled: false);
        s.OnReply(0.0, 0.05, throttled: false);
        s.OnReply(0.05, 0.1, throttled: true);
        Assert.Null(s.Rate); // one throttle could be noise
        s.OnReply(0.05, 0.1, throttled: true);
        Assert.Equal(2, s.Rate); // half the replies throttled: a limit, paced at what succeeded in the last second
        Assert.Equal(TimeSpan.Zero, s.Reserve(0.1));
        Assert.Equal(0.5, s.Reserve(0.1).TotalSeconds, 6);
    }

    [Fact]
    public void Successes_of_the_cut_wave_that_come_back_after_it_raise_the_first_guess()
    {
        // Four calls at once against 2/s, burst 2: the two throttles come back first.
        var s = new SendRate();
        s.OnReply(0.0, 0.05, throttled: true);
        s.OnReply(0.0, 0.05, throttled: true);
        Assert.Equal(SendRate.MinRate, s.Rate); // nothing had come back successful yet
        Assert.Equal(TimeSpan.Zero, s.Reserve(0.05));
        Assert.Equal(2.0, s.Reserve(0.05).TotalSeconds, 6); // a slot at the low guess
        s.OnReply(0.0, 0.07, throttled: false);
        s.OnReply(0.0, 0.07, throttled: false);
        Assert.Equal(2, s.Rate);
        Assert.Equal(0.57, s.Reserve(0.07).TotalSeconds + 0.07, 6); // the next slot moved up to the raised rate
        // Only the cut's own wave counts: a success of a call sent after the cut is measured the usual way.
        s.OnReply(0.1, 0.2, throttled: false);
        Assert.Equal(2, s.Rate);
    }

    [Fact]
    public void A_stray_throttle_among_successes_is_noise()
    {
        var s = new SendRate();
        for (var i = 0; i < 200; i++) s.OnReply(i * 0.01, i * 0.01 + 0.01, throttled: i % 30 == 29);
        Assert.Null(s.Rate);
    }

    [Fact]
    public void Nothing_succeeding_slows_to_the_floor_not_to_zero()
    {
        var s = new SendRate();
        for (var t = 0.0; t < 30; t += 0.1) s.OnReply(t, t + 0.05, throttled: true);
        Assert.Equal(SendRate.MinRate, s.Rate);
    }

    [Fact]
    public void A_raised_limit_is_found_again()
    {
        var learner = new SendRate();
        var first = Simulate(2, 2, 0.05, 60, learner: learner);
        Assert.InRange(learner.Rate!.Value, 2, 2.6);
        // The account's limit goes up: the rate grows while nothing is throttled, and settles at the new limit.
        var r = Simulate(20, 20, 0.05, 2000, learner: learner, start: first.Seconds + 1);
        Assert.InRange(learner.Rate!.Value, 20, 26);
        Assert.True(r.Throttled < 0.2 * r.Calls, r.ToString());
    }
}
