using ModelRegistry.Engine.Operations;
using ModelRegistry.Engine.Registry;
using ModelRegistry.Engine.Registry.Local;
using ModelRegistry.Tests.Support;

namespace ModelRegistry.Tests.Operations;

/// <summary>The named version guards, judged on the registry's current state read in batches (Local registry).</summary>
public sealed class VersionGuardsTests : IDisposable
{
    private readonly TempFolder _temp = new("mr-guards");
    private string Folder => _temp.Path;
    private readonly LocalRegistry _local;
    private readonly Counting _counting;
    private static CancellationToken Ct => CancellationToken.None;

    public VersionGuardsTests()
    {
        _local = new LocalRegistry(new RegistryConnection { Backend = RegistryBackend.Local, LocalPath = Folder });
        _counting = new Counting(_local);
        foreach (var g in new[] { "g", "h" })
            _local.CreateGroupAsync(g, "d", new Dictionary<string, string>(), Ct).GetAwaiter().GetResult();
    }

    public void Dispose()
    {
        _local.Dispose();
        _temp.Dispose();
    }

    private sealed class Counting : RegistryDecorator
    {
        public Counting(IModelRegistry inner) : base(inner) { }
        public int Lists, Describes, Updates, Deletes;
        public override Task<Page<ModelVersion>> ListVersionsAsync(VersionQuery query, string? nextToken, CancellationToken ct) { Interlocked.Increment(ref Lists); return base.ListVersionsAsync(query, nextToken, ct); }
        public override Task<ModelVersion?> GetVersionAsync(string arn, CancellationToken ct) { Interlocked.Increment(ref Describes); return base.GetVersionAsync(arn, ct); }
        public override Task<ModelVersion> UpdateVersionAsync(string arn, VersionUpdate update, CancellationToken ct) { Interlocked.Increment(ref Updates); return base.UpdateVersionAsync(arn, update, ct); }
        public override Task DeleteVersionAsync(string arn, CancellationToken ct) { Interlocked.Increment(ref Deletes); return base.DeleteVersionAsync(arn, ct); }
        public void Reset() => Lists = Describes = Updates = Deletes = 0;
    }

    private async Task<List<ModelVersion>> Register(string group, int count, ApprovalStatus status = ApprovalStatus.PendingManualApproval)
    {
        var ops = new ModelVersionOperations(_local);
        var versions = new List<ModelVersion>();
        for (var i = 0; i < count; i++)
            versions.Add(await ops.RegisterAsync(TestSpecs.Minimal(group, status), Ct));
        return versions;
    }

    private static RegistryException Refusal(Exception? e) => Assert.IsType<RegistryException>(e);

    [Fact]
    public async Task A_stale_piped_copy_is_not_judged_the_registry_is()
    {
        var listed = await Register("g", 3);                                  // listed as Pending ...
        await _local.UpdateVersionAsync(listed[0].Arn, VersionUpdate.Approval(ApprovalStatus.Rejected, "bias found"), Ct); // ... rejected since

        var ops = new ModelVersionOperations(_local);
        var outcomes = ops.SetApprovalMany(listed.Select(v => new VersionTarget(v.Arn, v)).ToList(), ApprovalStatus.Approved, "AUC 0.93", false, 4, Ct).ToList();

        var refused = Refusal(Assert.Single(outcomes, o => o.Error != null).Error);
        Assert.Equal(VersionGuards.RejectedVersion, refused.Reason);
        Assert.Equal(RegistryErrorKind.Conflict, refused.Kind);
        Assert.Contains("Nothing was changed", refused.Message);
        Assert.Equal(new[] { ApprovalStatus.Rejected, ApprovalStatus.Approved, ApprovalStatus.Approved },
            (await _local.ListAllVersionsAsync(new VersionQuery("g"), Ct)).Select(v => v.Status));
    }

    [Fact]
    public async Task Bulk_approval_reads_one_listing_per_group_not_a_describe_per_version()
    {
        var many = await Register("g", 30);
        var one = await Register("h", 1);
        _counting.Reset();

        var ops = new ModelVersionOperations(_counting);
        var targets = many.Concat(one).Select(v => new VersionTarget(v.Arn, v)).ToList();
        Assert.All(ops.SetApprovalMany(targets, ApprovalStatus.Approved, "bulk", false, 8, Ct), o => Assert.Null(o.Error));

        Assert.Equal(1, _counting.Lists);     // group g: one page holds all 30
        Assert.Equal(1, _counting.Describes); // group h: one target, one describe
        Assert.Equal(31, _counting.Updates);
    }

    [Fact]
    public async Task Old_targets_in_a_big_group_cost_at_most_a_page_each()
    {
        var versions = await Register("g", 250); // three pages, newest first: versions 1 and 2 are on the last
        _counting.Reset();
        var ops = new ModelVersionOperations(_counting);
        var targets = versions.Take(2).Select(v => new VersionTarget(v.Arn)).ToList();
        Assert.All(ops.SetApprovalMany(targets, ApprovalStatus.Approved, null, false, 4, Ct), o => Assert.Null(o.Error));
        Assert.True(_counting.Lists + _counting.Describes <= 2 * targets.Count, $"{_counting.Lists} listings, {_counting.Describes} describes");
    }

