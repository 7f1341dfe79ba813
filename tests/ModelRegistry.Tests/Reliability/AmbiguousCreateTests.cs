using ModelRegistry.Engine.Operations;
using ModelRegistry.Engine.Registry;
using ModelRegistry.Tests.Support;

namespace ModelRegistry.Tests.Reliability;

/// <summary>
/// A create whose 200 reply cannot be read took effect, but the client cannot know what was done: like a lost
/// reply, it is looked up (by name, by client token) before any re-send, and when it cannot be settled the
/// error says it may have landed. Through <see cref="FaultProxy"/> (Fault.GarbageAfter) in front of moto.
/// </summary>
[Collection("moto")]
public sealed class AmbiguousCreateTests
{
    private static readonly CancellationToken None = CancellationToken.None;
    private readonly MotoServer _moto;

    public AmbiguousCreateTests(MotoServer moto) => _moto = moto;

    private static string Prefix(string what) => $"{what}{Guid.NewGuid():N}"[..12];

    /// <summary>Garbage for the first request of <paramref name="operation"/>, everything else passes.</summary>
    private static Func<int, string, Fault> FirstOf(string operation)
    {
        var done = 0;
        return (_, op) => op == operation && Interlocked.Exchange(ref done, 1) == 0 ? Fault.GarbageAfter : Fault.None;
    }

    [Fact]
    public async Task A_group_create_with_an_unreadable_200_is_found_by_name_not_sent_again()
    {
        using var proxy = new FaultProxy(_moto.Url, rate: 0, seed: 1) { Script = FirstOf("CreateModelPackageGroup") };
        using var registry = SageMakerTesting.Registry(proxy.Url, maxErrorRetry: 3, stsUrl: _moto.Url, retryBaseDelay: TimeSpan.FromMilliseconds(5));
        var name = Prefix("amb") + "-g";
        var group = await registry.CreateGroupAsync(name, "ambiguous", new Dictionary<string, string> { ["Team"] = "rc" }, None);
        Assert.Equal(name, group.Name);
        Assert.Equal(1, proxy.Count(Fault.GarbageAfter));
        Assert.Single(proxy.Forwarded, f => f.Operation == "CreateModelPackageGroup");
        Assert.Contains(proxy.Forwarded, f => f.Operation == "DescribeModelPackageGroup");
        Assert.Empty(proxy.ProxyErrors);
    }

    [Fact]
    public void A_version_registration_with_an_unreadable_200_is_found_by_client_token_not_registered_twice()
    {
        var group = Prefix("amb") + "-v";
        using (var direct = SageMakerTesting.Registry(_moto.Url))
            direct.CreateGroupAsync(group, "ambiguous", new Dictionary<string, string>(), None).GetAwaiter().GetResult();
        using var proxy = new FaultProxy(_moto.Url, rate: 0, seed: 1) { Script = FirstOf("CreateModelPackage") };
        using var registry = SageMakerTesting.Registry(proxy.Url, maxErrorRetry: 3, stsUrl: _moto.Url, retryBaseDelay: TimeSpan.FromMilliseconds(5));
        var spec = new VersionSpec { GroupName = group, ImageUri = "123456789012.dkr.ecr.us-east-1.amazonaws.com/churn:2" };
        var outcome = Assert.Single(new ModelVersionOperations(registry).RegisterMany(new[] { spec }, 1, None).ToList());
        Assert.True(outcome.Succeeded, outcome.Error?.Message);
        Assert.Equal(1, proxy.Count(Fault.GarbageAfter));
        Assert.Single(proxy.Forwarded, f => f.Operation == "CreateModelPackage");
        Assert.Single(MotoState.Versions(_moto.Url, describe: false, new[] { group })[group]);
    }

    [Fact]
    public async Task An_unreadable_200_that_cannot_be_settled_says_it_may_have_taken_effect()
    {
        // Every create answers garbage, and no lookup is possible (a version without a client token): the
        // failure must not read as "nothing happened".
        var group = Prefix("amb") + "-n";
        using (var direct = SageMakerTesting.Registry(_moto.Url))
            await direct.CreateGroupAsync(group, "ambiguous", new Dictionary<string, string>(), None);
        using var proxy = new FaultProxy(_moto.Url, rate: 0, seed: 1) { Script = (_, op) => op == "CreateModelPackage" ? Fault.GarbageAfter : Fault.None };
        using var registry = SageMakerTesting.Registry(proxy.Url, maxErrorRetry: 3, stsUrl: _moto.Url, retryBaseDelay: TimeSpan.FromMilliseconds(5));
        var e = await Assert.ThrowsAsync<RegistryException>(() => registry.RegisterVersionAsync(
            new VersionSpec { GroupName = group, ImageUri = "123456789012.dkr.ecr.us-east-1.amazonaws.com/churn:2" }, None));
        Assert.Equal(RegistryErrorKind.Unavailable, e.Kind);
        Assert.Contains("may have taken effect", e.Message);
        Assert.Single(proxy.Forwarded, f => f.Operation == "CreateModelPackage"); // never re-sent blindly
    }

    [Fact]
    public async Task A_read_with_an_unreadable_200_is_simply_retried()
    {
        using var proxy = new FaultProxy(_moto.Url, rate: 0, seed: 1) { Script = FirstOf("ListModelPackageGroups") };
        using var registry = SageMakerTesting.Registry(proxy.Url, maxErrorRetry: 3, stsUrl: _moto.Url, retryBaseDelay: TimeSpan.FromMilliseconds(5));
        await registry.ListGroupsAsync(null, null, 10, NameOrder.Ascending, None);
        Assert.Equal(2, proxy.Forwarded.Count(f => f.Operation == "ListModelPackageGroups"));
    }
}
