using System.Text.Json;
using ModelRegistry.Engine.Bulk;
using ModelRegistry.Engine.Operations;
using ModelRegistry.Engine.Registry;
using ModelRegistry.Tests.Support;
using Xunit.Abstractions;

namespace ModelRegistry.Tests.Reliability;

/// <summary>
/// Bulk work through <see cref="FaultProxy"/> in front of moto: throttles, 5xx, resets before and after
/// forwarding, delays. Every check of the result goes straight to moto with boto3, not through the proxy.
/// Bounded: four runs of at most 1,000 items; retry backoff is shortened (the policy is the same) to keep CI
/// time down. No timing is asserted.
/// </summary>
[Collection("moto")]
public sealed class FaultInjectionTests
{
    // 20 % faults per request: with the default 5 retries one call in ~16,000 fails outright, which a
    // 3,000-call test would hit now and then; 8 retries make that one in ~2.5 million.
    private const int Retries = 8;
    private static readonly TimeSpan FastBackoff = TimeSpan.FromMilliseconds(10);
    private static readonly CancellationToken None = CancellationToken.None;

    private readonly MotoServer _moto;
    private readonly ITestOutputHelper _log;

    public FaultInjectionTests(MotoServer moto, ITestOutputHelper log)
    {
        _moto = moto;
        _log = log;
    }

    private static string Prefix(string what) => $"{what}{Guid.NewGuid():N}"[..12];

    private static Dictionary<string, string> TagsFor(int i) => new()
    {
        ["ManagedBy"] = "acme-sagemaker", ["Team"] = "rc", ["Project"] = $"p{i:D4}", ["Phase"] = "2C",
    };

    private static VersionSpec Spec(string group, int i, string? token = null)
    {
        var spec = TestSpecs.Minimal(group, token: token);
        spec.ModelDataUrl = $"s3://models/churn/{i}/model.tar.gz";
        return spec;
    }

    private static string? Field(string body, string name) =>
        JsonDocument.Parse(body).RootElement.TryGetProperty(name, out var v) ? v.ToString() : null;

    [Fact]
    public void Creating_1000_groups_with_20_percent_faults_creates_each_exactly_once()
    {
        var prefix = Prefix("fpg");
        var desired = Enumerable.Range(0, 1000)
            .Select(i => new DesiredGroup($"{prefix}-{i:D4}", $"Models for risk-control/p{i:D4}", TagsFor(i))).ToList();
        using var proxy = new FaultProxy(_moto.Url, rate: 0.2, seed: 1001);
        using var registry = SageMakerTesting.Registry(proxy.Url, maxErrorRetry: Retries, retryBaseDelay: FastBackoff);

        var outcomes = new ModelGroupOperations(registry).Ensure(desired, force: false, bulk: 16, None).ToList();
        _log.WriteLine(proxy.Summary);
        Assert.Empty(proxy.ProxyErrors);

        Assert.Equal(1000, outcomes.Count);
        Assert.All(outcomes, o => Assert.True(o.Succeeded, o.Error?.Message));
        Assert.Equal(desired.Select(d => d.Name).OrderBy(n => n), outcomes.Select(o => o.Result!.Name).OrderBy(n => n));
        Assert.All(outcomes, o => Assert.Equal(GroupChange.Created, o.Result!.Change));
        // The nasty cases happened, and no create reached moto twice (moto would silently replace the group).
        Assert.True(proxy.Count(Fault.ResetAfter) > 0 && proxy.Count(Fault.Throttle) > 0, proxy.Summary);
        var creates = proxy.Forwarded.Where(f => f.Operation == "CreateModelPackageGroup" && f.Applied)
            .Select(f => Field(f.Body, "ModelPackageGroupName")).ToList();
        Assert.Equal(creates.Count, creates.Distinct().Count());
        // Every group was created by a create moto answered, or by one whose answer the proxy itself lost (rare).
        var unknown = proxy.Forwarded.Where(f => f.Operation == "CreateModelPackageGroup" && f.Status is null)
            .Select(f => Field(f.Body, "ModelPackageGroupName")).ToHashSet();
        Assert.Equal(1000, creates.Count + desired.Count(d => !creates.Contains(d.Name) && unknown.Contains(d.Name)));

        var inMoto = MotoState.Groups(_moto.Url, prefix);
        Assert.Equal(1000, inMoto.Count);
        foreach (var (want, i) in desired.Select((d, i) => (d, i)))
            Assert.Equal(TagsFor(i), inMoto[want.Name]);
    }

