using ModelRegistry.Engine.Operations;
using ModelRegistry.Engine.Registry;
using ModelRegistry.Engine.Registry.Local;
using ModelRegistry.Tests.Support;

namespace ModelRegistry.Tests.Operations;

/// <summary>Engine rules for versions, on a Local registry (a decorator injects the failures).</summary>
public sealed class ModelVersionOperationsTests : IDisposable
{
    private readonly TempFolder _temp = new("mr-ops");
    private string Folder => _temp.Path;
    private readonly LocalRegistry _local;
    private static CancellationToken Ct => CancellationToken.None;

    public ModelVersionOperationsTests()
    {
        _local = new LocalRegistry(new RegistryConnection { Backend = RegistryBackend.Local, LocalPath = Folder });
        _local.CreateGroupAsync("g", "d", new Dictionary<string, string>(), Ct).GetAwaiter().GetResult();
    }

    private static VersionSpec Spec(string? token = null) => TestSpecs.Minimal("g", token: token);

    [Fact]
    public async Task Invalid_input_is_refused_before_any_call()
    {
        var spec = Spec();
        spec.ImageUri = "";
        var e = await Assert.ThrowsAsync<RegistryException>(() => new ModelVersionOperations(_local).RegisterAsync(spec, Ct));
        Assert.Equal(RegistryErrorKind.Invalid, e.Kind);
        Assert.Empty(await _local.ListAllVersionsAsync(new VersionQuery("g"), Ct));
    }

    [Fact]
    public async Task Approving_a_rejected_version_needs_force_and_changes_nothing_without_it()
    {
        var ops = new ModelVersionOperations(_local);
        var v = await ops.RegisterAsync(Spec(), Ct);
        await ops.SetApprovalAsync(new VersionTarget(v.Arn), ApprovalStatus.Rejected, "bad AUC", false, Ct);
        var e = await Assert.ThrowsAsync<RegistryException>(() => ops.SetApprovalAsync(new VersionTarget(v.Arn), ApprovalStatus.Approved, null, false, Ct));
        Assert.Equal(RegistryErrorKind.Conflict, e.Kind);
        Assert.Contains("bad AUC", e.Message);
        Assert.Equal(ApprovalStatus.Rejected, (await _local.GetVersionAsync(v.Arn, Ct))!.Status);
        var forced = await ops.SetApprovalAsync(new VersionTarget(v.Arn), ApprovalStatus.Approved, "re-evaluated", true, Ct);
        Assert.Equal(ApprovalStatus.Approved, forced.Status);
        Assert.Equal("re-evaluated", forced.ApprovalDescription);
    }

    [Fact]
    public async Task Removing_an_approved_version_needs_force()
    {
        var ops = new ModelVersionOperations(_local);
        var v = await ops.RegisterAsync(Spec(), Ct);
        await ops.SetApprovalAsync(new VersionTarget(v.Arn), ApprovalStatus.Approved, null, false, Ct);
        var e = await Assert.ThrowsAsync<RegistryException>(() => ops.RemoveAsync(new VersionTarget(v.Arn), false, Ct));
        Assert.Equal(RegistryErrorKind.Conflict, e.Kind);
        Assert.NotNull(await _local.GetVersionAsync(v.Arn, Ct));
        await ops.RemoveAsync(new VersionTarget(v.Arn), true, Ct);
        Assert.Null(await _local.GetVersionAsync(v.Arn, Ct));
    }

    [Fact]
    public async Task Removing_reads_the_version_now_rather_than_trusting_a_stale_piped_status()
    {
        var ops = new ModelVersionOperations(_local);
        var v = await ops.RegisterAsync(Spec(), Ct);
        var stale = (await _local.GetVersionAsync(v.Arn, Ct))!;          // read while Pending ...
        await ops.SetApprovalAsync(new VersionTarget(v.Arn), ApprovalStatus.Approved, null, false, Ct); // ... approved since
        var e = await Assert.ThrowsAsync<RegistryException>(() => ops.RemoveAsync(new VersionTarget(v.Arn, stale), false, Ct));
        Assert.Contains("Approved", e.Message);
        Assert.NotNull(await _local.GetVersionAsync(v.Arn, Ct));
    }

    [Fact]
    public void A_registry_that_failed_to_open_is_not_remembered_as_failed()
    {
        var path = Path.Combine(Folder, "not-yet");
        File.WriteAllText(path, "a file where the registry folder should be");
        var connection = new RegistryConnection { Backend = RegistryBackend.Local, LocalPath = path };
        Assert.ThrowsAny<Exception>(() => RegistryFactory.Get(connection));
        File.Delete(path);
        Assert.Contains("not-yet", RegistryFactory.Get(connection).Location);
    }

    [Fact]
    public async Task Latest_takes_the_newest_in_the_order_asked_for()
    {
        var ops = new ModelVersionOperations(_local);
        for (var i = 0; i < 7; i++) await ops.RegisterAsync(Spec(), Ct);
        Assert.Equal(new[] { 7, 6 }, ops.List("g", null, null, null, descending: true, latest: 2, null, Ct).Select(v => v.Version));
        Assert.Equal(new[] { 6, 7 }, ops.List("g", null, null, null, descending: false, latest: 2, null, Ct).Select(v => v.Version));
        Assert.Equal(new[] { 2, 5 }, ops.List("g", null, null, null, false, null, new[] { 2, 5 }, Ct).Select(v => v.Version));
        Assert.Equal(_local.GroupArn("g").Replace("model-package-group/", "model-package/") + "/3", ops.VersionArn("g", 3));
    }

    [Fact]
    public async Task Many_approvals_report_each_failure_and_lose_no_update()
    {
        var ops = new ModelVersionOperations(_local);
        var targets = new List<VersionTarget>();
        for (var i = 0; i < 300; i++) targets.Add(new VersionTarget((await ops.RegisterAsync(Spec(), Ct)).Arn));
        targets.Add(new VersionTarget(ops.VersionArn("g", 9999)));
        var outcomes = ops.SetApprovalMany(targets, ApprovalStatus.Approved, "bulk", false, 16, Ct).ToList();
        Assert.Equal(301, outcomes.Count);
        var failed = Assert.Single(outcomes, o => o.Error != null);
        Assert.Equal(RegistryErrorKind.NotFound, ((RegistryException)failed.Error!).Kind);
        var approved = await _local.ListAllVersionsAsync(new VersionQuery("g") { Status = ApprovalStatus.Approved }, Ct);
        Assert.Equal(300, approved.Count);
    }

    public void Dispose()
    {
        _local.Dispose();
        _temp.Dispose();
    }
}
