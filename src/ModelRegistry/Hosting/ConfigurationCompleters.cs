using System;
using System.Collections;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Management.Automation;
using System.Management.Automation.Language;
using System.Threading;
using ModelRegistry.Engine.Config;
using ModelRegistry.Engine.Registry;

namespace ModelRegistry.Hosting
{
    /// <summary>Shared by the completers: matching, quoting, and where the .env.shared of a command line is.</summary>
    internal static class Completion
    {
        public static IEnumerable<CompletionResult> Match(IEnumerable<string> candidates, string? wordToComplete)
        {
            var word = (wordToComplete ?? "").Trim('\'', '"');
            var pattern = new WildcardPattern(WildcardPattern.ContainsWildcardCharacters(word) ? word : word + "*", WildcardOptions.IgnoreCase);
            return candidates.Where(pattern.IsMatch).Distinct(StringComparer.OrdinalIgnoreCase)
                .Select(c => new CompletionResult(Quote(c), c, CompletionResultType.ParameterValue, c));
        }

        // Names here are [a-zA-Z0-9-]; anything else gets single quotes.
        public static string Quote(string value) =>
            value.Length > 0 && value.All(c => char.IsLetterOrDigit(c) || c == '-' || c == '_' || c == '.') ? value : "'" + value.Replace("'", "''") + "'";

        /// <summary>The configuration the command line names (-Path / -ConfigPath), else the session's, else ./.env.shared.</summary>
        public static string ConfigPath(IDictionary? fakeBoundParameters)
        {
            var given = (fakeBoundParameters?["Path"] ?? fakeBoundParameters?["ConfigPath"])?.ToString();
            return FullPath(given ?? SessionSettings.Current.ConfigPath ?? ".env.shared");
        }

        /// <summary>A path from the command line, relative to the prompt's folder.</summary>
        public static string FullPath(string path) => Path.IsPathRooted(path) ? path : Path.Combine(CurrentFolder(), path);

        // The prompt's folder, not the process's: completers run inside the runspace's pipeline, so ask it.
        private static string CurrentFolder()
        {
            try
            {
                using var ps = PowerShell.Create(RunspaceMode.CurrentRunspace);
                var location = ps.AddCommand("Get-Location").AddParameter("PSProvider", "FileSystem").Invoke<PathInfo>();
                if (location.Count > 0) return location[0].ProviderPath;
            }
            catch (Exception)
            {
                // fall through to the process's folder
            }
            return Directory.GetCurrentDirectory();
        }

        public static IReadOnlyList<TeamProject> Projects(IDictionary? fakeBoundParameters)
        {
            try
            {
                var path = ConfigPath(fakeBoundParameters);
                return File.Exists(path) ? ProjectCatalog.Load(path).AllProjects : Array.Empty<TeamProject>();
            }
            catch
            {
                return Array.Empty<TeamProject>(); // a broken file completes nothing; the command itself will say why
            }
        }
    }

    /// <summary>Team ids from .env.shared (TEAMS).</summary>
    public sealed class TeamNameCompleter : IArgumentCompleter
    {
        public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete,
            CommandAst commandAst, IDictionary fakeBoundParameters) =>
            Completion.Match(Completion.Projects(fakeBoundParameters).Select(p => p.Team), wordToComplete);
    }

    /// <summary>Project names from .env.shared ({TEAM}_PROJECTS), narrowed by -Team when it is already on the line.</summary>
    public sealed class ProjectNameCompleter : IArgumentCompleter
    {
        public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete,
            CommandAst commandAst, IDictionary fakeBoundParameters)
        {
            var teams = fakeBoundParameters?["Team"] switch
            {
                string one => new[] { one },
                IEnumerable many => many.Cast<object>().Select(o => o.ToString()).ToArray(),
                _ => null,
            };
            var projects = Completion.Projects(fakeBoundParameters)
                .Where(p => teams is null || teams.Any(t => new WildcardPattern(t ?? "*", WildcardOptions.IgnoreCase).IsMatch(p.Team)));
            return Completion.Match(projects.Select(p => p.Project), wordToComplete);
        }
    }

    /// <summary>Endpoint names from the session's registry, cached briefly.</summary>
    public sealed class EndpointNameCompleter : IArgumentCompleter
    {
        private static readonly CompletionCache Cache = new CompletionCache();

        public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete,
            CommandAst commandAst, IDictionary fakeBoundParameters) =>
            Completion.Match(Cache.Get(connection =>
            {
                using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(3));
                var target = RegistryFactory.Get(connection).Deployments;
                return RegistryExtensions.EnumeratePages("ListEndpoints", token => target.ListEndpointsAsync(null, token, RegistryExtensions.MaxPageSize, timeout.Token),
                        damaged: _ => { }) // a damaged record only loses its own name here
                    .Select(e => e.Name).ToList();
            }), wordToComplete);
    }

    /// <summary>Names read from the session's registry, kept for a few seconds so repeated tabs are instant.</summary>
    internal sealed class CompletionCache
    {
        private static readonly TimeSpan KeepFor = TimeSpan.FromSeconds(30);
        private readonly object _gate = new object();
        private string? _key;
        private DateTime _readAt;
        private IReadOnlyList<string> _names = Array.Empty<string>();

        public IReadOnlyList<string> Get(Func<RegistryConnection, IReadOnlyList<string>> read)
        {
            var connection = SessionSettings.Current.Connection ?? new RegistryConnection();
            var key = connection.ToString();
            lock (_gate)
                if (_key == key && DateTime.UtcNow - _readAt < KeepFor) return _names;
            IReadOnlyList<string> names;
            try
            {
                names = read(connection);
            }
            catch
            {
                return Array.Empty<string>(); // completion never fails the prompt
            }
            lock (_gate)
            {
                _key = key;
                _readAt = DateTime.UtcNow;
                _names = names;
            }
            return names;
        }
    }
}
