using System.Management.Automation;
using System.Reflection;
using System.Text.RegularExpressions;
using ModelRegistry.Engine.Config;
using ModelRegistry.Engine.Operations;
using ModelRegistry.Engine.Registry;
using ModelRegistry.Tests.Support;

namespace ModelRegistry.Tests.Cmdlets;

/// <summary>
/// Every ErrorId is ModelRegistry.&lt;Kind&gt;.&lt;Reason&gt;, from the one list (ErrorIds) with its category; the
/// module's ErrorRecords use it for every failure; every reason and id the source can produce is in it; the README's
/// ErrorIds table is exactly that list.
/// </summary>
public sealed class ErrorIdTests : IDisposable
{
    private static readonly Regex IdShape = new(@"^ModelRegistry\.[A-Za-z]+\.[A-Za-z]+$");
    private readonly ModuleHost _host = new();

    public void Dispose() => _host.Dispose();

    [Fact]
    public void The_list_has_three_part_ids_real_categories_and_a_default_for_every_kind()
    {
        foreach (var e in ErrorIds.All)
        {
            if (e.Kind == ErrorIds.AnyKind) Assert.Equal("", e.Category);
            else
            {
                Assert.Matches(IdShape, e.Id);
                Assert.True(Enum.TryParse<ErrorCategory>(e.Category, out _), $"{e.Id}: '{e.Category}' is not an ErrorCategory");
                Assert.True(Enum.TryParse<RegistryErrorKind>(e.Kind, out _) || ErrorIds.ModuleKinds.Contains(e.Kind), e.Id);
            }
            Assert.Matches("^[A-Za-z]+$", e.Reason);
            Assert.False(string.IsNullOrWhiteSpace(e.Meaning), e.Id);
            Assert.False(string.IsNullOrWhiteSpace(e.Action), e.Id);
        }
        Assert.Equal(ErrorIds.All.Count, ErrorIds.All.Select(e => e.Id).Distinct().Count());
        foreach (RegistryErrorKind kind in Enum.GetValues(typeof(RegistryErrorKind)))
            Assert.Equal(kind.ToString(), ErrorIds.DefaultFor(kind).Kind);
        // The reasons the issue asks scripts to branch on.
        foreach (var id in new[]
        {
            "ModelRegistry.Conflict.RejectedVersion", "ModelRegistry.Conflict.ApprovedVersion", "ModelRegistry.Conflict.DeployedVersion",
            "ModelRegistry.Conflict.NotApproved", "ModelRegistry.AccessDenied.WrongAccount", "ModelRegistry.Invalid.InvalidArn",
            "ModelRegistry.NotFound.ConfigNotFound", "ModelRegistry.Invalid.ConfigInvalid", "ModelRegistry.Throttled.Throttled",
            "ModelRegistry.Unavailable.Unavailable",
        })
            Assert.NotNull(ErrorIds.Find(id));
    }

    public static TheoryData<string, string, ErrorCategory> Failures()
    {
        var data = new TheoryData<string, string, ErrorCategory>();
        foreach (var (name, _, id, category) in Cases()) data.Add(name, id, category);
        return data;
    }

