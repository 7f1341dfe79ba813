using System;
using System.Collections.Generic;
using System.Linq;
using ModelRegistry.Engine.Config;

namespace ModelRegistry.Engine.DesiredState
{
    /// <summary>
    /// The groups that should exist, plus what a plan needs to judge the groups that are not among them:
    /// which ManagedBy values are ours, which configured groups a filter left out (neither Extra nor Foreign),
    /// and whether the configuration is known to be complete (pruning depends on it).
    /// </summary>
    public sealed class DesiredConfiguration
    {
        private readonly HashSet<string> _outOfScope;

        private DesiredConfiguration(IReadOnlyList<TeamProject> projects, HashSet<string> outOfScope, IReadOnlyList<string> gaps,
            bool sharingConfigured)
        {
            ComparesPolicies = sharingConfigured || projects.Any(p => p.ConsumerAccounts.Count > 0);
            Projects = projects;
            _outOfScope = outOfScope;
            Gaps = gaps;
            ManagedBy = projects.Select(p => p.Tags.TryGetValue("ManagedBy", out var v) ? v : null)
                .Where(v => !string.IsNullOrEmpty(v)).Select(v => v!).Distinct(StringComparer.Ordinal).ToList();
        }

        /// <summary>The configured projects in scope, in configuration order.</summary>
        public IReadOnlyList<TeamProject> Projects { get; }

        /// <summary>The ManagedBy values of the projects in scope: a group carrying one of them is ours.</summary>
        public IReadOnlyList<string> ManagedBy { get; }

        /// <summary>Why the configuration may name fewer groups than intended (file problems, a source that
        /// cannot be re-read). Non-empty means an unconfigured group may only look unconfigured: never prune.</summary>
        public IReadOnlyList<string> Gaps { get; }

        public bool IsComplete => Gaps.Count == 0;

        /// <summary>The configuration manages sharing (a project has consumer accounts, or its file has a consumer accounts key,
        /// even empty): the configured groups' resource policies are compared too. Without it no policy is read, so a
        /// registry or emulator without the policy operations (moto) compares as before.</summary>
        public bool ComparesPolicies { get; }

        /// <summary>Configured in a source file, but left out of this run by a filter (-Team, Where-Object …).</summary>
        public bool IsOutOfScope(string groupName) => _outOfScope.Contains(groupName);

        /// <summary>A whole catalog (e.g. -Path): its selected projects; filtered-out ones are out of scope.</summary>
        public static DesiredConfiguration FromCatalog(ProjectCatalog catalog)
        {
            if (catalog == null) throw new ArgumentNullException(nameof(catalog));
            var outOfScope = Names(catalog.AllProjects);
            outOfScope.ExceptWith(catalog.Projects.Select(p => p.GroupName));
            return new DesiredConfiguration(catalog.Projects, outOfScope, ProblemsOf(catalog), catalog.Settings.SharingConfigured);
        }

        /// <summary>
        /// Projects from a pipeline. A pipeline does not say whether it was filtered (Get-MRProject -Team rc,
        /// Where-Object), and treating the rest of the file as "no longer configured" would prune it. So each
        /// project's source file is read again: its other projects are out of scope, and a file that cannot be
        /// read, or has problems, makes the configuration incomplete.
        /// </summary>
        public static DesiredConfiguration FromProjects(IEnumerable<TeamProject> projects, Func<string, ProjectCatalog>? load = null)
        {
            load ??= path => ProjectCatalog.Load(path);
            var list = new List<TeamProject>();
            var seen = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
            foreach (var p in projects)
                if (p != null && seen.Add(p.GroupName)) list.Add(p);

            var outOfScope = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
            var gaps = new List<string>();
            var sharing = false;
            foreach (var source in list.Select(p => p.SourcePath).Distinct(StringComparer.Ordinal))
            {
                ProjectCatalog catalog;
                try
                {
                    catalog = load(source);
                }
                catch (Exception ex)
                {
                    gaps.Add($"{source}: cannot be read again to see which of its projects were left out ({ex.Message})");
                    continue;
                }
                if (catalog.Problems.Count == 0 && !catalog.Enabled)
                    gaps.Add($"{source}: cannot be read again, or ENABLE_MODEL_REGISTRY is no longer true");
                gaps.AddRange(ProblemsOf(catalog));
                sharing |= catalog.Settings.SharingConfigured;
                outOfScope.UnionWith(catalog.AllProjects.Select(p => p.GroupName).Where(n => !seen.Contains(n)));
            }
            return new DesiredConfiguration(list, outOfScope, gaps, sharing);
        }

        private static HashSet<string> Names(IEnumerable<TeamProject> projects) =>
            new HashSet<string>(projects.Select(p => p.GroupName), StringComparer.OrdinalIgnoreCase);

        private static List<string> ProblemsOf(ProjectCatalog catalog) =>
            catalog.Problems.Count == 0
                ? new List<string>()
                : new List<string> { $"{catalog.Path}: {catalog.Problems.Count} problem(s), first: {catalog.Problems[0].Message}" };
    }
}
