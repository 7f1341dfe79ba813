using System.Diagnostics;
using ModelRegistry.Engine.Registry;
using ModelRegistry.Engine.Registry.Local;

namespace ModelRegistry.Tests.Registry.Local;

/// <summary>What the Local backend adds to the contract: its files, crash leftovers, locking and concurrency within one process.</summary>
public sealed class LocalRegistryStorageTests : LocalRegistryTestBase
{
    [Fact]
    public async Task Files_AreOneFolderPerLowerCaseGroupKey_WithOneFilePerVersion()
    {
        using var registry = Open();
        await registry.CreateGroupAsync("Churn-Model", "d", new Dictionary<string, string>(), Ct);
        await registry.RegisterVersionAsync(Spec("churn-model"), Ct);

        Assert.True(File.Exists(Path.Combine(GroupFolder("churn-model"), "group.json")));
        Assert.True(File.Exists(Path.Combine(GroupFolder("churn-model"), "versions", "1.json")));
        Assert.Contains("\"Name\": \"Churn-Model\"", File.ReadAllText(Path.Combine(GroupFolder("churn-model"), "group.json")));
        Assert.Empty(Directory.GetFiles(Root, "*.tmp", SearchOption.AllDirectories));
        Assert.Equal("Local " + Path.GetFullPath(Root), registry.Location);
    }

    [Fact]
    public async Task Arns_UseTheConfiguredRegionAndAccount_AndDisplayName()
    {
        using var registry = Open("eu-west-1", "111122223333");
        var group = await registry.CreateGroupAsync("Fraud", "d", new Dictionary<string, string>(), Ct);
        var v = await registry.RegisterVersionAsync(Spec("fraud"), Ct);

        Assert.Equal("arn:aws:sagemaker:eu-west-1:111122223333:model-package-group/Fraud", group.Arn);
        Assert.Equal("arn:aws:sagemaker:eu-west-1:111122223333:model-package/Fraud/1", v.Arn);
        Assert.Null(await registry.GetCallerAccountAsync(Ct));
        using var defaults = new LocalRegistry(new RegistryConnection { LocalPath = Root + "-defaults" });
        Assert.Equal("arn:aws:sagemaker:us-east-1:000000000000:model-package-group/x", defaults.GroupArn("x"));
        Directory.Delete(Root + "-defaults", true);
    }

    [Fact]
    public async Task Arns_OfAnotherAccount_NameNothingHere_AndMalformedArnsAreInvalid()
    {
        using var registry = Open();
        await registry.CreateGroupAsync("g", "d", new Dictionary<string, string>(), Ct);
        var v = await registry.RegisterVersionAsync(Spec("g"), Ct);
        var foreign = v.Arn.Replace("000000000000", "999999999999");

        Assert.Null(await registry.GetVersionAsync(foreign, Ct));
        var notFound = await Assert.ThrowsAsync<RegistryException>(() => registry.UpdateVersionAsync(foreign, VersionUpdate.Approval(ApprovalStatus.Approved, null), Ct));
        Assert.Equal(RegistryErrorKind.NotFound, notFound.Kind);
        foreach (var bad in new[] { "g/1", "arn:aws:s3:::bucket", "arn:aws:sagemaker:us-east-1:000000000000:model-package/g/0", v.Arn + "/x" })
        {
            var e = await Assert.ThrowsAsync<RegistryException>(() => registry.GetVersionAsync(bad, Ct));
            Assert.Equal(RegistryErrorKind.Invalid, e.Kind);
            Assert.Contains(bad, e.Message);
        }
        var groupArn = await Assert.ThrowsAsync<RegistryException>(() => registry.GetVersionAsync(registry.GroupArn("g"), Ct));
        Assert.Equal(RegistryErrorKind.Invalid, groupArn.Kind);
    }

    [Fact]
    public async Task GetTags_OfAMissingGroupOrVersion_ThrowsNotFound()
    {
        using var registry = Open();
        await registry.CreateGroupAsync("g", "d", new Dictionary<string, string>(), Ct);

        var group = await Assert.ThrowsAsync<RegistryException>(() => registry.GetTagsAsync(registry.GroupArn("nope"), Ct));
        var version = await Assert.ThrowsAsync<RegistryException>(
            () => registry.AddTagsAsync(registry.GroupArn("g").Replace("-group/g", "/g/5"), new Dictionary<string, string> { ["k"] = "v" }, Ct));

        Assert.Equal(RegistryErrorKind.NotFound, group.Kind);
        Assert.Equal(RegistryErrorKind.NotFound, version.Kind);
    }

