using ModelRegistry.Engine.Registry;
using ModelRegistry.Engine.Registry.SageMaker;
using ModelRegistry.Tests.Support;

namespace ModelRegistry.Tests.Registry.SageMaker;

/// <summary>Canned service errors and transport failures → RegistryException kinds, codes and request ids.</summary>
public sealed class SageMakerErrorMappingTests
{
    private static readonly CancellationToken None = CancellationToken.None;

    private static CannedResponse Error(int status, string code, string message, string requestId = "req-1234") =>
        new(status, $$"""{"__type":"{{code}}","message":"{{message}}"}""",
            Headers: new Dictionary<string, string> { ["x-amzn-RequestId"] = requestId });

    public static TheoryData<int, string, string, RegistryErrorKind> ServiceErrors => new()
    {
        { 400, "ValidationException", "Model Package Group team-proj does not exist.", RegistryErrorKind.NotFound },
        { 400, "ValidationException", "ModelPackageGroup arn:aws:sagemaker:us-east-1:123456789012:model-package-group/team-proj not found", RegistryErrorKind.NotFound },
        { 400, "ValidationException", "Model Package Group already exists: arn:aws:sagemaker:us-east-1:123456789012:model-package-group/team-proj", RegistryErrorKind.AlreadyExists },
        { 400, "ValidationException", "1 validation error detected: Value 'x-' at 'modelPackageGroupName' failed to satisfy constraint", RegistryErrorKind.Invalid },
        { 400, "ResourceNotFound", "Resource not found", RegistryErrorKind.NotFound },
        { 400, "com.amazonaws.sagemaker#ResourceNotFound", "namespaced code", RegistryErrorKind.NotFound },
        { 400, "ResourceInUse", "Model package group has versions", RegistryErrorKind.Conflict },
        { 409, "ConflictException", "Conflict", RegistryErrorKind.Conflict },
        { 400, "AccessDeniedException", "User is not authorized", RegistryErrorKind.AccessDenied },
        { 400, "UnrecognizedClientException", "The security token included in the request is invalid.", RegistryErrorKind.AccessDenied },
        { 400, "ExpiredTokenException", "The security token included in the request is expired", RegistryErrorKind.AccessDenied },
        { 403, "InvalidClientTokenId", "The security token included in the request is invalid", RegistryErrorKind.AccessDenied },
        { 400, "ResourceLimitExceeded", "Limit exceeded", RegistryErrorKind.Invalid },
    };

    [Theory]
    [MemberData(nameof(ServiceErrors))]
    public async Task Service_error_maps_with_code_request_id_and_target(int status, string code, string message, RegistryErrorKind kind)
    {
        using var endpoint = new CapturingEndpoint(_ => Error(status, code, message, "req-" + status));
        using var registry = SageMakerTesting.Registry(endpoint.Url, maxErrorRetry: 0);

        var e = await Assert.ThrowsAsync<RegistryException>(() => registry.DeleteGroupAsync("team-proj", None));
        Assert.Equal(kind, e.Kind);
        Assert.Equal(code.Split('#').Last(), e.ServiceCode);
        Assert.Equal("req-" + status, e.RequestId);
        Assert.Equal("team-proj", e.Target);
        Assert.Contains(message, e.Message);
        Assert.Single(endpoint.Requests); // not retried
        // Credentials the service does not accept are BadCredentials (sign in again), not a missing permission.
        var credentials = code is "UnrecognizedClientException" or "ExpiredTokenException" or "InvalidClientTokenId";
        Assert.Equal(credentials ? ErrorIds.BadCredentials : null, e.Reason);
    }

