using ModelRegistry.Engine.Bulk;
using ModelRegistry.Engine.Config;
using ModelRegistry.Engine.DesiredState;
using ModelRegistry.Engine.Registry;
using ModelRegistry.Tests.Config;
using ModelRegistry.Tests.Contract;
using ModelRegistry.Tests.Support;

namespace ModelRegistry.Tests.DesiredState;

/// <summary>
/// Compare and sync on a real backend. Each test has its own team id and ManagedBy value, so groups other tests
/// left on a shared server read as Foreign and are ignored: assertions look only at this test's groups.
/// </summary>
public abstract class DesiredStateTests : IDisposable
{
    private IModelRegistry? _registry;
    private readonly string _folder = ConfigTestSupport.TempDir();
    private readonly string _team = "s" + Guid.NewGuid().ToString("N")[..8];
    private readonly string _managedBy = "sync-" + Guid.NewGuid().ToString("N")[..8];

    protected abstract IModelRegistry CreateRegistry();
    /// <summary>Why DeleteModelPackageGroup / DeleteModelPackage cannot be used (moto lacks both); null: they can.
    /// Prune tests need them.</summary>
    protected virtual string? NoDelete => null;
    private bool SupportsDelete => NoDelete is null;

    protected IModelRegistry Registry => _registry ??= CreateRegistry();
    private static CancellationToken Ct => CancellationToken.None;

    public void Dispose()
    {
        _registry?.Dispose();
        GC.SuppressFinalize(this);
    }

    private string G(string project) => $"{_team}-{project}";

    /// <summary>Writes this test's .env.shared naming these projects and loads it.</summary>
    private ProjectCatalog Configure(params string[] projects)
    {
        var path = Path.Combine(_folder, ".env.shared");
        File.WriteAllText(path, string.Join("\n", "COMPANY=acme", $"TAG_PREFIX={_managedBy}", $"TEAMS=\"{_team}\"",
            $"TEAM_{_team.ToUpperInvariant()}_FULLNAME=sync-team", $"{_team.ToUpperInvariant()}_PROJECTS=\"{string.Join(" ", projects)}\"", ""));
        var catalog = ProjectCatalog.Load(path);
        Assert.Empty(catalog.Problems);
        return catalog;
    }

    private DriftPlan Plan(ProjectCatalog catalog) =>
        new GroupPlanner(Registry).Plan(DesiredConfiguration.FromCatalog(catalog), BulkRunner.DefaultThrottleLimit, Ct);

    /// <summary>This test's entries only: its team's groups and its ManagedBy's.</summary>
    private List<GroupDrift> Ours(DriftPlan plan) =>
        plan.Entries.Where(e => e.Name.StartsWith(_team + "-", StringComparison.OrdinalIgnoreCase)).ToList();

    private IReadOnlyList<GroupSyncResult> Apply(ProjectCatalog catalog, DriftPlan plan, bool prune = false, bool force = false)
    {
        var errors = new List<Exception>();
        var results = new GroupSync(Registry).Apply(plan, DesiredConfiguration.FromCatalog(catalog), prune, force,
            BulkRunner.DefaultThrottleLimit, Ct, (_, e) => errors.Add(e));
        return results.Where(r => r.Name.StartsWith(_team + "-", StringComparison.OrdinalIgnoreCase)).ToList();
    }

    private Task<ModelGroup> CreateAs(TeamProject p, IReadOnlyDictionary<string, string>? tags = null, string? description = null) =>
        Registry.CreateGroupAsync(p.GroupName, description ?? p.Description, tags ?? p.Tags, Ct);

    private static Dictionary<string, string> With(IReadOnlyDictionary<string, string> tags, string key, string? value)
    {
        var copy = tags.ToDictionary(t => t.Key, t => t.Value);
        if (value is null) copy.Remove(key);
        else copy[key] = value;
        return copy;
    }

    private Task RegisterVersion(string group, ApprovalStatus status) => Registry.RegisterVersionAsync(TestSpecs.Full(group, status), Ct);

