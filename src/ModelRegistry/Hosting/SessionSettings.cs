using System.Management.Automation.Runspaces;
using System.Runtime.CompilerServices;

namespace ModelRegistry.Hosting
{
    /// <summary>Per-runspace defaults set by Connect-MRRegistry: each runspace (and each test) has its own.</summary>
    internal sealed class SessionSettings
    {
        private static readonly ConditionalWeakTable<Runspace, SessionSettings> ByRunspace =
            new ConditionalWeakTable<Runspace, SessionSettings>();

        private static readonly SessionSettings NoRunspace = new SessionSettings();

        /// <summary>The registry chosen with Connect-MRRegistry; null means SageMaker resolved the AWS way.</summary>
        public RegistryConnection? Connection { get; set; }

        /// <summary>The .env.shared that commands read when no -Path names one (Set-MRConfiguration).</summary>
        public string? ConfigPath { get; set; }

        /// <summary>The configuration file a command reads: the one it was given, else the session's, else ./.env.shared.</summary>
        public static string ConfigPathOr(string? given) => given ?? Current.ConfigPath ?? ".env.shared";

        public static SessionSettings Current
        {
            get
            {
                var runspace = Runspace.DefaultRunspace;
                return runspace is null ? NoRunspace : ByRunspace.GetValue(runspace, _ => new SessionSettings());
            }
        }
    }
}
