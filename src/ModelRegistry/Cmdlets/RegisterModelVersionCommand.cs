using System;
using System.Collections;
using System.Collections.Generic;
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
    /// <para type="description">What the seed's model.register(...) example does, checked before any call: S3 URIs, the image reference, ml.* instance types against SageMaker's lists, metadata and tag limits. Each registration carries a client token, so a retried call never registers twice. The group comes from -GroupName or from the pipeline (a ModelGroup, TeamProject or anything with a GroupName). Emits the new ModelVersion.</para>
    /// <example>
    ///   <code>Register-MRModelVersion rc-fraud-detection -ImageUri 123456789012.dkr.ecr.ap-northeast-1.amazonaws.com/fraud:1.0 -ModelDataUrl s3://acme-models/fraud/model.tar.gz -ContentType application/json -ResponseType application/json -InferenceInstanceType ml.m5.large, ml.m5.xlarge -TransformInstanceType ml.m5.xlarge -ModelStatisticsUri s3://acme-models/fraud/statistics.json -Description "Fraud detection model v1.0"</code>
    ///   <para>The seed README's registration, as PowerShell.</para>
    /// </example>
    /// <example>
    ///   <code>Get-MRModelGroup rc-* | Register-MRModelVersion -ImageUri $image -ModelDataUrl $data -CustomerMetadata @{ auc = '0.93' }</code>
    ///   <para>Registers the same artifact in every risk-control group.</para>
    /// </example>
    /// <example>
    ///   <code>Get-MRProject -Project fraud-detection | Register-MRModelVersion -ImageUri $image -ModelDataUrl $data</code>
    ///   <para>Registers in the project's group; when .env.shared sets AWS_ACCOUNT_ID, nothing is registered unless the credentials act in that account.</para>
    /// </example>
    /// </summary>
    [Cmdlet(VerbsLifecycle.Register, "MRModelVersion", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Low)]
    [OutputType(typeof(ModelVersion))]
    public sealed class RegisterModelVersionCommand : BulkCmdlet
    {
        private readonly List<(VersionSpec Spec, string? Account, string? Region)> _items = new List<(VersionSpec, string?, string?)>();

        /// <summary>The model group to register in.</summary>
        [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
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

        /// <summary>The initial approval status; PendingManualApproval unless given.</summary>
        [Parameter]
        public ApprovalStatus ApprovalStatus { get; set; } = ApprovalStatus.PendingManualApproval;

        /// <summary>The version's description (ModelPackageDescription).</summary>
        [Parameter]
        public string? Description { get; set; }

        /// <summary>Customer metadata (CustomerMetadataProperties), e.g. @{ auc = '0.93'; commit = 'abc123' }.</summary>
        [Parameter]
        public Hashtable? CustomerMetadata { get; set; }

        /// <summary>Tags for the version.</summary>
        [Parameter]
        public Hashtable? Tag { get; set; }

        /// <summary>Refuse unless the credentials act in this AWS account (the seed's wrong-account guard). Binds from a TeamProject's AccountId (AWS_ACCOUNT_ID in .env.shared).</summary>
        // Checked in ProcessRecord, not by a validation attribute: a TeamProject without AWS_ACCOUNT_ID binds null here.
        [Parameter(ValueFromPipelineByPropertyName = true)]
        [Alias("AccountId")]
        public string? ExpectedAccountId { get; set; }

        /// <summary>A project piped from Get-MRProject: its AWS_REGION is used when neither -Region nor the session names one, as the group cmdlets do (its GroupName and AccountId bind to -GroupName and -ExpectedAccountId).</summary>
        [Parameter(ValueFromPipeline = true, DontShow = true)]
        public TeamProject? Project { get; set; }

        protected override void ProcessRecord()
        {
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
                Tags = ToDictionary(Tag),
            };
            // Bad input is reported per pipeline object, before anything is sent.
            var problems = VersionSpecValidator.Problems(spec).ToList();
            if (!string.IsNullOrEmpty(ExpectedAccountId) && !Naming.IsAccountId(ExpectedAccountId))
                problems.Add($"-ExpectedAccountId '{ExpectedAccountId}' is not a 12-digit AWS account id");
            if (problems.Count > 0)
            {
                WriteError(ErrorRecords.Invalid($"Cannot register a version in '{GroupName}': {string.Join("; ", problems)}. Nothing was registered.", GroupName));
                return;
            }
            // A project piped for another group than the one named would be a mistake: only its own group takes its region.
            var project = Project != null && string.Equals(Project.GroupName, GroupName, StringComparison.Ordinal) ? Project : null;
            if (ShouldProcess(GroupName, $"Register model version ({ImageUri})"))
                _items.Add((spec, ExpectedAccountId, project?.Region));
        }

        protected override void EndProcessing()
        {
            if (_items.Count == 0) return;
            foreach (var batch in _items.GroupBy(i => ResolveConnection(i.Region), ConnectionComparer.Instance))
            {
                var connection = batch.Key;
                var registry = OpenRegistry(connection);
                if (!PassesAccountGuard(connection, batch.Select(i => (i.Account, (object)i.Spec.GroupName)))) continue;
                var specs = batch.Select(i => i.Spec).ToList();
                var operations = new ModelVersionOperations(registry);
                Drain(operations.RegisterMany(specs, Bulk(ThrottleLimit), Cancellation), specs.Count, "Registering model versions", outcome =>
                {
                    if (outcome.Error != null) WriteFailure(outcome.Error, outcome.Input.GroupName);
                    else WriteObject(outcome.Result);
                });
            }
        }

        private static IReadOnlyDictionary<string, string> ToDictionary(Hashtable? table) =>
            table?.Cast<DictionaryEntry>().ToDictionary(e => e.Key.ToString()!, e => e.Value?.ToString() ?? "") ?? new Dictionary<string, string>();
    }
}
