using System.Text.Json;
using ModelRegistry.Engine.Operations;
using ModelRegistry.Engine.Registry;
using ModelRegistry.Engine.Registry.SageMaker;
using ModelRegistry.Tests.Support;

namespace ModelRegistry.Tests.Registry.SageMaker;

/// <summary>
/// What the client puts on the wire, captured at a loopback endpoint that answers canned replies: the
/// awsJson1.1 envelope of every operation, and every body checked against botocore's SageMaker model.
/// Covers the operations moto lacks (DeleteModelPackageGroup, DeleteModelPackage).
/// </summary>
public sealed class SageMakerRequestShapeTests : IDisposable
{
    private const string Account = "123456789012";
    private const string GroupArn = "arn:aws:sagemaker:us-east-1:123456789012:model-package-group/team-proj";
    private const string VersionArn = "arn:aws:sagemaker:us-east-1:123456789012:model-package/team-proj/3";
    private static readonly CancellationToken None = CancellationToken.None;

    private readonly CapturingEndpoint _endpoint = new(Canned);
    private readonly SageMakerRegistry _registry;

    public SageMakerRequestShapeTests()
    {
        _registry = SageMakerTesting.Registry(_endpoint.Url, maxErrorRetry: 0);
    }

    public void Dispose()
    {
        _registry.Dispose();
        _endpoint.Dispose();
    }

    private static CannedResponse Canned(CapturedRequest request) => new(200, request.Operation switch
    {
        "CreateModelPackageGroup" => $$"""{"ModelPackageGroupArn":"{{GroupArn}}"}""",
        "DescribeModelPackageGroup" => $$"""{"ModelPackageGroupName":"team-proj","ModelPackageGroupArn":"{{GroupArn}}","ModelPackageGroupDescription":"d","CreationTime":1700000000.25,"ModelPackageGroupStatus":"Completed"}""",
        "ListModelPackageGroups" => $$"""{"ModelPackageGroupSummaryList":[{"ModelPackageGroupName":"team-proj","ModelPackageGroupArn":"{{GroupArn}}","CreationTime":1700000000,"ModelPackageGroupStatus":"Completed"}],"NextToken":"next-1"}""",
        "ListTags" => """{"Tags":[{"Key":"Team","Value":"ml"}]}""",
        "AddTags" => """{"Tags":[]}""",
        "ListModelPackages" => $$$"""{"ModelPackageSummaryList":[{"ModelPackageGroupName":"team-proj","ModelPackageVersion":3,"ModelPackageArn":"{{{VersionArn}}}","CreationTime":1700000001.5,"ModelPackageStatus":"Completed","ModelApprovalStatus":"Approved","ModelLifeCycle":{"Stage":"Staging","StageStatus":"Approved","StageDescription":"soak test"}}]}""",
        "DescribeModelPackage" => """
            {"ModelPackageGroupName":"team-proj","ModelPackageVersion":3,"ModelPackageArn":"VERSION_ARN",
             "ModelPackageDescription":"v3","CreationTime":1700000001.5,"ModelPackageStatus":"Completed",
             "ModelApprovalStatus":"Approved","ApprovalDescription":"ok","LastModifiedTime":1700000100,
             "LastModifiedBy":{"IamIdentity":{"Arn":"arn:aws:iam::123456789012:user/me"}},
             "InferenceSpecification":{"Containers":[{"Image":"img:1","ModelDataUrl":"s3://b/m.tar.gz"}],
               "SupportedContentTypes":["text/csv"],"SupportedResponseMIMETypes":["application/json"],
               "SupportedRealtimeInferenceInstanceTypes":["ml.m5.large"],"SupportedTransformInstanceTypes":["ml.m5.xlarge"]},
             "ModelMetrics":{"ModelQuality":{"Statistics":{"ContentType":"application/json","S3Uri":"s3://b/stats.json"}}},
             "CustomerMetadataProperties":{"git":"abc"},
             "ModelLifeCycle":{"Stage":"Production","StageStatus":"InProgress"}}
            """.Replace("VERSION_ARN", VersionArn),
        "CreateModelPackage" => $$"""{"ModelPackageArn":"{{VersionArn}}"}""",
        "UpdateModelPackage" => $$"""{"ModelPackageArn":"{{VersionArn}}"}""",
        _ => "{}",
    });