    [Fact]
    public async Task Each_state_is_reported_with_exactly_what_differs()
    {
        var catalog = Configure("same", "retagged", "untagged", "described", "absent", "adopted");
        var p = catalog.Projects.ToDictionary(x => x.Project);
        await CreateAs(p["same"]);
        await CreateAs(p["retagged"], With(p["retagged"].Tags, "Team", "someone"));
        await CreateAs(p["untagged"], With(p["untagged"].Tags, "Phase", null));
        await CreateAs(p["described"], description: "hand-written");
        await CreateAs(p["adopted"], With(p["adopted"].Tags, "ManagedBy", null));
        await Registry.CreateGroupAsync(G("retired"), "old", With(p["same"].Tags, "Project", "retired"), Ct);
        await Registry.CreateGroupAsync(G("theirs"), "theirs", new Dictionary<string, string> { ["ManagedBy"] = "another-team" }, Ct);
        await Registry.CreateGroupAsync(G("bare"), "bare", new Dictionary<string, string>(), Ct);

        var ours = Ours(Plan(catalog)).ToDictionary(e => e.Name);

        Assert.Equal(GroupState.InSync, ours[G("same")].State);
        Assert.Empty(ours[G("same")].Differences);
        Assert.Equal(GroupState.Drifted, ours[G("retagged")].State);
        Assert.Equal(new[] { $"tag Team: 'someone' → '{_team}'" }, ours[G("retagged")].Differences);
        Assert.Equal(new Dictionary<string, string> { ["Team"] = _team }, ours[G("retagged")].TagRepairs);
        Assert.Equal(new[] { "tag Phase missing (→ '2C')" }, ours[G("untagged")].Differences);
        Assert.Equal(GroupState.Drifted, ours[G("described")].State);
        Assert.True(ours[G("described")].DescriptionDiffers);
        Assert.Empty(ours[G("described")].TagRepairs);
        Assert.StartsWith("description differs (cannot be changed in place)", Assert.Single(ours[G("described")].Differences));
        Assert.Equal(GroupState.Missing, ours[G("absent")].State);
        Assert.Null(ours[G("absent")].Actual);
        // Configured name, but not carrying our ManagedBy: someone else's until a person adopts it.
        Assert.Equal(GroupState.Foreign, ours[G("adopted")].State);
        Assert.NotNull(ours[G("adopted")].Desired);
        Assert.Equal(GroupState.Extra, ours[G("retired")].State);
        Assert.Equal(GroupState.Foreign, ours[G("theirs")].State);
        Assert.Contains("another-team", ours[G("theirs")].Differences[0]);
        Assert.Equal(GroupState.Foreign, ours[G("bare")].State);
        Assert.Contains("no ManagedBy tag", ours[G("bare")].Differences[0]);
        Assert.Equal(9, ours.Count);
    }

    [Fact]
    public async Task A_sync_converges_in_one_pass_and_the_second_pass_finds_everything_InSync()
    {
        var catalog = Configure("one", "two", "three");
        var p = catalog.Projects.ToDictionary(x => x.Project);
        await CreateAs(p["one"], With(With(p["one"].Tags, "Team", "x"), "Phase", null));

        var first = Apply(catalog, Plan(catalog));
        Assert.Equal(new[] { SyncAction.Repaired, SyncAction.Created, SyncAction.Created }, first.Select(r => r.Action));
        Assert.Equal(_team, first[0].Group!.Tags!["Team"]);

        var second = Ours(Plan(catalog));
        Assert.All(second, e => Assert.Equal(GroupState.InSync, e.State));
        Assert.Equal(3, second.Count);
        Assert.All(Apply(catalog, Plan(catalog)), r => Assert.Equal(SyncAction.None, r.Action));
        // The repair set tags; it did not drop the ones it did not own.
        var one = await Registry.GetGroupAsync(G("one"), Ct);
        Assert.Equal(p["one"].Tags.OrderBy(t => t.Key), one!.Tags!.OrderBy(t => t.Key));
    }

