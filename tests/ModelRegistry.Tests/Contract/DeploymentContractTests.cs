using ModelRegistry.Engine.Operations;
using ModelRegistry.Engine.Deployment;
using ModelRegistry.Engine.Registry;
using ModelRegistry.Engine.Registry.Local;
using ModelRegistry.Tests.Support;

namespace ModelRegistry.Tests.Contract;

/// <summary>
/// Deploying on every backend: refuse unapproved versions, deploy, switch an existing endpoint, answer which
/// version serves which endpoint, remove. Where an emulator lacks an operation the test is skipped with the
/// reason; its quirk is never asserted as SageMaker's behaviour.
/// </summary>
public abstract class DeploymentContractTests : IDisposable
{
    protected const string ExecutionRole = "arn:aws:iam::123456789012:role/sagemaker-execution";
    private IModelRegistry? _registry;

    protected abstract IModelRegistry CreateRegistry();

    /// <summary>Why UpdateEndpoint cannot be used (moto: "update_endpoint has not been implemented", HTML 500); null: it can.</summary>
    protected virtual string? NoEndpointUpdate => null;

    protected IModelRegistry Registry => _registry ??= CreateRegistry();
    protected IDeploymentTarget Target => Registry.Deployments;
    protected DeploymentOperations Operations => new(Registry) { PollInterval = TimeSpan.Zero };
    private static CancellationToken Ct => CancellationToken.None;

    public void Dispose()
    {
        _registry?.Dispose();
        GC.SuppressFinalize(this);
    }

    private static string Unique(string stem) => $"{stem}-{Guid.NewGuid():N}"[..(stem.Length + 13)];

    private async Task<(string Group, ModelVersion Version)> GroupWithVersion(ApprovalStatus status)
    {
        var group = Unique("dc");
        await Registry.CreateGroupAsync(group, "deploy contract", new Dictionary<string, string> { ["Team"] = "rc", ["Project"] = "fraud" }, Ct);
        return (group, await RegisterVersion(group, status));
    }

    private Task<ModelVersion> RegisterVersion(string group, ApprovalStatus status) => Registry.RegisterVersionAsync(TestSpecs.Full(group, status), Ct);

    private DeployRequest Request(ModelVersion v, string endpoint) => new()
    {
        ModelVersionArn = v.Arn,
        EndpointName = endpoint,
        ExecutionRoleArn = Target.RequiresExecutionRole ? ExecutionRole : null,
        Wait = true,
        Timeout = TimeSpan.FromMinutes(5),
    };

    [Theory]
    [InlineData(ApprovalStatus.PendingManualApproval)]
    [InlineData(ApprovalStatus.Rejected)]
    public async Task Deploying_a_version_that_is_not_approved_is_refused_and_creates_nothing(ApprovalStatus status)
    {
        var (_, version) = await GroupWithVersion(status);
        var endpoint = Unique("ep");

        var e = await Assert.ThrowsAsync<RegistryException>(() => Operations.DeployAsync(Request(version, endpoint), null, Ct));

        Assert.Equal(RegistryErrorKind.Conflict, e.Kind);
        Assert.Equal(VersionGuards.NotApproved, e.Reason);
        Assert.Contains(status.ToString(), e.Message);
        Assert.Contains("Nothing was created", e.Message);
        Assert.Null(await Target.GetEndpointAsync(endpoint, Ct));
        var name = DeploymentNaming.ResourceName(version.GroupName, version.Version,
            DeploymentNaming.Hash(version.Arn, endpoint, "ml.m5.large", 1, Request(version, endpoint).ExecutionRoleArn));
        Assert.Null(await Target.GetModelAsync(name, Ct));
        Assert.Null(await Target.GetEndpointConfigAsync(name, Ct));
    }