    private static VersionSpec FullSpec() => TestSpecs.Full("team-proj", token: "0f8fad5b-d9cb-469f-a165-70867728950e",
        tags: new Dictionary<string, string> { ["Owner"] = "me" });

    /// <summary>Every operation the registry calls, with the registry method that sends it.</summary>
    private static readonly string[] AllOperations =
    {
        "CreateModelPackageGroup", "DescribeModelPackageGroup", "ListModelPackageGroups", "DeleteModelPackageGroup",
        "ListTags", "AddTags", "DeleteTags", "ListModelPackages", "DescribeModelPackage", "CreateModelPackage",
        "UpdateModelPackage", "DeleteModelPackage",
    };

    public static TheoryData<string> Operations => new(AllOperations);

    private Task Exercise(string operation) => operation switch
    {
        "CreateModelPackageGroup" => _registry.CreateGroupAsync("team-proj", "Team project models",
            new Dictionary<string, string> { ["ManagedBy"] = "ModelRegistry", ["Team"] = "ml" }, None),
        "DescribeModelPackageGroup" => _registry.GetGroupAsync("team-proj", None),
        "ListModelPackageGroups" => _registry.ListGroupsAsync("team", "token-0", 50, NameOrder.Ascending, None),
        "DeleteModelPackageGroup" => _registry.DeleteGroupAsync("team-proj", None),
        "ListTags" => _registry.GetTagsAsync(GroupArn, None),
        "AddTags" => _registry.AddTagsAsync(GroupArn, new Dictionary<string, string> { ["Phase"] = "dev" }, None),
        "DeleteTags" => _registry.RemoveTagsAsync(GroupArn, new[] { "Phase" }, None),
        "ListModelPackages" => _registry.ListVersionsAsync(new VersionQuery("team-proj")
        {
            Status = ApprovalStatus.Approved,
            CreatedAfter = new DateTime(2024, 1, 1, 0, 0, 0, DateTimeKind.Utc),
            CreatedBefore = new DateTime(2030, 1, 1, 0, 0, 0, DateTimeKind.Utc),
            Descending = true,
            PageSize = 25,
        }, "token-1", None),
        "DescribeModelPackage" => _registry.GetVersionAsync(VersionArn, None),
        "CreateModelPackage" => _registry.RegisterVersionAsync(FullSpec(), None),
        "UpdateModelPackage" => _registry.UpdateVersionAsync(VersionArn, VersionUpdate.Approval(ApprovalStatus.Approved, "passed review"), None),
        "DeleteModelPackage" => _registry.DeleteVersionAsync(VersionArn, None),
        _ => throw new ArgumentOutOfRangeException(nameof(operation)),
    };

    private CapturedRequest Sent(string operation) => Assert.Single(_endpoint.Requests, r => r.Operation == operation);

    [Theory]
    [MemberData(nameof(Operations))]
    public async Task Operation_is_a_signed_awsJson11_POST(string operation)
    {
        await Exercise(operation);
        var request = Sent(operation);
        Assert.Equal("POST", request.Method);
        Assert.Equal("/", request.Path);
        Assert.Equal("SageMaker." + operation, request.Header("X-Amz-Target"));
        Assert.Equal("application/x-amz-json-1.1", request.Header("Content-Type"));
        // SigV4 for the sagemaker signing name in the configured region, even with an endpoint URL.
        Assert.StartsWith("AWS4-HMAC-SHA256 Credential=test/", request.Header("Authorization"));
        Assert.Contains("/us-east-1/sagemaker/aws4_request", request.Header("Authorization"));
        using var body = JsonDocument.Parse(request.Body);
        Assert.Equal(JsonValueKind.Object, body.RootElement.ValueKind);
    }

    [Fact]
    public async Task Every_request_body_validates_against_botocore()
    {
        foreach (var operation in AllOperations)
            await Exercise(operation);
        // Extra shapes: empty optional members and tag chunks.
        await _registry.ListGroupsAsync(null, null, 100, NameOrder.Ascending, None);
        await _registry.CreateGroupAsync("g2", "", new Dictionary<string, string>(), None);
        await _registry.RegisterVersionAsync(new VersionSpec { GroupName = "g2", ImageUri = "img:1" }, None);
        await _registry.AddTagsAsync(GroupArn, Enumerable.Range(0, 51).ToDictionary(i => $"k{i}", i => "v"), None);
        await _registry.UpdateVersionAsync(VersionArn, VersionUpdate.Approval(ApprovalStatus.Rejected, null), None);
        await _registry.UpdateVersionAsync(VersionArn, FullUpdate(), None);
        await _registry.UpdateVersionAsync(VersionArn, new VersionUpdate { Lifecycle = new VersionLifecycle("Staging", "InProgress") }, None);

        var sent = _endpoint.Requests.Select(r => (r.Operation, r.Body)).ToList();
        Assert.Equal(AllOperations.ToHashSet(), sent.Select(s => s.Operation).ToHashSet());
        BotocoreValidator.AssertValid(sent);
    }

