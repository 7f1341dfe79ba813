using System;
using System.Collections;
using System.Collections.Generic;
using System.Diagnostics;
using System.Linq;
using System.Management.Automation;
using System.Management.Automation.Language;
using System.Threading;
using ModelRegistry.Engine.Registry;

namespace ModelRegistry.Hosting
{
    /// <summary>Tab completion of group names from the session's registry, cached briefly so repeated tabs are instant.</summary>
    public sealed class GroupNameCompleter : IArgumentCompleter
    {
        private static readonly TimeSpan CacheFor = TimeSpan.FromSeconds(30);
        private static readonly object Gate = new object();
        private static string? _cachedFor;
        private static List<string> _cached = new List<string>();
        private static readonly Stopwatch Age = new Stopwatch();

        public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete,
            CommandAst commandAst, IDictionary fakeBoundParameters)
        {
            var word = (wordToComplete ?? "").Trim('\'', '"');
            var pattern = new WildcardPattern(word + "*", WildcardOptions.IgnoreCase);
            return Names().Where(pattern.IsMatch).Select(n => new CompletionResult(Quote(n), n, CompletionResultType.ParameterValue, n));
        }

        private static IEnumerable<string> Names()
        {
            var connection = SessionSettings.Current.Connection ?? new RegistryConnection();
            var key = connection.ToString();
            lock (Gate)
            {
                if (_cachedFor == key && Age.Elapsed < CacheFor) return _cached;
            }
            List<string> names;
            try
            {
                // Completion must never hang the prompt: a few seconds at most.
                using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(3));
                names = RegistryFactory.Get(connection).EnumerateGroups(null, timeout.Token).Select(g => g.Name).ToList();
            }
            catch
            {
                return Array.Empty<string>();
            }
            lock (Gate)
            {
                _cachedFor = key;
                _cached = names;
                Age.Restart();
            }
            return names;
        }

        // Group names are [a-zA-Z0-9-]; quote anything else a user might have in a pattern.
        private static string Quote(string name) => name.All(c => char.IsLetterOrDigit(c) || c == '-') ? name : "'" + name.Replace("'", "''") + "'";
    }
}
