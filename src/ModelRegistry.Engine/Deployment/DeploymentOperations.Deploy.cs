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
using ModelRegistry.Engine.Operations;
using ModelRegistry.Engine.Registry;

namespace ModelRegistry.Engine.Deployment
{
    // Deploying: plan, run, roll back what a failed run created, wait for the endpoint.
    public sealed partial class DeploymentOperations
    {
        private static readonly HashSet<string> Transitional = new HashSet<string>(StringComparer.Ordinal)
            { "Creating", "Updating", "SystemUpdating", "RollingBack", "Deleting" };


        /// <summary>Checks the request and the version, and works out names and what exists. Creates nothing.</summary>
        public async Task<DeploymentPlan> PlanAsync(DeployRequest request, CancellationToken ct)
        {
            if (request is null) throw new ArgumentNullException(nameof(request));
            var problems = Problems(request, _target.RequiresExecutionRole);
            if (problems.Count > 0)
                throw new RegistryException(RegistryErrorKind.Invalid,
                    $"Cannot deploy to '{request.EndpointName}': {string.Join("; ", problems)}. Nothing was created.", request.EndpointName);

            var version = await CurrentVersionAsync(request.ModelVersionArn, ct).ConfigureAwait(false);

            var group = await _registry.GetGroupAsync(version.GroupName, ct).ConfigureAwait(false);
            var tags = new Dictionary<string, string>(StringComparer.Ordinal)
            {
                [ManagedByKey] = ManagedByValue,
                [VersionArnTagKey] = version.Arn,
                [GroupTagKey] = version.GroupName,
                [EndpointTagKey] = request.EndpointName,
            };
            foreach (var key in new[] { "Team", "Project" })
                if (group?.Tags != null && group.Tags.TryGetValue(key, out var value)) tags[key] = value;

            var hash = DeploymentNaming.Hash(version.Arn, request.EndpointName, request.InstanceType, request.InstanceCount, request.ExecutionRoleArn);
            var name = DeploymentNaming.ResourceName(version.GroupName, version.Version, hash);

            var endpoint = await _target.GetEndpointAsync(request.EndpointName, ct).ConfigureAwait(false);
            if (endpoint?.EndpointConfigName != null && !string.Equals(endpoint.EndpointConfigName, name, StringComparison.OrdinalIgnoreCase))
            {
                // Advisory: remember where removal must look for the config this switch leaves behind — its group when
                // that differs, else the group it remembered. A config this role may not read just leaves no trail.
                var runningTags = await RunningConfigTagsAsync(endpoint.EndpointConfigName, ct).ConfigureAwait(false);
                if (runningTags != null && runningTags.TryGetValue(GroupTagKey, out var runningGroup))
                {
                    if (!string.Equals(runningGroup, version.GroupName, StringComparison.OrdinalIgnoreCase)) tags[PreviousGroupTagKey] = runningGroup;
                    else if (runningTags.TryGetValue(PreviousGroupTagKey, out var remembered)) tags[PreviousGroupTagKey] = remembered;
                }
            }
            // A switch takes a live endpoint off the version it serves: the plan names that version (-WhatIf, the question).
            var serving = endpoint?.EndpointConfigName != null && !string.Equals(endpoint.EndpointConfigName, name, StringComparison.OrdinalIgnoreCase)
                ? await ServingVersionAsync(endpoint.EndpointConfigName, ct).ConfigureAwait(false) : null;
            var servingVersion = VersionArnPattern.Match(serving ?? "");
            var model = await _target.GetModelAsync(name, ct).ConfigureAwait(false);
            var config = await _target.GetEndpointConfigAsync(name, ct).ConfigureAwait(false);
            if (model != null && !string.Equals(model.ModelVersionArn, version.Arn, StringComparison.Ordinal))
                throw new RegistryException(RegistryErrorKind.Conflict,
                    $"A model named '{name}' already exists and serves '{model.ModelVersionArn}', not '{version.Arn}'. Nothing was created.", name);
            if (config != null && !string.Equals(config.ModelName, name, StringComparison.OrdinalIgnoreCase))
                throw new RegistryException(RegistryErrorKind.Conflict,
                    $"An endpoint config named '{name}' already exists and uses model '{config.ModelName}'. Nothing was created.", name);

            return new DeploymentPlan
            {
                EndpointName = request.EndpointName,
                ModelVersionArn = version.Arn,
                GroupName = version.GroupName,
                Version = version.Version,
                ModelName = name,
                EndpointConfigName = name,
                InstanceType = request.InstanceType,
                InstanceCount = request.InstanceCount,
                ExecutionRoleArn = request.ExecutionRoleArn,
                ModelExists = model != null,
                EndpointConfigExists = config != null,
                UpdatesExistingEndpoint = endpoint != null,
                CurrentEndpointConfigName = endpoint?.EndpointConfigName,
                CurrentModelVersionArn = serving,
                CurrentGroupName = servingVersion.Success ? servingVersion.Groups["group"].Value : null,
                CurrentVersion = servingVersion.Success ? int.Parse(servingVersion.Groups["version"].Value, CultureInfo.InvariantCulture) : (int?)null,
                Unchanged = endpoint != null && string.Equals(endpoint.EndpointConfigName, name, StringComparison.OrdinalIgnoreCase),
                Tags = new TagSet(tags),
            };
        }

