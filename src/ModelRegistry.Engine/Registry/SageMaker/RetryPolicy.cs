using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Threading;
using System.Threading.Tasks;

namespace ModelRegistry.Engine.Registry.SageMaker
{
    /// <summary>What a retry may do to the service, per operation.</summary>
    internal enum Idempotency
    {
        /// <summary>Reads and set-to-a-value updates: re-sending is harmless.</summary>
        Safe,
        /// <summary>Deletes: NotFound on a re-send after an ambiguous failure means our earlier attempt did it.</summary>
        Delete,
        /// <summary>Creates: never re-sent blindly. After an ambiguous failure the caller's lookup runs first
        /// (moto replaces a re-created group and ignores ClientToken, so a blind re-send duplicates or clobbers).</summary>
        Create,
    }

    /// <summary>
    /// The one retry policy of the SageMaker backend (SageMaker calls and STS). The SDK's own retries are off
    /// (MaxErrorRetry = 0); everything is decided here, on the domain's error kinds from
    /// <see cref="SageMakerErrors"/>.
    ///
    /// Throttling and failures are different problems, so they are handled differently:
    /// - Throttling is the service saying "slower", not "broken": SageMaker limits each control-plane operation
    ///   per account, often to a few calls a second. A throttled call is paced and sent again, and it never
    ///   spends the attempt count or the retry quota (a fixed count cannot outlast a limit that many senders
    ///   overrun: that is how bulk jobs lose a third of their items with "reached max retries"). Each operation
    ///   gets a <see cref="SendRate"/> learned from the throttles: once they are more than noise, calls of that operation
    ///   are paced at the rate the service grants (measured from what succeeded) plus a margin that keeps it
    ///   busy, and the rate creeps up again while nothing is throttled. So a bulk run settles at the limit,
    ///   wastes few calls, and loses nothing. Only time bounds it: a call throttled for longer than the
    ///   patience (the user's deadline when set) fails.
    /// - 5xx and transport failures (reset, refused, timeout) may mean a dead or overloaded endpoint: they are
    ///   retried up to the attempt count (AWS_MAX_ATTEMPTS / max_attempts) with full-jitter exponential backoff,
    ///   drawing on the SDKs' standard-mode retry quota so a dead endpoint fails fast instead of multiplying
    ///   load, and they halve the calls in flight (<see cref="ConcurrencyGovernor"/>).
    /// - Creates are never re-sent blindly after a failure that may have landed: the caller's lookup runs first
    ///   (moto replaces a re-created group and ignores ClientToken, so a blind re-send duplicates or clobbers).
    /// The SDK's adaptive mode is not used: it is per client, not per operation, and it cuts by 30 % per
    ///   throttle down to 0.5 calls/s whether or not our own rate caused the throttle.
    /// </summary>
    internal sealed class RetryPolicy
    {
        // The SDK's standard-mode retry quota: 500 tokens, 5 per retry (10 after a timeout-like failure),
        // one back per first-try success, the retry's cost back when a retry succeeds.
        private const int QuotaCapacity = 500;
        private const int RetryCost = 5;
        private const int TransportRetryCost = 10;
        private static readonly TimeSpan MaxBackoff = TimeSpan.FromSeconds(20);
        /// <summary>Calls in flight at the start (slow start: one more per success until the first throttle or
        /// failure). Against an unknown limit, 16 senders at once would waste 14 calls on a 2-call burst.</summary>
        private const int InitialConcurrency = 2;
        /// <summary>How long one call may keep being throttled when the user set no deadline.</summary>
        internal static readonly TimeSpan DefaultThrottlePatience = TimeSpan.FromMinutes(10);

        private readonly int _maxRetries;
        private readonly TimeSpan _baseDelay;
        private readonly TimeSpan _throttlePatience;
        private readonly object _quotaLock = new object();
        private readonly Random _random;
        private readonly Func<double> _now;
        private readonly Func<TimeSpan, CancellationToken, Task> _delay;
        private readonly Dictionary<string, SendRate> _rates = new Dictionary<string, SendRate>(StringComparer.Ordinal);
        private int _quota = QuotaCapacity;

