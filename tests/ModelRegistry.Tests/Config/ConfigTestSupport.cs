using ModelRegistry.Engine.Config;
using ModelRegistry.Tests.Support;

namespace ModelRegistry.Tests.Config;

internal static class ConfigTestSupport
{
    public const string TestPath = "test/.env.shared";

    public static EnvFile Parse(string text) => EnvFile.Parse(text, TestPath);

    public static string Value(EnvFile file, string key)
    {
        Assert.True(file.TryGet(key, out var entry), $"{key} is not defined; problems: {string.Join(" | ", file.Problems.Select(p => p.Message))}");
        return entry.Value;
    }

    /// <summary>A problem with this line and key whose message names file, line and key.</summary>
    public static ConfigurationException AssertProblem(IEnumerable<ConfigurationException> problems, int line, string? key,
        string? containing = null, string path = TestPath)
    {
        var list = problems.ToList();
        var match = list.FirstOrDefault(p => p.Line == line && p.Key == key && p.Path == path &&
                                             (containing == null || p.Problem.Contains(containing, StringComparison.OrdinalIgnoreCase)));
        Assert.True(match != null, $"no problem at line {line} key {key ?? "(none)"} containing '{containing}'; got: " +
                                   string.Join(" | ", list.Select(p => p.Message)));
        var where = line > 0 ? $"{path}:{line}" : path;
        Assert.StartsWith(key == null ? $"{where}: " : $"{where}: {key}: ", match!.Message);
        // A file that does not exist is NotFound (ModelRegistry.NotFound.ConfigNotFound); every other problem Invalid (ConfigInvalid).
        var missing = containing != null && containing.Contains("not found", StringComparison.OrdinalIgnoreCase);
        Assert.Equal(missing ? (RegistryErrorKind.NotFound, ConfigurationException.NotFoundReason) : (RegistryErrorKind.Invalid, ConfigurationException.InvalidReason),
            (match.Kind, match.Reason));
        return match;
    }

    // One folder per test run, removed when the run ends, so repeated runs leave nothing behind.
    private static readonly Lazy<TempFolder> RunDir = new(() =>
    {
        var folder = new TempFolder("mr-config");
        AppDomain.CurrentDomain.ProcessExit += (_, _) => folder.Dispose();
        return folder;
    });

    public static string TempDir() => Directory.CreateDirectory(RunDir.Value.Combine(Guid.NewGuid().ToString("N"))).FullName;

    public static string RepoRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir != null && !File.Exists(System.IO.Path.Combine(dir.FullName, "ModelRegistry.sln")))
            dir = dir.Parent;
        Assert.True(dir != null, "ModelRegistry.sln not found above " + AppContext.BaseDirectory);
        return dir!.FullName;
    }
}
