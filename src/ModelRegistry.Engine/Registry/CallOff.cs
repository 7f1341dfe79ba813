using System;
using System.Threading;
using System.Threading.Tasks;

namespace ModelRegistry.Engine.Registry
{
    /// <summary>
    /// Calling off a read that is no longer needed (a group's describe once the listing answered): the call stops
    /// while it waits for its turn (slow start, the learned send rate, a retry's back-off), but a request already sent
    /// is left to finish. Aborting it would not save the call, only close its connection (a new TLS handshake on a
    /// real endpoint) — and aborting HTTP/1.1 requests in flight was seen to cost other requests on the same client
    /// their replies (a 30 s per-call timeout each). The command's own cancellation (Ctrl+C) still stops everything.
    /// </summary>
    public static class CallOff
    {
        private static readonly AsyncLocal<CancellationToken> Current = new AsyncLocal<CancellationToken>();

        /// <summary>What calls off the waits of the calls made in this async flow (none by default).</summary>
        public static CancellationToken WhileWaiting => Current.Value;

        /// <summary>Runs <paramref name="call"/> with its waits called off by <paramref name="notNeeded"/>.</summary>
        public static Task<T> RunAsync<T>(CancellationToken notNeeded, Func<Task<T>> call)
        {
            if (call is null) throw new ArgumentNullException(nameof(call));
            return Run(notNeeded, call);
        }

        // An async method: the value set here flows into the call and is gone for the caller when it returns.
        private static async Task<T> Run<T>(CancellationToken notNeeded, Func<Task<T>> call)
        {
            Current.Value = notNeeded;
            return await call().ConfigureAwait(false);
        }
    }
}
