using System;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;

namespace ModelRegistry.Engine.Registry
{
    /// <summary>A hosted model that serves one model version (AWS: CreateModel with PrimaryContainer.ModelPackageName).</summary>
    public sealed class HostedModelSpec
    {
        public string Name { get; set; } = "";
        public string ModelVersionArn { get; set; } = "";
        /// <summary>The role the service assumes to run the model (AWS: ExecutionRoleArn); null where none is needed (Local).</summary>
        public string? ExecutionRoleArn { get; set; }
        public IReadOnlyDictionary<string, string> Tags { get; set; } = new Dictionary<string, string>();
    }

    public sealed class HostedModel
    {
        public string Name { get; set; } = "";
        public string Arn { get; set; } = "";
        /// <summary>The model version it serves; null when its container does not reference one (deployed by other means).</summary>
        public string? ModelVersionArn { get; set; }
        /// <summary>Every model version its containers reference (an inference pipeline may have several); the first is <see cref="ModelVersionArn"/>.</summary>
        public IReadOnlyList<string> ModelVersionArns { get; set; } = Array.Empty<string>();
        public string? ExecutionRoleArn { get; set; }
        public DateTime? Created { get; set; }
    }

    /// <summary>An endpoint config with one variant taking all traffic (AWS: CreateEndpointConfig, ProductionVariants[1]).</summary>
    public sealed class EndpointConfigSpec
    {
        public string Name { get; set; } = "";
        public string ModelName { get; set; } = "";
        public string InstanceType { get; set; } = "";
        public int InstanceCount { get; set; } = 1;
        public IReadOnlyDictionary<string, string> Tags { get; set; } = new Dictionary<string, string>();
    }

    public sealed class EndpointConfigInfo
    {
        public string Name { get; set; } = "";
        public string Arn { get; set; } = "";
        /// <summary>The first variant's model, instance type and count.</summary>
        public string? ModelName { get; set; }
        public string? VariantName { get; set; }
        public string? InstanceType { get; set; }
        public int? InstanceCount { get; set; }
        public DateTime? Created { get; set; }
        /// <summary>Every production variant, in the config's order, then the shadow variants (configs from this module have one variant).</summary>
        public IReadOnlyList<EndpointVariantInfo> Variants { get; set; } = Array.Empty<EndpointVariantInfo>();
    }

    /// <summary>One production variant of an endpoint config (AWS: ProductionVariant).</summary>
    public sealed class EndpointVariantInfo
    {
        public string Name { get; set; } = "";
        public string? ModelName { get; set; }
        public string? InstanceType { get; set; }
        public int? InstanceCount { get; set; }
        /// <summary>AWS: InitialVariantWeight; null when not given (SageMaker then uses 1).</summary>
        public float? Weight { get; set; }
        /// <summary>A shadow variant (AWS: ShadowProductionVariants): it gets a copy of the traffic, its answers are not returned.</summary>
        public bool IsShadow { get; set; }
    }

    public sealed class EndpointInfo
    {
        public string Name { get; set; } = "";
        public string Arn { get; set; } = "";
        /// <summary>Null in listings (AWS: EndpointSummary has no config); set by <see cref="IDeploymentTarget.GetEndpointAsync"/>.</summary>
        public string? EndpointConfigName { get; set; }
        /// <summary>The config an update in progress is switching to (AWS: PendingDeploymentSummary.EndpointConfigName).</summary>
        public string? PendingEndpointConfigName { get; set; }
        public string Status { get; set; } = "";
        public string? FailureReason { get; set; }
        public DateTime? Created { get; set; }
        public DateTime? LastModified { get; set; }
    }

    /// <summary>
    /// Where approved versions are deployed: models, endpoint configs and endpoints, in domain words. SageMaker
    /// serves them; the Local registry keeps records of them (<see cref="ServesTraffic"/> false).
    /// Every method throws <see cref="RegistryException"/> for service failures.
    /// </summary>
    public interface IDeploymentTarget
    {
        /// <summary>False when deployments are records only and nothing is served (Local).</summary>
        bool ServesTraffic { get; }

        /// <summary>True when creating a model needs an execution role (SageMaker).</summary>
        bool RequiresExecutionRole { get; }

        /// <summary>Creates a model serving a version; AlreadyExists when the name is taken. Returns its ARN (AWS: CreateModel).</summary>
        Task<string> CreateModelAsync(HostedModelSpec spec, CancellationToken ct);

        /// <summary>The model; null when missing (AWS: DescribeModel).</summary>
        Task<HostedModel?> GetModelAsync(string name, CancellationToken ct);

        /// <summary>Deletes a model; NotFound when missing (AWS: DeleteModel).</summary>
        Task DeleteModelAsync(string name, CancellationToken ct);

        /// <summary>One page of models whose name contains the text, by name ascending; items carry Name, Arn and
        /// Created only (AWS: ListModels).</summary>
        Task<Page<HostedModel>> ListModelsAsync(string? nameContains, string? nextToken, int pageSize, CancellationToken ct);

        /// <summary>Creates an endpoint config; returns its ARN (AWS: CreateEndpointConfig).</summary>
        Task<string> CreateEndpointConfigAsync(EndpointConfigSpec spec, CancellationToken ct);

        /// <summary>The endpoint config; null when missing (AWS: DescribeEndpointConfig).</summary>
        Task<EndpointConfigInfo?> GetEndpointConfigAsync(string name, CancellationToken ct);

        /// <summary>Deletes an endpoint config; NotFound when missing (AWS: DeleteEndpointConfig).</summary>
        Task DeleteEndpointConfigAsync(string name, CancellationToken ct);

        /// <summary>One page of endpoint configs whose name contains the text, by name ascending; items carry Name,
        /// Arn and Created only (AWS: ListEndpointConfigs).</summary>
        Task<Page<EndpointConfigInfo>> ListEndpointConfigsAsync(string? nameContains, string? nextToken, int pageSize, CancellationToken ct);

        /// <summary>Creates an endpoint on a config; returns its ARN (AWS: CreateEndpoint).</summary>
        Task<string> CreateEndpointAsync(string name, string endpointConfigName, IReadOnlyDictionary<string, string> tags, CancellationToken ct);

        /// <summary>Switches an existing endpoint to another config (AWS: UpdateEndpoint). The old config keeps serving until
        /// the switch completes.</summary>
        Task UpdateEndpointAsync(string name, string endpointConfigName, CancellationToken ct);

        /// <summary>The endpoint with its current config and status; null when missing (AWS: DescribeEndpoint).</summary>
        Task<EndpointInfo?> GetEndpointAsync(string name, CancellationToken ct);

        /// <summary>One page of endpoints by name ascending, without their configs (AWS: ListEndpoints).</summary>
        Task<Page<EndpointInfo>> ListEndpointsAsync(string? nameContains, string? nextToken, int pageSize, CancellationToken ct);

        /// <summary>Deletes an endpoint; NotFound when missing (AWS: DeleteEndpoint).</summary>
        Task DeleteEndpointAsync(string name, CancellationToken ct);

        /// <summary>Tags of a model, endpoint config or endpoint ARN (AWS: ListTags).</summary>
        Task<IReadOnlyDictionary<string, string>> GetResourceTagsAsync(string arn, CancellationToken ct);
    }
}