    [Fact]
    public async Task A_description_difference_is_reported_as_not_repairable_and_stays_Drifted()
    {
        var catalog = Configure("described");
        await CreateAs(catalog.Projects[0], With(catalog.Projects[0].Tags, "Team", "x"), description: "by hand");

        var result = Assert.Single(Apply(catalog, Plan(catalog)));
        Assert.Equal(SyncAction.Repaired, result.Action);
        Assert.Contains("cannot change a group's description", result.Detail);
        var after = Assert.Single(Ours(Plan(catalog)));
        Assert.Equal(GroupState.Drifted, after.State);
        Assert.StartsWith("description differs", Assert.Single(after.Differences));
        Assert.Equal(SyncAction.Skipped, Assert.Single(Apply(catalog, Plan(catalog))).Action);
    }

    [Fact]
    public async Task Foreign_groups_are_never_touched()
    {
        var catalog = Configure("adopted");
        var foreignTags = With(catalog.Projects[0].Tags, "ManagedBy", "another-team");
        await CreateAs(catalog.Projects[0], With(foreignTags, "Team", "theirs"));

        var result = Assert.Single(Apply(catalog, Plan(catalog), prune: true, force: true));
        Assert.Equal(SyncAction.Skipped, result.Action);
        var group = await Registry.GetGroupAsync(G("adopted"), Ct);
        Assert.Equal("theirs", group!.Tags!["Team"]);
        Assert.Equal("another-team", group.Tags["ManagedBy"]);
    }

    [Fact]
    public async Task Editing_the_configuration_shows_exactly_three_differences_and_one_sync_converges()
    {
        // The issue's "done when": a project added, one removed, a tag changed by hand.
        var before = Configure("kept", "retired");
        Apply(before, Plan(before));
        var after = Configure("kept", "added");
        var kept = await Registry.GetGroupAsync(G("kept"), Ct);
        await Registry.AddTagsAsync(kept!.Arn, new Dictionary<string, string> { ["Phase"] = "3A" }, Ct);

        var plan = Ours(Plan(after));
        var changed = plan.Where(e => e.State != GroupState.InSync).Select(e => (e.Name, e.State, string.Join("; ", e.Differences))).ToList();
        Assert.Equal(new[]
        {
            (G("kept"), GroupState.Drifted, "tag Phase: '3A' → '2C'"),
            (G("added"), GroupState.Missing, "does not exist"),
            (G("retired"), GroupState.Extra, $"ManagedBy '{_managedBy}' but no longer configured"),
        }, changed);

        // moto cannot delete groups: there the run converges on everything but the prune.
        var results = Apply(after, Plan(after), prune: SupportsDelete);
        Assert.Equal(new[] { SyncAction.Repaired, SyncAction.Created, SupportsDelete ? SyncAction.Removed : SyncAction.Skipped },
            results.Select(r => r.Action));
        var second = Ours(Plan(after));
        if (SupportsDelete)
        {
            Assert.Equal(new[] { G("kept"), G("added") }, second.Select(e => e.Name));
            Assert.All(second, e => Assert.Equal(GroupState.InSync, e.State));
            Assert.Null(await Registry.GetGroupAsync(G("retired"), Ct));
        }
        else
        {
            Assert.Equal(new[] { GroupState.InSync, GroupState.InSync, GroupState.Extra }, second.Select(e => e.State));
        }
    }

