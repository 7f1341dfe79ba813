using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Management.Automation;
using ModelRegistry.Engine.Config;
using ModelRegistry.Engine.Metrics;

namespace ModelRegistry.Hosting
{
    /// <summary>
    /// The approval rules a command applies: -Require (parsed before any call; a bad rule is a terminating error), else
    /// each team's {TEAM}_APPROVAL_REQUIRE from the session's .env.shared for that team's groups. A configuration whose
    /// approval rules do not parse stops the command (file:line:key): a typo must never approve ungated.
    /// </summary>
    internal static class ApprovalRules
    {
        public static IReadOnlyList<MetricRule>? ParseRequire(PSCmdlet cmdlet, string[]? require)
        {
            if (require is null) return null;
            var rules = new List<MetricRule>();
            foreach (var text in require)
            {
                try
                {
                    rules.Add(MetricRule.Parse(text));
                }
                catch (ArgumentException e)
                {
                    cmdlet.ThrowTerminatingError(ErrorRecords.Invalid($"-Require: {e.Message}. Nothing was changed.", text, "ModelRegistry.Invalid.Rule"));
                }
            }
            if (rules.Count == 0)
                cmdlet.ThrowTerminatingError(ErrorRecords.Invalid("-Require names no rules.", null, "ModelRegistry.Invalid.Rule"));
            return rules;
        }

        /// <summary>Group name → its team's default rules, from the session's configuration file when there is one.</summary>
        public static IReadOnlyDictionary<string, IReadOnlyList<MetricRule>> TeamDefaults(PSCmdlet cmdlet)
        {
            var result = new Dictionary<string, IReadOnlyList<MetricRule>>(StringComparer.OrdinalIgnoreCase);
            var path = cmdlet.SessionState.Path.GetUnresolvedProviderPathFromPSPath(SessionSettings.ConfigPathOr(null));
            if (!File.Exists(path)) return result;
            ProjectCatalog catalog;
            try
            {
                catalog = ProjectCatalog.Load(path);
            }
            catch (Exception ex)
            {
                cmdlet.ThrowTerminatingError(ErrorRecords.From(ex, path));
                return result;
            }
            var bad = catalog.Problems.FirstOrDefault(p => p.Key != null && p.Key.EndsWith("_APPROVAL_REQUIRE", StringComparison.Ordinal));
            if (bad != null)
                cmdlet.ThrowTerminatingError(ErrorRecords.From(bad, path));
            foreach (var project in catalog.AllProjects)
                if (project.ApprovalRequire.Count > 0)
                    result[project.GroupName] = project.ApprovalRequire.Select(MetricRule.Parse).ToList();
            return result;
        }
    }
}