    [Fact]
    public async Task RegisterVersion_AcceptsTheGroupArnAsGroupName()
    {
        using var registry = Open();
        var group = await registry.CreateGroupAsync("g", "d", new Dictionary<string, string>(), Ct);

        var v = await registry.RegisterVersionAsync(Spec(group.Arn), Ct);

        Assert.Equal(1, v.Version);
        Assert.Equal("g", v.GroupName);
    }

    [Fact]
    public async Task ListVersions_TokenOfAnotherListing_IsInvalid()
    {
        using var registry = Open();
        await registry.CreateGroupAsync("g", "d", new Dictionary<string, string>(), Ct);
        for (var i = 0; i < 3; i++) await registry.RegisterVersionAsync(Spec("g"), Ct);
        var ascending = await registry.ListVersionsAsync(new VersionQuery("g") { PageSize = 1 }, null, Ct);

        var e = await Assert.ThrowsAsync<RegistryException>(
            () => registry.ListVersionsAsync(new VersionQuery("g") { PageSize = 1, Descending = true }, ascending.NextToken, Ct));
        Assert.Equal(RegistryErrorKind.Invalid, e.Kind);
        var garbage = await Assert.ThrowsAsync<RegistryException>(() => registry.ListGroupsAsync(null, "not-a-token!", 10, NameOrder.Ascending, Ct));
        Assert.Equal(RegistryErrorKind.Invalid, garbage.Kind);
    }

    [Fact]
    public async Task DeletedHighestVersionNumber_IsNotReused_ByAFreshInstanceEither()
    {
        using (var first = Open())
        {
            await first.CreateGroupAsync("g", "d", new Dictionary<string, string>(), Ct);
            await first.RegisterVersionAsync(Spec("g"), Ct);
            var v2 = await first.RegisterVersionAsync(Spec("g"), Ct);
            await first.DeleteVersionAsync(v2.Arn, Ct);
        }

        using var fresh = Open(); // no in-memory hint: only the files say 2 was used
        var next = await fresh.RegisterVersionAsync(Spec("g"), Ct);

        Assert.Equal(3, next.Version);
    }

    [Fact]
    public async Task KilledWriterLeftovers_LeaveTheRegistryReadable_AndLaterWritesSucceed()
    {
        using (var before = Open())
        {
            await before.CreateGroupAsync("g", "d", new Dictionary<string, string> { ["Team"] = "risk" }, Ct);
            await before.RegisterVersionAsync(Spec("g"), Ct);
            await before.RegisterVersionAsync(Spec("g"), Ct);
        }
        // What a writer killed at each step leaves: a half-written temp beside the versions and beside group.json,
        // a temp already linked as a version (killed before unlinking it), the lock file itself, a group folder
        // whose group.json never got linked, and a deleted group's trash folder.
        var versions = Path.Combine(GroupFolder("g"), "versions");
        File.WriteAllText(Path.Combine(versions, ".0123456789abcdef0123456789abcdef.tmp"), "{\"GroupName\": \"g\", \"Sta");
        File.WriteAllText(Path.Combine(GroupFolder("g"), ".fedcba9876543210fedcba9876543210.tmp"), "{\"Na");
        File.Copy(Path.Combine(versions, "2.json"), Path.Combine(versions, ".11111111111111111111111111111111.tmp"));
        File.WriteAllText(Path.Combine(Root, "locks", "g.lock"), "");
        Directory.CreateDirectory(Path.Combine(GroupFolder("half-created"), "versions"));
        Directory.CreateDirectory(Path.Combine(Root, "groups", ".trash-22222222222222222222222222222222", "versions"));
        File.WriteAllText(Path.Combine(Root, "groups", ".trash-22222222222222222222222222222222", "group.json"), "{");

        using var after = Open();
        after.LockTimeout = TimeSpan.FromSeconds(2);

        Assert.Equal(new[] { "g" }, (await after.ListGroupsAsync(null, null, 100, NameOrder.Ascending, Ct)).Items.Select(g => g.Name));
        Assert.Null(await after.GetGroupAsync("half-created", Ct));
        Assert.Equal(new[] { 1, 2 }, (await ListAll(after, "g")).Select(v => v.Version));
        var v3 = await after.RegisterVersionAsync(Spec("g"), Ct);
        Assert.Equal(3, v3.Version);
        var approved = await after.UpdateVersionAsync(v3.Arn, VersionUpdate.Approval(ApprovalStatus.Approved, "ok"), Ct);
        Assert.Equal(ApprovalStatus.Approved, approved.Status);
        await after.AddTagsAsync(after.GroupArn("g"), new Dictionary<string, string> { ["Phase"] = "prod" }, Ct);
        Assert.Equal("risk", (await after.GetGroupAsync("g", Ct))!.Tags!["Team"]);
        var created = await after.CreateGroupAsync("half-created", "finished this time", new Dictionary<string, string>(), Ct);
        Assert.Equal("half-created", created.Name);
    }

