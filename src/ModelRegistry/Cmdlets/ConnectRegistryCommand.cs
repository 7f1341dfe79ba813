using System.IO;
using System.Management.Automation;
using ModelRegistry.Engine.Registry;
using ModelRegistry.Hosting;

namespace ModelRegistry.Cmdlets
{
    /// <summary>
    /// <para type="synopsis">Chooses the registry that the module's commands use in this session: SageMaker or a Local folder.</para>
    /// <para type="description">Without it, commands use SageMaker, with the region, profile, credentials and endpoint resolved the AWS way (AWS Tools for PowerShell's $StoredAWSCredentials and $StoredAWSRegion, AWS_REGION, AWS_ACCESS_KEY_ID, AWS_PROFILE, AWS_ENDPOINT_URL_SAGEMAKER / AWS_ENDPOINT_URL, the shared config and credentials files). Credentials given here (-AccessKey, -Credential, -ProfileName) are the session's and come before $StoredAWSCredentials; a command's own come before them. -Local selects an embedded file-backed registry in a folder — no AWS account needed; it is only ever used when chosen like this (or with -Registry), never as a fallback. -Region, -ProfileName or -EndpointUrl on any command mean SageMaker for that command.</para>
    /// <example>
    ///   <code>Connect-MRRegistry -Local -Path ./registry</code>
    ///   <para>Uses a Local registry in ./registry for the rest of the session.</para>
    /// </example>
    /// <example>
    ///   <code>Connect-MRRegistry -Region ap-northeast-1 -EndpointUrl http://127.0.0.1:5000</code>
    ///   <para>Uses SageMaker through an emulator on loopback.</para>
    /// </example>
    /// </summary>
    [Cmdlet(VerbsCommunications.Connect, "MRRegistry", DefaultParameterSetName = SageMakerSet)]
    [OutputType(typeof(RegistryConnection))]
    public sealed class ConnectRegistryCommand : ModelRegistryCmdlet
    {
        private const string SageMakerSet = "SageMaker";
        private const string LocalSet = "Local";

        /// <summary>Use the embedded file-backed registry.</summary>
        [Parameter(Mandatory = true, ParameterSetName = LocalSet)]
        public SwitchParameter Local { get; set; }

        /// <summary>The Local registry's folder (created when missing).</summary>
        [Parameter(Mandatory = true, Position = 0, ParameterSetName = LocalSet)]
        [ValidateNotNullOrEmpty]
        public string? Path { get; set; }

        /// <summary>The account id used in the Local registry's ARNs.</summary>
        [Parameter(ParameterSetName = LocalSet)]
        [ValidatePattern(Engine.Config.Naming.AccountIdShape)]
        public string? AccountId { get; set; }

        /// <summary>The AWS region (SageMaker), or the region used in Local ARNs.</summary>
        [Parameter]
        [ValidatePattern(Engine.Config.Naming.RegionPattern)] // a compile-time constant: no engine type at run time
        [ArgumentCompleter(typeof(RegionCompleter))]
        public string? Region { get; set; }

        /// <summary>A profile from the shared AWS config/credentials files, or from -ProfileLocation.</summary>
        [Parameter(ParameterSetName = SageMakerSet)]
        [Alias("Profile", "AWSProfileName")]
        [ArgumentCompleter(typeof(ProfileNameCompleter))]
        public string? ProfileName { get; set; }

        /// <summary>The shared credentials file to read -ProfileName (or AWS_PROFILE, or the default profile) from, when it is not AWS_SHARED_CREDENTIALS_FILE or ~/.aws/credentials.</summary>
        [Parameter(ParameterSetName = SageMakerSet)]
        [Alias("AWSProfilesLocation", "ProfilesLocation")]
        public string? ProfileLocation { get; set; }

        /// <summary>The AWS access key id the session signs with, with -SecretKey (and -SessionToken for temporary keys).</summary>
        [Parameter(ParameterSetName = SageMakerSet)]
        [Alias("AK")]
        public string? AccessKey { get; set; }

