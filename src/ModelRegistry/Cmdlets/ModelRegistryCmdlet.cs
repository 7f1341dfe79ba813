using System.Management.Automation;

namespace ModelRegistry.Cmdlets
{
    /// <summary>
    /// The root of every cmdlet of the module. Creating one adds the module's views to the session (once): a
    /// command is created before any object it writes reaches a formatter, so every object shows with its view,
    /// and Import-Module does not pay for rebuilding the session's format table. A constructor, not
    /// BeginProcessing, so no derived cmdlet can skip it.
    /// </summary>
    public abstract class ModelRegistryCmdlet : PSCmdlet
    {
        /// <summary>Adds the module's views to the current session if they are not there yet.</summary>
        protected ModelRegistryCmdlet()
        {
            Hosting.ModuleViews.AddToCurrentSession();
        }
    }
}
