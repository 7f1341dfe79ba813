using System;
using System.Collections.Generic;
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
            return catalog;
        }

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
    }
}