        /// <summary>A policy allowing <paramref name="maxRetries"/> retries after failures (throttles aside), backing
        /// off from <paramref name="baseDelay"/>, with at most <paramref name="maxConcurrency"/> calls in flight and
        /// throttling tolerated for <paramref name="throttlePatience"/> per call. <paramref name="clock"/> (seconds,
        /// monotonic) and <paramref name="delay"/> are replaceable, so tests of pacing need no real sleeps;
        /// <paramref name="seed"/> fixes the jitter.</summary>
        public RetryPolicy(int maxRetries, TimeSpan baseDelay, int maxConcurrency, int? seed = null, TimeSpan? throttlePatience = null,
            Func<double>? clock = null, Func<TimeSpan, CancellationToken, Task>? delay = null)
        {
            _maxRetries = Math.Max(0, maxRetries);
            _baseDelay = baseDelay;
            _throttlePatience = throttlePatience ?? DefaultThrottlePatience;
            _random = seed.HasValue ? new Random(seed.Value) : new Random();
            var watch = Stopwatch.StartNew();
            _now = clock ?? (() => watch.Elapsed.TotalSeconds);
            _delay = delay ?? Task.Delay;
            Governor = new ConcurrencyGovernor(maxConcurrency, InitialConcurrency);
        }

        /// <summary>Limits calls in flight for the whole registry; shrinks while calls fail (not when throttled).</summary>
        public ConcurrencyGovernor Governor { get; }

        internal int QuotaLeft { get { lock (_quotaLock) return _quota; } }

        /// <summary>The learned send rate of <paramref name="operation"/> (calls a second), or null while it has not been throttled.</summary>
        internal double? RateOf(string operation)
        {
            lock (_rates) return _rates.TryGetValue(operation, out var r) ? r.Rate : null;
        }

        private SendRate RateFor(string? operation)
        {
            lock (_rates)
            {
                var key = operation ?? "";
                if (!_rates.TryGetValue(key, out var rate))
                    _rates[key] = rate = new SendRate();
                return rate;
            }
        }

        /// <summary>
        /// Runs <paramref name="call"/> (one attempt of <paramref name="operation"/>) under the policy. For
        /// <see cref="Idempotency.Create"/>, <paramref name="recover"/> runs before each re-send that follows an
        /// ambiguous failure and returns the earlier attempt's result when it landed.
        /// </summary>
        public async Task<T> ExecuteAsync<T>(Func<CancellationToken, Task<T>> call, Idempotency idempotency,
            Func<CancellationToken, Task<(bool Found, T Value)>>? recover, CancellationToken ct, string? operation = null)
        {
            var rate = RateFor(operation);
            var ambiguous = false;
            var lastCost = 0;
            var failures = 0; // failures that count against the attempt count: not throttles
            var attempts = 0;
            var started = _now();
            while (true)
            {
                RegistryException failure;
                await Governor.EnterAsync(ct).ConfigureAwait(false);
                double sentAt;
                try
                {
                    var wait = rate.Reserve(_now());
                    if (wait > TimeSpan.Zero)
                        await _delay(wait, ct).ConfigureAwait(false);
                    sentAt = _now();
                    attempts++;
                }
                catch
                {
                    Governor.Exit(overloaded: false);
                    throw;
                }
                try
                {
                    var result = await call(ct).ConfigureAwait(false);
                    rate.OnReply(sentAt, _now(), throttled: false);
                    Governor.Exit(overloaded: false);
                    Refund(lastCost);
                    return result;
                }
                catch (RegistryException e)
                {
                    var throttled = e.Kind == RegistryErrorKind.Throttled;
                    // Every reply that is not a throttle is a call the service let through: counting only successes
                    // would read injected 5xx or resets as a lower limit, and the rate would spiral down.
                    rate.OnReply(sentAt, _now(), throttled, timed: e.ServiceCode != null);
                    Governor.Exit(overloaded: e.Kind == RegistryErrorKind.Unavailable, throttled);
                    failure = e;
                }
                catch
                {
                    Governor.Exit(overloaded: false);
                    throw; // the caller's cancellation, or a bug: not ours to retry
                }

                if (idempotency == Idempotency.Delete && ambiguous && failure.Kind == RegistryErrorKind.NotFound)
                    return default!; // our earlier, lost attempt deleted it
                if (!IsRetryable(failure))
                    throw failure;

                if (failure.Kind == RegistryErrorKind.Throttled)
                {
                    // An answer: the request was not applied. Paced by the learned rate, not counted, no quota.
                    if (_now() - started >= _throttlePatience.TotalSeconds)
                        throw GaveUp(failure, attempts, $"still throttled after {_throttlePatience.TotalSeconds:0} s", ambiguous && idempotency != Idempotency.Safe);
                    continue;
                }

                // Anything else may have been applied.
                ambiguous = true;
                failures++;
                if (idempotency == Idempotency.Create && recover is null)
                    throw GaveUp(failure, attempts, "a create that may have landed is not sent again without a way to check", true);
                if (failures > _maxRetries)
                    throw GaveUp(failure, attempts, null, idempotency != Idempotency.Safe);
                lastCost = failure.ServiceCode is null ? TransportRetryCost : RetryCost;
                if (!TryTake(lastCost))
                    throw GaveUp(failure, attempts, "the retry budget is spent by repeated failures", idempotency != Idempotency.Safe);

                await _delay(Backoff(failures - 1, throttled: false), ct).ConfigureAwait(false);

                if (idempotency == Idempotency.Create && recover != null)
                {
                    (bool Found, T Value) earlier;
                    try
                    {
                        earlier = await recover(ct).ConfigureAwait(false);
                    }
                    catch (RegistryException check)
                    {
                        // Never re-send without knowing; say what is unknown.
                        throw new RegistryException(failure.Kind,
                            $"{failure.Message} (after {attempts} attempt(s); it may have taken effect, and whether it did could not be checked: {check.Message})",
                            failure.Target, failure.ServiceCode, failure.RequestId, failure);
                    }
                    if (earlier.Found)
                    {
                        Refund(lastCost);
                        return earlier.Value;
                    }
                }
            }
        }

