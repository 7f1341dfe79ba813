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
    // Request checks: everything wrong with a request before any call, and what serves what.
    public sealed partial class DeploymentOperations
    {
        private static readonly Regex RoleArnPattern = new Regex(@"\Aarn:aws[a-z\-]*:iam::\d{12}:role/?[a-zA-Z_0-9+=,.@\-_/]+\z", RegexOptions.CultureInvariant);
        private static readonly Regex VersionArnPattern = new Regex(@"\Aarn:aws[a-z\-]*:sagemaker:[a-z0-9\-]*:[0-9]{12}:model-package/(?<group>[^/]+)/(?<version>[0-9]{1,9})\z", RegexOptions.CultureInvariant);

        /// <summary>Whether the deployment serves any of these versions (ARNs) or any version of these groups — through
        /// any variant or container: an endpoint sending part of its traffic to a version serves it.</summary>
        public static bool Serves(ModelRegistry.Deployment d, ICollection<string> groups, ICollection<string> versionArns) =>
            d.ModelVersionArns.Any(arn => versionArns.Contains(arn)
                || (VersionArnPattern.Match(arn) is { Success: true } m && groups.Contains(m.Groups["group"].Value)));

        /// <summary>Whether SageMaker lists this as a real-time inference instance type (botocore's ProductionVariantInstanceType).</summary>
        public static bool IsRealtimeInstanceType(string? instanceType) => instanceType != null && InstanceTypes.Realtime.Contains(instanceType);

        /// <summary>The real-time instance types, sorted (for tab completion).</summary>
        public static IReadOnlyList<string> RealtimeInstanceTypes() => InstanceTypes.Realtime.OrderBy(t => t, StringComparer.Ordinal).ToList();

        /// <summary>Everything wrong with a request, before any call.</summary>
        public static List<string> Problems(DeployRequest r, bool requiresRole)
        {
            var problems = new List<string>();
            if (!Naming.IsValidEntityName(r.EndpointName))
                problems.Add($"endpoint name '{r.EndpointName}' is not valid (1–63 letters, digits and hyphens, starting and ending with a letter or digit)");
            if (!VersionArnPattern.IsMatch(r.ModelVersionArn ?? ""))
                problems.Add($"'{r.ModelVersionArn}' is not a model version ARN (arn:aws:sagemaker:<region>:<account>:model-package/<group>/<version>)");
            if (!InstanceTypes.Realtime.Contains(r.InstanceType ?? ""))
                problems.Add($"'{r.InstanceType}' is not a SageMaker real-time instance type (e.g. ml.m5.large)");
            if (r.InstanceCount < 1)
                problems.Add($"the instance count must be at least 1 (was {r.InstanceCount})");
            if (string.IsNullOrEmpty(r.ExecutionRoleArn))
            {
                if (requiresRole) problems.Add("SageMaker needs an execution role: give -ExecutionRoleArn or set SAGEMAKER_EXECUTION_ROLE_ARN in .env.shared");
            }
            else if (r.ExecutionRoleArn!.Length > 2048 || !RoleArnPattern.IsMatch(r.ExecutionRoleArn))
                problems.Add($"'{r.ExecutionRoleArn}' is not an IAM role ARN (arn:aws:iam::<account>:role/<name>)");
            if (r.Timeout < TimeSpan.Zero) problems.Add("the timeout cannot be negative");
            return problems;
        }
    }
}
