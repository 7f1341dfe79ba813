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

        /// <summary>A run over a list known up front: <see cref="Start{TIn,TOut}"/> given every input at once.</summary>
        public static IEnumerable<BulkOutcome<TIn, TOut>> Run<TIn, TOut>(
            IReadOnlyList<TIn> inputs,
            Func<TIn, CancellationToken, Task<TOut>> work,
            BulkOptions options,
            CancellationToken cancellation)
        {
            if (inputs.Count == 0) yield break;
            using var run = Start(work, options, cancellation);
            foreach (var input in inputs) run.Add(input);
            run.Complete();
            foreach (var outcome in run.RemainingOutcomes())
                yield return outcome;
        }

        /// <summary>
        /// A run whose inputs arrive while it works (a cmdlet's pipeline input): each <see cref="BulkRun{TIn,TOut}.Add"/>
        /// starts as soon as a slot is free, so the first items are done while later ones are still being read.
        /// </summary>
        /// <param name="work">One input's work; its token is the run's cancellation.</param>
        /// <param name="options">Throttle limit and when to stop starting.</param>
        /// <param name="cancellation">Ctrl+C: no new work, and work in flight is interrupted.</param>
        /// <param name="onAdd">Told of each input as it is added, in order, on the adding thread (before any work on it
        /// starts): what the work shares across inputs can plan for it.</param>
        public static BulkRun<TIn, TOut> Start<TIn, TOut>(Func<TIn, CancellationToken, Task<TOut>> work, BulkOptions options,
            CancellationToken cancellation, Action<TIn>? onAdd = null) =>
            new BulkRun<TIn, TOut>(work, options, cancellation, onAdd);
    }

    /// <summary>
    /// One bulk run (see <see cref="BulkRunner"/>): inputs are added from one thread, outcomes taken from one thread
    /// (the same or another). After <see cref="Complete"/>, <see cref="RemainingOutcomes"/> ends when every input has
    /// its outcome. An input added after the run stopped starting is reported skipped, like those it stopped.
    /// Dispose waits for work in flight.
    /// </summary>
    public sealed class BulkRun<TIn, TOut> : IDisposable
    {
        private readonly Func<TIn, CancellationToken, Task<TOut>> _work;
        private readonly BulkOptions _options;
        private readonly CancellationToken _cancellation;
        private readonly ConcurrentQueue<(TIn Input, int Index)> _inputs = new ConcurrentQueue<(TIn, int)>();
        // One release per input, and one for Complete: the producer wakes for each.
        private readonly SemaphoreSlim _arrived = new SemaphoreSlim(0);
        private readonly BlockingCollection<BulkOutcome<TIn, TOut>> _done = new BlockingCollection<BulkOutcome<TIn, TOut>>();
        private readonly Task _producer;
        private volatile bool _completed;
        private int _count;

        private readonly Action<TIn>? _onAdd;

        internal BulkRun(Func<TIn, CancellationToken, Task<TOut>> work, BulkOptions options, CancellationToken cancellation, Action<TIn>? onAdd)
        {
            _work = work ?? throw new ArgumentNullException(nameof(work));
            _onAdd = onAdd;
            _options = options;
            _cancellation = cancellation;
            _producer = Task.Run(ProduceAsync);
        }

        /// <summary>How many inputs were added.</summary>
        public int Count => _count;

        /// <summary>Adds an input; its outcome's Index is its position among the inputs added.</summary>
        public void Add(TIn input)
        {
            if (_completed) throw new InvalidOperationException("The bulk run was completed: no input can be added.");
            _onAdd?.Invoke(input);
            _inputs.Enqueue((input, _count++));
            _arrived.Release();
        }

        /// <summary>No more inputs will come.</summary>
        public void Complete()
        {
            if (_completed) return;
            _completed = true;
            _arrived.Release();
        }

        /// <summary>An outcome that is ready, without waiting.</summary>
        public bool TryTake(out BulkOutcome<TIn, TOut> outcome) => _done.TryTake(out outcome!);

        /// <summary>Every outcome not yet taken, waiting for each; ends when the run is complete and all are out.</summary>
        public IEnumerable<BulkOutcome<TIn, TOut>> RemainingOutcomes()
        {
            Complete();
            // The consumer is never cancelled: every input reports exactly once, skipped or not.
            return _done.GetConsumingEnumerable();
        }

        public void Dispose()
        {
            Complete();
            // If the caller stops taking outcomes early, let in-flight work finish before disposing the queue.
            try { _producer.Wait(); } catch (AggregateException) { }
            _done.Dispose();
            _arrived.Dispose();
        }

        private async Task ProduceAsync()
        {
            using var gate = new SemaphoreSlim(_options.ThrottleLimit);
            // Stops new items only; work in flight gets the run's own token, so only Ctrl+C interrupts it.
            using var stopStarting = CancellationTokenSource.CreateLinkedTokenSource(_cancellation, _options.StopStarting);
            var running = new List<Task>();
            var stopped = false;
            try
            {
                while (true)
                {
                    await _arrived.WaitAsync().ConfigureAwait(false);
                    // Each release is an input enqueued before it, or Complete after the last input: an empty queue is the end.
                    if (!_inputs.TryDequeue(out var next)) break;
                    if (!stopped)
                    {
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
                            stopped = true;
                        }
                    }
                    if (stopped)
                    {
                        _done.Add(new BulkOutcome<TIn, TOut>(next.Input, next.Index, default, null, skipped: true));
                        continue;
                    }
                    running.RemoveAll(t => t.IsCompleted);
                    running.Add(RunOneAsync(next.Input, next.Index, gate, stopStarting));
                }
                await Task.WhenAll(running).ConfigureAwait(false);
            }
            finally
            {
                _done.CompleteAdding();
            }
        }

        private Task RunOneAsync(TIn input, int index, SemaphoreSlim gate, CancellationTokenSource stopStarting) => Task.Run(async () =>
        {
            try
            {
                var result = await _work(input, _cancellation).ConfigureAwait(false);
                _done.Add(new BulkOutcome<TIn, TOut>(input, index, result, null, false));
            }
            catch (Exception ex)
            {
                if (_options.StopAtFirstFailure) StopStarting(stopStarting);
                _done.Add(new BulkOutcome<TIn, TOut>(input, index, default, Unwrap(ex), false));
            }
            finally
            {
                gate.Release();
            }
        });

        private static void StopStarting(CancellationTokenSource source)
        {
            try { source.Cancel(); }
            catch (ObjectDisposedException) { } // the run is over: nothing left to start
        }

        private static Exception Unwrap(Exception ex) =>
            ex is AggregateException agg && agg.InnerExceptions.Count == 1 ? agg.InnerExceptions[0] : ex;
    }
}