    /// <summary>Each failure the module turns into an ErrorRecord, with the id and category it must get.</summary>
    private static IEnumerable<(string Name, Func<object> Make, string Id, ErrorCategory Category)> Cases()
    {
        ErrorCategory C(string id) => (ErrorCategory)Enum.Parse(typeof(ErrorCategory), ErrorIds.Find(id)!.Category);
        foreach (RegistryErrorKind kind in Enum.GetValues(typeof(RegistryErrorKind)))
        {
            var k = kind;
            var fallback = ErrorIds.DefaultFor(k);
            yield return ($"{k} without a reason", () => From(new RegistryException(k, "failed")), fallback.Id, C(fallback.Id));
            foreach (var e in ErrorIds.All.Where(e => e.Kind == k.ToString()))
                yield return ($"{k}.{e.Reason}", () => From(new RegistryException(k, "failed", reason: e.Reason)), e.Id, C(e.Id));
            yield return ($"{k}.AccountCheck", () => From(AccountGuard.Unchecked(new RegistryException(k, "STS failed"), new[] { "g" })),
                $"ModelRegistry.{k}.AccountCheck", C(fallback.Id));
        }
        yield return ("a problem in .env.shared", () => From(new ConfigurationException("/x/.env.shared", 3, "TEAMS", "bad")),
            "ModelRegistry.Invalid.ConfigInvalid", ErrorCategory.InvalidData);
        yield return ("a missing .env.shared", () => From(EnvFile.Load(Path.Combine(Path.GetTempPath(), Guid.NewGuid().ToString("N"), ".env.shared")).Problems.Single()),
            "ModelRegistry.NotFound.ConfigNotFound", ErrorCategory.ObjectNotFound);
        yield return ("no configuration file at all", () => Call("ConfigNotFound", "none", "/x/.env.shared"), "ModelRegistry.NotFound.ConfigNotFound", ErrorCategory.ObjectNotFound);
        yield return ("cancellation", () => From(new OperationCanceledException()), "ModelRegistry.Stopped.Cancelled", ErrorCategory.OperationStopped);
        yield return ("one cancellation in an AggregateException", () => From(new AggregateException(new TaskCanceledException())), "ModelRegistry.Stopped.Cancelled", ErrorCategory.OperationStopped);
        yield return ("an IO error", () => From(new IOException("disk full")), "ModelRegistry.File.WriteFailed", ErrorCategory.WriteError);
        yield return ("access to a file denied", () => From(new UnauthorizedAccessException("no")), "ModelRegistry.File.WriteFailed", ErrorCategory.WriteError);
        yield return ("an argument error", () => From(new ArgumentException("bad")), "ModelRegistry.Invalid.InvalidArgument", ErrorCategory.InvalidArgument);
        yield return ("anything else", () => From(new InvalidOperationException("boom")), "ModelRegistry.Internal.Unexpected", ErrorCategory.NotSpecified);
        yield return ("no input", () => Call("NoInput", "none"), "ModelRegistry.Invalid.NoInput", ErrorCategory.InvalidArgument);
        yield return ("invalid parameters", () => Call("Invalid", "bad", null, ErrorIds.InvalidArgumentId), "ModelRegistry.Invalid.InvalidArgument", ErrorCategory.InvalidArgument);
        foreach (var reason in new[] { "Rule", "MixedRegions", "NothingToSet" })
            yield return ($"invalid parameters ({reason})", () => Call("Invalid", "bad", null, "ModelRegistry.Invalid." + reason), "ModelRegistry.Invalid." + reason, ErrorCategory.InvalidArgument);
        yield return ("confirmation required", () => Call("ConfirmationRequired", "ask", null, null), "ModelRegistry.Stopped.ConfirmationRequired", ErrorCategory.InvalidOperation);
    }

    [Theory]
    [MemberData(nameof(Failures))]
    public void ErrorRecords_give_every_failure_a_listed_id_and_its_category(string failure, string id, ErrorCategory category)
    {
        var (_, make, _, _) = Cases().Single(c => c.Name == failure);
        EnsureLoaded();
        var record = (ErrorRecord)make();
        Assert.Matches(IdShape, record.FullyQualifiedErrorId);
        Assert.Equal(id, record.FullyQualifiedErrorId);
        Assert.NotNull(ErrorIds.Find(record.FullyQualifiedErrorId));
        Assert.Equal(category, record.CategoryInfo.Category);
    }

    [Fact]
    public void A_configuration_file_that_does_not_exist_is_ConfigNotFound_not_InvalidData()
    {
        var missing = Path.Combine(Path.GetTempPath(), Guid.NewGuid().ToString("N"), ".env.shared");
        var error = Assert.Single(_host.Run("Get-MRProject $path", new System.Collections.Hashtable { ["path"] = missing }).Errors);
        Assert.Equal("ModelRegistry.NotFound.ConfigNotFound", error.FullyQualifiedErrorId.Split(',')[0]);
        Assert.Equal(ErrorCategory.ObjectNotFound, error.CategoryInfo.Category);
        Assert.Contains("file not found", error.Exception.Message);
    }

    [Fact]
    public void Every_version_guard_reason_is_listed_as_a_refusal()
    {
        foreach (var guard in new VersionGuards().Checks)
            Assert.Equal("InvalidOperation", ErrorIds.Find("ModelRegistry.Conflict." + guard.Reason)?.Category);
    }

