using System;
using System.Collections;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Management.Automation;
using ModelRegistry.Engine.Config;
using ModelRegistry.Engine.Operations;
using ModelRegistry.Engine.Registry;
using ModelRegistry.Hosting;

namespace ModelRegistry.Cmdlets
{
    /// <summary>
    /// <para type="synopsis">Registers a new model version in a model group.</para>
    /// <para type="description">Registers a new version in a model group (SageMaker CreateModelPackage), checked before any call: S3 URIs, the image reference, ml.* instance types against SageMaker's lists, metadata and tag limits. Every metrics file SageMaker knows can be named (model quality and data quality statistics and constraints, bias and explainability reports), and -Metric keeps measured values in the version's customer metadata under "metric:" keys. -Stage puts the new version in a lifecycle stage of MODEL_LIFECYCLE_STAGES (CreateModelPackage ModelLifeCycle): any listed stage, but the last only when -ApprovalStatus is Approved. Each registration carries a client token, so a retried call never registers twice. The group comes from -GroupName or from the pipeline (a ModelGroup, TeamProject or anything with a GroupName). Emits the new ModelVersion.</para>
    /// <example>
    ///   <code>Register-MRModelVersion rc-fraud-detection -ImageUri 123456789012.dkr.ecr.ap-northeast-1.amazonaws.com/fraud:1.0 -ModelDataUrl s3://acme-models/fraud/model.tar.gz -ContentType application/json -ResponseType application/json -InferenceInstanceType ml.m5.large, ml.m5.xlarge -TransformInstanceType ml.m5.xlarge -ModelStatisticsUri s3://acme-models/fraud/statistics.json -Description "Fraud detection model v1.0"</code>
    ///   <para>Registers version 1.0 of the fraud-detection model: its image, artifact, content types, instance types and statistics file.</para>
    /// </example>
    /// <example>
    ///   <code>$image = '123456789012.dkr.ecr.ap-northeast-1.amazonaws.com/fraud:1.1'; $data = 's3://acme-models/fraud/1.1/model.tar.gz'; Get-MRModelGroup rc-* | Register-MRModelVersion -ImageUri $image -ModelDataUrl $data -CustomerMetadata @{ auc = '0.93' }</code>
    ///   <para>Registers the same artifact in every risk-control group. The next examples use $image and $data too.</para>
    /// </example>
    /// <example>
    ///   <code>Get-MRProject -Project fraud-detection | Register-MRModelVersion -ImageUri $image -ModelDataUrl $data</code>
    ///   <para>Registers in the project's group; when .env.shared sets AWS_ACCOUNT_ID, nothing is registered unless the credentials act in that account.</para>
    /// </example>
    /// <example>
    ///   <code>$p = Get-MRProject -Project fraud-detection; Register-MRModelVersion -Project $p -ImageUri $image -ModelDataUrl $data</code>
    ///   <para>The same with the project given as a parameter: its group, account guard and region apply just the same.</para>
    /// </example>
    /// <example>
    ///   <code>Register-MRModelVersion rc-fraud-detection -ImageUri $image -ModelDataUrl $data -ModelStatisticsUri s3://acme-models/fraud/2/statistics.json -ModelConstraintsUri s3://acme-models/fraud/2/constraints.json -BiasReportUri s3://acme-models/fraud/2/bias.json -Metric @{ auc = 0.93; f1 = 0.85 }</code>
    ///   <para>Registers a version with its evaluation files and two measured values; Get-MRModelMetric reads them all back, Approve-MRModelVersion -Require judges them.</para>
    /// </example>
    /// </summary>
    [Cmdlet(VerbsLifecycle.Register, "MRModelVersion", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Low)]
    [OutputType(typeof(ModelVersion))]
    public sealed class RegisterModelVersionCommand : BulkCmdlet
    {
        private readonly List<(VersionSpec Spec, IReadOnlyList<string> Accounts, string? Region)> _items = new List<(VersionSpec, IReadOnlyList<string>, string?)>();