    [Fact]
    public async Task ListVersions_ReadsOnlyWhatAPageNeeds_AndADamagedRecordIsReportedByPath()
    {
        using var registry = Open();
        await registry.CreateGroupAsync("g", "d", new Dictionary<string, string>(), Ct);
        for (var i = 0; i < 150; i++) await registry.RegisterVersionAsync(Spec("g"), Ct);
        var damaged = Path.Combine(GroupFolder("g"), "versions", "140.json");
        File.WriteAllText(damaged, "{ \"GroupName\": "); // e.g. a disk that lost data under a rename

        var first = await registry.ListVersionsAsync(new VersionQuery("g") { PageSize = 100 }, null, Ct);
        var second = await registry.ListVersionsAsync(new VersionQuery("g") { PageSize = 100 }, first.NextToken, Ct);

        Assert.Equal(Enumerable.Range(1, 100), first.Items.Select(v => v.Version));
        Assert.Empty(first.Damaged);
        // The damaged record is one error naming its file; the page still carries every other version.
        Assert.Equal(Enumerable.Range(101, 50).Where(n => n != 140), second.Items.Select(v => v.Version));
        var e = Assert.Single(second.Damaged);
        Assert.Equal(RegistryErrorKind.Damaged, e.Kind);
        Assert.Equal(damaged, e.Target);
        Assert.Contains(damaged, e.Message);
        Assert.Null(second.NextToken);
    }

    [Fact]
    public async Task Write_WhileAnotherWriterHoldsTheLock_WaitsBoundedThenThrowsUnavailable_ReadsStillWork()
    {
        using var registry = Open();
        await registry.CreateGroupAsync("g", "d", new Dictionary<string, string>(), Ct);
        var v = await registry.RegisterVersionAsync(Spec("g"), Ct);
        using var other = Open();
        other.LockTimeout = TimeSpan.FromMilliseconds(300);

        var clock = Stopwatch.StartNew();
        using (registry.HoldGroupLock("g", exclusive: true))
        {
            var e = await Assert.ThrowsAsync<RegistryException>(() => other.UpdateVersionAsync(v.Arn, VersionUpdate.Approval(ApprovalStatus.Approved, null), Ct));
            Assert.Equal(RegistryErrorKind.Unavailable, e.Kind);
            Assert.Contains("g.lock", e.Message);
            // It waited for the lock before giving up (a lower bound only: a busy machine makes waits longer, never shorter).
            Assert.True(clock.Elapsed >= TimeSpan.FromMilliseconds(250), $"gave up after {clock.Elapsed.TotalMilliseconds:0} ms");
            var reg = await Assert.ThrowsAsync<RegistryException>(() => other.RegisterVersionAsync(Spec("g"), Ct));
            Assert.Equal(RegistryErrorKind.Unavailable, reg.Kind);
            Assert.NotNull(await other.GetVersionAsync(v.Arn, Ct));
        }

        Assert.Equal(ApprovalStatus.Approved, (await other.UpdateVersionAsync(v.Arn, VersionUpdate.Approval(ApprovalStatus.Approved, null), Ct)).Status);
    }

