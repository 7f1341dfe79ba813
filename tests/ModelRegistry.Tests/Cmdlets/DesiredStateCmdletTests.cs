using System.Collections;
using System.Management.Automation;
using ModelRegistry.Tests.Support;

namespace ModelRegistry.Tests.Cmdlets;

/// <summary>Compare-/Sync-MRModelGroup in-process, on a Local registry: binding, output, ShouldProcess, prune safety.</summary>
public sealed class DesiredStateCmdletTests : IDisposable
{
    private readonly ModuleHost _host = new();
    private readonly TempFolder _temp = new("mr-sync");
    private string Folder => _temp.Path;

    public DesiredStateCmdletTests()
    {
        Configure("fraud-detection anti-money-laundering");
        Run("Set-Location $folder; Connect-MRRegistry -Local -Path ./registry");
    }

    private void Configure(string rcProjects) =>
        File.WriteAllText(Path.Combine(Folder, ".env.shared"), string.Join("\n",
            "COMPANY=acme", "AWS_REGION=ap-northeast-1", "TEAMS=\"rc algo\"", "TEAM_RC_FULLNAME=risk-control",
            "TEAM_ALGO_FULLNAME=algorithm", $"RC_PROJECTS=\"{rcProjects}\"", "ALGO_PROJECTS=\"recommendation-engine\"", ""));

    private ModuleHost.Result Run(string script) => _host.Run(script, new Hashtable { ["folder"] = Folder });

    private List<GroupDrift> Compare(string input = "Get-MRProject | Compare-MRModelGroup") => Run(input).Objects<GroupDrift>().ToList();

    [Fact]
    public void Compare_takes_the_pipeline_or_a_path_and_emits_one_object_per_group()
    {
        Run("Get-MRProject -Project fraud-detection | New-MRModelGroup; New-MRModelGroup -Name hand-made -Description x");
        var byPipeline = Compare();
        var byPath = Compare("Compare-MRModelGroup ./.env.shared");
        Assert.Equal(byPipeline.Select(d => (d.Name, d.State)), byPath.Select(d => (d.Name, d.State)));
        Assert.Equal(new[]
        {
            ("rc-fraud-detection", GroupState.InSync), ("rc-anti-money-laundering", GroupState.Missing),
            ("algo-recommendation-engine", GroupState.Missing), ("hand-made", GroupState.Foreign),
        }, byPath.Select(d => (d.Name, d.State)));
        // The plan table: one row per group, the differences spelled out.
        var table = string.Join("\n", Run("Compare-MRModelGroup ./.env.shared | Out-String -Width 200").Output.Select(o => o.ToString()));
        Assert.Matches(@"rc-anti-money-laundering\s+Missing\s+does not exist", table);
        Assert.Matches(@"hand-made\s+Foreign\s+no ManagedBy tag", table);
    }

    [Fact]
    public void A_filtered_pipeline_does_not_report_the_rest_of_the_file_as_Extra()
    {
        Run("Get-MRProject | Sync-MRModelGroup");
        var rcOnly = Compare("Get-MRProject -Team rc | Compare-MRModelGroup");
        Assert.Equal(new[] { "rc-fraud-detection", "rc-anti-money-laundering" }, rcOnly.Select(d => d.Name));
        Assert.All(rcOnly, d => Assert.Equal(GroupState.InSync, d.State));
    }

    [Fact]
    public void Sync_WhatIf_changes_nothing_and_emits_no_results()
    {
        var result = Run("Get-MRProject | Sync-MRModelGroup -WhatIf");
        Assert.Empty(result.Errors);
        Assert.Empty(result.Output);
        Assert.All(Compare(), d => Assert.Equal(GroupState.Missing, d.State));
    }

    [Fact]
    public void Sync_converges_and_reports_each_group_then_nothing_to_do()
    {
        Run("Get-MRProject -Project fraud-detection | New-MRModelGroup; New-MRModelGroup -Name rc-fraud-detection -Force -Tag @{ Team = 'someone' }");
        var first = Run("Get-MRProject | Sync-MRModelGroup").Objects<GroupSyncResult>().ToList();
        Assert.Equal(new[] { SyncAction.Repaired, SyncAction.Created, SyncAction.Created }, first.Select(r => r.Action));
        Assert.Equal("tags set: Team='rc'", first[0].Detail);
        var second = Run("Get-MRProject | Sync-MRModelGroup").Objects<GroupSyncResult>().ToList();
        Assert.All(second, r => Assert.Equal(SyncAction.None, r.Action));
        Assert.All(second, r => Assert.Equal(GroupState.InSync, r.State));
    }

