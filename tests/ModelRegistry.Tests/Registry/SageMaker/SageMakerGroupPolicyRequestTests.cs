using System.Text.Json;
using ModelRegistry.Engine.Registry;
using ModelRegistry.Tests.Support;

namespace ModelRegistry.Tests.Registry.SageMaker;

/// <summary>
/// The group policy operations moto 5.2.1 lacks, proved on the wire: each request captured at a loopback endpoint,
/// its envelope and body checked, and every body validated against botocore's SageMaker model. Also how SageMaker's
/// "Cannot find …" answers are read: no policy (null) versus no group (NotFound).
/// </summary>
public sealed class SageMakerGroupPolicyRequestTests : IDisposable
{
    private const string GroupArn = "arn:aws:sagemaker:us-east-1:123456789012:model-package-group/team-proj";
    private const string Policy = """{"Version":"2012-10-17","Statement":[{"Sid":"ModelRegistryDescribeGroup","Effect":"Allow","Principal":{"AWS":["arn:aws:iam::111111111111:root"]},"Action":"sagemaker:DescribeModelPackageGroup","Resource":"arn:aws:sagemaker:us-east-1:123456789012:model-package-group/team-proj"}]}""";
    private static readonly CancellationToken None = CancellationToken.None;

    private readonly CapturingEndpoint _endpoint;

    public SageMakerGroupPolicyRequestTests()
    {
        _endpoint = new CapturingEndpoint(r => new CannedResponse(200, r.Operation switch
        {
            "GetModelPackageGroupPolicy" => JsonSerializer.Serialize(new { ResourcePolicy = Policy }),
            "PutModelPackageGroupPolicy" => $$"""{"ModelPackageGroupArn":"{{GroupArn}}"}""",
            "DescribeModelPackageGroup" => $$"""{"ModelPackageGroupName":"team-proj","ModelPackageGroupArn":"{{GroupArn}}","CreationTime":1700000000,"ModelPackageGroupStatus":"Completed"}""",
            _ => "{}",
        }));
    }

    public void Dispose() => _endpoint.Dispose();

    private static CannedResponse Validation(string message) =>
        new(400, JsonSerializer.Serialize(new Dictionary<string, string> { ["__type"] = "ValidationException", ["message"] = message }));

    [Fact]
    public async Task Get_put_and_delete_are_signed_awsJson11_POSTs_whose_bodies_validate_against_botocore()
    {
        using (var registry = SageMakerTesting.Registry(_endpoint.Url, maxErrorRetry: 0))
        {
            Assert.Equal(Policy, await registry.GetGroupPolicyAsync("team-proj", None));
            await registry.PutGroupPolicyAsync("team-proj", Policy, None);
            await registry.DeleteGroupPolicyAsync("team-proj", None);
        }

        var sent = _endpoint.Requests;
        Assert.Equal(new[] { "GetModelPackageGroupPolicy", "PutModelPackageGroupPolicy", "DeleteModelPackageGroupPolicy" },
            sent.Select(r => r.Operation));
        foreach (var request in sent)
        {
            Assert.Equal("POST", request.Method);
            Assert.Equal("SageMaker." + request.Operation, request.Header("X-Amz-Target"));
            Assert.Equal("application/x-amz-json-1.1", request.Header("Content-Type"));
            Assert.Contains("/us-east-1/sagemaker/aws4_request", request.Header("Authorization"));
            using var body = JsonDocument.Parse(request.Body);
            Assert.Equal("team-proj", body.RootElement.GetProperty("ModelPackageGroupName").GetString());
        }
        using (var put = JsonDocument.Parse(sent[1].Body))
        {
            // The document travels as a string member, exactly as given.
            Assert.Equal(Policy, put.RootElement.GetProperty("ResourcePolicy").GetString());
            Assert.Equal(2, put.RootElement.EnumerateObject().Count());
        }
        BotocoreValidator.AssertValid(sent.Select(r => (r.Operation, r.Body)));
    }

    [Fact]
    public void A_policy_over_SageMakers_limit_fails_botocore_validation_too()
    {
        // The limit RequestChecks enforces is botocore's: one character more is refused there as well.
        var body = JsonSerializer.Serialize(new { ModelPackageGroupName = "team-proj", ResourcePolicy = new string('x', RequestChecks.MaxGroupPolicyLength + 1) });
        var (exitCode, report, _) = BotocoreValidator.Validate(new[] { ("PutModelPackageGroupPolicy", body) });
        Assert.NotEqual(0, exitCode);
        Assert.Contains("max 20480", report);
        var atLimit = JsonSerializer.Serialize(new { ModelPackageGroupName = "team-proj", ResourcePolicy = new string('x', RequestChecks.MaxGroupPolicyLength) });
        Assert.Equal(0, BotocoreValidator.Validate(new[] { ("PutModelPackageGroupPolicy", atLimit) }).ExitCode);
    }

    [Fact]
    public async Task Cannot_find_resource_policy_reads_as_no_policy_after_one_describe()
    {
        _endpoint.Responder = r => r.Operation == "GetModelPackageGroupPolicy"
            ? Validation("Cannot find resource policy for Model Package Group team-proj")
            : new CannedResponse(200, $$"""{"ModelPackageGroupName":"team-proj","ModelPackageGroupArn":"{{GroupArn}}","CreationTime":1700000000}""");
        using var registry = SageMakerTesting.Registry(_endpoint.Url, maxErrorRetry: 0);

        Assert.Null(await registry.GetGroupPolicyAsync("team-proj", None));
        Assert.Equal(new[] { "GetModelPackageGroupPolicy", "DescribeModelPackageGroup" }, _endpoint.Requests.Select(r => r.Operation));
    }

    [Fact]
    public async Task Cannot_find_the_group_is_NotFound_for_get_put_and_delete()
    {
        _endpoint.Responder = _ => Validation("Cannot find Model Package Group team-proj");
        using var registry = SageMakerTesting.Registry(_endpoint.Url, maxErrorRetry: 0);

        var get = await Assert.ThrowsAsync<RegistryException>(() => registry.GetGroupPolicyAsync("team-proj", None));
        Assert.Equal(RegistryErrorKind.NotFound, get.Kind);
        Assert.Contains("team-proj", get.Message);
        var put = await Assert.ThrowsAsync<RegistryException>(() => registry.PutGroupPolicyAsync("team-proj", Policy, None));
        Assert.Equal(RegistryErrorKind.NotFound, put.Kind);
        var delete = await Assert.ThrowsAsync<RegistryException>(() => registry.DeleteGroupPolicyAsync("team-proj", None));
        Assert.Equal(RegistryErrorKind.NotFound, delete.Kind);
        Assert.Equal("ValidationException", delete.ServiceCode);
    }

    [Fact]
    public async Task An_invalid_document_sends_nothing()
    {
        using var registry = SageMakerTesting.Registry(_endpoint.Url, maxErrorRetry: 0);
        var e = await Assert.ThrowsAsync<RegistryException>(() => registry.PutGroupPolicyAsync("team-proj", "{not json", None));
        Assert.Equal(RegistryErrorKind.Invalid, e.Kind);
        Assert.Empty(_endpoint.Requests);
    }
}
