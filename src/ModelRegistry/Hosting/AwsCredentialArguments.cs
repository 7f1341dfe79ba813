using System;
using System.Management.Automation;
using System.Reflection;

namespace ModelRegistry.Hosting
{
    /// <summary>
    /// AWS Tools for PowerShell's credential and region conventions, in one place for every cmdlet that reaches AWS
    /// (RegistryCmdlet) and Connect-MRRegistry. The order is AWS Tools' (its CredentialsArguments.TryGetCredentials and
    /// TryGetRegion): -AccessKey/-SecretKey/-SessionToken; -ProfileName (in -ProfileLocation); -Credential; the
    /// session's $StoredAWSCredentials (Set-AWSCredential); then the engine's: AWS_ACCESS_KEY_ID…, AWS_PROFILE's or
    /// the default profile, the container or instance. Region: -Region; the session's; a .env.shared's region for what
    /// came from it; $StoredAWSRegion (Set-DefaultAWSRegion); AWS_REGION, AWS_DEFAULT_REGION, the profile's.
    /// AWS Tools' objects live in its own AWSSDK.Core (another load context), so they are read by duck typing.
    /// </summary>
    internal static class AwsCredentialArguments
    {
        /// <summary>The variable Set-AWSCredential sets (AWS Tools' SessionKeys.AWSCredentialsVariableName).</summary>
        public const string StoredCredentialsVariable = "StoredAWSCredentials";
        /// <summary>The variable Set-DefaultAWSRegion sets, a region name (SessionKeys.AWSRegionVariableName).</summary>
        public const string StoredRegionVariable = "StoredAWSRegion";
        /// <summary>The ErrorId reason of bad credential arguments: ModelRegistry.Invalid.Credential.</summary>
        public const string Reason = ModelRegistry.Engine.Registry.ErrorIds.Credential;

        /// <summary>
        /// Applies a command's own credential arguments to <paramref name="connection"/> in AWS Tools' order: keys, else
        /// -ProfileName (which drops keys the session carried), else -Credential. With none, the connection keeps what it
        /// had (the session's). -ProfileName and -ProfileLocation always apply (a profile's region counts under keys too).
        /// Bad combinations throw a RegistryException (Invalid).
        /// </summary>
        public static void Apply(RegistryConnection connection, string? accessKey, string? secretKey, string? sessionToken,
            object? credential, string? profileName, string? profileLocation)
        {
            accessKey = Blank(accessKey);
            secretKey = Blank(secretKey);
            sessionToken = Blank(sessionToken);
            if (accessKey != null && secretKey is null)
                throw Invalid("-AccessKey needs -SecretKey (the secret access key of the same key pair).", null);
            if (secretKey != null && accessKey is null)
                throw Invalid("-SecretKey needs -AccessKey (the access key id of the same key pair).", null);
            if (sessionToken != null && accessKey is null)
                throw Invalid("-SessionToken needs -AccessKey and -SecretKey (the temporary keys the token belongs to).", null);
            if (profileLocation != null) connection.ProfileLocation = profileLocation;
            // A profile still names the region (and max_attempts) when keys sign instead of its credentials.
            if (Blank(profileName) != null) connection.ProfileName = profileName!.Trim();
            if (accessKey != null)
                connection.UseKeys(accessKey, secretKey, sessionToken, "-AccessKey");
            else if (Blank(profileName) != null)
                connection.UseKeys(null, null, null, null); // the command's profile over keys the session carried
            else if (credential != null)
            {
                var (key, secret, token) = Read(credential, "-Credential");
                connection.UseKeys(key, secret, token, "-Credential");
            }
        }

        /// <summary>
        /// The session's AWS Tools credentials ($StoredAWSCredentials) for a SageMaker connection that names none of its
        /// own (no keys, no profile): AWS Tools consults them after the command's arguments and before the environment.
        /// </summary>
        public static void ApplyStored(RegistryConnection connection, PSCmdlet cmdlet)
        {
            if (connection.AccessKey != null || connection.ProfileName != null) return;
            var stored = Unwrap(cmdlet.SessionState.PSVariable.GetValue(StoredCredentialsVariable));
            if (stored is null) return;
            var (key, secret, token) = Read(stored, "$" + StoredCredentialsVariable);
            connection.UseKeys(key, secret, token, "$" + StoredCredentialsVariable);
        }

