using System.Collections;
using System.Management.Automation;
using ModelRegistry.Tests.Support;

namespace ModelRegistry.Tests.Cmdlets;

/// <summary>
/// Binding the way PowerShell's own cmdlets bind: names and ARNs piped as strings (an ARN read as an ARN, anything
/// else as a name), -GroupName/-Version on the version cmdlets, parameter sets that keep -Arn apart from
/// -GroupName/-Version, a Deployment piped into Get-MRModelVersion as the versions it serves, and bare calls that fail
/// with NoInput instead of prompting (this runspace has no host UI: a prompt would be a different error).
/// </summary>
public sealed class BindingTests : IDisposable
{
    private const string Image = "123456789012.dkr.ecr.ap-northeast-1.amazonaws.com/fraud:1.0";
    private const string GroupArn = "arn:aws:sagemaker:ap-northeast-1:123456789012:model-package-group/rc-fraud-detection";
    private const string VersionArn = "arn:aws:sagemaker:ap-northeast-1:123456789012:model-package/rc-fraud-detection/";
    private readonly ModuleHost _host = new();
    private readonly TempFolder _temp = new("mr-binding");

    public BindingTests()
    {
        File.WriteAllText(Path.Combine(_temp.Path, ".env.shared"), string.Join("\n",
            "COMPANY=acme", "AWS_REGION=ap-northeast-1", "AWS_ACCOUNT_ID=123456789012", "TEAMS=\"rc\"", "TEAM_RC_FULLNAME=risk-control",
            "RC_PROJECTS=\"fraud-detection churn\"", ""));
        var setup = Run("Set-Location $folder; Connect-MRRegistry -Local -Path ./registry; Get-MRProject | New-MRModelGroup | Out-Null; " +
                        $"1..3 | ForEach-Object {{ Register-MRModelVersion rc-fraud-detection -ImageUri {Image} }} | Out-Null");
        Assert.Empty(setup.Errors);
    }

    public void Dispose()
    {
        _host.Dispose();
        _temp.Dispose();
    }

    private ModuleHost.Result Run(string script) => _host.Run(script, new Hashtable { ["folder"] = _temp.Path });

    private static string Id(ErrorRecord e) => e.FullyQualifiedErrorId.Split(',')[0];

    [Fact]
    public void Group_names_and_group_ARNs_bind_by_value_from_strings()
    {
        var byName = Run("'rc-fraud-detection' | Get-MRModelGroup");
        Assert.Empty(byName.Errors);
        Assert.Equal("rc-fraud-detection", byName.Objects<ModelGroup>().Single().Name);

        var byArn = Run($"'{GroupArn}' | Get-MRModelGroup");
        Assert.Empty(byArn.Errors);
        Assert.Equal(GroupArn, byArn.Objects<ModelGroup>().Single().Arn);

        var tested = Run($"'rc-churn', '{GroupArn}' | Test-MRModelGroup");
        Assert.Empty(tested.Errors);
        Assert.Equal(2, tested.Output.Count);
    }

    [Fact]
    public void Names_read_from_a_file_pipe_into_Remove_MRModelGroup()
    {
        File.WriteAllLines(Path.Combine(_temp.Path, "names.txt"), new[] { "rc-churn", "rc-fraud-detection" });
        var removed = Run("Get-Content ./names.txt | Remove-MRModelGroup -Force -Confirm:$false");
        Assert.Empty(removed.Errors);
        Assert.Equal(2, removed.Output.Count);
        Assert.Empty(Run("Get-MRModelGroup").Output);
    }

    [Fact]
    public void A_version_ARN_piped_as_a_string_binds_to_Set_MRApproval()
    {
        var result = Run($"'{VersionArn}2' | Set-MRApproval -Status Approved -PassThru");
        Assert.Empty(result.Errors);
        var v = result.Objects<ModelVersion>().Single();
        Assert.Equal(2, v.Version);
        Assert.Equal(ApprovalStatus.Approved, v.Status);
    }

