using System.Collections;
using ModelRegistry.Tests.Support;

namespace ModelRegistry.Tests.Cmdlets;

/// <summary>Get-, Set-, Remove-MRModelGroupPolicy in-process on a Local registry: projects and names, -WhatIf, -Force, -PassThru.</summary>
public sealed class GroupPolicyCmdletTests : IDisposable
{
    private const string Foreign = """{"Version":"2012-10-17","Statement":[{"Sid":"HandWritten","Effect":"Allow","Principal":{"AWS":"arn:aws:iam::555555555555:root"},"Action":"sagemaker:DescribeModelPackageGroup","Resource":"*"}]}""";

    private readonly ModuleHost _host = new();
    private readonly TempFolder _temp = new("mr-share");

    public GroupPolicyCmdletTests()
    {
        File.WriteAllText(Path.Combine(_temp.Path, ".env.shared"), string.Join("\n",
            "COMPANY=acme", "AWS_REGION=ap-northeast-1", "TEAMS=\"rc algo\"", "TEAM_RC_FULLNAME=risk-control", "TEAM_ALGO_FULLNAME=algorithm",
            "RC_PROJECTS=\"fraud churn\"", "ALGO_PROJECTS=\"reco\"", "RC_CONSUMER_ACCOUNTS=\"222222222222 111111111111\"", ""));
        var setup = Run("Set-Location $folder; Connect-MRRegistry -Local -Path ./registry; Get-MRProject | New-MRModelGroup | Out-Null");
        Assert.Empty(setup.Errors);
    }

    public void Dispose()
    {
        _host.Dispose();
        _temp.Dispose();
    }

    private ModuleHost.Result Run(string script) => _host.Run(script, new Hashtable { ["folder"] = _temp.Path, ["foreign"] = Foreign });

    private Dictionary<string, ModelGroupPolicy> Policies() =>
        Run("Get-MRProject | Get-MRModelGroupPolicy").Objects<ModelGroupPolicy>().ToDictionary(p => p.GroupName);

    [Fact]
    public void Projects_share_each_group_with_its_teams_consumers_and_a_team_without_any_is_skipped_with_a_warning()
    {
        var set = Run("Get-MRProject | Set-MRModelGroupPolicy -PassThru");
        Assert.Empty(set.Errors);
        Assert.Equal(new[] { "rc-fraud", "rc-churn" }, set.Objects<ModelGroupPolicy>().Select(p => p.GroupName));
        Assert.Contains(set.Warnings, w => w.Contains("algo-reco") && w.Contains("ALGO_CONSUMER_ACCOUNTS"));

        var policies = Policies();
        Assert.Equal(new[] { "111111111111", "222222222222" }, policies["rc-fraud"].ConsumerAccounts);
        Assert.True(policies["rc-fraud"].IsManaged);
        Assert.False(policies["rc-fraud"].AllowsApproval);
        Assert.Contains("\"Sid\":\"ModelRegistryDescribeGroup\"", policies["rc-fraud"].Document);
        Assert.False(policies["algo-reco"].HasPolicy);
        Assert.Null(policies["algo-reco"].Document);
    }

    [Fact]
    public void By_name_with_accounts_and_AllowApproval_and_a_second_run_changes_nothing()
    {
        var set = Run("Set-MRModelGroupPolicy -Name algo-reco -ConsumerAccountId 333333333333 -AllowApproval -PassThru");
        Assert.Empty(set.Errors);
        var policy = Assert.Single(set.Objects<ModelGroupPolicy>());
        Assert.True(policy.AllowsApproval);
        Assert.Equal(new[] { "333333333333" }, policy.ConsumerAccounts);

        var again = Run("Set-MRModelGroupPolicy -Name algo-reco -ConsumerAccountId 333333333333 -AllowApproval -Verbose");
        Assert.Empty(again.Errors);
        Assert.Contains(again.Verbose, v => v.Contains("unchanged"));
        Assert.Equal(policy.Document, Policies()["algo-reco"].Document);
    }

    [Fact]
    public void A_malformed_account_id_is_refused_by_the_parameter()
    {
        var bad = Run("Set-MRModelGroupPolicy -Name algo-reco -ConsumerAccountId 12345");
        Assert.NotEmpty(bad.Errors);
        Assert.False(Policies()["algo-reco"].HasPolicy);
    }

    [Fact]
    public void WhatIf_reads_and_judges_but_changes_nothing()
    {
        var whatIf = Run("Get-MRProject | Set-MRModelGroupPolicy -WhatIf");
        Assert.Empty(whatIf.Errors);
        Assert.All(Policies().Values, p => Assert.False(p.HasPolicy));

        Run("Get-MRProject | Set-MRModelGroupPolicy");
        var removeWhatIf = Run("Get-MRProject | Remove-MRModelGroupPolicy -WhatIf");
        Assert.Empty(removeWhatIf.Errors);
        Assert.True(Policies()["rc-fraud"].HasPolicy);
    }

    [Fact]
    public void A_policy_the_module_did_not_write_is_neither_replaced_nor_removed_without_Force()
    {
        Assert.Empty(Run("Set-MRModelGroupPolicy -Name rc-fraud -ConsumerAccountId 444444444444").Errors);
        // Someone writes their own policy by hand (here straight into the registry, as the AWS console would).
        HandWrite("rc-fraud");

        var set = Run("Get-MRProject -Project fraud | Set-MRModelGroupPolicy");
        var error = Assert.Single(set.Errors);
        Assert.Equal("ModelRegistry.Conflict.PolicyNotManaged", error.FullyQualifiedErrorId.Split(',')[0]);
        var remove = Run("Remove-MRModelGroupPolicy -Name rc-fraud -Confirm:$false");
        Assert.Equal("ModelRegistry.Conflict.PolicyNotManaged", Assert.Single(remove.Errors).FullyQualifiedErrorId.Split(',')[0]);
        var kept = Policies()["rc-fraud"];
        Assert.Equal(Foreign, kept.Document);
        Assert.False(kept.IsManaged);

        Assert.Empty(Run("Get-MRProject -Project fraud | Set-MRModelGroupPolicy -Force").Errors);
        Assert.True(Policies()["rc-fraud"].IsManaged);
        Assert.Empty(Run("Remove-MRModelGroupPolicy -Name rc-fraud -Confirm:$false").Errors);
        Assert.False(Policies()["rc-fraud"].HasPolicy);
    }