        internal static bool IsRetryable(RegistryException e) =>
            e.Kind == RegistryErrorKind.Throttled || e.Kind == RegistryErrorKind.Unavailable;

        /// <summary>Full jitter: uniform in [0, min(cap, base × 2^attempt)]; throttles start 5× higher.</summary>
        internal TimeSpan Backoff(int attempt, bool throttled)
        {
            var baseMs = _baseDelay.TotalMilliseconds * (throttled ? 5 : 1);
            var ceiling = Math.Min(MaxBackoff.TotalMilliseconds, baseMs * Math.Pow(2, Math.Min(attempt, 20)));
            double r;
            lock (_random) r = _random.NextDouble();
            return TimeSpan.FromMilliseconds(ceiling * r);
        }

        private bool TryTake(int cost)
        {
            lock (_quotaLock)
            {
                if (_quota < cost) return false;
                _quota -= cost;
                return true;
            }
        }

        private void Refund(int lastCost)
        {
            lock (_quotaLock) _quota = Math.Min(QuotaCapacity, _quota + (lastCost > 0 ? lastCost : 1));
        }

        private static RegistryException GaveUp(RegistryException e, int attempts, string? why, bool mayHaveTakenEffect)
        {
            var note = why is null ? $"gave up after {attempts} attempt(s)" : $"gave up after {attempts} attempt(s): {why}";
            if (mayHaveTakenEffect) note += "; an attempt may have taken effect, run again to converge";
            return new RegistryException(e.Kind, $"{e.Message} ({note})", e.Target, e.ServiceCode, e.RequestId, e);
        }
    }

    /// <summary>
    /// The send rate of one operation, learned from throttling (times are seconds on a monotonic clock, passed
    /// in, so tests need no sleeps). Unlimited until throttling is more than noise: at least
    /// <see cref="Threshold"/> of the last <see cref="Window"/> replies (a stray throttle now and then, as a shared
    /// account sees, changes nothing). Then:
    /// - the first guess is what succeeded in the last second (a service bucket's burst included, so it is
    ///   not too low), at least <see cref="MinRate"/>;
    /// - while throttles keep coming (a "saturated" period), the service is granting exactly its rate to what
    ///   we send, so the rate is re-measured as the calls sent since the period began that succeeded, over the
    ///   time they took, times <see cref="Margin"/>: sending a little above the limit keeps the service's
    ///   bucket empty (full use of the limit) at the cost of a few throttled calls;
    /// - after a quiet spell without throttles the period ends and the rate grows with each success (by 2 %,
    ///   at least <see cref="Growth"/>), so a raised or shared limit is found again.
    /// Calls are paced one by one (no client-side burst): <see cref="Reserve"/> gives each call its slot.
    /// A cut from unlimited is checked against what follows it: throttles caused by our own rate thin out once we
    /// pace near what the service grants. If the calls sent after it are throttled about as often as before
    /// (and at least <see cref="Threshold"/>), the throttles do not follow our rate (a noisy path, another
    /// tenant's spikes): the cut is undone and that level of throttling is treated as noise from then on, so
    /// random throttles never make the sender crawl.
    /// </summary>
    internal sealed class SendRate
    {
        internal const double MinRate = 0.5;
        internal const double Margin = 1.05;
        internal const double Growth = 0.1;
        internal const double Threshold = 0.1;
        internal const int Window = 20;
        private const int MinReplies = 10;
        private const double QuietSeconds = 2.0;
        /// <summary>A quiet spell is also at least this many calls' worth: at the margin, about one call in 21 is throttled.</summary>
        private const double QuietCalls = 30;

