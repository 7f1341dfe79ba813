using ModelRegistry.Engine.Bulk;
using ModelRegistry.Tests.Support;

namespace ModelRegistry.Tests.Reliability;

/// <summary>
/// Bulk work against the service model (build/service_model.py: a token bucket per operation in front of
/// moto) at a limit far below what 16 concurrent senders ask for. Throttling slows the sender; it never fails
/// an item. No timing is asserted.
/// </summary>
[Collection("moto")]
public sealed class RateLimitTests
{
    private readonly MotoServer _moto;

    public RateLimitTests(MotoServer moto) => _moto = moto;

    [Fact]
    public void Creating_24_groups_at_4_calls_a_second_burst_1_loses_none()
    {
        // Burst 1 and two calls in flight from the start: the second is throttled however slow the machine is.
        using var service = new ServiceModel(_moto.Url, rate: 4, burst: 1, latencyMs: 100);
        // The default policy (5 retries), as a user gets it: throttles must not spend those attempts.
        using var registry = SageMakerTesting.Registry(service.Url, maxErrorRetry: 5, stsUrl: _moto.Url);
        var prefix = $"rl{Guid.NewGuid():N}"[..12];
        var names = Enumerable.Range(0, 24).Select(i => $"{prefix}-{i:D2}").ToList();

        var outcomes = BulkRunner.Run(names, (name, ct) => registry.CreateGroupAsync(name, "rate limit test",
            new Dictionary<string, string>(), ct), BulkRunner.DefaultThrottleLimit, CancellationToken.None).ToList();

        var stats = service.Stats();
        Assert.True(stats.TryGetValue("CreateModelPackageGroup", out var creates) && creates.Throttled > 0,
            "the service model throttled nothing, so this test proved nothing");
        Assert.Empty(outcomes.Where(o => !o.Succeeded).Select(o => $"{o.Input}: {o.Error?.Message}"));
        Assert.Equal(24, outcomes.Count);
        Assert.Equal(24, creates.Forwarded); // each group created exactly once
    }
}
