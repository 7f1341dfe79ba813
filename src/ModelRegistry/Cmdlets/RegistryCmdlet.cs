using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using ModelRegistry.Engine.Bulk;
using ModelRegistry.Engine.Config;
using ModelRegistry.Engine.Diagnostics;
using System.Threading;
using ModelRegistry.Engine.Registry;
using ModelRegistry.Hosting;

namespace ModelRegistry.Cmdlets
{
    /// <summary>
    /// Base of every cmdlet that talks to a registry: the AWS Tools-style connection parameters, the one
    /// way to pick a registry, cancellation on Ctrl+C, and the one error path.
    /// </summary>
    public abstract partial class RegistryCmdlet : ModelRegistryCmdlet, IDisposable
    {
        private readonly CancellationTokenSource _stop = new CancellationTokenSource();
        // Stops bulk runs from starting new items without interrupting those in flight (-ErrorAction Stop).
        private readonly CancellationTokenSource _stopStarting = new CancellationTokenSource();
        private bool? _stopsOnError;
        // The error that ends this call under -ErrorAction Stop; its exception carries the bulk summary.
        private ErrorRecord? _stoppingError;
        private ConcurrentQueue<ServiceCall>? _calls;
        private IDisposable? _listening;

        /// <summary>The AWS region (SageMaker backend). Overrides the session's, a .env.shared's, $StoredAWSRegion (Set-DefaultAWSRegion), AWS_REGION and the profile's region.</summary>
        [Parameter]
        [ValidatePattern(Engine.Config.Naming.RegionPattern)] // a compile-time constant: no engine type at run time
        [ArgumentCompleter(typeof(RegionCompleter))]
        public string? Region { get; set; }

        /// <summary>A profile from the shared AWS config/credentials files, or from -ProfileLocation (SageMaker backend). Overrides -Credential, $StoredAWSCredentials, the environment's keys and AWS_PROFILE; -AccessKey overrides it.</summary>
        [Parameter]
        [Alias("Profile", "AWSProfileName")]
        [ArgumentCompleter(typeof(ProfileNameCompleter))]
        public string? ProfileName { get; set; }

        /// <summary>The SageMaker endpoint, e.g. an emulator. Overrides AWS_ENDPOINT_URL_SAGEMAKER and AWS_ENDPOINT_URL.</summary>
        [Parameter]
        [ValidateAbsoluteUri]
        public string? EndpointUrl { get; set; }

        /// <summary>A registry connection (from Connect-MRRegistry -PassThru) to use instead of the session's.</summary>
        [Parameter]
        public RegistryConnection? Registry { get; set; }

        protected CancellationToken Cancellation => _stop.Token;

        protected override void StopProcessing()
        {
            _stopStarting.Cancel();
            _stop.Cancel();
        }

        /// <summary>
        /// True when this call's effective ErrorAction is Stop (-ErrorAction Stop, else $ErrorActionPreference), so
        /// its first error ends it. Known before the first error is written: bulk runs stop starting new items at
        /// the first failure instead of running on while PowerShell unwinds.
        /// </summary>
        protected bool StopsOnError => _stopsOnError ??= EffectiveErrorAction() == ActionPreference.Stop;

        private ActionPreference? EffectiveErrorAction()
        {
            if (MyInvocation.BoundParameters.TryGetValue("ErrorAction", out var bound)) return AsPreference(bound);
            return AsPreference(GetVariableValue("ErrorActionPreference"));
        }

        private static ActionPreference? AsPreference(object? value)
        {
            if (value is PSObject pso) value = pso.BaseObject;
            if (value is ActionPreference p) return p;
            return value is string text && Enum.TryParse<ActionPreference>(text, true, out var parsed) ? parsed : (ActionPreference?)null;
        }

        /// <summary>The bulk settings of this call: the throttle limit, and under -ErrorAction Stop no new item after
        /// the first failure.</summary>
        protected BulkOptions Bulk(int throttleLimit) => new BulkOptions(throttleLimit, StopsOnError, _stopStarting.Token);

