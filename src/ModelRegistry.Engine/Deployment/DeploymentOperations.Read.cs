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
    // Reading: which version serves which endpoint.
    public sealed partial class DeploymentOperations
    {
        /// <summary>Every endpoint, page by page (names and status only). A record that cannot be read goes to
        /// <paramref name="damaged"/> when given; without it the walk throws after the rest (the in-use checks fail closed).</summary>
        public IEnumerable<EndpointInfo> EnumerateEndpoints(CancellationToken ct, Action<RegistryException>? damaged = null) =>
            RegistryExtensions.EnumeratePages("ListEndpoints", token => _target.ListEndpointsAsync(null, token, RegistryExtensions.MaxPageSize, ct), damaged);

        /// <summary>Endpoint → config → model → model version, for many endpoints at once.</summary>
        public IEnumerable<BulkOutcome<string, ModelRegistry.Deployment?>> DescribeMany(IReadOnlyList<string> endpointNames, BulkOptions bulk, CancellationToken ct) =>
            BulkRunner.Run(endpointNames, DescribeOrNullAsync, bulk, ct);

        /// <summary>Which version an endpoint serves; NotFound when the endpoint does not exist.</summary>
        public async Task<ModelRegistry.Deployment> DescribeAsync(string endpointName, CancellationToken ct) =>
            await DescribeOrNullAsync(endpointName, ct).ConfigureAwait(false)
            ?? throw new RegistryException(RegistryErrorKind.NotFound, $"Endpoint '{endpointName}' does not exist in {_registry.Location}.", endpointName);

        private async Task<ModelRegistry.Deployment?> DescribeOrNullAsync(string endpointName, CancellationToken ct)
        {
            var endpoint = await _target.GetEndpointAsync(endpointName, ct).ConfigureAwait(false);
            if (endpoint is null) return null;
            var d = new ModelRegistry.Deployment
            {
                EndpointName = endpoint.Name,
                EndpointArn = endpoint.Arn,
                Status = EndpointStatuses.Parse(endpoint.Status),
                FailureReason = endpoint.FailureReason,
                EndpointConfigName = endpoint.EndpointConfigName,
                CreatedUtc = endpoint.Created,
                LastModifiedUtc = endpoint.LastModified,
                IsRecord = !_target.ServesTraffic,
            };
            // Parts deleted by other tools leave the deployment partly known, not an error.
            var config = endpoint.EndpointConfigName is null ? null : await _target.GetEndpointConfigAsync(endpoint.EndpointConfigName, ct).ConfigureAwait(false);
            var variants = new List<DeploymentVariant>();
            var served = new List<string>();
            var models = new Dictionary<string, HostedModel?>(StringComparer.OrdinalIgnoreCase);
            foreach (var v in config?.Variants ?? (IReadOnlyList<EndpointVariantInfo>)Array.Empty<EndpointVariantInfo>())
            {
                HostedModel? model = null;
                if (v.ModelName != null && !models.TryGetValue(v.ModelName, out model))
                    models[v.ModelName] = model = await _target.GetModelAsync(v.ModelName, ct).ConfigureAwait(false);
                var variant = new DeploymentVariant
                {
                    VariantName = v.Name,
                    ModelName = v.ModelName,
                    ModelVersionArn = model?.ModelVersionArn,
                    InstanceType = v.InstanceType,
                    InstanceCount = v.InstanceCount,
                    Weight = v.Weight,
                    IsShadow = v.IsShadow,
                };
                var m = VersionArnPattern.Match(model?.ModelVersionArn ?? "");
                if (m.Success)
                {
                    variant.GroupName = m.Groups["group"].Value;
                    variant.Version = int.Parse(m.Groups["version"].Value, CultureInfo.InvariantCulture);
                }
                variants.Add(variant);
                foreach (var arn in model?.ModelVersionArns ?? Array.Empty<string>())
                    if (!served.Contains(arn, StringComparer.OrdinalIgnoreCase)) served.Add(arn);
            }
            // An update in progress: the versions of the config it switches to are about to serve.
            if (endpoint.PendingEndpointConfigName != null
                && !string.Equals(endpoint.PendingEndpointConfigName, endpoint.EndpointConfigName, StringComparison.OrdinalIgnoreCase))
            {
                d.PendingEndpointConfigName = endpoint.PendingEndpointConfigName;
                var pending = await _target.GetEndpointConfigAsync(endpoint.PendingEndpointConfigName, ct).ConfigureAwait(false);
                foreach (var name in (pending?.Variants ?? (IReadOnlyList<EndpointVariantInfo>)Array.Empty<EndpointVariantInfo>()).Select(v => v.ModelName))
                {
                    if (name is null) continue;
                    if (!models.TryGetValue(name, out var model)) models[name] = model = await _target.GetModelAsync(name, ct).ConfigureAwait(false);
                    foreach (var arn in model?.ModelVersionArns ?? Array.Empty<string>())
                        if (!served.Contains(arn, StringComparer.OrdinalIgnoreCase)) served.Add(arn);
                }
            }
            d.Variants = variants;
            d.ModelVersionArns = served;
            // The primary variant: the largest weight (SageMaker's default weight is 1), the first among equals.
            var primary = variants.Where(v => !v.IsShadow).OrderByDescending(v => v.Weight ?? 1f).FirstOrDefault();
            if (primary != null)
            {
                d.VariantName = primary.VariantName;
                d.ModelName = primary.ModelName;
                d.InstanceType = primary.InstanceType;
                d.InstanceCount = primary.InstanceCount;
                d.ModelVersionArn = primary.ModelVersionArn;
                d.GroupName = primary.GroupName;
                d.Version = primary.Version;
            }
            if (!string.IsNullOrEmpty(endpoint.Arn)) d.ManagedByModule = await IsManagedAsync(endpoint.Arn, ct).ConfigureAwait(false);
            return d;
        }
    }
}
