namespace ModelRegistry
{
    public enum RegistryBackend
    {
        SageMaker,
        Local,
    }

    /// <summary>
    /// Which registry to use and how to reach it. For SageMaker, unset values resolve the AWS way:
    /// AWS_PROFILE / AWS_REGION / AWS_ENDPOINT_URL_SAGEMAKER / AWS_ENDPOINT_URL, then the shared config files.
    /// </summary>
    public sealed class RegistryConnection
    {
        /// <summary>Region of Local ARNs when none is given (Local has no AWS configuration to ask).</summary>
        public const string LocalDefaultRegion = "us-east-1";

        public RegistryBackend Backend { get; set; } = RegistryBackend.SageMaker;
        public string? Region { get; set; }
        public string? ProfileName { get; set; }
        public string? EndpointUrl { get; set; }
        /// <summary>Folder of the Local registry.</summary>
        public string? LocalPath { get; set; }
        /// <summary>Account used in Local ARNs (Local has no caller identity).</summary>
        public string? LocalAccountId { get; set; }
        /// <summary>How long one SageMaker call (one attempt) may take (-TimeoutSec); null: 30 seconds.
        /// How many attempts a failing call gets is AWS_MAX_ATTEMPTS or the profile's max_attempts.</summary>
        public System.TimeSpan? Timeout { get; set; }

        internal RegistryConnection Clone() => (RegistryConnection)MemberwiseClone();

        public override string ToString() => Backend == RegistryBackend.Local
            ? $"Local {LocalPath}"
            : $"SageMaker {Region ?? "(default region)"}{(EndpointUrl is null ? "" : " " + EndpointUrl)}{(ProfileName is null ? "" : " profile " + ProfileName)}";
    }
}
