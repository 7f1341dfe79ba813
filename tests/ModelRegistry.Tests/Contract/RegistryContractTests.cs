using ModelRegistry.Engine.Registry;
using ModelRegistry.Tests.Support;

namespace ModelRegistry.Tests.Contract;

/// <summary>
/// What every <see cref="IModelRegistry"/> backend must do: SageMaker Model Registry's behaviour, in domain words.
/// Subclasses supply a registry; tests use unique names because a server-backed subclass shares one server.
/// Where an emulator lacks a behaviour, the subclass switches the matching capability off, and the test returns
/// is skipped with the reason: the emulator's quirk is never asserted as the truth, and the summary counts the skip.
/// </summary>
public abstract class RegistryContractTests : IDisposable
{
    private IModelRegistry? _registry;

    protected abstract IModelRegistry CreateRegistry();

    // What a backend cannot do, as the reason its tests are skipped; null when it can (SageMaker does all).
    /// <summary>DeleteModelPackageGroup / DeleteModelPackage are missing (moto lacks both).</summary>
    protected virtual string? NoDelete => null;
    /// <summary>A second CreateModelPackageGroup of a name does not fail (moto silently replaces the group).</summary>
    protected virtual string? NoDuplicateCreateRefusal => null;
    /// <summary>AddTags/ListTags/DeleteTags fail on version ARNs (moto answers 500).</summary>
    protected virtual string? NoVersionTags => null;
    /// <summary>UpdateModelPackage without ApprovalDescription clears the previous one (moto does).</summary>
    protected virtual string? NoKeptApprovalDescription => null;
    /// <summary>CreateModelPackage ignores ClientToken (moto registers again).</summary>
    protected virtual string? NoClientToken => null;
    /// <summary>UpdateModelPackage replaces CustomerMetadataProperties and clears the status and reason of an update
    /// that omits them (moto), instead of leaving omitted members alone and merging the metadata.</summary>
    protected virtual string? NoKeptMembersOnUpdate => null;
    /// <summary>ModelLifeCycle is not stored and read back (moto ignores it).</summary>
    protected virtual string? NoLifecycle => null;
    /// <summary>Group names and NameContains compare exactly, not case-insensitively as in SageMaker.</summary>
    protected virtual string? NoCaseInsensitiveNames => null;

    protected IModelRegistry Registry => _registry ??= CreateRegistry();
    protected static CancellationToken Ct => CancellationToken.None;

    public virtual void Dispose()
    {
        _registry?.Dispose();
        GC.SuppressFinalize(this);
    }

    /// <summary>A valid group name unique to this test run: stem + 12 hex digits.</summary>
    protected static string UniqueName(string stem) => $"{stem}-{Guid.NewGuid():N}"[..(stem.Length + 13)];

    protected Task<ModelGroup> CreateGroup(string name, IReadOnlyDictionary<string, string>? tags = null) =>
        Registry.CreateGroupAsync(name, $"Contract test group {name}", tags ?? new Dictionary<string, string>(), Ct);

    protected async Task<List<ModelVersion>> ListAllVersions(VersionQuery query)
    {
        var all = new List<ModelVersion>();
        string? token = null;
        var pages = 0;
        do
        {
            var page = await Registry.ListVersionsAsync(query, token, Ct);
            Assert.True(page.Items.Count <= query.PageSize, $"page of {page.Items.Count} exceeds page size {query.PageSize}");
            all.AddRange(page.Items);
            token = page.NextToken;
            Assert.True(++pages < 1000, "listing never ended");
        } while (token != null);
        return all;
    }

    private static async Task<RegistryException> ThrowsRegistry(RegistryErrorKind kind, Func<Task> call)
    {
        var e = await Assert.ThrowsAsync<RegistryException>(call);
        Assert.Equal(kind, e.Kind);
        return e;
    }

    // ---- groups ---------------------------------------------------------------------------------------------

    [Fact]
    public async Task CreateGroup_ThenGet_ReturnsNameArnDescriptionAndTags()
    {
        var name = UniqueName("ct-create");
        var tags = new Dictionary<string, string> { ["Team"] = "risk", ["Project"] = "churn" };
        var created = await CreateGroup(name, tags);

        var got = await Registry.GetGroupAsync(name, Ct);

        Assert.NotNull(got);
        Assert.Equal(name, got!.Name);
        Assert.Equal(created.Arn, got.Arn);
        Assert.Equal(Registry.GroupArn(name), got.Arn, ignoreCase: true);
        Assert.EndsWith(":model-package-group/" + name, got.Arn, StringComparison.OrdinalIgnoreCase);
        Assert.Equal($"Contract test group {name}", got.Description);
        Assert.NotNull(got.Created);
        Assert.Equal(tags, got.Tags);
    }