    [Fact]
    public void The_validator_rejects_what_botocore_would_not_send()
    {
        var (exitCode, report, _) = BotocoreValidator.Validate(new[]
        {
            ("ListModelPackages", """{"ModelPackageGroupName":"bad-","SortOrder":"Up","MaxResults":500,"Extra":1}"""),
            ("DeleteTags", """{"ResourceArn":"arn:aws:sagemaker:us-east-1:123456789012:model-package-group/g","TagKeys":[]}"""),
        });
        Assert.Equal(1, exitCode);
        Assert.Contains("Extra", report);
        Assert.Contains("SortOrder", report);
        Assert.Contains("max 100", report);
        Assert.Contains("does not match pattern", report);
        Assert.Contains("TagKeys", report);
    }

    [Fact]
    public async Task ListModelPackages_always_asks_for_versioned_packages()
    {
        await _registry.ListVersionsAsync(new VersionQuery("team-proj"), null, None);
        using var body = JsonDocument.Parse(Sent("ListModelPackages").Body);
        var root = body.RootElement;
        Assert.Equal("Versioned", root.GetProperty("ModelPackageType").GetString());
        Assert.Equal("team-proj", root.GetProperty("ModelPackageGroupName").GetString());
        Assert.Equal("CreationTime", root.GetProperty("SortBy").GetString());
        Assert.Equal("Ascending", root.GetProperty("SortOrder").GetString());
        Assert.Equal(100, root.GetProperty("MaxResults").GetInt32());
        Assert.False(root.TryGetProperty("NextToken", out _));
    }

    [Fact]
    public async Task ListModelPackages_sends_filters_and_epoch_second_timestamps()
    {
        await Exercise("ListModelPackages");
        using var body = JsonDocument.Parse(Sent("ListModelPackages").Body);
        var root = body.RootElement;
        Assert.Equal("Approved", root.GetProperty("ModelApprovalStatus").GetString());
        Assert.Equal(1704067200, root.GetProperty("CreationTimeAfter").GetDouble());
        Assert.Equal(1893456000, root.GetProperty("CreationTimeBefore").GetDouble());
        Assert.Equal("Descending", root.GetProperty("SortOrder").GetString());
        Assert.Equal(25, root.GetProperty("MaxResults").GetInt32());
        Assert.Equal("token-1", root.GetProperty("NextToken").GetString());
    }

    [Fact]
    public async Task CreateModelPackage_body_carries_the_whole_spec()
    {
        await Exercise("CreateModelPackage");
        using var body = JsonDocument.Parse(Sent("CreateModelPackage").Body);
        var root = body.RootElement;
        Assert.Equal("team-proj", root.GetProperty("ModelPackageGroupName").GetString());
        Assert.False(root.TryGetProperty("ModelPackageName", out _)); // versioned: the group names it
        var inference = root.GetProperty("InferenceSpecification");
        var container = Assert.Single(inference.GetProperty("Containers").EnumerateArray());
        Assert.Equal("123456789012.dkr.ecr.us-east-1.amazonaws.com/model:1", container.GetProperty("Image").GetString());
        Assert.Equal("s3://bucket/model.tar.gz", container.GetProperty("ModelDataUrl").GetString());
        Assert.Equal("text/csv", inference.GetProperty("SupportedContentTypes")[0].GetString());
        Assert.Equal("application/json", inference.GetProperty("SupportedResponseMIMETypes")[0].GetString());
        Assert.Equal("ml.m5.large", inference.GetProperty("SupportedRealtimeInferenceInstanceTypes")[0].GetString());
        Assert.Equal("ml.m5.xlarge", inference.GetProperty("SupportedTransformInstanceTypes")[0].GetString());
        var stats = root.GetProperty("ModelMetrics").GetProperty("ModelQuality").GetProperty("Statistics");
        Assert.Equal("s3://bucket/stats.json", stats.GetProperty("S3Uri").GetString());
        Assert.Equal("application/json", stats.GetProperty("ContentType").GetString());
        Assert.Equal("PendingManualApproval", root.GetProperty("ModelApprovalStatus").GetString());
        Assert.Equal("a version", root.GetProperty("ModelPackageDescription").GetString());
        Assert.Equal("abc123", root.GetProperty("CustomerMetadataProperties").GetProperty("git").GetString());
        var tag = Assert.Single(root.GetProperty("Tags").EnumerateArray());
        Assert.Equal("Owner", tag.GetProperty("Key").GetString());
        Assert.Equal("me", tag.GetProperty("Value").GetString());
        Assert.Equal("0f8fad5b-d9cb-469f-a165-70867728950e", root.GetProperty("ClientToken").GetString());
    }

