using ModelRegistry.Engine.Operations;
using ModelRegistry.Engine.Registry;
using ModelRegistry.Engine.Registry.Local;

namespace ModelRegistry.Tests.Support;

/// <summary>A Local registry in a temp folder holding group "g" with <c>count</c> minimal Pending versions (1, 2, 3 …);
/// removed on Dispose. A field of a test class: one per test.</summary>
public sealed class LocalVersions : IDisposable
{
    private readonly TempFolder _temp;

    public LocalVersions(string stem, int count = 3)
    {
        _temp = new TempFolder(stem);
        Registry = new LocalRegistry(new RegistryConnection { Backend = RegistryBackend.Local, LocalPath = _temp.Path });
        Registry.CreateGroupAsync("g", "d", new Dictionary<string, string>(), CancellationToken.None).GetAwaiter().GetResult();
        var ops = new ModelVersionOperations(Registry);
        for (var i = 0; i < count; i++) Versions.Add(ops.RegisterAsync(TestSpecs.Minimal("g"), CancellationToken.None).GetAwaiter().GetResult());
    }

    public LocalRegistry Registry { get; }
    /// <summary>The versions as registered, oldest first.</summary>
    public List<ModelVersion> Versions { get; } = new();

    public void Dispose()
    {
        Registry.Dispose();
        _temp.Dispose();
    }
}
