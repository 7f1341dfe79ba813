using ModelRegistry.Engine.Bulk;
using ModelRegistry.Engine.Config;
using ModelRegistry.Engine.DesiredState;
using ModelRegistry.Engine.Registry;
using ModelRegistry.Engine.Registry.Local;
using ModelRegistry.Tests.Config;
using ModelRegistry.Tests.Support;

namespace ModelRegistry.Tests.DesiredState;

/// <summary>
/// The desired state of sharing, on the Local registry (moto 5.2.1 lacks the policy operations): a resource policy that
/// differs from the configured consumer accounts is Drifted ("policy …") and a sync puts it right; an unshared group
/// without a policy stays InSync; a policy the module did not write is reported and replaced only with -Force.
/// </summary>
public sealed class PolicyDriftTests : IDisposable
{
    private const string Foreign = """{"Version":"2012-10-17","Statement":[{"Sid":"HandWritten","Effect":"Allow","Principal":{"AWS":"arn:aws:iam::555555555555:root"},"Action":"sagemaker:DescribeModelPackageGroup","Resource":"*"}]}""";
    private static CancellationToken Ct => CancellationToken.None;

    private readonly TempFolder _temp = new("mr-policy-drift");
    private readonly string _folder = ConfigTestSupport.TempDir();
    private readonly LocalRegistry _registry;

    public PolicyDriftTests()
    {
        _registry = new LocalRegistry(new RegistryConnection { Backend = RegistryBackend.Local, LocalPath = _temp.Path });
    }

    public void Dispose()
    {
        _registry.Dispose();
        _temp.Dispose();
    }

    /// <summary>rc-fraud and algo-reco; <paramref name="extra"/> lines add consumer keys.</summary>
    private ProjectCatalog Configure(params string[] extra)
    {
        var path = Path.Combine(_folder, ".env.shared");
        File.WriteAllText(path, string.Join("\n", new[] { "COMPANY=acme", "TEAMS=\"rc algo\"", "TEAM_RC_FULLNAME=risk", "TEAM_ALGO_FULLNAME=algorithm",
            "RC_PROJECTS=fraud", "ALGO_PROJECTS=reco" }.Concat(extra)) + "\n");
        var catalog = ProjectCatalog.Load(path);
        Assert.Empty(catalog.Problems);
        return catalog;
    }

    private DriftPlan Plan(ProjectCatalog catalog) =>
        new GroupPlanner(_registry).Plan(DesiredConfiguration.FromCatalog(catalog), BulkRunner.DefaultThrottleLimit, Ct);

    private IReadOnlyList<GroupSyncResult> Sync(ProjectCatalog catalog, bool force = false) =>
        new GroupSync(_registry).Apply(Plan(catalog), DesiredConfiguration.FromCatalog(catalog), prune: false, force, BulkRunner.DefaultThrottleLimit, Ct);

    private static GroupDrift Entry(DriftPlan plan, string name) => Assert.Single(plan.Entries, e => e.Name == name);

    private Task<string?> PolicyOf(string group) => _registry.GetGroupPolicyAsync(group, Ct);

    [Fact]
    public async Task Configured_consumers_without_a_policy_are_Drifted_by_policy_and_a_sync_shares_the_group_then_all_is_InSync()
    {
        var catalog = Configure("RC_CONSUMER_ACCOUNTS=111111111111");
        Sync(catalog); // creates the groups (and shares rc-fraud)
        await _registry.DeleteGroupPolicyAsync("rc-fraud", Ct);

        var plan = Plan(catalog);
        var fraud = Entry(plan, "rc-fraud");
        Assert.Equal(GroupState.Drifted, fraud.State);
        Assert.True(fraud.PolicyDiffers);
        Assert.Equal("policy: not shared → shared with 111111111111", Assert.Single(fraud.Differences));
        // A team with no consumers and a group without a policy stays InSync.
        Assert.Equal(GroupState.InSync, Entry(plan, "algo-reco").State);

        var results = Sync(catalog);
        Assert.Equal(SyncAction.Repaired, Assert.Single(results, r => r.Name == "rc-fraud").Action);
        Assert.Contains("arn:aws:iam::111111111111:root", await PolicyOf("rc-fraud"));
        Assert.All(Plan(catalog).Entries, e => Assert.Equal(GroupState.InSync, e.State));
    }