        /// <summary>
        /// Which registry this call uses: -Registry; else -Region/-ProfileName/-EndpointUrl or credentials, which mean
        /// SageMaker; else the session's (Connect-MRRegistry); else SageMaker resolved the AWS way. Credentials in AWS
        /// Tools' order (RegistryCmdlet.Credentials.cs). A configured region (from .env.shared) fills in when nothing
        /// more explicit names one, then AWS Tools' $StoredAWSRegion. Never falls back to Local. A Local
        /// registry without its own -Region/-AccountId speaks the configuration's: the piped object's region and
        /// account (<paramref name="configuredRegion"/>, <paramref name="configuredAccount"/>), else AWS_REGION and
        /// AWS_ACCOUNT_ID of the session's configuration file, so its ARNs match Get-MRIamPolicy's.
        /// </summary>
        protected RegistryConnection ResolveConnection(string? configuredRegion = null, string? configuredAccount = null)
        {
            if (Registry != null) return Registry;
            var session = SessionSettings.Current.Connection;
            var explicitAws = Region != null || ProfileName != null || EndpointUrl != null || NamesCredentials;
            RegistryConnection connection;
            if (explicitAws || session is null)
            {
                connection = session is { Backend: RegistryBackend.SageMaker } ? session.Clone() : new RegistryConnection();
                connection.Region = Region ?? connection.Region;
                connection.EndpointUrl = EndpointUrl ?? connection.EndpointUrl;
            }
            else
            {
                connection = session.Clone();
            }
            if (connection.Backend == RegistryBackend.SageMaker)
            {
                ApplyCredentials(connection);
                // The file's region travels with what was read from it; AWS Tools' session region comes after it.
                connection.Region ??= configuredRegion ?? AwsCredentialArguments.StoredRegion(this);
            }
            if (connection.Backend == RegistryBackend.Local)
            {
                connection.Region ??= configuredRegion;
                connection.LocalAccountId ??= Naming.IsAccountId(configuredAccount) ? configuredAccount : null;
                SessionSettings.WithLocalIdentity(connection, this);
            }
            return connection;
        }

        /// <summary>
        /// The one region named by the .env.shared files the versions were reached from (null when none names one),
        /// for commands that read many versions over one connection. Versions from files naming different regions
        /// are a terminating error: one such command reads one region.
        /// </summary>
        protected string? ConfiguredRegionOf(IEnumerable<ModelVersion> versions)
        {
            var regions = versions.Select(v => v.ConfiguredRegion).Where(r => r != null).Distinct(StringComparer.Ordinal).ToList();
            if (regions.Count > 1)
                ThrowTerminatingError(ErrorRecords.Invalid(
                    $"{MyInvocation.MyCommand.Name} reads one region, and the versions came from configuration files naming {string.Join(" and ", regions)}. Run it once per region.",
                    null, "ModelRegistry.Invalid.MixedRegions"));
            return regions.FirstOrDefault();
        }

        protected IModelRegistry OpenRegistry(RegistryConnection connection)
        {
            StartCallLog();
            try
            {
                return RegistryFactory.Get(connection);
            }
            catch (Exception ex)
            {
                ThrowTerminatingError(ErrorRecords.From(ex, connection));
                throw; // not reached
            }
        }

        /// <summary>
        /// True under -WhatIf (or $WhatIfPreference): the one test every cmdlet uses to run its reads and guards
        /// without changing anything, so -WhatIf reports the real run's refusals and actions.
        /// </summary>
        protected bool IsWhatIf()
        {
            if (MyInvocation.BoundParameters.TryGetValue("WhatIf", out var bound))
                return bound is SwitchParameter s ? s.IsPresent : bound is true;
            var preference = SessionState.PSVariable.GetValue("WhatIfPreference");
            return preference is bool b ? b : preference is SwitchParameter sp && sp.IsPresent;
        }

        /// <summary>The one error path for non-terminating, per-item failures. Under -ErrorAction Stop the error ends
        /// the call: bulk runs stop starting new items first, so nothing more is begun while it unwinds.</summary>
        protected void WriteFailure(Exception exception, object? target)
        {
            FlushCallLog();
            var record = ErrorRecords.From(exception, target);
            if (StopsOnError)
            {
                _stopStarting.Cancel();
                _stoppingError ??= record;
            }
            WriteError(record);
        }

        /// <summary>Writes an object after the service calls that led to it (-Verbose, -Debug).</summary>
        // Hides Cmdlet.WriteObject on purpose: every registry cmdlet then interleaves its call log with its output.
        protected new void WriteObject(object? sendToPipeline)
        {
            FlushCallLog();
            base.WriteObject(sendToPipeline);
        }

        // -Verbose shows each service call (operation, target, duration, retries); -Debug adds request ids.
        // Calls are collected only when asked for, from whichever thread made them, and written here on the
        // pipeline thread.
        private void StartCallLog()
        {
            if (_listening != null || !(Wants("Verbose", "VerbosePreference") || Wants("Debug", "DebugPreference"))) return;
            var calls = new ConcurrentQueue<ServiceCall>();
            _calls = calls;
            _listening = ServiceCallLog.Listen(calls.Enqueue);
        }

