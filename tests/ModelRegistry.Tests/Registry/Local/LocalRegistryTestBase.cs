using ModelRegistry.Engine.Registry;
using ModelRegistry.Engine.Registry.Local;

namespace ModelRegistry.Tests.Registry.Local;

/// <summary>A fresh registry folder per test (Local-specific tests inspect and damage the files).</summary>
public abstract class LocalRegistryTestBase : IDisposable
{
    protected string Root { get; } = Path.Combine(Path.GetTempPath(), "mr-local-" + Guid.NewGuid().ToString("N"));
    protected static CancellationToken Ct => CancellationToken.None;

    protected LocalRegistry Open(string? region = null, string? account = null) =>
        new(new RegistryConnection { Backend = RegistryBackend.Local, LocalPath = Root, Region = region, LocalAccountId = account });

    protected static VersionSpec Spec(string group, string? token = null) => new()
    {
        GroupName = group,
        ImageUri = "123456789012.dkr.ecr.us-east-1.amazonaws.com/churn:2",
        ModelDataUrl = "s3://models/churn/2/model.tar.gz",
        ClientToken = token,
    };

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
        try { Directory.Delete(Root, recursive: true); }
        catch (IOException) { }
        GC.SuppressFinalize(this);
    }
}
