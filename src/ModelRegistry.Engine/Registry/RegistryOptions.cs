namespace ModelRegistry.Engine.Registry
{
    public enum BackendKind
    {
        SageMaker,
        Local,
    }

    /// <summary>How to reach a registry. Resolved the AWS way for SageMaker: explicit values win, then
    /// AWS_PROFILE / AWS_REGION / AWS_ENDPOINT_URL_SAGEMAKER / AWS_ENDPOINT_URL, then the shared config files.</summary>
    public sealed class RegistryOptions
    {
        public BackendKind Backend { get; set; } = BackendKind.SageMaker;
        public string? Region { get; set; }
        public string? ProfileName { get; set; }
        public string? EndpointUrl { get; set; }
        /// <summary>Folder of the Local registry.</summary>
        public string? LocalPath { get; set; }
        /// <summary>Account used in Local ARNs (Local has no caller identity).</summary>
        public string? LocalAccountId { get; set; }

        public RegistryOptions Clone() => (RegistryOptions)MemberwiseClone();
    }
}
