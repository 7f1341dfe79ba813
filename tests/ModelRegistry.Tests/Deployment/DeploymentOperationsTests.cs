using ModelRegistry.Engine.Deployment;
using ModelRegistry.Engine.Registry;
using ModelRegistry.Engine.Registry.Local;
using ModelRegistry.Tests.Contract;
using ModelRegistry.Tests.Support;

namespace ModelRegistry.Tests.Deployment;

/// <summary>
/// Deploy's failure paths on a Local registry whose deployment target is made to fail or to report scripted
/// statuses: rollback of what the call created, reporting what remains, waiting, and refusing early.
/// </summary>
public sealed class DeploymentOperationsTests : IDisposable
{
    private readonly TempFolder _folder = new();
    private readonly LocalRegistry _local;
    private readonly ScriptedTarget _target;
    private readonly WithTarget _registry;
    private static CancellationToken Ct => CancellationToken.None;

    public DeploymentOperationsTests()
    {
        // A folder per test: the assertions count every model and config in it.
        _local = new LocalRegistry(new RegistryConnection { Backend = RegistryBackend.Local, LocalPath = _folder.Path });
        _target = new ScriptedTarget(_local);
        _registry = new WithTarget(_local, _target);
    }

    public void Dispose()
    {
        _local.Dispose();
        _folder.Dispose();
    }

    private DeploymentOperations Operations => new(_registry) { PollInterval = TimeSpan.Zero };

    private async Task<ModelVersion> ApprovedVersion()
    {
        var group = $"ops-{Guid.NewGuid():N}"[..16];
        await _local.CreateGroupAsync(group, "ops", new Dictionary<string, string>(), Ct);
        return await _local.RegisterVersionAsync(TestSpecs.Minimal(group, ApprovalStatus.Approved), Ct);
    }

    private static DeployRequest Request(ModelVersion v, string endpoint, bool wait = false) =>
        new() { ModelVersionArn = v.Arn, EndpointName = endpoint, Wait = wait, Timeout = TimeSpan.FromMinutes(1) };

    [Fact]
    public async Task A_failed_endpoint_creation_deletes_the_model_and_config_this_call_created()
    {
        var v = await ApprovedVersion();
        _target.FailCreateEndpoint = new RegistryException(RegistryErrorKind.AccessDenied, "AccessDeniedException: not allowed", "ep-a");

        var e = await Assert.ThrowsAsync<RegistryException>(() => Operations.DeployAsync(Request(v, "ep-a"), null, Ct));

        Assert.Equal(RegistryErrorKind.AccessDenied, e.Kind);
        Assert.Contains("Rolled back", e.Message);
        Assert.Contains("Nothing created by this deploy remains", e.Message);
        Assert.Empty(_local.EnumerateModelNames());
        Assert.Empty(_local.EnumerateConfigNames());
    }

    [Fact]
    public async Task When_the_rollback_fails_the_error_names_exactly_what_remains()
    {
        var v = await ApprovedVersion();
        _target.FailCreateEndpoint = new RegistryException(RegistryErrorKind.Invalid, "ValidationException: bad", "ep-b");
        _target.FailDeleteModel = new RegistryException(RegistryErrorKind.Unavailable, "connection reset", "m");

        var e = await Assert.ThrowsAsync<RegistryException>(() => Operations.DeployAsync(Request(v, "ep-b"), null, Ct));

        var model = Assert.Single(_local.EnumerateModelNames());
        Assert.Contains($"These remain and need deleting: model '{model}'", e.Message);
        Assert.Contains("endpoint config", e.Message); // rolled back
        Assert.Empty(_local.EnumerateConfigNames());
    }