    [Fact]
    public async Task A_version_rejected_after_the_plan_was_confirmed_is_not_deployed()
    {
        // Planned (and confirmed) while Approved; a reviewer rejects it before the run starts.
        var (_, version) = await GroupWithVersion(ApprovalStatus.Approved);
        var endpoint = Unique("ep");
        var request = Request(version, endpoint);
        var plan = await Operations.PlanAsync(request, Ct);
        await Registry.UpdateVersionAsync(version.Arn, VersionUpdate.Approval(ApprovalStatus.Rejected, "late finding"), Ct);

        var e = await Assert.ThrowsAsync<RegistryException>(() => Operations.ExecuteAsync(plan, request, null, Ct));

        Assert.Equal(VersionGuards.NotApproved, e.Reason);
        Assert.Null(await Target.GetEndpointAsync(endpoint, Ct));
        Assert.Null(await Target.GetModelAsync(plan.ModelName, Ct));
        Assert.Null(await Target.GetEndpointConfigAsync(plan.EndpointConfigName, Ct));
    }

    [Fact]
    public async Task Deploy_creates_a_tagged_model_config_and_endpoint_and_Describe_says_which_version_serves_it()
    {
        var (group, version) = await GroupWithVersion(ApprovalStatus.Approved);
        var endpoint = Unique("ep");

        var deployed = await Operations.DeployAsync(Request(version, endpoint), null, Ct);

        Assert.Equal(DeploymentChange.Created, deployed.Change);
        Assert.Equal(EndpointStatus.InService, deployed.Status);
        Assert.Equal(version.Arn, deployed.ModelVersionArn);
        Assert.Equal(group, deployed.GroupName);
        Assert.Equal(version.Version, deployed.Version);
        Assert.Equal("ml.m5.large", deployed.InstanceType);
        Assert.Equal(1, deployed.InstanceCount);
        Assert.Equal("AllTraffic", deployed.VariantName);
        Assert.True(deployed.ManagedByModule);
        Assert.Equal(!Target.ServesTraffic, deployed.IsRecord);
        Assert.StartsWith(DeploymentNaming.ResourcePrefix(group), deployed.ModelName);

        var config = await Target.GetEndpointConfigAsync(deployed.EndpointConfigName!, Ct);
        var tags = await Target.GetResourceTagsAsync(config!.Arn, Ct);
        Assert.Equal("ModelRegistry", tags["ManagedBy"]);
        Assert.Equal(version.Arn, tags["ModelVersionArn"]);
        Assert.Equal(group, tags["ModelGroup"]);
        Assert.Equal("rc", tags["Team"]);
        Assert.Equal("fraud", tags["Project"]);
        var model = await Target.GetModelAsync(deployed.ModelName!, Ct);
        Assert.Equal(version.Arn, model!.ModelVersionArn);

        var again = await Operations.DescribeAsync(endpoint, Ct);
        Assert.Equal(version.Arn, again.ModelVersionArn);
    }

    [Fact]
    public async Task Deploying_the_same_version_to_the_same_endpoint_again_changes_nothing()
    {
        var (_, version) = await GroupWithVersion(ApprovalStatus.Approved);
        var endpoint = Unique("ep");
        var first = await Operations.DeployAsync(Request(version, endpoint), null, Ct);

        var plan = await Operations.PlanAsync(Request(version, endpoint), Ct);
        var second = await Operations.DeployAsync(Request(version, endpoint), null, Ct);

        Assert.True(plan.Unchanged);
        Assert.Equal(DeploymentChange.Unchanged, second.Change);
        Assert.Equal(first.EndpointConfigName, second.EndpointConfigName);
    }

    [SkippableFact]
    public async Task Deploying_a_new_version_switches_the_existing_endpoint_and_keeps_the_old_config_and_model()
    {
        Capabilities.Require(NoEndpointUpdate);
        var (group, v1) = await GroupWithVersion(ApprovalStatus.Approved);
        var v2 = await RegisterVersion(group, ApprovalStatus.Approved);
        var endpoint = Unique("ep");
        var first = await Operations.DeployAsync(Request(v1, endpoint), null, Ct);

        var plan = await Operations.PlanAsync(Request(v2, endpoint), Ct);
        var second = await Operations.DeployAsync(Request(v2, endpoint), null, Ct);

        Assert.True(plan.UpdatesExistingEndpoint);
        Assert.Equal(first.EndpointConfigName, plan.CurrentEndpointConfigName);
        Assert.Equal(DeploymentChange.Updated, second.Change);
        Assert.Equal(v2.Arn, second.ModelVersionArn);
        Assert.Equal(first.EndpointConfigName, second.PreviousEndpointConfigName);
        Assert.NotNull(await Target.GetEndpointConfigAsync(first.EndpointConfigName!, Ct));
        Assert.NotNull(await Target.GetModelAsync(first.ModelName!, Ct));
        Assert.Equal(v2.Arn, (await Operations.DescribeAsync(endpoint, Ct)).ModelVersionArn);
    }

