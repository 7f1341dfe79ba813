using ModelRegistry.Engine.Config;
using ModelRegistry.Engine.Operations;
using ModelRegistry.Engine.Registry;
using ModelRegistry.Engine.Registry.Local;
using ModelRegistry.Tests.Support;

namespace ModelRegistry.Tests.Operations;

/// <summary>The lifecycle rules (StageSkipped, NotApprovedForStage, InLastStage), judged on the registry's current state (Local registry).</summary>
public sealed class LifecycleGuardsTests : IDisposable
{
    private readonly TempFolder _temp = new("mr-stages");
    private readonly LocalRegistry _local;
    private static CancellationToken Ct => CancellationToken.None;

    public LifecycleGuardsTests()
    {
        _local = new LocalRegistry(new RegistryConnection { Backend = RegistryBackend.Local, LocalPath = _temp.Path });
        _local.CreateGroupAsync("g", "d", new Dictionary<string, string>(), Ct).GetAwaiter().GetResult();
    }

    public void Dispose()
    {
        _local.Dispose();
        _temp.Dispose();
    }

    private async Task<ModelVersion> Register(ApprovalStatus status = ApprovalStatus.PendingManualApproval, string? stage = null)
    {
        var spec = TestSpecs.Minimal("g", status);
        spec.Stage = stage;
        return await new ModelVersionOperations(_local).RegisterAsync(spec, Ct);
    }

    private static VersionUpdate Move(string stage, string status = "Approved", string? reason = null) =>
        new() { Lifecycle = new VersionLifecycle(stage, status, reason) };

    private async Task<string?> Stage(ModelVersion v) => (await _local.GetVersionAsync(v.Arn, Ct))!.Stage;

    private static async Task<RegistryException> Refused(string reason, Func<Task> change)
    {
        var e = await Assert.ThrowsAsync<RegistryException>(change);
        Assert.Equal((RegistryErrorKind.Conflict, reason), (e.Kind, e.Reason));
        Assert.Contains("Nothing was", e.Message);
        return e;
    }

    [Fact]
    public async Task A_version_moves_one_stage_at_a_time_either_way_and_skipping_needs_Force()
    {
        var ops = new ModelVersionOperations(_local);
        var v = await Register(ApprovalStatus.Approved);
        var target = new VersionTarget(v.Arn, v);

        var skip = await Refused(VersionGuards.StageSkipped, () => ops.UpdateAsync(target, Move("Staging"), false, Ct));
        Assert.Contains("skips Development", skip.Message);
        Assert.Null(await Stage(v));

        await ops.UpdateAsync(target, Move("Development"), false, Ct);
        await ops.UpdateAsync(target, Move("Staging"), false, Ct);
        await ops.UpdateAsync(target, Move("Production", reason: "CAB-1234"), false, Ct);
        var promoted = (await _local.GetVersionAsync(v.Arn, Ct))!;
        Assert.Equal(("Production", "Approved", "CAB-1234"), (promoted.Stage, promoted.StageStatus, promoted.StageDescription));

        var back = await Refused(VersionGuards.StageSkipped, () => ops.UpdateAsync(target, Move("Development"), false, Ct));
        Assert.Contains("skips Staging", back.Message);
        await ops.UpdateAsync(target, Move("Production", "InProgress"), false, Ct); // same stage, new status: no move
        await ops.UpdateAsync(target, Move("Development"), true, Ct);              // -Force skips
        Assert.Equal("Development", await Stage(v));
    }

    [Fact]
    public async Task The_last_stage_takes_only_an_Approved_version_and_Force_does_not_change_that()
    {
        var ops = new ModelVersionOperations(_local);
        var v = await Register(stage: "Staging");
        var target = new VersionTarget(v.Arn, v);

        var refused = await Refused(VersionGuards.NotApprovedForStage, () => ops.UpdateAsync(target, Move("Production"), true, Ct));
        Assert.Contains("PendingManualApproval", refused.Message);
        Assert.Equal("Staging", await Stage(v));

        await ops.SetApprovalAsync(target, ApprovalStatus.Approved, "ok", false, Ct);
        await ops.UpdateAsync(target, Move("Production"), false, Ct);
        Assert.Equal("Production", await Stage(v));
        Assert.False(ops.Guards.Checks.Single(g => g.Reason == VersionGuards.NotApprovedForStage).ForceOverrides);
    }

    [Fact]
    public async Task Rejecting_a_version_in_the_last_stage_needs_Force()
    {
        var ops = new ModelVersionOperations(_local);
        var v = await Register(ApprovalStatus.Approved, stage: "Production");
        var staging = await Register(ApprovalStatus.Approved, stage: "Staging");

        await Refused(VersionGuards.InLastStage, () => ops.SetApprovalAsync(new VersionTarget(v.Arn, v), ApprovalStatus.Rejected, "regression", false, Ct));
        Assert.Equal(ApprovalStatus.Approved, (await _local.GetVersionAsync(v.Arn, Ct))!.Status);
        await ops.SetApprovalAsync(new VersionTarget(staging.Arn), ApprovalStatus.Rejected, "regression", false, Ct); // not the last stage
        await ops.SetApprovalAsync(new VersionTarget(v.Arn, v), ApprovalStatus.Rejected, "regression", true, Ct);
        Assert.Equal(ApprovalStatus.Rejected, (await _local.GetVersionAsync(v.Arn, Ct))!.Status);
    }