    [Fact]
    public void Prune_asks_first_and_a_host_that_cannot_ask_prunes_nothing()
    {
        Run("Get-MRProject | Sync-MRModelGroup");
        Configure("fraud-detection");
        var refused = Run("Sync-MRModelGroup ./.env.shared -Prune");
        var error = Assert.Single(refused.Errors);
        Assert.Contains("-Confirm:$false", error.Exception.Message);
        Assert.Equal(SyncAction.Skipped, refused.Objects<GroupSyncResult>().Single(r => r.Name == "rc-anti-money-laundering").Action);
        Assert.Single(Run("Get-MRModelGroup rc-anti-money-laundering").Objects<ModelGroup>());

        var pruned = Run("Sync-MRModelGroup ./.env.shared -Prune -Confirm:$false");
        Assert.Empty(pruned.Errors);
        Assert.Equal(SyncAction.Removed, pruned.Objects<GroupSyncResult>().Single(r => r.Name == "rc-anti-money-laundering").Action);
        Assert.All(Compare(), d => Assert.Equal(GroupState.InSync, d.State));
    }

    [Fact]
    public void Remove_MRModelGroup_and_Prune_refuse_by_the_same_rules_also_under_WhatIf()
    {
        Run("Get-MRProject | Sync-MRModelGroup");
        Run("Register-MRModelVersion rc-anti-money-laundering -ImageUri 123456789012.dkr.ecr.ap-northeast-1.amazonaws.com/aml:1 -ApprovalStatus Approved");
        Configure("fraud-detection");

        static string Id(ModuleHost.Result r) => Assert.Single(r.Errors).FullyQualifiedErrorId.Split(',')[0];
        var runs = new[]
        {
            Run("Remove-MRModelGroup rc-anti-money-laundering -Confirm:$false"),
            Run("Remove-MRModelGroup rc-anti-money-laundering -WhatIf"),
            Run("Sync-MRModelGroup ./.env.shared -Prune -Confirm:$false"),
            Run("Sync-MRModelGroup ./.env.shared -Prune -WhatIf"),
        };
        Assert.All(runs, r => Assert.Equal("ModelRegistry.Conflict.ApprovedVersion", Id(r)));
        Assert.All(runs, r => Assert.Equal("rc-anti-money-laundering", r.Errors[0].TargetObject?.ToString()));
        Assert.Single(Run("Get-MRModelVersion rc-anti-money-laundering").Objects<ModelVersion>());
    }

    [Fact]
    public void Prune_refuses_Approved_versions_without_Force_as_an_error_naming_the_group()
    {
        Run("Get-MRProject | Sync-MRModelGroup");
        var registered = Run("Register-MRModelVersion rc-anti-money-laundering -ImageUri 123456789012.dkr.ecr.ap-northeast-1.amazonaws.com/aml:1 " +
            "-ModelDataUrl s3://acme-models/aml/model.tar.gz -ApprovalStatus Approved");
        Assert.Empty(registered.Errors.Select(e => e.ToString()));
        Assert.Single(registered.Objects<ModelVersion>());
        Configure("fraud-detection");

        var refused = Run("Sync-MRModelGroup ./.env.shared -Prune -Confirm:$false");
        var error = Assert.Single(refused.Errors);
        Assert.Equal(ErrorCategory.InvalidOperation, error.CategoryInfo.Category);
        Assert.Equal("ModelRegistry.Conflict.ApprovedVersion", error.FullyQualifiedErrorId.Split(',')[0]);
        Assert.Equal("rc-anti-money-laundering", error.TargetObject);
        Assert.Contains("Approved", error.Exception.Message);
        Assert.Equal(SyncAction.Refused, refused.Objects<GroupSyncResult>().Single(r => r.Name == "rc-anti-money-laundering").Action);

        var forced = Run("Sync-MRModelGroup ./.env.shared -Prune -Force -Confirm:$false");
        Assert.Empty(forced.Errors);
        Assert.Equal(SyncAction.Removed, forced.Objects<GroupSyncResult>().Single(r => r.Name == "rc-anti-money-laundering").Action);
    }

    public void Dispose()
    {
        _host.Dispose();
        _temp.Dispose();
    }
}
