using System.Diagnostics;
using ModelRegistry.Engine.Registry;

namespace ModelRegistry.Tests.Registry.Local;

/// <summary>Real second processes (ModelRegistry.LocalStress) writing the same registry folder.</summary>
public sealed class LocalMultiProcessTests : LocalRegistryTestBase
{
    private static Process Start(params string[] args)
    {
        var dll = Path.Combine(AppContext.BaseDirectory, "ModelRegistry.LocalStress.dll");
        Assert.True(File.Exists(dll), $"helper not built beside the tests: {dll}");
        var psi = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        psi.ArgumentList.Add("exec");
        psi.ArgumentList.Add(dll);
        foreach (var a in args) psi.ArgumentList.Add(a);
        return Process.Start(psi)!;
    }

    private static void Stop(Process p)
    {
        if (!p.HasExited) p.Kill(entireProcessTree: true);
        p.WaitForExit(10_000);
        p.Dispose();
    }

    [Fact]
    public async Task TwoProcesses_Registering500EachAtOnce_GetDistinctNumbers_OneToAThousand()
    {
        using (var setup = Open()) await setup.CreateGroupAsync("shared", "d", new Dictionary<string, string>(), Ct);
        var go = Path.Combine(Root, "go");
        var a = Start("register", Root, "shared", "500", go);
        var b = Start("register", Root, "shared", "500", go);
        try
        {
            var outA = a.StandardOutput.ReadToEndAsync();
            var outB = b.StandardOutput.ReadToEndAsync();
            // Both warmed up and polling before the start line (each writes go.<pid>.ready).
            var ready = Stopwatch.StartNew();
            while (Directory.GetFiles(Root, "go.*.ready").Length < 2)
            {
                Assert.True(ready.Elapsed < TimeSpan.FromSeconds(60) && !a.HasExited && !b.HasExited, "helpers did not get ready");
                await Task.Delay(10);
            }
            File.WriteAllText(go, "");
            Assert.True(a.WaitForExit(120_000) && b.WaitForExit(120_000), "helpers did not finish in 2 minutes");
            Assert.True(a.ExitCode == 0, await a.StandardError.ReadToEndAsync());
            Assert.True(b.ExitCode == 0, await b.StandardError.ReadToEndAsync());

            var numbersA = (await outA).Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(int.Parse).ToList();
            var numbersB = (await outB).Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(int.Parse).ToList();
            Assert.Equal(500, numbersA.Count);
            Assert.Equal(500, numbersB.Count);
            Assert.Empty(numbersA.Intersect(numbersB));
            Assert.Equal(Enumerable.Range(1, 1000), numbersA.Concat(numbersB).OrderBy(n => n));
            // Overlap, not one after the other: each process got numbers from both halves of the range.
            Assert.True(numbersA.Min() < 500 && numbersA.Max() > 500 && numbersB.Min() < 500 && numbersB.Max() > 500,
                $"A got {numbersA.Min()}–{numbersA.Max()}, B got {numbersB.Min()}–{numbersB.Max()}: the runs did not overlap");

            using var check = Open();
            var listed = await ListAll(check, "shared");
            Assert.Equal(Enumerable.Range(1, 1000), listed.Select(v => v.Version));
            Assert.Equal(1000, listed.Select(v => v.Arn).Distinct().Count());
        }
        finally
        {
            Stop(a);
            Stop(b);
        }
    }

    [Fact]
    public async Task WriterKilledMidRun_LeavesEveryVersionWholeAndNumbersDense_AndWritingGoesOn()
    {
        using (var setup = Open()) await setup.CreateGroupAsync("g", "d", new Dictionary<string, string>(), Ct);
        var go = Path.Combine(Root, "go");
        File.WriteAllText(go, "");
        var writer = Start("register", Root, "g", "1000000", go);
        try
        {
            var versions = Path.Combine(GroupFolder("g"), "versions");
            // Waits for the writer's progress, not for a time: a busy machine only makes this slower. The bound is
            // there so a writer that died early fails the test (below) instead of hanging it.
            var deadline = DateTime.UtcNow.AddMinutes(5);
            while (Directory.GetFiles(versions, "*.json").Length < 200 && !writer.HasExited && DateTime.UtcNow < deadline)
                await Task.Delay(10);
            if (writer.HasExited) Assert.Fail("the writer stopped before it was killed: " + await writer.StandardError.ReadToEndAsync());
            writer.Kill(); // mid-stream: between any two instructions of a registration
            writer.WaitForExit(10_000);
        }
        finally
        {
            Stop(writer);
        }

        using var after = Open();
        var listed = await ListAll(after, "g");
        Assert.True(listed.Count >= 200, $"only {listed.Count} versions before the kill");
        Assert.Equal(Enumerable.Range(1, listed.Count), listed.Select(v => v.Version));
        foreach (var v in listed.Where((_, i) => i % 25 == 0 || i >= listed.Count - 5))
            Assert.Equal("stress.example/model:1", (await after.GetVersionAsync(v.Arn, Ct))!.ImageUri);
        var next = await after.RegisterVersionAsync(Spec("g"), Ct);
        Assert.Equal(listed.Count + 1, next.Version);
    }

    [Fact]
    public async Task LockHolderKilled_ReleasesTheLock_AlthoughTheLockFileStays()
    {
        using var registry = Open();
        await registry.CreateGroupAsync("g", "d", new Dictionary<string, string>(), Ct);
        var v = await registry.RegisterVersionAsync(Spec("g"), Ct);
        registry.LockTimeout = TimeSpan.FromMilliseconds(300);
        var holder = Start("hold-lock", Root, "g");
        try
        {
            Assert.Equal("held", await holder.StandardOutput.ReadLineAsync().WaitAsync(TimeSpan.FromSeconds(30)));
            var blocked = await Assert.ThrowsAsync<RegistryException>(() => registry.UpdateVersionAsync(v.Arn, VersionUpdate.Approval(ApprovalStatus.Approved, "x"), Ct));
            Assert.Equal(RegistryErrorKind.Unavailable, blocked.Kind);

            holder.Kill();
            holder.WaitForExit(10_000);
        }
        finally
        {
            Stop(holder);
        }

        Assert.True(File.Exists(Path.Combine(Root, "locks", "g.lock")));
        registry.LockTimeout = TimeSpan.FromSeconds(5);
        Assert.Equal(ApprovalStatus.Approved, (await registry.UpdateVersionAsync(v.Arn, VersionUpdate.Approval(ApprovalStatus.Approved, "x"), Ct)).Status);
    }
}
