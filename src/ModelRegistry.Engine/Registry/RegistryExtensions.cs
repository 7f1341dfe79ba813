using System;
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
        public static IEnumerable<ModelGroup> EnumerateGroups(this IModelRegistry registry, string? nameContains, CancellationToken ct) =>
            EnumeratePages(token => registry.ListGroupsAsync(nameContains, token, MaxPageSize, ct));

        /// <summary>Every version matching the query, page by page: the first item is yielded as soon as the first page arrives.</summary>
        public static IEnumerable<ModelVersion> EnumerateVersions(this IModelRegistry registry, VersionQuery query, CancellationToken ct) =>
            EnumeratePages(token => registry.ListVersionsAsync(query, token, ct));

        public static Task<List<ModelVersion>> ListAllVersionsAsync(this IModelRegistry registry, VersionQuery query, CancellationToken ct) =>
            AllPagesAsync(token => registry.ListVersionsAsync(query, token, ct));

        public static Task<List<ModelGroup>> ListAllGroupsAsync(this IModelRegistry registry, string? nameContains, CancellationToken ct) =>
            AllPagesAsync(token => registry.ListGroupsAsync(nameContains, token, MaxPageSize, ct));

        /// <summary>The one page walk, streaming: <paramref name="page"/> fetches the page after a token (null: the first).</summary>
        public static IEnumerable<T> EnumeratePages<T>(Func<string?, Task<Page<T>>> page)
        {
            string? token = null;
            do
            {
                var p = page(token).GetAwaiter().GetResult();
                foreach (var item in p.Items) yield return item;
                token = p.NextToken;
            } while (!string.IsNullOrEmpty(token));
        }

        /// <summary>The one page walk, collecting every item.</summary>
        public static async Task<List<T>> AllPagesAsync<T>(Func<string?, Task<Page<T>>> page)
        {
            var all = new List<T>();
            string? token = null;
            do
            {
                var p = await page(token).ConfigureAwait(false);
                all.AddRange(p.Items);
                token = p.NextToken;
            } while (!string.IsNullOrEmpty(token));
            return all;
        }
    }
}
