using System.Threading;

namespace ModelRegistry.Engine.Bulk
{
    /// <summary>
    /// How a bulk run goes: how many items run at once, and when it stops starting new ones. An int converts to
    /// it (a throttle limit that never stops early), so engine callers that only bound concurrency just pass one.
    /// </summary>
    public readonly struct BulkOptions
    {
        public BulkOptions(int throttleLimit, bool stopAtFirstFailure = false, CancellationToken stopStarting = default)
        {
            ThrottleLimit = throttleLimit < 1 ? 1 : throttleLimit;
            StopAtFirstFailure = stopAtFirstFailure;
            StopStarting = stopStarting;
        }

        /// <summary>How many items may run at once (at least 1).</summary>
        public int ThrottleLimit { get; }

        /// <summary>
        /// The first failed item stops new items from starting (-ErrorAction Stop). The runner decides it when the
        /// failure happens, before the failed item frees its slot, so no item starts after it; items already
        /// running finish and report.
        /// </summary>
        public bool StopAtFirstFailure { get; }

        /// <summary>Cancelled: no new item starts. Unlike the run's CancellationToken (Ctrl+C), it never interrupts
        /// an item already running.</summary>
        public CancellationToken StopStarting { get; }

        public static implicit operator BulkOptions(int throttleLimit) => new BulkOptions(throttleLimit);
    }
}
