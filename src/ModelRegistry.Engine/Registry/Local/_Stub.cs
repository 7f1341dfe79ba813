namespace ModelRegistry.Engine.Registry.Local { public sealed class LocalRegistry : StubRegistry { public LocalRegistry(RegistryConnection o) {} } }