    [Fact]
    public async Task When_earlier_configs_cannot_be_listed_removal_goes_ahead_and_says_what_was_not_looked_for()
    {
        var v = await ApprovedVersion();
        await Operations.DeployAsync(Request(v, "ep-l"), null, Ct);
        _target.FailListings = new RegistryException(RegistryErrorKind.AccessDenied, "not authorized to perform sagemaker:ListEndpointConfigs", null);

        var removed = await Operations.RemoveAsync("ep-l", planOnly: false, Ct);

        Assert.Equal(3, removed.Deleted.Count);
        var note = Assert.Single(removed.Kept);
        Assert.Contains("could not be looked for", note);
        Assert.Contains("sagemaker:ListEndpointConfigs", note);
        Assert.Empty(_local.EnumerateModelNames());
        Assert.Empty(_local.EnumerateConfigNames());
    }

    [Fact]
    public async Task A_shadow_variant_serves_its_version_without_becoming_the_primary()
    {
        var v = await ApprovedVersion();
        var shadowVersion = await _local.RegisterVersionAsync(TestSpecs.Minimal(v.GroupName, ApprovalStatus.Approved), Ct);
        await _target.CreateModelAsync(new HostedModelSpec { Name = "shadow-model", ModelVersionArn = shadowVersion.Arn }, Ct);
        await Operations.DeployAsync(Request(v, "ep-s"), null, Ct);
        _target.ExtraVariants.Add(new EndpointVariantInfo { Name = "shadow", ModelName = "shadow-model", InstanceType = "ml.m5.large", InstanceCount = 1, Weight = 5, IsShadow = true });

        var d = await Operations.DescribeAsync("ep-s", Ct);

        Assert.Equal(v.Arn, d.ModelVersionArn);
        Assert.Equal(new[] { v.Arn, shadowVersion.Arn }, d.ModelVersionArns);
        Assert.True(d.Variants[1].IsShadow);
        Assert.Equal(shadowVersion.Version, d.Variants[1].Version);
        Assert.Equal(new[] { "ep-s" }, await new DeployedVersions(_registry).EndpointsServingAsync(shadowVersion.Arn, Ct));
    }

    [Fact]
    public async Task The_versions_of_a_config_an_update_is_switching_to_count_as_deployed()
    {
        var v1 = await ApprovedVersion();
        var v2 = await _local.RegisterVersionAsync(TestSpecs.Minimal(v1.GroupName, ApprovalStatus.Approved), Ct);
        await Operations.DeployAsync(Request(v1, "ep-u"), null, Ct);
        await _target.CreateModelAsync(new HostedModelSpec { Name = "next-model", ModelVersionArn = v2.Arn }, Ct);
        await _target.CreateEndpointConfigAsync(new EndpointConfigSpec { Name = "next-config", ModelName = "next-model", InstanceType = "ml.m5.large", InstanceCount = 1 }, Ct);
        _target.PendingConfig = "next-config";

        var d = await Operations.DescribeAsync("ep-u", Ct);

        Assert.Equal(v1.Arn, d.ModelVersionArn);
        Assert.Equal("next-config", d.PendingEndpointConfigName);
        Assert.Equal(new[] { v1.Arn, v2.Arn }, d.ModelVersionArns);
        Assert.Equal(new[] { "ep-u" }, await new DeployedVersions(_registry).EndpointsServingAsync(v2.Arn, Ct));
    }

    [Fact]
    public async Task An_ambiguous_failure_after_the_endpoint_landed_counts_as_success()
    {
        var v = await ApprovedVersion();
        _target.LandThenFailCreateEndpoint = true;

        var d = await Operations.DeployAsync(Request(v, "ep-c"), null, Ct);

        Assert.Equal(DeploymentChange.Created, d.Change);
        Assert.Equal(v.Arn, d.ModelVersionArn);
    }

