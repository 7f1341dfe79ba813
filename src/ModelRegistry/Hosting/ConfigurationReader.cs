using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Linq;
using System.IO;
using System.Management.Automation;
using ModelRegistry.Engine.Config;

namespace ModelRegistry.Hosting
{
    /// <summary>
    /// Reads .env.shared for a cmdlet the one way: the path resolved against the session (its default when none
    /// is given), each warning written as a warning and each problem as a non-terminating error naming file,
    /// line and key. Returns null, after reporting why, when the file cannot be read at all.
    /// </summary>
    internal static class ConfigurationReader
    {
        public static ProjectCatalog? Load(PSCmdlet cmdlet, string? path, IEnumerable<string>? teams = null,
            IEnumerable<string>? projects = null, bool terminating = false)
        {
            var full = cmdlet.SessionState.Path.GetUnresolvedProviderPathFromPSPath(SessionSettings.ConfigPathOr(path));
            ProjectCatalog catalog;
            try
            {
                catalog = ProjectCatalog.Load(full, teams, projects);
            }
            catch (Exception ex)
            {
                if (terminating) cmdlet.ThrowTerminatingError(ErrorRecords.From(ex, full));
                cmdlet.WriteError(ErrorRecords.From(ex, full));
                return null;
            }
            foreach (var warning in catalog.Warnings) cmdlet.WriteWarning(warning);
            foreach (var problem in catalog.Problems) cmdlet.WriteError(ErrorRecords.From(problem, full));
            if (catalog.Enabled) WriteUnmatched(cmdlet, catalog, full);
            return catalog;
        }

        /// <summary>
        /// An exact -Team or -Project that matches nothing is an error naming what exists (a typo in a job must not
        /// pass as "nothing to do"); a wildcard that matches nothing is silent, as PowerShell's own filters are.
        /// </summary>
        private static void WriteUnmatched(PSCmdlet cmdlet, ProjectCatalog catalog, string path)
        {
            foreach (var team in catalog.UnmatchedTeamPatterns.Where(t => !WildcardPattern.ContainsWildcardCharacters(t)))
            {
                var known = catalog.AllProjects.Select(p => p.Team).Distinct(StringComparer.OrdinalIgnoreCase).ToList();
                cmdlet.WriteError(ErrorRecords.From(new RegistryException(RegistryErrorKind.NotFound,
                    $"No team '{team}' in {path}. Teams there: {Names(known)}.", team, reason: "NoSuchTeam"), team));
            }
            foreach (var project in catalog.UnmatchedProjectPatterns.Where(p => !WildcardPattern.ContainsWildcardCharacters(p)))
            {
                var teams = catalog.UnmatchedTeamPatterns.Count == 0 && catalog.Projects.Count > 0
                    ? catalog.Projects.Select(p => p.Team).Distinct(StringComparer.OrdinalIgnoreCase).ToList()
                    : null;
                var pool = catalog.AllProjects.Where(p => teams is null || teams.Contains(p.Team, StringComparer.OrdinalIgnoreCase));
                var known = pool.Select(p => p.Project).Distinct(StringComparer.OrdinalIgnoreCase).ToList();
                cmdlet.WriteError(ErrorRecords.From(new RegistryException(RegistryErrorKind.NotFound,
                    $"No project '{project}' in {path}{(teams is null ? "" : " for team(s) " + string.Join(", ", teams))}. Projects there: {Names(known)}.",
                    project, reason: "NoSuchProject"), project));
            }
        }

        private static string Names(IReadOnlyCollection<string> names) =>
            names.Count == 0 ? "none" : string.Join(", ", names.Take(20)) + (names.Count > 20 ? $" … ({names.Count} in all)" : "");

        /// <summary>
        /// The configuration a command reads when it was given no input at all (no pipeline, no parameters): the
        /// session's file (Set-MRConfiguration -ConfigPath), else ./.env.shared. Neither existing is a terminating
        /// ConfigNotFound error — never a prompt, so a job without a console cannot hang on one.
        /// </summary>
        public static ProjectCatalog? LoadWithoutInput(PSCmdlet cmdlet, string commandName)
        {
            var full = cmdlet.SessionState.Path.GetUnresolvedProviderPathFromPSPath(SessionSettings.ConfigPathOr(null));
            if (!System.IO.File.Exists(full))
                cmdlet.ThrowTerminatingError(ErrorRecords.ConfigNotFound(
                    $"{commandName} was given no input, so it reads the session's configuration file, and {full} does not exist" +
                    (SessionSettings.Current.ConfigPath is null ? " (no file was set with Set-MRConfiguration -ConfigPath)" : "") +
                    $". Pipe TeamProject objects (Get-MRProject), name the groups, or set the file with Set-MRConfiguration -ConfigPath.", full));
            return Load(cmdlet, full);
        }

        private static readonly ConcurrentDictionary<string, (DateTime Written, long Length, string? Region, string? Account)> Identities =
            new ConcurrentDictionary<string, (DateTime, long, string?, string?)>(StringComparer.Ordinal);

        /// <summary>
        /// AWS_REGION and AWS_ACCOUNT_ID of the session's configuration file (Set-MRConfiguration -ConfigPath, else
        /// ./.env.shared), or nulls when there is none or it cannot be read: what a Local registry not given its own
        /// region and account speaks. Read again only when the file changes.
        /// </summary>
        public static (string? Region, string? Account) SessionFileIdentity(PSCmdlet cmdlet)
        {
            string full;
            try
            {
                full = cmdlet.SessionState.Path.GetUnresolvedProviderPathFromPSPath(SessionSettings.ConfigPathOr(null));
                var info = new FileInfo(full);
                if (!info.Exists) return (null, null);
                if (Identities.TryGetValue(full, out var known) && known.Written == info.LastWriteTimeUtc && known.Length == info.Length)
                    return (known.Region, known.Account);
                var settings = ProjectCatalog.Load(full).Settings;
                Identities[full] = (info.LastWriteTimeUtc, info.Length, settings.Region, settings.AccountId);
                return (settings.Region, settings.AccountId);
            }
            catch (Exception ex) when (ex is RegistryException || ex is IOException || ex is UnauthorizedAccessException || ex is ArgumentException
                                       || ex is NotSupportedException || ex is SessionStateException)
            {
                return (null, null);
            }
        }
    }
}