    [Fact]
    public void Version_cmdlets_take_GroupName_and_Version_by_position_and_by_pipeline()
    {
        var approved = Run("Approve-MRModelVersion rc-fraud-detection -Version 1 -PassThru");
        Assert.Empty(approved.Errors);
        Assert.Equal(ApprovalStatus.Approved, approved.Objects<ModelVersion>().Single().Status);

        var denied = Run("'rc-fraud-detection' | Deny-MRModelVersion -Version 2, 3 -PassThru");
        Assert.Empty(denied.Errors);
        Assert.Equal(new[] { 2, 3 }, denied.Objects<ModelVersion>().Select(v => v.Version));
        Assert.All(denied.Objects<ModelVersion>(), v => Assert.Equal(ApprovalStatus.Rejected, v.Status));

        var removed = Run("Remove-MRModelVersion -GroupName rc-fraud-detection -Version 3 -Confirm:$false -PassThru");
        Assert.Empty(removed.Errors);
        Assert.Equal(3, removed.Objects<ModelVersion>().Single().Version);
        Assert.Equal(new[] { 1, 2 }, Run("Get-MRModelVersion rc-fraud-detection").Objects<ModelVersion>().Select(v => v.Version));
    }

    [Theory]
    [InlineData("Approve-MRModelVersion")]
    [InlineData("Deny-MRModelVersion")]
    [InlineData("Set-MRApproval")]
    [InlineData("Remove-MRModelVersion")]
    [InlineData("Deploy-MRModelVersion")]
    public void Parameter_sets_keep_Arn_apart_from_GroupName_and_Version(string cmdlet)
    {
        var sets = Run($"(Get-Command {cmdlet}).ParameterSets | ForEach-Object {{ $_.Name + ':' + (($_.Parameters.Name | Where-Object {{ $_ -in 'Arn','GroupName','Version','InputObject' }} | Sort-Object) -join ',') }}")
            .Output.Select(o => o.ToString()).OrderBy(s => s).ToList();
        Assert.Equal(new[] { "Arn:Arn", "Name:GroupName,Version", "Version:InputObject" }, sets);
        // Strings piped or given by position go to -Arn unless -Version chooses the name set.
        Assert.Equal("Arn", Run($"(Get-Command {cmdlet}).DefaultParameterSet").Output.Single().ToString());
        var both = Run($"{cmdlet} -Arn {VersionArn}1 -GroupName rc-fraud-detection -Version 1 -WhatIf");
        var error = Assert.Single(both.Errors);
        Assert.IsAssignableFrom<ParameterBindingException>(error.Exception);
    }

    [Fact]
    public void A_string_that_is_not_an_ARN_is_an_InvalidArn_argument_error()
    {
        var piped = Run("'not-an-arn' | Set-MRApproval -Status Approved");
        var error = Assert.Single(piped.Errors);
        Assert.Equal("ModelRegistry.Invalid.InvalidArn", Id(error));
        Assert.Equal(ErrorCategory.InvalidArgument, error.CategoryInfo.Category);
        Assert.Contains("-GroupName 'not-an-arn' -Version", error.Exception.Message);

        var read = Run("Get-MRModelVersion -Arn not-an-arn");
        error = Assert.Single(read.Errors);
        Assert.Equal("ModelRegistry.Invalid.InvalidArn", Id(error));
        Assert.Equal(ErrorCategory.InvalidArgument, error.CategoryInfo.Category);
        Assert.DoesNotContain("does not exist", error.Exception.Message);

        var groupArn = Run($"'{GroupArn}' | Approve-MRModelVersion");
        Assert.Equal("ModelRegistry.Invalid.InvalidArn", Id(Assert.Single(groupArn.Errors)));
    }

    [Fact]
    public void Get_MRModelVersion_reads_a_version_ARN_piped_as_a_string_and_lists_a_group_named_by_one()
    {
        var one = Run($"'{VersionArn}2' | Get-MRModelVersion");
        Assert.Empty(one.Errors);
        Assert.Equal(2, one.Objects<ModelVersion>().Single().Version);
        var all = Run($"'rc-fraud-detection', '{GroupArn}' | Get-MRModelVersion");
        Assert.Empty(all.Errors);
        Assert.Equal(6, all.Output.Count);
    }