    [Fact]
    public async Task GetGroup_Missing_ReturnsNull()
    {
        Assert.Null(await Registry.GetGroupAsync(UniqueName("ct-missing"), Ct));
    }

    [SkippableFact]
    public async Task GetGroup_OtherCase_FindsTheGroup()
    {
        Capabilities.Require(NoCaseInsensitiveNames);
        var name = UniqueName("ct-Case");
        await CreateGroup(name);

        var got = await Registry.GetGroupAsync(name.ToUpperInvariant(), Ct);

        Assert.NotNull(got);
        Assert.Equal(name, got!.Name, ignoreCase: true);
    }

    [SkippableFact]
    public async Task CreateGroup_ExistingName_ThrowsAlreadyExists_AndKeepsTheGroup()
    {
        Capabilities.Require(NoDuplicateCreateRefusal);
        var name = UniqueName("ct-dup");
        await CreateGroup(name, new Dictionary<string, string> { ["Keep"] = "me" });

        await ThrowsRegistry(RegistryErrorKind.AlreadyExists, () => CreateGroup(name));

        var got = await Registry.GetGroupAsync(name, Ct);
        Assert.Equal("me", got!.Tags!["Keep"]);
    }

    [SkippableFact]
    public async Task CreateGroup_ExistingNameInOtherCase_ThrowsAlreadyExists()
    {
        Capabilities.Require(NoDuplicateCreateRefusal, NoCaseInsensitiveNames);
        var name = UniqueName("ct-dupcase");
        await CreateGroup(name);

        await ThrowsRegistry(RegistryErrorKind.AlreadyExists, () => CreateGroup(name.ToUpperInvariant()));
    }

    [Theory]
    [InlineData("-leading-hyphen")]
    [InlineData("trailing-hyphen-")]
    [InlineData("under_score")]
    [InlineData("")]
    public async Task CreateGroup_InvalidName_ThrowsInvalid(string name)
    {
        await ThrowsRegistry(RegistryErrorKind.Invalid, () => CreateGroup(name));
    }

    [Fact]
    public async Task CreateGroup_NameOf64Characters_ThrowsInvalid()
    {
        await ThrowsRegistry(RegistryErrorKind.Invalid, () => CreateGroup(UniqueName("ct-long") + new string('a', 64)));
    }

    [Theory]
    [InlineData(NameOrder.Ascending)]
    [InlineData(NameOrder.Descending)]
    public async Task ListGroups_NameContains_PagesThroughEveryMatchInNameOrder(NameOrder order)
    {
        var stem = UniqueName("ct-list");
        var names = new[] { "e", "a", "c", "b", "d" }.Select(s => $"{stem}-{s}").ToList();
        foreach (var n in names) await CreateGroup(n);
        await CreateGroup(UniqueName("ct-other")); // must not match

        var seen = new List<string>();
        string? token = null;
        var pages = 0;
        do
        {
            var page = await Registry.ListGroupsAsync(stem, token, 2, order, Ct);
            Assert.True(page.Items.Count <= 2);
            seen.AddRange(page.Items.Select(g => g.Name));
            token = page.NextToken;
            pages++;
        } while (token != null && pages < 20);

        Assert.Null(token);
        Assert.True(pages >= 3, $"5 groups in pages of 2 came back in {pages} page(s)");
        var expected = names.OrderBy(n => n, StringComparer.Ordinal).ToList();
        if (order == NameOrder.Descending) expected.Reverse();
        Assert.Equal(expected, seen);
    }

    [SkippableFact]
    public async Task ListGroups_NameContains_IgnoresCase()
    {
        Capabilities.Require(NoCaseInsensitiveNames);
        var stem = UniqueName("ct-listcase");
        await CreateGroup(stem);

        var page = await Registry.ListGroupsAsync(stem.ToUpperInvariant(), null, 100, NameOrder.Ascending, Ct);

        Assert.Equal(new[] { stem }, page.Items.Select(g => g.Name));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(101)]
    public async Task ListGroups_PageSizeOutOfRange_ThrowsInvalid(int pageSize)
    {
        await ThrowsRegistry(RegistryErrorKind.Invalid, () => Registry.ListGroupsAsync(null, null, pageSize, NameOrder.Ascending, Ct));
    }

