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

        /// <summary>What makes two connections the same registry (the cache key of opened registries and caller accounts).</summary>
        internal static string Key(RegistryConnection o) => o.Backend == RegistryBackend.Local
            ? "local|" + Path.GetFullPath(o.LocalPath ?? ".") + "|" + o.Region + "|" + o.LocalAccountId
            : string.Join("|", "sagemaker", o.Region, o.ProfileName, o.EndpointUrl, o.Timeout?.Ticks, Environment.GetEnvironmentVariable("AWS_MAX_ATTEMPTS"),
                Environment.GetEnvironmentVariable("AWS_PROFILE"), Environment.GetEnvironmentVariable("AWS_REGION"),
                Environment.GetEnvironmentVariable("AWS_ENDPOINT_URL_SAGEMAKER"), Environment.GetEnvironmentVariable("AWS_ENDPOINT_URL"),
                Environment.GetEnvironmentVariable("AWS_ENDPOINT_URL_STS"));
    }
}
