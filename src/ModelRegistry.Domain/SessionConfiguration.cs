namespace ModelRegistry
{
    /// <summary>What the module's commands use in this session when a command names nothing else.</summary>
    public sealed class SessionConfiguration
    {
        public SessionConfiguration(RegistryConnection registry, string configPath, bool configExists)
        {
            Registry = registry;
            ConfigPath = configPath;
            ConfigExists = configExists;
        }

        /// <summary>The registry (Connect-MRRegistry).</summary>
        public RegistryConnection Registry { get; }
        public RegistryBackend Backend => Registry.Backend;
        public string? Region => Registry.Region;
        /// <summary>The .env.shared read by Get-MRProject, Get-MRIamPolicy and Deploy-MRModelVersion by default.</summary>
        public string ConfigPath { get; }
        public bool ConfigExists { get; }
    }
}