        /// <summary>
        /// The version as the registry holds it now, judged by <see cref="Guards"/> for a deploy (NotApproved: only
        /// Approved versions are served, and no -Force changes that). Run when planning and again right before the
        /// first resource is created, so a version rejected while the user was asked is not deployed.
        /// </summary>
        private async Task<ModelVersion> CurrentVersionAsync(string arn, CancellationToken ct)
        {
            var version = await _registry.GetVersionAsync(arn, ct).ConfigureAwait(false)
                ?? throw new RegistryException(RegistryErrorKind.NotFound,
                    $"Model version '{arn}' does not exist in {_registry.Location}. Nothing was created.", arn);
            await Guards.CheckAsync(new VersionGuardContext(VersionChange.Deploy, version, null, new DeployedVersions(_registry)), force: false, ct)
                .ConfigureAwait(false);
            return version;
        }

        /// <summary>The model version a config's primary variant (the largest weight) serves; null when none.</summary>
        private async Task<string?> ServingVersionAsync(string configName, CancellationToken ct)
        {
            var config = await _target.GetEndpointConfigAsync(configName, ct).ConfigureAwait(false);
            var primary = config?.Variants.Where(v => !v.IsShadow).OrderByDescending(v => v.Weight ?? 1f).FirstOrDefault();
            var model = primary?.ModelName is null ? null : await _target.GetModelAsync(primary.ModelName, ct).ConfigureAwait(false);
            return model?.ModelVersionArn;
        }

        /// <summary>Plans and deploys; <paramref name="progress"/> hears each step and, with Wait, each status read.</summary>
        public async Task<ModelRegistry.Deployment> DeployAsync(DeployRequest request, Action<string>? progress, CancellationToken ct)
        {
            var plan = await PlanAsync(request, ct).ConfigureAwait(false);
            return await ExecuteAsync(plan, request, progress, ct).ConfigureAwait(false);
        }

