using System;
using System.Collections.Generic;
using System.Linq;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;

namespace ModelRegistry.Engine.Registry.SageMaker
{
    // Models, endpoint configs and endpoints on SageMaker: the wire shapes of the deployment operations.
    public sealed partial class SageMakerRegistry
    {
        public IDeploymentTarget Deployments => this;

        public bool ServesTraffic => true;

        public bool RequiresExecutionRole => true;

        public async Task<string> CreateModelAsync(HostedModelSpec spec, CancellationToken ct)
        {
            if (spec is null) throw new ArgumentNullException(nameof(spec));
            return await CreateOnceAsync("CreateModel", w =>
            {
                w.WriteString("ModelName", spec.Name);
                w.WriteStartObject("PrimaryContainer");
                w.WriteString("ModelPackageName", spec.ModelVersionArn);
                w.WriteEndObject();
                if (!string.IsNullOrEmpty(spec.ExecutionRoleArn)) w.WriteString("ExecutionRoleArn", spec.ExecutionRoleArn);
                WriteTags(w, spec.Tags);
            }, spec.Name, "ModelArn", async token =>
            {
                var earlier = await GetModelAsync(spec.Name, token).ConfigureAwait(false);
                return string.Equals(earlier?.ModelVersionArn, spec.ModelVersionArn, StringComparison.OrdinalIgnoreCase) ? earlier!.Arn : null;
            }, ct).ConfigureAwait(false);
        }

        public async Task<HostedModel?> GetModelAsync(string name, CancellationToken ct)
        {
            var body = await CallOrNullAsync("DescribeModel", w => w.WriteString("ModelName", name), name, ct).ConfigureAwait(false);
            if (body is null) return null;
            var e = body.Value;
            // A model from other tools may use Containers instead of PrimaryContainer; the first that names a package counts.
            var packages = new List<string>();
            if (e.TryGetProperty("PrimaryContainer", out var primary) && primary.ValueKind == JsonValueKind.Object && Str(primary, "ModelPackageName") is { } p1)
                packages.Add(p1);
            foreach (var c in Items(e, "Containers"))
                if (Str(c, "ModelPackageName") is { } p2 && !packages.Contains(p2)) packages.Add(p2);
            return new HostedModel
            {
                Name = Str(e, "ModelName") ?? name,
                Arn = Str(e, "ModelArn") ?? "",
                ModelVersionArn = packages.FirstOrDefault(),
                ModelVersionArns = packages,
                ExecutionRoleArn = Str(e, "ExecutionRoleArn"),
                Created = Time(e, "CreationTime"),
            };
        }

        public Task DeleteModelAsync(string name, CancellationToken ct) =>
            CallAsync("DeleteModel", w => w.WriteString("ModelName", name), name, ct, Idempotency.Delete);

        public Task<Page<HostedModel>> ListModelsAsync(string? nameContains, string? nextToken, int pageSize, CancellationToken ct) =>
            ListByNameAsync("ListModels", "Models", nameContains, nextToken, pageSize, e => new HostedModel
            {
                Name = Str(e, "ModelName") ?? "",
                Arn = Str(e, "ModelArn") ?? "",
                Created = Time(e, "CreationTime"),
            }, ct);

        /// <summary>One page of a listing by name (ListModels, ListEndpointConfigs, ListEndpoints): the items of <paramref name="member"/>.</summary>
        private async Task<Page<T>> ListByNameAsync<T>(string operation, string member, string? nameContains, string? nextToken, int pageSize,
            Func<JsonElement, T> item, CancellationToken ct)
        {
            RequestChecks.PageSize(pageSize);
            var body = await CallAsync(operation, w => WriteNameListing(w, nameContains, nextToken, pageSize), nameContains, ct).ConfigureAwait(false);
            return new Page<T>(Items(body, member).Select(item).ToList(), NextToken(body));
        }

        public async Task<string> CreateEndpointConfigAsync(EndpointConfigSpec spec, CancellationToken ct)
        {
            if (spec is null) throw new ArgumentNullException(nameof(spec));
            return await CreateOnceAsync("CreateEndpointConfig", w =>
            {
                w.WriteString("EndpointConfigName", spec.Name);
                w.WriteStartArray("ProductionVariants");
                w.WriteStartObject();
                w.WriteString("VariantName", "AllTraffic");
                w.WriteString("ModelName", spec.ModelName);
                w.WriteString("InstanceType", spec.InstanceType);
                w.WriteNumber("InitialInstanceCount", spec.InstanceCount);
                w.WriteEndObject();
                w.WriteEndArray();
                WriteTags(w, spec.Tags);
            }, spec.Name, "EndpointConfigArn", async token =>
            {
                var earlier = await GetEndpointConfigAsync(spec.Name, token).ConfigureAwait(false);
                return string.Equals(earlier?.ModelName, spec.ModelName, StringComparison.OrdinalIgnoreCase) ? earlier!.Arn : null;
            }, ct).ConfigureAwait(false);
        }

        public async Task<EndpointConfigInfo?> GetEndpointConfigAsync(string name, CancellationToken ct)
        {
            var body = await CallOrNullAsync("DescribeEndpointConfig", w => w.WriteString("EndpointConfigName", name), name, ct).ConfigureAwait(false);
            if (body is null) return null;
            var e = body.Value;
            // Shadow variants get a copy of the traffic: the versions behind them are deployed too.
            var variants = Items(e, "ProductionVariants").Select(v => ToVariant(v, shadow: false))
                .Concat(Items(e, "ShadowProductionVariants").Select(v => ToVariant(v, shadow: true))).ToList();
            var first = variants.FirstOrDefault();
            return new EndpointConfigInfo
            {
                Name = Str(e, "EndpointConfigName") ?? name,
                Arn = Str(e, "EndpointConfigArn") ?? "",
                ModelName = first?.ModelName,
                VariantName = first?.Name,
                InstanceType = first?.InstanceType,
                InstanceCount = first?.InstanceCount,
                Created = Time(e, "CreationTime"),
                Variants = variants,
            };
        }