    [Fact]
    public async Task A_registration_with_a_stage_sends_ModelLifeCycle_and_one_without_sends_none()
    {
        var staged = FullSpec();
        staged.Stage = "Staging";
        staged.StageDescription = "from CI run 42";
        var v = await _registry.RegisterVersionAsync(staged, None);
        await _registry.RegisterVersionAsync(FullSpec(), None);

        var creates = _endpoint.Requests.Where(r => r.Operation == "CreateModelPackage").ToList();
        Assert.Equal(2, creates.Count);
        using (var body = JsonDocument.Parse(creates[0].Body))
        {
            var life = body.RootElement.GetProperty("ModelLifeCycle");
            Assert.Equal(("Staging", "Approved", "from CI run 42"),
                (life.GetProperty("Stage").GetString(), life.GetProperty("StageStatus").GetString(), life.GetProperty("StageDescription").GetString()));
        }
        using (var body = JsonDocument.Parse(creates[1].Body))
            Assert.False(body.RootElement.TryGetProperty("ModelLifeCycle", out _));
        Assert.Equal(("Staging", "Approved", "from CI run 42"), (v.Stage, v.StageStatus, v.StageDescription));
        BotocoreValidator.AssertValid(creates.Select(r => (r.Operation, r.Body)).ToList());
    }

    [Fact]
    public async Task A_registration_with_a_stage_SageMaker_would_refuse_is_Invalid_before_any_call()
    {
        var spec = FullSpec();
        spec.Stage = "Pre Prod";
        var e = await Assert.ThrowsAsync<RegistryException>(() => new ModelVersionOperations(_registry).RegisterAsync(spec, None));
        Assert.Equal(RegistryErrorKind.Invalid, e.Kind);
        Assert.Contains("'Pre Prod'", e.Message);
        Assert.Empty(_endpoint.Requests);
    }

    [Fact]
    public async Task Register_returns_the_version_from_the_arn_in_one_call()
    {
        var v = await _registry.RegisterVersionAsync(FullSpec(), None);
        Assert.Equal(3, v.Version);
        Assert.Equal(VersionArn, v.Arn);
        Assert.Equal("team-proj", v.GroupName);
        Assert.Single(_endpoint.Requests);
    }

    private static VersionUpdate FullUpdate() => new()
    {
        Status = ApprovalStatus.Approved,
        ApprovalDescription = "AUC 0.93",
        CustomerMetadata = new Dictionary<string, string> { ["ticket"] = "ML-42", ["auc"] = "0.93" },
        RemoveCustomerMetadata = new[] { "draft" },
        Lifecycle = new VersionLifecycle("Production", "Approved", "promoted after soak"),
    };

    private async Task<HashSet<string>> MembersSent(VersionUpdate update)
    {
        var before = _endpoint.Requests.Count;
        await _registry.UpdateVersionAsync(VersionArn, update, None);
        Assert.Equal(before + 1, _endpoint.Requests.Count);
        using var body = JsonDocument.Parse(_endpoint.Requests.Last().Body);
        return body.RootElement.EnumerateObject().Select(p => p.Name).ToHashSet();
    }

