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