        /// <summary>Carries out a plan from <see cref="PlanAsync"/>.</summary>
        public async Task<ModelRegistry.Deployment> ExecuteAsync(DeploymentPlan plan, DeployRequest request, Action<string>? progress, CancellationToken ct)
        {
            if (plan.Unchanged)
            {
                progress?.Invoke($"Endpoint '{plan.EndpointName}' already serves version {plan.Version} of {plan.GroupName}.");
                var same = request.Wait ? await WaitAsync(plan.EndpointName, plan.EndpointConfigName, request.Timeout, progress, ct).ConfigureAwait(false)
                    : await DescribeAsync(plan.EndpointName, ct).ConfigureAwait(false);
                return With(same, DeploymentChange.Unchanged, plan);
            }

            EndpointInfo? current = null;
            if (plan.UpdatesExistingEndpoint)
            {
                current = await _target.GetEndpointAsync(plan.EndpointName, ct).ConfigureAwait(false);
                // SageMaker refuses to update an endpoint mid-change; refuse before creating anything.
                if (current != null && Transitional.Contains(current.Status))
                    throw new RegistryException(RegistryErrorKind.Conflict,
                        $"Endpoint '{plan.EndpointName}' is {current.Status}; deploy again when it is InService. Nothing was created.", plan.EndpointName);
            }

            // The plan may be minutes old (a confirmation prompt): judge the version's current state before acting.
            await CurrentVersionAsync(plan.ModelVersionArn, ct).ConfigureAwait(false);

            var created = new List<(DeploymentResourceKind Kind, string Name)>();
            try
            {
                if (!plan.ModelExists)
                {
                    progress?.Invoke($"Creating model {plan.ModelName}");
                    await _target.CreateModelAsync(new HostedModelSpec
                    {
                        Name = plan.ModelName,
                        ModelVersionArn = plan.ModelVersionArn,
                        ExecutionRoleArn = plan.ExecutionRoleArn,
                        Tags = plan.Tags,
                    }, ct).ConfigureAwait(false);
                    created.Add((DeploymentResourceKind.Model, plan.ModelName));
                }
                if (!plan.EndpointConfigExists)
                {
                    progress?.Invoke($"Creating endpoint config {plan.EndpointConfigName}");
                    await _target.CreateEndpointConfigAsync(new EndpointConfigSpec
                    {
                        Name = plan.EndpointConfigName,
                        ModelName = plan.ModelName,
                        InstanceType = plan.InstanceType,
                        InstanceCount = plan.InstanceCount,
                        Tags = plan.Tags,
                    }, ct).ConfigureAwait(false);
                    created.Add((DeploymentResourceKind.EndpointConfig, plan.EndpointConfigName));
                }
                await SwitchOrCreateEndpointAsync(plan, progress, ct).ConfigureAwait(false);
            }
            catch (Exception ex) when (!(ex is OperationCanceledException) || created.Count > 0)
            {
                throw await RollBackAsync(ex, created).ConfigureAwait(false);
            }

            var change = plan.UpdatesExistingEndpoint ? DeploymentChange.Updated : DeploymentChange.Created;
            ModelRegistry.Deployment result;
            if (request.Wait)
            {
                result = await WaitAsync(plan.EndpointName, plan.EndpointConfigName, request.Timeout, progress, ct).ConfigureAwait(false);
                if (plan.UpdatesExistingEndpoint && request.RemovePrevious && current?.EndpointConfigName != null)
                    await RemovePreviousAsync(current.EndpointConfigName, plan, progress, ct).ConfigureAwait(false);
            }
            else
            {
                result = await DescribeAsync(plan.EndpointName, ct).ConfigureAwait(false);
            }
            result = With(result, change, plan);
            if (plan.UpdatesExistingEndpoint && !(request.Wait && request.RemovePrevious))
            {
                result.PreviousEndpointConfigName = current?.EndpointConfigName;
                try
                {
                    var previous = current?.EndpointConfigName is null ? null
                        : await _target.GetEndpointConfigAsync(current.EndpointConfigName, ct).ConfigureAwait(false);
                    result.PreviousModelName = previous?.ModelName;
                }
                catch (RegistryException e) when (e.Kind != RegistryErrorKind.Invalid)
                {
                    // The deploy is done; not knowing the previous model's name must not turn it into a failure.
                }
            }
            return result;
        }

        private async Task SwitchOrCreateEndpointAsync(DeploymentPlan plan, Action<string>? progress, CancellationToken ct)
        {
            try
            {
                if (plan.UpdatesExistingEndpoint)
                {
                    progress?.Invoke($"Switching endpoint {plan.EndpointName} to {plan.EndpointConfigName}");
                    await _target.UpdateEndpointAsync(plan.EndpointName, plan.EndpointConfigName, ct).ConfigureAwait(false);
                }
                else
                {
                    progress?.Invoke($"Creating endpoint {plan.EndpointName}");
                    var endpointTags = plan.Tags.Where(t => t.Key != VersionArnTagKey).ToDictionary(t => t.Key, t => t.Value, StringComparer.Ordinal);
                    await _target.CreateEndpointAsync(plan.EndpointName, plan.EndpointConfigName, endpointTags, ct).ConfigureAwait(false);
                }
            }
            catch (RegistryException)
            {
                // Whatever the error, the request may have landed (a re-send can fail as "already existing"): if the
                // endpoint now names our config, it did — and rolling back would delete what it runs on.
                var now = await _target.GetEndpointAsync(plan.EndpointName, CancellationToken.None).ConfigureAwait(false);
                if (now != null && string.Equals(now.EndpointConfigName, plan.EndpointConfigName, StringComparison.OrdinalIgnoreCase)) return;
                throw;
            }
        }

