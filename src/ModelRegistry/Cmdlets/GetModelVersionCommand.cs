using System;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using ModelRegistry.Engine.Operations;
using ModelRegistry.Engine.Registry;
using ModelRegistry.Hosting;

namespace ModelRegistry.Cmdlets
{
    /// <summary>
    /// <para type="synopsis">Gets model versions: of groups (by name, wildcards or pipeline), by status, number, ARN, age, or the newest N.</para>
    /// <para type="description">Lists registered versions only — never unversioned model packages — on both backends, streaming each page as it arrives, so the first version appears long before the last page of a large group. -Status and -CreatedAfter/-CreatedBefore filter on the service; -Stage filters on the lifecycle stage client-side (ListModelPackages cannot filter on it; its summaries carry it); -Latest N keeps the newest N per group after the filters, so Get-MRModelGroup | Get-MRModelVersion -Stage Production -Latest 1 answers what is in Production for every group; -Detailed reads each version in full (inference specification, metrics, metadata, approval reason). Versions bind by property name to Set-MRApproval, Approve-MRModelVersion, Deny-MRModelVersion, Set-MRModelVersion, Set-MRModelLifecycle and Remove-MRModelVersion.</para>
    /// <example>
    ///   <code>Get-MRModelVersion rc-fraud-detection -Status PendingManualApproval</code>
    ///   <para>Lists the versions waiting for review.</para>
    /// </example>
    /// <example>
    ///   <code>Get-MRModelGroup rc-* | Get-MRModelVersion -Status Approved -Latest 1</code>
    ///   <para>The newest approved version of every risk-control group.</para>
    /// </example>
    /// <example>
    ///   <code>Get-MRModelGroup | Get-MRModelVersion -Stage Production -Latest 1</code>
    ///   <para>What is in Production, for every group: the newest version in that stage of each.</para>
    /// </example>
    /// <example>
    ///   <code>Get-MRModelVersion -Arn arn:aws:sagemaker:ap-northeast-1:123456789012:model-package/rc-fraud-detection/3 | Format-List *</code>
    ///   <para>One version in full.</para>
    /// </example>
    /// </summary>
    // The by-value set is the default: PowerShell prefers the default set for pipeline input, and a piped
    // ModelVersion (which also has a GroupName) must read that version, not list its whole group.
    [Cmdlet(VerbsCommon.Get, "MRModelVersion", DefaultParameterSetName = ByVersion)]
    [OutputType(typeof(ModelVersion))]
    public sealed class GetModelVersionCommand : RegistryCmdlet
    {
        private const string ByGroup = "Group";
        private const string ByArn = "Arn";
        private const string ByVersion = "Version";
        private const string ByDeployment = "Deployment";

        /// <summary>Versions to read again (from Get-MRModelVersion or Register-MRModelVersion), e.g. to add -Detailed.</summary>
        // Not Mandatory: a bare call must fail with NoInput, never prompt (a job's open stdin would hang).
        [Parameter(ValueFromPipeline = true, ParameterSetName = ByVersion)]
        public ModelVersion[]? InputObject { get; set; }

        /// <summary>Deployments (Get-MRDeployment): the versions each one serves, not every version of their groups.</summary>
        [Parameter(Mandatory = true, ValueFromPipeline = true, ParameterSetName = ByDeployment)]
        public ModelRegistry.Deployment[]? Deployment { get; set; }

        /// <summary>Groups whose versions to list (wildcards allowed), or version or group ARNs. Binds strings piped by value ('rc-fraud-detection' | Get-MRModelVersion: a version ARN reads that version, a group ARN its group), and ModelGroup and TeamProject objects by property name.</summary>
        [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true, ParameterSetName = ByGroup)]
        [Alias("Name", "ModelPackageGroupName")]
        [SupportsWildcards]
        [ValidateNotNullOrEmpty]
        [ArgumentCompleter(typeof(GroupNameCompleter))]
        public string[] GroupName { get; set; } = Array.Empty<string>();

        /// <summary>Version ARNs to read (AWS: ModelPackageArn).</summary>
        // Not bound by property name: a ModelGroup's Arn is not a version's.
        [Parameter(Mandatory = true, ParameterSetName = ByArn)]
        [Alias("ModelPackageArn")]
        [ValidateNotNullOrEmpty]
        public string[] Arn { get; set; } = Array.Empty<string>();

        /// <summary>Only versions with this approval status.</summary>
        [Parameter(ParameterSetName = ByGroup)]
        public ApprovalStatus? Status { get; set; }

        /// <summary>Only these version numbers.</summary>
        [Parameter(ParameterSetName = ByGroup)]
        [ValidateRange(1, int.MaxValue)]
        public int[]? Version { get; set; }

        /// <summary>Only the newest N versions of each group (after the other filters).</summary>
        [Parameter(ParameterSetName = ByGroup)]
        [ValidateRange(1, int.MaxValue)]
        public int? Latest { get; set; }