        /// <summary>The model group to register in (a name or a group ARN); a -Project's group when not given. Binds a string piped by value, and by property name.</summary>
        // Not Mandatory: -Project names the group too, and a job must never be prompted for it.
        [Parameter(Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
        [Alias("ModelPackageGroupName")]
        [ValidateNotNullOrEmpty]
        [ArgumentCompleter(typeof(GroupNameCompleter))]
        public string GroupName { get; set; } = "";

        /// <summary>The inference container image (ECR), e.g. 123456789012.dkr.ecr.ap-northeast-1.amazonaws.com/fraud:1.0.</summary>
        [Parameter(Mandatory = true)]
        [ValidateNotNullOrEmpty]
        public string ImageUri { get; set; } = "";

        /// <summary>The model artifact, an S3 URI such as s3://bucket/model.tar.gz.</summary>
        [Parameter]
        public string? ModelDataUrl { get; set; }

        /// <summary>Supported request content types (SupportedContentTypes).</summary>
        [Parameter]
        public string[] ContentType { get; set; } = Array.Empty<string>();

        /// <summary>Supported response MIME types (SupportedResponseMIMETypes).</summary>
        [Parameter]
        public string[] ResponseType { get; set; } = Array.Empty<string>();

        /// <summary>Instance types for real-time inference, e.g. ml.m5.large.</summary>
        [Parameter]
        public string[] InferenceInstanceType { get; set; } = Array.Empty<string>();

        /// <summary>Instance types for batch transform, e.g. ml.m5.xlarge.</summary>
        [Parameter]
        public string[] TransformInstanceType { get; set; } = Array.Empty<string>();

        /// <summary>Model quality statistics (ModelMetrics.ModelQuality.Statistics), an S3 URI.</summary>
        [Parameter]
        public string? ModelStatisticsUri { get; set; }

        /// <summary>Content type of the statistics file; application/json when not given.</summary>
        [Parameter]
        public string? ModelStatisticsContentType { get; set; }

        /// <summary>Model quality constraints (ModelMetrics.ModelQuality.Constraints), an S3 URI.</summary>
        [Parameter]
        public string? ModelConstraintsUri { get; set; }

        /// <summary>Data quality statistics (ModelMetrics.ModelDataQuality.Statistics), an S3 URI.</summary>
        [Parameter]
        public string? DataStatisticsUri { get; set; }

        /// <summary>Data quality constraints (ModelMetrics.ModelDataQuality.Constraints), an S3 URI.</summary>
        [Parameter]
        public string? DataConstraintsUri { get; set; }

        /// <summary>A SageMaker Clarify bias report (ModelMetrics.Bias.Report), an S3 URI.</summary>
        [Parameter]
        public string? BiasReportUri { get; set; }

        /// <summary>A pre-training bias report (ModelMetrics.Bias.PreTrainingReport), an S3 URI.</summary>
        [Parameter]
        public string? BiasPreTrainingReportUri { get; set; }

        /// <summary>A post-training bias report (ModelMetrics.Bias.PostTrainingReport), an S3 URI.</summary>
        [Parameter]
        public string? BiasPostTrainingReportUri { get; set; }

        /// <summary>A SageMaker Clarify explainability report (ModelMetrics.Explainability.Report), an S3 URI.</summary>
        [Parameter]
        public string? ExplainabilityReportUri { get; set; }

        /// <summary>Metrics files as MetricsSource objects, for a content type other than application/json or a content digest.
        /// On a Local registry any metrics URI may also be a file:///path (offline use).</summary>
        [Parameter]
        public MetricsSource[]? MetricsSource { get; set; }

        /// <summary>Metric values measured by the caller, e.g. @{ auc = 0.93; f1 = 0.85 }: kept in the version's customer
        /// metadata as "metric:auc" = "0.93" (so they count toward SageMaker's 50 entries), read by Get-MRModelMetric and
        /// judged by Approve-MRModelVersion -Require.</summary>
        [Parameter]
        public Hashtable? Metric { get; set; }

        /// <summary>The initial approval status; PendingManualApproval unless given.</summary>
        [Parameter]
        public ApprovalStatus ApprovalStatus { get; set; } = ApprovalStatus.PendingManualApproval;

        /// <summary>The version's description (ModelPackageDescription).</summary>
        [Parameter]
        public string? Description { get; set; }

        /// <summary>Customer metadata (CustomerMetadataProperties), e.g. @{ auc = '0.93'; commit = 'abc123' }.</summary>
        [Parameter]
        public Hashtable? CustomerMetadata { get; set; }

        /// <summary>The lifecycle stage the version starts in (AWS: ModelLifeCycle.Stage): one of MODEL_LIFECYCLE_STAGES in .env.shared
        /// (default Development, Staging, Production). Any listed stage may be the first; the last only with -ApprovalStatus Approved
        /// (ModelRegistry.Conflict.NotApprovedForStage). Later moves: Set-MRModelLifecycle.</summary>
        [Parameter]
        [ValidateNotNullOrEmpty]
        public string? Stage { get; set; }

        /// <summary>The status within the stage (AWS: ModelLifeCycle.StageStatus); Approved when not given. Needs -Stage.</summary>
        [Parameter]
        [ValidateNotNullOrEmpty]
        public string? StageStatus { get; set; }

        /// <summary>AWS: ModelLifeCycle.StageDescription, at most 1024 characters. Needs -Stage.</summary>
        [Parameter]
        [ValidateLength(0, 1024)]
        public string? StageDescription { get; set; }

        /// <summary>Tags for the version: a hashtable, an [ordered] one, or another object's Tags.</summary>
        [Parameter]
        public IDictionary? Tag { get; set; }

        /// <summary>Refuse unless the credentials act in this AWS account (a guard against acting in the wrong account). Binds by property name from the ExpectedAccountId of objects reached from a project (and a TeamProject's AccountId).</summary>
        // Checked by the guard, not by a validation attribute: a TeamProject without AWS_ACCOUNT_ID binds null here.
        [Parameter(ValueFromPipelineByPropertyName = true)]
        [Alias("AccountId")]
        public string? ExpectedAccountId { get; set; }

        /// <summary>The region of the .env.shared a piped object was reached from: used when nothing more explicit names one.</summary>
        [Parameter(ValueFromPipelineByPropertyName = true, DontShow = true)]
        public string? ConfiguredRegion { get; set; }

        /// <summary>A project from Get-MRProject, piped or given: its group is registered in (unless -GroupName names one),
        /// nothing is registered unless the credentials act in its AWS_ACCOUNT_ID, and its AWS_REGION is used when neither
        /// -Region nor the session names one, as the group cmdlets do.</summary>
        [Parameter(ValueFromPipeline = true)]
        public TeamProject? Project { get; set; }

        protected override void BeginProcessing()
        {
            if (Stage is null && (StageStatus != null || StageDescription != null))
                ThrowTerminatingError(ErrorRecords.Invalid("-StageStatus and -StageDescription describe a stage: give -Stage with them. Nothing was registered.", null));
            if (Stage != null) Stage = StageConfiguration.Resolve(this, Stage); // before any call: a stage not configured stops here
        }

        protected override void ProcessRecord()
        {
            if (string.IsNullOrEmpty(GroupName) && Project != null) GroupName = Project.GroupName;
            // A group ARN (piped as a string, or given) names its group.
            try { GroupName = Engine.Config.Arns.GroupName(GroupName, "-GroupName"); }
            catch (RegistryException ex) { WriteFailure(ex, GroupName); return; }
            if (string.IsNullOrEmpty(GroupName))
            {
                WriteError(ErrorRecords.Invalid("Give the group as -GroupName, as -Project, or pipe a group or project. Nothing was registered.", null));
                return;
            }
            var spec = new VersionSpec
            {
                GroupName = GroupName,
                ImageUri = ImageUri,
                ModelDataUrl = ModelDataUrl,
                ContentTypes = ContentType,
                ResponseTypes = ResponseType,
                InferenceInstanceTypes = InferenceInstanceType,
                TransformInstanceTypes = TransformInstanceType,
                ModelStatisticsUri = ModelStatisticsUri,
                ModelStatisticsContentType = ModelStatisticsUri != null ? ModelStatisticsContentType ?? "application/json" : ModelStatisticsContentType,
                ApprovalStatus = ApprovalStatus,
                Description = Description,
                CustomerMetadata = ToDictionary(CustomerMetadata),
                Tags = ToTags(Tag),
                MetricsSources = Sources(),
                Stage = Stage,
                StageStatus = Stage is null ? null : StageStatus ?? Engine.Registry.VersionLifecycle.DefaultStageStatus,
                StageDescription = StageDescription,
            };
            var metricProblems = new List<string>();
            spec.Metrics = ToMetrics(Metric, metricProblems);
            // Bad input is reported per pipeline object, before anything is sent.
            var problems = metricProblems.Concat(VersionSpecValidator.Problems(spec)).ToList();
            if (!string.IsNullOrEmpty(ExpectedAccountId) && !Naming.IsAccountId(ExpectedAccountId))
                problems.Add($"-ExpectedAccountId '{ExpectedAccountId}' is not a 12-digit AWS account id");
            if (!string.IsNullOrEmpty(Project?.AccountId) && !Naming.IsAccountId(Project!.AccountId))
                problems.Add($"the project's AWS_ACCOUNT_ID '{Project.AccountId}' is not a 12-digit AWS account id");
            if (problems.Count > 0)
            {
                WriteError(ErrorRecords.Invalid($"Cannot register a version in '{GroupName}': {string.Join("; ", problems)}. Nothing was registered.", GroupName));
                return;
            }
            // A project given for another group than the one named would be a mistake: only its own group takes its region.
            // Its account holds either way: whatever came from a project acts only in the project's account.
            var project = Project != null && string.Equals(Project.GroupName, GroupName, StringComparison.Ordinal) ? Project : null;
            var accounts = Expected(Project?.AccountId, ExpectedAccountId);
            // The guard runs in EndProcessing before -WhatIf's message, so -WhatIf shows a refusal as the real run would.
            _items.Add((spec, accounts, project?.Region ?? ConfiguredRegion));
        }

        protected override void EndProcessing()
        {
            if (_items.Count == 0) return;
            foreach (var batch in _items.GroupBy(i => ResolveConnection(i.Region, i.Accounts.FirstOrDefault()), ConnectionComparer.Instance))
            {
                var connection = batch.Key;
                var registry = OpenRegistry(connection);
                var operations = new ModelVersionOperations(registry, StageConfiguration.Load(this));
                // A stage the guards refuse is refused before -WhatIf's message, as the real run would refuse it.
                var items = PassAccountGuard(connection, batch, i => i.Accounts, i => i.Spec.GroupName)
                    .Where(i => Judged(operations, i.Spec))
                    .Where(i => ShouldProcess(i.Spec.GroupName, $"Register model version ({i.Spec.ImageUri}){(i.Spec.Stage is null ? "" : $" in stage {i.Spec.Stage}")}")).ToList();
                if (items.Count == 0) continue;
                var specs = items.Select(i => i.Spec).ToList();
                var origin = items.ToDictionary(i => i.Spec, i => (Account: i.Accounts.FirstOrDefault(), i.Region));
                Drain(operations.RegisterMany(specs, Bulk(ThrottleLimit), Cancellation), specs.Count, "Registering model versions", outcome =>
                {
                    if (outcome.Error != null) WriteFailure(outcome.Error, outcome.Input.GroupName);
                    else WriteObject(outcome.Result!.WithExpectedAccount(origin[outcome.Input].Account, origin[outcome.Input].Region));
                });
            }
        }

        private bool Judged(ModelVersionOperations operations, VersionSpec spec)
        {
            try
            {
                operations.JudgeRegistrationAsync(spec, Cancellation).GetAwaiter().GetResult();
                return true;
            }
            catch (RegistryException e)
            {
                WriteFailure(e, spec.GroupName);
                return false;
            }
        }

        private IReadOnlyList<MetricsSource> Sources()
        {
            var sources = new List<MetricsSource>(MetricsSource?.Where(m => m != null) ?? Enumerable.Empty<MetricsSource>());
            void Add(MetricsSourceKind kind, string? uri) { if (!string.IsNullOrEmpty(uri)) sources.Add(new MetricsSource(kind, uri!)); }
            Add(MetricsSourceKind.ModelQualityConstraints, ModelConstraintsUri);
            Add(MetricsSourceKind.ModelDataQualityStatistics, DataStatisticsUri);
            Add(MetricsSourceKind.ModelDataQualityConstraints, DataConstraintsUri);
            Add(MetricsSourceKind.BiasReport, BiasReportUri);
            Add(MetricsSourceKind.BiasPreTrainingReport, BiasPreTrainingReportUri);
            Add(MetricsSourceKind.BiasPostTrainingReport, BiasPostTrainingReportUri);
            Add(MetricsSourceKind.ExplainabilityReport, ExplainabilityReportUri);
            return sources;
        }

        /// <summary>-Metric values as numbers: a number, or text that is one in the invariant culture ("0.93").</summary>
        private static IReadOnlyDictionary<string, double> ToMetrics(Hashtable? table, List<string> problems)
        {
            var metrics = new Dictionary<string, double>(StringComparer.Ordinal);
            if (table is null) return metrics;
            foreach (DictionaryEntry e in table)
            {
                var name = e.Key?.ToString() ?? "";
                var raw = e.Value is PSObject pso ? pso.BaseObject : e.Value;
                double value;
                if (raw is IConvertible c && !(raw is string) && !(raw is bool) && !(raw is char))
                    value = c.ToDouble(CultureInfo.InvariantCulture);
                else if (raw is string text && double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var parsed))
                    value = parsed;
                else
                {
                    problems.Add($"-Metric '{name}' = '{raw}' is not a number");
                    continue;
                }
                metrics[name] = value;
            }
            return metrics;
        }

        /// <summary>A -Tag value as tags, in its order (a hashtable's own order is arbitrary).</summary>
        internal static TagSet ToTags(IDictionary? table)
        {
            if (table is null) return TagSet.Empty;
            var tags = new List<KeyValuePair<string, string>>();
            foreach (DictionaryEntry e in table) tags.Add(new KeyValuePair<string, string>(e.Key.ToString()!, e.Value?.ToString() ?? ""));
            return new TagSet(tags);
        }

        private static IReadOnlyDictionary<string, string> ToDictionary(Hashtable? table) =>
            table?.Cast<DictionaryEntry>().ToDictionary(e => e.Key.ToString()!, e => e.Value?.ToString() ?? "") ?? new Dictionary<string, string>();
    }
}
