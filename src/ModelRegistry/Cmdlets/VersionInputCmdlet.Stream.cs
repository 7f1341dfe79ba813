using System;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using ModelRegistry.Engine.Bulk;
using ModelRegistry.Engine.Operations;

namespace ModelRegistry.Cmdlets
{
    public abstract partial class VersionInputCmdlet
    {
        // One run per registry the input goes to, in the order each was first reached.
        private readonly List<VersionStream> _streams = new List<VersionStream>();
        // The stream of each (configured region, expected account) seen: resolving a connection reads the session, the
        // AWS Tools variables and the credentials' source, too slow to repeat for each of a listing's versions while the
        // upstream command waits to list its next page.
        private readonly Dictionary<(string? Region, string? Account), VersionStream> _byOrigin =
            new Dictionary<(string?, string?), VersionStream>();
        private bool _finished;
        // Listings that begin once this command exists (Get-MRModelVersion upstream) are kept for its guards, which then
        // need not read those versions again; created with the command, so it sees the upstream's first page.
        private readonly VersionReads _reads = VersionReads.Watch();

        /// <summary>
        /// One registry's share of the input: the wrong-account guard's state, the operations (with the stages and
        /// the approval gate), the bulk run the versions stream into, and the writer that hands outcomes on in input order.
        /// </summary>
        private sealed class VersionStream
        {
            public VersionStream(RegistryConnection connection, AccountCheck account, ModelVersionOperations operations,
                BulkRun<VersionTarget, ModelVersion> run, OutcomeWriter<VersionTarget, ModelVersion> writer)
            {
                Connection = connection;
                Account = account;
                Operations = operations;
                Run = run;
                Writer = writer;
            }

            public RegistryConnection Connection { get; }
            public AccountCheck Account { get; }
            public ModelVersionOperations Operations { get; }
            public BulkRun<VersionTarget, ModelVersion> Run { get; }
            public OutcomeWriter<VersionTarget, ModelVersion> Writer { get; }
            // Per ARN: the accounts the wrong-account guard saw and the configured region, for the output object.
            public Dictionary<string, (IReadOnlyList<string> Accounts, string? Region)> Origin { get; } =
                new Dictionary<string, (IReadOnlyList<string>, string?)>(StringComparer.Ordinal);
        }

        /// <summary>
        /// Starts one version now: the account guard first, so -WhatIf and -Confirm show only what the real run would
        /// act on; then -Confirm; then into its registry's bulk run, where it is read, judged and changed while more
        /// input is still arriving. Nothing new starts once the command is stopping.
        /// </summary>
        private void Start(VersionTarget target, IReadOnlyList<string> accounts, string? region)
        {
            if (Cancellation.IsCancellationRequested || _finished) return;
            var stream = StreamOf(region, accounts);
            if (PassAccountGuard(stream.Account, new[] { target }, _ => accounts, t => t.Known ?? (object)t.Arn).Count == 0) return;
            if (!IsWhatIf() && !ShouldProcess(Describe(target.Known, target.Arn), Action)) return;
            stream.Origin[target.Arn] = (accounts, region);
            stream.Run.Add(target);
        }

        /// <summary>The stream of input from a .env.shared's region and account (or none), opened on first use.</summary>
        private VersionStream StreamOf(string? region, IReadOnlyList<string> accounts)
        {
            var origin = (region, accounts.FirstOrDefault());
            if (!_byOrigin.TryGetValue(origin, out var stream))
                _byOrigin[origin] = stream = StreamFor(ResolveConnection(origin.region, origin.Item2));
            return stream;
        }

        private VersionStream StreamFor(RegistryConnection connection)
        {
            var found = _streams.FirstOrDefault(s => ConnectionComparer.Instance.Equals(s.Connection, connection));
            if (found != null) return found;
            var whatIf = IsWhatIf();
            // Stage changes and rejections are judged by the configured stages (MODEL_LIFECYCLE_STAGES); deletions are not.
            var operations = new ModelVersionOperations(OpenRegistry(connection), RemovesVersions ? null : Hosting.StageConfiguration.Load(this));
            // Approvals are gated on metrics by -Require, else by the team's rules from .env.shared (a guard in the list).
            if (TargetStatus == ApprovalStatus.Approved)
                operations.UseGate(new Engine.Metrics.ApprovalGate(Engine.Metrics.MetricsReader.For(connection),
                    Hosting.ApprovalRules.ParseRequire(this, RequireText), RequireText is null ? Hosting.ApprovalRules.TeamDefaults(this) : null));
            // -WhatIf runs the same reads and guards without the change: the same refusals, and a "What if" for the rest.
            var run = RemovesVersions
                ? operations.StartRemovals(ForceChange, Bulk(ThrottleLimit), Cancellation, planOnly: whatIf, _reads)
                : operations.StartUpdates(Change(), ForceChange, Bulk(ThrottleLimit), Cancellation, planOnly: whatIf, _reads);
            VersionStream? stream = null;
            var writer = new OutcomeWriter<VersionTarget, ModelVersion>(this, Activity, 0, outcome =>
            {
                if (outcome.Error != null) WriteFailure(outcome.Error, outcome.Input.Known ?? (object)outcome.Input.Arn);
                else if (whatIf) ShouldProcess(Describe(outcome.Result, outcome.Input.Arn), Action);
                else
                {
                    var (accounts, region) = stream!.Origin[outcome.Input.Arn];
                    OnDone(outcome.Result!.WithExpectedAccount(accounts.FirstOrDefault(), region));
                }
            });
            stream = new VersionStream(connection, new AccountCheck(connection), operations, run, writer);
            _streams.Add(stream);
            return stream;
        }

        /// <summary>Writes the outcomes that are ready, without waiting (ProcessRecord). When the pipeline stopped while
        /// writing (Ctrl+C, or -ErrorAction Stop's first error), the command ends here and says what was done.</summary>
        private void WriteReady()
        {
            foreach (var stream in _streams)
            {
                while (stream.Writer.Writable && stream.Run.TryTake(out var outcome)) stream.Writer.Take(outcome);
                if (!stream.Writer.Writable)
                {
                    FinishAll();
                    throw new PipelineStoppedException();
                }
            }
        }

        /// <summary>No more input: waits for every run, writes the rest in input order, then each run's summary and warnings.</summary>
        private void FinishAll()
        {
            if (_finished) return;
            _finished = true;
            foreach (var stream in _streams)
            {
                foreach (var outcome in stream.Run.RemainingOutcomes()) stream.Writer.Take(outcome);
                stream.Writer.Finish(stream.Run.Count);
                ReportUnchecked(stream.Account);
                if (stream.Operations.Deployed.Unavailable != null)
                    WriteWarning($"{Activity}: {stream.Operations.Deployed.Unavailable}; no version was refused for serving an endpoint.");
            }
        }

        /// <summary>Stopped while another command held the pipeline (Ctrl+C during the upstream listing): the runs
        /// already started are waited for and summed up on the host, since the pipeline can take nothing more.</summary>
        protected override void OnDispose()
        {
            try
            {
                if (!_finished && _streams.Count > 0) FinishAll();
            }
            catch (Exception) { } // the pipeline is gone: the summary went to the host where it could
            finally
            {
                _reads.Dispose();
                foreach (var stream in _streams) stream.Run.Dispose();
            }
        }
    }
}
