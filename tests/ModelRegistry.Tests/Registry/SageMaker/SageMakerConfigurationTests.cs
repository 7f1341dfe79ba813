using ModelRegistry.Engine.Registry;
using ModelRegistry.Engine.Registry.SageMaker;
using ModelRegistry.Tests.Support;

namespace ModelRegistry.Tests.Registry.SageMaker;

/// <summary>Region, profile and endpoint resolution. Environment and profile files are injected, so the
/// test process's own AWS_* variables and ~/.aws are neither read nor changed.</summary>
public sealed class SageMakerConfigurationTests : IDisposable
{
    private readonly TempFolder _temp = new("mr-aws");
    private readonly string _credentials;

    public SageMakerConfigurationTests()
    {
        _credentials = _temp.Combine("credentials");
        File.WriteAllText(_credentials, """
            [team]
            aws_access_key_id = AKIDTEAMPROFILE
            aws_secret_access_key = secret
            region = eu-west-1

            [noregion]
            aws_access_key_id = AKIDNOREGION
            aws_secret_access_key = secret
            """);
    }

    public void Dispose() => _temp.Dispose();

    private SageMakerClientSettings Settings(Dictionary<string, string>? env = null) => new()
    {
        ProfilesLocation = _credentials,
        MaxErrorRetry = 0,
        Environment = name => env != null && env.TryGetValue(name, out var v) ? v : null,
    };

    [Fact]
    public void Explicit_region_wins()
    {
        using var r = new SageMakerRegistry(new RegistryConnection { Region = "ap-northeast-1", ProfileName = "team" },
            Settings(new() { ["AWS_REGION"] = "us-west-2" }));
        Assert.Equal("ap-northeast-1", r.Region);
        Assert.Equal("SageMaker ap-northeast-1", r.Location);
    }

    [Fact]
    public void AWS_REGION_then_AWS_DEFAULT_REGION_then_profile()
    {
        using (var r = new SageMakerRegistry(new RegistryConnection { ProfileName = "team" },
                   Settings(new() { ["AWS_REGION"] = "us-west-2", ["AWS_DEFAULT_REGION"] = "us-east-2" })))
            Assert.Equal("us-west-2", r.Region);
        using (var r = new SageMakerRegistry(new RegistryConnection { ProfileName = "team" },
                   Settings(new() { ["AWS_DEFAULT_REGION"] = "us-east-2" })))
            Assert.Equal("us-east-2", r.Region);
        using (var r = new SageMakerRegistry(new RegistryConnection { ProfileName = "team" }, Settings()))
            Assert.Equal("eu-west-1", r.Region);
        using (var r = new SageMakerRegistry(new RegistryConnection(), Settings(new() { ["AWS_PROFILE"] = "team" })))
            Assert.Equal("eu-west-1", r.Region);
    }

    [Fact]
    public void No_region_anywhere_is_a_clear_Invalid()
    {
        var e = Assert.Throws<RegistryException>(() => new SageMakerRegistry(new RegistryConnection { ProfileName = "noregion" }, Settings()));
        Assert.Equal(RegistryErrorKind.Invalid, e.Kind);
        Assert.Contains("No AWS region", e.Message);
        Assert.Contains("noregion", e.Message);
    }

    [Fact]
    public void Unknown_explicit_profile_is_Invalid()
    {
        var e = Assert.Throws<RegistryException>(() => new SageMakerRegistry(
            new RegistryConnection { ProfileName = "nope", Region = "us-east-1" }, Settings()));
        Assert.Equal(RegistryErrorKind.Invalid, e.Kind);
        Assert.Contains("'nope'", e.Message);
    }

    [Fact]
    public async Task Profile_credentials_sign_requests_for_the_resolved_region_at_the_endpoint()
    {
        using var endpoint = new CapturingEndpoint(_ => new CannedResponse(200, "{}"));
        using var r = new SageMakerRegistry(new RegistryConnection { ProfileName = "team", EndpointUrl = endpoint.Url }, Settings());
        await r.DeleteGroupAsync("g", CancellationToken.None);
        var auth = Assert.Single(endpoint.Requests).Header("Authorization");
        Assert.StartsWith("AWS4-HMAC-SHA256 Credential=AKIDTEAMPROFILE/", auth);
        Assert.Contains("/eu-west-1/sagemaker/aws4_request", auth);
        Assert.StartsWith("SageMaker eu-west-1 at http://127.0.0.1:", r.Location);
    }

    [Fact]
    public void Regional_endpoint_when_no_url_is_configured()
    {
        using var r = new SageMakerRegistry(new RegistryConnection { ProfileName = "team" }, Settings());
        // ServiceURL stays unset unless AWS_ENDPOINT_URL[_SAGEMAKER] is in the real environment (the SDK reads it).
        if (Environment.GetEnvironmentVariable("AWS_ENDPOINT_URL_SAGEMAKER") is null && Environment.GetEnvironmentVariable("AWS_ENDPOINT_URL") is null)
            Assert.Equal("SageMaker eu-west-1", r.Location);
        var provider = new SageMakerEndpointProvider();
        var parameters = new Amazon.Runtime.Endpoints.EndpointParameters { ["Region"] = "eu-west-1", ["Endpoint"] = null };
        Assert.Equal("https://api.sagemaker.eu-west-1.amazonaws.com", provider.ResolveEndpoint(parameters).URL);
        parameters["Region"] = "cn-north-1";
        Assert.Equal("https://api.sagemaker.cn-north-1.amazonaws.com.cn", provider.ResolveEndpoint(parameters).URL);
    }
}
