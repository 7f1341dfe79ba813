using System.Diagnostics;
using ModelRegistry.Engine.Registry;

namespace ModelRegistry.Tests.Registry.Local;

/// <summary>Sizes a team reaches: 10,000 versions in one group still list page by page.</summary>
public sealed class LocalScaleTests : LocalRegistryTestBase
{
    [Fact]
    public async Task TenThousandVersions_ListPageByPage_InOrder()
    {
        const int count = 10_000;
        using var registry = Open();
        await registry.CreateGroupAsync("big", "d", new Dictionary<string, string>(), Ct);
        await registry.RegisterVersionAsync(Spec("big"), Ct);
        // Registering 10,000 for real takes ~6 s here; copies of a real record make the same folder in well under 1 s.
        var versions = Path.Combine(GroupFolder("big"), "versions");
        for (var n = 2; n <= count; n++) File.Copy(Path.Combine(versions, "1.json"), Path.Combine(versions, $"{n}.json"));

        // Speed is measured by build.ps1 Bench, not asserted here.
        var newest = await registry.ListVersionsAsync(new VersionQuery("big") { Descending = true }, null, Ct);
        var all = await ListAll(registry, "big");

        Assert.Equal(Enumerable.Range(count - 99, 100).Reverse(), newest.Items.Select(v => v.Version));
        Assert.Equal(Enumerable.Range(1, count), all.Select(v => v.Version));
        Assert.Equal(count + 1, (await registry.RegisterVersionAsync(Spec("big"), Ct)).Version);
    }
}
