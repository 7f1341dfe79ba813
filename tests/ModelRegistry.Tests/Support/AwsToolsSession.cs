using Amazon.Runtime;

// What AWS.Tools.Common's Set-AWSCredential puts in $StoredAWSCredentials, shaped as it is (its CredentialsArguments.cs):
// a public AWSPSCredentials whose AWSCredentials, name and source are internal. AWS.Tools is not on this feed; the
// module reads this object by reflection, as it reads the real one (which lives in AWS Tools' own AWSSDK.Core).
namespace Amazon.PowerShell.Common
{
    public enum CredentialsSource { Strings, Profile, CredentialsObject, Session, Environment, Container, InstanceProfile, Unknown }

    public class AWSPSCredentials
    {
        internal AWSPSCredentials(AWSCredentials credentials, string name, CredentialsSource source)
        {
            Credentials = credentials;
            Name = name;
            Source = source;
        }

        internal AWSCredentials Credentials { get; private set; }
        internal string Name { get; private set; }
        internal CredentialsSource Source { get; private set; }

        public override string ToString() => Name;
    }
}

namespace ModelRegistry.Tests.Support
{
    /// <summary>Builds the session variables AWS.Tools.Common sets: Set-AWSCredential's and Set-DefaultAWSRegion's.</summary>
    public static class AwsToolsSession
    {
        /// <summary>$StoredAWSCredentials after <c>Set-AWSCredential -AccessKey … -SecretKey … [-SessionToken …]</c>.</summary>
        public static Amazon.PowerShell.Common.AWSPSCredentials StoredCredentials(string accessKey, string secretKey, string? token = null) =>
            new(token is null ? new BasicAWSCredentials(accessKey, secretKey) : new SessionAWSCredentials(accessKey, secretKey, token),
                "Supplied Key Parameters", Amazon.PowerShell.Common.CredentialsSource.Strings);
    }
}