        /// <summary>Replies to calls sent after a cut that decide whether it is kept.</summary>
        private const int CutWindow = 40;
        /// <summary>Replies over which the throttle share before a cut is judged.</summary>
        private const int LongWindow = 100;
        /// <summary>Above this throttle fraction, throttling is never taken for noise.</summary>
        private const double MaxThreshold = 0.5;

        private readonly object _lock = new object();
        private double _threshold = Threshold;
        private bool _watching;
        private readonly Queue<bool> _longReplies = new Queue<bool>();
        private int _throttlesInLongWindow;
        private double _rateWhenWatched;
        private double _fractionBeforeCut;
        private int _afterCut;
        private int _throttledAfterCut;
        private double _cutAt;
        private readonly Queue<double> _recentSuccesses = new Queue<double>();
        private readonly Queue<bool> _replies = new Queue<bool>();
        private int _throttlesInWindow;
        private double? _rate;
        private double _next;
        private bool _saturated;
        private double _since;
        private int _okSince;
        private double _lastThrottle;
        private double _latency;

        /// <summary>Calls a second, or null while the operation has not been throttled.</summary>
        public double? Rate { get { lock (_lock) return _rate; } }
        public bool Saturated { get { lock (_lock) return _saturated; } }

        /// <summary>How long the caller waits before sending (its slot); zero while unlimited.</summary>
        public TimeSpan Reserve(double now)
        {
            lock (_lock)
            {
                EndQuietPeriod(now);
                if (_rate is null) return TimeSpan.Zero;
                var slot = Math.Max(_next, now);
                _next = slot + 1.0 / _rate.Value;
                return TimeSpan.FromSeconds(slot - now);
            }
        }

        /// <summary>A reply to a call sent at <paramref name="sentAt"/> arrived at <paramref name="now"/>.</summary>
        /// <remarks><paramref name="timed"/> is false for a transport failure (reset, timeout): its duration says
        /// nothing about latency.</remarks>
        public void OnReply(double sentAt, double now, bool throttled, bool timed = true)
        {
            lock (_lock)
            {
                if (timed)
                {
                    var took = Math.Max(0, now - sentAt);
                    _latency = _latency == 0 ? took : 0.8 * _latency + 0.2 * took;
                }
                _replies.Enqueue(throttled);
                if (throttled) _throttlesInWindow++;
                if (_replies.Count > Window && _replies.Dequeue()) _throttlesInWindow--;
                _longReplies.Enqueue(throttled);
                if (throttled) _throttlesInLongWindow++;
                if (_longReplies.Count > LongWindow && _longReplies.Dequeue()) _throttlesInLongWindow--;
                if (CheckCut(now, sentAt, throttled)) return;
                if (throttled)
                {
                    if (_replies.Count < MinReplies || _throttlesInWindow < _threshold * _replies.Count)
                    {
                        if (_saturated) _lastThrottle = now; // at the limit's margin, sparse throttles are expected
                        return; // otherwise noise, not a limit
                    }
                    if (!_saturated)
                    {
                        _saturated = true;
                        _since = now; // calls sent from now on meet an empty service bucket
                        _okSince = 0;
                        Trim(now);
                        var guess = Math.Max(MinRate, _recentSuccesses.Count);
                        Cut(now, _rate is null ? guess : Math.Min(_rate.Value, guess));
                    }
                    _lastThrottle = now;
                    Remeasure(now);
                    return;
                }
                _recentSuccesses.Enqueue(now);
                Trim(now);
                EndQuietPeriod(now);
                if (_saturated)
                {
                    if (sentAt >= _since) _okSince++;
                    Remeasure(now);
                }
                else if (_rate.HasValue)
                {
                    _rate += Math.Max(Growth, 0.02 * _rate.Value);
                }
            }
        }

        private void Remeasure(double now)
        {
            // Calls sent in [since, now − latency] have all been answered.
            var span = now - _latency - _since;
            if (span < 0.5 || _okSince < 2) return;
            var measured = Math.Max(MinRate, Margin * _okSince / span);
            if (_rate is null || measured < _rate.Value * 0.9) Cut(now, measured);
            else _rate = measured;
        }

        /// <summary>Lowers the rate and starts watching whether the throttles thin out after it.</summary>
        private void Cut(double now, double rate)
        {
            if (_rate is null)
            {
                // Over a long window: the short one that triggered the cut is, with noise, its upward fluctuation.
                _fractionBeforeCut = _longReplies.Count == 0 ? 0 : (double)_throttlesInLongWindow / _longReplies.Count;
                _rate = rate;
                Watch(now);
            }
            _rate = rate;
        }

