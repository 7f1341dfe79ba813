using System.Management.Automation;
using ModelRegistry.Engine.DesiredState;
using ModelRegistry.Engine.Registry;

namespace ModelRegistry.Cmdlets
{
    /// <summary>
    /// <para type="synopsis">Compares the configured model groups with the registry and shows the plan: one object per group and its state.</para>
    /// <para type="description">Reads the desired state from Get-MRProject (or -Path to .env.shared) and the registry (one listing, then every group's tags, several at a time), and emits one GroupDrift per group: InSync; Missing (configured, does not exist); Drifted (its description or configured tags differ — Differences lists each, e.g. "tag Team: 'x' → 'rc'"); Extra (carries this configuration's ManagedBy tag but is no longer configured); Foreign (no ManagedBy tag, or another one: reported, never touched). Groups of the same file that a filter left out of the pipeline are not reported. Changes nothing; Sync-MRModelGroup applies the plan.</para>
    /// <example>
    ///   <code>Compare-MRModelGroup ./.env.shared</code>
    ///   <para>Shows the plan as a table: state, group, and what differs.</para>
    /// </example>
    /// <example>
    ///   <code>Get-MRProject | Compare-MRModelGroup | Where-Object State -ne InSync</code>
    ///   <para>Lists only the groups a sync would act on or report.</para>
    /// </example>
    /// </summary>
    [Cmdlet(VerbsData.Compare, "MRModelGroup", DefaultParameterSetName = ByProject)]
    [OutputType(typeof(GroupDrift))]
    public sealed class CompareModelGroupCommand : DesiredStateCmdlet
    {
        protected override void Process(IModelRegistry registry, DesiredConfiguration config, DriftPlan plan)
        {
            foreach (var entry in plan.Entries) WriteObject(Stamped(entry));
        }
    }
}
