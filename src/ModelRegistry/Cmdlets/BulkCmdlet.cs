using System.Management.Automation;
using ModelRegistry.Engine.Bulk;

namespace ModelRegistry.Cmdlets
{
    /// <summary>
    /// Base of the cmdlets that run many service calls through the bulk runner: the one -ThrottleLimit.
    /// (BulkRunner.DefaultThrottleLimit is a constant, compiled in: no engine type shows on this public class.)
    /// </summary>
    public abstract class BulkCmdlet : RegistryCmdlet
    {
        /// <summary>How many service calls may run at once (default 16).</summary>
        [Parameter]
        [ValidateRange(1, 64)]
        public int ThrottleLimit { get; set; } = BulkRunner.DefaultThrottleLimit;
    }
}
