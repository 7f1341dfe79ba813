using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;

namespace ModelRegistry.Engine.Bulk
{
    /// <summary>What happened to one input of a bulk run.</summary>
    public sealed class BulkOutcome<TIn, TOut>
    {
        internal BulkOutcome(TIn input, int index, TOut? result, Exception? error, bool skipped)
        {
            Input = input;
            Index = index;
            Result = result;
            Error = error;
            Skipped = skipped;
        }

        public TIn Input { get; }
        /// <summary>Position of the input in the submitted list.</summary>
        public int Index { get; }
        public TOut? Result { get; }
        public Exception? Error { get; }
        /// <summary>Never started because the run was cancelled first.</summary>
        public bool Skipped { get; }
        public bool Succeeded => Error is null && !Skipped;
    }

    /// <summary>
    /// The one bulk path: runs work items with bounded concurrency and hands outcomes back, in completion order,
    /// to the caller's thread (a cmdlet writes them from the pipeline thread). Cancelling stops new work
    /// from starting (and interrupts work in flight); so does <see cref="BulkOptions.StopStarting"/> or, with
    /// <see cref="BulkOptions.StopAtFirstFailure"/>, the first failure — without interrupting anything. Every
    /// input still gets exactly one outcome, so a summary can say what was not done.
    /// </summary>
    public static class BulkRunner
    {
        public const int DefaultThrottleLimit = 16;

        public static IEnumerable<BulkOutcome<TIn, TOut>> Run<TIn, TOut>(
            IReadOnlyList<TIn> inputs,
            Func<TIn, CancellationToken, Task<TOut>> work,
            BulkOptions options,
            CancellationToken cancellation)
        {
            if (inputs.Count == 0) yield break;

            using var done = new BlockingCollection<BulkOutcome<TIn, TOut>>();
            var producer = Task.Run(() => Produce(inputs, work, options, done, cancellation));
            try
            {
                // The consumer is never cancelled: every input reports exactly once, skipped or not.
                foreach (var outcome in done.GetConsumingEnumerable())
                    yield return outcome;
            }
            finally
            {
                // If the caller stops enumerating early, let in-flight work finish before disposing the queue.
                try { producer.Wait(); } catch (AggregateException) { }
            }
        }

        private static async Task Produce<TIn, TOut>(
            IReadOnlyList<TIn> inputs,
            Func<TIn, CancellationToken, Task<TOut>> work,
            BulkOptions options,
            BlockingCollection<BulkOutcome<TIn, TOut>> done,
            CancellationToken cancellation)
        {
            using var gate = new SemaphoreSlim(options.ThrottleLimit);
            // Stops new items only; work in flight gets the run's own token, so only Ctrl+C interrupts it.
            using var stopStarting = CancellationTokenSource.CreateLinkedTokenSource(cancellation, options.StopStarting);
            var running = new List<Task>(Math.Min(inputs.Count, 4096));
            try
            {
                for (var i = 0; i < inputs.Count; i++)
                {
                    var input = inputs[i];
                    var index = i;
                    var acquired = false;
                    try
                    {
                        await gate.WaitAsync(stopStarting.Token).ConfigureAwait(false);
                        acquired = true;
                    }
                    catch (OperationCanceledException) { }
                    // Checked after the slot is won too: a failure stops the run before it frees its slot.
                    if (!acquired || stopStarting.IsCancellationRequested)
                    {
                        if (acquired) gate.Release();
                        for (var j = i; j < inputs.Count; j++)
                            done.Add(new BulkOutcome<TIn, TOut>(inputs[j], j, default, null, skipped: true));
                        break;
                    }

                    running.Add(Task.Run(async () =>
                    {
                        try
                        {
                            var result = await work(input, cancellation).ConfigureAwait(false);
                            done.Add(new BulkOutcome<TIn, TOut>(input, index, result, null, false));
                        }
                        catch (Exception ex)
                        {
                            if (options.StopAtFirstFailure) StopStarting(stopStarting);
                            done.Add(new BulkOutcome<TIn, TOut>(input, index, default, Unwrap(ex), false));
                        }
                        finally
                        {
                            gate.Release();
                        }
                    }));
                }
                await Task.WhenAll(running).ConfigureAwait(false);
            }
            finally
            {
                done.CompleteAdding();
            }
        }

        private static void StopStarting(CancellationTokenSource source)
        {
            try { source.Cancel(); }
            catch (ObjectDisposedException) { } // the run is over: nothing left to start
        }

        private static Exception Unwrap(Exception ex) =>
            ex is AggregateException agg && agg.InnerExceptions.Count == 1 ? agg.InnerExceptions[0] : ex;
    }
}
