using System.Collections;
using System.Management.Automation;
using System.Text.Json;
using ModelRegistry.Tests.Support;

namespace ModelRegistry.Tests.Cmdlets;

/// <summary>Deploy-/Get-/Remove-MRDeployment and Get-MRIamPolicy in-process, on a Local registry.</summary>
public sealed class DeploymentCmdletTests : IDisposable
{
    private const string Image = "123456789012.dkr.ecr.ap-northeast-1.amazonaws.com/fraud:1.0";
    private readonly ModuleHost _host = new();
    private readonly TempFolder _temp = new("mr-deploy-cmdlets");
    private string Folder => _temp.Path;

    public DeploymentCmdletTests()
    {
        File.WriteAllText(Path.Combine(Folder, ".env.shared"), string.Join("\n",
            "COMPANY=acme", "AWS_REGION=ap-northeast-1", "AWS_ACCOUNT_ID=123456789012", "TEAMS=\"rc algo\"",
            "TEAM_RC_FULLNAME=risk-control", "TEAM_ALGO_FULLNAME=algorithm", "RC_PROJECTS=\"fraud-detection anti-money-laundering\"",
            "ALGO_PROJECTS=\"recommendation-engine\"", "SAGEMAKER_EXECUTION_ROLE_ARN=arn:aws:iam::123456789012:role/sagemaker-execution", ""));
        Run("Set-Location $folder; Connect-MRRegistry -Local -Path ./registry; Get-MRProject | New-MRModelGroup | Out-Null");
    }

    public void Dispose()
    {
        _host.Dispose();
        _temp.Dispose();
    }

    private ModuleHost.Result Run(string script) => _host.Run(script, new Hashtable { ["folder"] = Folder });

    private ModelVersion Register(string status = "Approved") =>
        Run($"Register-MRModelVersion rc-fraud-detection -ImageUri {Image} -ApprovalStatus {status}").Objects<ModelVersion>().Single();

    [Fact]
    public void A_piped_approved_version_is_deployed_as_a_Local_record_and_Get_MRDeployment_shows_it()
    {
        var version = Register();
        var result = Run($"Register-MRModelVersion rc-fraud-detection -ImageUri {Image} -ApprovalStatus Approved | Deploy-MRModelVersion -EndpointName fraud-detection-endpoint -Wait");
        Assert.Empty(result.Errors);
        var deployed = result.Objects<ModelRegistry.Deployment>().Single();
        Assert.Equal(DeploymentChange.Created, deployed.Change);
        Assert.Equal(EndpointStatus.InService, deployed.Status);
        Assert.True(deployed.IsRecord);
        Assert.Equal(version.Version + 1, deployed.Version);

        var all = Run("Get-MRDeployment").Objects<ModelRegistry.Deployment>().ToList();
        Assert.Equal("fraud-detection-endpoint", Assert.Single(all).EndpointName);
        Assert.Single(Run("Get-MRModelGroup rc-fraud-detection | Get-MRDeployment").Objects<ModelRegistry.Deployment>());
        Assert.Empty(Run("Get-MRModelGroup algo-recommendation-engine | Get-MRDeployment").Objects<ModelRegistry.Deployment>());
        Assert.Single(Run("Get-MRDeployment fraud-*").Objects<ModelRegistry.Deployment>());
        // A piped version filters by its ARN, not by its whole group.
        Assert.Empty(Run($"Register-MRModelVersion rc-fraud-detection -ImageUri {Image} -ApprovalStatus Approved | Get-MRDeployment").Objects<ModelRegistry.Deployment>());
    }

    [Fact]
    public void A_version_that_is_not_approved_is_refused_with_a_Conflict_error_and_nothing_is_deployed()
    {
        var result = Run($"Register-MRModelVersion rc-fraud-detection -ImageUri {Image} | Deploy-MRModelVersion -EndpointName fraud-detection-endpoint");
        var error = Assert.Single(result.Errors);
        Assert.Equal("ModelRegistry.Conflict.NotApproved", error.FullyQualifiedErrorId.Split(',')[0]);
        Assert.Equal(ErrorCategory.InvalidOperation, error.CategoryInfo.Category);
        Assert.Contains("only Approved versions are deployed", error.Exception.Message);
        Assert.Empty(result.Objects<ModelRegistry.Deployment>());
        Assert.Empty(Run("Get-MRDeployment").Objects<ModelRegistry.Deployment>());
    }

    [Fact]
    public void WhatIf_deploys_nothing()
    {
        var v = Register();
        var result = Run($"Deploy-MRModelVersion -Arn '{v.Arn}' -EndpointName fraud-detection-endpoint -WhatIf");
        Assert.Empty(result.Errors);
        Assert.Empty(Run("Get-MRDeployment").Objects<ModelRegistry.Deployment>());
    }

