using System.Collections;
using System.Management.Automation;
using ModelRegistry.Tests.Support;

namespace ModelRegistry.Tests.Cmdlets;

/// <summary>The group cmdlets in-process, on a Local registry: binding, output objects, errors, ShouldProcess.</summary>
public sealed class GroupCmdletTests : IDisposable
{
    private readonly ModuleHost _host = new();
    private readonly TempFolder _temp = new("mr-cmdlets");
    private string Folder => _temp.Path;

    public GroupCmdletTests()
    {
        File.WriteAllText(Path.Combine(Folder, ".env.shared"), string.Join("\n",
            "COMPANY=acme", "AWS_REGION=ap-northeast-1", "TEAMS=\"rc algo\"", "TEAM_RC_FULLNAME=risk-control",
            "TEAM_ALGO_FULLNAME=algorithm", "RC_PROJECTS=\"fraud-detection anti-money-laundering\"",
            "ALGO_PROJECTS=\"recommendation-engine\"", ""));
        Run("Set-Location $folder; Connect-MRRegistry -Local -Path ./registry");
    }

    private ModuleHost.Result Run(string script) =>
        _host.Run(script, new Hashtable { ["folder"] = Folder });

    [Fact]
    public void New_takes_projects_from_the_pipeline_and_says_what_it_did()
    {
        var first = Run("Get-MRProject | New-MRModelGroup").Objects<ModelGroupChangeResult>().ToList();
        Assert.Equal(new[] { "rc-fraud-detection", "rc-anti-money-laundering", "algo-recommendation-engine" }, first.Select(r => r.Name));
        Assert.All(first, r => Assert.Equal(GroupChange.Created, r.Change));

        var second = Run("Get-MRProject | New-MRModelGroup").Objects<ModelGroupChangeResult>().ToList();
        Assert.All(second, r => Assert.Equal(GroupChange.Existed, r.Change));
    }

    [Fact]
    public void New_with_Force_reapplies_tags_changed_by_hand()
    {
        Run("Get-MRProject -Project fraud-detection | New-MRModelGroup");
        // Someone edits a tag by hand.
        Run("New-MRModelGroup -Name rc-fraud-detection -Force -Tag @{ Team = 'someone-else' }");
        var repaired = Run("Get-MRProject -Project fraud-detection | New-MRModelGroup -Force").Objects<ModelGroupChangeResult>().Single();
        Assert.Equal(GroupChange.Updated, repaired.Change);
        Assert.Contains("Team", repaired.Detail);
        var group = Run("Get-MRModelGroup rc-fraud-detection").Objects<ModelGroup>().Single();
        Assert.Equal("rc", group.Tags!["Team"]);
    }

    [Fact]
    public void An_exact_team_or_project_that_matches_nothing_is_an_error_naming_what_exists()
    {
        // A typo in a job: "Get-MRProject -Team nosuch | Remove-MRModelGroup" must not pass as nothing to do.
        var team = Run("Get-MRProject -Team nosuch | Remove-MRModelGroup -Confirm:$false");
        Assert.Empty(team.Output);
        var error = Assert.Single(team.Errors);
        Assert.Equal("ModelRegistry.NotFound.NoSuchTeam", error.FullyQualifiedErrorId.Split(',')[0]);
        Assert.Equal(ErrorCategory.ObjectNotFound, error.CategoryInfo.Category);
        Assert.Contains("rc", error.Exception.Message);
        Assert.Contains("algo", error.Exception.Message);

        var project = Run("Get-MRProject -Team rc -Project fraud-detection,nosuch");
        Assert.Equal("rc-fraud-detection", Assert.Single(project.Objects<TeamProject>()).GroupName);
        var projectError = Assert.Single(project.Errors);
        Assert.Equal("ModelRegistry.NotFound.NoSuchProject", projectError.FullyQualifiedErrorId.Split(',')[0]);
        Assert.Contains("anti-money-laundering", projectError.Exception.Message);
        Assert.DoesNotContain("recommendation-engine", projectError.Exception.Message); // not a project of rc
    }

    [Fact]
    public void A_wildcard_team_or_project_that_matches_nothing_is_silent()
    {
        var result = Run("Get-MRProject -Team nosuch* ; Get-MRProject -Project x?z");
        Assert.Empty(result.Output);
        Assert.Empty(result.Errors);
    }

    [Fact]
    public void Names_bind_by_property_name_from_groups()
    {
        Run("Get-MRProject | New-MRModelGroup");
        var tested = Run("Get-MRModelGroup | Test-MRModelGroup").Objects<GroupTestResult>().ToList();
        Assert.Equal(3, tested.Count);
        Assert.All(tested, t => Assert.True(t.Passed));
    }

    [Fact]
    public void WhatIf_on_remove_deletes_nothing_and_names_every_group()
    {
        Run("Get-MRProject | New-MRModelGroup");
        var result = Run("Get-MRProject | Remove-MRModelGroup -WhatIf");
        Assert.Empty(result.Errors);
        Assert.Equal(3, Run("Get-MRModelGroup").Objects<ModelGroup>().Count());
    }

    [Fact]
    public void Remove_without_confirmation_is_refused_by_ConfirmImpact_High()
    {
        Run("Get-MRProject | New-MRModelGroup");
        // $ConfirmPreference = 'High' (the default) plus ConfirmImpact High means a prompt; with no host UI to answer,
        // the runspace refuses rather than deleting silently.
        var result = Run("Get-MRProject | Remove-MRModelGroup");
        Assert.Equal(3, Run("Get-MRModelGroup").Objects<ModelGroup>().Count());
        Assert.NotEmpty(result.Errors);
    }

    [Fact]
    public void A_missing_group_is_a_non_terminating_ObjectNotFound_naming_the_target()
    {
        var result = Run("Get-MRModelGroup nope, nope2; 'still running'");
        Assert.Equal(2, result.Errors.Count);
        Assert.All(result.Errors, e => Assert.Equal(ErrorCategory.ObjectNotFound, e.CategoryInfo.Category));
        Assert.Equal("nope", result.Errors[0].TargetObject);
        Assert.StartsWith("ModelRegistry.NotFound.ResourceNotFound,", result.Errors[0].FullyQualifiedErrorId);
        Assert.Equal("still running", result.Output.Last().BaseObject);
    }

    [Fact]
    public void Export_writes_the_seed_file_in_configuration_order()
    {
        Run("Get-MRProject | New-MRModelGroup | Export-MRModelGroupList");
        var text = File.ReadAllText(Path.Combine(Folder, "output", "model-groups.env"));
        Assert.Contains("MODEL_GROUPS=\"rc-fraud-detection rc-anti-money-laundering algo-recommendation-engine\"\n", text);
        Assert.Contains("# Total Groups: 3\n", text);
    }

    [Fact]
    public void The_Local_registry_is_never_a_silent_fallback()
    {
        // A new runspace has no connection of its own: it means SageMaker, whatever another runspace chose.
        using var fresh = new ModuleHost();
        var result = fresh.Run("(Get-MRRegistry).Backend");
        Assert.Equal("SageMaker", result.Output.Single().ToString());
        Assert.Equal("Local", Run("(Get-MRRegistry).Backend").Output.Single().ToString());
    }

    public void Dispose()
    {
        _host.Dispose();
        _temp.Dispose();
    }
}
