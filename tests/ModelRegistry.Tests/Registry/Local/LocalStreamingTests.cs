using ModelRegistry.Engine.Operations;
using ModelRegistry.Engine.Registry;

namespace ModelRegistry.Tests.Registry.Local;

/// <summary>Listing 10,000 versions streams: the first version is out before the second page is fetched.
/// Counted, not timed: a decorator counts the pages the backend has served when the first item is seen.</summary>
public sealed class LocalStreamingTests : LocalRegistryTestBase
{
    private sealed class PageCounting(IModelRegistry inner) : IModelRegistry
    {
        public int Pages;
        public string Location => inner.Location;
        public string GroupArn(string groupName) => inner.GroupArn(groupName);
        public Task<ModelGroup?> GetGroupAsync(string name, CancellationToken ct) => inner.GetGroupAsync(name, ct);
        public Task<Page<ModelGroup>> ListGroupsAsync(string? nameContains, string? nextToken, int pageSize, CancellationToken ct) =>
            inner.ListGroupsAsync(nameContains, nextToken, pageSize, ct);
        public Task<ModelGroup> CreateGroupAsync(string name, string description, IReadOnlyDictionary<string, string> tags, CancellationToken ct) =>
            inner.CreateGroupAsync(name, description, tags, ct);
        public Task DeleteGroupAsync(string name, CancellationToken ct) => inner.DeleteGroupAsync(name, ct);
        public Task<IReadOnlyDictionary<string, string>> GetTagsAsync(string arn, CancellationToken ct) => inner.GetTagsAsync(arn, ct);
        public Task AddTagsAsync(string arn, IReadOnlyDictionary<string, string> tags, CancellationToken ct) => inner.AddTagsAsync(arn, tags, ct);
        public Task RemoveTagsAsync(string arn, IReadOnlyCollection<string> keys, CancellationToken ct) => inner.RemoveTagsAsync(arn, keys, ct);
        public async Task<Page<ModelVersion>> ListVersionsAsync(VersionQuery query, string? nextToken, CancellationToken ct)
        {
            var page = await inner.ListVersionsAsync(query, nextToken, ct);
            Interlocked.Increment(ref Pages);
            return page;
        }
        public Task<ModelVersion?> GetVersionAsync(string arn, CancellationToken ct) => inner.GetVersionAsync(arn, ct);
        public Task<ModelVersion> RegisterVersionAsync(VersionSpec spec, CancellationToken ct) => inner.RegisterVersionAsync(spec, ct);
        public Task<ModelVersion> SetApprovalAsync(string arn, ApprovalStatus status, string? reason, CancellationToken ct) =>
            inner.SetApprovalAsync(arn, status, reason, ct);
        public Task DeleteVersionAsync(string arn, CancellationToken ct) => inner.DeleteVersionAsync(arn, ct);
        public Task<string?> GetCallerAccountAsync(CancellationToken ct) => inner.GetCallerAccountAsync(ct);
        public void Dispose() => inner.Dispose();
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
