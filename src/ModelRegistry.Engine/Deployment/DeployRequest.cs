using System;

namespace ModelRegistry.Engine.Deployment
{
    /// <summary>What to deploy where.</summary>
    public sealed class DeployRequest
    {
        public const string DefaultInstanceType = "ml.m5.large";

        public string ModelVersionArn { get; set; } = "";
        public string EndpointName { get; set; } = "";
        public string InstanceType { get; set; } = DefaultInstanceType;
        public int InstanceCount { get; set; } = 1;
        public string? ExecutionRoleArn { get; set; }
        /// <summary>Wait until the endpoint is InService (or Failed).</summary>
        public bool Wait { get; set; }
        public TimeSpan Timeout { get; set; } = TimeSpan.FromMinutes(30);
        /// <summary>After a switch that is seen to complete, delete the previous config and model if this module created them.</summary>
        public bool RemovePrevious { get; set; }
    }
}
