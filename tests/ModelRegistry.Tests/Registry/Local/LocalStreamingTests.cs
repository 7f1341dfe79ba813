using ModelRegistry.Engine.Operations;
using ModelRegistry.Engine.Registry;
using ModelRegistry.Tests.Support;

namespace ModelRegistry.Tests.Registry.Local;

/// <summary>Listing 10,000 versions streams: the first version is out before the second page is fetched.
/// Counted, not timed: a decorator counts the pages the backend has served when the first item is seen.</summary>
public sealed class LocalStreamingTests : LocalRegistryTestBase
{
    /// <summary>Counts the pages the backend has served.</summary>
    private sealed class PageCounting(IModelRegistry inner) : RegistryDecorator(inner)
    {
        public int Pages;

        public override async Task<Page<ModelVersion>> ListVersionsAsync(VersionQuery query, string? nextToken, CancellationToken ct)
        {
            var page = await Inner.ListVersionsAsync(query, nextToken, ct);
            Interlocked.Increment(ref Pages);
            return page;
        }
    }

    [Fact]
    public async Task Ten_thousand_versions_stream_page_by_page()
    {
        const int count = 10_000;
        using var local = Open();
        await local.CreateGroupAsync("big", "d", new Dictionary<string, string>(), Ct);
        await local.RegisterVersionAsync(Spec("big"), Ct);
        // Copies of a real record make the folder in well under a second (as LocalScaleTests does).
        var versions = Path.Combine(GroupFolder("big"), "versions");
        for (var n = 2; n <= count; n++) File.Copy(Path.Combine(versions, "1.json"), Path.Combine(versions, $"{n}.json"));

        var counting = new PageCounting(local);
        int? pagesAtFirst = null;
        var seen = 0;
        // What Get-MRModelVersion enumerates.
        foreach (var v in new ModelVersionOperations(counting).List("big", null, null, null, false, null, null, Ct))
        {
            pagesAtFirst ??= counting.Pages;
            seen++;
            Assert.Equal(seen, v.Version);
        }

        Assert.Equal(count, seen);
        Assert.Equal(1, pagesAtFirst);
        Assert.Equal(count / RegistryExtensions.MaxPageSize, counting.Pages);
    }
}
