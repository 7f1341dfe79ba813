using System.Collections;
using ModelRegistry.Tests.Support;

namespace ModelRegistry.Tests.Cmdlets;

/// <summary>
/// A Local registry speaks the account and region of the configuration it is fed from (or of -AccountId/-Region on
/// Connect-MRRegistry), so its ARNs are the ones Get-MRIamPolicy grants; Disconnect-MRRegistry forgets the session's
/// registry.
/// </summary>
public sealed class LocalIdentityTests : IDisposable
{
    private readonly ModuleHost _host = new();
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "mr-localid-" + Guid.NewGuid().ToString("N"));

    public LocalIdentityTests()
    {
        Directory.CreateDirectory(Path.Combine(_folder, "work"));
        File.WriteAllText(Path.Combine(_folder, "work", ".env.shared"), string.Join("\n",
            "COMPANY=acme", "AWS_REGION=ap-northeast-1", "AWS_ACCOUNT_ID=123456789012", "TEAMS=\"rc\"", "TEAM_RC_FULLNAME=risk-control",
            "RC_PROJECTS=\"fraud-detection\"", ""));
        File.WriteAllText(Path.Combine(_folder, "other.env"), string.Join("\n",
            "COMPANY=acme", "AWS_REGION=eu-west-1", "AWS_ACCOUNT_ID=210987654321", "TEAMS=\"mk\"", "TEAM_MK_FULLNAME=marketing",
            "MK_PROJECTS=\"churn\"", ""));
    }

    public void Dispose()
    {
        _host.Dispose();
        try { Directory.Delete(_folder, true); } catch (IOException) { }
    }

    private ModuleHost.Result Run(string script) => _host.Run(script, new Hashtable { ["folder"] = _folder });

    [Fact]
    public void Fed_from_env_shared_the_Local_registrys_ARNs_are_the_IAM_policys()
    {
        var result = Run("Set-Location (Join-Path $folder work); Connect-MRRegistry -Local -Path (Join-Path $folder registry); " +
                         "Get-MRProject | New-MRModelGroup | ForEach-Object { $_.Group.Arn }; Get-MRModelGroup rc-fraud-detection | ForEach-Object Arn; " +
                         "(Get-MRIamPolicy -Role Admin).Document");
        Assert.Empty(result.Errors);
        const string arn = "arn:aws:sagemaker:ap-northeast-1:123456789012:model-package-group/rc-fraud-detection";
        Assert.Equal(arn, result.Output[0].BaseObject);
        Assert.Equal(arn, result.Output[1].BaseObject);
        Assert.Contains(arn, (string)result.Output[2].BaseObject);
    }

    [Fact]
    public void Piped_projects_of_another_file_bring_their_account_and_region()
    {
        var result = Run("Set-Location (Join-Path $folder work); Connect-MRRegistry -Local -Path (Join-Path $folder registry); " +
                         "Get-MRProject -Path (Join-Path $folder other.env) | New-MRModelGroup | ForEach-Object { $_.Group.Arn }");
        Assert.Empty(result.Errors);
        Assert.Equal("arn:aws:sagemaker:eu-west-1:210987654321:model-package-group/mk-churn", Assert.Single(result.Output).BaseObject);
    }

    [Fact]
    public void Connect_MRRegistry_AccountId_and_Region_win_over_the_file()
    {
        var result = Run("Set-Location (Join-Path $folder work); Connect-MRRegistry -Local -Path (Join-Path $folder registry) -AccountId 111122223333 -Region us-west-2; " +
                         "Get-MRProject | New-MRModelGroup | ForEach-Object { $_.Group.Arn }");
        Assert.Empty(result.Errors);
        Assert.Equal("arn:aws:sagemaker:us-west-2:111122223333:model-package-group/rc-fraud-detection", Assert.Single(result.Output).BaseObject);
    }

    [Fact]
    public void Disconnect_MRRegistry_returns_the_session_to_its_default()
    {
        var result = Run("Connect-MRRegistry -Local -Path (Join-Path $folder registry); (Get-MRRegistry).Backend.ToString(); " +
                         "Disconnect-MRRegistry; $r = Get-MRRegistry; $r.Backend.ToString(); $null -eq $r.LocalPath");
        Assert.Empty(result.Errors);
        Assert.Equal(new object[] { "Local", "SageMaker", true }, result.Output.Select(o => o.BaseObject));
    }
}
