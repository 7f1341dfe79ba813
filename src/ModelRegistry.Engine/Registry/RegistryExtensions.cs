using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;

namespace ModelRegistry.Engine.Registry
{
    /// <summary>Walks every page of a listing, so callers never handle tokens.</summary>
    public static class RegistryExtensions
    {
        public const int MaxPageSize = 100;

        /// <summary>Every group (optionally whose name contains <paramref name="nameContains"/>), page by page.</summary>
        public static IEnumerable<ModelGroup> EnumerateGroups(this IModelRegistry registry, string? nameContains, CancellationToken ct)
        {
            string? token = null;
            do
            {
                var page = registry.ListGroupsAsync(nameContains, token, MaxPageSize, ct).GetAwaiter().GetResult();
                foreach (var group in page.Items) yield return group;
                token = page.NextToken;
            } while (!string.IsNullOrEmpty(token));
        }

        /// <summary>Every version matching the query, page by page: the first item is yielded as soon as the first page arrives.</summary>
        public static IEnumerable<ModelVersion> EnumerateVersions(this IModelRegistry registry, VersionQuery query, CancellationToken ct)
        {
            string? token = null;
            do
            {
                var page = registry.ListVersionsAsync(query, token, ct).GetAwaiter().GetResult();
                foreach (var version in page.Items) yield return version;
                token = page.NextToken;
            } while (!string.IsNullOrEmpty(token));
        }

        public static async Task<List<ModelVersion>> ListAllVersionsAsync(this IModelRegistry registry, VersionQuery query, CancellationToken ct)
        {
            var all = new List<ModelVersion>();
            string? token = null;
            do
            {
                var page = await registry.ListVersionsAsync(query, token, ct).ConfigureAwait(false);
                all.AddRange(page.Items);
                token = page.NextToken;
            } while (!string.IsNullOrEmpty(token));
            return all;
        }

        public static async Task<List<ModelGroup>> ListAllGroupsAsync(this IModelRegistry registry, string? nameContains, CancellationToken ct)
        {
            var all = new List<ModelGroup>();
            string? token = null;
            do
            {
                var page = await registry.ListGroupsAsync(nameContains, token, MaxPageSize, ct).ConfigureAwait(false);
                all.AddRange(page.Items);
                token = page.NextToken;
            } while (!string.IsNullOrEmpty(token));
            return all;
        }
    }
}
