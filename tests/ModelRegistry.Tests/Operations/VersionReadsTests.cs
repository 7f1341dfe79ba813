using ModelRegistry.Engine.Bulk;
using ModelRegistry.Engine.Operations;
using ModelRegistry.Engine.Registry;
using ModelRegistry.Engine.Registry.Local;
using ModelRegistry.Tests.Support;

namespace ModelRegistry.Tests.Operations;

/// <summary>
/// A change command judges a version listed upstream in its pipeline on that listing (Get-MRModelVersion |
/// Set-MRApproval reads each page once) — but only a listing that began after the command began, once per version,
/// of the same registry, and nothing after the command ended.
/// </summary>
public sealed class VersionReadsTests : IDisposable
{
    private static CancellationToken Ct => CancellationToken.None;
    private readonly LocalVersions _fixture = new("mr-reads");
    private LocalRegistry Local => _fixture.Registry;
    private List<ModelVersion> Versions => _fixture.Versions;

    public void Dispose() => _fixture.Dispose();

    /// <summary>Counts the reads the change command makes (listings and describes).</summary>
    private sealed class CountingRegistry(IModelRegistry inner) : RegistryDecorator(inner)
    {
        public int Lists;
        public int Describes;

        public override Task<Page<ModelVersion>> ListVersionsAsync(VersionQuery query, string? nextToken, CancellationToken ct)
        {
            Interlocked.Increment(ref Lists);
            return base.ListVersionsAsync(query, nextToken, ct);
        }

        public override Task<ModelVersion?> GetVersionAsync(string arn, CancellationToken ct)
        {
            Interlocked.Increment(ref Describes);
            return base.GetVersionAsync(arn, ct);
        }
    }

    /// <summary>Get-MRModelVersion's listing piped into a streaming approval (as the pipeline does, a version at a time).</summary>
    private static List<BulkOutcome<VersionTarget, ModelVersion>> Approve(IModelRegistry registry, IEnumerable<ModelVersion> piped, VersionReads? reads)
    {
        var outcomes = new List<BulkOutcome<VersionTarget, ModelVersion>>();
        using (var run = new ModelVersionOperations(registry).StartUpdates(VersionUpdate.Approval(ApprovalStatus.Approved, null), force: false,
                   new BulkOptions(4), Ct, reads: reads))
        {
            foreach (var v in piped) run.Add(new VersionTarget(v.Arn, v));
            outcomes.AddRange(run.RemainingOutcomes());
        }
        return outcomes;
    }

    private static T Wait<T>(Task<T> t) => t.GetAwaiter().GetResult();

    [Fact]
    public void Versions_listed_after_the_command_began_are_judged_on_that_listing_without_another_read()
    {
        var registry = new CountingRegistry(Local);
        using var reads = VersionReads.Watch();
        var listing = new ModelVersionOperations(registry).List("g", null, null, null, false, null, null, Ct);
        var outcomes = Approve(registry, listing, reads);
        Assert.All(outcomes, o => Assert.True(o.Succeeded, o.Error?.ToString()));
        Assert.Equal(3, outcomes.Count);
        Assert.Equal((1, 0), (registry.Lists, registry.Describes)); // the upstream's one page, nothing more
        foreach (var v in Versions) Assert.Equal(ApprovalStatus.Approved, Wait(Local.GetVersionAsync(v.Arn, Ct))!.Status);
    }

    [Fact]
    public void Versions_listed_before_the_command_began_are_read_again_and_judged_on_what_is_there_now()
    {
        var registry = new CountingRegistry(Local);
        var listed = new ModelVersionOperations(registry).List("g", null, null, null, false, null, null, Ct).ToList(); // a variable filled earlier
        // Meanwhile a reviewer rejects version 2.
        Wait(new ModelVersionOperations(Local).SetApprovalAsync(new VersionTarget(Versions[1].Arn), ApprovalStatus.Rejected, "bad", false, Ct));
        using var reads = VersionReads.Watch();
        var outcomes = Approve(registry, listed, reads);
        Assert.Equal((2, 0), (registry.Lists, registry.Describes)); // the earlier listing and the change's own
        var refused = Assert.Single(outcomes, o => !o.Succeeded);
        Assert.Equal(VersionGuards.RejectedVersion, Assert.IsType<RegistryException>(refused.Error).Reason);
        Assert.Equal(ApprovalStatus.Rejected, Wait(Local.GetVersionAsync(Versions[1].Arn, Ct))!.Status);
    }

    [Fact]
    public void A_version_is_handed_on_once_only_for_its_own_registry_and_not_after_the_command_ended()
    {
        var registry = new CountingRegistry(Local);
        var other = new CountingRegistry(Local); // another registry object: its listings are not this one's
        var reads = VersionReads.Watch();
        var arn = Versions[0].Arn;
        _ = new ModelVersionOperations(other).List("g", null, null, null, false, null, null, Ct).ToList();
        Assert.False(reads.Holds(registry, arn));
        _ = new ModelVersionOperations(registry).List("g", null, null, null, false, null, null, Ct).ToList();
        Assert.True(reads.TryTake(registry, arn, out var taken));
        Assert.Equal(arn, taken.Arn);
        Assert.False(reads.TryTake(registry, arn, out _)); // a second ask reads the registry
        Assert.True(reads.Holds(registry, Versions[1].Arn));

        reads.Dispose();
        Assert.False(reads.Holds(registry, Versions[1].Arn));
        _ = new ModelVersionOperations(registry).List("g", null, null, null, false, null, null, Ct).ToList();
        Assert.False(reads.Holds(registry, arn));
    }

    [Fact]
    public void A_version_changed_by_an_earlier_command_of_the_pipeline_is_read_again_and_judged_on_the_change()
    {
        // Get-MRModelVersion g | Deny-MRModelVersion -PassThru | Approve-MRModelVersion: both change commands watch the
        // listing; the approval must see the rejection, not the listing's Pending.
        var registry = new CountingRegistry(Local);
        using var denyReads = VersionReads.Watch();
        using var approveReads = VersionReads.Watch();
        var listed = new ModelVersionOperations(registry).List("g", null, null, null, false, null, null, Ct).ToList();
        var denied = Wait(new ModelVersionOperations(registry).SetApprovalAsync(new VersionTarget(listed[0].Arn), ApprovalStatus.Rejected, "bias", false, Ct));
        Assert.Equal(ApprovalStatus.Rejected, denied.Status);
        Assert.False(approveReads.Holds(registry, listed[0].Arn));
        Assert.True(approveReads.Holds(registry, listed[1].Arn));

        var outcomes = Approve(registry, new[] { denied }, approveReads);
        var refused = Assert.Single(outcomes);
        Assert.Equal(VersionGuards.RejectedVersion, Assert.IsType<RegistryException>(refused.Error).Reason);
        // A page read after the change is not handed on either (the change may race it).
        _ = new ModelVersionOperations(registry).List("g", null, null, null, false, null, null, Ct).ToList();
        Assert.False(approveReads.Holds(registry, listed[0].Arn));
    }

    [Fact]
    public void Without_a_watcher_nothing_is_kept_and_the_change_reads_its_versions()
    {
        var registry = new CountingRegistry(Local);
        var listing = new ModelVersionOperations(registry).List("g", null, null, null, false, null, null, Ct);
        var outcomes = Approve(registry, listing, reads: null);
        Assert.All(outcomes, o => Assert.True(o.Succeeded, o.Error?.ToString()));
        Assert.Equal((2, 0), (registry.Lists, registry.Describes)); // the upstream's page and the change's own
    }
}
