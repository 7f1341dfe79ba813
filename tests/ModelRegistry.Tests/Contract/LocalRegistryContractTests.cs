using ModelRegistry.Engine.Registry;
using ModelRegistry.Engine.Registry.Local;

namespace ModelRegistry.Tests.Contract;

/// <summary>A fresh registry folder for one test class; removed afterwards.</summary>
public sealed class TempRegistryFolder : IDisposable
{
    public string Path { get; } = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "mr-local-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        try { Directory.Delete(Path, recursive: true); }
        catch (IOException) { }
    }
}

/// <summary>The contract suite on the Local backend, with every capability on.</summary>
public sealed class LocalRegistryContractTests : RegistryContractTests, IClassFixture<TempRegistryFolder>
{
    private readonly TempRegistryFolder _folder;

    public LocalRegistryContractTests(TempRegistryFolder folder) { _folder = folder; }

    protected override IModelRegistry CreateRegistry() =>
        new LocalRegistry(new RegistryConnection { Backend = RegistryBackend.Local, LocalPath = _folder.Path });
}
