using System.Collections;
using System.Management.Automation;
using System.Management.Automation.Runspaces;

namespace ModelRegistry.Tests.Support;

/// <summary>
/// Hosts the built module (out/ModelRegistry, as build.ps1 lays it out) in an in-process runspace, so
/// cmdlet tests drive the real module — manifest, bridge, private load context — without a pwsh process.
/// </summary>
public sealed class ModuleHost : IDisposable
{
    private readonly Runspace _runspace;

    public ModuleHost()
    {
        var iss = InitialSessionState.CreateDefault2();
        iss.ImportPSModule(ModulePath);
        _runspace = RunspaceFactory.CreateRunspace(iss);
        _runspace.Open();
    }

    public static string ModulePath
    {
        get
        {
            var fromBuild = Environment.GetEnvironmentVariable("MODELREGISTRY_MODULE");
            if (!string.IsNullOrEmpty(fromBuild) && File.Exists(fromBuild)) return fromBuild;
            var dir = new DirectoryInfo(AppContext.BaseDirectory);
            while (dir != null && !File.Exists(Path.Combine(dir.FullName, "ModelRegistry.sln"))) dir = dir.Parent;
            var path = dir is null ? null : Path.Combine(dir.FullName, "out", "ModelRegistry", "ModelRegistry.psd1");
            if (path is null || !File.Exists(path))
                throw new InvalidOperationException("The module is not built: run `dotnet pwsh ./build.ps1 Build` (build.ps1 Test does it).");
            return path;
        }
    }

    /// <summary>Runs a script; returns output, errors and warnings. Parameters become $args-free variables.</summary>
    public Result Run(string script, IDictionary? variables = null)
    {
        using var ps = PowerShell.Create();
        ps.Runspace = _runspace;
        if (variables != null)
            foreach (DictionaryEntry v in variables) _runspace.SessionStateProxy.SetVariable((string)v.Key, v.Value);
        ps.AddScript(script);
        var output = ps.Invoke();
        return new Result(output, ps.Streams.Error.ToList(), ps.Streams.Warning.Select(w => w.Message).ToList(),
            ps.Streams.Verbose.Select(v => v.Message).ToList(), ps.Streams.Information.Select(i => i.MessageData?.ToString() ?? "").ToList());
    }

    public void Dispose() => _runspace.Dispose();

    public sealed record Result(
        IReadOnlyList<PSObject> Output,
        IReadOnlyList<ErrorRecord> Errors,
        IReadOnlyList<string> Warnings,
        IReadOnlyList<string> Verbose,
        IReadOnlyList<string> Information)
    {
        public IEnumerable<T> Objects<T>() => Output.Select(o => o.BaseObject).OfType<T>();
    }
}
