using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Management.Automation;
using ModelRegistry.Engine.Config;

namespace ModelRegistry.Hosting
{
    /// <summary>
    /// The lifecycle stages a command judges by: MODEL_LIFECYCLE_STAGES of the session's .env.shared (Set-MRConfiguration
    /// -ConfigPath, else ./.env.shared), the default Development Staging Production when there is no such file or key.
    /// A value that does not parse stops the command (ModelRegistry.Invalid.ConfigInvalid, file:line:key): stages are never guessed.
    /// </summary>
    internal static class StageConfiguration
    {
        public static LifecycleStages Load(PSCmdlet cmdlet)
        {
            var path = cmdlet.SessionState.Path.GetUnresolvedProviderPathFromPSPath(SessionSettings.ConfigPathOr(null));
            if (!File.Exists(path)) return LifecycleStages.Default;
            var file = EnvFile.Load(path);
            var problems = new List<ConfigurationException>();
            var stages = LifecycleStages.From(file, problems);
            if (stages != null) return stages;
            var problem = problems.FirstOrDefault() ?? file.Problems.First(p => p.Key == LifecycleStages.Key);
            cmdlet.ThrowTerminatingError(ErrorRecords.From(problem, path));
            return LifecycleStages.Default; // not reached
        }

        /// <summary>The configured spelling of a stage; a stage the configuration does not list stops the command
        /// (ModelRegistry.Invalid.UnknownStage, naming the stages).</summary>
        public static string Resolve(PSCmdlet cmdlet, string stage)
        {
            var stages = Load(cmdlet);
            try
            {
                return stages.Resolve(stage);
            }
            catch (RegistryException e)
            {
                cmdlet.ThrowTerminatingError(ErrorRecords.From(e, stage));
                return stage; // not reached
            }
        }
    }
}
