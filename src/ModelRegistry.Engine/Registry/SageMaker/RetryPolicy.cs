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
    ///   patience (the user's deadline when set) fails. Against a limit not yet known, each operation also
    ///   starts with four calls in flight and one more per success while they are all in use, until its first
    ///   throttle (slow start, per
    ///   operation: one operation probing its limit never holds back another's calls).
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
        /// <summary>Calls of one operation in flight at its start (slow start: one more per success until its first
        /// throttle or failure). Against an unknown limit, 16 senders at once would waste 14 calls on a 2-call burst;
        /// two left a 40-call burst mostly unused for the first two round trips (~6 calls' worth of the limit at 150 ms,
        /// measured); four cost a 2-call burst two throttles, which end slow start at once. Per operation, as limits
        /// are: a bulk run's describes probing their limit do not hold back its creates.</summary>
        internal const int InitialConcurrency = 4;
        /// <summary>How long one call may keep being throttled when the user set no deadline.</summary>
        internal static readonly TimeSpan DefaultThrottlePatience = TimeSpan.FromMinutes(10);

        private readonly int _maxRetries;
        private readonly TimeSpan _baseDelay;
        private readonly TimeSpan _throttlePatience;
        private readonly object _quotaLock = new object();
        private readonly Random _random;
        private readonly Func<double> _now;
        private readonly Func<TimeSpan, CancellationToken, Task> _delay;
        private readonly int _maxConcurrency;
        private readonly Dictionary<string, Operation> _operations = new Dictionary<string, Operation>(StringComparer.Ordinal);
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
            _maxConcurrency = maxConcurrency;
            Governor = new ConcurrencyGovernor(maxConcurrency);
        }

        /// <summary>What the policy knows of one operation: its learned send rate, and its slow start.</summary>
        private sealed class Operation
        {
            public Operation(int maxConcurrency) { Probe = new ConcurrencyGovernor(maxConcurrency, InitialConcurrency); }
            public SendRate Rate { get; } = new SendRate();
            /// <summary>Calls of this operation in flight: slow start against its unknown limit; failures are the
            /// registry-wide <see cref="Governor"/>'s to answer.</summary>
            public ConcurrencyGovernor Probe { get; }
        }

        /// <summary>Limits calls in flight for the whole registry; shrinks while calls fail (not when throttled).</summary>
        public ConcurrencyGovernor Governor { get; }

        internal int QuotaLeft { get { lock (_quotaLock) return _quota; } }

        /// <summary>The learned send rate of <paramref name="operation"/> (calls a second), or null while it has not been throttled.</summary>
        internal double? RateOf(string operation)
        {
            lock (_operations) return _operations.TryGetValue(operation, out var o) ? o.Rate.Rate : null;
        }

        private Operation StateOf(string? operation)
        {
            lock (_operations)
            {
                var key = operation ?? "";
                if (!_operations.TryGetValue(key, out var state))
                    _operations[key] = state = new Operation(_maxConcurrency);
                return state;
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
            var state = StateOf(operation);
            var rate = state.Rate;
            var ambiguous = false;
            var lastCost = 0;
            var failures = 0; // failures that count against the attempt count: not throttles
            var attempts = 0;
            var started = _now();
            // A read called off (CallOff) stops while it waits for its turn; once sent, only ct stops it.
            using var calledOff = CallOff.WhileWaiting.CanBeCanceled ? CancellationTokenSource.CreateLinkedTokenSource(ct, CallOff.WhileWaiting) : null;
            var waiting = calledOff?.Token ?? ct;
            while (true)
            {
                RegistryException failure;
                await state.Probe.EnterAsync(waiting).ConfigureAwait(false);
                try
                {
                    await Governor.EnterAsync(waiting).ConfigureAwait(false);
                }
                catch
                {
                    state.Probe.Exit(overloaded: false);
                    throw;
                }
                double sentAt;
                try
                {
                    var wait = rate.Reserve(_now());
                    if (wait > TimeSpan.Zero)
                        await _delay(wait, waiting).ConfigureAwait(false);
                    sentAt = _now();
                    attempts++;
                }
                catch
                {
                    Exit(state, overloaded: false);
                    throw;
                }
                try
                {
                    var result = await call(ct).ConfigureAwait(false);
                    rate.OnReply(sentAt, _now(), throttled: false);
                    Exit(state, overloaded: false);
                    Refund(lastCost);
                    return result;
                }
                catch (RegistryException e)
                {
                    var throttled = e.Kind == RegistryErrorKind.Throttled;
                    // Every reply that is not a throttle is a call the service let through: counting only successes
                    // would read injected 5xx or resets as a lower limit, and the rate would spiral down.
                    rate.OnReply(sentAt, _now(), throttled, timed: e.ServiceCode != null);
                    Exit(state, overloaded: e.Kind == RegistryErrorKind.Unavailable, throttled);
                    failure = e;
                }
                catch
                {
                    Exit(state, overloaded: false);
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

                await _delay(Backoff(failures - 1, throttled: false), waiting).ConfigureAwait(false);

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
                            failure.Target, failure.ServiceCode, failure.RequestId, failure, failure.Reason);
                    }
                    if (earlier.Found)
                    {
                        Refund(lastCost);
                        return earlier.Value;
                    }
                }
            }
        }

        private void Exit(Operation state, bool overloaded, bool throttled = false)
        {
            Governor.Exit(overloaded, throttled);
            // A failure ends the operation's slow start like a throttle; halving for failures is the Governor's alone.
            state.Probe.Exit(overloaded: false, throttled: throttled || overloaded);
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
            return new RegistryException(e.Kind, $"{e.Message} ({note})", e.Target, e.ServiceCode, e.RequestId, e, e.Reason);
        }
    }
}
