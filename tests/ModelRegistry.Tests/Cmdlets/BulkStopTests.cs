using System.Collections.ObjectModel;
using System.Management.Automation;
using System.Management.Automation.Runspaces;
using System.Text.RegularExpressions;
using ModelRegistry.Tests.Support;

namespace ModelRegistry.Tests.Cmdlets;

/// <summary>Ctrl+C in the middle of a bulk run, in-process: the pipeline is stopped (PowerShell.BeginStop, what
/// Ctrl+C does) as soon as the first progress record arrives, so the stop lands mid-run without any timing.</summary>
public sealed class BulkStopTests(Xunit.Abstractions.ITestOutputHelper log) : IDisposable
{
    private readonly TempFolder _temp = new("mr-stop");
    private string Folder => _temp.Path;

    public void Dispose()
    {
        _temp.Dispose();
    }

    [Fact]
    public void Stopping_New_MRModelGroup_mid_run_says_what_was_and_was_not_done()
    {
        const int total = 2000;
        var host = new CapturingHost();
        var iss = InitialSessionState.CreateDefault2();
        iss.ImportPSModule(ModuleHost.ModulePath);
        using var runspace = RunspaceFactory.CreateRunspace(host, iss);
        runspace.Open();
        runspace.SessionStateProxy.SetVariable("folder", Folder);
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

    /// <summary>
    /// -ErrorAction Stop (or $ErrorActionPreference = 'Stop') in a bulk approval: the 2nd of 8 versions fails (it was
    /// deleted), so nothing after it starts (nor is any more input taken); the error is thrown with the summary on its exception, and the summary
    /// is a warning on the host (the pipeline's streams are closed by then, as after Ctrl+C). A throttle limit of 1
    /// makes "in flight" exactly the failing item, with no timing involved.
    /// </summary>
    [Theory]
    [InlineData("$v | Approve-MRModelVersion -Reason ok -ThrottleLimit 1 -ErrorAction Stop")]
    [InlineData("$ErrorActionPreference = 'Stop'; $v | Approve-MRModelVersion -Reason ok -ThrottleLimit 1")]
    public void Under_ErrorAction_Stop_a_bulk_approval_starts_nothing_after_the_first_failure_and_says_so(string approve)
    {
        Directory.CreateDirectory(Folder);
        var host = new CapturingHost();
        var iss = InitialSessionState.CreateDefault2();
        iss.ImportPSModule(ModuleHost.ModulePath);
        using var runspace = RunspaceFactory.CreateRunspace(host, iss);
        runspace.Open();
        runspace.SessionStateProxy.SetVariable("registry", Path.Combine(Folder, "registry"));
        Collection<PSObject> Run(string script, bool errorsExpected = false)
        {
            using var ps = PowerShell.Create();
            ps.Runspace = runspace;
            var output = ps.AddScript(script).Invoke();
            if (!errorsExpected) Assert.Empty(ps.Streams.Error);
            return output;
        }
        Run("""
            Connect-MRRegistry -Local -Path $registry
            New-MRModelGroup -Name stop-approve -Description d | Out-Null
            $global:v = 1..8 | ForEach-Object { Register-MRModelVersion stop-approve -ImageUri 123456789012.dkr.ecr.ap-northeast-1.amazonaws.com/m:1 }
            Remove-MRModelVersion -Arn $v[1].Arn -Confirm:$false
            """);

        var error = Assert.IsType<ErrorRecord>(Assert.Single(Run("try { " + approve + "; 'not thrown' } catch { $_ }", errorsExpected: true)).BaseObject);
        Assert.Equal("ModelRegistry.NotFound.ResourceNotFound", error.FullyQualifiedErrorId.Split(',')[0]);
        var data = error.Exception.Data;
        // The versions stream in: the error stops the pipeline as soon as it is written, so the total is what had
        // arrived by then (at least the two that ran, at most all eight); everything after the failure is not started.
        var total = Assert.IsType<int>(data["Total"]);
        Assert.InRange(total, 2, 8);
        Assert.Equal(2, data["Done"]);
        Assert.Equal(1, data["Succeeded"]);
        Assert.Equal(1, data["Failed"]);
        Assert.Equal(0, data["Interrupted"]);
        Assert.Equal(total - 2, data["NotStarted"]);
        var summary = Assert.IsType<string>(data["Summary"]);
        Assert.Contains($"stopped at the first error (-ErrorAction Stop). 2 of {total} done (1 succeeded, 1 failed); {total - 2} not started.", summary);
        Assert.Single(host.Lines, l => l == "WARNING: " + summary);

        // The registry agrees: the first is approved, nothing after the failure was touched.
        var states = Run("Get-MRModelVersion stop-approve | Sort-Object Version | ForEach-Object { '{0}={1}' -f $_.Version, $_.Status }")
            .Select(o => o.ToString()).ToList();
        Assert.Equal(new[] { "1=Approved" }.Concat(Enumerable.Range(3, 6).Select(n => $"{n}=PendingManualApproval")), states);
    }
}