    [SkippableFact]
    public async Task DeleteGroup_Empty_RemovesIt_AndTheNameCanBeCreatedAgain()
    {
        Capabilities.Require(NoDelete);
        var name = UniqueName("ct-del");
        await CreateGroup(name);

        await Registry.DeleteGroupAsync(name, Ct);

        Assert.Null(await Registry.GetGroupAsync(name, Ct));
        Assert.Empty((await Registry.ListGroupsAsync(name, null, 10, NameOrder.Ascending, Ct)).Items);
        var again = await CreateGroup(name);
        Assert.Equal(name, again.Name);
    }

    [SkippableFact]
    public async Task DeleteGroup_Missing_ThrowsNotFound()
    {
        Capabilities.Require(NoDelete);
        await ThrowsRegistry(RegistryErrorKind.NotFound, () => Registry.DeleteGroupAsync(UniqueName("ct-delmissing"), Ct));
    }

    [SkippableFact]
    public async Task DeleteGroup_WithVersions_ThrowsConflict_AndKeepsEverything()
    {
        Capabilities.Require(NoDelete);
        var name = UniqueName("ct-delfull");
        await CreateGroup(name);
        var v = await Registry.RegisterVersionAsync(TestSpecs.Full(name), Ct);

        await ThrowsRegistry(RegistryErrorKind.Conflict, () => Registry.DeleteGroupAsync(name, Ct));

        Assert.NotNull(await Registry.GetGroupAsync(name, Ct));
        Assert.NotNull(await Registry.GetVersionAsync(v.Arn, Ct));
    }

    // ---- tags -----------------------------------------------------------------------------------------------

    [Fact]
    public async Task GroupTags_AddOverwritesAndExtends_RemoveDropsOnlyTheGivenKeys()
    {
        var name = UniqueName("ct-tags");
        var group = await CreateGroup(name, new Dictionary<string, string> { ["Team"] = "risk", ["Phase"] = "dev" });

        await Registry.AddTagsAsync(group.Arn, new Dictionary<string, string> { ["Phase"] = "prod", ["Owner"] = "ana" }, Ct);
        Assert.Equal(new Dictionary<string, string> { ["Team"] = "risk", ["Phase"] = "prod", ["Owner"] = "ana" },
            await Registry.GetTagsAsync(group.Arn, Ct));

        await Registry.RemoveTagsAsync(group.Arn, new[] { "Team", "NotThere" }, Ct);
        Assert.Equal(new Dictionary<string, string> { ["Phase"] = "prod", ["Owner"] = "ana" },
            await Registry.GetTagsAsync(group.Arn, Ct));
        Assert.Equal(new Dictionary<string, string> { ["Phase"] = "prod", ["Owner"] = "ana" },
            (await Registry.GetGroupAsync(name, Ct))!.Tags);
    }

    [SkippableFact]
    public async Task VersionTags_RoundTripFromRegistration_AddAndRemove()
    {
        Capabilities.Require(NoVersionTags);
        var name = UniqueName("ct-vtags");
        await CreateGroup(name);
        var spec = TestSpecs.Full(name);
        spec.Tags = new Dictionary<string, string> { ["Build"] = "41" };
        var v = await Registry.RegisterVersionAsync(spec, Ct);

        Assert.Equal(new Dictionary<string, string> { ["Build"] = "41" }, await Registry.GetTagsAsync(v.Arn, Ct));
        await Registry.AddTagsAsync(v.Arn, new Dictionary<string, string> { ["Build"] = "42", ["Gate"] = "passed" }, Ct);
        await Registry.RemoveTagsAsync(v.Arn, new[] { "Gate" }, Ct);
        Assert.Equal(new Dictionary<string, string> { ["Build"] = "42" }, await Registry.GetTagsAsync(v.Arn, Ct));
    }

    // ---- versions -------------------------------------------------------------------------------------------