    [Fact]
    public void GroupName_and_Version_name_a_version_and_a_second_deploy_of_the_same_version_is_Unchanged()
    {
        var v = Register();
        Run($"Deploy-MRModelVersion -GroupName rc-fraud-detection -Version {v.Version} -EndpointName ep-1");
        var again = Run($"Deploy-MRModelVersion -GroupName rc-fraud-detection -Version {v.Version} -EndpointName ep-1").Objects<ModelRegistry.Deployment>().Single();
        Assert.Equal(DeploymentChange.Unchanged, again.Change);
    }

    [Fact]
    public void A_new_version_switches_the_endpoint_and_Get_MRDeployment_answers_which_version_serves_it()
    {
        var v1 = Register();
        var v2 = Register();
        Run($"Deploy-MRModelVersion -Arn '{v1.Arn}' -EndpointName ep-switch");
        var switched = Run($"Deploy-MRModelVersion -Arn '{v2.Arn}' -EndpointName ep-switch -Confirm:$false").Objects<ModelRegistry.Deployment>().Single();
        Assert.Equal(DeploymentChange.Updated, switched.Change);
        Assert.NotNull(switched.PreviousEndpointConfigName);
        Assert.Equal(v2.Version, Run("Get-MRDeployment ep-switch").Objects<ModelRegistry.Deployment>().Single().Version);
    }

    [Fact]
    public void An_unknown_instance_type_fails_parameter_validation()
    {
        var v = Register();
        var result = Run($"Deploy-MRModelVersion -Arn '{v.Arn}' -EndpointName ep -InstanceType ml.nope.huge");
        var error = Assert.Single(result.Errors);
        Assert.Contains("ml.nope.huge", error.ToString());
        Assert.Empty(Run("Get-MRDeployment").Objects<ModelRegistry.Deployment>());
    }

    [Fact]
    public void Remove_deletes_the_deployment_when_confirmed_and_a_missing_endpoint_is_ObjectNotFound()
    {
        var v = Register();
        Run($"Deploy-MRModelVersion -Arn '{v.Arn}' -EndpointName ep-remove");
        Assert.Empty(Run("Get-MRDeployment ep-remove | Remove-MRDeployment -WhatIf").Errors);
        Assert.Single(Run("Get-MRDeployment").Objects<ModelRegistry.Deployment>());

        var removed = Run("Get-MRDeployment ep-remove | Remove-MRDeployment -Confirm:$false").Objects<DeploymentRemoval>().Single();
        Assert.Equal(3, removed.Deleted.Count);
        Assert.Empty(Run("Get-MRDeployment").Objects<ModelRegistry.Deployment>());

        var missing = Run("Remove-MRDeployment ep-remove -Confirm:$false");
        Assert.Equal(ErrorCategory.ObjectNotFound, Assert.Single(missing.Errors).CategoryInfo.Category);
        Assert.Equal(ErrorCategory.ObjectNotFound, Assert.Single(Run("Get-MRDeployment ep-remove").Errors).CategoryInfo.Category);
    }

    [Fact]
    public void Get_MRIamPolicy_prints_one_valid_policy_per_project_and_writes_files()
    {
        var policies = Run("Get-MRProject | Get-MRIamPolicy -Role Approver").Objects<IamPolicy>().ToList();
        Assert.Equal(new[] { "rc-fraud-detection", "rc-anti-money-laundering", "algo-recommendation-engine" }, policies.Select(p => p.GroupName));
        Assert.All(policies, p =>
        {
            Assert.Equal(IamPolicyRole.Approver, p.Role);
            using var doc = JsonDocument.Parse(p.Document);
            Assert.Contains($"arn:aws:sagemaker:ap-northeast-1:123456789012:model-package/{p.GroupName}/*", p.Document);
        });

        var written = Run("Get-MRIamPolicy -Team rc -Role Deployer -OutDirectory ./iam").Objects<IamPolicy>().ToList();
        Assert.Equal(2, written.Count);
        Assert.All(written, p => Assert.True(File.Exists(p.Path)));
        Assert.Contains("arn:aws:iam::123456789012:role/sagemaker-execution", File.ReadAllText(written[0].Path!)); // role from .env.shared
    }

    [Fact]
    public void Get_MRIamPolicy_names_the_missing_key()
    {
        File.WriteAllText(Path.Combine(Folder, "noaccount.env"), "COMPANY=acme\nAWS_REGION=ap-northeast-1\nTEAMS=rc\nRC_PROJECTS=fraud\n");
        var result = Run("Get-MRIamPolicy ./noaccount.env");
        Assert.Empty(result.Objects<IamPolicy>());
        Assert.Contains("AWS_ACCOUNT_ID", Assert.Single(result.Errors).Exception.Message);
    }
}
