using ModelRegistry.Engine.Registry;
using ModelRegistry.Engine.Registry.Local;
using ModelRegistry.Tests.Support;

namespace ModelRegistry.Tests.Registry.Local;

/// <summary>A fresh registry folder per test (Local-specific tests inspect and damage the files).</summary>
public abstract class LocalRegistryTestBase : IDisposable
{
    private readonly TempFolder _root = new("mr-local");
    protected string Root => _root.Path;
    protected static CancellationToken Ct => CancellationToken.None;

    protected LocalRegistry Open(string? region = null, string? account = null) =>
        new(new RegistryConnection { Backend = RegistryBackend.Local, LocalPath = Root, Region = region, LocalAccountId = account });

    protected static VersionSpec Spec(string group, string? token = null) => TestSpecs.Minimal(group, token: token);

    protected string GroupFolder(string key) => Path.Combine(Root, "groups", key);

    protected static async Task<List<ModelVersion>> ListAll(IModelRegistry registry, string group, int pageSize = 100)
    {
        var all = new List<ModelVersion>();
        string? token = null;
        do
        {
            var page = await registry.ListVersionsAsync(new VersionQuery(group) { PageSize = pageSize }, token, Ct);
            all.AddRange(page.Items);
            token = page.NextToken;
        } while (token != null);
        return all;
    }

    public void Dispose()
    {
        _root.Dispose();
        GC.SuppressFinalize(this);
    }
}