    [SkippableFact]
    public async Task RemovePrevious_deletes_the_old_config_and_model_after_the_switch()
    {
        Capabilities.Require(NoEndpointUpdate);
        var (group, v1) = await GroupWithVersion(ApprovalStatus.Approved);
        var v2 = await RegisterVersion(group, ApprovalStatus.Approved);
        var endpoint = Unique("ep");
        var first = await Operations.DeployAsync(Request(v1, endpoint), null, Ct);

        var request = Request(v2, endpoint);
        request.RemovePrevious = true;
        await Operations.DeployAsync(request, null, Ct);

        Assert.Null(await Target.GetEndpointConfigAsync(first.EndpointConfigName!, Ct));
        Assert.Null(await Target.GetModelAsync(first.ModelName!, Ct));
    }

    [Fact]
    public async Task Endpoints_deployed_by_other_tools_are_found_when_their_model_references_a_version()
    {
        var (group, version) = await GroupWithVersion(ApprovalStatus.Approved);
        var name = Unique("other");
        await Target.CreateModelAsync(new HostedModelSpec { Name = name, ModelVersionArn = version.Arn, ExecutionRoleArn = Target.RequiresExecutionRole ? ExecutionRole : null }, Ct);
        await Target.CreateEndpointConfigAsync(new EndpointConfigSpec { Name = name, ModelName = name, InstanceType = "ml.c5.xlarge", InstanceCount = 2 }, Ct);
        await Target.CreateEndpointAsync(name, name, new Dictionary<string, string>(), Ct);

        var all = Operations.EnumerateEndpoints(Ct).Select(e => e.Name).ToList();
        Assert.Contains(name, all);
        var found = Operations.DescribeMany(new[] { name }, 4, Ct).Single().Result!;

        Assert.Equal(group, found.GroupName);
        Assert.Equal(version.Version, found.Version);
        Assert.Equal("ml.c5.xlarge", found.InstanceType);
        Assert.Equal(2, found.InstanceCount);
        Assert.False(found.ManagedByModule);
    }

    [Fact]
    public async Task Remove_deletes_the_endpoint_and_what_the_module_created_and_keeps_what_others_created()
    {
        var (_, version) = await GroupWithVersion(ApprovalStatus.Approved);
        var endpoint = Unique("ep");
        var deployed = await Operations.DeployAsync(Request(version, endpoint), null, Ct);

        var plan = await Operations.RemoveAsync(endpoint, planOnly: true, Ct);
        Assert.True(plan.IsPlan);
        Assert.Equal(3, plan.Deleted.Count);
        Assert.NotNull(await Target.GetEndpointAsync(endpoint, Ct));

        var removed = await Operations.RemoveAsync(endpoint, planOnly: false, Ct);
        Assert.Equal(3, removed.Deleted.Count);
        Assert.Empty(removed.Failed);
        Assert.Null(await Target.GetEndpointAsync(endpoint, Ct));
        Assert.Null(await Target.GetEndpointConfigAsync(deployed.EndpointConfigName!, Ct));
        Assert.Null(await Target.GetModelAsync(deployed.ModelName!, Ct));

        // Another tool's endpoint: its config and model are not the module's to delete.
        var other = Unique("other");
        await Target.CreateModelAsync(new HostedModelSpec { Name = other, ModelVersionArn = version.Arn, ExecutionRoleArn = Target.RequiresExecutionRole ? ExecutionRole : null }, Ct);
        await Target.CreateEndpointConfigAsync(new EndpointConfigSpec { Name = other, ModelName = other, InstanceType = "ml.m5.large", InstanceCount = 1 }, Ct);
        await Target.CreateEndpointAsync(other, other, new Dictionary<string, string>(), Ct);
        var kept = await Operations.RemoveAsync(other, planOnly: false, Ct);
        Assert.Single(kept.Deleted);
        Assert.Equal(2, kept.Kept.Count);
        Assert.NotNull(await Target.GetModelAsync(other, Ct));
        Assert.NotNull(await Target.GetEndpointConfigAsync(other, Ct));
    }