    [Fact]
    public async Task RegisterVersion_EveryFieldRoundTripsThroughGetVersion()
    {
        var name = UniqueName("ct-reg");
        await CreateGroup(name);
        var spec = TestSpecs.Full(name);
        spec.ModelStatisticsUri = "s3://models-bucket/churn/1.4.2/statistics.json";
        spec.ModelStatisticsContentType = "application/json";
        spec.CustomerMetadata = new Dictionary<string, string> { ["git-sha"] = "0a1b2c3", ["auc"] = "0.91" };

        var registered = await Registry.RegisterVersionAsync(spec, Ct);
        var v = await Registry.GetVersionAsync(registered.Arn, Ct);

        Assert.NotNull(v);
        Assert.True(v!.IsDetailed);
        Assert.Equal(registered.Arn, v.Arn);
        Assert.Equal(name, v.GroupName, ignoreCase: true);
        Assert.Equal(1, v.Version);
        Assert.EndsWith($":model-package/{name}/1", v.Arn, StringComparison.OrdinalIgnoreCase);
        Assert.Equal(ApprovalStatus.PendingManualApproval, v.Status);
        Assert.Equal(spec.Description, v.Description);
        Assert.Equal(spec.ImageUri, v.ImageUri);
        Assert.Equal(spec.ModelDataUrl, v.ModelDataUrl);
        Assert.Equal(spec.ContentTypes, v.ContentTypes);
        Assert.Equal(spec.ResponseTypes, v.ResponseTypes);
        Assert.Equal(spec.InferenceInstanceTypes, v.InferenceInstanceTypes);
        Assert.Equal(spec.TransformInstanceTypes, v.TransformInstanceTypes);
        Assert.Equal(spec.ModelStatisticsUri, v.ModelStatisticsUri);
        Assert.Equal(spec.ModelStatisticsContentType, v.ModelStatisticsContentType);
        Assert.Equal(spec.CustomerMetadata, v.CustomerMetadata);
        Assert.NotNull(v.Created);
    }

    [Fact]
    public async Task RegisterVersion_ReturnsItsCreationTime_InUtcAndLocal()
    {
        var name = UniqueName("ct-created");
        await CreateGroup(name);
        var registered = await Registry.RegisterVersionAsync(TestSpecs.Full(name), Ct);

        Assert.NotNull(registered.CreatedUtc);
        Assert.NotNull(registered.LastModifiedUtc);
        Assert.Equal(DateTimeKind.Utc, registered.CreatedUtc!.Value.Kind);
        Assert.InRange(registered.CreatedUtc.Value, DateTime.UtcNow.AddMinutes(-10), DateTime.UtcNow.AddMinutes(10));
        Assert.Equal(DateTimeKind.Local, registered.Created!.Value.Kind);
        Assert.Equal(registered.CreatedUtc.Value, registered.Created.Value.ToUniversalTime());
    }

    [Fact]
    public async Task RegisterVersion_NumbersVersionsOneTwoThree_AndKeepsTheRequestedStatus()
    {
        var name = UniqueName("ct-seq");
        await CreateGroup(name);

        var v1 = await Registry.RegisterVersionAsync(TestSpecs.Full(name), Ct);
        var v2 = await Registry.RegisterVersionAsync(TestSpecs.Full(name, ApprovalStatus.Approved), Ct);
        var v3 = await Registry.RegisterVersionAsync(TestSpecs.Full(name, ApprovalStatus.Rejected), Ct);

        Assert.Equal(new[] { 1, 2, 3 }, new[] { v1.Version, v2.Version, v3.Version });
        Assert.Equal(3, new[] { v1.Arn, v2.Arn, v3.Arn }.Distinct().Count());
        Assert.Equal(ApprovalStatus.Approved, (await Registry.GetVersionAsync(v2.Arn, Ct))!.Status);
        Assert.Equal(ApprovalStatus.Rejected, (await Registry.GetVersionAsync(v3.Arn, Ct))!.Status);
    }

    [Fact]
    public async Task RegisterVersion_MissingGroup_ThrowsNotFound()
    {
        await ThrowsRegistry(RegistryErrorKind.NotFound, () => Registry.RegisterVersionAsync(TestSpecs.Full(UniqueName("ct-nogroup")), Ct));
    }

    [SkippableFact]
    public async Task RegisterVersion_SameClientToken_ReturnsTheEarlierVersion()
    {
        Capabilities.Require(NoClientToken);
        var name = UniqueName("ct-token");
        await CreateGroup(name);
        var spec = TestSpecs.Full(name);
        spec.ClientToken = Guid.NewGuid().ToString();

        var first = await Registry.RegisterVersionAsync(spec, Ct);
        var second = await Registry.RegisterVersionAsync(spec, Ct);
        spec.ClientToken = Guid.NewGuid().ToString();
        var third = await Registry.RegisterVersionAsync(spec, Ct);

        Assert.Equal(first.Arn, second.Arn);
        Assert.Equal(2, third.Version);
        Assert.Equal(2, (await ListAllVersions(new VersionQuery(name))).Count);
    }

