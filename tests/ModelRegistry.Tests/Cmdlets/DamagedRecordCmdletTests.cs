using System.Collections;
using System.Management.Automation;
using ModelRegistry.Tests.Support;

namespace ModelRegistry.Tests.Cmdlets;

/// <summary>A damaged Local record reaches the user as one non-terminating error naming its file; the rest still comes out.</summary>
public sealed class DamagedRecordCmdletTests : IDisposable
{
    private readonly ModuleHost _host = new();
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "mr-damaged-" + Guid.NewGuid().ToString("N"));

    public DamagedRecordCmdletTests()
    {
        Directory.CreateDirectory(_folder);
        Run("Set-Location $folder; Connect-MRRegistry -Local -Path ./registry; 1..8 | ForEach-Object { New-MRModelGroup -Name \"g-$_\" } | Out-Null");
    }

    public void Dispose()
    {
        _host.Dispose();
        try { Directory.Delete(_folder, recursive: true); } catch (IOException) { }
    }

    private ModuleHost.Result Run(string script) => _host.Run(script, new Hashtable { ["folder"] = _folder });

    private string Damage(string relative, string content = "{ \"Format\": 1, \"Na")
    {
        var path = Path.Combine(_folder, "registry", relative);
        File.WriteAllText(path, content);
        return path;
    }

    private static void AssertOneDamagedError(ModuleHost.Result result, string path)
    {
        var error = Assert.Single(result.Errors);
        Assert.StartsWith("ModelRegistry.Damaged.DamagedRecord,", error.FullyQualifiedErrorId);
        Assert.Equal(ErrorCategory.InvalidData, error.CategoryInfo.Category);
        Assert.Equal(path, error.TargetObject);
        Assert.Contains(path, error.Exception.Message);
    }

    [Fact]
    public void Listing_groups_writes_every_other_group_and_one_error_naming_the_file()
    {
        var path = Damage("groups/g-2/group.json");

        var result = Run("Get-MRModelGroup");

        Assert.Equal(new[] { "g-1", "g-3", "g-4", "g-5", "g-6", "g-7", "g-8" }, result.Objects<ModelGroup>().Select(g => g.Name));
        AssertOneDamagedError(result, path);
        // A wildcard listing, and one with tags read per group, go on the same way.
        var pattern = Run("Get-MRModelGroup g-* -IncludeTags");
        Assert.Equal(7, pattern.Objects<ModelGroup>().Count());
        AssertOneDamagedError(pattern, path);
    }

    [Fact]
    public void A_name_list_with_a_damaged_group_writes_the_others()
    {
        var path = Damage("groups/g-2/group.json");

        var result = Run("Get-MRModelGroup -Name g-1, g-2, g-6");

        Assert.Equal(new[] { "g-1", "g-6" }, result.Objects<ModelGroup>().Select(g => g.Name));
        AssertOneDamagedError(result, path);
    }

    [Fact]
    public void Listing_versions_writes_every_other_version_and_one_error_naming_the_file()
    {
        Run("1..5 | ForEach-Object { Register-MRModelVersion g-1 -ImageUri 123456789012.dkr.ecr.us-east-1.amazonaws.com/m:1 } | Out-Null");
        var path = Damage("groups/g-1/versions/3.json", "[]");

        var result = Run("Get-MRModelVersion g-1");
        Assert.Equal(new[] { 1, 2, 4, 5 }, result.Objects<ModelVersion>().Select(v => v.Version));
        AssertOneDamagedError(result, path);

        var across = Run("Get-MRModelVersion g-*");
        Assert.Equal(4, across.Objects<ModelVersion>().Count());
        AssertOneDamagedError(across, path);
    }

    [Fact]
    public void Listing_deployments_writes_every_other_endpoint_and_one_error_naming_the_file()
    {
        const string image = "123456789012.dkr.ecr.us-east-1.amazonaws.com/m:1";
        var deploy = Run("$v = Register-MRModelVersion g-1 -ImageUri " + image + " -ApprovalStatus Approved; " +
            "'ep-a', 'ep-b', 'ep-c' | ForEach-Object { $v | Deploy-MRModelVersion -EndpointName $_ -ExecutionRoleArn arn:aws:iam::123456789012:role/r -Confirm:$false }");
        Assert.Empty(deploy.Errors);
        var path = Directory.GetFiles(Path.Combine(_folder, "registry"), "ep-b.json", SearchOption.AllDirectories).Single();
        File.WriteAllText(path, "{ \"Name\": ");

        var result = Run("Get-MRDeployment");

        Assert.Equal(new[] { "ep-a", "ep-c" }, result.Objects<ModelRegistry.Deployment>().Select(d => d.EndpointName).OrderBy(n => n));
        AssertOneDamagedError(result, path);
    }

    [Fact]
    public void A_name_with_a_trailing_line_break_is_refused_and_makes_no_second_group()
    {
        var result = Run("New-MRModelGroup -Name \"g-1`n\"");

        var error = Assert.Single(result.Errors);
        Assert.Contains("U+000A", error.Exception.Message);
        Assert.Equal(8, Run("Get-MRModelGroup").Objects<ModelGroup>().Count());
        Assert.Single(Run("Get-MRModelGroup -Region \"us-east-1`n\"").Errors); // parameter patterns are anchored too
    }
}
