using System;
using System.Collections.Concurrent;
using System.IO;
using System.Threading;
using System.Threading.Tasks;
using ModelRegistry.Engine.Registry.Local;
using ModelRegistry.Engine.Registry.SageMaker;

namespace ModelRegistry.Engine.Registry
{
    /// <summary>
    /// Opens registries and keeps them for the process: a SageMaker client is costly to build and thread-safe
    /// to share, and the account check then runs once per endpoint rather than once per command.
    /// </summary>
    public static class RegistryFactory
    {
        private static readonly ConcurrentDictionary<string, Lazy<IModelRegistry>> Open =
            new ConcurrentDictionary<string, Lazy<IModelRegistry>>(StringComparer.Ordinal);

        private static readonly ConcurrentDictionary<string, Lazy<Task<string?>>> CallerAccounts =
            new ConcurrentDictionary<string, Lazy<Task<string?>>>(StringComparer.Ordinal);

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

        /// <summary>
        /// The wrong-account guard of the seed's common.sh: refuses to act when the caller's account is not the
        /// configured AWS_ACCOUNT_ID. Asked once per registry (endpoint, region, profile) in a process.
        /// </summary>
        public static async Task EnsureAccountAsync(RegistryConnection options, string? expectedAccount, CancellationToken ct)
        {
            if (string.IsNullOrEmpty(expectedAccount) || options.Backend != RegistryBackend.SageMaker) return;
            var registry = Get(options);
            var lazy = CallerAccounts.GetOrAdd(Key(options), _ => new Lazy<Task<string?>>(() => registry.GetCallerAccountAsync(CancellationToken.None)));
            string? actual;
            try
            {
                actual = await lazy.Value.ConfigureAwait(false);
            }
            catch
            {
                // Do not cache a failure (a transient network error must not poison the session).
                CallerAccounts.TryRemove(Key(options), out _);
                throw;
            }
            if (actual != null && !string.Equals(actual, expectedAccount, StringComparison.Ordinal))
                throw new RegistryException(RegistryErrorKind.WrongAccount,
                    $"The configuration expects AWS account {expectedAccount} (AWS_ACCOUNT_ID), but the credentials for {registry.Location} act as account {actual}. Nothing was changed.",
                    expectedAccount);
        }

        /// <summary>Forgets open registries and cached account answers (tests, Connect-MRRegistry -Force).</summary>
        public static void Reset()
        {
            foreach (var entry in Open.Values)
                if (entry.IsValueCreated) entry.Value.Dispose();
            Open.Clear();
            CallerAccounts.Clear();
        }

        private static string Key(RegistryConnection o) => o.Backend == RegistryBackend.Local
            ? "local|" + Path.GetFullPath(o.LocalPath ?? ".") + "|" + o.Region + "|" + o.LocalAccountId
            : string.Join("|", "sagemaker", o.Region, o.ProfileName, o.EndpointUrl,
                Environment.GetEnvironmentVariable("AWS_PROFILE"), Environment.GetEnvironmentVariable("AWS_REGION"),
                Environment.GetEnvironmentVariable("AWS_ENDPOINT_URL_SAGEMAKER"), Environment.GetEnvironmentVariable("AWS_ENDPOINT_URL"),
                Environment.GetEnvironmentVariable("AWS_ENDPOINT_URL_STS"));
    }
}