    [Fact]
    public async Task GetVersion_Missing_ReturnsNull()
    {
        var name = UniqueName("ct-getmissing");
        await CreateGroup(name);
        await Registry.RegisterVersionAsync(TestSpecs.Full(name), Ct);
        var arnOfOne = (await ListAllVersions(new VersionQuery(name))).Single().Arn;

        Assert.Null(await Registry.GetVersionAsync(arnOfOne[..^1] + "99", Ct));
        Assert.Null(await Registry.GetVersionAsync(arnOfOne.Replace(name, UniqueName("ct-nogroup")), Ct));
    }

    [Fact]
    public async Task ListVersions_MissingGroup_ThrowsNotFound()
    {
        await ThrowsRegistry(RegistryErrorKind.NotFound,
            () => Registry.ListVersionsAsync(new VersionQuery(UniqueName("ct-nogroup")), null, Ct));
    }

    [Fact]
    public async Task ListVersions_EmptyGroup_ReturnsOneEmptyPage()
    {
        var name = UniqueName("ct-empty");
        await CreateGroup(name);

        Assert.Empty(await ListAllVersions(new VersionQuery(name)));
    }

    [Fact]
    public async Task ListVersions_MoreThanTwoHundredFifty_PagesAcrossBoundaries_InBothOrders()
    {
        const int count = 260;
        var name = UniqueName("ct-many");
        await CreateGroup(name);
        for (var i = 0; i < count; i++)
            await Registry.RegisterVersionAsync(TestSpecs.Full(name), Ct);

        var ascending = await ListAllVersions(new VersionQuery(name) { PageSize = 100 });
        var descending = await ListAllVersions(new VersionQuery(name) { PageSize = 100, Descending = true });

        Assert.Equal(Enumerable.Range(1, count), ascending.Select(v => v.Version));
        Assert.Equal(Enumerable.Range(1, count).Reverse(), descending.Select(v => v.Version));
        Assert.Equal(count, ascending.Select(v => v.Arn).Distinct().Count());
        Assert.All(ascending, v => Assert.Equal(name, v.GroupName, ignoreCase: true));
    }

    [Fact]
    public async Task ListVersions_StatusFilter_ReturnsOnlyThatStatus()
    {
        var name = UniqueName("ct-status");
        await CreateGroup(name);
        var statuses = new[]
        {
            ApprovalStatus.Approved, ApprovalStatus.PendingManualApproval, ApprovalStatus.Rejected,
            ApprovalStatus.Approved, ApprovalStatus.PendingManualApproval, ApprovalStatus.Approved,
        };
        foreach (var s in statuses) await Registry.RegisterVersionAsync(TestSpecs.Full(name, s), Ct);

        var approved = await ListAllVersions(new VersionQuery(name) { Status = ApprovalStatus.Approved, PageSize = 2 });
        var rejected = await ListAllVersions(new VersionQuery(name) { Status = ApprovalStatus.Rejected });

        Assert.Equal(new[] { 1, 4, 6 }, approved.Select(v => v.Version));
        Assert.All(approved, v => Assert.Equal(ApprovalStatus.Approved, v.Status));
        Assert.Equal(new[] { 3 }, rejected.Select(v => v.Version));
    }

    [Fact]
    public async Task ListVersions_CreatedAfterAndBefore_SplitAtAMomentBetweenRegistrations()
    {
        var name = UniqueName("ct-time");
        await CreateGroup(name);
        var early = await Registry.RegisterVersionAsync(TestSpecs.Full(name), Ct);
        await Task.Delay(1100); // a full second apart, whatever precision the backend keeps
        var late1 = await Registry.RegisterVersionAsync(TestSpecs.Full(name), Ct);
        var late2 = await Registry.RegisterVersionAsync(TestSpecs.Full(name), Ct);
        var earlyAt = (await Registry.GetVersionAsync(early.Arn, Ct))!.CreatedUtc!.Value;
        var lateAt = (await Registry.GetVersionAsync(late1.Arn, Ct))!.CreatedUtc!.Value;
        var between = earlyAt + TimeSpan.FromTicks((lateAt - earlyAt).Ticks / 2);

        var after = await ListAllVersions(new VersionQuery(name) { CreatedAfter = between });
        var before = await ListAllVersions(new VersionQuery(name) { CreatedBefore = between });

        Assert.Equal(new[] { late1.Version, late2.Version }, after.Select(v => v.Version));
        Assert.Equal(new[] { early.Version }, before.Select(v => v.Version));
    }

