using System.Collections;
using System.Management.Automation;
using System.Net;
using System.Net.Sockets;
using ModelRegistry.Tests.Support;

namespace ModelRegistry.Tests.Cmdlets;

/// <summary>
/// When STS cannot be reached, the wrong-account guard says so once per command, naming STS (not SageMaker) and every
/// input it did not act on, and the STS call shows in -Verbose. Nothing reaches SageMaker (its endpoint is closed too).
/// </summary>
[Collection("process-environment")]
public sealed class StsFailureTests : IDisposable
{
    private static readonly string[] Variables =
        { "AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN", "AWS_EC2_METADATA_DISABLED", "AWS_ENDPOINT_URL_STS", "AWS_PROFILE", "AWS_MAX_ATTEMPTS" };
    private readonly Dictionary<string, string?> _saved = Variables.ToDictionary(v => v, Environment.GetEnvironmentVariable);
    private readonly TempFolder _temp = new("mr-sts-failure");
    private readonly ModuleHost _host;
    private readonly string _closed;

    public StsFailureTests()
    {
        _closed = "http://127.0.0.1:" + ClosedPort();
        Environment.SetEnvironmentVariable("AWS_ACCESS_KEY_ID", "test");
        Environment.SetEnvironmentVariable("AWS_SECRET_ACCESS_KEY", "test");
        Environment.SetEnvironmentVariable("AWS_SESSION_TOKEN", null);
        Environment.SetEnvironmentVariable("AWS_PROFILE", null);
        Environment.SetEnvironmentVariable("AWS_EC2_METADATA_DISABLED", "true");
        Environment.SetEnvironmentVariable("AWS_MAX_ATTEMPTS", "1");
        Environment.SetEnvironmentVariable("AWS_ENDPOINT_URL_STS", _closed);
        File.WriteAllText(Path.Combine(_temp.Path, ".env.shared"), string.Join("\n",
            "COMPANY=acme", "AWS_REGION=ap-northeast-1", "AWS_ACCOUNT_ID=123456789012", "TEAMS=\"rc\"", "TEAM_RC_FULLNAME=risk-control",
            "RC_PROJECTS=\"fraud-detection churn aml\"", ""));
        _host = new ModuleHost();
    }

    private static int ClosedPort()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }

    public void Dispose()
    {
        _host.Dispose();
        _temp.Dispose();
        foreach (var v in _saved) Environment.SetEnvironmentVariable(v.Key, v.Value);
    }

    [Fact]
    public void An_STS_failure_is_one_error_naming_STS_and_shows_in_Verbose()
    {
        var result = _host.Run("Set-Location $folder; Get-MRProject | New-MRModelGroup -EndpointUrl $url -Verbose",
            new Hashtable { ["folder"] = _temp.Path, ["url"] = _closed });
        Assert.Empty(result.Output);
        var error = Assert.Single(result.Errors);
        Assert.Equal("ModelRegistry.Unavailable.AccountCheck", error.FullyQualifiedErrorId.Split(',')[0]);
        Assert.Equal(ErrorCategory.ConnectionError, error.CategoryInfo.Category);
        Assert.Contains("STS could not be reached", error.Exception.Message);
        Assert.DoesNotContain("SageMaker could not be reached", error.Exception.Message);
        foreach (var group in new[] { "rc-fraud-detection", "rc-churn", "rc-aml" }) Assert.Contains(group, error.Exception.Message);
        Assert.Contains(result.Verbose, v => v.StartsWith("STS GetCallerIdentity", StringComparison.Ordinal));
    }
}