    [Fact]
    public void Remove_takes_the_objects_Get_writes_and_a_group_without_a_policy_is_no_error()
    {
        Run("Get-MRProject | Set-MRModelGroupPolicy");
        var remove = Run("Get-MRProject | Get-MRModelGroupPolicy | Remove-MRModelGroupPolicy -Confirm:$false -Verbose");
        Assert.Empty(remove.Errors);
        Assert.Contains(remove.Verbose, v => v.Contains("algo-reco") && v.Contains("nothing to remove"));
        Assert.All(Policies().Values, p => Assert.False(p.HasPolicy));
    }

    [Fact]
    public void A_missing_group_is_an_error_for_each_cmdlet()
    {
        foreach (var script in new[]
                 {
                     "Get-MRModelGroupPolicy -Name no-such-group",
                     "Set-MRModelGroupPolicy -Name no-such-group -ConsumerAccountId 111111111111",
                     "Remove-MRModelGroupPolicy -Name no-such-group -Confirm:$false",
                 })
            Assert.Equal("ModelRegistry.NotFound.ResourceNotFound", Assert.Single(Run(script).Errors).FullyQualifiedErrorId.Split(',')[0]);
    }

    [Fact]
    public void The_table_view_says_whom_each_group_is_shared_with()
    {
        Run("Get-MRProject -Team rc | Set-MRModelGroupPolicy");
        var table = string.Join("\n", Run("Get-MRProject | Get-MRModelGroupPolicy | Out-String -Width 200").Output.Select(o => o.ToString()));
        Assert.Matches(@"rc-fraud\s+yes\s+False\s+111111111111, 222222222222", table);
        Assert.Matches(@"algo-reco\s+-\s+False\s+\(not shared\)", table);
    }

    [Fact]
    public void Compare_shows_the_policy_drift_and_Sync_puts_it_right_refusing_a_hand_written_policy_without_Force()
    {
        // rc has consumers and nothing is shared yet; algo has none and no policy.
        var drift = Run("Compare-MRModelGroup ./.env.shared").Objects<GroupDrift>().ToDictionary(d => d.Name);
        Assert.Equal(GroupState.Drifted, drift["rc-fraud"].State);
        Assert.Equal("policy: not shared → shared with 111111111111, 222222222222", Assert.Single(drift["rc-fraud"].Differences));
        Assert.Equal(GroupState.InSync, drift["algo-reco"].State);

        Assert.Empty(Run("Sync-MRModelGroup ./.env.shared -WhatIf").Errors);
        Assert.False(Policies()["rc-fraud"].HasPolicy);

        var sync = Run("Sync-MRModelGroup ./.env.shared");
        Assert.Empty(sync.Errors);
        var results = sync.Objects<GroupSyncResult>().ToDictionary(r => r.Name);
        Assert.Equal(SyncAction.Repaired, results["rc-fraud"].Action);
        Assert.Contains("policy set", results["rc-fraud"].Detail);
        Assert.All(Run("Compare-MRModelGroup ./.env.shared").Objects<GroupDrift>(), d => Assert.Equal(GroupState.InSync, d.State));

        HandWrite("rc-churn");
        var refused = Run("Sync-MRModelGroup ./.env.shared");
        Assert.Equal("ModelRegistry.Conflict.PolicyNotManaged", Assert.Single(refused.Errors).FullyQualifiedErrorId.Split(',')[0]);
        Assert.Equal(SyncAction.Refused, refused.Objects<GroupSyncResult>().Single(r => r.Name == "rc-churn").Action);
        Assert.Equal(Foreign, Policies()["rc-churn"].Document);
        Assert.Empty(Run("Sync-MRModelGroup ./.env.shared -Force").Errors);
        Assert.True(Policies()["rc-churn"].IsManaged);
    }

    [Fact]
    public void Sync_shares_the_groups_it_creates()
    {
        Assert.Empty(Run("Get-MRProject | Remove-MRModelGroup -Confirm:$false").Errors);
        var sync = Run("Sync-MRModelGroup ./.env.shared").Objects<GroupSyncResult>().ToDictionary(r => r.Name);
        Assert.Equal(SyncAction.Created, sync["rc-fraud"].Action);
        Assert.Contains("policy set", sync["rc-fraud"].Detail);
        Assert.True(Policies()["rc-fraud"].IsManaged);
        Assert.False(Policies()["algo-reco"].HasPolicy);
    }

    [Fact]
    public void Name_without_ConsumerAccountId_is_an_error_and_projects_need_none()
    {
        var e = Assert.Single(Run("Set-MRModelGroupPolicy -Name rc-fraud").Errors);
        Assert.Contains("-ConsumerAccountId", e.Exception.Message);
        Assert.False(Policies()["rc-fraud"].HasPolicy);
    }

    private void HandWrite(string group)
    {
        using var registry = new Engine.Registry.Local.LocalRegistry(new RegistryConnection
        {
            Backend = RegistryBackend.Local, LocalPath = Path.Combine(_temp.Path, "registry"),
        });
        registry.PutGroupPolicyAsync(group, Foreign, CancellationToken.None).GetAwaiter().GetResult();
    }
}