    [Fact]
    public async Task Missing_group_is_null_for_Get_and_NotFound_for_Delete()
    {
        using var endpoint = new CapturingEndpoint(_ => Error(400, "ValidationException", "Model Package Group team-proj does not exist."));
        using var registry = SageMakerTesting.Registry(endpoint.Url, maxErrorRetry: 0);
        Assert.Null(await registry.GetGroupAsync("team-proj", None));
        Assert.Null(await registry.GetVersionAsync("arn:aws:sagemaker:us-east-1:123456789012:model-package/team-proj/1", None));
        var e = await Assert.ThrowsAsync<RegistryException>(() => registry.DeleteGroupAsync("team-proj", None));
        Assert.Equal(RegistryErrorKind.NotFound, e.Kind);
        Assert.Equal("req-1234", e.RequestId);
    }

    [Fact]
    public async Task Other_errors_are_not_swallowed_by_Get()
    {
        using var endpoint = new CapturingEndpoint(_ => Error(400, "AccessDeniedException", "no"));
        using var registry = SageMakerTesting.Registry(endpoint.Url, maxErrorRetry: 0);
        var e = await Assert.ThrowsAsync<RegistryException>(() => registry.GetGroupAsync("team-proj", None));
        Assert.Equal(RegistryErrorKind.AccessDenied, e.Kind);
    }

    [Fact]
    public async Task Throttling_outlasts_the_attempt_count_and_is_reported_as_Throttled_when_the_patience_is_spent()
    {
        var calls = 0;
        using var endpoint = new CapturingEndpoint(_ => ++calls <= 3 ? Error(400, "ThrottlingException", "Rate exceeded") : new CannedResponse(200, "{}"));
        using (var registry = SageMakerTesting.Registry(endpoint.Url, maxErrorRetry: 1))
            await registry.DeleteGroupAsync("team-proj", None); // three throttles, one retry allowed: still done
        Assert.Equal(4, endpoint.Requests.Count);

        using var always = new CapturingEndpoint(_ => Error(400, "ThrottlingException", "Rate exceeded"));
        using var impatient = SageMakerTesting.Registry(always.Url, maxErrorRetry: 2, throttlePatience: TimeSpan.Zero);
        var e = await Assert.ThrowsAsync<RegistryException>(() => impatient.DeleteGroupAsync("team-proj", None));
        Assert.Equal(RegistryErrorKind.Throttled, e.Kind);
        Assert.Equal("ThrottlingException", e.ServiceCode);
        Assert.Contains("still throttled", e.Message);
        Assert.Single(always.Requests);
    }

    [Fact]
    public async Task Throttling_that_clears_succeeds_without_the_caller_noticing()
    {
        var calls = 0;
        using var endpoint = new CapturingEndpoint(_ => ++calls == 1
            ? Error(400, "ThrottlingException", "Rate exceeded")
            : new CannedResponse(200, "{}"));
        using var registry = SageMakerTesting.Registry(endpoint.Url, maxErrorRetry: 2);
        await registry.DeleteGroupAsync("team-proj", None);
        Assert.Equal(2, endpoint.Requests.Count);
    }

    [Fact]
    public async Task Html_500_for_an_unimplemented_operation_is_Unavailable_after_bounded_retries()
    {
        using var endpoint = new CapturingEndpoint(_ => new CannedResponse(500,
            "<!doctype html><title>500 Internal Server Error</title>", "text/html"));
        using var registry = SageMakerTesting.Registry(endpoint.Url, maxErrorRetry: 1);
        var e = await Assert.ThrowsAsync<RegistryException>(() => registry.DeleteVersionAsync(
            "arn:aws:sagemaker:us-east-1:123456789012:model-package/team-proj/1", None));
        Assert.Equal(RegistryErrorKind.Unavailable, e.Kind);
        Assert.Equal(2, endpoint.Requests.Count);
        Assert.DoesNotContain("<", e.Message);
    }

    [Fact]
    public async Task Error_type_header_is_used_when_the_body_has_no_type()
    {
        using var endpoint = new CapturingEndpoint(_ => new CannedResponse(400, """{"message":"slow down"}""",
            Headers: new Dictionary<string, string> { ["x-amzn-ErrorType"] = "ThrottlingException:http://internal.amazon.com/" }));
        using var registry = SageMakerTesting.Registry(endpoint.Url, maxErrorRetry: 0, throttlePatience: TimeSpan.Zero);
        var e = await Assert.ThrowsAsync<RegistryException>(() => registry.DeleteGroupAsync("team-proj", None));
        Assert.Equal(RegistryErrorKind.Throttled, e.Kind);
        Assert.Equal("ThrottlingException", e.ServiceCode);
    }