        /// <summary>Only versions in this lifecycle stage (AWS: ModelLifeCycle.Stage), one of MODEL_LIFECYCLE_STAGES in .env.shared
        /// (default Development, Staging, Production). Filtered client-side, not by SageMaker: ListModelPackages takes no stage filter, but
        /// its summaries carry the stage, so no version is described for it. With -Latest, the newest N in that stage.</summary>
        [Parameter(ParameterSetName = ByGroup)]
        [ValidateNotNullOrEmpty]
        public string? Stage { get; set; }

        /// <summary>Only versions created after this time.</summary>
        [Parameter(ParameterSetName = ByGroup)]
        public DateTime? CreatedAfter { get; set; }

        /// <summary>Only versions created before this time.</summary>
        [Parameter(ParameterSetName = ByGroup)]
        public DateTime? CreatedBefore { get; set; }

        /// <summary>Newest first (the default is oldest first; -Latest lists newest first unless -Ascending).</summary>
        [Parameter(ParameterSetName = ByGroup)]
        public SwitchParameter Descending { get; set; }

        /// <summary>Oldest first even with -Latest.</summary>
        [Parameter(ParameterSetName = ByGroup)]
        public SwitchParameter Ascending { get; set; }

        /// <summary>The AWS account the configuration expects. Not checked by this read command: it marks what it writes, and the mutating cmdlets fed from that refuse in another account. Binds by property name from a TeamProject's AccountId and the ExpectedAccountId of objects reached from one.</summary>
        [Parameter(ParameterSetName = ByVersion)]
        [Parameter(ParameterSetName = ByArn)]
        [Parameter(ValueFromPipelineByPropertyName = true, ParameterSetName = ByGroup)]
        [Alias("AccountId")]
        public string? ExpectedAccountId { get; set; }

        /// <summary>The region of the .env.shared a piped object was reached from: used when nothing more explicit names one.</summary>
        [Parameter(ValueFromPipelineByPropertyName = true, ParameterSetName = ByGroup, DontShow = true)]
        public string? ConfiguredRegion { get; set; }

        /// <summary>Read each version in full: inference specification, metrics, customer metadata, approval reason.</summary>
        [Parameter]
        public SwitchParameter Detailed { get; set; }

        protected override void BeginProcessing()
        {
            if (Descending && Ascending)
                ThrowTerminatingError(ErrorRecords.Invalid("Use -Descending or -Ascending, not both.", null));
            if (Stage != null) Stage = StageConfiguration.Resolve(this, Stage); // a stage not configured is an error, not an empty answer
        }

        protected override void EndProcessing()
        {
            if (ParameterSetName == ByVersion && !MyInvocation.ExpectingInput && !MyInvocation.BoundParameters.ContainsKey(nameof(InputObject)))
                ThrowTerminatingError(ErrorRecords.NoInput(
                    "Get-MRModelVersion was given no input. Name a group (Get-MRModelVersion rc-fraud-detection), use -Arn, or pipe groups, projects, versions or deployments."));
        }

