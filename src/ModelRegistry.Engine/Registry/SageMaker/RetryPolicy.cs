using System;
using System.Collections.Generic;
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
    /// The one retry policy of the SageMaker backend (SageMaker calls and STS). The SDK's own retries are
    /// switched off (MaxErrorRetry = 0) and everything is decided here, because:
    /// - creates must not be re-sent blindly after a lost response; the SDK cannot check what exists between
    ///   attempts, so it could only own the retries of the other operations — two policies instead of one;
    /// - the SDK's adaptive mode is a per-client cubic rate limiter: under throttling that is not caused by
    ///   our own rate (a shared account limit, or the fault proxy's random 20 %) it cuts the send rate by 30 %
    ///   per throttle down to 0.5 requests/s and stays there. Limiting concurrency instead (AIMD, never below
    ///   one request in flight) backs off just as surely and recovers as soon as calls succeed;
    /// - decisions use the domain's error kinds from <see cref="SageMakerErrors"/>, the one error path.
    /// What it does, like the SDK's standard mode: throttling, 5xx and transport failures (connection reset,
    /// refused, timeout) are retried up to MaxErrorRetry times with full-jitter exponential backoff (longer
    /// after throttling), drawing on a retry budget so a dead endpoint fails fast instead of multiplying load.
    /// </summary>
    internal sealed class RetryPolicy
    {
        // The SDK's standard-mode retry quota: 500 tokens, 5 per retry (10 after a timeout-like failure),
        // one back per first-try success, the retry's cost back when a retry succeeds.
        private const int QuotaCapacity = 500;
        private const int RetryCost = 5;
        private const int TransportRetryCost = 10;
        private static readonly TimeSpan MaxBackoff = TimeSpan.FromSeconds(20);

        private readonly int _maxRetries;
        private readonly TimeSpan _baseDelay;
        private readonly object _quotaLock = new object();
        private readonly Random _random;
        private int _quota = QuotaCapacity;

        public RetryPolicy(int maxRetries, TimeSpan baseDelay, int maxConcurrency, int? seed = null)
        {
            _maxRetries = Math.Max(0, maxRetries);
            _baseDelay = baseDelay;
            _random = seed.HasValue ? new Random(seed.Value) : new Random();
            Governor = new ConcurrencyGovernor(maxConcurrency);
        }

        /// <summary>Limits calls in flight for the whole registry; shrinks when the service throttles.</summary>
        public ConcurrencyGovernor Governor { get; }

        internal int QuotaLeft { get { lock (_quotaLock) return _quota; } }

        /// <summary>
        /// Runs <paramref name="call"/> under the policy. For <see cref="Idempotency.Create"/>,
        /// <paramref name="recover"/> runs before each re-send that follows an ambiguous failure and returns
        /// the earlier attempt's result when it landed.
        /// </summary>
        public async Task<T> ExecuteAsync<T>(Func<CancellationToken, Task<T>> call, Idempotency idempotency,
            Func<CancellationToken, Task<(bool Found, T Value)>>? recover, CancellationToken ct)
        {
            var ambiguous = false;
            var lastCost = 0;
            for (var attempt = 0; ; attempt++)
            {
                RegistryException failure;
                await Governor.EnterAsync(ct).ConfigureAwait(false);
                try
                {
                    var result = await call(ct).ConfigureAwait(false);
                    Governor.Exit(throttled: false);
                    Refund(lastCost);
                    return result;
                }
                catch (RegistryException e)
                {
                    Governor.Exit(throttled: e.Kind == RegistryErrorKind.Throttled);
                    failure = e;
                }
                catch
                {
                    Governor.Exit(throttled: false);
                    throw; // the caller's cancellation, or a bug: not ours to retry
                }

                if (idempotency == Idempotency.Delete && ambiguous && failure.Kind == RegistryErrorKind.NotFound)
                    return default!; // our earlier, lost attempt deleted it
                // Throttling is an answer: the request was not applied. Anything else may have been.
                var unknown = failure.Kind == RegistryErrorKind.Unavailable;
                ambiguous |= unknown;
                if (!IsRetryable(failure))
                    throw failure;
                if (idempotency == Idempotency.Create && ambiguous && recover is null)
                    throw GaveUp(failure, attempt + 1, "a create that may have landed is not sent again without a way to check", true);
                if (attempt >= _maxRetries)
                    throw GaveUp(failure, attempt + 1, null, ambiguous && idempotency != Idempotency.Safe);
                lastCost = unknown && failure.ServiceCode is null ? TransportRetryCost : RetryCost;
                if (!TryTake(lastCost))
                    throw GaveUp(failure, attempt + 1, "the retry budget is spent by repeated failures", ambiguous && idempotency != Idempotency.Safe);

                await Task.Delay(Backoff(attempt, failure.Kind == RegistryErrorKind.Throttled), ct).ConfigureAwait(false);

                if (idempotency == Idempotency.Create && ambiguous && recover != null)
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
                            $"{failure.Message} (after {attempt + 1} attempt(s); whether it took effect could not be checked: {check.Message})",
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
    /// Additive-increase / multiplicative-decrease limit on calls in flight. A throttled reply halves the limit
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

        public ConcurrencyGovernor(int max)
        {
            _max = Math.Max(1, max);
            _limit = _max;
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

        public void Exit(bool throttled)
        {
            lock (_lock)
            {
                _inFlight--;
                _completions++;
                if (throttled)
                {
                    _successes = 0;
                    if (_completions >= _noCutBefore)
                    {
                        _limit = Math.Max(1, _limit / 2);
                        _noCutBefore = _completions + _inFlight + 1;
                        Cuts++;
                    }
                }
                else if (++_successes >= _limit && _limit < _max)
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
