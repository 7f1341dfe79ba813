using ModelRegistry.Engine.Registry;
using ModelRegistry.Tests.Support;

namespace ModelRegistry.Tests.Contract;

/// <summary>
/// The contract suite on the SageMaker backend, against moto_server on loopback. Where moto lacks a SageMaker
/// behaviour the capability is switched off (the test returns early) rather than asserting moto's quirk.
/// </summary>
[Collection("moto")]
public sealed class SageMakerRegistryContractTests : RegistryContractTests
{
    private readonly MotoServer _moto;

    public SageMakerRegistryContractTests(MotoServer moto) { _moto = moto; }

    protected override IModelRegistry CreateRegistry() => SageMakerTesting.Registry(_moto.Url);

    protected override bool SupportsDelete => false;               // DeleteModelPackage(Group): HTML 500
    protected override bool RejectsDuplicateCreate => false;       // a second create replaces the group
    protected override bool SupportsVersionTags => false;          // ListTags/AddTags on version ARNs: 500
    protected override bool KeepsApprovalDescriptionWhenOmitted => false; // UpdateModelPackage clears it
    protected override bool HonoursClientToken => false;           // registers again
    protected override bool KeepsOmittedMembersOnUpdate => false;  // UpdateModelPackage replaces metadata, clears status
    protected override bool SupportsLifecycle => false;            // ModelLifeCycle ignored
    protected override bool GroupNamesCaseInsensitive => false;    // moto compares names exactly
}
