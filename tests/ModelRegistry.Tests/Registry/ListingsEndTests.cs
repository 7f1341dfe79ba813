using System.Text.Json;
using ModelRegistry.Engine.Deployment;
using ModelRegistry.Engine.Registry;
using ModelRegistry.Tests.Support;

namespace ModelRegistry.Tests.Registry;

/// <summary>Every listing ends: a page token seen before in the same listing, or more pages than any real listing
/// has, is a BadReply error naming the operation, never an endless walk.</summary>
public sealed class ListingsEndTests
{
    private static readonly CancellationToken None = CancellationToken.None;

    /// <summary>Pages answering a fixed token sequence (null ends): the listing a broken service would give.</summary>
    private static Func<string?, Task<Page<int>>> Pages(params string?[] tokens)
    {
        var calls = 0;
        return _ =>
        {
            var i = calls++;
            return Task.FromResult(new Page<int>(new[] { i }, i < tokens.Length ? tokens[i] : null));
        };
    }

    public static TheoryData<string, string?[]> Loops => new()
    {
        { "the same token again", new[] { "a", "a" } },
        { "a cycle of two", new[] { "a", "b", "a" } },
        { "back to an early token", new[] { "a", "b", "c", "d", "b" } },
    };

    [Theory]
    [MemberData(nameof(Loops))]
    public void A_repeated_or_cyclic_token_stops_the_streaming_walk_naming_the_operation(string why, string?[] tokens)
    {
        var items = new List<int>();
        var e = Assert.Throws<RegistryException>(() =>
        {
            foreach (var i in RegistryExtensions.EnumeratePages("ListModelPackageGroups", Pages(tokens))) items.Add(i);
        });
        Assert.Equal(RegistryErrorKind.BadReply, e.Kind);
        Assert.Contains("ListModelPackageGroups", e.Message);
        Assert.Equal("ListModelPackageGroups", e.Target);
        Assert.Equal(tokens.Length, items.Count); // every page up to the repeat, none after
        Assert.False(string.IsNullOrEmpty(why));
    }

    [Theory]
    [MemberData(nameof(Loops))]
    public async Task A_repeated_or_cyclic_token_stops_the_collecting_walk_naming_the_operation(string why, string?[] tokens)
    {
        var e = await Assert.ThrowsAsync<RegistryException>(() => RegistryExtensions.AllPagesAsync("ListEndpoints", Pages(tokens)));
        Assert.Equal(RegistryErrorKind.BadReply, e.Kind);
        Assert.Contains("ListEndpoints", e.Message);
        Assert.False(string.IsNullOrEmpty(why));
    }

    [Fact]
    public void Distinct_tokens_end_normally_and_an_empty_token_ends_like_null()
    {
        Assert.Equal(new[] { 0, 1, 2 }, RegistryExtensions.EnumeratePages("ListModels", Pages("a", "b", "")).ToList());
        Assert.Equal(new[] { 0, 1, 2 }, RegistryExtensions.EnumeratePages("ListModels", Pages("a", "b", null)).ToList());
    }

    [Fact]
    public async Task A_listing_that_never_ends_with_new_tokens_stops_at_the_page_bound()
    {
        var calls = 0;
        Task<Page<int>> Endless(string? _) => Task.FromResult(new Page<int>(Array.Empty<int>(), "t" + ++calls));

        var e = await Assert.ThrowsAsync<RegistryException>(() => RegistryExtensions.AllPagesAsync<int>("ListModelPackages", Endless));

        Assert.Equal(RegistryErrorKind.BadReply, e.Kind);
        Assert.Contains("ListModelPackages", e.Message);
        Assert.Equal(RegistryExtensions.MaxPages, calls);
    }

    // ---- on the wire: a SageMaker that repeats its NextToken ------------------------------------------------

    private const string GroupArn = "arn:aws:sagemaker:us-east-1:123456789012:model-package-group/g";

