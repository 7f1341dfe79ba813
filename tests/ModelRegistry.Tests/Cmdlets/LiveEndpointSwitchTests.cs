using System.Management.Automation;
using System.Management.Automation.Runspaces;
using ModelRegistry.Tests.Support;

namespace ModelRegistry.Tests.Cmdlets;

/// <summary>
/// Switching a live endpoint to another version is High impact: Deploy-MRModelVersion asks (under the default
/// $ConfirmPreference), -WhatIf names both versions, -Confirm:$false and $ConfirmPreference = 'None' never ask, and a
/// host that cannot ask fails the item instead of waiting. Creating an endpoint stays Medium and never asks.
/// On a Local registry, in a runspace whose host records every question.
/// </summary>
public sealed class LiveEndpointSwitchTests : IDisposable
{
    private const string Image = "123456789012.dkr.ecr.ap-northeast-1.amazonaws.com/fraud:1.0";
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "mr-switch-" + Guid.NewGuid().ToString("N"));
    private readonly CapturingHost _host = new();
    private readonly Runspace _runspace;
    private readonly ModelVersion _v1;
    private readonly ModelVersion _v2;

    public LiveEndpointSwitchTests()
    {
        Directory.CreateDirectory(_folder);
        var iss = InitialSessionState.CreateDefault2();
        iss.ImportPSModule(ModuleHost.ModulePath);
        _runspace = RunspaceFactory.CreateRunspace(_host, iss);
        _runspace.Open();
        _runspace.SessionStateProxy.SetVariable("folder", _folder);
        Run("Connect-MRRegistry -Local -Path (Join-Path $folder registry); New-MRModelGroup -Name rc-fraud-detection -Description d | Out-Null");
        _v1 = Register();
        _v2 = Register();
        // Creating an endpoint is Medium: under the default $ConfirmPreference (High) nothing asks.
        var created = Run($"Deploy-MRModelVersion -Arn '{_v1.Arn}' -EndpointName ep");
        Assert.Empty(created.Errors);
        Assert.Equal(DeploymentChange.Created, Assert.Single(created.Output.Select(o => o.BaseObject).OfType<ModelRegistry.Deployment>()).Change);
        Assert.Empty(_host.Prompts);
    }

    public void Dispose()
    {
        _runspace.Dispose();
        try { Directory.Delete(_folder, true); } catch (IOException) { }
    }

    private (IReadOnlyList<PSObject> Output, IReadOnlyList<ErrorRecord> Errors) Run(string script)
    {
        using var ps = PowerShell.Create();
        ps.Runspace = _runspace;
        ps.AddScript(script);
        var output = ps.Invoke();
        return (output, ps.Streams.Error.ToList());
    }

    private ModelVersion Register() =>
        (ModelVersion)Run($"Register-MRModelVersion rc-fraud-detection -ImageUri {Image} -ApprovalStatus Approved").Output.Single().BaseObject;

    private int? Serving() =>
        ((ModelRegistry.Deployment)Run("Get-MRDeployment ep").Output.Single().BaseObject).Version;

    [Fact]
    public void Switching_asks_by_default_naming_both_versions_and_No_leaves_the_endpoint_serving_the_old_one()
    {
        _host.Answer = "No";
        var result = Run($"Deploy-MRModelVersion -Arn '{_v2.Arn}' -EndpointName ep");
        var prompt = Assert.Single(_host.Prompts);
        Assert.Contains("Switch live endpoint ep", prompt);
        Assert.Contains($"from version {_v1.Version} of rc-fraud-detection to version {_v2.Version} of rc-fraud-detection", prompt);
        Assert.Empty(result.Errors);
        Assert.Empty(result.Output);
        Assert.Equal(_v1.Version, Serving());

        _host.Answer = "Yes";
        var yes = Run($"Deploy-MRModelVersion -Arn '{_v2.Arn}' -EndpointName ep");
        Assert.Empty(yes.Errors);
        Assert.Equal(DeploymentChange.Updated, ((ModelRegistry.Deployment)yes.Output.Single().BaseObject).Change);
        Assert.Equal(_v2.Version, Serving());
    }

    [Fact]
    public void WhatIf_says_which_version_the_endpoint_would_switch_from_and_to_and_asks_nothing()
    {
        var result = Run($"Deploy-MRModelVersion -Arn '{_v2.Arn}' -EndpointName ep -WhatIf");
        Assert.Empty(result.Errors);
        Assert.Empty(_host.Prompts);
        var whatIf = Assert.Single(_host.Lines, l => l.StartsWith("What if:", StringComparison.Ordinal));
        Assert.Contains($"Switch endpoint 'ep' from version {_v1.Version} of rc-fraud-detection to version {_v2.Version} of rc-fraud-detection", whatIf);
        Assert.Equal(_v1.Version, Serving());
    }

    [Theory]
    [InlineData("Deploy-MRModelVersion -Arn '{0}' -EndpointName ep -Confirm:$false")]
    [InlineData("$ConfirmPreference = 'None'; Deploy-MRModelVersion -Arn '{0}' -EndpointName ep")]
    public void Confirm_false_or_ConfirmPreference_None_switches_without_asking(string script)
    {
        var result = Run(string.Format(script, _v2.Arn));
        Assert.Empty(result.Errors);
        Assert.Empty(_host.Prompts);
        Assert.Equal(_v2.Version, Serving());
    }

    [Fact]
    public void A_host_that_cannot_ask_fails_the_switch_clearly_and_changes_nothing()
    {
        _host.Answer = null;
        var result = Run($"Deploy-MRModelVersion -Arn '{_v2.Arn}' -EndpointName ep");
        var error = Assert.Single(result.Errors);
        Assert.Equal("ModelRegistry.Stopped.ConfirmationRequired", error.FullyQualifiedErrorId.Split(',')[0]);
        Assert.Equal(ErrorCategory.InvalidOperation, error.CategoryInfo.Category);
        Assert.Contains("-Confirm:$false", error.Exception.Message);
        Assert.Empty(result.Output);
        Assert.Equal(_v1.Version, Serving());
    }

    [Fact]
    public void Deploying_the_version_the_endpoint_already_serves_asks_nothing()
    {
        _host.Answer = null;
        var result = Run($"Deploy-MRModelVersion -Arn '{_v1.Arn}' -EndpointName ep");
        Assert.Empty(result.Errors);
        Assert.Empty(_host.Prompts);
        Assert.Equal(DeploymentChange.Unchanged, ((ModelRegistry.Deployment)result.Output.Single().BaseObject).Change);
    }
}
