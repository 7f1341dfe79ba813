using ModelRegistry.Engine.Registry;
using ModelRegistry.Engine.Registry.Local;
using ModelRegistry.Tests.Support;

namespace ModelRegistry.Tests.Contract;

/// <summary>
/// A model group's resource policy on every backend: none at first, put, read back, replace, delete; errors for a
/// missing group, a missing policy and a document SageMaker would refuse. moto 5.2.1 lacks the three operations, so
/// its run is skipped with the reason (the requests are proved against botocore in SageMakerGroupPolicyRequestTests).
/// </summary>
public abstract class GroupPolicyContractTests : IDisposable
{
    private IModelRegistry? _registry;

    protected abstract IModelRegistry CreateRegistry();

    /// <summary>Why the group policy operations cannot run on this backend; null: they can.</summary>
    protected virtual string? NoGroupPolicy => null;

    protected IModelRegistry Registry => _registry ??= CreateRegistry();
    private static CancellationToken Ct => CancellationToken.None;

    public void Dispose()
    {
        _registry?.Dispose();
        GC.SuppressFinalize(this);
    }

    private static string Unique(string stem) => $"{stem}-{Guid.NewGuid():N}"[..(stem.Length + 13)];

    private async Task<string> Group()
    {
        var name = Unique("gp");
        await Registry.CreateGroupAsync(name, "policy contract", new Dictionary<string, string>(), Ct);
        return name;
    }

    private string Policy(string group, string account) =>
        $$"""{"Version":"2012-10-17","Statement":[{"Sid":"ModelRegistryTest","Effect":"Allow","Principal":{"AWS":"arn:aws:iam::{{account}}:root"},"Action":"sagemaker:DescribeModelPackageGroup","Resource":"{{Registry.GroupArn(group)}}"}]}""";

    private static async Task<RegistryException> Throws(RegistryErrorKind kind, Func<Task> call)
    {
        var e = await Assert.ThrowsAsync<RegistryException>(call);
        Assert.Equal(kind, e.Kind);
        return e;
    }

    [SkippableFact]
    public async Task A_new_group_has_no_policy_and_a_put_one_reads_back_until_replaced_or_deleted()
    {
        Capabilities.Require(NoGroupPolicy);
        var group = await Group();
        Assert.Null(await Registry.GetGroupPolicyAsync(group, Ct));

        await Registry.PutGroupPolicyAsync(group, Policy(group, "111111111111"), Ct);
        Assert.Equal(Policy(group, "111111111111"), await Registry.GetGroupPolicyAsync(group, Ct));
        // Group names are case-insensitive.
        Assert.Equal(Policy(group, "111111111111"), await Registry.GetGroupPolicyAsync(group.ToUpperInvariant(), Ct));

        await Registry.PutGroupPolicyAsync(group, Policy(group, "222222222222"), Ct);
        Assert.Equal(Policy(group, "222222222222"), await Registry.GetGroupPolicyAsync(group, Ct));
        // The group itself is unchanged by its policy.
        Assert.NotNull(await Registry.GetGroupAsync(group, Ct));

        await Registry.DeleteGroupPolicyAsync(group, Ct);
        Assert.Null(await Registry.GetGroupPolicyAsync(group, Ct));
    }

    [SkippableFact]
    public async Task A_missing_group_is_NotFound_for_every_policy_operation()
    {
        Capabilities.Require(NoGroupPolicy);
        var missing = Unique("gp-missing");
        await Throws(RegistryErrorKind.NotFound, () => Registry.GetGroupPolicyAsync(missing, Ct));
        await Throws(RegistryErrorKind.NotFound, () => Registry.PutGroupPolicyAsync(missing, Policy(missing, "111111111111"), Ct));
        await Throws(RegistryErrorKind.NotFound, () => Registry.DeleteGroupPolicyAsync(missing, Ct));
    }

    [SkippableFact]
    public async Task Deleting_a_policy_a_group_does_not_have_is_NotFound()
    {
        Capabilities.Require(NoGroupPolicy);
        var group = await Group();
        await Throws(RegistryErrorKind.NotFound, () => Registry.DeleteGroupPolicyAsync(group, Ct));
    }

    [Fact]
    public async Task A_document_SageMaker_would_refuse_is_Invalid_before_any_change()
    {
        // Checked before any call, so this runs on every backend.
        var group = Unique("gp-invalid");
        await Throws(RegistryErrorKind.Invalid, () => Registry.PutGroupPolicyAsync(group, "not json", Ct));
        await Throws(RegistryErrorKind.Invalid, () => Registry.PutGroupPolicyAsync(group, "[1,2]", Ct));
        await Throws(RegistryErrorKind.Invalid, () => Registry.PutGroupPolicyAsync(group, "", Ct));
        var e = await Throws(RegistryErrorKind.Invalid, () => Registry.PutGroupPolicyAsync(group,
            "{\"Sid\":\"" + new string('x', RequestChecks.MaxGroupPolicyLength) + "\"}", Ct));
        Assert.Contains("20480", e.Message);
        await Throws(RegistryErrorKind.Invalid, () => Registry.GetGroupPolicyAsync("not a name", Ct));
    }

    [SkippableFact]
    public async Task Deleting_the_group_takes_its_policy_with_it()
    {
        Capabilities.Require(NoGroupPolicy, NoDelete);
        var group = await Group();
        await Registry.PutGroupPolicyAsync(group, Policy(group, "111111111111"), Ct);
        await Registry.DeleteGroupAsync(group, Ct);
        await Registry.CreateGroupAsync(group, "again", new Dictionary<string, string>(), Ct);
        Assert.Null(await Registry.GetGroupPolicyAsync(group, Ct));
    }

    /// <summary>Why DeleteModelPackageGroup cannot be used; null: it can.</summary>
    protected virtual string? NoDelete => null;
}

public sealed class LocalGroupPolicyContractTests : GroupPolicyContractTests, IClassFixture<TempFolder>
{
    private readonly TempFolder _folder;
    public LocalGroupPolicyContractTests(TempFolder folder) { _folder = folder; }

    protected override IModelRegistry CreateRegistry() =>
        new LocalRegistry(new RegistryConnection { Backend = RegistryBackend.Local, LocalPath = _folder.Path });
}

[Collection("moto")]
public sealed class SageMakerGroupPolicyContractTests : GroupPolicyContractTests
{
    private readonly MotoServer _moto;
    public SageMakerGroupPolicyContractTests(MotoServer moto) { _moto = moto; }

    protected override IModelRegistry CreateRegistry() => SageMakerTesting.Registry(_moto.Url);

    protected override string? NoGroupPolicy => MotoLacks.GroupPolicy(_moto);
    protected override string? NoDelete => MotoLacks.Delete(_moto);
}