    /// <summary>Replies with one item per page and the next token from <paramref name="next"/> (given the request's token).</summary>
    private static CapturingEndpoint Service(Func<string?, string> next) => new(request =>
    {
        using var body = JsonDocument.Parse(request.Body);
        var token = body.RootElement.TryGetProperty("NextToken", out var t) ? t.GetString() : null;
        var following = JsonSerializer.Serialize(next(token));
        return new CannedResponse(200, request.Operation switch
        {
            "ListModelPackageGroups" => $$"""{"ModelPackageGroupSummaryList":[{"ModelPackageGroupName":"g","ModelPackageGroupArn":"{{GroupArn}}","CreationTime":1700000000,"ModelPackageGroupStatus":"Completed"}],"NextToken":{{following}}}""",
            "ListModelPackages" => $$"""{"ModelPackageSummaryList":[{"ModelPackageGroupName":"g","ModelPackageVersion":1,"ModelPackageArn":"{{GroupArn.Replace("-group/", "/")}}/1","CreationTime":1700000001,"ModelPackageStatus":"Completed","ModelApprovalStatus":"Approved"}],"NextToken":{{following}}}""",
            "ListTags" => $$"""{"Tags":[{"Key":"Team","Value":"ml"}],"NextToken":{{following}}}""",
            "ListEndpoints" => $$"""{"Endpoints":[{"EndpointName":"ep","EndpointArn":"arn:aws:sagemaker:us-east-1:123456789012:endpoint/ep","CreationTime":1700000000,"LastModifiedTime":1700000000,"EndpointStatus":"InService"}],"NextToken":{{following}}}""",
            _ => "{}",
        });
    });

    public static TheoryData<string> WireListings => new() { "ListModelPackageGroups", "ListModelPackages", "ListTags", "ListEndpoints" };

    [Theory]
    [MemberData(nameof(WireListings))]
    public async Task A_service_repeating_its_NextToken_is_asked_twice_then_the_listing_stops(string operation)
    {
        using var endpoint = Service(_ => "same-token");
        using var registry = SageMakerTesting.Registry(endpoint.Url, maxErrorRetry: 0);

        var e = await Assert.ThrowsAsync<RegistryException>(() => Walk(registry, operation));

        Assert.Equal(RegistryErrorKind.BadReply, e.Kind);
        Assert.Contains(operation, e.Message);
        // The first page, then the page after "same-token", which hands "same-token" back: two calls, no more.
        Assert.Equal(2, endpoint.Requests.Count(r => r.Operation == operation));
    }

    [Theory]
    [MemberData(nameof(WireListings))]
    public async Task A_service_cycling_between_tokens_stops_when_a_token_comes_back(string operation)
    {
        using var endpoint = Service(token => token switch { null => "a", "a" => "b", _ => "a" });
        using var registry = SageMakerTesting.Registry(endpoint.Url, maxErrorRetry: 0);

        var e = await Assert.ThrowsAsync<RegistryException>(() => Walk(registry, operation));

        Assert.Equal(RegistryErrorKind.BadReply, e.Kind);
        Assert.Equal(3, endpoint.Requests.Count(r => r.Operation == operation));
    }

    [Fact]
    public async Task The_version_lookup_after_an_ambiguous_create_stops_on_a_repeated_token_too()
    {
        // Empty pages that keep pointing at the same next page: before, this lookup asked forever.
        using var endpoint = new CapturingEndpoint(_ => new CannedResponse(200, """{"ModelPackageSummaryList":[],"NextToken":"same"}"""));
        using var registry = SageMakerTesting.Registry(endpoint.Url, maxErrorRetry: 0);

        var e = await Assert.ThrowsAsync<RegistryException>(() =>
            VersionLookup.FindByTokenAsync(registry, "g", "token-1", DateTime.UtcNow, None));

        Assert.Equal(RegistryErrorKind.BadReply, e.Kind);
        Assert.Equal(2, endpoint.Requests.Count(r => r.Operation == "ListModelPackages"));
    }

    private static Task Walk(IModelRegistry registry, string operation) => operation switch
    {
        "ListModelPackageGroups" => Task.Run(() => registry.EnumerateGroups(null, None).ToList()),
        "ListModelPackages" => registry.ListAllVersionsAsync(new VersionQuery("g"), None),
        "ListTags" => registry.GetTagsAsync(GroupArn, None),
        "ListEndpoints" => Task.Run(() => new DeploymentOperations(registry).EnumerateEndpoints(None).ToList()),
        _ => throw new ArgumentOutOfRangeException(nameof(operation)),
    };
}
