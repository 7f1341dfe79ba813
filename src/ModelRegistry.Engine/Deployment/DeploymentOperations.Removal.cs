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
    // Removal: plan (earlier resources, in-use checks), then carry out exactly the plan.
    public sealed partial class DeploymentOperations
    {
        /// <summary>
        /// What removing an endpoint deletes, in order: the endpoint; its current config and the models of its variants
        /// when this module made them for this endpoint (tags ManagedBy and Endpoint); then the earlier configs and models this module made for the
        /// endpoint that switches kept (see <see cref="FindEarlierAsync"/>). Anything another endpoint still uses, or
        /// that was not created by this module, is kept and named. Deletes nothing; <see cref="RemoveAsync(RemovalPlan,
        /// CancellationToken)"/> carries out exactly this plan, so what was confirmed is what goes.
        /// </summary>
        public async Task<RemovalPlan> PlanRemovalAsync(string endpointName, CancellationToken ct)
        {
            var endpoint = await _target.GetEndpointAsync(endpointName, ct).ConfigureAwait(false)
                ?? throw new RegistryException(RegistryErrorKind.NotFound, $"Endpoint '{endpointName}' does not exist in {_registry.Location}; nothing to remove.", endpointName);
            var plan = new RemovalPlan(endpoint.Name);
            var config = endpoint.EndpointConfigName is null ? null : await _target.GetEndpointConfigAsync(endpoint.EndpointConfigName, ct).ConfigureAwait(false);
            var configs = new List<(string Name, string Label, bool Earlier)>();
            var models = new List<(string Name, string Label, bool Earlier)>();
            var servedGroups = new List<string>();
            if (config != null)
            {
                var tags = await TagsOrNoteAsync(config.Arn, $"endpoint config '{config.Name}'", plan.Kept, ct).ConfigureAwait(false);
                if (tags != null && MadeFor(tags, endpoint.Name))
                {
                    configs.Add((config.Name, $"endpoint config '{config.Name}'", false));
                    if (tags.TryGetValue(PreviousGroupTagKey, out var previous)) servedGroups.Add(previous);
                }
                else if (tags != null) plan.Kept.Add($"endpoint config '{config.Name}' ({NotOurs(tags)})");
            }
            var currentModels = (config?.Variants ?? (IReadOnlyList<EndpointVariantInfo>)Array.Empty<EndpointVariantInfo>())
                .Select(v => v.ModelName).Where(n => n != null).Select(n => n!).Distinct(StringComparer.OrdinalIgnoreCase).ToList();
            foreach (var name in currentModels)
            {
                HostedModel? model;
                try
                {
                    model = await _target.GetModelAsync(name, ct).ConfigureAwait(false);
                }
                catch (RegistryException e) when (e.Kind != RegistryErrorKind.Invalid)
                {
                    plan.Kept.Add($"model '{name}': it could not be read ({e.Message})");
                    continue;
                }
                if (model is null) continue;
                foreach (var arn in model.ModelVersionArns)
                    if (VersionArnPattern.Match(arn) is { Success: true } m) servedGroups.Add(m.Groups["group"].Value);
                var tags = await TagsOrNoteAsync(model.Arn, $"model '{model.Name}'", plan.Kept, ct).ConfigureAwait(false);
                if (tags != null && MadeFor(tags, endpoint.Name)) models.Add((model.Name, $"model '{model.Name}'", false));
                else if (tags != null) plan.Kept.Add($"model '{model.Name}' ({NotOurs(tags)})");
            }

            var earlier = await FindEarlierAsync(endpoint, servedGroups, config?.Name, currentModels, ct).ConfigureAwait(false);
            configs.AddRange(earlier.Configs.Select(c => (c, $"earlier endpoint config '{c}'", true)));
            models.AddRange(earlier.Models.Select(m => (m, $"earlier model '{m}'", true)));
            plan.Kept.AddRange(earlier.Unknown);

            // Never delete what another endpoint runs on (a config or model can be shared by hand).
            if (configs.Count + models.Count > 0)
            {
                var inUse = await InUseByOtherEndpointsAsync(endpoint.Name, ct).ConfigureAwait(false);
                if (inUse.Unknown != null)
                {
                    // Only this endpoint's own current resources go unchecked, as they always did; earlier ones wait.
                    configs.RemoveAll(c => c.Earlier);
                    models.RemoveAll(m => m.Earlier);
                    if (earlier.Configs.Count + earlier.Models.Count > 0)
                        plan.Kept.Add($"{earlier.Configs.Count + earlier.Models.Count} earlier endpoint config(s) and model(s) of '{endpoint.Name}', because whether other endpoints use them could not be checked: {inUse.Unknown}");
                }
                foreach (var c in configs.Where(c => inUse.Configs.TryGetValue(c.Name, out _)).ToList())
                {
                    configs.Remove(c);
                    plan.Kept.Add($"{c.Label} (used by endpoint '{inUse.Configs[c.Name]}')");
                }
                foreach (var m in models.Where(m => inUse.Models.TryGetValue(m.Name, out _)).ToList())
                {
                    models.Remove(m);
                    plan.Kept.Add($"{m.Label} (used by endpoint '{inUse.Models[m.Name]}')");
                }
            }

            plan.Steps.Add((DeploymentResourceKind.Endpoint, endpoint.Name, $"endpoint '{endpoint.Name}'"));
            plan.Steps.AddRange(configs.Select(c => (DeploymentResourceKind.EndpointConfig, c.Name, c.Label)));
            plan.Steps.AddRange(models.Select(m => (DeploymentResourceKind.Model, m.Name, m.Label)));
            return plan;
        }

        /// <summary>Carries out a plan from <see cref="PlanRemovalAsync"/>: the endpoint first (when that fails, nothing
        /// else is touched: the config and models still serve it), then each config and model; failures are listed.</summary>
        public async Task<DeploymentRemoval> RemoveAsync(RemovalPlan plan, CancellationToken ct)
        {
            if (plan is null) throw new ArgumentNullException(nameof(plan));
            var deleted = new List<string>();
            var failed = new List<string>();
            foreach (var (kind, name, what) in plan.Steps)
            {
                try
                {
                    if (kind == DeploymentResourceKind.Endpoint) await _target.DeleteEndpointAsync(name, ct).ConfigureAwait(false);
                    else if (kind == DeploymentResourceKind.EndpointConfig) await _target.DeleteEndpointConfigAsync(name, ct).ConfigureAwait(false);
                    else await _target.DeleteModelAsync(name, ct).ConfigureAwait(false);
                    deleted.Add(what);
                }
                catch (RegistryException e) when (kind == DeploymentResourceKind.Endpoint)
                {
                    throw new RegistryException(e.Kind, $"Endpoint '{name}' was not removed: {e.Message}", name, e.ServiceCode, e.RequestId, e, e.Reason);
                }
                catch (RegistryException e)
                {
                    failed.Add($"{what}: {e.Message}");
                }
            }
            return new DeploymentRemoval { EndpointName = plan.EndpointName, Deleted = deleted, Kept = plan.Kept.ToList(), Failed = failed };
        }

        /// <summary>Plans and, unless <paramref name="planOnly"/>, removes.</summary>
        public async Task<DeploymentRemoval> RemoveAsync(string endpointName, bool planOnly, CancellationToken ct)
        {
            var plan = await PlanRemovalAsync(endpointName, ct).ConfigureAwait(false);
            return planOnly ? plan.Preview() : await RemoveAsync(plan, ct).ConfigureAwait(false);
        }

        /// <summary>
        /// Endpoint configs and models this module made for the endpoint before its current ones: a switch without
        /// RemovePrevious keeps them for a rollback, and removing the endpoint is when they go. They are named
        /// "{group}-{version}-{hash}" (<see cref="DeploymentNaming"/>) and tagged ManagedBy=ModelRegistry and
        /// Endpoint={endpoint}. They are looked for under the name prefixes of the groups the endpoint is known to have
        /// served: its ModelGroup tag (set when it was created), the groups of its current models, and the
        /// PreviousModelGroup tag a switch across groups puts on the new config (so A → B → C is followed back from C
        /// through B to A; a group left and deployed again later can hide one in between). What could not be looked at
        /// (a refused listing or tag read) is not fatal: Unknown says what.
        /// </summary>
        private async Task<(List<string> Configs, List<string> Models, List<string> Unknown)> FindEarlierAsync(
            EndpointInfo endpoint, IEnumerable<string> servedGroups, string? currentConfig, IReadOnlyCollection<string> currentModels, CancellationToken ct)
        {
            var configs = new List<string>();
            var models = new List<string>();
            var unknown = new List<string>();
            var groups = new Queue<string>(servedGroups);
            if (!string.IsNullOrEmpty(endpoint.Arn))
            {
                var tags = await TagsOrNoteAsync(endpoint.Arn, $"endpoint '{endpoint.Name}'", unknown, ct).ConfigureAwait(false);
                if (tags != null && tags.TryGetValue(ManagedByKey, out var by) && by == ManagedByValue && tags.TryGetValue(GroupTagKey, out var g)) groups.Enqueue(g);
            }
            var searched = new HashSet<string>(StringComparer.Ordinal);
            while (groups.Count > 0)
            {
                var prefix = DeploymentNaming.ResourcePrefix(groups.Dequeue());
                if (!searched.Add(prefix)) continue;
                List<(string Name, string Arn)> candidates;
                try
                {
                    candidates = (await RegistryExtensions.AllPagesAsync("ListEndpointConfigs", token => _target.ListEndpointConfigsAsync(prefix, token, RegistryExtensions.MaxPageSize, ct))
                        .ConfigureAwait(false)).Select(c => (c.Name, c.Arn)).ToList();
                    foreach (var c in candidates.Where(c => IsEarlier(c.Name, prefix, currentConfig == null ? Array.Empty<string>() : new[] { currentConfig })))
                    {
                        var tags = await TagsOrNoteAsync(c.Arn, $"endpoint config '{c.Name}'", unknown, ct).ConfigureAwait(false);
                        if (tags is null || !MadeFor(tags, endpoint.Name)) continue;
                        configs.Add(c.Name);
                        if (tags.TryGetValue(PreviousGroupTagKey, out var previous)) groups.Enqueue(previous);
                    }
                    candidates = (await RegistryExtensions.AllPagesAsync("ListModels", token => _target.ListModelsAsync(prefix, token, RegistryExtensions.MaxPageSize, ct))
                        .ConfigureAwait(false)).Select(m => (m.Name, m.Arn)).ToList();
                    foreach (var m in candidates.Where(m => IsEarlier(m.Name, prefix, currentModels)))
                    {
                        var tags = await TagsOrNoteAsync(m.Arn, $"model '{m.Name}'", unknown, ct).ConfigureAwait(false);
                        if (tags != null && MadeFor(tags, endpoint.Name)) models.Add(m.Name);
                    }
                }
                catch (RegistryException e) when (e.Kind != RegistryErrorKind.Invalid)
                {
                    unknown.Add($"earlier endpoint configs and models named {prefix}* (a switch keeps them) could not be looked for: {e.Message}");
                }
            }
            return (configs, models, unknown);
        }

        /// <summary>A name this module forms under the prefix (any version and hash), other than the current ones.</summary>
        private static bool IsEarlier(string name, string prefix, IEnumerable<string> current) =>
            name.StartsWith(prefix, StringComparison.OrdinalIgnoreCase)
            && Regex.IsMatch(name.Substring(prefix.Length), @"\A[0-9]{1,9}-[0-9a-f]{" + DeploymentNaming.HashLength + @"}\z", RegexOptions.CultureInvariant)
            && !current.Contains(name, StringComparer.OrdinalIgnoreCase);

        private async Task<IReadOnlyDictionary<string, string>?> RunningConfigTagsAsync(string configName, CancellationToken ct)
        {
            try
            {
                var running = await _target.GetEndpointConfigAsync(configName, ct).ConfigureAwait(false);
                return running is null ? null : await _target.GetResourceTagsAsync(running.Arn, ct).ConfigureAwait(false);
            }
            catch (RegistryException e) when (e.Kind != RegistryErrorKind.Invalid)
            {
                return null;
            }
        }

        /// <summary>Why a resource is not this endpoint's to delete.</summary>
        private static string NotOurs(IReadOnlyDictionary<string, string> tags) =>
            !(tags.TryGetValue(ManagedByKey, out var by) && by == ManagedByValue) ? "not created by ModelRegistry"
            : tags.TryGetValue(EndpointTagKey, out var ep) ? $"made by ModelRegistry for endpoint '{ep}'"
            : "made by ModelRegistry for no named endpoint";

        /// <summary>Tagged as made by this module for this endpoint.</summary>
        private static bool MadeFor(IReadOnlyDictionary<string, string> tags, string endpointName) =>
            tags.TryGetValue(ManagedByKey, out var by) && by == ManagedByValue
            && tags.TryGetValue(EndpointTagKey, out var ep) && string.Equals(ep, endpointName, StringComparison.OrdinalIgnoreCase);

        /// <summary>The resource's tags; null (and a note in <paramref name="unknown"/> unless it is simply gone) when
        /// they cannot be read — one refused read must not hide the rest.</summary>
        private async Task<IReadOnlyDictionary<string, string>?> TagsOrNoteAsync(string arn, string what, List<string> unknown, CancellationToken ct)
        {
            try
            {
                return await _target.GetResourceTagsAsync(arn, ct).ConfigureAwait(false);
            }
            catch (RegistryException e) when (e.Kind == RegistryErrorKind.NotFound)
            {
                return null; // deleted since listed
            }
            catch (RegistryException e) when (e.Kind != RegistryErrorKind.Invalid)
            {
                unknown.Add($"{what}: its tags could not be read, so whether this module made it for this endpoint is unknown ({e.Message})");
                return null;
            }
        }

        /// <summary>The configs and models the other endpoints run on (current config and every variant's model),
        /// each with one endpoint that uses it — two reads per endpoint (DescribeEndpoint, DescribeEndpointConfig).
        /// Unknown when any endpoint could not be read: then nothing can be vouched for.</summary>
        private async Task<(Dictionary<string, string> Configs, Dictionary<string, string> Models, string? Unknown)> InUseByOtherEndpointsAsync(
            string endpointName, CancellationToken ct)
        {
            var configs = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
            var models = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
            List<string> others;
            try
            {
                others = await Task.Run(() => EnumerateEndpoints(ct).Select(e => e.Name)
                    .Where(n => !string.Equals(n, endpointName, StringComparison.OrdinalIgnoreCase)).ToList(), ct).ConfigureAwait(false);
            }
            catch (RegistryException e)
            {
                return (configs, models, e.Message);
            }
            foreach (var outcome in BulkRunner.Run(others, async (name, token) =>
                     {
                         // Its config and, mid-update, the one it is switching to.
                         var e = await _target.GetEndpointAsync(name, token).ConfigureAwait(false);
                         var used = new List<(string Config, IReadOnlyList<string?> Models)>();
                         foreach (var configName in new[] { e?.EndpointConfigName, e?.PendingEndpointConfigName }.Where(n => n != null))
                         {
                             var c = await _target.GetEndpointConfigAsync(configName!, token).ConfigureAwait(false);
                             used.Add((configName!, c?.Variants.Select(v => v.ModelName).ToList() ?? new List<string?>()));
                         }
                         return used;
                     }, Bulk.BulkRunner.DefaultThrottleLimit, ct))
            {
                // Any failure (or a skip) leaves that endpoint unknown, and an unknown endpoint might use anything.
                if (outcome.Error != null || outcome.Skipped)
                    return (configs, models, $"endpoint '{outcome.Input}' could not be read ({outcome.Error?.Message ?? "stopped"})");
                foreach (var (config, variantModels) in outcome.Result!)
                {
                    configs[config] = outcome.Input;
                    foreach (var m in variantModels)
                        if (m != null) models[m] = outcome.Input;
                }
            }
            return (configs, models, null);
        }
    }
}
