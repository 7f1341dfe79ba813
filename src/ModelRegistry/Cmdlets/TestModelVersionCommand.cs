using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using ModelRegistry.Engine.Metrics;
using ModelRegistry.Hosting;

namespace ModelRegistry.Cmdlets
{
    /// <summary>
    /// <para type="synopsis">Judges model versions against approval rules on their metrics, without changing anything: one row per rule.</para>
    /// <para type="description">The dry run of Approve-MRModelVersion -Require: reads each version as it is now and its metrics (Get-MRModelMetric), and emits one RequirementResult per rule with the actual value, the source it came from and whether it held. A missing metric fails its rule. Without -Require, the rules .env.shared sets for the version's team ({TEAM}_APPROVAL_REQUIRE) apply; a version with no rules at all is an error. Rule syntax: a metric name, one of >= > &lt;= &lt; == !=, and a number ('auc >= 0.90'); anything else is an error before any call. -Quiet returns one Boolean per version: true when every rule held.</para>
    /// <example>
    ///   <code>Get-MRModelVersion rc-fraud-detection -Status PendingManualApproval | Test-MRModelVersion -Require 'auc >= 0.90', 'f1 >= 0.80'</code>
    ///   <para>Which rules each pending version meets, and its values.</para>
    /// </example>
    /// <example>
    ///   <code>if (Test-MRModelVersion rc-fraud-detection -Version 4 -Require 'auc >= 0.9' -Quiet) { 'ready for review' }</code>
    ///   <para>A check a pipeline can branch on.</para>
    /// </example>
    /// </summary>
    [Cmdlet(VerbsDiagnostic.Test, "MRModelVersion", DefaultParameterSetName = ByVersion)]
    [OutputType(typeof(RequirementResult), typeof(bool))]
    public sealed class TestModelVersionCommand : MetricsCmdlet
    {
        private IReadOnlyList<MetricRule>? _require;
        private IReadOnlyDictionary<string, IReadOnlyList<MetricRule>>? _defaults;

        /// <summary>Rules to judge, e.g. 'auc >= 0.90', 'f1 >= 0.80'; without it, the team's {TEAM}_APPROVAL_REQUIRE.</summary>
        [Parameter]
        [ValidateNotNullOrEmpty]
        public string[]? Require { get; set; }

        /// <summary>One Boolean per version (every rule held) instead of the rows.</summary>
        [Parameter]
        public SwitchParameter Quiet { get; set; }

        protected override bool ReadFresh => true;

        protected override void BeginProcessing()
        {
            _require = ApprovalRules.ParseRequire(this, Require);
            _defaults = _require is null ? ApprovalRules.TeamDefaults(this) : null;
        }

        protected override void OnRead(ModelVersion version, IReadOnlyList<ModelMetric> metrics)
        {
            IReadOnlyList<MetricRule>? rules = _require;
            if (rules is null && _defaults != null && _defaults.TryGetValue(version.GroupName, out var teamRules)) rules = teamRules;
            if (rules is null || rules.Count == 0)
            {
                WriteFailure(new RegistryException(RegistryErrorKind.Invalid,
                    $"No approval rules for '{version.GroupName}': pass -Require, or set {{TEAM}}_APPROVAL_REQUIRE in .env.shared for its team.", version.Arn),
                    version);
                return;
            }
            var results = Requirements.Evaluate(version, metrics, rules);
            if (Quiet) WriteObject(results.All(r => r.Passed));
            else foreach (var r in results) WriteObject(r);
        }
    }
}
