using System;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using ModelRegistry.Engine.Bulk;
using ModelRegistry.Hosting;

namespace ModelRegistry.Cmdlets
{
    public abstract partial class RegistryCmdlet
    {
        /// <summary>
        /// Drains a bulk run on the pipeline thread with a progress bar, handing outcomes on in input order
        /// (work finishes in any order; scripts and files expect the order they gave). After Ctrl+C, every
        /// outcome is still collected (nothing can be written to the pipeline any more) and one summary says
        /// what was done, what failed, what was interrupted mid-call and what was never started. Under
        /// -ErrorAction Stop the first error ends the call the same way (PowerShell then stops the pipeline): no
        /// new item starts, items in flight finish and are named in the summary, which goes to the host as a
        /// warning and onto the error's exception (<see cref="StopSummaryKeys"/>). Returns how many were not started.
        /// </summary>
        protected int Drain<TIn, TOut>(IEnumerable<BulkOutcome<TIn, TOut>> outcomes, int total, string activity,
            Action<BulkOutcome<TIn, TOut>> onOutcome)
        {
            var writer = new OutcomeWriter<TIn, TOut>(this, activity, total, onOutcome);
            foreach (var outcome in outcomes) writer.Take(outcome);
            return writer.Finish(total);
        }

        /// <summary>
        /// <see cref="Drain{TIn,TOut}"/> a piece at a time, for a run whose inputs arrive while it works (a streaming
        /// cmdlet takes what is ready in each ProcessRecord, and the rest in EndProcessing): <see cref="Take"/> each
        /// outcome, then <see cref="Finish"/> once with the number of inputs.
        /// </summary>
        protected sealed class OutcomeWriter<TIn, TOut>
        {
            private readonly RegistryCmdlet _cmdlet;
            private readonly string _activity;
            private readonly Action<BulkOutcome<TIn, TOut>> _onOutcome;
            private readonly ProgressReporter _progress;
            private readonly SortedDictionary<int, BulkOutcome<TIn, TOut>> _waiting = new SortedDictionary<int, BulkOutcome<TIn, TOut>>();
            private readonly List<string> _interrupted = new List<string>();
            private int _next, _succeeded, _failed, _skipped;

            /// <param name="cmdlet">The cmdlet that writes.</param>
            /// <param name="activity">The progress bar's activity, and the summary's first words.</param>
            /// <param name="total">The inputs, or 0 while they are still arriving (the progress bar then counts up).</param>
            /// <param name="onOutcome">Writes one outcome, in input order; never called for skipped or interrupted inputs.</param>
            public OutcomeWriter(RegistryCmdlet cmdlet, string activity, int total, Action<BulkOutcome<TIn, TOut>> onOutcome)
            {
                _cmdlet = cmdlet;
                _activity = activity;
                _onOutcome = onOutcome;
                _progress = new ProgressReporter(cmdlet, activity, total);
            }

            /// <summary>False once the pipeline stopped (Ctrl+C, or the error that ends an -ErrorAction Stop call): the
            /// rest is only counted for the summary.</summary>
            public bool Writable { get; private set; } = true;

            /// <summary>Inputs started that have no outcome yet are the caller's to wait for; this takes one outcome.</summary>
            public void Take(BulkOutcome<TIn, TOut> outcome)
            {
                _cmdlet.FlushCallLog();
                _waiting[outcome.Index] = outcome;
                if (outcome.Skipped) _skipped++;
                else if (Interrupted(outcome)) _interrupted.Add(outcome.Input?.ToString() ?? "");
                else if (outcome.Error != null) _failed++;
                else _succeeded++;
                if (!Writable) return;
                try
                {
                    if (!outcome.Skipped) _progress.Step(outcome.Input?.ToString());
                    while (_waiting.TryGetValue(_next, out var ready))
                    {
                        _waiting.Remove(_next++);
                        // An interrupted call is reported in the summary, not as an error of its own.
                        if (!ready.Skipped && !Interrupted(ready)) _onOutcome(ready);
                    }
                }
                catch (PipelineStoppedException)
                {
                    // Stopped: keep counting the rest so the summary is complete.
                    Writable = false;
                }
            }

            private bool Interrupted(BulkOutcome<TIn, TOut> o) => o.Error is OperationCanceledException && _cmdlet.Cancellation.IsCancellationRequested;

            /// <summary>After every outcome was taken: completes the progress bar and, when the run was stopped, writes
            /// the one summary (and ends the call when an -ErrorAction Stop error stopped it). Returns how many were not started.</summary>
            public int Finish(int total)
            {
                if (Writable)
                {
                    try
                    {
                        _progress.Complete();
                        _cmdlet.FlushCallLog();
                    }
                    catch (PipelineStoppedException) { Writable = false; }
                }

                var stoppedByError = _cmdlet._stoppingError != null && !Writable && !_cmdlet.Cancellation.IsCancellationRequested;
                if (!stoppedByError && _skipped == 0 && _interrupted.Count == 0) return 0;
                var summary = $"{_activity}: {(stoppedByError ? "stopped at the first error (-ErrorAction Stop)" : "stopped")}. " +
                              $"{_succeeded + _failed} of {total} done ({_succeeded} succeeded, {_failed} failed)";
                // What finished after the stopping error could not be written any more: name it here.
                var unwritten = _waiting.Values.Where(o => !o.Skipped && !Interrupted(o)).ToList();
                if (stoppedByError && unwritten.Count > 0)
                    summary += $"; finished after the error, not written: {string.Join("; ", unwritten.Take(20).Select(o => o.Error is null ? $"{o.Input} (succeeded)" : $"{o.Input} (failed: {o.Error.Message})"))}{(unwritten.Count > 20 ? "; …" : "")}";
                if (_interrupted.Count > 0)
                    summary += $"; {_interrupted.Count} interrupted mid-call, which may or may not have taken effect: {string.Join(", ", _interrupted.Take(20))}{(_interrupted.Count > 20 ? ", …" : "")}";
                summary += $"; {_skipped} not started." + (_skipped + _interrupted.Count > 0 ? " Run the command again to finish." : "");
                if (stoppedByError)
                {
                    var data = _cmdlet._stoppingError!.Exception.Data;
                    data[StopSummaryKeys.Total] = total;
                    data[StopSummaryKeys.Done] = _succeeded + _failed;
                    data[StopSummaryKeys.Succeeded] = _succeeded;
                    data[StopSummaryKeys.Failed] = _failed;
                    data[StopSummaryKeys.Interrupted] = _interrupted.Count;
                    data[StopSummaryKeys.NotStarted] = _skipped;
                    data[StopSummaryKeys.Summary] = summary;
                }
                try
                {
                    if (!Writable) throw new PipelineStoppedException();
                    _cmdlet.WriteWarning(summary);
                }
                catch (PipelineStoppedException)
                {
                    // The streams are closed once a pipeline stops; the host's console is not.
                    _cmdlet.Host?.UI?.WriteWarningLine(summary);
                }
                // The stopping error is already recorded: end the call, PowerShell then throws it.
                if (stoppedByError) throw new PipelineStoppedException();
                return _skipped;
            }
        }
    }
}
