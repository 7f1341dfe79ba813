using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using ModelRegistry.Engine.Operations;
using ModelRegistry.Engine.Registry;

namespace ModelRegistry.Engine.Metrics
{
    /// <summary>
    /// The metric requirement on approvals: -Require rules, else the team's {TEAM}_APPROVAL_REQUIRE for the version's group.
    /// It is one of the version guards (<see cref="Guard"/>, reason RequirementNotMet, not overridden by -Force): it judges
    /// the version's metrics as they are now, and a refusal names each failing rule with the actual value. The rules that
    /// held go into that version's approval description (<see cref="Recorded"/>).
    /// </summary>
    public sealed class ApprovalGate
    {
        private readonly MetricsReader _reader;
        private readonly IReadOnlyList<MetricRule>? _require;
        private readonly Dictionary<string, IReadOnlyList<MetricRule>> _teamDefaults;
        // What held, per version ARN, between the guard's check and the update it lets through.
        private readonly ConcurrentDictionary<string, IReadOnlyList<RequirementResult>> _held =
            new ConcurrentDictionary<string, IReadOnlyList<RequirementResult>>(StringComparer.Ordinal);

        /// <param name="reader">Reads the version's metrics.</param>
        /// <param name="require">-Require: applies to every version; null to use the team defaults.</param>
        /// <param name="teamDefaults">Group name (case-insensitive) → its team's default rules.</param>
        public ApprovalGate(MetricsReader reader, IReadOnlyList<MetricRule>? require,
            IReadOnlyDictionary<string, IReadOnlyList<MetricRule>>? teamDefaults)
        {
            _reader = reader ?? throw new ArgumentNullException(nameof(reader));
            _require = require;
            _teamDefaults = new Dictionary<string, IReadOnlyList<MetricRule>>(StringComparer.OrdinalIgnoreCase);
            foreach (var kv in teamDefaults ?? new Dictionary<string, IReadOnlyList<MetricRule>>()) _teamDefaults[kv.Key] = kv.Value;
        }

        /// <summary>True when some version could be gated.</summary>
        public bool HasRules => (_require?.Count ?? 0) > 0 || _teamDefaults.Values.Any(r => r.Count > 0);

        public IReadOnlyList<MetricRule> RulesFor(string groupName) =>
            _require ?? (_teamDefaults.TryGetValue(groupName, out var rules) ? rules : Array.Empty<MetricRule>());

        /// <summary>The gate as a version guard: judged on approvals (any change to Approved, or re-approving).</summary>
        public VersionGuard Guard(IModelRegistry registry) =>
            new VersionGuard(Requirements.NotMetReason, forceOverrides: false, (c, ct) => CheckAsync(registry, c, ct));

        private async Task<string?> CheckAsync(IModelRegistry registry, VersionGuardContext c, CancellationToken ct)
        {
            if (c.Change != VersionChange.Update || c.Update?.Status != ApprovalStatus.Approved) return null;
            var rules = RulesFor(c.Current.GroupName);
            if (rules.Count == 0) return null;
            // The guard's current state may be a listing's summary: the metrics files need the version in full.
            var readout = await _reader.ReadAsync(registry, c.Current, fresh: !c.Current.IsDetailed, ct).ConfigureAwait(false);
            var results = Requirements.Evaluate(readout.Version, readout.Metrics, rules);
            if (results.All(r => r.Passed))
            {
                _held[c.Current.Arn] = results;
                return null;
            }
            _held.TryRemove(c.Current.Arn, out _);
            var refusal = Requirements.FailureText(readout.Version, results);
            // A metric may be missing because its file could not be read: say so in the same error.
            return readout.Failures.Count == 0 ? refusal
                : refusal + "; unreadable metrics: " + string.Join(" ", readout.Failures.Select(f => f.Message.TrimEnd('.')));
        }

        /// <summary>This version's update with the rules and values that held added to its approval description; the update
        /// unchanged when the gate did not judge it. A copy: one update object serves every version of a bulk run.</summary>
        public VersionUpdate Recorded(string arn, VersionUpdate update)
        {
            if (!_held.TryRemove(arn, out var held)) return update;
            return new VersionUpdate
            {
                Status = update.Status,
                ApprovalDescription = Requirements.Describe(update.ApprovalDescription, held),
                CustomerMetadata = update.CustomerMetadata,
                RemoveCustomerMetadata = update.RemoveCustomerMetadata,
                Lifecycle = update.Lifecycle,
            };
        }
    }
}