    [Fact]
    public async Task An_update_sends_exactly_the_members_it_sets_in_one_call()
    {
        // SageMaker leaves omitted members as they are, so anything not asked for must not be on the wire.
        Assert.Equal(new HashSet<string> { "ModelPackageArn", "ModelLifeCycle" },
            await MembersSent(new VersionUpdate { Lifecycle = new VersionLifecycle("Staging", "InProgress") }));
        Assert.Equal(new HashSet<string> { "ModelPackageArn", "CustomerMetadataProperties", "CustomerMetadataPropertiesToRemove" },
            await MembersSent(new VersionUpdate { CustomerMetadata = new Dictionary<string, string> { ["k"] = "v" }, RemoveCustomerMetadata = new[] { "old" } }));
        Assert.Equal(new HashSet<string> { "ModelPackageArn", "ModelApprovalStatus" },
            await MembersSent(VersionUpdate.Approval(ApprovalStatus.Rejected, null)));

        var v = await _registry.UpdateVersionAsync(VersionArn, FullUpdate(), None);
        using var body = JsonDocument.Parse(_endpoint.Requests.Last().Body);
        var root = body.RootElement;
        Assert.Equal("Approved", root.GetProperty("ModelApprovalStatus").GetString());
        Assert.Equal("AUC 0.93", root.GetProperty("ApprovalDescription").GetString());
        Assert.Equal("ML-42", root.GetProperty("CustomerMetadataProperties").GetProperty("ticket").GetString());
        Assert.Equal("draft", root.GetProperty("CustomerMetadataPropertiesToRemove")[0].GetString());
        var life = root.GetProperty("ModelLifeCycle");
        Assert.Equal("Production", life.GetProperty("Stage").GetString());
        Assert.Equal("Approved", life.GetProperty("StageStatus").GetString());
        Assert.Equal("promoted after soak", life.GetProperty("StageDescription").GetString());
        Assert.Equal(("Production", "Approved", ApprovalStatus.Approved), (v.Stage, v.StageStatus, v.Status));
        Assert.Equal("ML-42", v.CustomerMetadata!["ticket"]);
        BotocoreValidator.AssertValid(_endpoint.Requests.Select(r => (r.Operation, r.Body)).ToList());
    }

    [Fact]
    public async Task An_update_that_breaks_SageMakers_limits_is_refused_before_any_call()
    {
        var bad = new[]
        {
            new VersionUpdate(),
            new VersionUpdate { Lifecycle = new VersionLifecycle("Pre Prod", "Approved") },
            new VersionUpdate { Lifecycle = new VersionLifecycle("Staging", "") },
            new VersionUpdate { CustomerMetadata = new Dictionary<string, string> { ["k"] = "v" }, RemoveCustomerMetadata = new[] { "k" } },
            new VersionUpdate { CustomerMetadata = Enumerable.Range(0, 51).ToDictionary(i => $"k{i}", i => "v") },
            new VersionUpdate { ApprovalDescription = new string('x', 1025) },
        };
        foreach (var update in bad)
            Assert.Equal(RegistryErrorKind.Invalid,
                (await Assert.ThrowsAsync<RegistryException>(() => _registry.UpdateVersionAsync(VersionArn, update, None))).Kind);
        Assert.Empty(_endpoint.Requests);
    }

    [Fact]
    public async Task The_lifecycle_stage_is_read_from_listings_and_descriptions()
    {
        var listed = Assert.Single((await _registry.ListVersionsAsync(new VersionQuery("team-proj"), null, None)).Items);
        Assert.Equal(("Staging", "Approved", "soak test"), (listed.Stage, listed.StageStatus, listed.StageDescription));
        var described = await _registry.GetVersionAsync(VersionArn, None);
        Assert.Equal(("Production", "InProgress", (string?)null), (described!.Stage, described.StageStatus, described.StageDescription));
    }

    [Fact]
    public async Task Approval_sends_status_and_reason_in_one_call()
    {
        var v = await _registry.UpdateVersionAsync(VersionArn, VersionUpdate.Approval(ApprovalStatus.Approved, "passed review"), None);
        using var body = JsonDocument.Parse(Sent("UpdateModelPackage").Body);
        Assert.Equal(VersionArn, body.RootElement.GetProperty("ModelPackageArn").GetString());
        Assert.Equal("Approved", body.RootElement.GetProperty("ModelApprovalStatus").GetString());
        Assert.Equal("passed review", body.RootElement.GetProperty("ApprovalDescription").GetString());
        // One call per approval: bulk approvals must not pay a describe each.
        Assert.Equal(new[] { "UpdateModelPackage" }, _endpoint.Requests.Select(r => r.Operation));
        Assert.Equal(ApprovalStatus.Approved, v.Status);
        Assert.Equal("passed review", v.ApprovalDescription);
        Assert.Equal(3, v.Version);
        Assert.Equal("team-proj", v.GroupName);
    }

