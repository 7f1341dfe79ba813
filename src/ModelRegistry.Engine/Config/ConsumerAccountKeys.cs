using System;
using System.Collections.Generic;
using System.Linq;

namespace ModelRegistry.Engine.Config
{
    /// <summary>
    /// The consumer accounts of <c>.env.shared</c>: MODEL_REGISTRY_CONSUMER_ACCOUNTS for every team, then
    /// {TEAM}_CONSUMER_ACCOUNTS (space-separated 12-digit ids) — the accounts a team's groups are shared with. An id that
    /// is not 12 digits is a problem on its line (file:line:key) and is left out.
    /// </summary>
    internal sealed class ConsumerAccountKeys
    {
        /// <summary>The key naming the accounts that consume every team's models.</summary>
        public const string AllTeamsKey = "MODEL_REGISTRY_CONSUMER_ACCOUNTS";
        public const string Suffix = "_CONSUMER_ACCOUNTS";

        private readonly EnvFile _file;
        private readonly Action<string, int, string> _problem;
        private List<string>? _allTeams;

        /// <param name="file">The parsed file.</param>
        /// <param name="problem">Records a problem: key, line, message.</param>
        public ConsumerAccountKeys(EnvFile file, Action<string, int, string> problem)
        {
            _file = file;
            _problem = problem;
        }

        /// <summary>Any consumer accounts key is present, even empty: the file manages its groups' sharing.</summary>
        public bool AnyPresent => _file.Keys.Any(k => k.EndsWith(Suffix, StringComparison.Ordinal));

        /// <summary>The accounts a team (upper-case id) shares with: every team's first, then its own, each once.</summary>
        public IReadOnlyList<string> For(string upperTeam)
        {
            _allTeams ??= Read(AllTeamsKey);
            var all = new List<string>(_allTeams);
            foreach (var id in Read(upperTeam + Suffix))
                if (!all.Contains(id)) all.Add(id);
            return all;
        }

        /// <summary>The team a {TEAM}_CONSUMER_ACCOUNTS key names; null for other keys and the all-teams key.</summary>
        public static string? TeamOf(string key) =>
            key.EndsWith(Suffix, StringComparison.Ordinal) && key.Length > Suffix.Length && key != AllTeamsKey
                ? key.Substring(0, key.Length - Suffix.Length)
                : null;

        private List<string> Read(string key)
        {
            var result = new List<string>();
            if (!_file.TryGet(key, out var entry)) return result;
            foreach (var id in entry.Value.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries))
            {
                if (!Naming.IsAccountId(id))
                    _problem(key, entry.Line, $"'{id}' is not an AWS account id (12 digits); it is left out of the groups' sharing policy");
                else if (!result.Contains(id))
                    result.Add(id);
            }
            return result;
        }
    }
}