    [Fact]
    public async Task Remove_also_deletes_earlier_configs_and_models_made_for_the_endpoint_and_nothing_else()
    {
        var (group, v1) = await GroupWithVersion(ApprovalStatus.Approved);
        var v2 = await RegisterVersion(group, ApprovalStatus.Approved);
        var endpoint = Unique("ep");
        var deployed = await Operations.DeployAsync(Request(v2, endpoint), null, Ct);
        // What a switch from v1 leaves behind, and look-alikes that are not this endpoint's: another endpoint's, and
        // one without the module's tag.
        var earlier = await LeftOver(group, v1, endpoint);
        var othersEndpoint = await LeftOver(group, v1, "another-endpoint");
        var untagged = await LeftOver(group, v1, endpoint, managed: false);

        var plan = await Operations.RemoveAsync(endpoint, planOnly: true, Ct);
        Assert.Equal(5, plan.Deleted.Count);
        Assert.Contains($"earlier endpoint config '{earlier}'", plan.Deleted);
        Assert.Contains($"earlier model '{earlier}'", plan.Deleted);
        Assert.NotNull(await Target.GetEndpointConfigAsync(earlier, Ct));

        var removed = await Operations.RemoveAsync(endpoint, planOnly: false, Ct);
        Assert.Empty(removed.Failed);
        Assert.Empty(removed.Kept);
        Assert.Equal(plan.Deleted, removed.Deleted);
        foreach (var gone in new[] { earlier, deployed.ModelName! })
        {
            Assert.Null(await Target.GetModelAsync(gone, Ct));
            Assert.Null(await Target.GetEndpointConfigAsync(gone, Ct));
        }
        foreach (var stays in new[] { othersEndpoint, untagged })
        {
            Assert.NotNull(await Target.GetModelAsync(stays, Ct));
            Assert.NotNull(await Target.GetEndpointConfigAsync(stays, Ct));
        }
    }

    /// <summary>An earlier config and model made for <paramref name="endpoint"/> as a switch would have left them
    /// (made directly: moto has no UpdateEndpoint).</summary>
    private async Task<string> LeftOver(string group, ModelVersion v, string endpoint, bool managed = true)
    {
        var role = Target.RequiresExecutionRole ? ExecutionRole : null;
        var name = DeploymentNaming.ResourceName(group, v.Version, DeploymentNaming.Hash(v.Arn, endpoint + (managed ? "-old" : "-hand"), "ml.m5.large", 1, role));
        var tags = new Dictionary<string, string> { [DeploymentOperations.EndpointTagKey] = endpoint, [DeploymentOperations.GroupTagKey] = group };
        if (managed) tags[DeploymentOperations.ManagedByKey] = DeploymentOperations.ManagedByValue;
        await Target.CreateModelAsync(new HostedModelSpec { Name = name, ModelVersionArn = v.Arn, ExecutionRoleArn = role, Tags = tags }, Ct);
        await Target.CreateEndpointConfigAsync(new EndpointConfigSpec { Name = name, ModelName = name, InstanceType = "ml.m5.large", InstanceCount = 1, Tags = tags }, Ct);
        return name;
    }

