using ModelRegistry.Engine.Registry;

namespace ModelRegistry.Tests.Registry.Local;

/// <summary>One damaged record is one error naming its file; every listing goes on with the rest.</summary>
public sealed class LocalDamagedRecordTests : LocalRegistryTestBase
{
    /// <summary>Truncated, not JSON, JSON of the wrong shape, a record of another group, a format this module does not know.</summary>
    public static TheoryData<string, string> DamagedGroupFiles => new()
    {
        { "truncated", "{ \"Format\": 1, \"Name\": \"g-1" },
        { "not JSON", "\u0000\u0000\u0000" },
        { "empty", "" },
        { "an array", "[]" },
        { "a number", "42" },
        { "null", "null" },
        { "Name of the wrong type", "{ \"Name\": 5 }" },
        { "no Name", "{ \"Format\": 1 }" },
        { "Name of another folder", "{ \"Format\": 1, \"Name\": \"other\" }" },
        { "Tags null", "{ \"Format\": 1, \"Name\": \"g-12\", \"Tags\": null }" },
        { "unknown format", "{ \"Format\": 9, \"Name\": \"g-12\" }" },
    };

    [Theory]
    [MemberData(nameof(DamagedGroupFiles))]
    public async Task A_damaged_group_record_in_the_middle_of_a_listing_is_one_error_naming_its_file_and_the_rest_come_out(string why, string content)
    {
        using var registry = Open();
        var names = Enumerable.Range(1, 30).Select(i => $"g-{i:00}").ToList();
        foreach (var name in names) await registry.CreateGroupAsync(name, why, new Dictionary<string, string>(), Ct);
        var damaged = Path.Combine(GroupFolder("g-12"), "group.json");
        File.WriteAllText(damaged, content);

        var errors = new List<RegistryException>();
        // Pages of 7: the damaged record sits inside the second page, and the walk crosses three more pages after it.
        var listed = RegistryExtensions.EnumeratePages("ListModelPackageGroups",
            token => registry.ListGroupsAsync(null, token, 7, NameOrder.Ascending, Ct), errors.Add).Select(g => g.Name).ToList();

        Assert.Equal(names.Where(n => n != "g-12"), listed);
        var e = Assert.Single(errors);
        Assert.Equal(RegistryErrorKind.Damaged, e.Kind);
        Assert.Equal(damaged, e.Target);
        Assert.Contains(damaged, e.Message);
        // Read directly, the damaged group is the same one error; its neighbours read fine.
        var direct = await Assert.ThrowsAsync<RegistryException>(() => registry.GetGroupAsync("g-12", Ct));
        Assert.Equal(RegistryErrorKind.Damaged, direct.Kind);
        Assert.Equal(damaged, direct.Target);
        Assert.NotNull(await registry.GetGroupAsync("g-13", Ct));
    }

    [Fact]
    public async Task Without_a_callback_the_walk_hands_out_every_readable_group_then_throws_the_damage()
    {
        using var registry = Open();
        foreach (var i in Enumerable.Range(1, 5)) await registry.CreateGroupAsync($"g-{i}", "d", new Dictionary<string, string>(), Ct);
        File.WriteAllText(Path.Combine(GroupFolder("g-2"), "group.json"), "{");

        var seen = new List<string>();
        var e = Assert.Throws<RegistryException>(() =>
        {
            foreach (var g in registry.EnumerateGroups(null, Ct)) seen.Add(g.Name);
        });
        Assert.Equal(RegistryErrorKind.Damaged, e.Kind);
        Assert.Equal(new[] { "g-1", "g-3", "g-4", "g-5" }, seen);
        // A caller that needs the whole listing at once never gets a part of it.
        Assert.Equal(RegistryErrorKind.Damaged, (await Assert.ThrowsAsync<RegistryException>(() => registry.ListAllGroupsAsync(null, Ct))).Kind);
    }

    public static TheoryData<string, string> DamagedVersionFiles => new()
    {
        { "truncated", "{ \"Format\": 1, \"GroupName\": \"g\", \"Stat" },
        { "an array", "[1, 2]" },
        { "unknown status", "{ \"Format\": 1, \"GroupName\": \"g\", \"Status\": \"Maybe\" }" },
        { "status number out of range", "{ \"Format\": 1, \"GroupName\": \"g\", \"Status\": 99 }" },
        { "another group's record", "{ \"Format\": 1, \"GroupName\": \"other\" }" },
        { "a list null", "{ \"Format\": 1, \"GroupName\": \"g\", \"ContentTypes\": null }" },
    };

    [Theory]
    [MemberData(nameof(DamagedVersionFiles))]
    public async Task A_damaged_version_record_in_the_middle_of_a_listing_is_one_error_naming_its_file(string why, string content)
    {
        using var registry = Open();
        await registry.CreateGroupAsync("g", why, new Dictionary<string, string>(), Ct);
        for (var i = 0; i < 12; i++) await registry.RegisterVersionAsync(Spec("g"), Ct);
        var damaged = Path.Combine(GroupFolder("g"), "versions", "6.json");
        File.WriteAllText(damaged, content);

        var errors = new List<RegistryException>();
        var query = new VersionQuery("g") { PageSize = 4 };
        var listed = RegistryExtensions.EnumeratePages("ListModelPackages", token => registry.ListVersionsAsync(query, token, Ct), errors.Add)
            .Select(v => v.Version).ToList();

        Assert.Equal(Enumerable.Range(1, 12).Where(n => n != 6), listed);
        var e = Assert.Single(errors);
        Assert.Equal(RegistryErrorKind.Damaged, e.Kind);
        Assert.Equal(damaged, e.Target);
        // Read directly, it is the same error; the others read in full.
        var v6 = registry.GroupArn("g").Replace(":model-package-group/", ":model-package/") + "/6";
        Assert.Equal(RegistryErrorKind.Damaged, (await Assert.ThrowsAsync<RegistryException>(() => registry.GetVersionAsync(v6, Ct))).Kind);
        Assert.NotNull(await registry.GetVersionAsync(v6.Replace("/6", "/7"), Ct));
    }

    [Fact]
    public async Task A_damaged_endpoint_record_is_one_error_and_the_other_endpoints_are_listed()
    {
        using var registry = Open();
        await registry.CreateGroupAsync("g", "d", new Dictionary<string, string>(), Ct);
        var v = await registry.RegisterVersionAsync(Spec("g"), Ct);
        await registry.CreateModelAsync(new HostedModelSpec { Name = "m", ModelVersionArn = v.Arn, ExecutionRoleArn = "arn:aws:iam::123456789012:role/r" }, Ct);
        await registry.CreateEndpointConfigAsync(new EndpointConfigSpec { Name = "c", ModelName = "m", InstanceType = "ml.m5.large", InstanceCount = 1 }, Ct);
        foreach (var name in new[] { "ep-a", "ep-b", "ep-c" })
            await registry.CreateEndpointAsync(name, "c", new Dictionary<string, string>(), Ct);
        var damaged = Directory.GetFiles(Root, "ep-b.json", SearchOption.AllDirectories).Single();
        File.WriteAllText(damaged, "{ \"Name\": ");

        var errors = new List<RegistryException>();
        var listed = RegistryExtensions.EnumeratePages("ListEndpoints", t => registry.ListEndpointsAsync(null, t, 1, Ct), errors.Add)
            .Select(e => e.Name).ToList();

        Assert.Equal(new[] { "ep-a", "ep-c" }, listed);
        Assert.Equal(damaged, Assert.Single(errors).Target);
    }
}