        private static EndpointVariantInfo ToVariant(JsonElement v, bool shadow) => new EndpointVariantInfo
        {
            Name = Str(v, "VariantName") ?? "",
            ModelName = Str(v, "ModelName"),
            InstanceType = Str(v, "InstanceType"),
            InstanceCount = Int(v, "InitialInstanceCount"),
            Weight = v.TryGetProperty("InitialVariantWeight", out var w) && w.ValueKind == JsonValueKind.Number ? w.GetSingle() : (float?)null,
            IsShadow = shadow,
        };

        public Task DeleteEndpointConfigAsync(string name, CancellationToken ct) =>
            CallAsync("DeleteEndpointConfig", w => w.WriteString("EndpointConfigName", name), name, ct, Idempotency.Delete);

        public Task<Page<EndpointConfigInfo>> ListEndpointConfigsAsync(string? nameContains, string? nextToken, int pageSize, CancellationToken ct) =>
            ListByNameAsync("ListEndpointConfigs", "EndpointConfigs", nameContains, nextToken, pageSize, e => new EndpointConfigInfo
            {
                Name = Str(e, "EndpointConfigName") ?? "",
                Arn = Str(e, "EndpointConfigArn") ?? "",
                Created = Time(e, "CreationTime"),
            }, ct);

        public async Task<string> CreateEndpointAsync(string name, string endpointConfigName, IReadOnlyDictionary<string, string> tags, CancellationToken ct)
        {
            return await CreateOnceAsync("CreateEndpoint", w =>
            {
                w.WriteString("EndpointName", name);
                w.WriteString("EndpointConfigName", endpointConfigName);
                WriteTags(w, tags);
            }, name, "EndpointArn", async token =>
            {
                var earlier = await GetEndpointAsync(name, token).ConfigureAwait(false);
                return string.Equals(earlier?.EndpointConfigName, endpointConfigName, StringComparison.OrdinalIgnoreCase) ? earlier!.Arn : null;
            }, ct).ConfigureAwait(false);
        }

        public Task UpdateEndpointAsync(string name, string endpointConfigName, CancellationToken ct) =>
            CreateOnceAsync("UpdateEndpoint", w =>
            {
                w.WriteString("EndpointName", name);
                w.WriteString("EndpointConfigName", endpointConfigName);
            }, name, "EndpointArn", async token =>
            {
                // Landed when the endpoint is switching (deploys refuse an endpoint that is already mid-change) or done.
                var now = await GetEndpointAsync(name, token).ConfigureAwait(false);
                return now != null && (now.Status == "Updating" || string.Equals(now.EndpointConfigName, endpointConfigName, StringComparison.OrdinalIgnoreCase))
                    ? now.Arn : null;
            }, ct);

        public async Task<EndpointInfo?> GetEndpointAsync(string name, CancellationToken ct)
        {
            var body = await CallOrNullAsync("DescribeEndpoint", w => w.WriteString("EndpointName", name), name, ct).ConfigureAwait(false);
            return body is null ? null : ToEndpoint(body.Value, name);
        }

        public Task<Page<EndpointInfo>> ListEndpointsAsync(string? nameContains, string? nextToken, int pageSize, CancellationToken ct) =>
            ListByNameAsync("ListEndpoints", "Endpoints", nameContains, nextToken, pageSize, e => ToEndpoint(e, ""), ct);

        public Task DeleteEndpointAsync(string name, CancellationToken ct) =>
            CallAsync("DeleteEndpoint", w => w.WriteString("EndpointName", name), name, ct, Idempotency.Delete);

        public Task<IReadOnlyDictionary<string, string>> GetResourceTagsAsync(string arn, CancellationToken ct) => GetTagsAsync(arn, ct);

        /// <summary>
        /// A create (or an endpoint switch) that is never re-sent blindly: after a failure that may have landed,
        /// <paramref name="landed"/> looks for our earlier attempt and returns its ARN, or null to send again.
        /// Returns the ARN from the reply's <paramref name="arnMember"/>.
        /// </summary>
        private Task<string> CreateOnceAsync(string operation, Action<Utf8JsonWriter> writeBody, string target, string arnMember,
            Func<CancellationToken, Task<string?>> landed, CancellationToken ct) =>
            _retry.ExecuteAsync(async token => Str(await SendAsync(operation, writeBody, target, token).ConfigureAwait(false), arnMember) ?? "",
                Idempotency.Create, async token =>
                {
                    var arn = await landed(token).ConfigureAwait(false);
                    return (arn != null, arn ?? "");
                }, ct, operation);

        private static EndpointInfo ToEndpoint(JsonElement e, string name) => new EndpointInfo
        {
            Name = Str(e, "EndpointName") ?? name,
            Arn = Str(e, "EndpointArn") ?? "",
            EndpointConfigName = Str(e, "EndpointConfigName"),
            PendingEndpointConfigName = e.TryGetProperty("PendingDeploymentSummary", out var pending) && pending.ValueKind == JsonValueKind.Object
                ? Str(pending, "EndpointConfigName") : null,
            Status = Str(e, "EndpointStatus") ?? "",
            FailureReason = Str(e, "FailureReason"),
            Created = Time(e, "CreationTime"),
            LastModified = Time(e, "LastModifiedTime"),
        };
    }
}
