using ModelRegistry.Engine.Registry;
using ModelRegistry.Engine.Registry.Local;
using ModelRegistry.Tests.Support;

namespace ModelRegistry.Tests.Contract;

/// <summary>The contract suite on the Local backend, with every capability on.</summary>
public sealed class LocalRegistryContractTests : RegistryContractTests, IClassFixture<TempFolder>
{
    private readonly TempFolder _folder;

    public LocalRegistryContractTests(TempFolder folder) { _folder = folder; }

    protected override IModelRegistry CreateRegistry() =>
        new LocalRegistry(new RegistryConnection { Backend = RegistryBackend.Local, LocalPath = _folder.Path });
}
