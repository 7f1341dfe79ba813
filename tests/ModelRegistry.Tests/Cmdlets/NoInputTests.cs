using System.Collections;
using System.Management.Automation;
using ModelRegistry.Tests.Support;

namespace ModelRegistry.Tests.Cmdlets;

/// <summary>
/// Bare group cmdlets (no pipeline, no parameters) never prompt: they read the session's configuration file, else
/// ./.env.shared, else fail with ConfigNotFound. The runspace has no host UI, so a prompt for a mandatory parameter
/// would throw here instead of waiting (in a job whose stdin stays open it would hang).
/// </summary>
public sealed class NoInputTests : IDisposable
{
    private readonly ModuleHost _host = new();
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "mr-noinput-" + Guid.NewGuid().ToString("N"));

    public NoInputTests()
    {
        Directory.CreateDirectory(Path.Combine(_folder, "config"));
        Directory.CreateDirectory(Path.Combine(_folder, "empty"));
        File.WriteAllText(Path.Combine(_folder, "config", "team.env"), string.Join("\n",
            "COMPANY=acme", "TEAMS=\"rc\"", "TEAM_RC_FULLNAME=risk-control", "RC_PROJECTS=\"fraud-detection churn\"", ""));
    }

    public void Dispose()
    {
        _host.Dispose();
        try { Directory.Delete(_folder, true); } catch (IOException) { }
    }

    private ModuleHost.Result Run(string script) => _host.Run(script, new Hashtable { ["folder"] = _folder });

    [Fact]
    public void Bare_group_cmdlets_read_the_session_configuration_file()
    {
        // The current folder has no .env.shared: only the session's file can supply the projects.
        Assert.Empty(Run("Set-Location (Join-Path $folder empty); Connect-MRRegistry -Local -Path (Join-Path $folder registry); Set-MRConfiguration -ConfigPath (Join-Path $folder config/team.env)").Errors);

        var created = Run("New-MRModelGroup");
        Assert.Empty(created.Errors);
        Assert.Equal(new[] { "rc-churn", "rc-fraud-detection" }, created.Output.Select(o => (string)o.Properties["Name"].Value).OrderBy(n => n));

        var tested = Run("Test-MRModelGroup");
        Assert.Empty(tested.Errors);
        Assert.Equal(2, tested.Output.Count);

        var compared = Run("Compare-MRModelGroup");
        Assert.Empty(compared.Errors);
        Assert.All(compared.Output, o => Assert.Equal("InSync", o.Properties["State"].Value.ToString()));

        var synced = Run("Sync-MRModelGroup");
        Assert.Empty(synced.Errors);
        Assert.Equal(2, synced.Output.Count);

        var removed = Run("Remove-MRModelGroup -Confirm:$false");
        Assert.Empty(removed.Errors);
        Assert.Equal(2, removed.Output.Count);
        Assert.Empty(Run("Get-MRModelGroup").Output);
    }

    [Fact]
    public void Without_a_session_file_the_current_folders_env_shared_is_read()
    {
        File.Copy(Path.Combine(_folder, "config", "team.env"), Path.Combine(_folder, "empty", ".env.shared"));
        var result = Run("Set-Location (Join-Path $folder empty); Connect-MRRegistry -Local -Path (Join-Path $folder registry); New-MRModelGroup");
        Assert.Empty(result.Errors);
        Assert.Equal(2, result.Output.Count);
    }

    [Theory]
    [InlineData("New-MRModelGroup")]
    [InlineData("Test-MRModelGroup")]
    [InlineData("Remove-MRModelGroup -Confirm:$false")]
    [InlineData("Compare-MRModelGroup")]
    [InlineData("Sync-MRModelGroup")]
    public void Without_any_configuration_file_a_bare_call_is_a_ConfigNotFound_error(string command)
    {
        var result = Run("Set-Location (Join-Path $folder empty); Connect-MRRegistry -Local -Path (Join-Path $folder registry); " + command);
        var error = Assert.Single(result.Errors);
        Assert.Equal("ModelRegistry.NotFound.ConfigNotFound", error.FullyQualifiedErrorId.Split(',')[0]);
        Assert.Equal(ErrorCategory.ObjectNotFound, error.CategoryInfo.Category);
        Assert.Contains(".env.shared", error.Exception.Message);
        Assert.Contains("Set-MRConfiguration -ConfigPath", error.Exception.Message);
        Assert.Empty(result.Output);
    }

    [Fact]
    public void Empty_pipeline_input_is_not_no_input()
    {
        // A filter that kept nothing must never fall back to the whole file (that would remove every configured group).
        File.Copy(Path.Combine(_folder, "config", "team.env"), Path.Combine(_folder, "empty", ".env.shared"));
        Run("Set-Location (Join-Path $folder empty); Connect-MRRegistry -Local -Path (Join-Path $folder registry); New-MRModelGroup | Out-Null");
        var removed = Run("@() | Remove-MRModelGroup -Confirm:$false; Get-MRModelGroup");
        Assert.Empty(removed.Errors);
        Assert.Equal(2, removed.Output.Count);
    }
}
