using System;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;

namespace ModelRegistry.Engine.Registry
{
    /// <summary>Walks every page of a listing, so callers never handle tokens.</summary>
    /// <remarks>
    /// Every walk ends: a page token seen before in the same walk (a service repeating itself, or cycling) and a walk past
    /// <see cref="MaxPages"/> pages are BadReply errors naming the operation. The walk keeps only the set of tokens seen.
    /// A record a page could not read (<see cref="Page{T}.Damaged"/>) goes to the caller's <c>damaged</c> callback and
    /// the walk goes on; without a callback the walk hands out every readable item, then throws the first such error,
    /// so a caller that needs the whole listing never acts on part of it unawares.
    /// </remarks>
    public static class RegistryExtensions
    {
        public const int MaxPageSize = 100;

        /// <summary>More pages than any real listing has (10 million items at 100 a page): past it, a walk stops.</summary>
        public const int MaxPages = 100_000;

        /// <summary>Every group (optionally whose name contains <paramref name="nameContains"/>), page by page.</summary>
        public static IEnumerable<ModelGroup> EnumerateGroups(this IModelRegistry registry, string? nameContains, CancellationToken ct,
            Action<RegistryException>? damaged = null) =>
            EnumeratePages("ListModelPackageGroups", token => registry.ListGroupsAsync(nameContains, token, MaxPageSize, NameOrder.Ascending, ct), damaged);

        /// <summary>Every version matching the query, page by page: the first item is yielded as soon as the first page arrives.</summary>
        public static Task<List<ModelVersion>> ListAllVersionsAsync(this IModelRegistry registry, VersionQuery query, CancellationToken ct) =>
            AllPagesAsync("ListModelPackages", token => registry.ListVersionsAsync(query, token, ct));

        public static Task<List<ModelGroup>> ListAllGroupsAsync(this IModelRegistry registry, string? nameContains, CancellationToken ct) =>
            AllPagesAsync("ListModelPackageGroups", token => registry.ListGroupsAsync(nameContains, token, MaxPageSize, NameOrder.Ascending, ct));

        /// <summary>The one page walk, streaming: <paramref name="page"/> fetches the page after a token (null: the first);
        /// <paramref name="operation"/> names the listing in errors (AWS operation name).</summary>
        public static IEnumerable<T> EnumeratePages<T>(string operation, Func<string?, Task<Page<T>>> page,
            Action<RegistryException>? damaged = null)
        {
            var walk = new PageWalk(operation);
            RegistryException? firstDamaged = null;
            string? token = null;
            do
            {
                var p = page(token).GetAwaiter().GetResult();
                foreach (var item in p.Items) yield return item;
                foreach (var e in p.Damaged)
                {
                    if (damaged != null) damaged(e);
                    else firstDamaged ??= e;
                }
                token = walk.Next(p.NextToken);
            } while (token != null);
            if (firstDamaged != null) throw firstDamaged;
        }

        /// <summary>The one page walk, collecting every item; any damaged record fails the whole listing.</summary>
        public static async Task<List<T>> AllPagesAsync<T>(string operation, Func<string?, Task<Page<T>>> page)
        {
            var walk = new PageWalk(operation);
            var all = new List<T>();
            string? token = null;
            do
            {
                var p = await page(token).ConfigureAwait(false);
                if (p.Damaged.Count > 0) throw p.Damaged[0];
                all.AddRange(p.Items);
                token = walk.Next(p.NextToken);
            } while (token != null);
            return all;
        }

        /// <summary>The tokens of one listing so far: says whether there is a next page, and refuses a walk that would not end.</summary>
        public sealed class PageWalk
        {
            private readonly string _operation;
            private readonly HashSet<string> _seen = new HashSet<string>(StringComparer.Ordinal);
            private int _pages;

            public PageWalk(string operation) { _operation = operation; }

            /// <summary>The token to ask for next, or null when the listing is complete. Throws BadReply for a token this
            /// listing handed out before (any earlier page, not just the last) and past <see cref="MaxPages"/> pages.</summary>
            public string? Next(string? nextToken)
            {
                _pages++;
                if (string.IsNullOrEmpty(nextToken)) return null;
                if (!_seen.Add(nextToken!))
                    throw new RegistryException(RegistryErrorKind.BadReply,
                        $"{_operation} returned a NextToken it had already returned in this listing (after page {_pages}); " +
                        "the listing would never end, so it was stopped.", _operation);
                if (_pages >= MaxPages)
                    throw new RegistryException(RegistryErrorKind.BadReply,
                        $"{_operation} still had more pages after {MaxPages} pages; the listing was stopped.", _operation);
                return nextToken;
            }
        }
    }
}
