using System;
using System.Collections.Generic;

namespace ModelRegistry
{
    /// <summary>
    /// Which model version serves an endpoint (AWS: Endpoint → EndpointConfig → Model → PrimaryContainer.ModelPackageName).
    /// On the Local registry a deployment is a record only: <see cref="IsRecord"/> is true and nothing is served.
    /// </summary>
    public sealed class Deployment
    {
        public string EndpointName { get; internal set; } = "";
        public string? EndpointArn { get; internal set; }
        /// <summary>AWS: EndpointStatus.</summary>
        public EndpointStatus Status { get; internal set; }
        /// <summary>Why the endpoint failed, when it did (AWS: FailureReason).</summary>
        public string? FailureReason { get; internal set; }
        /// <summary>The model group of the served version; null when the endpoint's model does not reference a model version.
        /// With several variants (an A/B test set up by other tools) the group, version, model and instances are the
        /// primary variant's — the one with the largest weight; <see cref="Variants"/> has them all.</summary>
        public string? GroupName { get; internal set; }
        public int? Version { get; internal set; }
        /// <summary>The served model version's ARN (the model's ModelPackageName).</summary>
        public string? ModelVersionArn { get; internal set; }
        public string? EndpointConfigName { get; internal set; }
        public string? ModelName { get; internal set; }
        public string? VariantName { get; internal set; }
        public string? InstanceType { get; internal set; }
        public int? InstanceCount { get; internal set; }
        /// <summary>Creation time of the endpoint, local (AWS: CreationTime); <see cref="CreatedUtc"/> is the same instant in UTC.</summary>
        public DateTime? Created => Times.Local(CreatedUtc);
        /// <summary>Creation time of the endpoint, UTC.</summary>
        public DateTime? CreatedUtc { get; internal set; }
        /// <summary>Last change of the endpoint, local (AWS: LastModifiedTime).</summary>
        public DateTime? LastModified => Times.Local(LastModifiedUtc);
        /// <summary>Last change of the endpoint, UTC.</summary>
        public DateTime? LastModifiedUtc { get; internal set; }
        /// <summary>True on the Local registry: the deployment is recorded, no endpoint serves anything.</summary>
        public bool IsRecord { get; internal set; }
        /// <summary>True when the endpoint carries this module's ManagedBy tag (deployed by Deploy-MRModelVersion).</summary>
        public bool ManagedByModule { get; internal set; }
        /// <summary>What Deploy-MRModelVersion did: Created, Updated (switched to a new config) or Unchanged; null when only read.</summary>
        public DeploymentChange? Change { get; internal set; }
        /// <summary>The previous endpoint config and model after a switch, when they were kept.</summary>
        public string? PreviousEndpointConfigName { get; internal set; }
        public string? PreviousModelName { get; internal set; }
        /// <summary>Every production variant of the endpoint's config, then its shadow variants (one variant for deployments made by this module).</summary>
        public IReadOnlyList<DeploymentVariant> Variants { get; internal set; } = Array.Empty<DeploymentVariant>();
        /// <summary>Every model version the endpoint serves, over all variants and containers — and those of the config
        /// an update in progress is switching to, which are about to serve.</summary>
        public IReadOnlyList<string> ModelVersionArns { get; internal set; } = Array.Empty<string>();
        /// <summary>The config an update in progress is switching to; null when none is (AWS: PendingDeploymentSummary).</summary>
        public string? PendingEndpointConfigName { get; internal set; }
        /// <summary>AWS_ACCOUNT_ID of the .env.shared this deployment was reached from (Get-MRProject | …); null when none.
        /// Every mutating cmdlet fed this object refuses to act when the caller's account is another.</summary>
        public string? ExpectedAccountId { get; internal set; }
        /// <summary>AWS_REGION of the .env.shared this deployment was reached from; used when nothing more explicit names a region.</summary>
        public string? ConfiguredRegion { get; internal set; }

        /// <summary>This deployment, marked as reached from a configuration naming this account and region (null keeps none).</summary>
        internal Deployment WithExpectedAccount(string? expectedAccountId, string? configuredRegion)
        {
            var copy = (Deployment)MemberwiseClone();
            copy.ExpectedAccountId = expectedAccountId;
            copy.ConfiguredRegion = configuredRegion;
            return copy;
        }

        public override string ToString() => EndpointName;
    }

    /// <summary>What Deploy-MRModelVersion did to an endpoint.</summary>
    public enum DeploymentChange
    {
        /// <summary>The endpoint was created.</summary>
        Created,
        /// <summary>The endpoint was switched to a new endpoint config.</summary>
        Updated,
        /// <summary>The endpoint already served the version with that config.</summary>
        Unchanged,
    }

    /// <summary>The state of an endpoint (AWS: EndpointStatus).</summary>
    public enum EndpointStatus
    {
        /// <summary>A status this module does not know (a newer service value); the endpoint is not judged ready.</summary>
        Unknown,
        OutOfService,
        Creating,
        Updating,
        SystemUpdating,
        RollingBack,
        InService,
        Deleting,
        Failed,
        UpdateRollbackFailed,
    }

