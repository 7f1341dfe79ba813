namespace ModelRegistry.Tests.Support;

/// <summary>The scripts under tests/tools, found by walking up from the test output to the repository.</summary>
internal static class TestTools
{
    private static readonly Lazy<string> Folder = new(() =>
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir != null; dir = dir.Parent)
        {
            var candidate = System.IO.Path.Combine(dir.FullName, "tests", "tools");
            if (File.Exists(System.IO.Path.Combine(candidate, "start_moto.py"))) return candidate;
        }
        throw new DirectoryNotFoundException("tests/tools not found above " + AppContext.BaseDirectory);
    });

    /// <summary>The full path of tests/tools/<paramref name="name"/>.</summary>
    public static string Path(string name) => System.IO.Path.Combine(Folder.Value, name);
}
