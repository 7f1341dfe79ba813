namespace ModelRegistry.Engine.Registry.SageMaker { public sealed class SageMakerRegistry : StubRegistry { public SageMakerRegistry(RegistryConnection o) {} } }