    [Fact]
    public async Task Connection_refused_is_Unavailable()
    {
        var port = CapturingEndpoint.FreePort(); // nothing listens there
        using var registry = SageMakerTesting.Registry($"http://127.0.0.1:{port}", maxErrorRetry: 0);
        var e = await Assert.ThrowsAsync<RegistryException>(() => registry.ListGroupsAsync(null, null, 10, NameOrder.Ascending, None));
        Assert.Equal(RegistryErrorKind.Unavailable, e.Kind);
        Assert.Null(e.ServiceCode);
    }

    [Fact]
    public async Task A_reply_slower_than_the_timeout_is_Unavailable()
    {
        // The reply is held until the test ends (not a fixed 3 s that a busy machine could outlast the 1 s timer by).
        using var endpoint = new CapturingEndpoint(_ => new CannedResponse(200, "{}"));
        endpoint.Responder = _ => endpoint.Hold();
        using var registry = SageMakerTesting.Registry(endpoint.Url, maxErrorRetry: 0, timeout: TimeSpan.FromSeconds(1));
        var e = await Assert.ThrowsAsync<RegistryException>(() => registry.DeleteGroupAsync("team-proj", None));
        Assert.Equal(RegistryErrorKind.Unavailable, e.Kind);
    }

    [Fact]
    public async Task Cancellation_by_the_caller_stays_a_cancellation()
    {
        using var endpoint = new CapturingEndpoint(_ => new CannedResponse(200, "{}"));
        endpoint.Responder = _ => endpoint.Hold();
        using var registry = SageMakerTesting.Registry(endpoint.Url, maxErrorRetry: 0);
        using var cts = new CancellationTokenSource(TimeSpan.FromMilliseconds(200));
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => registry.DeleteGroupAsync("team-proj", cts.Token));
    }

    [Fact]
    public async Task Sts_errors_map_through_the_same_function()
    {
        using var sts = new CapturingEndpoint(_ => new CannedResponse(403,
            "<ErrorResponse><Error><Type>Sender</Type><Code>InvalidClientTokenId</Code><Message>The security token included in the request is invalid.</Message></Error><RequestId>sts-req-1</RequestId></ErrorResponse>",
            "text/xml"));
        using var registry = SageMakerTesting.Registry("http://127.0.0.1:9", maxErrorRetry: 0, stsUrl: sts.Url);
        var e = await Assert.ThrowsAsync<RegistryException>(() => registry.GetCallerAccountAsync(None));
        Assert.Equal(RegistryErrorKind.AccessDenied, e.Kind);
        Assert.Equal("InvalidClientTokenId", e.ServiceCode);
        Assert.Equal("sts-req-1", e.RequestId);
        Assert.Equal("sts:GetCallerIdentity", e.Target);
    }

    [Theory]
    [InlineData("ThrottledException", 400, RegistryErrorKind.Throttled)]
    [InlineData("TooManyRequestsException", 400, RegistryErrorKind.Throttled)]
    [InlineData(null, 429, RegistryErrorKind.Throttled)]
    [InlineData("AccessDenied", 403, RegistryErrorKind.AccessDenied)]
    [InlineData("InternalFailure", 500, RegistryErrorKind.Unavailable)]
    [InlineData(null, 503, RegistryErrorKind.Unavailable)]
    [InlineData("ResourceInUse", 400, RegistryErrorKind.Conflict)]
    [InlineData("SomethingNew", 400, RegistryErrorKind.Invalid)]
    public void Classify_codes_without_messages(string? code, int status, RegistryErrorKind kind) =>
        Assert.Equal(kind, SageMakerErrors.Classify(code, "", status));
}