    [Fact]
    public void A_Deployment_piped_into_Get_MRModelVersion_yields_the_versions_it_serves()
    {
        var deployed = Run($"Approve-MRModelVersion -GroupName rc-fraud-detection -Version 2; Deploy-MRModelVersion -GroupName rc-fraud-detection -Version 2 -EndpointName fraud-ep");
        Assert.Empty(deployed.Errors);
        var served = Run("Get-MRDeployment fraud-ep | Get-MRModelVersion");
        Assert.Empty(served.Errors);
        Assert.Equal(2, served.Objects<ModelVersion>().Single().Version);

        // A version ARN piped as a string to Get-MRDeployment finds where it runs; an endpoint name removes it.
        Assert.Equal("fraud-ep", Run($"'{VersionArn}2' | Get-MRDeployment").Objects<ModelRegistry.Deployment>().Single().EndpointName);
        Assert.Empty(Run($"'{VersionArn}1' | Get-MRDeployment").Output);
        var removed = Run("'fraud-ep' | Remove-MRDeployment -Confirm:$false");
        Assert.Empty(removed.Errors);
        Assert.Empty(Run("Get-MRDeployment").Output);
    }

    [Fact]
    public void An_object_is_never_turned_into_a_name_by_its_ToString()
    {
        // An endpoint named like a group, and a group named like an endpoint: piping one kind into the other's
        // removal must bind nothing, not remove the namesake.
        Run("Approve-MRModelVersion -GroupName rc-fraud-detection -Version 1; Deploy-MRModelVersion -GroupName rc-fraud-detection -Version 1 -EndpointName rc-churn");
        Assert.Empty(Run("Get-MRDeployment rc-churn | Remove-MRModelGroup -Force -Confirm:$false").Output);
        Assert.Single(Run("Get-MRModelGroup rc-churn").Objects<ModelGroup>());
        Assert.Empty(Run("Get-MRModelGroup rc-churn | Remove-MRDeployment -Confirm:$false").Output);
        Assert.Single(Run("Get-MRDeployment rc-churn").Objects<ModelRegistry.Deployment>());
        // A group still filters Get-MRDeployment by its versions' group, not as an endpoint name.
        Assert.Empty(Run("Get-MRModelGroup rc-churn | Get-MRDeployment").Output);
        Assert.Equal("rc-churn", Run("Get-MRModelGroup rc-fraud-detection | Get-MRDeployment").Objects<ModelRegistry.Deployment>().Single().EndpointName);
    }

    [Fact]
    public void A_version_ARN_piped_as_a_string_deploys()
    {
        Run("Approve-MRModelVersion -GroupName rc-fraud-detection -Version 1");
        var result = Run($"'{VersionArn}1' | Deploy-MRModelVersion -EndpointName arn-ep");
        Assert.Empty(result.Errors);
        Assert.Equal(1, result.Objects<ModelRegistry.Deployment>().Single().Version);
    }

    [Theory]
    [InlineData("Approve-MRModelVersion")]
    [InlineData("Deny-MRModelVersion")]
    [InlineData("Set-MRApproval -Status Approved")]
    [InlineData("Remove-MRModelVersion -Confirm:$false")]
    [InlineData("Get-MRModelVersion")]
    [InlineData("Get-MRModelMetric")]
    [InlineData("Test-MRModelVersion")]
    [InlineData("Deploy-MRModelVersion -EndpointName ep")]
    [InlineData("Remove-MRDeployment -Confirm:$false")]
    public void A_bare_version_cmdlet_fails_with_NoInput_and_an_empty_pipeline_stays_silent(string command)
    {
        var bare = Run(command);
        var error = Assert.Single(bare.Errors);
        Assert.Equal("ModelRegistry.Invalid.NoInput", Id(error));
        Assert.Equal(ErrorCategory.InvalidArgument, error.CategoryInfo.Category);

        var empty = Run("@() | " + command);
        Assert.Empty(empty.Errors);
        Assert.Empty(empty.Output);
    }
}
