using System;
using Amazon;
using Amazon.Runtime;
using Amazon.Runtime.CredentialManagement;
using Amazon.S3;
using Amazon.SecurityToken;

namespace ModelRegistry.Engine.Registry.SageMaker
{
    /// <summary>Test and tuning knobs that are not part of <see cref="RegistryConnection"/>.</summary>
    internal sealed class SageMakerClientSettings
    {
        /// <summary>Explicit credentials (tests); null uses the SDK's chain (profile, environment, …).</summary>
        public AWSCredentials? Credentials { get; set; }
        /// <summary>STS endpoint override; null leaves it to the SDK (AWS_ENDPOINT_URL_STS, AWS_ENDPOINT_URL, default).</summary>
        public string? StsEndpointUrl { get; set; }
        /// <summary>Retries after the first attempt, by the engine's <see cref="RetryPolicy"/> (the SDK's are off),
        /// unless AWS_MAX_ATTEMPTS or the profile's max_attempts says otherwise. Throttles do not count.</summary>
        public int MaxErrorRetry { get; set; } = 5;
        /// <summary>How long one call may keep being throttled (paced and re-sent) before it fails.</summary>
        public TimeSpan ThrottlePatience { get; set; } = RetryPolicy.DefaultThrottlePatience;
        /// <summary>Backoff base after a 5xx or transport failure (5× after throttling); full jitter.</summary>
        public TimeSpan RetryBaseDelay { get; set; } = TimeSpan.FromMilliseconds(100);
        /// <summary>Most calls in flight per registry; the policy halves it while the service throttles.</summary>
        public int MaxConcurrency { get; set; } = 64;
        /// <summary>Per call (one HTTP attempt), unless the connection sets one (-TimeoutSec).</summary>
        public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(30);
        /// <summary>Shared credentials file to read profiles from (tests); null uses the SDK's default locations.</summary>
        public string? ProfilesLocation { get; set; }
        /// <summary>Environment lookup, replaceable so tests need not change the process environment.</summary>
        public Func<string, string?> Environment { get; set; } = System.Environment.GetEnvironmentVariable;
    }

    /// <summary>Region, profile and endpoint resolved the AWS way, and the clients built from them.</summary>
    internal sealed class SageMakerConnection
    {
        /// <summary>How long a connection may take to open (the AWS SDKs' "standard" defaults mode: 3.1 s), at most the
        /// per-call timeout. A dropped connection attempt then fails in seconds and is retried as not sent.</summary>
        internal static readonly TimeSpan ConnectTimeout = TimeSpan.FromMilliseconds(3100);

        /// <summary>
        /// What every client of this connection (SageMaker, STS, S3) shares: each request is sent once, bounded by
        /// <paramref name="callTimeout"/>. Retries belong to the engine's RetryPolicy (see there why); the SDK sends each
        /// request once. MaxStaleConnectionRetries too: the SDK otherwise re-sends up to 10 times, uncounted, on any
        /// connection reset, taking it for a stale pooled connection — including a reset after the service acted (a
        /// create re-sent blindly: a duplicate version on moto, a clobbered group). The SDK's defaults modes name a
        /// connect timeout but apply only one set on the config: without it a connection attempt whose SYN is dropped
        /// waits the whole per-call timeout (30 s), each attempt. (.NET only: Windows PowerShell's HttpClientHandler has
        /// no such setting.)
        /// </summary>
        private static T SendingOnce<T>(T config, TimeSpan callTimeout) where T : ClientConfig
        {
            config.RetryMode = RequestRetryMode.Standard;
            config.MaxErrorRetry = 0;
            config.MaxStaleConnectionRetries = 0;
            config.Timeout = callTimeout;
#if NET
            config.ConnectTimeout = callTimeout < ConnectTimeout ? callTimeout : ConnectTimeout;
#endif
            return config;
        }

        private readonly string? _explicitProfile;
        private readonly string? _profilesLocation;
        private readonly string? _registryEndpoint;
        private readonly SageMakerClientSettings _settings;

        private SageMakerConnection(string region, string? profileName, SageMakerClientConfig config,
            AmazonSecurityTokenServiceConfig stsConfig, AWSCredentials? credentials,
            string? explicitProfile, string? profilesLocation, string? registryEndpoint, SageMakerClientSettings settings, int maxRetries)
        {
            _profilesLocation = profilesLocation;
            MaxRetries = maxRetries;
            Region = region;
            ProfileName = profileName;
            Config = config;
            StsConfig = stsConfig;
            Credentials = credentials;
            _explicitProfile = explicitProfile;
            _registryEndpoint = registryEndpoint;
            _settings = settings;
        }