        private bool Wants(string parameter, string preference)
        {
            if (MyInvocation.BoundParameters.TryGetValue(parameter, out var bound)) return bound is SwitchParameter s ? s.IsPresent : bound is true;
            return GetVariableValue(preference) is ActionPreference p && p != ActionPreference.SilentlyContinue && p != ActionPreference.Ignore;
        }

        protected void FlushCallLog()
        {
            if (_calls is null) return;
            while (_calls.TryDequeue(out var call))
            {
                WriteVerbose(call.ToString());
                if (call.RequestId != null) WriteDebug($"{call.Service} {call.Operation}: request id {call.RequestId}");
            }
        }

        public void Dispose()
        {
            OnDispose();
            _listening?.Dispose();
            _stop.Dispose();
            _stopStarting.Dispose();
        }

        /// <summary>When the pipeline ends, stopped or not (PowerShell disposes its commands): a streaming cmdlet
        /// whose last input never came accounts for the work it started.</summary>
        protected virtual void OnDispose() { }

        /// <summary>
        /// The keys a bulk run's summary has on the exception of the error that stopped it under -ErrorAction Stop
        /// (<c>catch { $_.Exception.Data['NotStarted'] }</c>): Total inputs; Done = Succeeded + Failed (finished,
        /// either way); Interrupted (cut off mid-call by Ctrl+C: may or may not have taken effect); NotStarted; and
        /// Summary, the warning's text.
        /// </summary>
        public static class StopSummaryKeys
        {
            public const string Total = "Total";
            public const string Done = "Done";
            public const string Succeeded = "Succeeded";
            public const string Failed = "Failed";
            public const string Interrupted = "Interrupted";
            public const string NotStarted = "NotStarted";
            public const string Summary = "Summary";
        }

        /// <summary>
        /// The wrong-account guard (<see cref="AccountGuard"/>) for a batch of inputs that share a registry: returns the
        /// inputs that may go on and writes one error per refused input, naming both accounts. An input is refused when
        /// any account it expects (see <see cref="Expected"/>) is not the caller's. The caller's account is asked only
        /// when some input expects one, once per registry and process; when it cannot be asked, each input that expects
        /// an account gets that error instead. Runs before anything else, -WhatIf included, so -WhatIf shows the refusals.
        /// </summary>
        protected List<T> PassAccountGuard<T>(RegistryConnection connection, IEnumerable<T> inputs,
            Func<T, IReadOnlyList<string>> expectedOf, Func<T, object?> targetOf)
        {
            var check = new AccountCheck(connection);
            var passed = PassAccountGuard(check, inputs, expectedOf, targetOf);
            ReportUnchecked(check);
            return passed;
        }

        /// <summary>
        /// <see cref="PassAccountGuard{T}(RegistryConnection, IEnumerable{T}, Func{T, IReadOnlyList{string}}, Func{T, object?})"/>
        /// for inputs that arrive over many calls (a streaming cmdlet): the account is asked once per <paramref name="check"/>,
        /// and the inputs it could not vouch for are collected until <see cref="ReportUnchecked"/> writes their one error.
        /// </summary>
        protected List<T> PassAccountGuard<T>(AccountCheck check, IEnumerable<T> inputs,
            Func<T, IReadOnlyList<string>> expectedOf, Func<T, object?> targetOf)
        {
            var items = inputs.ToList();
            if (!items.Any(i => expectedOf(i).Count > 0)) return items;
            StartCallLog(); // the STS call shows in -Verbose
            if (!check.Asked && items.Any(i => expectedOf(i).Any(Naming.IsAccountId)))
            {
                check.Asked = true;
                try
                {
                    check.Actual = AccountGuard.CallerAccountAsync(check.Connection, Cancellation).GetAwaiter().GetResult();
                }
                catch (Exception ex) when (ex is not PipelineStoppedException)
                {
                    check.Unknown = ex;
                }
            }
            var passed = new List<T>(items.Count);
            var location = check.Connection.ToString();
            foreach (var item in items)
            {
                var expected = expectedOf(item);
                var target = targetOf(item);
                var refusal = expected.Select(e => AccountGuard.Check(e, check.Actual, location, target?.ToString())).FirstOrDefault(r => r != null);
                if (refusal != null) WriteFailure(refusal, target);
                else if (check.Unknown != null && expected.Count > 0) check.Unchecked.Add(target?.ToString() ?? "");
                else passed.Add(item);
            }
            return passed;
        }

        /// <summary>The account could not be asked: one error for the command, naming what was not done, not one per input.</summary>
        protected void ReportUnchecked(AccountCheck check)
        {
            if (check.Unchecked.Count == 0) return;
            var names = check.Unchecked.ToList();
            check.Unchecked.Clear();
            WriteFailure(AccountGuard.Unchecked(check.Unknown!, names), check.Connection.ToString());
        }