    [Fact]
    public async Task Approving_1000_versions_with_20_percent_faults_approves_each_once()
    {
        var prefix = Prefix("fpa");
        var groups = Enumerable.Range(0, 10).Select(i => $"{prefix}-{i}").ToList();
        using (var direct = SageMakerTesting.Registry(_moto.Url))
        {
            foreach (var g in groups) await direct.CreateGroupAsync(g, "approval test", new Dictionary<string, string>(), None);
            // Set-up: one writer per group, the ten groups side by side — moto loses one of two versions created
            // in a group at the same instant (see the registration test below).
            var registered = await Task.WhenAll(groups.Select(g => Task.Run(() => new ModelVersionOperations(direct)
                .RegisterMany(Enumerable.Range(0, 100).Select(i => Spec(g, i)).ToList(), 1, None).ToList())));
            Assert.All(registered.SelectMany(r => r), o => Assert.True(o.Succeeded, o.Error?.Message));
        }
        var before = MotoState.Versions(_moto.Url, describe: false, groups);
        var targets = before.Values.SelectMany(v => v).Select(v => new VersionTarget(v.Arn,
            new ModelVersion { Arn = v.Arn, Version = v.Number, Status = ApprovalStatus.PendingManualApproval })).ToList();
        Assert.Equal(1000, targets.Count);

        using var proxy = new FaultProxy(_moto.Url, rate: 0.2, seed: 2002);
        using var registry = SageMakerTesting.Registry(proxy.Url, maxErrorRetry: Retries, retryBaseDelay: FastBackoff);
        var outcomes = new ModelVersionOperations(registry)
            .SetApprovalMany(targets, ApprovalStatus.Approved, "bulk approval under faults", force: false, bulk: 16, None).ToList();
        _log.WriteLine(proxy.Summary);
        Assert.Empty(proxy.ProxyErrors);

        Assert.Equal(1000, outcomes.Count);
        Assert.All(outcomes, o => Assert.True(o.Succeeded, o.Error?.Message));
        Assert.Equal(targets.Select(t => t.Arn).OrderBy(a => a), outcomes.Select(o => o.Input.Arn).OrderBy(a => a));
        Assert.True(proxy.Count(Fault.ResetAfter) > 0, proxy.Summary);

        var after = MotoState.Versions(_moto.Url, describe: false, groups);
        var all = after.Values.SelectMany(v => v).ToList();
        Assert.Equal(1000, all.Count);
        Assert.Equal(before.Values.SelectMany(v => v).Select(v => v.Arn).OrderBy(a => a), all.Select(v => v.Arn).OrderBy(a => a));
        Assert.All(all, v => Assert.Equal("Approved", v.Status));
    }

    [Fact]
    public async Task Registering_500_versions_with_20_percent_faults_yields_exactly_500()
    {
        // moto numbers a group's new version as "count + 1" with no lock: two creates in one group at the same
        // instant get the same ARN and the later silently replaces the earlier (SageMaker has no such race). So
        // no two registrations here are in one group at once: 250 groups, one version each per round, two rounds.
        // The second round's token lookups see the first round's version and must pass it by.
        var prefix = Prefix("fpr");
        var groups = Enumerable.Range(0, 250).Select(i => $"{prefix}-{i:D3}").ToList();
        using (var direct = SageMakerTesting.Registry(_moto.Url))
        {
            var made = new ModelGroupOperations(direct)
                .Ensure(groups.Select(g => new DesiredGroup(g, "registration test", TagsFor(0))).ToList(), false, 16, None).ToList();
            Assert.All(made, o => Assert.True(o.Succeeded, o.Error?.Message));
        }

        using var proxy = new FaultProxy(_moto.Url, rate: 0.2, seed: 3003);
        using var registry = SageMakerTesting.Registry(proxy.Url, maxErrorRetry: Retries, retryBaseDelay: FastBackoff);
        var outcomes = new List<BulkOutcome<VersionSpec, ModelVersion>>();
        foreach (var round in new[] { 0, 1 })
            outcomes.AddRange(new ModelVersionOperations(registry)
                .RegisterMany(groups.Select((g, i) => Spec(g, round * 250 + i)).ToList(), 16, None));
        _log.WriteLine(proxy.Summary);
        Assert.Equal(500, outcomes.Count);
        Assert.Empty(proxy.ProxyErrors);

        Assert.All(outcomes, o => Assert.True(o.Succeeded, o.Error?.Message));
        Assert.True(proxy.Count(Fault.ResetAfter) > 0, proxy.Summary);
        var tokens = outcomes.Select(o => o.Result!.CustomerMetadata![VersionLookup.ClientTokenKey]).ToList();
        Assert.Equal(500, tokens.Distinct().Count());
        // Each registration took effect in moto once: after a lost reply the module found its version instead of
        // re-sending. (A create moto itself failed with a 500 did not take effect, and is rightly sent again.)
        var sent = proxy.Forwarded.Where(f => f.Operation == "CreateModelPackage" && f.Applied)
            .Select(f => JsonDocument.Parse(f.Body).RootElement.GetProperty("ClientToken").GetString()).ToList();
        Assert.Equal(sent.Count, sent.Distinct().Count());

        var inMoto = MotoState.Versions(_moto.Url, describe: true, groups).Values.SelectMany(v => v).ToList();
        Assert.Equal(500, inMoto.Count);
        Assert.Equal(tokens.OrderBy(t => t), inMoto.Select(v => v.Token).OrderBy(t => t));
    }

