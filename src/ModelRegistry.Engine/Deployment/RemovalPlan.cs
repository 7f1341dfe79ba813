using System.Collections.Generic;
using System.Linq;

namespace ModelRegistry.Engine.Deployment
{
    /// <summary>The resources a deployment is made of, in the order removal deletes them.</summary>
    internal enum DeploymentResourceKind
    {
        Endpoint,
        EndpointConfig,
        Model,
    }

    internal static class DeploymentResourceKindExtensions
    {
        /// <summary>How messages name the kind: "endpoint", "endpoint config", "model".</summary>
        public static string Label(this DeploymentResourceKind kind) => kind switch
        {
            DeploymentResourceKind.Endpoint => "endpoint",
            DeploymentResourceKind.EndpointConfig => "endpoint config",
            _ => "model",
        };
    }

    /// <summary>What removing one endpoint will delete, in order, and keep (from DeploymentOperations.PlanRemovalAsync).</summary>
    public sealed class RemovalPlan
    {
        internal RemovalPlan(string endpointName) { EndpointName = endpointName; }

        public string EndpointName { get; }
        /// <summary>(kind, name, label) in deletion order; the endpoint first.</summary>
        internal List<(DeploymentResourceKind Kind, string Name, string What)> Steps { get; } =
            new List<(DeploymentResourceKind, string, string)>();
        /// <summary>What stays, each with the reason.</summary>
        public List<string> Kept { get; } = new List<string>();

        /// <summary>The plan as a result object (IsPlan): what would be deleted and kept.</summary>
        public DeploymentRemoval Preview() => new DeploymentRemoval
        {
            EndpointName = EndpointName,
            Deleted = Steps.Select(s => s.What).ToList(),
            Kept = Kept.ToList(),
            IsPlan = true,
        };
    }
}
