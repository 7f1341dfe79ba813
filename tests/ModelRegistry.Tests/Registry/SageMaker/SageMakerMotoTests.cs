using ModelRegistry.Engine.Registry;
using ModelRegistry.Engine.Registry.SageMaker;
using ModelRegistry.Tests.Support;

namespace ModelRegistry.Tests.Registry.SageMaker;

/// <summary>SageMakerRegistry against moto_server. Asserts SageMaker behaviour moto shares; moto's
/// differences (see the toolchain notes) are not asserted as truth.</summary>
[Collection("moto")]
public sealed class SageMakerMotoTests : IDisposable
{
    private readonly MotoServer _moto;
    private readonly SageMakerRegistry _registry;
    private static readonly CancellationToken None = CancellationToken.None;

    public SageMakerMotoTests(MotoServer moto)
    {
        _moto = moto;
        _registry = SageMakerTesting.Registry(moto.Url);
    }

    public void Dispose() => _registry.Dispose();

    private static Dictionary<string, string> Tags(params (string Key, string Value)[] tags) =>
        tags.ToDictionary(t => t.Key, t => t.Value);

    private static readonly Dictionary<string, string> OwnerTag = new() { ["Owner"] = "me" };

    [Fact]
    public async Task Create_then_get_returns_group_with_tags()
    {
        var name = SageMakerTesting.UniqueName("crt");
        var created = await _registry.CreateGroupAsync(name, "the description", Tags(("Team", "ml"), ("Project", "p1")), None);
        Assert.Equal(name, created.Name);
        Assert.EndsWith($":model-package-group/{name}", created.Arn);

        var got = await _registry.GetGroupAsync(name, None);
        Assert.NotNull(got);
        Assert.Equal(name, got!.Name);
        Assert.Equal(created.Arn, got.Arn);
        Assert.Equal("the description", got.Description);
        Assert.NotNull(got.CreatedUtc);
        Assert.Equal(DateTimeKind.Utc, got.CreatedUtc!.Value.Kind);
        Assert.InRange(got.CreatedUtc.Value, DateTime.UtcNow.AddMinutes(-10), DateTime.UtcNow.AddMinutes(10));
        Assert.Equal(Tags(("Team", "ml"), ("Project", "p1")), got.Tags);
    }

    [Fact]
    public async Task Missing_group_reads_as_null_and_listing_its_versions_is_NotFound()
    {
        var name = SageMakerTesting.UniqueName("missing");
        Assert.Null(await _registry.GetGroupAsync(name, None));
        var e = await Assert.ThrowsAsync<RegistryException>(() => _registry.ListVersionsAsync(new VersionQuery(name), null, None));
        Assert.Equal(RegistryErrorKind.NotFound, e.Kind);
        Assert.Equal(name, e.Target);
    }

    [Fact]
    public async Task Missing_version_reads_as_null()
    {
        var name = SageMakerTesting.UniqueName("nf");
        Assert.Null(await _registry.GetVersionAsync(_registry.GroupArn(name).Replace("model-package-group", "model-package") + "/1", None));
    }

    [Fact]
    public async Task List_groups_pages_with_name_filter()
    {
        var prefix = "pg" + Guid.NewGuid().ToString("N")[..10];
        var names = Enumerable.Range(0, 120).Select(i => $"{prefix}-{i:D3}").ToList();
        foreach (var n in names)
            await _registry.CreateGroupAsync(n, "", new Dictionary<string, string>(), None);

        var seen = new List<string>();
        string? token = null;
        var pages = 0;
        do
        {
            var page = await _registry.ListGroupsAsync(prefix, token, 50, NameOrder.Ascending, None);
            Assert.True(page.Items.Count <= 50);
            Assert.All(page.Items, g => Assert.Null(g.Tags));
            seen.AddRange(page.Items.Select(g => g.Name));
            token = page.NextToken;
            pages++;
        } while (token != null && pages < 10);

        Assert.Equal(3, pages);
        Assert.Equal(names, seen); // name ascending, every group once
    }

    [Fact]
    public async Task Tags_add_overwrite_remove_on_a_group()
    {
        var name = SageMakerTesting.UniqueName("tags");
        var group = await _registry.CreateGroupAsync(name, "d", Tags(("A", "1")), None);
        await _registry.AddTagsAsync(group.Arn, Tags(("A", "2"), ("B", "x y")), None);
        Assert.Equal(Tags(("A", "2"), ("B", "x y")), await _registry.GetTagsAsync(group.Arn, None));
        await _registry.RemoveTagsAsync(group.Arn, new[] { "A" }, None);
        Assert.Equal(Tags(("B", "x y")), await _registry.GetTagsAsync(group.Arn, None));
    }

    [Fact]
    public async Task Sixty_tags_are_written_in_two_calls_and_read_back()
    {
        var name = SageMakerTesting.UniqueName("mtags");
        var group = await _registry.CreateGroupAsync(name, "d", new Dictionary<string, string>(), None);
        var many = Enumerable.Range(0, 60).ToDictionary(i => $"k{i:D2}", i => $"v{i}");
        await _registry.AddTagsAsync(group.Arn, many, None); // 50 + 10: two AddTags calls
        Assert.Equal(many, await _registry.GetTagsAsync(group.Arn, None));
    }

