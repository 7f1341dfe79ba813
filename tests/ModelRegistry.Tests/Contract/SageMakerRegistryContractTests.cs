using ModelRegistry.Engine.Registry;
using ModelRegistry.Tests.Support;

namespace ModelRegistry.Tests.Contract;

/// <summary>
/// The contract suite on the SageMaker backend, against moto on loopback. Where moto lacks a SageMaker
/// behaviour the test is skipped with the reason rather than asserting moto's quirk.
/// </summary>
[Collection("moto")]
public sealed class SageMakerRegistryContractTests : RegistryContractTests
{
    private readonly MotoServer _moto;

    public SageMakerRegistryContractTests(MotoServer moto) { _moto = moto; }

    protected override IModelRegistry CreateRegistry() => SageMakerTesting.Registry(_moto.Url);

    protected override string? NoDelete => MotoLacks.Delete(_moto);
    protected override string? NoDuplicateCreateRefusal => $"{_moto.Version} replaces the group on a second CreateModelPackageGroup";
    protected override string? NoVersionTags => $"{_moto.Version} answers 500 to AddTags/ListTags on a version ARN";
    protected override string? NoKeptApprovalDescription => $"{_moto.Version} clears ApprovalDescription when UpdateModelPackage omits it";
    protected override string? NoClientToken => $"{_moto.Version} ignores ClientToken on CreateModelPackage";
    protected override string? NoKeptMembersOnUpdate =>
        $"{_moto.Version} replaces CustomerMetadataProperties and clears omitted members on UpdateModelPackage";
    protected override string? NoLifecycle =>
        $"{_moto.Version} ignores ModelLifeCycle (the request is checked against botocore in SageMakerRequestShapeTests)";
    protected override string? NoCaseInsensitiveNames => $"{_moto.Version} compares group names case-sensitively";
}