    [Fact]
    public async Task Remove_keeps_an_earlier_config_another_endpoint_runs_on_and_says_so()
    {
        var (group, v1) = await GroupWithVersion(ApprovalStatus.Approved);
        var endpoint = Unique("ep");
        await Operations.DeployAsync(Request(v1, endpoint), null, Ct);
        var earlier = await LeftOver(group, v1, endpoint);
        var borrower = Unique("borrow");
        await Target.CreateEndpointAsync(borrower, earlier, new Dictionary<string, string>(), Ct); // by hand, on our config

        var removed = await Operations.RemoveAsync(endpoint, planOnly: false, Ct);

        Assert.Equal(3, removed.Deleted.Count);
        Assert.Contains(removed.Kept, k => k.Contains($"'{earlier}'") && k.Contains($"used by endpoint '{borrower}'"));
        Assert.NotNull(await Target.GetEndpointConfigAsync(earlier, Ct));
        Assert.NotNull(await Target.GetModelAsync(earlier, Ct));
        Assert.NotNull(await Target.GetEndpointAsync(borrower, Ct));
    }

    [Fact]
    public async Task Remove_deletes_what_the_plan_showed_and_nothing_found_after_it()
    {
        var (group, v1) = await GroupWithVersion(ApprovalStatus.Approved);
        var endpoint = Unique("ep");
        await Operations.DeployAsync(Request(v1, endpoint), null, Ct);
        var plan = await Operations.PlanRemovalAsync(endpoint, Ct);
        var lateComer = await LeftOver(group, v1, endpoint);

        var removed = await Operations.RemoveAsync(plan, Ct);

        Assert.Equal(plan.Preview().Deleted, removed.Deleted);
        Assert.NotNull(await Target.GetEndpointConfigAsync(lateComer, Ct));
        Assert.Null(await Target.GetEndpointAsync(endpoint, Ct));
    }

    [SkippableFact]
    public async Task After_switches_across_four_groups_Remove_follows_them_all_back()
    {
        Capabilities.Require(NoEndpointUpdate);
        var endpoint = Unique("ep");
        var names = new List<string>();
        for (var i = 0; i < 4; i++)
        {
            var (_, v) = await GroupWithVersion(ApprovalStatus.Approved);
            names.Add((await Operations.DeployAsync(Request(v, endpoint), null, Ct)).ModelName!);
        }

        var removed = await Operations.RemoveAsync(endpoint, planOnly: false, Ct);

        Assert.Empty(removed.Kept);
        Assert.Equal(9, removed.Deleted.Count);
        foreach (var name in names)
        {
            Assert.Null(await Target.GetModelAsync(name, Ct));
            Assert.Null(await Target.GetEndpointConfigAsync(name, Ct));
        }
    }

    [SkippableFact]
    public async Task A_group_left_behind_is_still_found_after_RemovePrevious_drops_the_config_that_named_it()
    {
        Capabilities.Require(NoEndpointUpdate);
        var endpoint = Unique("ep");
        var (_, x) = await GroupWithVersion(ApprovalStatus.Approved);
        var (_, a) = await GroupWithVersion(ApprovalStatus.Approved);
        var (groupB, b1) = await GroupWithVersion(ApprovalStatus.Approved);
        var b2 = await RegisterVersion(groupB, ApprovalStatus.Approved);
        await Operations.DeployAsync(Request(x, endpoint), null, Ct);
        var leftInA = (await Operations.DeployAsync(Request(a, endpoint), null, Ct)).ModelName!;
        await Operations.DeployAsync(Request(b1, endpoint), null, Ct);
        var last = Request(b2, endpoint);
        last.RemovePrevious = true; // deletes b1's config, the one that remembered group A
        await Operations.DeployAsync(last, null, Ct);

        await Operations.RemoveAsync(endpoint, planOnly: false, Ct);

        Assert.Null(await Target.GetEndpointConfigAsync(leftInA, Ct));
        Assert.Null(await Target.GetModelAsync(leftInA, Ct));
    }

