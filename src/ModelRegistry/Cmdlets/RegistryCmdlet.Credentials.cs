using System.Management.Automation;
using ModelRegistry.Hosting;

namespace ModelRegistry.Cmdlets
{
    // AWS Tools for PowerShell's credential parameters, resolved in its order (Hosting/AwsCredentialArguments).
    public abstract partial class RegistryCmdlet
    {
        /// <summary>The AWS access key id to sign with (SageMaker backend), with -SecretKey (and -SessionToken for temporary keys). Comes before -ProfileName, -Credential, $StoredAWSCredentials and the environment.</summary>
        [Parameter]
        [Alias("AK")]
        public string? AccessKey { get; set; }

        /// <summary>The AWS secret access key that goes with -AccessKey.</summary>
        [Parameter]
        [Alias("SK", "SecretAccessKey")]
        public string? SecretKey { get; set; }

        /// <summary>The session token of temporary keys given with -AccessKey and -SecretKey.</summary>
        [Parameter]
        [Alias("ST")]
        public string? SessionToken { get; set; }

        /// <summary>AWS credentials as AWS Tools for PowerShell gives them (an AWSCredentials object from New-AWSCredential or Get-AWSCredential, or (Use-STSRole …).Credentials), or a PSCredential whose user name is the access key id and password the secret key. Comes after -AccessKey and -ProfileName, before $StoredAWSCredentials and the environment.</summary>
        [Parameter]
        public object? Credential { get; set; }

        /// <summary>The shared credentials file that -ProfileName (or AWS_PROFILE, or the default profile) is read from, when it is not AWS_SHARED_CREDENTIALS_FILE or ~/.aws/credentials; its folder's config file is read too.</summary>
        [Parameter]
        [Alias("AWSProfilesLocation", "ProfilesLocation")]
        public string? ProfileLocation { get; set; }

        /// <summary>True when the command names AWS credentials or their file: like -Region, they mean SageMaker.</summary>
        private bool NamesCredentials =>
            AccessKey != null || SecretKey != null || SessionToken != null || Credential != null || ProfileLocation != null;

        private bool _credentialsTold;

        /// <summary>The command's credential arguments, then (when they and the session name none) AWS Tools'
        /// $StoredAWSCredentials; a bad argument ends the command. Says in -Verbose, once, which credentials it signs with.</summary>
        private void ApplyCredentials(RegistryConnection connection)
        {
            try
            {
                AwsCredentialArguments.Apply(connection, AccessKey, SecretKey, SessionToken, Credential, ProfileName,
                    ProfileLocation is null ? null : SessionState.Path.GetUnresolvedProviderPathFromPSPath(ProfileLocation));
                AwsCredentialArguments.ApplyStored(connection, this);
            }
            catch (RegistryException e)
            {
                ThrowTerminatingError(ErrorRecords.From(e, null));
            }
            if (_credentialsTold) return;
            _credentialsTold = true;
            WriteVerbose("AWS credentials: " + (connection.CredentialSource
                ?? (connection.ProfileName != null ? $"profile {connection.ProfileName}" : "resolved the AWS way (AWS_ACCESS_KEY_ID…, AWS_PROFILE, the default profile, the instance)")));
        }
    }
}