    [Fact]
    public async Task Delete_operations_name_the_group_and_the_version()
    {
        await _registry.DeleteGroupAsync("team-proj", None);
        await _registry.DeleteVersionAsync(VersionArn, None);
        Assert.Equal("""{"ModelPackageGroupName":"team-proj"}""", Sent("DeleteModelPackageGroup").Body);
        Assert.Equal($$"""{"ModelPackageName":"{{VersionArn}}"}""", Sent("DeleteModelPackage").Body);
    }

    [Fact]
    public async Task Describe_reply_maps_to_a_detailed_version()
    {
        var v = await _registry.GetVersionAsync(VersionArn, None);
        Assert.NotNull(v);
        Assert.True(v!.IsDetailed);
        Assert.Equal(3, v.Version);
        Assert.Equal("team-proj", v.GroupName);
        Assert.Equal(ApprovalStatus.Approved, v.Status);
        Assert.Equal(new DateTime(2023, 11, 14, 22, 13, 21, 500, DateTimeKind.Utc), v.CreatedUtc);
        Assert.Equal(DateTimeKind.Utc, v.CreatedUtc!.Value.Kind);
        Assert.Equal(new DateTime(2023, 11, 14, 22, 15, 0, DateTimeKind.Utc), v.LastModifiedUtc);
        Assert.Equal("arn:aws:iam::123456789012:user/me", v.LastModifiedBy);
        Assert.Equal("img:1", v.ImageUri);
        Assert.Equal("s3://b/m.tar.gz", v.ModelDataUrl);
        Assert.Equal(new[] { "ml.m5.xlarge" }, v.TransformInstanceTypes);
        Assert.Equal("s3://b/stats.json", v.ModelStatisticsUri);
        Assert.Equal("abc", v.CustomerMetadata!["git"]);
    }

    [Fact]
    public async Task Group_reads_fill_tags_and_lists_do_not()
    {
        var group = await _registry.GetGroupAsync("team-proj", None);
        Assert.Equal("ml", group!.Tags!["Team"]);
        Assert.Equal(new DateTime(2023, 11, 14, 22, 13, 20, 250, DateTimeKind.Utc), group.CreatedUtc);
        Assert.Equal("Completed", group.Status);

        var page = await _registry.ListGroupsAsync(null, null, 10, NameOrder.Ascending, None);
        Assert.Null(Assert.Single(page.Items).Tags);
        Assert.Equal("next-1", page.NextToken);
        // The account learned from returned ARNs is enough for GroupArn: no STS call.
        Assert.Equal(GroupArn, _registry.GroupArn("team-proj"));
        Assert.DoesNotContain(_endpoint.Requests, r => r.Header("X-Amz-Target") is null);
    }

    [Fact]
    public async Task ListTags_follows_every_page()
    {
        var pages = 0;
        _endpoint.Responder = r => new CannedResponse(200, ++pages switch
        {
            1 => """{"Tags":[{"Key":"A","Value":"1"}],"NextToken":"p2"}""",
            2 => """{"Tags":[{"Key":"B","Value":"2"}],"NextToken":"p3"}""",
            _ => """{"Tags":[{"Key":"C","Value":""}]}""",
        });
        var tags = await _registry.GetTagsAsync(GroupArn, None);
        Assert.Equal(new Dictionary<string, string> { ["A"] = "1", ["B"] = "2", ["C"] = "" }, tags);
        Assert.Equal(3, _endpoint.Requests.Count);
        Assert.Contains("\"NextToken\":\"p3\"", _endpoint.Requests[2].Body);
    }

    [Fact]
    public async Task Empty_first_page_of_versions_checks_the_group_once()
    {
        _endpoint.Responder = r => r.Operation == "ListModelPackages"
            ? new CannedResponse(200, """{"ModelPackageSummaryList":[]}""")
            : Canned(r);
        var page = await _registry.ListVersionsAsync(new VersionQuery("team-proj"), null, None);
        Assert.Empty(page.Items);
        Assert.Equal(new[] { "ListModelPackages", "DescribeModelPackageGroup" }, _endpoint.Requests.Select(r => r.Operation));

        // A later empty page does not re-check.
        await _registry.ListVersionsAsync(new VersionQuery("team-proj"), "t", None);
        Assert.Equal(3, _endpoint.Requests.Count);
    }
}