    [Fact]
    public async Task With_every_request_failing_every_item_is_reported_and_what_may_have_landed_says_so()
    {
        var prefix = Prefix("fpx");
        var group = $"{prefix}-reg";
        using (var direct = SageMakerTesting.Registry(_moto.Url))
            await direct.CreateGroupAsync(group, "all faults", new Dictionary<string, string>(), None);

        // Every request fails: Delay (which answers normally) is left out, and so is Throttle (throttling only
        // slows the sender, within its patience; RetryPolicyTests and RateLimitTests cover it).
        using var proxy = new FaultProxy(_moto.Url, rate: 1.0, seed: 4004,
            new[] { Fault.Error500, Fault.Error503, Fault.ResetBefore, Fault.ResetAfter });
        using var registry = SageMakerTesting.Registry(proxy.Url, maxErrorRetry: 3, retryBaseDelay: TimeSpan.FromMilliseconds(5));

        // Groups: neither the listing nor a group's own describe tells what exists, so no group is created and
        // each reports the failure.
        var desired = Enumerable.Range(0, 20).Select(i => new DesiredGroup($"{prefix}-{i:D2}", "d", TagsFor(i))).ToList();
        var groupOutcomes = new ModelGroupOperations(registry).Ensure(desired, false, 16, None).ToList();
        Assert.Equal(20, groupOutcomes.Count);
        Assert.All(groupOutcomes, o => Assert.Equal(RegistryErrorKind.Unavailable, Assert.IsType<RegistryException>(o.Error).Kind));
        Assert.Empty(MotoState.Groups(_moto.Url, prefix + "-0").Concat(MotoState.Groups(_moto.Url, prefix + "-1")));

        // Versions: each registration fails with the reason, and the ones moto received say they may have taken effect.
        var specs = Enumerable.Range(0, 30).Select(i => Spec(group, i, Guid.NewGuid().ToString("D"))).ToList();
        var outcomes = new ModelVersionOperations(registry).RegisterMany(specs, 16, None).ToList();
        _log.WriteLine(proxy.Summary);
        Assert.Empty(proxy.ProxyErrors);
        Assert.Equal(30, outcomes.Count);
        Assert.All(outcomes, o => Assert.False(o.Succeeded));
        var errors = outcomes.Select(o => Assert.IsType<RegistryException>(o.Error)).ToList();
        Assert.All(errors, e => Assert.True(
            e.Message.Contains("gave up after") || e.Message.Contains("could not be checked"), e.Message));

        var landed = MotoState.Versions(_moto.Url, describe: true, new[] { group })[group];
        var byToken = outcomes.ToDictionary(o => o.Input.ClientToken!, o => o.Error!.Message);
        _log.WriteLine($"{landed.Count} of 30 failed registrations reached moto anyway (reset after forwarding)");
        Assert.All(landed, v => Assert.True(
            byToken[v.Token!].Contains("may have taken effect") || byToken[v.Token!].Contains("could not be checked"), byToken[v.Token!]));
    }
}
