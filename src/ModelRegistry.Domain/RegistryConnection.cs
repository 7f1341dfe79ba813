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
    /// Credentials given to a command (-AccessKey, -Credential, AWS Tools' $StoredAWSCredentials …) travel here as
    /// plain strings the engine signs with; they are not part of the public surface.
    /// </summary>
    public sealed class RegistryConnection
    {
        /// <summary>Region of Local ARNs when none is given (Local has no AWS configuration to ask).</summary>
        public const string LocalDefaultRegion = "us-east-1";

        public RegistryBackend Backend { get; set; } = RegistryBackend.SageMaker;
        public string? Region { get; set; }
        public string? ProfileName { get; set; }
        public string? EndpointUrl { get; set; }
        /// <summary>The shared credentials file to read profiles from (-ProfileLocation); null: AWS_SHARED_CREDENTIALS_FILE,
        /// else ~/.aws/credentials (with its config file).</summary>
        public string? ProfileLocation { get; set; }
        /// <summary>Where the credentials come from when a command named them (-AccessKey, -Credential,
        /// $StoredAWSCredentials …), with the last characters of the access key id; null: resolved the AWS way (environment, profile, instance).</summary>
        public string? CredentialSource { get; internal set; }
        /// <summary>The access key id to sign with (AWS: aws_access_key_id); null: resolved the AWS way.</summary>
        internal string? AccessKey { get; private set; }
        /// <summary>The secret access key (AWS: aws_secret_access_key).</summary>
        internal string? SecretKey { get; private set; }
        /// <summary>The session token of temporary credentials (AWS: aws_session_token).</summary>
        internal string? SessionToken { get; private set; }
        /// <summary>Folder of the Local registry.</summary>
        public string? LocalPath { get; set; }
        /// <summary>Account used in Local ARNs (Local has no caller identity).</summary>
        public string? LocalAccountId { get; set; }
        /// <summary>How long one SageMaker call (one attempt) may take (-TimeoutSec); null: 30 seconds.
        /// How many attempts a failing call gets is AWS_MAX_ATTEMPTS or the profile's max_attempts.</summary>
        public System.TimeSpan? Timeout { get; set; }

        internal RegistryConnection Clone() => (RegistryConnection)MemberwiseClone();

        /// <summary>Signs with these keys (from <paramref name="source"/>, e.g. "-AccessKey"); null keys: resolved the AWS way.</summary>
        internal void UseKeys(string? accessKey, string? secretKey, string? sessionToken, string? source)
        {
            AccessKey = accessKey;
            SecretKey = accessKey is null ? null : secretKey;
            SessionToken = accessKey is null || string.IsNullOrEmpty(sessionToken) ? null : sessionToken;
            CredentialSource = accessKey is null ? null
                : $"{source} (access key …{(accessKey.Length > 4 ? accessKey.Substring(accessKey.Length - 4) : accessKey)})";
        }

        public override string ToString() => Backend == RegistryBackend.Local
            ? $"Local {LocalPath}"
            : $"SageMaker {Region ?? "(default region)"}{(EndpointUrl is null ? "" : " " + EndpointUrl)}{(ProfileName is null ? "" : " profile " + ProfileName)}";
    }
}