    /// <summary>One production variant of an endpoint and the model version its model serves
    /// (AWS: ProductionVariant → Model → container ModelPackageName).</summary>
    public sealed class DeploymentVariant
    {
        public string VariantName { get; internal set; } = "";
        public string? ModelName { get; internal set; }
        public string? GroupName { get; internal set; }
        public int? Version { get; internal set; }
        /// <summary>The first model version its model's containers name; null when none does.</summary>
        public string? ModelVersionArn { get; internal set; }
        public string? InstanceType { get; internal set; }
        public int? InstanceCount { get; internal set; }
        /// <summary>Share of traffic relative to the other variants (AWS: InitialVariantWeight, default 1).</summary>
        public float? Weight { get; internal set; }
        /// <summary>A shadow variant: it gets a copy of the traffic and its answers are not returned (AWS: ShadowProductionVariants).</summary>
        public bool IsShadow { get; internal set; }

        public override string ToString() => VariantName;
    }

    /// <summary>What Deploy-MRModelVersion will do (also shown by -WhatIf).</summary>
    public sealed class DeploymentPlan
    {
        public string EndpointName { get; internal set; } = "";
        public string ModelVersionArn { get; internal set; } = "";
        public string GroupName { get; internal set; } = "";
        public int Version { get; internal set; }
        public string ModelName { get; internal set; } = "";
        public string EndpointConfigName { get; internal set; } = "";
        public string InstanceType { get; internal set; } = "";
        public int InstanceCount { get; internal set; }
        public string? ExecutionRoleArn { get; internal set; }
        public bool ModelExists { get; internal set; }
        public bool EndpointConfigExists { get; internal set; }
        /// <summary>The endpoint exists and will be switched to the new config (AWS: UpdateEndpoint).</summary>
        public bool UpdatesExistingEndpoint { get; internal set; }
        /// <summary>The endpoint already runs this exact config: nothing to do.</summary>
        public bool Unchanged { get; internal set; }
        public string? CurrentEndpointConfigName { get; internal set; }
        /// <summary>When switching: the model version the endpoint serves now (its primary variant's); null when its
        /// model references no model version.</summary>
        public string? CurrentModelVersionArn { get; internal set; }
        public string? CurrentGroupName { get; internal set; }
        public int? CurrentVersion { get; internal set; }
        /// <summary>A live endpoint is taken off what it serves: High impact (Deploy-MRModelVersion asks unless -Confirm:$false).</summary>
        public bool SwitchesLiveEndpoint => UpdatesExistingEndpoint && !Unchanged;
        /// <summary>"version 3 of rc-fraud-detection", or what the endpoint runs when it serves no model version.</summary>
        public string CurrentlyServing => CurrentVersion is int v && CurrentGroupName != null
            ? $"version {v} of {CurrentGroupName}"
            : CurrentModelVersionArn ?? $"config '{CurrentEndpointConfigName}' (no model version)";
        public TagSet Tags { get; internal set; } = TagSet.Empty;

        public override string ToString()
        {
            if (Unchanged) return $"Endpoint '{EndpointName}' already serves {ModelVersionArn} with config '{EndpointConfigName}'; nothing to do.";
            var parts = new List<string>();
            parts.Add(ModelExists ? $"reuse model '{ModelName}'" : $"create model '{ModelName}' (version {ModelVersionArn})");
            parts.Add(EndpointConfigExists ? $"reuse endpoint config '{EndpointConfigName}'" : $"create endpoint config '{EndpointConfigName}' ({InstanceCount} x {InstanceType})");
            parts.Add(UpdatesExistingEndpoint
                ? $"switch endpoint '{EndpointName}' from {CurrentlyServing} to version {Version} of {GroupName} (config '{CurrentEndpointConfigName}' to '{EndpointConfigName}')"
                : $"create endpoint '{EndpointName}'");
            return string.Join("; ", parts);
        }
    }

    /// <summary>What Remove-MRDeployment deleted and what it left in place.</summary>
    public sealed class DeploymentRemoval
    {
        public string EndpointName { get; internal set; } = "";
        public IReadOnlyList<string> Deleted { get; internal set; } = Array.Empty<string>();
        /// <summary>Resources left in place, each with the reason (not created by this module, or a failure).</summary>
        public IReadOnlyList<string> Kept { get; internal set; } = Array.Empty<string>();
        /// <summary>Deletions that failed, each naming the resource and the error; empty when all went.</summary>
        public IReadOnlyList<string> Failed { get; internal set; } = Array.Empty<string>();
        /// <summary>True for a -WhatIf plan: nothing was deleted yet.</summary>
        public bool IsPlan { get; internal set; }
        public override string ToString() => EndpointName;
    }
}
