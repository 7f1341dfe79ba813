using System;
using System.Collections.Concurrent;
using System.IO;
using ModelRegistry.Engine.Registry.Local;
using ModelRegistry.Engine.Registry.SageMaker;

namespace ModelRegistry.Engine.Registry
{
    /// <summary>
    /// Opens registries and keeps them for the process: a SageMaker client is costly to build and thread-safe
    /// to share, and the account check (<see cref="AccountGuard"/>) then runs once per endpoint rather than once per command.
    /// </summary>
    public static class RegistryFactory
    {
        private static readonly ConcurrentDictionary<string, Lazy<IModelRegistry>> Open =
            new ConcurrentDictionary<string, Lazy<IModelRegistry>>(StringComparer.Ordinal);

        public static IModelRegistry Get(RegistryConnection options)
        {
            var key = Key(options);
            var entry = Open.GetOrAdd(key, _ => new Lazy<IModelRegistry>(() => Create(options.Clone())));
            try
            {
                return entry.Value;
            }
            catch
            {
                // A failed open (a profile not there yet, a folder not writable) must not stay failed for the session.
                Open.TryRemove(key, out _);
                throw;
            }
        }

        private static IModelRegistry Create(RegistryConnection options) => options.Backend switch
        {
            RegistryBackend.Local => new LocalRegistry(options),
            _ => new SageMakerRegistry(options),
        };

        /// <summary>Forgets open registries and cached account answers (tests, Connect-MRRegistry -Force).</summary>
        public static void Reset()
        {
            foreach (var entry in Open.Values)
                if (entry.IsValueCreated) entry.Value.Dispose();
            Open.Clear();
            AccountGuard.Reset();
            Metrics.MetricsReader.ResetAll();
        }

        /// <summary>What makes two connections the same registry (the cache key of opened registries and caller accounts):
        /// the credentials too, the command's and the environment's, so the wrong-account guard asks STS again for other
        /// credentials instead of judging them by another's account. Secrets enter the key only as a hash.</summary>
        internal static string Key(RegistryConnection o) => o.Backend == RegistryBackend.Local
            ? "local|" + Path.GetFullPath(o.LocalPath ?? ".") + "|" + o.Region + "|" + o.LocalAccountId
            : string.Join("|", "sagemaker", o.Region, o.ProfileName, o.ProfileLocation, o.EndpointUrl, o.Timeout?.Ticks, Environment.GetEnvironmentVariable("AWS_MAX_ATTEMPTS"),
                Environment.GetEnvironmentVariable("AWS_PROFILE"), Environment.GetEnvironmentVariable("AWS_REGION"),
                Environment.GetEnvironmentVariable("AWS_ENDPOINT_URL_SAGEMAKER"), Environment.GetEnvironmentVariable("AWS_ENDPOINT_URL"),
                Environment.GetEnvironmentVariable("AWS_ENDPOINT_URL_STS"), Environment.GetEnvironmentVariable("AWS_SHARED_CREDENTIALS_FILE"),
                Environment.GetEnvironmentVariable("AWS_CONFIG_FILE"), o.AccessKey, Hash(o.SecretKey, o.SessionToken),
                Environment.GetEnvironmentVariable("AWS_ACCESS_KEY_ID"),
                Hash(Environment.GetEnvironmentVariable("AWS_SECRET_ACCESS_KEY"), Environment.GetEnvironmentVariable("AWS_SESSION_TOKEN")));

        private static string Hash(string? secret, string? token)
        {
            if (secret is null && token is null) return "";
            using var sha = System.Security.Cryptography.SHA256.Create();
            return Convert.ToBase64String(sha.ComputeHash(System.Text.Encoding.UTF8.GetBytes(secret + "\n" + token)));
        }
    }
}