        public string Region { get; }
        public string? ProfileName { get; }
        public SageMakerClientConfig Config { get; }
        public AmazonSecurityTokenServiceConfig StsConfig { get; }
        public AWSCredentials? Credentials { get; }
        /// <summary>Retries after a failure (not a throttle): AWS_MAX_ATTEMPTS, else the profile's max_attempts
        /// (both count the first attempt, as the AWS SDKs and CLI do), else the settings' default.</summary>
        public int MaxRetries { get; }
        /// <summary>The endpoint actually used when it is not the regional default.</summary>
        public string? EndpointUrl => string.IsNullOrEmpty(Config.ServiceURL) ? null : Config.ServiceURL;

        public static SageMakerConnection Resolve(RegistryConnection options, SageMakerClientSettings settings)
        {
            var env = settings.Environment;
            var explicitProfile = NullIfEmpty(options.ProfileName);
            var profileName = explicitProfile ?? NullIfEmpty(env("AWS_PROFILE"));
            // AWS_SHARED_CREDENTIALS_FILE is read here, per connection: the SDK reads it once per process, so a session that
            // sets it after the first call would otherwise still read the old file. (AWS_CONFIG_FILE it reads each time.)
            var profilesLocation = NullIfEmpty(options.ProfileLocation) ?? settings.ProfilesLocation ?? NullIfEmpty(env("AWS_SHARED_CREDENTIALS_FILE"));
            var store = new CredentialProfileStoreChain(profilesLocation);
            // Keys the command named (-AccessKey, -Credential, $StoredAWSCredentials) come before any profile.
            var credentials = KeysOf(options) ?? settings.Credentials;
            CredentialProfile? profile = null;
            if (profileName != null && !store.TryGetProfile(profileName, out profile))
            {
                // An explicit name that does not exist is a mistake; AWS_PROFILE is the SDK's business
                // (it reports a missing profile when resolving credentials).
                if (explicitProfile != null && credentials is null)
                    throw new RegistryException(RegistryErrorKind.Invalid,
                        $"AWS profile '{profileName}' was not found in " +
                        (profilesLocation is null ? "the shared config/credentials files." : $"{profilesLocation} (-ProfileLocation)."), profileName);
                profile = null;
            }
            if (profile is null && profileName is null)
                store.TryGetProfile("default", out profile);
            // AWS Tools' order after what the command named: the environment's keys, then AWS_PROFILE's or the default
            // profile (read here, so -ProfileLocation counts), then the SDK's chain (container, instance, web identity).
            if (credentials is null && explicitProfile is null)
                credentials = EnvironmentKeys(env) ?? ProfileCredentials(profile, store);

            var region = NullIfEmpty(options.Region)
                ?? NullIfEmpty(env("AWS_REGION"))
                ?? NullIfEmpty(env("AWS_DEFAULT_REGION"))
                ?? profile?.Region?.SystemName;
            if (region is null)
                throw new RegistryException(RegistryErrorKind.Invalid,
                    "No AWS region: pass -Region, set AWS_REGION or AWS_DEFAULT_REGION, or set a region in the AWS profile '" +
                    (profileName ?? "default") + "'.", profileName);

            var maxRetries = settings.MaxErrorRetry;
            var attempts = NullIfEmpty(env("AWS_MAX_ATTEMPTS"));
            if (attempts != null)
            {
                if (!int.TryParse(attempts, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var n) || n < 1)
                    throw new RegistryException(RegistryErrorKind.Invalid,
                        $"AWS_MAX_ATTEMPTS must be a whole number of at least 1 (the attempts of a call, the first included), not '{attempts}'.", "AWS_MAX_ATTEMPTS");
                maxRetries = n - 1;
            }
            else if (profile?.MaxAttempts is int fromProfile)
            {
                if (fromProfile < 1)
                    throw new RegistryException(RegistryErrorKind.Invalid,
                        $"max_attempts in the AWS profile '{profile.Name}' must be at least 1, not {fromProfile}.", profile.Name);
                maxRetries = fromProfile - 1;
            }
            var timeout = options.Timeout ?? settings.Timeout;
            if (timeout <= TimeSpan.Zero)
                throw new RegistryException(RegistryErrorKind.Invalid, $"The timeout must be positive, not {timeout.TotalSeconds} s.", null);

            var config = SendingOnce(new SageMakerClientConfig(), timeout);
            if (explicitProfile != null && profile != null)
                config.Profile = new Profile(explicitProfile, profilesLocation);
            var endpoint = NullIfEmpty(options.EndpointUrl);
            if (endpoint != null)
                config.ServiceURL = endpoint;
            else
                config.RegionEndpoint = RegionEndpoint.GetBySystemName(region);
            // With a ServiceURL (explicit, or the SDK's AWS_ENDPOINT_URL[_SAGEMAKER] / profile lookup) the SDK
            // would derive the signing region from the URL; sign for the resolved region instead.
            config.AuthenticationRegion = region;

            var sts = SendingOnce(new AmazonSecurityTokenServiceConfig(), timeout);
            if (explicitProfile != null && profile != null)
                sts.Profile = new Profile(explicitProfile, profilesLocation);
            if (settings.StsEndpointUrl != null)
                sts.ServiceURL = settings.StsEndpointUrl;
            else
                sts.RegionEndpoint = RegionEndpoint.GetBySystemName(region);
            sts.AuthenticationRegion = region;

            return new SageMakerConnection(region, profileName, config, sts, credentials,
                explicitProfile != null && profile != null ? explicitProfile : null, profilesLocation, endpoint, settings, maxRetries);
        }