    [Fact]
    public async Task Register_then_describe_round_trips_the_spec()
    {
        var name = SageMakerTesting.UniqueName("reg");
        await _registry.CreateGroupAsync(name, "d", new Dictionary<string, string>(), None);
        var registered = await _registry.RegisterVersionAsync(TestSpecs.Full(name, token: Guid.NewGuid().ToString(), tags: OwnerTag), None);
        Assert.Equal(1, registered.Version);
        Assert.Equal(name, registered.GroupName);
        Assert.EndsWith($":model-package/{name}/1", registered.Arn);

        var v = await _registry.GetVersionAsync(registered.Arn, None);
        Assert.NotNull(v);
        Assert.True(v!.IsDetailed);
        Assert.Equal(1, v.Version);
        Assert.Equal(name, v.GroupName);
        Assert.Equal(ApprovalStatus.PendingManualApproval, v.Status);
        Assert.Equal("a version", v.Description);
        Assert.Equal("123456789012.dkr.ecr.us-east-1.amazonaws.com/model:1", v.ImageUri);
        Assert.Equal("s3://bucket/model.tar.gz", v.ModelDataUrl);
        Assert.Equal(new[] { "text/csv" }, v.ContentTypes);
        Assert.Equal(new[] { "application/json" }, v.ResponseTypes);
        Assert.Equal(new[] { "ml.m5.large" }, v.InferenceInstanceTypes);
        Assert.Equal(new[] { "ml.m5.xlarge" }, v.TransformInstanceTypes);
        Assert.Equal("s3://bucket/stats.json", v.ModelStatisticsUri);
        Assert.Equal("application/json", v.ModelStatisticsContentType);
        Assert.Equal("abc123", v.CustomerMetadata!["git"]);
        Assert.NotNull(v.CreatedUtc);
        Assert.Equal(DateTimeKind.Utc, v.CreatedUtc!.Value.Kind);
    }

    [Fact]
    public async Task Approve_with_reason_then_reject()
    {
        var name = SageMakerTesting.UniqueName("appr");
        await _registry.CreateGroupAsync(name, "d", new Dictionary<string, string>(), None);
        var v = await _registry.RegisterVersionAsync(TestSpecs.Full(name, token: Guid.NewGuid().ToString(), tags: OwnerTag), None);

        var approved = await _registry.UpdateVersionAsync(v.Arn, VersionUpdate.Approval(ApprovalStatus.Approved, "passed review"), None);
        Assert.Equal(ApprovalStatus.Approved, approved.Status);
        Assert.Equal("passed review", approved.ApprovalDescription);
        var read = await _registry.GetVersionAsync(v.Arn, None);
        Assert.Equal(ApprovalStatus.Approved, read!.Status);
        Assert.Equal("passed review", read.ApprovalDescription);

        var rejected = await _registry.UpdateVersionAsync(v.Arn, VersionUpdate.Approval(ApprovalStatus.Rejected, "drift"), None);
        Assert.Equal(ApprovalStatus.Rejected, rejected.Status);
        Assert.Equal("drift", rejected.ApprovalDescription);
    }

    [Fact]
    public async Task Versions_list_across_pages_filter_by_status_and_sort_descending()
    {
        var name = SageMakerTesting.UniqueName("vers");
        await _registry.CreateGroupAsync(name, "d", new Dictionary<string, string>(), None);
        const int count = 105;
        for (var i = 0; i < count; i++)
        {
            var spec = TestSpecs.Full(name, token: Guid.NewGuid().ToString(), status: i % 5 == 0 ? ApprovalStatus.Approved : ApprovalStatus.PendingManualApproval);
            spec.Tags = new Dictionary<string, string>();
            await _registry.RegisterVersionAsync(spec, None);
        }

        async Task<List<ModelVersion>> All(VersionQuery q)
        {
            var all = new List<ModelVersion>();
            string? token = null;
            var pages = 0;
            do
            {
                var page = await _registry.ListVersionsAsync(q, token, None);
                Assert.True(page.Items.Count <= q.PageSize);
                all.AddRange(page.Items);
                token = page.NextToken;
            } while (token != null && ++pages < 20);
            return all;
        }

        var ascending = await All(new VersionQuery(name) { PageSize = 100 });
        Assert.Equal(Enumerable.Range(1, count), ascending.Select(v => v.Version));
        Assert.All(ascending, v => Assert.Equal(name, v.GroupName));
        Assert.All(ascending, v => Assert.False(v.IsDetailed));

        var descending = await All(new VersionQuery(name) { PageSize = 40, Descending = true });
        Assert.Equal(Enumerable.Range(1, count).Reverse(), descending.Select(v => v.Version));

        var approved = await All(new VersionQuery(name) { Status = ApprovalStatus.Approved, PageSize = 10 });
        Assert.Equal(Enumerable.Range(0, count).Where(i => i % 5 == 0).Select(i => i + 1), approved.Select(v => v.Version));
        Assert.All(approved, v => Assert.Equal(ApprovalStatus.Approved, v.Status));
    }

    [Fact]
    public async Task Empty_existing_group_lists_no_versions()
    {
        var name = SageMakerTesting.UniqueName("empty");
        await _registry.CreateGroupAsync(name, "d", new Dictionary<string, string>(), None);
        var page = await _registry.ListVersionsAsync(new VersionQuery(name), null, None);
        Assert.Empty(page.Items);
        Assert.Null(page.NextToken);
    }

    [Fact]
    public async Task Caller_account_comes_from_sts_at_the_moto_url()
    {
        Assert.Equal("123456789012", await _registry.GetCallerAccountAsync(None));
        Assert.Equal($"arn:aws:sagemaker:us-east-1:123456789012:model-package-group/g1", _registry.GroupArn("g1"));
    }

    [Fact]
    public void Location_names_region_and_endpoint()
    {
        Assert.Equal($"SageMaker us-east-1 at {_moto.Url}", _registry.Location.TrimEnd('/'));
    }
}
