using System;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using ModelRegistry.Engine.Bulk;
using ModelRegistry.Engine.Operations;

namespace ModelRegistry.Cmdlets
{
    /// <summary>
    /// Base of the cmdlets that act on versions: takes ModelVersion objects (-InputObject, by value, so their
    /// status is known without another read) or ARNs (-Arn, by property name), and runs them through the bulk
    /// path in EndProcessing with -ThrottleLimit, progress and one non-terminating error per failed version. A version
    /// reached from a project (its ExpectedAccountId) or given with -ExpectedAccountId is refused in another account.
    /// Its overridable members use only domain and framework types: PowerShell reflects over the public cmdlet
    /// types before the module's load context exists, so an engine type in an override's signature would
    /// fail the import.
    /// </summary>
    public abstract class VersionInputCmdlet : BulkCmdlet
    {
        protected const string ByVersion = "Version";
        protected const string ByArn = "Arn";

        private readonly List<VersionTarget> _targets = new List<VersionTarget>();
        private readonly HashSet<string> _seen = new HashSet<string>(StringComparer.Ordinal);
        // Per ARN: the accounts the wrong-account guard must see and the configured region, captured as each input binds.
        private readonly Dictionary<string, (IReadOnlyList<string> Accounts, string? Region)> _origin =
            new Dictionary<string, (IReadOnlyList<string>, string?)>(StringComparer.Ordinal);

        /// <summary>Versions from Get-MRModelVersion or Register-MRModelVersion.</summary>
        // Not Mandatory: a bare call would prompt "InputObject[0]:", and a job whose stdin stays open would hang on
        // it. A call with neither a pipeline nor -Arn is a clear error instead (EndProcessing).
        [Parameter(ValueFromPipeline = true, ParameterSetName = ByVersion)]
        public ModelVersion[]? InputObject { get; set; }

        /// <summary>Version ARNs (AWS: ModelPackageArn); binds by property name from any object with an Arn.</summary>
        [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true, ParameterSetName = ByArn)]
        [Alias("ModelPackageArn")]
        [ValidateNotNullOrEmpty]
        public string[]? Arn { get; set; }

        /// <summary>Refuse unless the credentials act in this AWS account (the seed's wrong-account guard). With -Arn, binds by property name from the ExpectedAccountId of objects reached from a project.</summary>
        // Checked by the guard, not by a validation attribute: a TeamProject without AWS_ACCOUNT_ID binds null here.
        [Parameter(ParameterSetName = ByVersion)]
        [Parameter(ValueFromPipelineByPropertyName = true, ParameterSetName = ByArn)]
        [Alias("AccountId")]
        public string? ExpectedAccountId { get; set; }

        /// <summary>The region of the .env.shared a piped object was reached from: used when nothing more explicit names one.</summary>
        [Parameter(ValueFromPipelineByPropertyName = true, ParameterSetName = ByArn, DontShow = true)]
        public string? ConfiguredRegion { get; set; }

        protected override void ProcessRecord()
        {
            if (InputObject != null)
                foreach (var v in InputObject)
                    if (v != null) Add(new VersionTarget(v.Arn, v), Expected(v.ExpectedAccountId, ExpectedAccountId), v.ConfiguredRegion ?? ConfiguredRegion);
            if (Arn != null && ParameterSetName == ByArn)
                foreach (var a in Arn) Add(new VersionTarget(a), Expected(ExpectedAccountId), ConfiguredRegion);
        }

        private void Add(VersionTarget target, IReadOnlyList<string> accounts, string? region)
        {
            if (!_seen.Add(target.Arn)) return;
            _targets.Add(target);
            _origin[target.Arn] = (accounts, region);
        }

        protected override void EndProcessing()
        {
            if (_targets.Count == 0)
            {
                // An empty pipeline (no version was Pending) is nothing to do; no input at all is a mistake.
                if (!MyInvocation.ExpectingInput)
                    ThrowTerminatingError(Hosting.ErrorRecords.Invalid(
                        $"{MyInvocation.MyCommand.Name} was given no versions. Pipe ModelVersion objects (Get-MRModelVersion) or give -Arn.",
                        null, "ModelRegistry.Invalid.NoInput"));
                return;
            }
            var whatIf = IsWhatIf();
            foreach (var batch in _targets.GroupBy(t => ResolveConnection(_origin[t.Arn].Region), ConnectionComparer.Instance))
            {
                if (Cancellation.IsCancellationRequested) return;
                // The account guard first, so -WhatIf and -Confirm show only what the real run would act on.
                var passed = PassAccountGuard(batch.Key, batch, t => _origin[t.Arn].Accounts, t => t.Known ?? (object)t.Arn);
                var confirmed = whatIf ? passed : passed.Where(t => ShouldProcess(Describe(t.Known, t.Arn), Action)).ToList();
                if (confirmed.Count == 0) continue;
                var operations = new Engine.Operations.ModelVersionOperations(OpenRegistry(batch.Key));
                // Approvals are gated on metrics by -Require, else by the team's rules from .env.shared (a guard in the list).
                if (TargetStatus == ApprovalStatus.Approved)
                    operations.UseGate(new Engine.Metrics.ApprovalGate(Engine.Metrics.MetricsReader.For(batch.Key),
                        Hosting.ApprovalRules.ParseRequire(this, RequireText), RequireText is null ? Hosting.ApprovalRules.TeamDefaults(this) : null));
                // -WhatIf runs the same reads and guards without the change: the same refusals, and a "What if" for the rest.
                var outcomes = TargetStatus is ApprovalStatus status
                    ? operations.SetApprovalMany(confirmed, status, ReasonText, ForceChange, Bulk(ThrottleLimit), Cancellation, planOnly: whatIf)
                    : operations.RemoveMany(confirmed, ForceChange, Bulk(ThrottleLimit), Cancellation, planOnly: whatIf);
                Drain(outcomes, confirmed.Count, Activity, outcome =>
                {
                    if (outcome.Error != null) WriteFailure(outcome.Error, outcome.Input.Known ?? (object)outcome.Input.Arn);
                    else if (whatIf) ShouldProcess(Describe(outcome.Result, outcome.Input.Arn), Action);
                    else
                    {
                        var (accounts, region) = _origin[outcome.Input.Arn];
                        OnDone(outcome.Result!.WithExpectedAccount(accounts.FirstOrDefault(), region));
                    }
                });
                if (operations.Deployed.Unavailable != null) WriteWarning($"{Activity}: {operations.Deployed.Unavailable}; no version was refused for serving an endpoint.");
            }
        }

        private static string Describe(ModelVersion? v, string arn) =>
            v is null ? arn : $"{v.GroupName} version {v.Version} ({v.Status})";

        /// <summary>What ShouldProcess says is about to happen.</summary>
        protected abstract string Action { get; }
        protected abstract string Activity { get; }
        /// <summary>The approval status to set; null means delete the versions.</summary>
        protected abstract ApprovalStatus? TargetStatus { get; }
        protected virtual string? ReasonText => null;
        /// <summary>Metric rules an approval must meet (-Require); null to use the team's defaults from .env.shared.</summary>
        protected virtual string[]? RequireText => null;
        /// <summary>Overrides the safety rule (approving a Rejected version, deleting an Approved one).</summary>
        protected abstract bool ForceChange { get; }
        protected abstract void OnDone(ModelVersion version);
    }
}