    [Fact]
    public async Task SetApproval_SetsStatusAndReason_AndReturnsTheVersionAsItNowIs()
    {
        var name = UniqueName("ct-approve");
        await CreateGroup(name);
        var v = await Registry.RegisterVersionAsync(TestSpecs.Full(name), Ct);

        var returned = await Registry.UpdateVersionAsync(v.Arn, VersionUpdate.Approval(ApprovalStatus.Approved, "passed offline evaluation"), Ct);
        var got = await Registry.GetVersionAsync(v.Arn, Ct);

        Assert.Equal(ApprovalStatus.Approved, returned.Status);
        Assert.Equal("passed offline evaluation", returned.ApprovalDescription);
        Assert.Equal(ApprovalStatus.Approved, got!.Status);
        Assert.Equal("passed offline evaluation", got.ApprovalDescription);
        Assert.Equal(ApprovalStatus.Approved,
            (await ListAllVersions(new VersionQuery(name))).Single().Status);
    }

    [SkippableFact]
    public async Task SetApproval_WithoutReason_KeepsThePreviousReason()
    {
        Capabilities.Require(NoKeptApprovalDescription);
        var name = UniqueName("ct-keepreason");
        await CreateGroup(name);
        var v = await Registry.RegisterVersionAsync(TestSpecs.Full(name), Ct);
        await Registry.UpdateVersionAsync(v.Arn, VersionUpdate.Approval(ApprovalStatus.Approved, "first reason"), Ct);

        await Registry.UpdateVersionAsync(v.Arn, VersionUpdate.Approval(ApprovalStatus.Rejected, null), Ct);

        var got = await Registry.GetVersionAsync(v.Arn, Ct);
        Assert.Equal(ApprovalStatus.Rejected, got!.Status);
        Assert.Equal("first reason", got.ApprovalDescription);
    }

    [SkippableFact]
    public async Task DeleteVersion_RemovesIt_AndItsNumberIsNotReused()
    {
        Capabilities.Require(NoDelete);
        var name = UniqueName("ct-delv");
        await CreateGroup(name);
        await Registry.RegisterVersionAsync(TestSpecs.Full(name), Ct);
        var v2 = await Registry.RegisterVersionAsync(TestSpecs.Full(name), Ct);

        await Registry.DeleteVersionAsync(v2.Arn, Ct);
        var v3 = await Registry.RegisterVersionAsync(TestSpecs.Full(name), Ct);

        Assert.Null(await Registry.GetVersionAsync(v2.Arn, Ct));
        Assert.Equal(3, v3.Version);
        Assert.Equal(new[] { 1, 3 }, (await ListAllVersions(new VersionQuery(name))).Select(v => v.Version));
    }

    [SkippableFact]
    public async Task DeleteVersion_Missing_ThrowsNotFound()
    {
        Capabilities.Require(NoDelete);
        var name = UniqueName("ct-delvmissing");
        await CreateGroup(name);
        var v = await Registry.RegisterVersionAsync(TestSpecs.Full(name), Ct);

        await ThrowsRegistry(RegistryErrorKind.NotFound, () => Registry.DeleteVersionAsync(v.Arn[..^1] + "7", Ct));
    }

    [SkippableFact]
    public async Task UpdateVersion_Metadata_MergesAndRemovesKeys_AndLeavesTheRest()
    {
        Capabilities.Require(NoKeptMembersOnUpdate);
        var name = UniqueName("ct-meta");
        await CreateGroup(name);
        var spec = TestSpecs.Full(name);
        spec.CustomerMetadata = new Dictionary<string, string> { ["git"] = "abc", ["draft"] = "yes" };
        var v = await Registry.RegisterVersionAsync(spec, Ct);
        await Registry.UpdateVersionAsync(v.Arn, VersionUpdate.Approval(ApprovalStatus.Approved, "passed review"), Ct);

        var returned = await Registry.UpdateVersionAsync(v.Arn, new VersionUpdate
        {
            CustomerMetadata = new Dictionary<string, string> { ["ticket"] = "ML-42", ["git"] = "def" },
            RemoveCustomerMetadata = new[] { "draft" },
        }, Ct);
        var got = await Registry.GetVersionAsync(v.Arn, Ct);

        var expected = new Dictionary<string, string> { ["git"] = "def", ["ticket"] = "ML-42" };
        Assert.Equal(expected, got!.CustomerMetadata!.OrderBy(kv => kv.Key).ToDictionary(kv => kv.Key, kv => kv.Value));
        Assert.Equal("ML-42", returned.CustomerMetadata!["ticket"]);
        Assert.Equal(ApprovalStatus.Approved, got.Status);
        Assert.Equal("passed review", got.ApprovalDescription);
    }

