using System.Collections;
using ModelRegistry.Tests.Support;

namespace ModelRegistry.Tests.Cmdlets;

/// <summary>
/// The region of .env.shared travels with what is read from it: with a session that names no region (and an
/// environment that names another), every cmdlet fed from a project — directly or through the groups and versions
/// reached from it — signs its SageMaker calls for the file's AWS_REGION. A loopback proxy in front of moto reads
/// each call's signing region from its Authorization header.
/// </summary>
[Collection("process-environment")]
public sealed class ConfiguredRegionTests : IClassFixture<ConfiguredRegionTests.Moto>, IDisposable
{
    private const string FileRegion = "eu-west-1";
    private const string Image = "123456789012.dkr.ecr.eu-west-1.amazonaws.com/fraud:1.0";

    /// <summary>moto behind a proxy that reads signing regions, the file, and an environment naming another region.</summary>
    public sealed class Moto : IDisposable
    {
        private static readonly string[] Variables =
            { "AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN", "AWS_EC2_METADATA_DISABLED", "AWS_REGION", "AWS_DEFAULT_REGION", "AWS_PROFILE" };
        private readonly Dictionary<string, string?> _saved = Variables.ToDictionary(v => v, Environment.GetEnvironmentVariable);
        private readonly MotoServer _server = new();

        public Moto()
        {
            Proxy = new FaultProxy(_server.Url, rate: 0, seed: 1);
            Environment.SetEnvironmentVariable("AWS_ACCESS_KEY_ID", "test");
            Environment.SetEnvironmentVariable("AWS_SECRET_ACCESS_KEY", "test");
            Environment.SetEnvironmentVariable("AWS_SESSION_TOKEN", null);
            Environment.SetEnvironmentVariable("AWS_PROFILE", null);
            Environment.SetEnvironmentVariable("AWS_EC2_METADATA_DISABLED", "true");
            // What a cmdlet that ignored the file would sign for.
            Environment.SetEnvironmentVariable("AWS_REGION", "us-east-1");
            Environment.SetEnvironmentVariable("AWS_DEFAULT_REGION", "us-east-1");
            File.WriteAllText(System.IO.Path.Combine(Folder.Path, "region.env"), string.Join("\n",
                "COMPANY=acme", $"AWS_REGION={FileRegion}", "TEAMS=\"rc\"", "TEAM_RC_FULLNAME=risk-control", "RC_PROJECTS=\"fraud\"", ""));
            File.WriteAllText(System.IO.Path.Combine(Folder.Path, "other.env"), string.Join("\n",
                "COMPANY=acme", "AWS_REGION=us-west-2", "TEAMS=\"rc\"", "TEAM_RC_FULLNAME=risk-control", "RC_PROJECTS=\"fraud\"", ""));
        }

        public FaultProxy Proxy { get; }
        public TempFolder Folder { get; } = new("mr-region");
        public bool Seeded { get; set; }

        public void Dispose()
        {
            Proxy.Dispose();
            _server.Dispose();
            Folder.Dispose();
            foreach (var v in _saved) Environment.SetEnvironmentVariable(v.Key, v.Value);
        }
    }

    private readonly Moto _moto;
    private readonly ModuleHost _host = new();

    public ConfiguredRegionTests(Moto moto)
    {
        _moto = moto;
        // No -Region: the session names none, so the file's region is the most explicit one.
        Run("Set-Location $folder; Connect-MRRegistry -EndpointUrl $url");
        if (_moto.Seeded) return;
        var seed = Run($@"
            Get-MRProject ./region.env | New-MRModelGroup | Out-Null
            Get-MRProject ./region.env | Register-MRModelVersion -ImageUri {Image} | Out-Null
            Get-MRProject ./region.env | Register-MRModelVersion -ImageUri {Image} | Out-Null
            Get-MRProject ./other.env | New-MRModelGroup | Out-Null
            Get-MRProject ./other.env | Register-MRModelVersion -ImageUri {Image} | Out-Null");
        Assert.Empty(seed.Errors);
        _moto.Seeded = true;
    }

    public void Dispose() => _host.Dispose();

    private ModuleHost.Result Run(string script) =>
        _host.Run(script, new Hashtable { ["folder"] = _moto.Folder.Path, ["url"] = _moto.Proxy.Url });

    public static TheoryData<string> FedFromAProject => new()
    {
        "Get-MRProject ./region.env | Get-MRModelGroup",
        "Get-MRProject ./region.env | Get-MRModelVersion",
        "Get-MRProject ./region.env | Get-MRModelGroup | Get-MRModelVersion",
        "Get-MRProject ./region.env | Get-MRModelVersion | Get-MRModelMetric",
        "Get-MRProject ./region.env | Get-MRModelVersion | Test-MRModelVersion",
        "Get-MRProject ./region.env | Get-MRModelVersion | Compare-MRModelVersion",
        "Get-MRProject ./region.env | Get-MRModelVersion | Export-MRApprovalAudit -Path ./audit.csv",
        "Get-MRProject ./region.env | Get-MRModelVersion | Set-MRApproval -Status PendingManualApproval",
        "Get-MRProject ./region.env | Get-MRModelVersion -Stage Development",
        "Get-MRProject ./region.env | Get-MRModelVersion | Set-MRModelVersion -CustomerMetadata @{ ticket = 'ML-42' }",
        "Get-MRProject ./region.env | Get-MRModelVersion | Set-MRModelLifecycle -Stage Development -Force",
        "Get-MRProject ./region.env | Get-MRModelVersion -Latest 1 | Remove-MRModelVersion -WhatIf",
        "Get-MRProject ./region.env | Test-MRModelGroup",
        "Get-MRProject ./region.env | Compare-MRModelGroup",
        "Get-MRProject ./region.env | Get-MRDeployment",
    };

    [Theory]
    [MemberData(nameof(FedFromAProject))]
    public void Every_cmdlet_fed_from_a_project_signs_for_the_files_region(string pipeline)
    {
        var before = _moto.Proxy.Forwarded.Count;
        var result = Run(pipeline);
        var calls = _moto.Proxy.Forwarded.Skip(before).Where(f => f.Operation != "").ToList(); // STS has no X-Amz-Target
        Assert.NotEmpty(calls);
        var elsewhere = calls.Where(c => c.SigningRegion != FileRegion).Select(c => $"{c.Operation} → {c.SigningRegion}").ToList();
        Assert.True(elsewhere.Count == 0, $"{pipeline}: {string.Join(", ", elsewhere)}; errors: " +
            string.Join(" | ", result.Errors.Select(e => e.Exception.Message)));
    }

    [Fact]
    public void Versions_from_files_naming_different_regions_are_refused_by_a_one_region_read()
    {
        var result = Run(@"
            $a = Get-MRProject ./region.env | Get-MRModelVersion
            $b = Get-MRProject ./other.env | Get-MRModelVersion
            @($a) + @($b) | Get-MRModelMetric");
        var error = Assert.Single(result.Errors);
        Assert.Equal("ModelRegistry.Invalid.MixedRegions", error.FullyQualifiedErrorId.Split(',')[0]);
        Assert.Contains("eu-west-1", error.Exception.Message);
        Assert.Contains("us-west-2", error.Exception.Message);
    }
}