    [Fact]
    public async Task A_version_missing_from_a_complete_listing_is_NotFound()
    {
        var versions = await Register("g", 2);
        var ops = new ModelVersionOperations(_local);
        var targets = versions.Select(v => new VersionTarget(v.Arn)).Append(new VersionTarget(ops.VersionArn("g", 99))).ToList();
        var failed = Assert.Single(ops.SetApprovalMany(targets, ApprovalStatus.Approved, null, false, 4, Ct), o => o.Error != null);
        Assert.Equal(RegistryErrorKind.NotFound, Refusal(failed.Error).Kind);
    }

    [Fact]
    public async Task Each_refusal_names_its_rule_and_Force_overrides_only_the_rules_it_may()
    {
        var ops = new ModelVersionOperations(_local);
        var approved = (await Register("g", 1, ApprovalStatus.Approved))[0];
        var removeRefused = await Assert.ThrowsAsync<RegistryException>(() => ops.RemoveAsync(new VersionTarget(approved.Arn), false, Ct));
        Assert.Equal(VersionGuards.ApprovedVersion, removeRefused.Reason);
        Assert.Contains("Nothing was deleted", removeRefused.Message);

        // A rule -Force may not override refuses with -Force too; a rule it may is not even asked.
        var asked = 0;
        ops.Guards.Add(new VersionGuard("FrozenGroup", forceOverrides: false, (c, ct) => Task.FromResult<string?>(c.Current.GroupName == "g" ? "group g is frozen" : null)));
        ops.Guards.Add(new VersionGuard("Counted", forceOverrides: true, (c, ct) => { asked++; return Task.FromResult<string?>(null); }));
        var frozen = await Assert.ThrowsAsync<RegistryException>(() => ops.RemoveAsync(new VersionTarget(approved.Arn), true, Ct));
        Assert.Equal("FrozenGroup", frozen.Reason);
        Assert.Equal(0, asked);
        Assert.NotNull(await _local.GetVersionAsync(approved.Arn, Ct));
        Assert.Throws<ArgumentException>(() => ops.Guards.Add(new VersionGuard(VersionGuards.RejectedVersion, true, (c, ct) => Task.FromResult<string?>(null))));
        Assert.Throws<ArgumentException>(() => new VersionGuard("Not one word", true, (c, ct) => Task.FromResult<string?>(null)));

        Assert.Equal(new[]
            {
                VersionGuards.RejectedVersion, VersionGuards.ApprovedVersion, VersionGuards.NotApproved, VersionGuards.NotApprovedForStage,
                VersionGuards.StageSkipped, VersionGuards.InLastStage, VersionGuards.DeployedVersion, "FrozenGroup", "Counted",
            },
            ops.Guards.Checks.Select(g => g.Reason));
        Assert.Equal(new[] { true, true, false, false, true, true, true }, ops.Guards.Checks.Take(7).Select(g => g.ForceOverrides));
    }

    [Fact]
    public async Task A_plan_only_run_meets_the_real_runs_refusals_and_changes_nothing()
    {
        var versions = await Register("g", 3);
        await _local.UpdateVersionAsync(versions[0].Arn, VersionUpdate.Approval(ApprovalStatus.Approved, null), Ct);
        await _local.UpdateVersionAsync(versions[1].Arn, VersionUpdate.Approval(ApprovalStatus.Rejected, null), Ct);
        var targets = versions.Select(v => new VersionTarget(v.Arn, v)).ToList();
        var ops = new ModelVersionOperations(_counting);

        static IEnumerable<(string Arn, string? Reason)> Refusals<T>(IEnumerable<Engine.Bulk.BulkOutcome<VersionTarget, T>> outcomes) =>
            outcomes.Where(o => o.Error != null).Select(o => (o.Input.Arn, ((RegistryException)o.Error!).Reason)).OrderBy(r => r.Arn).ToList();

        _counting.Reset();
        var plannedApproval = Refusals(ops.SetApprovalMany(targets, ApprovalStatus.Approved, "x", false, 4, Ct, planOnly: true));
        Assert.Equal(0, _counting.Updates + _counting.Deletes);
        Assert.Equal(new[] { (versions[1].Arn, (string?)VersionGuards.RejectedVersion) }, plannedApproval);
        Assert.Equal(plannedApproval, Refusals(ops.SetApprovalMany(targets, ApprovalStatus.Approved, "x", false, 4, Ct)));

        _counting.Reset();
        var plannedRemoval = Refusals(ops.RemoveMany(targets, false, 4, Ct, planOnly: true));
        Assert.Equal(0, _counting.Updates + _counting.Deletes);
        Assert.Equal(3, (await _local.ListAllVersionsAsync(new VersionQuery("g"), Ct)).Count);
        Assert.Equal(new[] { versions[0].Arn, versions[2].Arn }.Select(a => (a, (string?)VersionGuards.ApprovedVersion)).OrderBy(r => r.a), plannedRemoval);
        Assert.Equal(plannedRemoval, Refusals(ops.RemoveMany(targets, false, 4, Ct)));
    }
}
