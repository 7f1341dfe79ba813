using Amazon.Runtime;
using ModelRegistry.Engine.Registry;
using ModelRegistry.Engine.Registry.SageMaker;

namespace ModelRegistry.Tests.Support;

/// <summary>Builds SageMaker registries for tests: dummy credentials and endpoints passed explicitly, an empty
/// environment, so nothing leaks from or into the test process's AWS_* variables.</summary>
internal static class SageMakerTesting
{
    public const string Region = "us-east-1";

    public static SageMakerRegistry Registry(string endpointUrl, int maxErrorRetry = 2, string? stsUrl = null,
        TimeSpan? timeout = null, TimeSpan? retryBaseDelay = null, TimeSpan? throttlePatience = null)
    {
        var options = new RegistryConnection { Region = Region, EndpointUrl = endpointUrl };
        var settings = new SageMakerClientSettings
        {
            Credentials = new BasicAWSCredentials("test", "test"),
            StsEndpointUrl = stsUrl ?? endpointUrl,
            MaxErrorRetry = maxErrorRetry,
            Timeout = timeout ?? TimeSpan.FromSeconds(30),
            Environment = _ => null,
        };
        if (retryBaseDelay.HasValue) settings.RetryBaseDelay = retryBaseDelay.Value;
        if (throttlePatience.HasValue) settings.ThrottlePatience = throttlePatience.Value;
        return new SageMakerRegistry(options, settings);
    }

    /// <summary>A name unique to this test run, valid as a model package group name.</summary>
    public static string UniqueName(string prefix) => $"{prefix}-{Guid.NewGuid():N}"[..Math.Min(63, prefix.Length + 33)];
}