    [Fact]
    public async Task Edited_consumers_show_as_policy_drift_and_a_sync_follows_them_including_removing_the_last()
    {
        Sync(Configure("RC_CONSUMER_ACCOUNTS=111111111111"));
        var edited = Configure("RC_CONSUMER_ACCOUNTS=\"111111111111 222222222222\"", "MODEL_REGISTRY_CONSUMER_ACCOUNTS=333333333333");

        var plan = Plan(edited);
        Assert.Equal("policy: shared with 111111111111 → shared with 111111111111, 222222222222, 333333333333",
            Assert.Single(Entry(plan, "rc-fraud").Differences));
        Assert.Equal("policy: not shared → shared with 333333333333", Assert.Single(Entry(plan, "algo-reco").Differences));
        Sync(edited);
        Assert.All(Plan(edited).Entries, e => Assert.Equal(GroupState.InSync, e.State));

        // Emptied (the keys kept, empty): the policies the module wrote are removed.
        var none = Configure("RC_CONSUMER_ACCOUNTS=", "MODEL_REGISTRY_CONSUMER_ACCOUNTS=");
        Assert.Equal("policy: shared with 111111111111, 222222222222, 333333333333 → not shared", Assert.Single(Entry(Plan(none), "rc-fraud").Differences));
        Sync(none);
        Assert.Null(await PolicyOf("rc-fraud"));
        Assert.Null(await PolicyOf("algo-reco"));
        Assert.All(Plan(none).Entries, e => Assert.Equal(GroupState.InSync, e.State));
    }

    [Fact]
    public async Task A_policy_the_module_did_not_write_is_reported_and_replaced_only_with_Force()
    {
        var catalog = Configure("RC_CONSUMER_ACCOUNTS=111111111111");
        Sync(catalog);
        await _registry.PutGroupPolicyAsync("rc-fraud", Foreign, Ct);

        var fraud = Entry(Plan(catalog), "rc-fraud");
        Assert.Equal(GroupState.Drifted, fraud.State);
        Assert.True(fraud.PolicyNotManaged);
        Assert.StartsWith("policy not written by ModelRegistry", Assert.Single(fraud.Differences));

        var refused = Assert.Single(Sync(catalog), r => r.Name == "rc-fraud");
        Assert.Equal(SyncAction.Refused, refused.Action);
        Assert.Contains("-Force", refused.Detail);
        Assert.Equal(Foreign, await PolicyOf("rc-fraud"));

        Assert.Equal(SyncAction.Repaired, Assert.Single(Sync(catalog, force: true), r => r.Name == "rc-fraud").Action);
        Assert.Contains("ModelRegistryDescribeGroup", await PolicyOf("rc-fraud"));
    }

    [Fact]
    public async Task A_hand_written_policy_on_a_team_without_consumers_is_left_alone()
    {
        var catalog = Configure("RC_CONSUMER_ACCOUNTS=111111111111");
        Sync(catalog);
        await _registry.PutGroupPolicyAsync("algo-reco", Foreign, Ct);

        Assert.Equal(GroupState.InSync, Entry(Plan(catalog), "algo-reco").State);
        Sync(catalog, force: true);
        Assert.Equal(Foreign, await PolicyOf("algo-reco"));
    }

    [Fact]
    public async Task Without_any_consumer_key_no_policy_is_read_or_compared()
    {
        var catalog = Configure();
        Assert.False(DesiredConfiguration.FromCatalog(catalog).ComparesPolicies);
        Sync(catalog);
        var counting = new CountingPolicies(_registry);
        await _registry.PutGroupPolicyAsync("rc-fraud", Foreign, Ct);

        var plan = new GroupPlanner(counting).Plan(DesiredConfiguration.FromCatalog(catalog), BulkRunner.DefaultThrottleLimit, Ct);
        Assert.All(plan.Entries, e => Assert.Equal(GroupState.InSync, e.State));
        Assert.Equal(0, counting.Reads);
        Assert.True(DesiredConfiguration.FromCatalog(Configure("RC_CONSUMER_ACCOUNTS=")).ComparesPolicies);
    }

    [Fact]
    public void A_policy_that_cannot_be_read_leaves_the_group_out_of_the_plan_as_unreadable()
    {
        var catalog = Configure("RC_CONSUMER_ACCOUNTS=111111111111");
        Sync(catalog);
        var failing = new CountingPolicies(_registry) { Fail = true };

        var plan = new GroupPlanner(failing).Plan(DesiredConfiguration.FromCatalog(catalog), BulkRunner.DefaultThrottleLimit, Ct);
        Assert.DoesNotContain(plan.Entries, e => e.Name is "rc-fraud" or "algo-reco");
        Assert.Equal(new[] { "algo-reco", "rc-fraud" }, plan.Unreadable.Select(u => u.Key.Name).OrderBy(n => n));
    }

    private sealed class CountingPolicies(IModelRegistry inner) : RegistryDecorator(inner)
    {
        public int Reads;
        public bool Fail { get; init; }

        public override Task<string?> GetGroupPolicyAsync(string groupName, CancellationToken ct)
        {
            Interlocked.Increment(ref Reads);
            return Fail
                ? Task.FromException<string?>(new RegistryException(RegistryErrorKind.AccessDenied, "not allowed", groupName))
                : base.GetGroupPolicyAsync(groupName, ct);
        }
    }
}
