using System;
using System.Threading;
using System.Threading.Tasks;

namespace ModelRegistry.Engine.Registry
{
    /// <summary>Finds a version registered earlier with a given client token (carried in its customer metadata).</summary>
    public static class VersionLookup
    {
        /// <summary>Metadata key under which the module records its client token (exactly-once registration).</summary>
        public const string ClientTokenKey = "modelregistry:client-token";

        // Only moto and the Local registry need this lookup (SageMaker honours ClientToken, so a miss there
        // re-sends the same token and gets the same version back); both run on this machine's clock, so a few
        // seconds of margin is enough and keeps the scan to the versions created since the attempt began.
        private static readonly TimeSpan ClockMargin = TimeSpan.FromSeconds(5);
        private const int MaxVersionsToInspect = 200;

        /// <summary>The version carrying <paramref name="token"/>, created after <paramref name="since"/>; newest
        /// first, bounded. Null when there is none.</summary>
        public static async Task<ModelVersion?> FindByTokenAsync(IModelRegistry registry, string group, string token, DateTime since, CancellationToken ct)
        {
            var after = since - ClockMargin;
            var query = new VersionQuery(group) { Descending = true, CreatedAfter = after };
            var inspected = 0;
            var walk = new RegistryExtensions.PageWalk("ListModelPackages");
            string? next = null;
            do
            {
                var page = await registry.ListVersionsAsync(query, next, ct).ConfigureAwait(false);
                foreach (var summary in page.Items)
                {
                    // Newest first: older than the attempt means ours is not there (if the filter was ignored).
                    if (summary.CreatedUtc.HasValue && summary.CreatedUtc.Value < after) return null;
                    if (++inspected > MaxVersionsToInspect) return null;
                    var full = await registry.GetVersionAsync(summary.Arn, ct).ConfigureAwait(false);
                    if (full?.CustomerMetadata != null && full.CustomerMetadata.TryGetValue(ClientTokenKey, out var t) && t == token)
                        return full;
                }
                next = walk.Next(page.NextToken);
            } while (next != null);
            return null;
        }
    }
}