        /// <summary>The session's AWS Tools region ($StoredAWSRegion, a region name), or null.</summary>
        public static string? StoredRegion(PSCmdlet cmdlet) =>
            Blank(Unwrap(cmdlet.SessionState.PSVariable.GetValue(StoredRegionVariable))?.ToString());

        /// <summary>
        /// The keys of a credentials object: an AWS Tools / AWS SDK AWSCredentials (its public GetCredentials(), whose
        /// result has AccessKey, SecretKey and Token), what $StoredAWSCredentials holds (AWS Tools' AWSPSCredentials, its
        /// AWSCredentials in a non-public Credentials property), STS credentials (Use-STSRole's .Credentials: AccessKeyId,
        /// SecretAccessKey, SessionToken), or a PSCredential (user name: access key id; password: secret key).
        /// </summary>
        internal static (string AccessKey, string SecretKey, string? Token) Read(object value, string what)
        {
            var o = Unwrap(value) ?? throw Invalid($"{what} is empty.", null);
            if (o is PSCredential ps)
                return Keys(ps.UserName, ps.GetNetworkCredential()?.Password, null, what, "a PSCredential whose user name is the access key id and password the secret key");
            var type = o.GetType();
            var getCredentials = type.GetMethod("GetCredentials", BindingFlags.Public | BindingFlags.Instance, null, Type.EmptyTypes, null);
            if (getCredentials != null)
            {
                object? immutable;
                try
                {
                    immutable = getCredentials.Invoke(o, null);
                }
                catch (TargetInvocationException e) when (e.InnerException != null)
                {
                    throw new RegistryException(RegistryErrorKind.Invalid,
                        $"{what} ({type.FullName}) could not give its keys: {e.InnerException.Message}", null, inner: e.InnerException, reason: Reason);
                }
                return Keys(Property(immutable, "AccessKey"), Property(immutable, "SecretKey"), Property(immutable, "Token"), what,
                    $"{type.FullName}.GetCredentials() returned no access key and secret key");
            }
            if (Property(o, "AccessKeyId") is string id)
                return Keys(id, Property(o, "SecretAccessKey"), Property(o, "SessionToken"), what, "STS credentials need AccessKeyId and SecretAccessKey");
            // AWS Tools' AWSPSCredentials keeps its AWSCredentials in an internal property.
            var inner = type.GetProperty("Credentials", BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic)?.GetValue(o);
            if (inner != null && !ReferenceEquals(inner, o)) return Read(inner, what);
            throw Invalid($"{what} takes AWS credentials: an AWSCredentials object (New-AWSCredential, Get-AWSCredential; it has " +
                          "GetCredentials()), STS credentials ((Use-STSRole …).Credentials), or a PSCredential (user name: access key id, " +
                          $"password: secret key). A {type.FullName} is none of these.", null);
        }

        private static (string, string, string?) Keys(string? accessKey, string? secretKey, string? token, string what, string shape)
        {
            if (Blank(accessKey) is null || Blank(secretKey) is null)
                throw Invalid($"{what} has no access key and secret key ({shape}).", null);
            return (accessKey!, secretKey!, Blank(token));
        }

        private static string? Property(object? o, string name) =>
            o?.GetType().GetProperty(name, BindingFlags.Public | BindingFlags.Instance)?.GetValue(o) as string;

        private static object? Unwrap(object? value) => value is PSObject pso ? pso.BaseObject : value;

        private static string? Blank(string? s) => string.IsNullOrWhiteSpace(s) ? null : s!.Trim();

        private static RegistryException Invalid(string message, string? target) =>
            new RegistryException(RegistryErrorKind.Invalid, message, target, reason: Reason);
    }
}