        /// <summary>The wrong-account guard's state for one registry over one call: the caller's account, asked once.</summary>
        protected sealed class AccountCheck
        {
            public AccountCheck(RegistryConnection connection) { Connection = connection; }
            public RegistryConnection Connection { get; }
            internal bool Asked { get; set; }
            internal string? Actual { get; set; }
            internal Exception? Unknown { get; set; }
            internal List<string> Unchecked { get; } = new List<string>();
        }

        /// <summary>
        /// The accounts one input expects: those its objects carry (a TeamProject's AccountId, the ExpectedAccountId of a
        /// group, version or deployment reached from one) and -ExpectedAccountId, given or bound for it. Call it in
        /// ProcessRecord, where a value bound by property name belongs to the current pipeline object.
        /// </summary>
        // -ExpectedAccountId and the hidden -ConfiguredRegion are declared by each cmdlet, bound by property name only in
        // the parameter sets that take names: bound in every set, they would pull a piped group into a by-value set.
        protected static IReadOnlyList<string> Expected(params string?[] accounts) =>
            accounts.Where(a => !string.IsNullOrEmpty(a)).Select(a => a!).Distinct(StringComparer.Ordinal).ToList();

        private bool _yesToAll;
        private bool _noToAll;

        /// <summary>
        /// The high-impact step of a Medium cmdlet (a prune in Sync, switching a live endpoint in Deploy). ConfirmImpact
        /// is one value per cmdlet, so the routine part does not prompt a scheduled run while this step asks as a
        /// High-impact command does: call it after ShouldProcess. With -Confirm (or -Confirm:$false) or a
        /// $ConfirmPreference below High, ShouldProcess has already decided, and $ConfirmPreference = 'None' never
        /// asks; otherwise it asks, once per item, with Yes/No to All. A host that cannot ask (a job, a scheduled task
        /// whose input is not a terminal, -NonInteractive) never waits for an answer: the item fails, naming
        /// -Confirm:$false, and is not done.
        /// </summary>
        protected bool ConfirmHighImpact(string target, string what, string caption, string verb)
        {
            if (MyInvocation.BoundParameters.ContainsKey("Confirm")) return true;
            var preference = SessionState.PSVariable.GetValue("ConfirmPreference");
            if (preference is ConfirmImpact impact && impact != ConfirmImpact.High) return true;
            if (preference is string text && Enum.TryParse<ConfirmImpact>(text, true, out var parsed) && parsed != ConfirmImpact.High) return true;
            if (_yesToAll) return true;
            if (_noToAll) return false;
            Exception? cannotAsk = HostCanPrompt() ? null : new PSInvalidOperationException($"the host '{Host?.Name}' takes no answers");
            if (cannotAsk is null)
            {
                try
                {
                    return ShouldContinue($"{what}?", caption, ref _yesToAll, ref _noToAll);
                }
                catch (Exception ex) when (ex is not PipelineStoppedException)
                {
                    cannotAsk = ex;
                }
            }
            FlushCallLog();
            WriteError(ErrorRecords.ConfirmationRequired(
                $"To {verb} {target} needs confirmation (High impact), and this host cannot ask ({cannotAsk.Message}). Nothing was done. Use -Confirm:$false to {verb} unattended.",
                target, cannotAsk));
            return false;
        }

        /// <summary>
        /// Whether a question can be answered here: not in a job or remote session (Start-Job would block, waiting for
        /// an answer nobody gives), and not on a console whose input is redirected (a scheduled task's open stdin would
        /// hang the run). -NonInteractive hosts throw when asked; ConfirmHighImpact reports that the same way.
        /// </summary>
        protected bool HostCanPrompt()
        {
            var name = Host?.Name;
            if (Host?.UI is null || name == "ServerRemoteHost" || name == "Default Host") return false;
            return !(name == "ConsoleHost" && Console.IsInputRedirected);
        }

        /// <summary>Batches inputs per registry: two connections are the same registry when they print the same.</summary>
        protected sealed class ConnectionComparer : IEqualityComparer<RegistryConnection>
        {
            public static readonly ConnectionComparer Instance = new ConnectionComparer();
            public bool Equals(RegistryConnection? a, RegistryConnection? b) => a?.ToString() == b?.ToString() && a?.LocalAccountId == b?.LocalAccountId
                && a?.AccessKey == b?.AccessKey && a?.SessionToken == b?.SessionToken && a?.ProfileLocation == b?.ProfileLocation;
            public int GetHashCode(RegistryConnection c) => c.ToString().GetHashCode();
        }

        protected void ThrowFailure(Exception exception, object? target) => ThrowTerminatingError(ErrorRecords.From(exception, target));
    }
}
