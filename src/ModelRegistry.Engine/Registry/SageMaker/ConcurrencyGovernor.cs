using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Threading;
using System.Threading.Tasks;

namespace ModelRegistry.Engine.Registry.SageMaker
{
    /// <summary>
    /// Limit on calls in flight. It may start low and grow by one per success while the limit is reached (slow start) until the first
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
                    // Only a full window grows: calls that trickle in below the limit (a run waiting on something
                    // else) prove nothing about the service, and a limit grown on them would later let a whole
                    // batch out at once into an unknown rate limit.
                    if (_limit < _max && (_waiters.Count > 0 || _inFlight + 1 >= _limit)) _limit++;
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
