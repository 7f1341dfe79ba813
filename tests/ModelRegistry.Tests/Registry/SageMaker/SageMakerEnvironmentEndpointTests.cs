using ModelRegistry.Engine.Registry;
using ModelRegistry.Engine.Registry.SageMaker;
using Amazon.Runtime;
using ModelRegistry.Tests.Support;

namespace ModelRegistry.Tests.Registry.SageMaker;

/// <summary>Tests that must change the process environment run alone, after the parallel ones.</summary>
[CollectionDefinition("process-environment", DisableParallelization = true)]
public sealed class ProcessEnvironmentCollection
{
}

/// <summary>
/// AWS_ENDPOINT_URL_SAGEMAKER / AWS_ENDPOINT_URL / AWS_ENDPOINT_URL_STS are honoured by AWSSDK.Core itself
/// (ClientConfig.ServiceURL looks them up by ServiceId); these tests check the result end to end.
/// </summary>
[Collection("process-environment")]
public sealed class SageMakerEnvironmentEndpointTests
{
    private const string StsReply = """
        <GetCallerIdentityResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/">
          <GetCallerIdentityResult><Arn>arn:aws:iam::111122223333:user/x</Arn><UserId>AIDX</UserId><Account>111122223333</Account></GetCallerIdentityResult>
          <ResponseMetadata><RequestId>sts-1</RequestId></ResponseMetadata>
        </GetCallerIdentityResponse>
        """;

    private static SageMakerRegistry Registry() => new(new RegistryConnection { Region = "eu-central-1" }, new SageMakerClientSettings
    {
        Credentials = new BasicAWSCredentials("test", "test"),
        MaxErrorRetry = 0,
        Environment = _ => null,
    });

    private static async Task WithEnvironment(Dictionary<string, string?> vars, Func<Task> body)
    {
        var saved = vars.Keys.ToDictionary(k => k, Environment.GetEnvironmentVariable);
        try
        {
            foreach (var v in vars) Environment.SetEnvironmentVariable(v.Key, v.Value);
            await body();
        }
        finally
        {
            foreach (var v in saved) Environment.SetEnvironmentVariable(v.Key, v.Value);
        }
    }

    [Fact]
    public async Task Service_specific_variable_wins_over_the_global_one()
    {
        using var sagemaker = new CapturingEndpoint(_ => new CannedResponse(200, "{}"));
        using var global = new CapturingEndpoint(_ => new CannedResponse(200, "{}"));
        await WithEnvironment(new() { ["AWS_ENDPOINT_URL_SAGEMAKER"] = sagemaker.Url, ["AWS_ENDPOINT_URL"] = global.Url }, async () =>
        {
            using var registry = Registry();
            await registry.DeleteGroupAsync("g", CancellationToken.None);
            Assert.StartsWith("SageMaker eu-central-1 at http://127.0.0.1:", registry.Location);
        });
        var request = Assert.Single(sagemaker.Requests);
        Assert.Empty(global.Requests);
        Assert.Contains("/eu-central-1/sagemaker/aws4_request", request.Header("Authorization"));
    }

    [Fact]
    public async Task Global_variable_serves_sagemaker_and_sts()
    {
        using var endpoint = new CapturingEndpoint(r => r.Header("X-Amz-Target") is null
            ? new CannedResponse(200, StsReply, "text/xml")
            : new CannedResponse(200, "{}"));
        await WithEnvironment(new() { ["AWS_ENDPOINT_URL_SAGEMAKER"] = null, ["AWS_ENDPOINT_URL_STS"] = null, ["AWS_ENDPOINT_URL"] = endpoint.Url }, async () =>
        {
            using var registry = Registry();
            await registry.DeleteGroupAsync("g", CancellationToken.None);
            Assert.Equal("111122223333", await registry.GetCallerAccountAsync(CancellationToken.None));
        });
        Assert.Equal(2, endpoint.Requests.Count);
        Assert.Contains("/eu-central-1/sts/aws4_request", endpoint.Requests[1].Header("Authorization"));
    }

    [Fact]
    public async Task Sts_specific_variable_points_sts_at_moto_style_endpoint()
    {
        using var sts = new CapturingEndpoint(_ => new CannedResponse(200, StsReply, "text/xml"));
        await WithEnvironment(new() { ["AWS_ENDPOINT_URL_STS"] = sts.Url, ["AWS_ENDPOINT_URL"] = null }, async () =>
        {
            using var registry = Registry();
            Assert.Equal("111122223333", await registry.GetCallerAccountAsync(CancellationToken.None));
        });
        Assert.Contains("Action=GetCallerIdentity", Assert.Single(sts.Requests).Body);
    }
}
