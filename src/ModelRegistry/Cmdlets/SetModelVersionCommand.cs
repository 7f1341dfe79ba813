using System;
using System.Collections;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;

namespace ModelRegistry.Cmdlets
{
    /// <summary>
    /// <para type="synopsis">Changes model versions after registration: merges and removes customer metadata, and sets the lifecycle stage.</para>
    /// <para type="description">One UpdateModelPackage per version carrying exactly what is asked: -CustomerMetadata @{...} adds or overwrites those keys and leaves the others; -RemoveCustomerMetadata removes keys; -Stage (with -StageStatus, Approved unless given, and -StageDescription) sets the lifecycle stage, judged by the same rules as Set-MRModelLifecycle (one stage at a time unless -Force; only an Approved version enters the last stage of MODEL_LIFECYCLE_STAGES, whatever -Force says). Takes versions from the pipeline (Get-MRModelVersion), -GroupName with -Version, or -Arn; many at once with -ThrottleLimit, each failure a non-terminating error naming the version. -WhatIf reads the same current state and reports the same refusals without changing anything. SageMaker cannot change a version's description (ModelPackageDescription) after registration, so there is no -Description: register a new version instead. SageMaker allows 50 customer metadata entries per version.</para>
    /// <example>
    ///   <code>Set-MRModelVersion rc-fraud-detection -Version 4 -CustomerMetadata @{ ticket = 'ML-42'; eval = 's3://acme-models/fraud/4/eval.json' } -RemoveCustomerMetadata draft</code>
    ///   <para>Adds a ticket id and evaluation results to version 4 and removes its draft marker.</para>
    /// </example>
    /// <example>
    ///   <code>Get-MRModelVersion rc-fraud-detection -Status Approved -Latest 1 | Set-MRModelVersion -Stage Staging -StageDescription 'soak test' -PassThru</code>
    ///   <para>Moves the newest approved version to Staging and shows it.</para>
    /// </example>
    /// </summary>
    [Cmdlet(VerbsCommon.Set, "MRModelVersion", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium, DefaultParameterSetName = ByVersion)]
    [OutputType(typeof(ModelVersion))]
    public sealed class SetModelVersionCommand : VersionInputCmdlet
    {
        /// <summary>Customer metadata to add or overwrite (AWS: CustomerMetadataProperties), e.g. @{ ticket = 'ML-42' }; other keys stay.</summary>
        [Parameter]
        public Hashtable? CustomerMetadata { get; set; }

        /// <summary>Customer metadata keys to remove (AWS: CustomerMetadataPropertiesToRemove).</summary>
        [Parameter]
        [ValidateNotNullOrEmpty]
        public string[]? RemoveCustomerMetadata { get; set; }

        /// <summary>The lifecycle stage to set (AWS: ModelLifeCycle.Stage): one of MODEL_LIFECYCLE_STAGES in .env.shared (default Development, Staging, Production).</summary>
        [Parameter]
        [ValidateNotNullOrEmpty]
        public string? Stage { get; set; }

        /// <summary>The status within the stage (AWS: ModelLifeCycle.StageStatus), e.g. InProgress; Approved when not given. Needs -Stage.</summary>
        [Parameter]
        [ValidateNotNullOrEmpty]
        public string? StageStatus { get; set; }

        /// <summary>Why the version is in this stage (AWS: ModelLifeCycle.StageDescription), at most 1024 characters. Needs -Stage.</summary>
        [Parameter]
        [ValidateLength(0, 1024)]
        public string? StageDescription { get; set; }

        /// <summary>Move more than one stage at a time. Never lets a version that is not Approved into the last stage.</summary>
        [Parameter]
        public SwitchParameter Force { get; set; }

        /// <summary>Emit each version as it is after the change.</summary>
        [Parameter]
        public SwitchParameter PassThru { get; set; }

        private IReadOnlyDictionary<string, string>? _metadata;

        protected override void BeginProcessing()
        {
            if (Stage is null && (StageStatus != null || StageDescription != null))
                ThrowTerminatingError(Hosting.ErrorRecords.Invalid("-StageStatus and -StageDescription describe a stage: give -Stage with them. Nothing was changed.", null));
            _metadata = CustomerMetadata?.Cast<DictionaryEntry>().ToDictionary(e => e.Key.ToString()!, e => e.Value?.ToString() ?? "", StringComparer.Ordinal);
            if ((_metadata is null || _metadata.Count == 0) && RemoveCustomerMetadata is null && Stage is null)
                ThrowTerminatingError(Hosting.ErrorRecords.Invalid("Nothing to change: give -CustomerMetadata, -RemoveCustomerMetadata or -Stage. (SageMaker cannot change a version's description.)", null));
            RefuseInvalidChange();
        }

        protected override IReadOnlyDictionary<string, string>? MetadataToSet => _metadata;
        protected override IReadOnlyCollection<string>? MetadataToRemove => RemoveCustomerMetadata;
        protected override string? StageToSet => Stage;
        protected override string? StageStatusToSet => StageStatus;
        protected override string? StageDescriptionToSet => StageDescription;
        protected override bool ForceChange => Force;

        protected override string Action
        {
            get
            {
                var parts = new List<string>();
                if (_metadata?.Count > 0) parts.Add("set customer metadata " + string.Join(", ", _metadata.Keys));
                if (RemoveCustomerMetadata != null) parts.Add("remove customer metadata " + string.Join(", ", RemoveCustomerMetadata));
                if (Stage != null) parts.Add($"move to stage {Stage} ({StageStatus ?? "Approved"})");
                return string.Join("; ", parts);
            }
        }

        protected override string Activity => "Changing model versions";

        protected override void OnDone(ModelVersion version)
        {
            WriteVerbose($"{version.GroupName} version {version.Version}: {Action}");
            if (PassThru) WriteObject(version);
        }
    }
}
