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

    /// <summary>What removing one endpoint will delete, in order, and keep (from DeploymentOperations.PlanRemovalAsync).</summary>
    public sealed class RemovalPlan
    {
        internal const string Endpoint = "endpoint";
        internal const string Config = "endpoint config";
        internal const string Model = "model";

        internal RemovalPlan(string endpointName) { EndpointName = endpointName; }

        public string EndpointName { get; }
        /// <summary>(kind, name, label) in deletion order; the endpoint first.</summary>
        internal List<(string Kind, string Name, string What)> Steps { get; } = new List<(string, string, string)>();
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

    /// <summary>
    /// Deploying approved versions to endpoints, finding which version serves which endpoint, and removing
    /// deployments. Only Approved versions are deployed; whatever a failed deploy created is deleted again, or
    /// named in the error when it could not be.
    /// </summary>
    public sealed class DeploymentOperations
    {
        public const string ManagedByKey = "ManagedBy";
        public const string ManagedByValue = "ModelRegistry";
        public const string VersionArnTagKey = "ModelVersionArn";
        public const string GroupTagKey = "ModelGroup";
        public const string EndpointTagKey = "Endpoint";
        /// <summary>On a config that replaced one of another group's: that group, so removal can follow A → B → C switches.</summary>
        public const string PreviousGroupTagKey = "PreviousModelGroup";

        private static readonly Regex RoleArnPattern = new Regex(@"\Aarn:aws[a-z\-]*:iam::\d{12}:role/?[a-zA-Z_0-9+=,.@\-_/]+\z", RegexOptions.CultureInvariant);
        private static readonly Regex VersionArnPattern = new Regex(@"\Aarn:aws[a-z\-]*:sagemaker:[a-z0-9\-]*:[0-9]{12}:model-package/(?<group>[^/]+)/(?<version>[0-9]{1,9})\z", RegexOptions.CultureInvariant);
        private static readonly HashSet<string> Transitional = new HashSet<string>(StringComparer.Ordinal)
            { "Creating", "Updating", "SystemUpdating", "RollingBack", "Deleting" };

        private readonly IModelRegistry _registry;
        private readonly IDeploymentTarget _target;

        public DeploymentOperations(IModelRegistry registry)
        {
            _registry = registry ?? throw new ArgumentNullException(nameof(registry));
            _target = registry.Deployments;
        }

        /// <summary>Time between status reads while waiting (SageMaker endpoints take minutes).</summary>
        public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(15);

        /// <summary>Checks the request and the version, and works out names and what exists. Creates nothing.</summary>
        public async Task<DeploymentPlan> PlanAsync(DeployRequest request, CancellationToken ct)
        {
            if (request is null) throw new ArgumentNullException(nameof(request));
            var problems = Problems(request, _target.RequiresExecutionRole);
            if (problems.Count > 0)
                throw new RegistryException(RegistryErrorKind.Invalid,
                    $"Cannot deploy to '{request.EndpointName}': {string.Join("; ", problems)}. Nothing was created.", request.EndpointName);

            var version = await _registry.GetVersionAsync(request.ModelVersionArn, ct).ConfigureAwait(false)
                ?? throw new RegistryException(RegistryErrorKind.NotFound,
                    $"Model version '{request.ModelVersionArn}' does not exist in {_registry.Location}. Nothing was created.", request.ModelVersionArn);
            if (version.Status != ApprovalStatus.Approved)
                throw new RegistryException(RegistryErrorKind.Conflict,
                    $"Version {version.Version} of '{version.GroupName}' is {version.Status}; only Approved versions are deployed. Nothing was created.",
                    version.Arn);

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
                Tags = tags,
            };
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
                return With(same, "Unchanged", plan);
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

            var created = new List<(string Kind, string Name)>();
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
                    created.Add(("model", plan.ModelName));
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
                    created.Add(("endpoint config", plan.EndpointConfigName));
                }
                await SwitchOrCreateEndpointAsync(plan, progress, ct).ConfigureAwait(false);
            }
            catch (Exception ex) when (!(ex is OperationCanceledException) || created.Count > 0)
            {
                throw await RollBackAsync(ex, created).ConfigureAwait(false);
            }

            var change = plan.UpdatesExistingEndpoint ? "Updated" : "Created";
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
        private async Task<Exception> RollBackAsync(Exception failure, List<(string Kind, string Name)> created)
        {
            if (created.Count == 0) return failure;
            var removed = new List<string>();
            var remain = new List<string>();
            for (var i = created.Count - 1; i >= 0; i--)
            {
                var (kind, name) = created[i];
                try
                {
                    if (kind == "model") await _target.DeleteModelAsync(name, CancellationToken.None).ConfigureAwait(false);
                    else await _target.DeleteEndpointConfigAsync(name, CancellationToken.None).ConfigureAwait(false);
                    removed.Add($"{kind} '{name}'");
                }
                catch (Exception e)
                {
                    remain.Add($"{kind} '{name}' (delete failed: {e.Message})");
                }
            }
            var kindOf = failure is RegistryException r ? r.Kind : failure is OperationCanceledException ? RegistryErrorKind.Conflict : RegistryErrorKind.Invalid;
            var message = failure.Message.TrimEnd('.') + ". " +
                (removed.Count > 0 ? $"Rolled back what this deploy created: {string.Join(", ", removed)}." : "") +
                (remain.Count > 0 ? $" These remain and need deleting: {string.Join(", ", remain)}." : " Nothing created by this deploy remains.");
            return new RegistryException(kindOf, message.Trim(), (failure as RegistryException)?.Target,
                (failure as RegistryException)?.ServiceCode, (failure as RegistryException)?.RequestId, failure);
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

        // ---- which version serves which endpoint ---------------------------------------------------------------

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
                Status = endpoint.Status,
                FailureReason = endpoint.FailureReason,
                EndpointConfigName = endpoint.EndpointConfigName,
                Created = endpoint.Created,
                LastModified = endpoint.LastModified,
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

        // ---- removal -------------------------------------------------------------------------------------------

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

            plan.Steps.Add((RemovalPlan.Endpoint, endpoint.Name, $"endpoint '{endpoint.Name}'"));
            plan.Steps.AddRange(configs.Select(c => (RemovalPlan.Config, c.Name, c.Label)));
            plan.Steps.AddRange(models.Select(m => (RemovalPlan.Model, m.Name, m.Label)));
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
                    if (kind == RemovalPlan.Endpoint) await _target.DeleteEndpointAsync(name, ct).ConfigureAwait(false);
                    else if (kind == RemovalPlan.Config) await _target.DeleteEndpointConfigAsync(name, ct).ConfigureAwait(false);
                    else await _target.DeleteModelAsync(name, ct).ConfigureAwait(false);
                    deleted.Add(what);
                }
                catch (RegistryException e) when (kind == RemovalPlan.Endpoint)
                {
                    throw new RegistryException(e.Kind, $"Endpoint '{name}' was not removed: {e.Message}", name, e.ServiceCode, e.RequestId, e);
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

        // ---- checks --------------------------------------------------------------------------------------------

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

        private static ModelRegistry.Deployment With(ModelRegistry.Deployment d, string change, DeploymentPlan plan)
        {
            d.Change = change;
            return d;
        }
    }
}