        /// <summary>Deletes what this call created (newest first) and says exactly what is left.</summary>
        private async Task<Exception> RollBackAsync(Exception failure, List<(DeploymentResourceKind Kind, string Name)> created)
        {
            if (created.Count == 0) return failure;
            var removed = new List<string>();
            var remain = new List<string>();
            for (var i = created.Count - 1; i >= 0; i--)
            {
                var (kind, name) = created[i];
                try
                {
                    if (kind == DeploymentResourceKind.Model) await _target.DeleteModelAsync(name, CancellationToken.None).ConfigureAwait(false);
                    else await _target.DeleteEndpointConfigAsync(name, CancellationToken.None).ConfigureAwait(false);
                    removed.Add($"{kind.Label()} '{name}'");
                }
                catch (Exception e)
                {
                    remain.Add($"{kind.Label()} '{name}' (delete failed: {e.Message})");
                }
            }
            var kindOf = failure is RegistryException r ? r.Kind : failure is OperationCanceledException ? RegistryErrorKind.Conflict : RegistryErrorKind.Invalid;
            var message = failure.Message.TrimEnd('.') + ". " +
                (removed.Count > 0 ? $"Rolled back what this deploy created: {string.Join(", ", removed)}." : "") +
                (remain.Count > 0 ? $" These remain and need deleting: {string.Join(", ", remain)}." : " Nothing created by this deploy remains.");
            return new RegistryException(kindOf, message.Trim(), (failure as RegistryException)?.Target,
                (failure as RegistryException)?.ServiceCode, (failure as RegistryException)?.RequestId, failure, (failure as RegistryException)?.Reason);
        }

        private async Task RemovePreviousAsync(string previousConfig, DeploymentPlan plan, Action<string>? progress, CancellationToken ct)
        {
            if (string.Equals(previousConfig, plan.EndpointConfigName, StringComparison.OrdinalIgnoreCase)) return;
            var config = await _target.GetEndpointConfigAsync(previousConfig, ct).ConfigureAwait(false);
            if (config is null || !await IsManagedAsync(config.Arn, ct).ConfigureAwait(false)) return;
            progress?.Invoke($"Removing previous endpoint config {previousConfig}");
            await _target.DeleteEndpointConfigAsync(previousConfig, ct).ConfigureAwait(false);
            if (config.ModelName is null || string.Equals(config.ModelName, plan.ModelName, StringComparison.OrdinalIgnoreCase)) return;
            var model = await _target.GetModelAsync(config.ModelName, ct).ConfigureAwait(false);
            if (model is null || !await IsManagedAsync(model.Arn, ct).ConfigureAwait(false)) return;
            progress?.Invoke($"Removing previous model {model.Name}");
            await _target.DeleteModelAsync(model.Name, ct).ConfigureAwait(false);
        }

        /// <summary>
        /// Reads the endpoint until it is InService on <paramref name="expectedConfig"/> (or any config when null),
        /// Failed, or the timeout passes. InService on another config after a switch means the switch rolled back.
        /// </summary>
        public async Task<ModelRegistry.Deployment> WaitAsync(string endpointName, string? expectedConfig, TimeSpan timeout, Action<string>? progress, CancellationToken ct)
        {
            var clock = Stopwatch.StartNew();
            while (true)
            {
                var endpoint = await _target.GetEndpointAsync(endpointName, ct).ConfigureAwait(false)
                    ?? throw new RegistryException(RegistryErrorKind.NotFound, $"Endpoint '{endpointName}' does not exist (deleted while waiting?).", endpointName);
                progress?.Invoke($"Endpoint {endpointName}: {endpoint.Status} ({clock.Elapsed.TotalSeconds:0} s)");
                var onExpected = expectedConfig is null || string.Equals(endpoint.EndpointConfigName, expectedConfig, StringComparison.OrdinalIgnoreCase);
                if (endpoint.Status == "InService" && onExpected)
                    return await DescribeAsync(endpointName, ct).ConfigureAwait(false);
                if (endpoint.Status == "InService" || endpoint.Status == "Failed" || endpoint.Status == "OutOfService" || endpoint.Status == "UpdateRollbackFailed")
                {
                    var why = endpoint.Status == "InService"
                        ? $"the switch to '{expectedConfig}' rolled back; the endpoint still serves config '{endpoint.EndpointConfigName}'"
                        : $"the endpoint is {endpoint.Status}{(string.IsNullOrEmpty(endpoint.FailureReason) ? "" : ": " + endpoint.FailureReason)}";
                    throw new RegistryException(RegistryErrorKind.Failed, $"Deployment to '{endpointName}' failed: {why}.", endpointName);
                }
                if (clock.Elapsed >= timeout)
                    throw new RegistryException(RegistryErrorKind.TimedOut,
                        $"Endpoint '{endpointName}' is still {endpoint.Status} after {timeout.TotalSeconds:0} s. The deployment goes on; check it with Get-MRDeployment.",
                        endpointName);
                await Task.Delay(PollInterval, ct).ConfigureAwait(false);
            }
        }

        private static ModelRegistry.Deployment With(ModelRegistry.Deployment d, DeploymentChange change, DeploymentPlan plan)
        {
            d.Change = change;
            return d;
        }
    }
}