    [Fact]
    public async Task Wait_reads_the_status_until_InService_and_reports_each_read()
    {
        var v = await ApprovedVersion();
        _target.Statuses.Enqueue("Creating");
        _target.Statuses.Enqueue("Creating");
        var heard = new List<string>();

        var d = await Operations.DeployAsync(Request(v, "ep-d", wait: true), heard.Add, Ct);

        Assert.Equal(EndpointStatus.InService, d.Status);
        Assert.Equal(3, heard.Count(h => h.StartsWith("Endpoint ep-d:", StringComparison.Ordinal)));
        Assert.Contains(heard, h => h.Contains("Creating"));
    }

    [Fact]
    public async Task Wait_reports_a_Failed_endpoint_with_its_reason()
    {
        var v = await ApprovedVersion();
        _target.Statuses.Enqueue("Failed");
        _target.FailureReason = "image pull failed";

        var e = await Assert.ThrowsAsync<RegistryException>(() => Operations.DeployAsync(Request(v, "ep-e", wait: true), null, Ct));

        Assert.Equal(RegistryErrorKind.Failed, e.Kind);
        Assert.Contains("image pull failed", e.Message);
    }

    [Fact]
    public async Task Wait_gives_up_after_the_timeout_with_TimedOut()
    {
        var v = await ApprovedVersion();
        _target.Statuses.Enqueue("Creating");
        var request = Request(v, "ep-f", wait: true);
        request.Timeout = TimeSpan.Zero;

        var e = await Assert.ThrowsAsync<RegistryException>(() => Operations.DeployAsync(request, null, Ct));

        Assert.Equal(RegistryErrorKind.TimedOut, e.Kind);
        Assert.Contains("Get-MRDeployment", e.Message);
    }

    [Fact]
    public async Task An_endpoint_mid_update_is_refused_before_anything_is_created()
    {
        var v1 = await ApprovedVersion();
        await Operations.DeployAsync(Request(v1, "ep-g"), null, Ct);
        var v2 = await _local.RegisterVersionAsync(TestSpecs.Minimal(v1.GroupName, ApprovalStatus.Approved), Ct);
        var models = _local.EnumerateModelNames().Count;
        _target.Statuses.Enqueue("Updating"); // read by the plan
        _target.Statuses.Enqueue("Updating"); // read again just before acting

        var e = await Assert.ThrowsAsync<RegistryException>(() => Operations.DeployAsync(Request(v2, "ep-g"), null, Ct));

        Assert.Equal(RegistryErrorKind.Conflict, e.Kind);
        Assert.Contains("Updating", e.Message);
        Assert.Equal(models, _local.EnumerateModelNames().Count);
    }

    [Fact]
    public async Task Bad_requests_are_refused_before_any_call_with_every_problem_named()
    {
        var v = await ApprovedVersion();
        var e = await Assert.ThrowsAsync<RegistryException>(() => Operations.DeployAsync(
            new DeployRequest { ModelVersionArn = v.Arn, EndpointName = "bad_name", InstanceType = "ml.nope.large", InstanceCount = 0, ExecutionRoleArn = "role" }, null, Ct));
        Assert.Equal(RegistryErrorKind.Invalid, e.Kind);
        Assert.Contains("bad_name", e.Message);
        Assert.Contains("ml.nope.large", e.Message);
        Assert.Contains("at least 1", e.Message);
        Assert.Contains("IAM role ARN", e.Message);
        Assert.Equal(0, _target.Calls);
    }

    [Fact]
    public void A_backend_that_needs_an_execution_role_refuses_a_request_without_one()
    {
        var problems = DeploymentOperations.Problems(new DeployRequest { ModelVersionArn = "arn:aws:sagemaker:us-east-1:123456789012:model-package/g/1", EndpointName = "ep" }, requiresRole: true);
        Assert.Contains(problems, p => p.Contains("SAGEMAKER_EXECUTION_ROLE_ARN"));
        Assert.Empty(DeploymentOperations.Problems(new DeployRequest { ModelVersionArn = "arn:aws:sagemaker:us-east-1:123456789012:model-package/g/1", EndpointName = "ep" }, requiresRole: false));
    }

