using System.Collections;
using ModelRegistry.Tests.Support;

namespace ModelRegistry.Tests.Cmdlets;

/// <summary>Tab completion and session defaults, as a user at the prompt meets them.</summary>
public sealed class CompletionAndConfigurationTests : IDisposable
{
    private readonly ModuleHost _host = new();
    private readonly TempFolder _temp = new("mr-complete");
    private string Folder => _temp.Path;

    public CompletionAndConfigurationTests()
    {
        File.WriteAllText(Path.Combine(Folder, ".env.shared"), string.Join("\n",
            "COMPANY=acme", "AWS_REGION=ap-northeast-1", "TEAMS=\"rc algo\"", "TEAM_RC_FULLNAME=risk-control",
            "TEAM_ALGO_FULLNAME=algorithm", "RC_PROJECTS=\"fraud-detection anti-money-laundering\"",
            "ALGO_PROJECTS=\"recommendation-engine\"", ""));
        Run("Set-Location $folder; Connect-MRRegistry -Local -Path ./registry; Get-MRProject | New-MRModelGroup | Out-Null");
    }

    private ModuleHost.Result Run(string script) => _host.Run(script, new Hashtable { ["folder"] = Folder });

    private List<string> Complete(string line) =>
        Run($"(TabExpansion2 -inputScript '{line.Replace("'", "''")}' -cursorColumn {line.Length}).CompletionMatches.CompletionText")
            .Output.Where(o => o != null).Select(o => o.ToString()).ToList();

    [Fact]
    public void Group_names_complete_from_the_registry_with_wildcards()
    {
        Assert.Equal(new[] { "rc-anti-money-laundering", "rc-fraud-detection" }, Complete("Get-MRModelGroup rc-").OrderBy(x => x));
        Assert.Equal(new[] { "rc-fraud-detection" }, Complete("Get-MRModelVersion -GroupName *fraud*"));
        Assert.Empty(Complete("Test-MRModelGroup zzz"));
    }

    [Fact]
    public void Teams_and_projects_complete_from_the_configuration()
    {
        Assert.Equal(new[] { "algo", "rc" }, Complete("Get-MRProject -Team ").OrderBy(x => x));
        Assert.Equal(new[] { "anti-money-laundering", "fraud-detection" }, Complete("Get-MRProject -Team rc -Project ").OrderBy(x => x));
        Assert.Equal(new[] { "recommendation-engine" }, Complete("Get-MRModelGroup -Project rec"));
    }

    [Fact]
    public void Approval_statuses_complete()
    {
        Assert.Contains("PendingManualApproval", Complete("Set-MRApproval -Status P"));
        Assert.Contains("Approved", Complete("Get-MRModelVersion rc-fraud-detection -Status A"));
    }

    [Fact]
    public void Endpoint_names_complete_from_deployments()
    {
        Run("""
            Register-MRModelVersion rc-fraud-detection -ImageUri 123456789012.dkr.ecr.ap-northeast-1.amazonaws.com/fraud:1.0 -ApprovalStatus Approved |
                Deploy-MRModelVersion -EndpointName fraud-detection-endpoint | Out-Null
            """);
        Assert.Equal(new[] { "fraud-detection-endpoint" }, Complete("Get-MRDeployment -EndpointName fr"));
    }

    [Fact]
    public void The_session_configuration_path_is_used_by_default_and_shown()
    {
        var elsewhere = Path.Combine(Folder, "elsewhere");
        Directory.CreateDirectory(elsewhere);
        File.WriteAllText(Path.Combine(elsewhere, "team.env"), "COMPANY=acme\nTEAMS=\"zz\"\nZZ_PROJECTS=\"only\"\n");
        var result = Run("Set-MRConfiguration ./elsewhere/team.env; Set-Location /; (Get-MRProject).GroupName; Get-MRConfiguration");
        Assert.Equal("zz-only", result.Output[0].ToString());
        var config = result.Objects<SessionConfiguration>().Single();
        Assert.Equal(Path.Combine(elsewhere, "team.env"), config.ConfigPath);
        Assert.True(config.ConfigExists);
        Assert.Equal(RegistryBackend.Local, config.Backend);
    }

    [Fact]
    public void A_project_without_AWS_ACCOUNT_ID_registers_through_the_pipeline()
    {
        var result = Run("Get-MRProject -Project fraud-detection | Register-MRModelVersion -ImageUri 123456789012.dkr.ecr.ap-northeast-1.amazonaws.com/fraud:1.0");
        Assert.Empty(result.Errors.Select(e => e.ToString()));
        Assert.Equal("rc-fraud-detection", result.Objects<ModelVersion>().Single().GroupName);
        var bad = Run("Register-MRModelVersion rc-fraud-detection -ImageUri 123456789012.dkr.ecr.ap-northeast-1.amazonaws.com/fraud:1.0 -ExpectedAccountId 12345");
        Assert.Contains("12345", Assert.Single(bad.Errors).Exception.Message);
        Assert.Empty(bad.Objects<ModelVersion>());
    }

    [Fact]
    public void A_Local_registry_without_a_region_shows_the_region_its_ARNs_use()
    {
        // The session's .env.shared names AWS_REGION: the Local registry speaks it.
        var shown = string.Join("\n", Run("Get-MRConfiguration | Out-String -Width 200; Get-MRRegistry | Out-String -Width 200").Output.Select(o => o.ToString()));
        Assert.Matches(@"Region\s*:\s*ap-northeast-1", shown);
        Assert.DoesNotContain("AWS default", shown);
        Assert.StartsWith("arn:aws:sagemaker:ap-northeast-1:", Run("(Get-MRModelGroup rc-fraud-detection).Arn").Output.Single().ToString());
        // Without a configuration file, the Local default.
        shown = string.Join("\n", Run("Push-Location /; try { Get-MRRegistry | Out-String -Width 200 } finally { Pop-Location }").Output.Select(o => o.ToString()));
        Assert.Matches(@"Region\s*:\s*us-east-1 \(Local default\)", shown);
    }

    public void Dispose()
    {
        _host.Dispose();
        _temp.Dispose();
    }
}