    /// <summary>
    /// Every reason the source gives a RegistryException (a literal or a constant, passed as reason: or naming a
    /// guard or blocker) and every whole ErrorId literal is in the list. A new reason fails here until it is listed
    /// (with its category) and in the README.
    /// </summary>
    [Fact]
    public void Every_reason_and_id_in_the_source_is_listed()
    {
        var sources = Directory.EnumerateFiles(Path.Combine(RepoRoot, "src"), "*.cs", SearchOption.AllDirectories)
            .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal))
            .Select(File.ReadAllText).ToList();
        var constants = new Dictionary<string, HashSet<string>>();
        foreach (Match m in sources.SelectMany(s => Regex.Matches(s, @"const string (\w+)\s*=\s*(?:nameof\((\w+)\)|""([A-Za-z]+)"")")))
        {
            if (!constants.TryGetValue(m.Groups[1].Value, out var set)) constants[m.Groups[1].Value] = set = new HashSet<string>();
            set.Add(m.Groups[2].Success ? m.Groups[2].Value : m.Groups[3].Value);
        }
        var listed = ErrorIds.All.Select(e => e.Reason).ToHashSet();
        var seen = new List<string>();
        foreach (Match m in sources.SelectMany(s => Regex.Matches(s, @"(?:reason:\s*|new (?:VersionGuard|GroupBlocker)\()(?:""(\w+)""|([A-Z][\w\.]*))")))
        {
            if (m.Groups[1].Success) { seen.Add(m.Groups[1].Value); continue; }
            var name = m.Groups[2].Value.Split('.').Last();
            Assert.True(constants.ContainsKey(name), $"reason {m.Value}: no constant named {name}");
            seen.AddRange(constants[name]);
        }
        Assert.Contains("RejectedVersion", seen);
        Assert.Contains("NoSuchTeam", seen);
        foreach (var reason in seen) Assert.True(listed.Contains(reason), $"reason {reason} is not in ErrorIds.All");

        var kinds = Enum.GetNames(typeof(RegistryErrorKind)).Concat(ErrorIds.ModuleKinds).ToHashSet();
        var ids = sources.SelectMany(s => Regex.Matches(s, @"""(ModelRegistry\.(\w+)\.\w+)""").Cast<Match>())
            .Where(m => kinds.Contains(m.Groups[2].Value)).Select(m => m.Groups[1].Value).Distinct().ToList();
        Assert.Contains("ModelRegistry.Invalid.Rule", ids);
        foreach (var id in ids) Assert.True(ErrorIds.Find(id) != null, $"{id} is not in ErrorIds.All");
    }

    [Fact]
    public void The_README_table_lists_exactly_the_ids()
    {
        var readme = File.ReadAllLines(Path.Combine(RepoRoot, "README.md"));
        var start = Array.FindIndex(readme, l => l.Trim() == "### ErrorIds");
        Assert.True(start >= 0, "README has no ### ErrorIds section");
        var rows = readme.Skip(start + 1).TakeWhile(l => !l.StartsWith("#", StringComparison.Ordinal))
            .Where(l => l.StartsWith("| `ModelRegistry.", StringComparison.Ordinal)).ToList();
        var expected = ErrorIds.All.Select(Row).ToList();
        Assert.True(expected.SequenceEqual(rows), "The README's ErrorIds table must be, row for row:\n" + string.Join("\n", expected));
    }

    /// <summary>The README row of an entry: id, category, meaning, what a script does.</summary>
    internal static string Row(ErrorIdEntry e) =>
        $"| `{e.Id}` | {(e.Category.Length == 0 ? "by kind" : e.Category)} | {e.Meaning} | {e.Action} |";

    private static string RepoRoot
    {
        get
        {
            var dir = new DirectoryInfo(AppContext.BaseDirectory);
            while (dir != null && !File.Exists(Path.Combine(dir.FullName, "ModelRegistry.sln"))) dir = dir.Parent;
            return dir?.FullName ?? throw new InvalidOperationException("ModelRegistry.sln not found above " + AppContext.BaseDirectory);
        }
    }

    private void EnsureLoaded() => Assert.Empty(_host.Run("Get-MRRegistry | Out-Null").Errors);

    private static object From(Exception e) => Call("From", e, null);

    /// <summary>Calls a method of the module's Hosting.ErrorRecords (internal, in the cmdlet assembly the host loaded).</summary>
    private static object Call(string method, params object?[] args)
    {
        var assembly = AppDomain.CurrentDomain.GetAssemblies().First(a => a.GetName().Name == "ModelRegistry");
        var type = assembly.GetType("ModelRegistry.Hosting.ErrorRecords", throwOnError: true)!;
        var m = type.GetMethods(BindingFlags.Public | BindingFlags.Static).Single(x => x.Name == method && x.GetParameters().Length == args.Length);
        return m.Invoke(null, args)!;
    }
}