    /// <summary>The Local target, with failures and endpoint statuses scripted by the test.</summary>
    private sealed class ScriptedTarget : IDeploymentTarget
    {
        private readonly IDeploymentTarget _inner;
        public ScriptedTarget(IDeploymentTarget inner) { _inner = inner; }

        public RegistryException? FailCreateEndpoint { get; set; }
        public RegistryException? FailDeleteModel { get; set; }
        public bool LandThenFailCreateEndpoint { get; set; }
        public Queue<string> Statuses { get; } = new();
        public string? FailureReason { get; set; }
        public int Calls;

        public bool ServesTraffic => _inner.ServesTraffic;
        public bool RequiresExecutionRole => _inner.RequiresExecutionRole;
        public Task<string> CreateModelAsync(HostedModelSpec spec, CancellationToken ct) { Calls++; return _inner.CreateModelAsync(spec, ct); }
        public Task<HostedModel?> GetModelAsync(string name, CancellationToken ct) { Calls++; return _inner.GetModelAsync(name, ct); }
        public Task DeleteModelAsync(string name, CancellationToken ct) { Calls++; return FailDeleteModel != null ? Task.FromException(FailDeleteModel) : _inner.DeleteModelAsync(name, ct); }
        public Task<string> CreateEndpointConfigAsync(EndpointConfigSpec spec, CancellationToken ct) { Calls++; return _inner.CreateEndpointConfigAsync(spec, ct); }
        /// <summary>Reported as the config an update in progress switches every endpoint to.</summary>
        public string? PendingConfig { get; set; }
        /// <summary>Variants added to every config read (as if set up by other tools).</summary>
        public List<EndpointVariantInfo> ExtraVariants { get; } = new();
        public async Task<EndpointConfigInfo?> GetEndpointConfigAsync(string name, CancellationToken ct)
        {
            Calls++;
            var config = await _inner.GetEndpointConfigAsync(name, ct);
            if (config != null && ExtraVariants.Count > 0) config.Variants = config.Variants.Concat(ExtraVariants).ToList();
            return config;
        }
        public Task DeleteEndpointConfigAsync(string name, CancellationToken ct) { Calls++; return _inner.DeleteEndpointConfigAsync(name, ct); }
        public RegistryException? FailListings { get; set; }
        public Task<Page<HostedModel>> ListModelsAsync(string? nameContains, string? nextToken, int pageSize, CancellationToken ct)
        { Calls++; return FailListings != null ? Task.FromException<Page<HostedModel>>(FailListings) : _inner.ListModelsAsync(nameContains, nextToken, pageSize, ct); }
        public Task<Page<EndpointConfigInfo>> ListEndpointConfigsAsync(string? nameContains, string? nextToken, int pageSize, CancellationToken ct)
        { Calls++; return FailListings != null ? Task.FromException<Page<EndpointConfigInfo>>(FailListings) : _inner.ListEndpointConfigsAsync(nameContains, nextToken, pageSize, ct); }

        public async Task<string> CreateEndpointAsync(string name, string config, IReadOnlyDictionary<string, string> tags, CancellationToken ct)
        {
            Calls++;
            if (FailCreateEndpoint != null) throw FailCreateEndpoint;
            var arn = await _inner.CreateEndpointAsync(name, config, tags, ct);
            if (LandThenFailCreateEndpoint) throw new RegistryException(RegistryErrorKind.Unavailable, "timed out reading the reply", name);
            return arn;
        }

        public Task UpdateEndpointAsync(string name, string config, CancellationToken ct) { Calls++; return _inner.UpdateEndpointAsync(name, config, ct); }

        public async Task<EndpointInfo?> GetEndpointAsync(string name, CancellationToken ct)
        {
            Calls++;
            var e = await _inner.GetEndpointAsync(name, ct);
            if (e != null && PendingConfig != null) e.PendingEndpointConfigName = PendingConfig;
            if (e != null && Statuses.Count > 0)
            {
                e.Status = Statuses.Dequeue();
                e.FailureReason = e.Status == "Failed" ? FailureReason : null;
            }
            return e;
        }