        private void Watch(double now)
        {
            _watching = true;
            _rateWhenWatched = _rate!.Value;
            _afterCut = 0;
            _throttledAfterCut = 0;
            _cutAt = now;
        }

        /// <summary>Counts replies to calls sent after a cut from unlimited; after a window of them, keeps the cut
        /// if the throttles thinned out, else undoes it and raises the noise threshold. While the rate keeps
        /// falling, the next window is judged too (one window of 40 is weak evidence). True when undone.</summary>
        private bool CheckCut(double now, double sentAt, bool throttled)
        {
            if (!_watching || sentAt < _cutAt) return false;
            _afterCut++;
            if (throttled) _throttledAfterCut++;
            if (_afterCut < CutWindow) return false;
            _watching = false;
            var after = (double)_throttledAfterCut / _afterCut;
            // Our own overrun thins out once paced near what the service grants; noise stays as it was.
            if (after < 0.6 * _fractionBeforeCut)
            {
                if (_saturated && _rate < 0.9 * _rateWhenWatched) Watch(now);
                return false;
            }
            _threshold = Math.Min(MaxThreshold, after + Threshold);
            _saturated = false;
            _rate = null;
            return true;
        }

        private void EndQuietPeriod(double now)
        {
            if (_saturated && _rate.HasValue && now - _lastThrottle > Math.Max(QuietSeconds, QuietCalls / _rate.Value))
                _saturated = false;
        }

        private void Trim(double now)
        {
            while (_recentSuccesses.Count > 0 && _recentSuccesses.Peek() < now - 1.0)
                _recentSuccesses.Dequeue();
        }
    }

    /// <summary>
    /// Limit on calls in flight. It may start low and grow by one per success (slow start) until the first
    /// throttle or failure; then additive-increase / multiplicative-decrease. A failed call (5xx, transport) halves the limit
    /// (once per window: replies to requests sent before the cut do not cut again); each run of successes as
    /// long as the limit raises it by one, up to the maximum. Never below one, so work always progresses.
    /// </summary>
    internal sealed class ConcurrencyGovernor
    {
        private readonly object _lock = new object();
        private readonly Queue<TaskCompletionSource<bool>> _waiters = new Queue<TaskCompletionSource<bool>>();
        private readonly int _max;
        private int _limit;
        private int _inFlight;
        private int _successes;
        private long _completions;
        private long _noCutBefore;
        private bool _slowStart;

        public ConcurrencyGovernor(int max, int? initial = null)
        {
            _max = Math.Max(1, max);
            _limit = Math.Max(1, Math.Min(_max, initial ?? _max));
            _slowStart = _limit < _max;
        }

        public int Limit { get { lock (_lock) return _limit; } }
        public int Cuts { get; private set; }

        public Task EnterAsync(CancellationToken ct)
        {
            TaskCompletionSource<bool> waiter;
            lock (_lock)
            {
                if (_inFlight < _limit && _waiters.Count == 0)
                {
                    _inFlight++;
                    return Task.CompletedTask;
                }
                waiter = new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously);
                _waiters.Enqueue(waiter);
            }
            if (!ct.CanBeCanceled) return waiter.Task;
            return WaitAsync(waiter, ct);
        }

        private static async Task WaitAsync(TaskCompletionSource<bool> waiter, CancellationToken ct)
        {
            // A waiter cancelled before it is granted is skipped by Grant (TrySetResult fails), so no slot leaks.
            using (ct.Register(() => waiter.TrySetCanceled(ct)))
                await waiter.Task.ConfigureAwait(false);
        }

        /// <param name="overloaded">A 5xx or transport failure: halve the limit.</param>
        /// <param name="throttled">A throttle: the send rate handles it; here it only ends slow start.</param>
        public void Exit(bool overloaded, bool throttled = false)
        {
            lock (_lock)
            {
                _inFlight--;
                _completions++;
                if (overloaded || throttled)
                    _slowStart = false;
                if (_slowStart)
                {
                    if (_limit < _max) _limit++;
                }
                else if (overloaded)
                {
                    _successes = 0;
                    if (_completions >= _noCutBefore)
                    {
                        _limit = Math.Max(1, _limit / 2);
                        _noCutBefore = _completions + _inFlight + 1;
                        Cuts++;
                    }
                }
                else if (!throttled && ++_successes >= _limit && _limit < _max)
                {
                    _limit++;
                    _successes = 0;
                }
                Grant();
            }
        }

        private void Grant()
        {
            while (_inFlight < _limit && _waiters.Count > 0)
            {
                var next = _waiters.Dequeue();
                if (next.TrySetResult(true)) _inFlight++;
            }
        }
    }
}