        /// <summary>
        /// The S3 client configuration for reading metrics files, from this same resolution: region, profile, timeout,
        /// credentials (<see cref="Credentials"/>). The endpoint is AWS_ENDPOINT_URL_S3, else the registry's own endpoint
        /// when it is an emulator (moto serves S3 on the SageMaker port), else AWS_ENDPOINT_URL, else S3's regional one;
        /// emulators are addressed path-style. Retries belong to the engine's <see cref="RetryPolicy"/>, as for SageMaker.
        /// </summary>
        public AmazonS3Config S3Config()
        {
            var config = SendingOnce(new AmazonS3Config(), _settings.Timeout);
            if (_explicitProfile != null)
                config.Profile = new Profile(_explicitProfile, _profilesLocation);
            var (endpoint, pathStyle) = S3Endpoint(_settings.Environment, _registryEndpoint);
            if (endpoint != null)
            {
                config.ServiceURL = endpoint;
                config.ForcePathStyle = pathStyle;
            }
            else
            {
                config.RegionEndpoint = RegionEndpoint.GetBySystemName(Region);
            }
            config.AuthenticationRegion = Region;
            return config;
        }

        /// <summary>Which S3 endpoint to use (null: the regional default) and whether to address it path-style.</summary>
        internal static (string? Url, bool PathStyle) S3Endpoint(Func<string, string?> env, string? registryEndpoint)
        {
            var url = NullIfEmpty(env("AWS_ENDPOINT_URL_S3"))
                ?? (IsEmulator(registryEndpoint) ? registryEndpoint : null)
                ?? NullIfEmpty(env("AWS_ENDPOINT_URL"));
            return url is null ? (null, false) : (url, IsEmulator(url));
        }

        /// <summary>An endpoint that is not AWS's own (moto, LocalStack, MinIO …): not under amazonaws.com.</summary>
        internal static bool IsEmulator(string? url)
        {
            if (url is null || !Uri.TryCreate(url, UriKind.Absolute, out var uri)) return false;
            var host = uri.Host.ToLowerInvariant();
            return !(host.EndsWith(".amazonaws.com", StringComparison.Ordinal) || host.EndsWith(".amazonaws.com.cn", StringComparison.Ordinal)
                || host.EndsWith(".api.aws", StringComparison.Ordinal));
        }

        /// <summary>The keys the command named (the connection's), or null.</summary>
        private static AWSCredentials? KeysOf(RegistryConnection options) =>
            string.IsNullOrEmpty(options.AccessKey) || string.IsNullOrEmpty(options.SecretKey) ? null
            : string.IsNullOrEmpty(options.SessionToken) ? new BasicAWSCredentials(options.AccessKey, options.SecretKey)
            : new SessionAWSCredentials(options.AccessKey, options.SecretKey, options.SessionToken);

        /// <summary>AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY (with AWS_SESSION_TOKEN), or null when either is missing.</summary>
        private static AWSCredentials? EnvironmentKeys(Func<string, string?> env)
        {
            var accessKey = NullIfEmpty(env("AWS_ACCESS_KEY_ID"));
            var secretKey = NullIfEmpty(env("AWS_SECRET_ACCESS_KEY"));
            if (accessKey is null || secretKey is null) return null;
            var token = NullIfEmpty(env("AWS_SESSION_TOKEN"));
            return token is null ? new BasicAWSCredentials(accessKey, secretKey) : new SessionAWSCredentials(accessKey, secretKey, token);
        }

        /// <summary>The profile's credentials (keys, role, SSO, process …), or null when it has none.</summary>
        private static AWSCredentials? ProfileCredentials(CredentialProfile? profile, ICredentialProfileSource store) =>
            profile != null && profile.CanCreateAWSCredentials ? AWSCredentialsFactory.GetAWSCredentials(profile, store) : null;

        private static string? NullIfEmpty(string? s) => string.IsNullOrWhiteSpace(s) ? null : s!.Trim();
    }
}
