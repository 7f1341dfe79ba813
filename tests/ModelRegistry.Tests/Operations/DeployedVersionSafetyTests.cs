using ModelRegistry.Engine.Deployment;
using ModelRegistry.Engine.Operations;
using ModelRegistry.Engine.Registry;
using ModelRegistry.Engine.Registry.Local;
using ModelRegistry.Tests.Support;

namespace ModelRegistry.Tests.Operations;

/// <summary>A version that serves an endpoint is not changed, removed, or pruned with its group without -Force.</summary>
public sealed class DeployedVersionSafetyTests : IDisposable
{
    private readonly TempFolder _temp = new("mr-deployed");
    private string Folder => _temp.Path;
    private readonly LocalRegistry _local;
    private readonly ModelVersion _deployed;
    private readonly ModelVersion _idle;
    private static CancellationToken Ct => CancellationToken.None;

    public DeployedVersionSafetyTests()
    {
        _local = new LocalRegistry(new RegistryConnection { Backend = RegistryBackend.Local, LocalPath = Folder });
        _local.CreateGroupAsync("g", "d", new Dictionary<string, string>(), Ct).GetAwaiter().GetResult();
        var ops = new ModelVersionOperations(_local);
        VersionSpec Spec() => TestSpecs.Minimal("g", ApprovalStatus.Approved);
        _deployed = ops.RegisterAsync(Spec(), Ct).GetAwaiter().GetResult();
        _idle = ops.RegisterAsync(Spec(), Ct).GetAwaiter().GetResult();
        new DeploymentOperations(_local).DeployAsync(new DeployRequest { ModelVersionArn = _deployed.Arn, EndpointName = "g-endpoint" }, null, Ct)
            .GetAwaiter().GetResult();
    }

    [Fact]
    public async Task Changing_the_approval_of_a_deployed_version_needs_force_and_names_the_endpoint()
    {
        var ops = new ModelVersionOperations(_local);
        var e = await Assert.ThrowsAsync<RegistryException>(() =>
            ops.SetApprovalAsync(new VersionTarget(_deployed.Arn), ApprovalStatus.Rejected, "regression", false, Ct));
        Assert.Equal(RegistryErrorKind.Conflict, e.Kind);
        Assert.Contains("g-endpoint", e.Message);
        Assert.Contains("-Force", e.Message);
        Assert.Equal(ApprovalStatus.Approved, (await _local.GetVersionAsync(_deployed.Arn, Ct))!.Status);

        // A version that serves nothing changes freely; the same status with a new reason is no change of approval.
        Assert.Equal(ApprovalStatus.Rejected, (await ops.SetApprovalAsync(new VersionTarget(_idle.Arn), ApprovalStatus.Rejected, "x", false, Ct)).Status);
        Assert.Equal("still good", (await ops.SetApprovalAsync(new VersionTarget(_deployed.Arn), ApprovalStatus.Approved, "still good", false, Ct)).ApprovalDescription);

        var forced = await ops.SetApprovalAsync(new VersionTarget(_deployed.Arn), ApprovalStatus.Rejected, "regression", true, Ct);
        Assert.Equal(ApprovalStatus.Rejected, forced.Status);
    }

    [Fact]
    public async Task Approving_a_deployed_version_is_not_refused_but_withdrawing_its_approval_is()
    {
        var ops = new ModelVersionOperations(_local);
        await ops.SetApprovalAsync(new VersionTarget(_deployed.Arn), ApprovalStatus.PendingManualApproval, null, true, Ct);
        var e = await Assert.ThrowsAsync<RegistryException>(() =>
            new ModelVersionOperations(_local).SetApprovalAsync(new VersionTarget(_deployed.Arn), ApprovalStatus.Rejected, null, false, Ct));
        Assert.Equal(VersionGuards.DeployedVersion, e.Reason);
        Assert.Contains("rejecting", e.Message);
        // Approving takes nothing from what serves: no -Force, and no endpoint is read for it (a role that may not list
        // endpoints approves without the "deployed check cannot run" warning).
        var denied = new ModelVersionOperations(new DenyEndpoints(_local));
        Assert.Equal(ApprovalStatus.Approved, (await denied.SetApprovalAsync(new VersionTarget(_deployed.Arn), ApprovalStatus.Approved, null, false, Ct)).Status);
        Assert.Null(denied.Deployed.Unavailable);
        var withdrawn = await Assert.ThrowsAsync<RegistryException>(() =>
            new ModelVersionOperations(_local).SetApprovalAsync(new VersionTarget(_deployed.Arn), ApprovalStatus.PendingManualApproval, null, false, Ct));
        Assert.Contains("withdrawing the approval of", withdrawn.Message);
    }

    [Fact]
    public async Task Removing_a_deployed_version_needs_force()
    {
        await new ModelVersionOperations(_local).SetApprovalAsync(new VersionTarget(_deployed.Arn), ApprovalStatus.PendingManualApproval, null, true, Ct);
        var e = await Assert.ThrowsAsync<RegistryException>(() => new ModelVersionOperations(_local).RemoveAsync(new VersionTarget(_deployed.Arn), false, Ct));
        Assert.Contains("g-endpoint", e.Message);
        Assert.NotNull(await _local.GetVersionAsync(_deployed.Arn, Ct));
    }

    [Fact]
    public async Task A_group_with_a_deployed_version_has_a_reason_to_be_kept()
    {
        var plan = await new ModelGroupOperations(_local).PlanRemovalAsync("g", force: false, Ct);
        // One refusal per rule, the first rule's reason on the error; both versions are Approved, one is deployed.
        Assert.Equal(new[] { VersionGuards.ApprovedVersion, VersionGuards.DeployedVersion }, plan!.Blockers.Select(b => b.Reason));
        Assert.Contains("(so are version(s) 2)", plan.Blockers[0].Text);
        Assert.Contains("g-endpoint", plan.Blockers[1].Text);
        Assert.Equal(VersionGuards.ApprovedVersion, plan.Refusal!.Reason);
        Assert.Contains("Use -Force", plan.Refusal.Message);
        Assert.Throws<RegistryException>(() => new ModelGroupOperations(_local).RemoveVersions(plan, 4, Ct));

        var forced = await new ModelGroupOperations(_local).PlanRemovalAsync("g", force: true, Ct);
        Assert.Null(forced!.Refusal);
    }

    [Fact]
    public async Task Without_permission_to_read_endpoints_the_check_says_it_could_not_run()
    {
        var denied = new DeployedVersions(new DenyEndpoints(_local));
        Assert.Empty(await denied.EndpointsServingAsync(_deployed.Arn, Ct));
        Assert.Contains("could not be checked", denied.Unavailable);
    }

    public void Dispose()
    {
        _local.Dispose();
        _temp.Dispose();
    }

    private sealed class DenyEndpoints(IModelRegistry inner) : RegistryDecorator(inner)
    {
        public override IDeploymentTarget Deployments => throw new RegistryException(RegistryErrorKind.AccessDenied, "not authorized to perform sagemaker:ListEndpoints");
    }
}