    [Fact]
    public async Task ManyThreads_EachWithItsOwnInstance_RegisterDistinctDenseNumbers()
    {
        const int threads = 4, each = 100;
        using (var setup = Open()) await setup.CreateGroupAsync("g", "d", new Dictionary<string, string>(), Ct);

        var numbers = await Task.WhenAll(Enumerable.Range(0, threads).Select(_ => Task.Run(async () =>
        {
            using var registry = Open();
            var mine = new List<int>();
            for (var i = 0; i < each; i++) mine.Add((await registry.RegisterVersionAsync(Spec("g"), Ct)).Version);
            return mine;
        })));

        var all = numbers.SelectMany(n => n).OrderBy(n => n).ToList();
        Assert.Equal(Enumerable.Range(1, threads * each), all);
        using var check = Open();
        Assert.Equal(Enumerable.Range(1, threads * each), (await ListAll(check, "g")).Select(v => v.Version));
    }

    [Fact]
    public async Task ConcurrentTagWriters_LoseNoUpdate()
    {
        const int writers = 4, each = 40;
        using (var setup = Open()) await setup.CreateGroupAsync("g", "d", new Dictionary<string, string>(), Ct);

        await Task.WhenAll(Enumerable.Range(0, writers).Select(w => Task.Run(async () =>
        {
            using var registry = Open();
            for (var i = 0; i < each; i++)
                await registry.AddTagsAsync(registry.GroupArn("g"), new Dictionary<string, string> { [$"w{w}-{i}"] = "x" }, Ct);
        })));

        using var check = Open();
        Assert.Equal(writers * each, (await check.GetTagsAsync(check.GroupArn("g"), Ct)).Count);
    }

    [Fact]
    public async Task SameClientToken_FromRacingInstances_RegistersOnce()
    {
        using (var setup = Open()) await setup.CreateGroupAsync("g", "d", new Dictionary<string, string>(), Ct);
        var token = Guid.NewGuid().ToString();

        var results = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => Task.Run(async () =>
        {
            using var registry = Open();
            return await registry.RegisterVersionAsync(Spec("g", token), Ct);
        })));

        Assert.Single(results.Select(r => r.Arn).Distinct());
        using var check = Open();
        Assert.Single(await ListAll(check, "g"));
        var other = await check.RegisterVersionAsync(Spec("g", Guid.NewGuid().ToString()), Ct);
        Assert.Equal(2, other.Version);
        Assert.Equal(results[0].Arn, (await check.RegisterVersionAsync(Spec("g", token), Ct)).Arn);
    }

    [Fact]
    public async Task ClientToken_OfADeletedVersion_RegistersAfresh()
    {
        using var registry = Open();
        await registry.CreateGroupAsync("g", "d", new Dictionary<string, string>(), Ct);
        var first = await registry.RegisterVersionAsync(Spec("g", "build-41"), Ct);
        await registry.DeleteVersionAsync(first.Arn, Ct);

        var again = await registry.RegisterVersionAsync(Spec("g", "build-41"), Ct);

        Assert.Equal(2, again.Version);
    }

    [Fact]
    public async Task InvalidClientToken_IsRejectedNamingIt()
    {
        using var registry = Open();
        await registry.CreateGroupAsync("g", "d", new Dictionary<string, string>(), Ct);

        var e = await Assert.ThrowsAsync<RegistryException>(() => registry.RegisterVersionAsync(Spec("g", "has space"), Ct));

        Assert.Equal(RegistryErrorKind.Invalid, e.Kind);
        Assert.Contains("has space", e.Message);
    }

    [Fact]
    public async Task ApprovingAThousandVersionsSequentially_LeavesEveryOneApproved()
    {
        using var registry = Open();
        await registry.CreateGroupAsync("g", "d", new Dictionary<string, string>(), Ct);
        var arns = new List<string>();
        for (var i = 0; i < 1000; i++) arns.Add((await registry.RegisterVersionAsync(Spec("g"), Ct)).Arn);

        // Speed is measured by build.ps1 Bench, not asserted here.
        foreach (var arn in arns) await registry.UpdateVersionAsync(arn, VersionUpdate.Approval(ApprovalStatus.Approved, "bulk"), Ct);

        var approved = await registry.ListVersionsAsync(new VersionQuery("g") { Status = ApprovalStatus.Approved, Descending = true }, null, Ct);
        Assert.Equal(1000, approved.Items[0].Version);
        var pending = await registry.ListVersionsAsync(new VersionQuery("g") { Status = ApprovalStatus.PendingManualApproval }, null, Ct);
        Assert.Empty(pending.Items);
    }
}
