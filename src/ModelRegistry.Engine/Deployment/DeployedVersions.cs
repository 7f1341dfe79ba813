using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using ModelRegistry.Engine.Registry;

namespace ModelRegistry.Engine.Deployment
{
    /// <summary>
    /// Which versions serve an endpoint right now: read once (list endpoints, then endpoint → config → model →
    /// version for each) and shared by every safety check of one command — changing the approval of, removing,
    /// or pruning the group of a deployed version needs -Force. When endpoints cannot be read (AccessDenied for a
    /// least-privilege Approver role, or a failure that outlasted the retries), the checks cannot run:
    /// <see cref="Unavailable"/> says why, so the command warns instead of pretending it checked.
    /// </summary>
    public sealed class DeployedVersions
    {
        private readonly IModelRegistry _registry;
        private readonly SemaphoreSlim _once = new SemaphoreSlim(1, 1);
        private Dictionary<string, List<string>>? _endpointsByVersion;

        public DeployedVersions(IModelRegistry registry) { _registry = registry; }

        private string? _unavailable;
        private volatile bool _consulted;

        /// <summary>Why the index could not be read, or null when it was (or no check has needed it: a read started
        /// early by <see cref="Prefetch"/> that nothing consulted vouched for nothing and failed nothing).</summary>
        public string? Unavailable => _consulted ? _unavailable : null;

        /// <summary>
        /// Starts reading the index in the background, so the first check waits only for what is left of the read
        /// (a bulk approval's first update no longer waits for the endpoints to be listed after its version is read).
        /// A failure here is the check's to report when one consults the index.
        /// </summary>
        public void Prefetch(CancellationToken ct)
        {
            if (_endpointsByVersion != null) return;
            _ = Task.Run(async () =>
            {
                try { await IndexAsync(ct).ConfigureAwait(false); }
                catch (Exception) { } // cancelled, or unforeseen: the check that needs the index reads it again and reports
            }, CancellationToken.None);
        }

        /// <summary>The endpoints serving this version ARN; empty when none (or when the index is unavailable).</summary>
        public async Task<IReadOnlyList<string>> EndpointsServingAsync(string versionArn, CancellationToken ct)
        {
            _consulted = true;
            var index = await IndexAsync(ct).ConfigureAwait(false);
            return index.TryGetValue(versionArn, out var endpoints) ? endpoints : (IReadOnlyList<string>)Array.Empty<string>();
        }

        /// <summary>Each deployed version of a group, with its endpoints.</summary>
        public async Task<IReadOnlyList<(string VersionArn, IReadOnlyList<string> Endpoints)>> InGroupAsync(string groupArnPrefix, CancellationToken ct)
        {
            _consulted = true;
            var index = await IndexAsync(ct).ConfigureAwait(false);
            return index.Where(kv => kv.Key.StartsWith(groupArnPrefix, StringComparison.OrdinalIgnoreCase))
                .Select(kv => (kv.Key, (IReadOnlyList<string>)kv.Value)).ToList();
        }

        private async Task<Dictionary<string, List<string>>> IndexAsync(CancellationToken ct)
        {
            if (_endpointsByVersion != null) return _endpointsByVersion;
            await _once.WaitAsync(ct).ConfigureAwait(false);
            try
            {
                if (_endpointsByVersion != null) return _endpointsByVersion;
                var index = new Dictionary<string, List<string>>(StringComparer.OrdinalIgnoreCase);
                try
                {
                    var operations = new DeploymentOperations(_registry);
                    var names = await Task.Run(() => operations.EnumerateEndpoints(ct).Select(e => e.Name).ToList(), ct).ConfigureAwait(false);
                    foreach (var outcome in operations.DescribeMany(names, Bulk.BulkRunner.DefaultThrottleLimit, ct))
                    {
                        // An endpoint that could not be read might serve any version: the check cannot vouch for anything.
                        if (outcome.Error is RegistryException failed) throw failed;
                        if (outcome.Error != null || outcome.Skipped)
                            throw new RegistryException(RegistryErrorKind.Failed, $"endpoint '{outcome.Input}' could not be read ({outcome.Error?.Message ?? "stopped"})", outcome.Input);
                        // Every version the endpoint serves: any variant, any container.
                        foreach (var arn in outcome.Result?.ModelVersionArns ?? Array.Empty<string>())
                        {
                            if (!index.TryGetValue(arn, out var endpoints)) index[arn] = endpoints = new List<string>();
                            if (!endpoints.Contains(outcome.Input)) endpoints.Add(outcome.Input);
                        }
                    }
                }
                catch (RegistryException ex)
                {
                    _unavailable = "deployments could not be checked (" + ex.Message + ")";
                }
                _endpointsByVersion = index;
                return index;
            }
            finally
            {
                _once.Release();
            }
        }
    }
}