    [SkippableFact]
    public async Task Pruning_refuses_a_group_holding_Approved_versions_unless_forced_and_removes_versions_first()
    {
        Capabilities.Require(NoDelete);
        var old = Configure("stays", "approved", "pending");
        Apply(old, Plan(old));
        await RegisterVersion(G("approved"), ApprovalStatus.Approved);
        await RegisterVersion(G("approved"), ApprovalStatus.Rejected);
        await RegisterVersion(G("pending"), ApprovalStatus.PendingManualApproval);
        var current = Configure("stays");

        var results = Apply(current, Plan(current), prune: true).ToDictionary(r => r.Name);
        Assert.Equal(SyncAction.Refused, results[G("approved")].Action);
        Assert.Contains($"Version 1 of '{G("approved")}' is Approved", results[G("approved")].Detail);
        Assert.Equal(SyncAction.Removed, results[G("pending")].Action);
        Assert.Equal("1 version(s) removed", results[G("pending")].Detail);
        Assert.NotNull(await Registry.GetGroupAsync(G("approved"), Ct));
        Assert.Equal(2, (await Registry.ListAllVersionsAsync(new VersionQuery(G("approved")), Ct)).Count);
        Assert.Null(await Registry.GetGroupAsync(G("pending"), Ct));

        var forced = Apply(current, Plan(current), prune: true, force: true).Single(r => r.Name == G("approved"));
        Assert.Equal(SyncAction.Removed, forced.Action);
        Assert.Null(await Registry.GetGroupAsync(G("approved"), Ct));
    }

    [Fact]
    public async Task Without_prune_Extra_groups_are_left_in_place()
    {
        var old = Configure("stays", "retired");
        Apply(old, Plan(old));
        var current = Configure("stays");
        var result = Apply(current, Plan(current)).Single(r => r.Name == G("retired"));
        Assert.Equal(SyncAction.Skipped, result.Action);
        Assert.NotNull(await Registry.GetGroupAsync(G("retired"), Ct));
    }

    [Fact]
    public void A_filtered_pipeline_leaves_the_rest_of_the_file_out_of_scope()
    {
        var catalog = Configure("picked", "other");
        Apply(catalog, Plan(catalog));
        var config = DesiredConfiguration.FromProjects(catalog.Projects.Where(x => x.Project == "picked"));
        Assert.True(config.IsComplete);
        var plan = new GroupPlanner(Registry).Plan(config, 4, Ct);
        Assert.Equal(new[] { (G("picked"), GroupState.InSync) }, Ours(plan).Select(e => (e.Name, e.State)));
    }

    [SkippableFact]
    public async Task An_incomplete_configuration_never_prunes()
    {
        Capabilities.Require(NoDelete);
        var old = Configure("stays", "retired");
        Apply(old, Plan(old));
        var current = Configure("stays");
        // The source cannot be read again: nobody can say the rest of it is really gone.
        var config = DesiredConfiguration.FromProjects(current.Projects, _ => throw new IOException("gone"));
        Assert.False(config.IsComplete);
        var plan = new GroupPlanner(Registry).Plan(config, 4, Ct);
        var result = new GroupSync(Registry).Apply(plan, config, prune: true, force: true, 4, Ct).Single(r => r.Name == G("retired"));
        Assert.Equal(SyncAction.Refused, result.Action);
        Assert.Contains("incomplete", result.Detail);
        Assert.NotNull(await Registry.GetGroupAsync(G("retired"), Ct));
    }
}

/// <summary>Desired state on the Local backend: every test, prune included.</summary>
public sealed class LocalDesiredStateTests : DesiredStateTests, IClassFixture<TempFolder>
{
    private readonly TempFolder _folder;
    public LocalDesiredStateTests(TempFolder folder) { _folder = folder; }

    protected override IModelRegistry CreateRegistry() =>
        new Engine.Registry.Local.LocalRegistry(new RegistryConnection { Backend = RegistryBackend.Local, LocalPath = _folder.Path });
}

/// <summary>Desired state on SageMaker over moto: compare, create and tag repair. moto has no
/// DeleteModelPackage(Group), so the prune tests are skipped here and run on Local.</summary>
[Collection("moto")]
public sealed class SageMakerDesiredStateTests : DesiredStateTests
{
    private readonly MotoServer _moto;
    public SageMakerDesiredStateTests(MotoServer moto) { _moto = moto; }

    protected override IModelRegistry CreateRegistry() => SageMakerTesting.Registry(_moto.Url);
    protected override string? NoDelete => MotoLacks.Delete(_moto);
}