        protected override void ProcessRecord()
        {
            if (ParameterSetName == ByDeployment)
            {
                // A deployment stands for the versions it serves (every variant's), read with its account and region.
                foreach (var d in Deployment ?? Array.Empty<ModelRegistry.Deployment>())
                {
                    if (d is null) continue;
                    var served = d.ModelVersionArns.Append(d.ModelVersionArn).Where(a => !string.IsNullOrEmpty(a)).Distinct(StringComparer.Ordinal).ToList();
                    var region = d.ConfiguredRegion ?? ConfiguredRegion;
                    var account = d.ExpectedAccountId ?? ExpectedAccountId;
                    if (served.Count == 0) { WriteVerbose($"Endpoint {d.EndpointName} serves no model version of a registry."); continue; }
                    var serving = OpenRegistry(ResolveConnection(region, account));
                    foreach (var arn in served) WriteOne(serving, arn!, account, region);
                }
                return;
            }
            if (ParameterSetName == ByVersion)
            {
                // A version read again keeps the account and region it was reached with.
                foreach (var v in InputObject ?? Array.Empty<ModelVersion>())
                {
                    var region = v.ConfiguredRegion ?? ConfiguredRegion;
                    WriteOne(OpenRegistry(ResolveConnection(region, v.ExpectedAccountId ?? ExpectedAccountId)), v.Arn, v.ExpectedAccountId ?? ExpectedAccountId, region);
                }
                return;
            }
            // A project's (or a reached group's) region and account travel on to the versions written.
            var registry = OpenRegistry(ResolveConnection(ConfiguredRegion, ExpectedAccountId));
            var operations = new ModelVersionOperations(registry);
            if (ParameterSetName == ByArn)
            {
                foreach (var arn in Arn)
                {
                    // Not an ARN of a version: InvalidArgument (InvalidArn), not "does not exist".
                    try { Engine.Config.Arns.Require(arn, "-Arn", null, Engine.Config.ArnKind.Version); }
                    catch (RegistryException ex) { WriteFailure(ex, arn); continue; }
                    WriteOne(registry, arn, ExpectedAccountId, ConfiguredRegion);
                }
                return;
            }

            foreach (var given in GroupName)
            {
                var pattern = given;
                if (Engine.Config.Arns.LooksLikeArn(given))
                {
                    // An ARN says what it names: a version is read as -Arn would; a group's versions are listed.
                    Engine.Config.SageMakerArn arn;
                    try
                    {
                        arn = Engine.Config.Arns.Require(given, "-GroupName", null, Engine.Config.ArnKind.Version, Engine.Config.ArnKind.Group);
                    }
                    catch (RegistryException ex)
                    {
                        WriteFailure(ex, given);
                        continue;
                    }
                    if (arn.Kind == Engine.Config.ArnKind.Version)
                    {
                        WriteOne(ConfiguredRegion is null ? OpenRegistry(ResolveConnection(arn.Region, ExpectedAccountId)) : registry, arn.Text, ExpectedAccountId, ConfiguredRegion);
                        continue;
                    }
                    pattern = arn.Name;
                }
                foreach (var group in ResolveGroups(registry, pattern))
                {
                    try
                    {
                        // -Version alone names versions exactly: read them directly instead of listing the group.
                        if (Version != null && Status is null && Stage is null && Latest is null && CreatedAfter is null && CreatedBefore is null)
                        {
                            foreach (var n in Version) WriteOne(registry, operations.VersionArn(group, n), ExpectedAccountId, ConfiguredRegion);
                            continue;
                        }
                        var descending = Descending || (Latest.HasValue && !Ascending);
                        var versions = operations.List(group, Status, Utc(CreatedAfter), Utc(CreatedBefore), descending, Latest, Version, Cancellation,
                            damaged: e => WriteFailure(e, e.Target), stage: Stage);
                        if (!Detailed)
                        {
                            foreach (var v in versions) WriteObject(Stamp(v, ExpectedAccountId, ConfiguredRegion));
                            continue;
                        }
                        // Detailed reads go a page at a time, so the stream keeps moving on a large group.
                        foreach (var page in Chunk(versions, RegistryExtensions.MaxPageSize))
                            Drain(operations.Describe(page, Bulk(Engine.Bulk.BulkRunner.DefaultThrottleLimit), Cancellation), page.Count, $"Reading versions of {group}", o =>
                            {
                                if (o.Error != null) WriteFailure(o.Error, o.Input.Arn);
                                else if (o.Result != null) WriteObject(Stamp(o.Result, ExpectedAccountId, ConfiguredRegion));
                            });
                    }
                    catch (Exception ex) when (ex is not PipelineStoppedException)
                    {
                        WriteFailure(ex, group);
                    }
                }
            }
        }

        private static ModelVersion Stamp(ModelVersion v, string? account, string? region) =>
            account is null && region is null ? v : v.WithExpectedAccount(account, region);

        private void WriteOne(IModelRegistry registry, string arn, string? account, string? region)
        {
            try
            {
                var version = registry.GetVersionAsync(arn, Cancellation).GetAwaiter().GetResult();
                if (version is null)
                    WriteFailure(new RegistryException(RegistryErrorKind.NotFound, $"Model version '{arn}' does not exist in {registry.Location}.", arn), arn);
                else WriteObject(Stamp(version, account, region));
            }
            catch (Exception ex) when (ex is not PipelineStoppedException)
            {
                WriteFailure(ex, arn);
            }
        }

        /// <summary>A name is used as given (a missing group is an error from the listing); a pattern lists groups.</summary>
        private IEnumerable<string> ResolveGroups(IModelRegistry registry, string pattern)
        {
            if (!WildcardPattern.ContainsWildcardCharacters(pattern)) return new[] { pattern };
            var matcher = new WildcardPattern(pattern, WildcardOptions.IgnoreCase);
            try
            {
                return registry.EnumerateGroups(null, Cancellation, damaged: e => WriteFailure(e, e.Target)).Where(g => matcher.IsMatch(g.Name)).Select(g => g.Name).ToList();
            }
            catch (Exception ex) when (ex is not PipelineStoppedException)
            {
                WriteFailure(ex, pattern);
                return Array.Empty<string>();
            }
        }

        private static DateTime? Utc(DateTime? t) => t?.Kind == DateTimeKind.Unspecified ? DateTime.SpecifyKind(t.Value, DateTimeKind.Local).ToUniversalTime() : t?.ToUniversalTime();

        private static IEnumerable<List<ModelVersion>> Chunk(IEnumerable<ModelVersion> source, int size)
        {
            var chunk = new List<ModelVersion>(size);
            foreach (var item in source)
            {
                chunk.Add(item);
                if (chunk.Count == size)
                {
                    yield return chunk;
                    chunk = new List<ModelVersion>(size);
                }
            }
            if (chunk.Count > 0) yield return chunk;
        }
    }
}