        public Task<Page<EndpointInfo>> ListEndpointsAsync(string? nameContains, string? nextToken, int pageSize, CancellationToken ct) { Calls++; return _inner.ListEndpointsAsync(nameContains, nextToken, pageSize, ct); }
        public Task DeleteEndpointAsync(string name, CancellationToken ct) { Calls++; return _inner.DeleteEndpointAsync(name, ct); }
        public Task<IReadOnlyDictionary<string, string>> GetResourceTagsAsync(string arn, CancellationToken ct) { Calls++; return _inner.GetResourceTagsAsync(arn, ct); }
    }

    /// <summary>A registry that is the Local one in all but its deployment target.</summary>
    private sealed class WithTarget : IModelRegistry
    {
        private readonly IModelRegistry _inner;
        public WithTarget(IModelRegistry inner, IDeploymentTarget target) { _inner = inner; Deployments = target; }
        public IDeploymentTarget Deployments { get; }
        public string Location => _inner.Location;
        public string GroupArn(string groupName) => _inner.GroupArn(groupName);
        public Task<ModelGroup?> GetGroupAsync(string name, CancellationToken ct) => _inner.GetGroupAsync(name, ct);
        public Task<Page<ModelGroup>> ListGroupsAsync(string? nameContains, string? nextToken, int pageSize, NameOrder order, CancellationToken ct) => _inner.ListGroupsAsync(nameContains, nextToken, pageSize, order, ct);
        public Task<ModelGroup> CreateGroupAsync(string name, string description, IReadOnlyDictionary<string, string> tags, CancellationToken ct) => _inner.CreateGroupAsync(name, description, tags, ct);
        public Task DeleteGroupAsync(string name, CancellationToken ct) => _inner.DeleteGroupAsync(name, ct);
        public Task<string?> GetGroupPolicyAsync(string groupName, CancellationToken ct) => _inner.GetGroupPolicyAsync(groupName, ct);
        public Task PutGroupPolicyAsync(string groupName, string policy, CancellationToken ct) => _inner.PutGroupPolicyAsync(groupName, policy, ct);
        public Task DeleteGroupPolicyAsync(string groupName, CancellationToken ct) => _inner.DeleteGroupPolicyAsync(groupName, ct);
        public Task<IReadOnlyDictionary<string, string>> GetTagsAsync(string arn, CancellationToken ct) => _inner.GetTagsAsync(arn, ct);
        public Task AddTagsAsync(string arn, IReadOnlyDictionary<string, string> tags, CancellationToken ct) => _inner.AddTagsAsync(arn, tags, ct);
        public Task RemoveTagsAsync(string arn, IReadOnlyCollection<string> keys, CancellationToken ct) => _inner.RemoveTagsAsync(arn, keys, ct);
        public Task<Page<ModelVersion>> ListVersionsAsync(VersionQuery query, string? nextToken, CancellationToken ct) => _inner.ListVersionsAsync(query, nextToken, ct);
        public Task<ModelVersion?> GetVersionAsync(string arn, CancellationToken ct) => _inner.GetVersionAsync(arn, ct);
        public Task<ModelVersion> RegisterVersionAsync(VersionSpec spec, CancellationToken ct) => _inner.RegisterVersionAsync(spec, ct);
        public Task<ModelVersion> UpdateVersionAsync(string arn, VersionUpdate update, CancellationToken ct) => _inner.UpdateVersionAsync(arn, update, ct);
        public Task DeleteVersionAsync(string arn, CancellationToken ct) => _inner.DeleteVersionAsync(arn, ct);
        public Task<string?> GetCallerAccountAsync(CancellationToken ct) => _inner.GetCallerAccountAsync(ct);
        public void Dispose() { }
    }
}
