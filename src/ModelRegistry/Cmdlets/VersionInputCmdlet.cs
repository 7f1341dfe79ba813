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
    /// status is known without another read), ARNs (-Arn: strings by value, or by property name) or a group's
    /// name with version numbers (-GroupName/-Version), and streams them through the bulk path as they arrive
    /// (VersionInputCmdlet.Stream.cs) with -ThrottleLimit, progress and one non-terminating error per failed version:
    /// the first changes go out while the upstream command is still listing. A version reached from a project
    /// (its ExpectedAccountId) or given with -ExpectedAccountId is refused in another account. With no input at all
    /// it fails with ModelRegistry.Invalid.NoInput instead of prompting; an empty pipeline does nothing.
    /// Its overridable members use only domain and framework types: PowerShell reflects over the public cmdlet
    /// types before the module's load context exists, so an engine type in an override's signature would
    /// fail the import.
    /// </summary>
    public abstract partial class VersionInputCmdlet : BulkCmdlet
    {
        protected const string ByVersion = "Version";
        protected const string ByArn = "Arn";
        protected const string ByName = "Name";

        private readonly HashSet<string> _seen = new HashSet<string>(StringComparer.Ordinal);

        /// <summary>Versions from Get-MRModelVersion or Register-MRModelVersion.</summary>
        // Not Mandatory (nor -Arn): a bare call must fail with NoInput, never prompt (a job's open stdin would hang).
        [Parameter(ValueFromPipeline = true, ParameterSetName = ByVersion)]
        public ModelVersion[]? InputObject { get; set; }

        /// <summary>Version ARNs (AWS: ModelPackageArn). Binds strings piped by value ('arn:…' | …) and, by property name, the Arn of any object.</summary>
        [Parameter(Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true, ParameterSetName = ByArn)]
        [Alias("ModelPackageArn")]
        [ValidateNotNullOrEmpty]
        public string[]? Arn { get; set; }

        /// <summary>The group whose versions -Version names (AWS: ModelPackageGroupName). Binds a name piped as a string, or by property name.</summary>
        [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true, ParameterSetName = ByName)]
        [Alias("ModelPackageGroupName")]
        [ValidateNotNullOrEmpty]
        [ArgumentCompleter(typeof(Hosting.GroupNameCompleter))]
        public string? GroupName { get; set; }

        /// <summary>Version numbers in -GroupName's group (AWS: ModelPackageVersion).</summary>
        [Parameter(Mandatory = true, ValueFromPipelineByPropertyName = true, ParameterSetName = ByName)]
        [Alias("ModelPackageVersion")]
        [ValidateRange(1, 999999999)]
        public int[]? Version { get; set; }

        /// <summary>Refuse unless the credentials act in this AWS account (the wrong-account guard). With -Arn or -GroupName, binds by property name from the ExpectedAccountId of objects reached from a project.</summary>
        // Checked by the guard, not by a validation attribute: a TeamProject without AWS_ACCOUNT_ID binds null here.
        [Parameter(ParameterSetName = ByVersion)]
        [Parameter(ValueFromPipelineByPropertyName = true, ParameterSetName = ByArn)]
        [Parameter(ValueFromPipelineByPropertyName = true, ParameterSetName = ByName)]
        [Alias("AccountId")]
        public string? ExpectedAccountId { get; set; }

        /// <summary>The region of the .env.shared a piped object was reached from: used when nothing more explicit names one.</summary>
        [Parameter(ValueFromPipelineByPropertyName = true, ParameterSetName = ByArn, DontShow = true)]
        [Parameter(ValueFromPipelineByPropertyName = true, ParameterSetName = ByName, DontShow = true)]
        public string? ConfiguredRegion { get; set; }

        protected override void ProcessRecord()
        {
            if (InputObject != null)
                foreach (var v in InputObject)
                    if (v != null) Add(new VersionTarget(v.Arn, v), Expected(v.ExpectedAccountId, ExpectedAccountId), v.ConfiguredRegion ?? ConfiguredRegion);
            if (Arn != null && ParameterSetName == ByArn)
                foreach (var a in Arn)
                {
                    // A string is an ARN here: a name (or another kind of ARN) is an InvalidArgument error of its own.
                    Engine.Config.SageMakerArn parsed;
                    try
                    {
                        parsed = Engine.Config.Arns.Require(a, "-Arn", Engine.Config.Arns.LooksLikeArn(a) ? null : $"To name versions of a group, use -GroupName '{a}' -Version <n>.", Engine.Config.ArnKind.Version);
                    }
                    catch (RegistryException ex)
                    {
                        WriteFailure(ex, a);
                        continue;
                    }
                    // The ARN's region is where the version lives: it fills in when nothing more explicit names one.
                    Add(new VersionTarget(a), Expected(ExpectedAccountId), ConfiguredRegion ?? parsed.Region);
                }
            if (GroupName != null && Version != null && ParameterSetName == ByName)
                foreach (var n in Version) AddNamed(GroupName, n, Expected(ExpectedAccountId), ConfiguredRegion);
            WriteReady();
        }

        private void Add(VersionTarget target, IReadOnlyList<string> accounts, string? region)
        {
            if (!_seen.Add(target.Arn)) return;
            Start(target, accounts, region);
        }

        /// <summary>A version named by group and number, as the ARN of the registry it goes to (its stream's).</summary>
        private void AddNamed(string group, int version, IReadOnlyList<string> accounts, string? region)
        {
            try
            {
                Add(new VersionTarget(StreamOf(region, accounts).Operations.VersionArn(group, version)), accounts, region);
            }
            catch (Exception ex) when (ex is not PipelineStoppedException)
            {
                WriteFailure(ex, $"{group} version {version}");
            }
        }

        protected override void EndProcessing()
        {
            if (ParameterSetName == ByArn && !MyInvocation.ExpectingInput && !MyInvocation.BoundParameters.ContainsKey(nameof(Arn)))
                ThrowTerminatingError(Hosting.ErrorRecords.NoInput(
                    $"{MyInvocation.MyCommand.Name} was given no versions. Pipe versions (Get-MRModelVersion) or version ARNs, or use -Arn, or -GroupName with -Version. Nothing was changed."));
            FinishAll();
        }

        private static string Describe(ModelVersion? v, string arn) =>
            v is null ? arn : $"{v.GroupName} version {v.Version} ({v.Status})";

        /// <summary>The one UpdateModelPackage each version gets, from the members below (only what is set is sent).</summary>
        private Engine.Registry.VersionUpdate Change() => new Engine.Registry.VersionUpdate
        {
            Status = TargetStatus,
            ApprovalDescription = ReasonText,
            CustomerMetadata = MetadataToSet,
            RemoveCustomerMetadata = MetadataToRemove,
            Lifecycle = StageToSet is null ? null
                : new Engine.Registry.VersionLifecycle(StageToSet, StageStatusToSet ?? Engine.Registry.VersionLifecycle.DefaultStageStatus, StageDescriptionToSet),
        };

        /// <summary>Stops the command before anything is read when the change breaks SageMaker's limits or names a stage
        /// MODEL_LIFECYCLE_STAGES does not list (ModelRegistry.Invalid.InvalidArgument, ModelRegistry.Invalid.UnknownStage).</summary>
        protected void RefuseInvalidChange()
        {
            if (StageToSet != null) Hosting.StageConfiguration.Resolve(this, StageToSet);
            var problems = Change().Problems();
            if (problems.Count > 0)
                ThrowTerminatingError(Hosting.ErrorRecords.Invalid($"{MyInvocation.MyCommand.Name}: {string.Join("; ", problems)}. Nothing was changed.", null));
        }

        /// <summary>What ShouldProcess says is about to happen.</summary>
        protected abstract string Action { get; }
        protected abstract string Activity { get; }
        /// <summary>True when the command deletes the versions (Remove-MRModelVersion) instead of updating them.</summary>
        protected virtual bool RemovesVersions => false;
        /// <summary>The approval status to set (AWS: ModelApprovalStatus); null leaves it.</summary>
        protected virtual ApprovalStatus? TargetStatus => null;
        /// <summary>The approval reason (AWS: ApprovalDescription); null leaves it.</summary>
        protected virtual string? ReasonText => null;
        /// <summary>Customer metadata to add or overwrite (AWS: CustomerMetadataProperties); null for none.</summary>
        protected virtual IReadOnlyDictionary<string, string>? MetadataToSet => null;
        /// <summary>Customer metadata keys to remove (AWS: CustomerMetadataPropertiesToRemove); null for none.</summary>
        protected virtual IReadOnlyCollection<string>? MetadataToRemove => null;
        /// <summary>The lifecycle stage to set (AWS: ModelLifeCycle.Stage); null leaves the lifecycle.</summary>
        protected virtual string? StageToSet => null;
        /// <summary>AWS: ModelLifeCycle.StageStatus; Approved when a stage is set without one.</summary>
        protected virtual string? StageStatusToSet => null;
        /// <summary>AWS: ModelLifeCycle.StageDescription.</summary>
        protected virtual string? StageDescriptionToSet => null;
        /// <summary>Metric rules an approval must meet (-Require); null to use the team's defaults from .env.shared.</summary>
        protected virtual string[]? RequireText => null;
        /// <summary>Overrides the safety rule (approving a Rejected version, deleting an Approved one).</summary>
        protected abstract bool ForceChange { get; }
        protected abstract void OnDone(ModelVersion version);
    }
}
