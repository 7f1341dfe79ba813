using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Threading;
using System.Threading.Tasks;

namespace ModelRegistry.Engine.Registry.SageMaker
{
    /// <summary>
    /// The send rate of one operation, learned from throttling (times are seconds on a monotonic clock, passed
    /// in, so tests need no sleeps). Unlimited until throttling is more than noise: at least
    /// <see cref="Threshold"/> of the last <see cref="Window"/> replies (a stray throttle now and then, as a shared
    /// account sees, changes nothing), or from the second throttle when at least half the replies so far were
    /// throttled (a small limit met at the start). Then:
    /// - the first guess is what succeeded in the last second (a service bucket's burst included, so it is
    ///   not too low), at least <see cref="MinRate"/>; a cut within the first few replies is raised by the
    ///   successes of its wave that come back in the second after it (throttles come back first);
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
        /// <summary>Throttled replies to calls sent since the saturated period began.</summary>
        private int _throttledSince;
        private double _lastThrottle;
        private double _latency;
        /// <summary>The rate was cut from unlimited within the first few replies: successes still on their way count too.</summary>
        private bool _earlyCut;

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
                    // Noise until enough replies say otherwise, unless most of the few so far were throttled (at least two):
                    // a run meeting a small limit would otherwise spend its first ten calls finding out (2/s: a third of them).
                    var clearly = _throttlesInWindow >= 2 && _throttlesInWindow >= MaxThreshold * _replies.Count;
                    if (!clearly && (_replies.Count < MinReplies || _throttlesInWindow < _threshold * _replies.Count))
                    {
                        if (_saturated) _lastThrottle = now; // at the limit's margin, sparse throttles are expected
                        return; // otherwise noise, not a limit
                    }
                    if (!_saturated)
                    {
                        _saturated = true;
                        _since = now; // calls sent from now on meet an empty service bucket
                        _okSince = 0;
                        _throttledSince = 0;
                        Trim(now);
                        var guess = Math.Max(MinRate, _recentSuccesses.Count);
                        _earlyCut = _replies.Count < MinReplies;
                        Cut(now, _rate is null ? guess : Math.Min(_rate.Value, guess));
                    }
                    _lastThrottle = now;
                    if (sentAt >= _since) _throttledSince++;
                    Remeasure(now);
                    return;
                }
                _recentSuccesses.Enqueue(now);
                Trim(now);
                // Throttles come back before successes (the service answers them without doing the work), so a cut
                // made within the first few replies may have counted none of its wave's successes: count those that
                // arrive in the second after it, and move the slots handed out at the low guess up. Else the pacing
                // starts below the limit (four calls at once against 2/s: 0.5/s, slots two seconds apart).
                if (_earlyCut && _saturated && sentAt < _since && now - _since < 1.0 && _rate < _recentSuccesses.Count)
                {
                    _rate = _recentSuccesses.Count;
                    _next = Math.Min(_next, now + 1.0 / _rate.Value);
                }
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
            // Successes measure what the service grants only while some of what we send is throttled; with none
            // throttled since the period began, they measure our own pacing, and cutting to them would spiral down.
            if (_rate is null) Cut(now, measured);
            else if (measured >= _rate.Value * 0.9) _rate = measured;
            else if (_throttledSince > 0) Cut(now, measured);
        }

        /// <summary>Lowers the rate and starts watching whether the throttles thin out after it.</summary>
        private void Cut(double now, double rate)
        {
            var fromUnlimited = _rate is null;
            _rate = rate;
            if (!fromUnlimited) return;
            // Over a long window: the short one that triggered the cut is, with noise, its upward fluctuation.
            _fractionBeforeCut = _longReplies.Count == 0 ? 0 : (double)_throttlesInLongWindow / _longReplies.Count;
            Watch(now);
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
}
