using System.Collections;
using ModelRegistry.Tests.Support;

namespace ModelRegistry.Tests.Cmdlets;

/// <summary>
/// The default views as a user sees them, at 80 and 120 columns: names up to SageMaker's 63 characters show whole,
/// no header wraps onto a second line, columns after the name are what gives way, and times say they are local.
/// </summary>
public sealed class ViewTests : IDisposable
{
    private const string Image = "123456789012.dkr.ecr.ap-northeast-1.amazonaws.com/fraud:1.0";
    // rc- plus a 60-character project: a 63-character group name, SageMaker's longest.
    private const string LongProject = "customer-lifetime-value-and-churn-propensity-scoring-models1";
    private const string LongGroup = "rc-" + LongProject;
    private const string LongEndpoint = "customer-lifetime-value-and-churn-propensity-scoring-endpoint-1";
    private readonly ModuleHost _host = new();
    private readonly TempFolder _temp = new("mr-views");

    public ViewTests()
    {
        Assert.Equal(63, LongGroup.Length);
        Assert.Equal(63, LongEndpoint.Length);
        File.WriteAllText(Path.Combine(_temp.Path, ".env.shared"), string.Join("\n",
            "COMPANY=acme", "AWS_REGION=ap-northeast-1", "AWS_ACCOUNT_ID=123456789012", "TEAMS=\"rc algo\"",
            "TEAM_RC_FULLNAME=risk-control", "TEAM_ALGO_FULLNAME=algorithm", $"RC_PROJECTS=\"fraud-detection anti-money-laundering {LongProject}\"",
            "ALGO_PROJECTS=\"recommendation-engine\"", "SAGEMAKER_EXECUTION_ROLE_ARN=arn:aws:iam::123456789012:role/sagemaker-execution", ""));
        var setup = Run("Set-Location $folder; Connect-MRRegistry -Local -Path ./registry | Out-Null; Get-MRProject | New-MRModelGroup | Out-Null; " +
            $"foreach ($g in 'rc-fraud-detection', '{LongGroup}') {{ " +
            $"  Register-MRModelVersion $g -ImageUri {Image} -Metric @{{ auc = 0.91 }} -ApprovalStatus Approved | Out-Null; " +
            $"  Register-MRModelVersion $g -ImageUri {Image} -Metric @{{ auc = 0.85 }} | Out-Null }}; " +
            $"Get-MRModelVersion rc-fraud-detection -Version 1 | Deploy-MRModelVersion -EndpointName fraud-detection-endpoint -Confirm:$false | Out-Null; " +
            $"Get-MRModelVersion {LongGroup} -Version 1 | Deploy-MRModelVersion -EndpointName {LongEndpoint} -Confirm:$false | Out-Null");
        Assert.Empty(setup.Errors);
    }

    public void Dispose()
    {
        _host.Dispose();
        _temp.Dispose();
    }

    private ModuleHost.Result Run(string script) => _host.Run(script, new Hashtable { ["folder"] = _temp.Path });

    public static TheoryData<string, string> Tables => new()
    {
        { "Get-MRProject", LongGroup },
        { "Get-MRModelGroup", LongGroup },
        { "Get-MRModelGroup -IncludeVersionCount", LongGroup },
        { "Get-MRProject | New-MRModelGroup", LongGroup },
        { "Get-MRProject | Test-MRModelGroup", LongGroup },
        { "Get-MRModelGroup | Get-MRModelVersion", LongGroup },
        { "Get-MRModelGroup | Get-MRModelVersion | Test-MRModelVersion -Require 'auc >= 0.9'", LongGroup },
        { "Get-MRProject | Compare-MRModelGroup", LongGroup },
        { "Get-MRProject | Sync-MRModelGroup -Confirm:$false", LongGroup },
        { "Get-MRModelGroup | Export-MRApprovalAudit -Path ./audit.csv -PassThru", LongGroup },
        { "Get-MRDeployment", LongEndpoint },
        { $"Get-MRModelVersion {LongGroup} | Get-MRModelMetric", LongGroup },
    };

    [Theory]
    [MemberData(nameof(Tables))]
    public void At_80_and_120_columns_names_show_whole_and_no_header_wraps(string command, string longName)
    {
        foreach (var width in new[] { 80, 120 })
        {
            // Collected first: a streamed table is sized from what arrives in PowerShell's first 300 ms, so on a busy
            // machine the long name could come after the sizing. This tests the view, not the scheduler.
            var result = Run($"$all = @({command}); $all | Out-String -Width {width}");
            Assert.Empty(result.Errors);
            var text = string.Concat(result.Output.Select(o => o.ToString()));
            var lines = text.Replace("\r", "").Split('\n');
            Assert.Contains(longName, text);
            Assert.DoesNotContain(longName.Substring(0, 40) + "…", text);
            var dashes = Enumerable.Range(0, lines.Length).Where(i => lines[i].Trim().Length > 0 && lines[i].Trim().All(c => c == '-' || c == ' ')).ToList();
            Assert.NotEmpty(dashes);
            foreach (var i in dashes)
                Assert.True(i >= 2 && lines[i - 2].Trim().Length == 0 && lines[i - 1].Trim().Length > 0,
                    $"{command} at {width} columns: the header takes more than one line:\n{text}");
            Assert.All(lines, l => Assert.True(l.TrimEnd().Length <= width, $"{command}: a line is wider than {width}:\n{text}"));
        }
    }

    [Fact]
    public void A_group_listing_has_no_Versions_column_unless_versions_are_counted()
    {
        var plain = string.Concat(Run("Get-MRModelGroup | Out-String -Width 120").Output.Select(o => o.ToString()));
        Assert.DoesNotContain("Versions", plain);
        var counted = string.Concat(Run("Get-MRModelGroup -IncludeVersionCount | Out-String -Width 120").Output.Select(o => o.ToString()));
        Assert.Contains("Versions", counted);
        Assert.Contains("2: 1 approved, 1 pending", counted);
    }

    [Fact]
    public void Tables_say_their_times_are_local_and_lists_show_the_Utc_twin()
    {
        var table = string.Concat(Run("Get-MRModelVersion rc-fraud-detection | Out-String -Width 120").Output.Select(o => o.ToString()));
        Assert.Contains("Created (local)", table);
        var list = string.Concat(Run("Get-MRModelVersion rc-fraud-detection -Version 1 | Format-List | Out-String -Width 120").Output.Select(o => o.ToString()));
        Assert.Contains("Created (local)", list);
        Assert.Contains("CreatedUtc", list);
        Assert.Matches(@"CreatedUtc\s+: \d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z", list);
    }

    [Theory]
    [InlineData("Get-MRProject -Team rc", "TeamFullName")]
    [InlineData("Get-MRModelGroup rc-fraud-detection", "Arn")]
    [InlineData("Get-MRModelVersion rc-fraud-detection -Version 1", "ApprovalDescription")]
    [InlineData("Get-MRDeployment fraud-detection-endpoint", "EndpointConfigName")]
    [InlineData("Get-MRProject -Team rc | Test-MRModelGroup", "ListPermitted")]
    public void Each_type_has_a_list_view_of_its_own(string command, string property)
    {
        var list = string.Concat(Run($"{command} | Select-Object -First 1 | Format-List | Out-String -Width 120").Output.Select(o => o.ToString()));
        Assert.Contains(property, list);
        // The list view, not every property: the account-guard plumbing is not shown.
        Assert.DoesNotContain("ExpectedAccountId", list);
    }
}
