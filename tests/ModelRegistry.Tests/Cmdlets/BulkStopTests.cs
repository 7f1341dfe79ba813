using System.Management.Automation;
using System.Management.Automation.Runspaces;
using System.Text.RegularExpressions;
using ModelRegistry.Tests.Support;

namespace ModelRegistry.Tests.Cmdlets;

/// <summary>Ctrl+C in the middle of a bulk run, in-process: the pipeline is stopped (PowerShell.BeginStop, what
/// Ctrl+C does) as soon as the first progress record arrives, so the stop lands mid-run without any timing.</summary>
public sealed class BulkStopTests(Xunit.Abstractions.ITestOutputHelper log) : IDisposable
{
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "mr-stop-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        try { Directory.Delete(_folder, true); } catch (IOException) { }
    }

    [Fact]
    public void Stopping_New_MRModelGroup_mid_run_says_what_was_and_was_not_done()
    {
        const int total = 2000;
        Directory.CreateDirectory(_folder);
        var host = new CapturingHost();
        var iss = InitialSessionState.CreateDefault2();
        iss.ImportPSModule(ModuleHost.ModulePath);
        using var runspace = RunspaceFactory.CreateRunspace(host, iss);
        runspace.Open();
        runspace.SessionStateProxy.SetVariable("folder", _folder);
        using (var setup = PowerShell.Create())
        {
            setup.Runspace = runspace;
            setup.AddScript("Connect-MRRegistry -Local -Path (Join-Path $folder registry)").Invoke();
        }

        using var ps = PowerShell.Create();
        ps.Runspace = runspace;
        ps.AddScript($"New-MRModelGroup -Name (1..{total} | ForEach-Object {{ 'stop-{{0:D4}}' -f $_ }}) -Description d -ThrottleLimit 4");
        var stopping = 0;
        ps.Streams.Progress.DataAdded += (_, _) =>
        {
            if (Interlocked.Exchange(ref stopping, 1) == 0) ps.BeginStop(null, null);
        };
        var thrown = Record.Exception(() => ps.Invoke());
        Assert.True(thrown is null or PipelineStoppedException, thrown?.ToString());
        Assert.True(ps.InvocationStateInfo.State == PSInvocationState.Stopped,
            $"{ps.InvocationStateInfo.State}; host: {string.Join(" | ", host.Lines)}; warnings: {string.Join(" | ", ps.Streams.Warning)}");

        var summary = Assert.Single(host.Lines, l => l.StartsWith("WARNING: Creating model groups: stopped."));
        log.WriteLine(summary);
        var m = Regex.Match(summary, @"stopped\. (\d+) of (\d+) done \((\d+) succeeded, (\d+) failed\)(; (\d+) interrupted[^;]*)?; (\d+) not started\.");
        Assert.True(m.Success, summary);
        int done = int.Parse(m.Groups[1].Value), succeeded = int.Parse(m.Groups[3].Value), failed = int.Parse(m.Groups[4].Value);
        var interrupted = m.Groups[6].Success ? int.Parse(m.Groups[6].Value) : 0;
        var notStarted = int.Parse(m.Groups[7].Value);
        Assert.Equal(total, int.Parse(m.Groups[2].Value));
        Assert.Equal(total, done + interrupted + notStarted);
        Assert.Equal(0, failed);
        Assert.True(notStarted > 0, summary);

        // The registry agrees: every group reported done is there; interrupted ones may or may not be.
        using var check = PowerShell.Create();
        check.Runspace = runspace;
        var created = check.AddScript("@(Get-MRModelGroup -Name 'stop-*').Count").Invoke().Single().BaseObject;
        Assert.InRange((int)created, succeeded, succeeded + interrupted);
    }
}