        /// <summary>The AWS secret access key that goes with -AccessKey.</summary>
        [Parameter(ParameterSetName = SageMakerSet)]
        [Alias("SK", "SecretAccessKey")]
        public string? SecretKey { get; set; }

        /// <summary>The session token of temporary keys given with -AccessKey and -SecretKey.</summary>
        [Parameter(ParameterSetName = SageMakerSet)]
        [Alias("ST")]
        public string? SessionToken { get; set; }

        /// <summary>AWS credentials the session signs with: an AWSCredentials object of AWS Tools for PowerShell (New-AWSCredential, Get-AWSCredential), (Use-STSRole …).Credentials, or a PSCredential (user name: access key id; password: secret key). Read once, now.</summary>
        [Parameter(ParameterSetName = SageMakerSet)]
        public object? Credential { get; set; }

        /// <summary>The SageMaker endpoint, e.g. an emulator on loopback.</summary>
        [Parameter(ParameterSetName = SageMakerSet)]
        [ValidateAbsoluteUri]
        public string? EndpointUrl { get; set; }

        /// <summary>Seconds one SageMaker call (one attempt) may take before it fails as Unavailable ("timed out"); default 30. How many attempts a failing call gets follows AWS_MAX_ATTEMPTS or the profile's max_attempts.</summary>
        [Parameter(ParameterSetName = SageMakerSet)]
        [ValidateRange(1, 3600)]
        public int TimeoutSec { get; set; }

        /// <summary>Emit the connection, to pass to -Registry or keep in a variable.</summary>
        [Parameter]
        public SwitchParameter PassThru { get; set; }

        protected override void EndProcessing()
        {
            var connection = Local
                ? new RegistryConnection
                {
                    Backend = RegistryBackend.Local,
                    LocalPath = SessionState.Path.GetUnresolvedProviderPathFromPSPath(Path),
                    Region = Region,
                    LocalAccountId = AccountId,
                }
                : new RegistryConnection
                {
                    Backend = RegistryBackend.SageMaker, Region = Region, EndpointUrl = EndpointUrl,
                    Timeout = TimeoutSec > 0 ? System.TimeSpan.FromSeconds(TimeoutSec) : (System.TimeSpan?)null,
                };
            if (!Local)
            {
                // Keys, else the profile, else -Credential (AWS Tools' order); $StoredAWSCredentials is read per command.
                try
                {
                    AwsCredentialArguments.Apply(connection, AccessKey, SecretKey, SessionToken, Credential, ProfileName,
                        ProfileLocation is null ? null : SessionState.Path.GetUnresolvedProviderPathFromPSPath(ProfileLocation));
                }
                catch (RegistryException e)
                {
                    ThrowTerminatingError(ErrorRecords.From(e, null));
                }
            }

            // A Local folder is opened now, so a bad path is reported here. SageMaker is resolved per command:
            // the region may still come from .env.shared (AWS_REGION) there.
            if (connection.Backend == RegistryBackend.Local)
            {
                try
                {
                    WriteVerbose($"Connected to {RegistryFactory.Get(connection).Location}");
                }
                catch (System.Exception ex)
                {
                    ThrowTerminatingError(ErrorRecords.From(ex, connection));
                }
            }
            SessionSettings.Current.Connection = connection;
            if (PassThru) WriteObject(connection);
        }
    }

    /// <summary>
    /// <para type="synopsis">Shows the registry that the module's commands use in this session.</para>
    /// <para type="description">Returns the connection chosen with Connect-MRRegistry, or a SageMaker connection with nothing set (resolved the AWS way) when none was chosen. A Local registry given no -Region or -AccountId shows those of the session's configuration file (AWS_REGION, AWS_ACCOUNT_ID), which its ARNs use.</para>
    /// <example>
    ///   <code>Get-MRRegistry</code>
    ///   <para>Shows the current backend, region, profile, endpoint or folder.</para>
    /// </example>
    /// </summary>
    [Cmdlet(VerbsCommon.Get, "MRRegistry")]
    [OutputType(typeof(RegistryConnection))]
    public sealed class GetRegistryCommand : ModelRegistryCmdlet
    {
        protected override void EndProcessing() => WriteObject(SessionSettings.Effective(this));
    }
}
