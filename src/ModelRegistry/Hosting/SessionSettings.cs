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

        /// <summary>The session's registry as commands that name no other use it: a copy, a Local registry's region and
        /// account filled in from the session's configuration file where Connect-MRRegistry gave none.</summary>
        public static RegistryConnection Effective(System.Management.Automation.PSCmdlet cmdlet) =>
            WithLocalIdentity(Current.Connection?.Clone() ?? new RegistryConnection(), cmdlet);

        /// <summary>Fills in a Local registry's missing region and account from the session's configuration file
        /// (AWS_REGION, AWS_ACCOUNT_ID); returns the same connection. SageMaker connections are left as they are.</summary>
        public static RegistryConnection WithLocalIdentity(RegistryConnection connection, System.Management.Automation.PSCmdlet cmdlet)
        {
            if (connection.Backend == RegistryBackend.Local && (connection.Region is null || connection.LocalAccountId is null))
            {
                var (region, account) = ConfigurationReader.SessionFileIdentity(cmdlet);
                connection.Region ??= region;
                connection.LocalAccountId ??= account;
            }
            return connection;
        }

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
