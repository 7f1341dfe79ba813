using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.Linq;
using System.Text.RegularExpressions;
using System.Threading;
using System.Threading.Tasks;
using ModelRegistry.Engine.Bulk;
using ModelRegistry.Engine.Config;
using ModelRegistry.Engine.Registry;

namespace ModelRegistry.Engine.Deployment
{
    /// <summary>
    /// Deploying approved versions to endpoints, finding which version serves which endpoint, and removing
    /// deployments. Only Approved versions are deployed; whatever a failed deploy created is deleted again, or
    /// named in the error when it could not be. One file per job: .Deploy (plan, run, roll back, wait), .Read
    /// (what runs where), .Removal (plan, earlier resources, in-use checks) and .Checks (request checks).
    /// </summary>
    public sealed partial class DeploymentOperations
    {
        public const string ManagedByKey = "ManagedBy";
        public const string ManagedByValue = "ModelRegistry";
        public const string VersionArnTagKey = "ModelVersionArn";
        public const string GroupTagKey = "ModelGroup";
        public const string EndpointTagKey = "Endpoint";
        /// <summary>On a config that replaced one of another group's: that group, so removal can follow A → B → C switches.</summary>
        public const string PreviousGroupTagKey = "PreviousModelGroup";

        private readonly IModelRegistry _registry;
        private readonly IDeploymentTarget _target;

        public DeploymentOperations(IModelRegistry registry)
        {
            _registry = registry ?? throw new ArgumentNullException(nameof(registry));
            _target = registry.Deployments;
        }

        /// <summary>The version guards a deploy is judged by (the one list; NotApproved is the one that applies).</summary>
        public Operations.VersionGuards Guards { get; } = new Operations.VersionGuards();

        /// <summary>Time between status reads while waiting (SageMaker endpoints take minutes).</summary>
        public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(15);

        /// <summary>Tagged ManagedBy=ModelRegistry: made by this module (a resource that is gone is not).</summary>
        private async Task<bool> IsManagedAsync(string arn, CancellationToken ct)
        {
            try
            {
                var tags = await _target.GetResourceTagsAsync(arn, ct).ConfigureAwait(false);
                return tags.TryGetValue(ManagedByKey, out var v) && v == ManagedByValue;
            }
            catch (RegistryException e) when (e.Kind == RegistryErrorKind.NotFound)
            {
                return false;
            }
        }
    }
}