    [Fact]
    public async Task The_rules_judge_the_registry_now_and_a_plan_meets_the_same_refusals()
    {
        var versions = new List<ModelVersion>();
        for (var i = 0; i < 3; i++) versions.Add(await Register(ApprovalStatus.Approved, stage: "Staging"));
        // Piped copies say Staging/Approved; since then one went back to Development and one was un-approved.
        await _local.UpdateVersionAsync(versions[0].Arn, Move("Development"), Ct);
        await _local.UpdateVersionAsync(versions[1].Arn, VersionUpdate.Approval(ApprovalStatus.PendingManualApproval, null), Ct);
        var targets = versions.Select(v => new VersionTarget(v.Arn, v)).ToList();
        var ops = new ModelVersionOperations(_local);

        static List<(string Arn, string? Reason)> Refusals(IEnumerable<Engine.Bulk.BulkOutcome<VersionTarget, ModelVersion>> outcomes) =>
            outcomes.Where(o => o.Error != null).Select(o => (o.Input.Arn, ((RegistryException)o.Error!).Reason)).OrderBy(r => r.Arn, StringComparer.Ordinal).ToList();

        var planned = Refusals(ops.UpdateMany(targets, Move("Production"), false, 4, Ct, planOnly: true));
        Assert.Equal(new[] { "Development", "Staging", "Staging" }, await Task.WhenAll(versions.Select(Stage)));
        Assert.Equal(new[] { (versions[0].Arn, (string?)VersionGuards.StageSkipped), (versions[1].Arn, VersionGuards.NotApprovedForStage) }
            .OrderBy(r => r.Item1, StringComparer.Ordinal), planned);
        Assert.Equal(planned, Refusals(ops.UpdateMany(targets, Move("Production"), false, 4, Ct)));
        Assert.Equal("Production", await Stage(versions[2]));
    }

    [Fact]
    public async Task A_stage_not_configured_is_Invalid_before_any_call_and_names_the_stages()
    {
        var ops = new ModelVersionOperations(_local, LifecycleStages.Parse("Dev QA Prod"));
        var v = await Register(ApprovalStatus.Approved);
        var e = await Assert.ThrowsAsync<RegistryException>(() => ops.UpdateAsync(new VersionTarget(v.Arn), Move("Staging"), true, Ct));
        Assert.Equal((RegistryErrorKind.Invalid, LifecycleStages.UnknownStage), (e.Kind, e.Reason));
        Assert.Contains("Dev, QA, Prod", e.Message);

        await ops.UpdateAsync(new VersionTarget(v.Arn), Move("dev"), false, Ct);
        Assert.Equal("Dev", await Stage(v)); // stages compare case-insensitively; the configured spelling is what is stored
    }

    [Fact]
    public async Task Registration_may_start_in_any_stage_but_the_last_takes_only_Approved()
    {
        var ops = new ModelVersionOperations(_local);
        var spec = TestSpecs.Minimal("g");
        spec.Stage = "production";
        var refused = await Refused(VersionGuards.NotApprovedForStage, () => ops.RegisterAsync(spec, Ct));
        Assert.Contains("The new version of 'g'", refused.Message);
        Assert.Contains("Nothing was registered", refused.Message);
        Assert.Empty(await _local.ListAllVersionsAsync(new VersionQuery("g"), Ct));

        spec.ApprovalStatus = ApprovalStatus.Approved;
        spec.StageDescription = "hotfix";
        var v = await ops.RegisterAsync(spec, Ct);
        var read = (await _local.GetVersionAsync(v.Arn, Ct))!;
        Assert.Equal(("Production", "Approved", "hotfix"), (read.Stage, read.StageStatus, read.StageDescription));

        var unknown = TestSpecs.Minimal("g");
        unknown.Stage = "Prod";
        Assert.Equal(LifecycleStages.UnknownStage, (await Assert.ThrowsAsync<RegistryException>(() => ops.RegisterAsync(unknown, Ct))).Reason);
    }

    [Fact]
    public async Task Listing_by_stage_filters_the_summaries_and_Latest_counts_after_the_filter()
    {
        var inProduction = await Register(ApprovalStatus.Approved, stage: "Production");
        await Register(ApprovalStatus.Approved, stage: "Staging");
        var newer = await Register(ApprovalStatus.Approved, stage: "production");
        await Register();
        var ops = new ModelVersionOperations(_local);

        Assert.Equal(new[] { inProduction.Version, newer.Version }, ops.List("g", null, null, null, false, null, null, Ct, stage: "Production").Select(v => v.Version));
        Assert.Equal(new[] { newer.Version }, ops.List("g", null, null, null, true, 1, null, Ct, stage: "Production").Select(v => v.Version));
        Assert.Empty(ops.List("g", null, null, null, true, 1, null, Ct, stage: "Development"));
    }
}