    [Fact]
    public async Task A_current_config_made_for_another_endpoint_is_kept_and_named()
    {
        var (group, v1) = await GroupWithVersion(ApprovalStatus.Approved);
        var original = Unique("ep");
        var deployed = await Operations.DeployAsync(Request(v1, original), null, Ct);
        await Target.DeleteEndpointAsync(original, Ct); // its config and model stay
        var borrower = Unique("hand");
        await Target.CreateEndpointAsync(borrower, deployed.EndpointConfigName!, new Dictionary<string, string>(), Ct);

        var removed = await Operations.RemoveAsync(borrower, planOnly: false, Ct);

        Assert.Equal(new[] { $"endpoint '{borrower}'" }, removed.Deleted);
        Assert.Contains(removed.Kept, k => k.Contains(deployed.EndpointConfigName!) && k.Contains($"for endpoint '{original}'"));
        Assert.NotNull(await Target.GetEndpointConfigAsync(deployed.EndpointConfigName!, Ct));
        Assert.NotNull(await Target.GetModelAsync(deployed.ModelName!, Ct));
    }

    [SkippableFact]
    public async Task After_switches_that_kept_the_previous_config_Remove_leaves_nothing_behind()
    {
        Capabilities.Require(NoEndpointUpdate);
        var (group, v1) = await GroupWithVersion(ApprovalStatus.Approved);
        var v2 = await RegisterVersion(group, ApprovalStatus.Approved);
        var v3 = await RegisterVersion(group, ApprovalStatus.Approved);
        var endpoint = Unique("ep");
        var names = new List<string>();
        foreach (var v in new[] { v1, v2, v3 })
            names.Add((await Operations.DeployAsync(Request(v, endpoint), null, Ct)).ModelName!);

        var removed = await Operations.RemoveAsync(endpoint, planOnly: false, Ct);
        Assert.Equal(7, removed.Deleted.Count); // the endpoint, and three configs and three models
        foreach (var name in names)
        {
            Assert.Null(await Target.GetModelAsync(name, Ct));
            Assert.Null(await Target.GetEndpointConfigAsync(name, Ct));
        }
    }

    [Fact]
    public async Task Removing_or_describing_a_missing_endpoint_is_NotFound()
    {
        var missing = Unique("missing");
        Assert.Equal(RegistryErrorKind.NotFound, (await Assert.ThrowsAsync<RegistryException>(() => Operations.RemoveAsync(missing, false, Ct))).Kind);
        Assert.Equal(RegistryErrorKind.NotFound, (await Assert.ThrowsAsync<RegistryException>(() => Operations.DescribeAsync(missing, Ct))).Kind);
        Assert.Null(await Target.GetEndpointAsync(missing, Ct));
        Assert.Null(await Target.GetModelAsync(missing, Ct));
        Assert.Null(await Target.GetEndpointConfigAsync(missing, Ct));
    }

    [Fact]
    public async Task Endpoint_listing_pages_by_name()
    {
        var (_, version) = await GroupWithVersion(ApprovalStatus.Approved);
        var stem = Unique("pg");
        for (var i = 0; i < 3; i++) await Operations.DeployAsync(Request(version, $"{stem}-{i}"), null, Ct);

        var names = new List<string>();
        string? token = null;
        var pages = 0;
        do
        {
            var page = await Target.ListEndpointsAsync(stem, token, 2, Ct);
            Assert.True(page.Items.Count <= 2);
            names.AddRange(page.Items.Select(e => e.Name));
            token = page.NextToken;
            Assert.True(++pages < 10);
        } while (token != null);
        Assert.Equal(new[] { $"{stem}-0", $"{stem}-1", $"{stem}-2" }, names);
    }
}

public sealed class LocalDeploymentContractTests : DeploymentContractTests, IClassFixture<TempFolder>
{
    private readonly TempFolder _folder;
    public LocalDeploymentContractTests(TempFolder folder) { _folder = folder; }

    protected override IModelRegistry CreateRegistry() =>
        new LocalRegistry(new RegistryConnection { Backend = RegistryBackend.Local, LocalPath = _folder.Path });
}

[Collection("moto")]
public sealed class SageMakerDeploymentContractTests : DeploymentContractTests
{
    private readonly MotoServer _moto;
    public SageMakerDeploymentContractTests(MotoServer moto) { _moto = moto; }

    protected override IModelRegistry CreateRegistry() => SageMakerTesting.Registry(_moto.Url);

    protected override string? NoEndpointUpdate => MotoLacks.EndpointUpdate(_moto);
}