    [SkippableFact]
    public async Task UpdateVersion_Lifecycle_IsReadBackFromDescribeAndList()
    {
        Capabilities.Require(NoLifecycle);
        var name = UniqueName("ct-stage");
        await CreateGroup(name);
        var v = await Registry.RegisterVersionAsync(TestSpecs.Full(name, ApprovalStatus.Approved), Ct);
        Assert.Null(v.Stage);

        var returned = await Registry.UpdateVersionAsync(v.Arn, new VersionUpdate { Lifecycle = new VersionLifecycle("Staging", "InProgress", "soak test") }, Ct);
        var got = await Registry.GetVersionAsync(v.Arn, Ct);
        var listed = (await ListAllVersions(new VersionQuery(name))).Single();

        Assert.Equal(("Staging", "InProgress", "soak test"), (returned.Stage, returned.StageStatus, returned.StageDescription));
        Assert.Equal(("Staging", "InProgress", "soak test"), (got!.Stage, got.StageStatus, got.StageDescription));
        Assert.Equal(("Staging", "InProgress"), (listed.Stage, listed.StageStatus));
        Assert.Equal(ApprovalStatus.Approved, got.Status); // a stage change leaves the approval alone
    }

    [SkippableFact]
    public async Task RegisterVersion_WithStage_IsReadBackFromDescribeAndList()
    {
        Capabilities.Require(NoLifecycle);
        var name = UniqueName("ct-regstage");
        await CreateGroup(name);
        var spec = TestSpecs.Full(name, ApprovalStatus.Approved);
        (spec.Stage, spec.StageStatus, spec.StageDescription) = ("Production", "Approved", "hotfix");
        var v = await Registry.RegisterVersionAsync(spec, Ct);

        var got = await Registry.GetVersionAsync(v.Arn, Ct);
        var listed = (await ListAllVersions(new VersionQuery(name))).Single();
        Assert.Equal(("Production", "Approved", "hotfix"), (v.Stage, v.StageStatus, v.StageDescription));
        Assert.Equal(("Production", "Approved", "hotfix"), (got!.Stage, got.StageStatus, got.StageDescription));
        Assert.Equal(("Production", "Approved"), (listed.Stage, listed.StageStatus));
    }

    [Fact]
    public async Task RegisterVersion_WithAStageSageMakerRefuses_IsInvalid_AndRegistersNothing()
    {
        var name = UniqueName("ct-regbadstage");
        await CreateGroup(name);
        var spec = TestSpecs.Full(name);
        spec.Stage = "not a stage";
        await ThrowsRegistry(RegistryErrorKind.Invalid, () => new Engine.Operations.ModelVersionOperations(Registry).RegisterAsync(spec, Ct));
        Assert.Empty(await ListAllVersions(new VersionQuery(name)));
    }

    [Fact]
    public async Task UpdateVersion_Missing_ThrowsNotFound_AndInvalid_BeforeAnyChange()
    {
        var name = UniqueName("ct-updmissing");
        await CreateGroup(name);
        var v = await Registry.RegisterVersionAsync(TestSpecs.Full(name), Ct);

        await ThrowsRegistry(RegistryErrorKind.Invalid, () => Registry.UpdateVersionAsync(v.Arn, new VersionUpdate
        {
            Status = ApprovalStatus.Approved,
            Lifecycle = new VersionLifecycle("not a stage", "x"),
        }, Ct));
        Assert.Equal(ApprovalStatus.PendingManualApproval, (await Registry.GetVersionAsync(v.Arn, Ct))!.Status);
        await ThrowsRegistry(RegistryErrorKind.NotFound,
            () => Registry.UpdateVersionAsync(v.Arn[..^1] + "7", VersionUpdate.Approval(ApprovalStatus.Approved, "x"), Ct));
    }
}
