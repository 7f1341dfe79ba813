namespace ModelRegistry.Tests.Support;

/// <summary>
/// A fresh, empty folder under the system temp folder, removed on Dispose: a field of a test class (one per test)
/// or an <c>IClassFixture&lt;TempFolder&gt;</c> (one per class). The one temp-folder helper of the tests.
/// </summary>
public sealed class TempFolder : IDisposable
{
    public TempFolder() : this("mr-test") { }

    // Internal: an xunit class fixture may have only one public constructor.
    /// <param name="stem">The start of the folder's name, so a left-over folder says which tests made it.</param>
    internal TempFolder(string stem)
    {
        Path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), $"{stem}-{Guid.NewGuid():N}");
        Directory.CreateDirectory(Path);
    }

    public string Path { get; }

    /// <summary>A path inside the folder.</summary>
    public string Combine(params string[] parts) => System.IO.Path.Combine([Path, .. parts]);

    public void Dispose()
    {
        // A file still open elsewhere (e.g. a killed child process) must not fail the test that ran fine.
        try { Directory.Delete(Path, recursive: true); }
        catch (IOException) { }
        catch (UnauthorizedAccessException) { }
    }
}
