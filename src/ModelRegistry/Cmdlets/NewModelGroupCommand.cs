using System;
using System.Collections;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using ModelRegistry.Engine.Operations;
using ModelRegistry.Engine.Registry;

namespace ModelRegistry.Cmdlets
{
    /// <summary>
    /// <para type="synopsis">Creates model groups that do not exist yet; existing groups are returned unchanged.</para>
    /// <para type="description">Creates the model groups, idempotent and fast: what exists is read from the registry's listing of groups by name, from both ends at once, and each group is created as soon as the listing has passed where its name would be (groups the first pages do not settle are described meanwhile); only the missing groups are created, several at a time. Each output object says whether the group was Created, already Existed, or was Updated (-Force re-applies the configured tags to an existing group; SageMaker cannot change a group's description, so a differing description is reported, not changed). Takes TeamProject objects from Get-MRProject, or -Name with -Description and -Tag.</para>
    /// <example>
    ///   <code>Get-MRProject ./.env.shared | New-MRModelGroup</code>
    ///   <para>Creates one group per configured team and project, described as "Models for {team full name}/{project}" and tagged ManagedBy, Team, Project and Phase.</para>
    /// </example>
    /// <example>
    ///   <code>New-MRModelGroup -Name rc-churn -Description "Models for risk-control/churn" -Tag @{ Team = 'rc' }</code>
    ///   <para>Creates one group by name.</para>
    /// </example>
    /// </summary>
    [Cmdlet(VerbsCommon.New, "MRModelGroup", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Low, DefaultParameterSetName = ByProject)]
    [OutputType(typeof(ModelGroupChangeResult))]
    public sealed class NewModelGroupCommand : GroupInputCmdlet
    {
        /// <summary>The group's description (with -Name). SageMaker allows up to 1024 characters.</summary>
        [Parameter(ParameterSetName = ByName, ValueFromPipelineByPropertyName = true)]
        [Parameter(ParameterSetName = ByText)]
        [ValidateLength(0, 1024)]
        public string Description { get; set; } = "";

        /// <summary>Tags for the group (with -Name): a hashtable, an [ordered] one, or another object's Tags.</summary>
        [Parameter(ParameterSetName = ByName)]
        [Parameter(ParameterSetName = ByText)]
        [Alias("Tags")]
        public IDictionary? Tag { get; set; }

        /// <summary>Re-apply the configured tags to groups that already exist.</summary>
        [Parameter]
        public SwitchParameter Force { get; set; }

        private readonly Dictionary<string, DesiredGroup> _byName = new Dictionary<string, DesiredGroup>(StringComparer.OrdinalIgnoreCase);
        private readonly Dictionary<GroupInput, DesiredGroup> _desired = new Dictionary<GroupInput, DesiredGroup>();
        private ExistingGroups? _lookUp;

        protected override void ProcessRecord()
        {
            base.ProcessRecord();
            // -Description/-Tag bind per pipeline object, so capture them with the names they belong to.
            var names = ParameterSetName == ByName ? Name : ParameterSetName == ByText ? InputText?.Select(t => t.Text).ToArray() : null;
            if (names != null)
            {
                var tags = RegisterModelVersionCommand.ToTags(Tag);
                foreach (var given in names)
                {
                    // A group ARN names its group (anything else that looks like an ARN was reported by the base).
                    string name;
                    try { name = Engine.Config.Arns.GroupName(given, "-Name"); }
                    catch (RegistryException) { continue; }
                    if (!_byName.ContainsKey(name)) _byName[name] = new DesiredGroup(name, Description, tags);
                }
            }
        }

        private DesiredGroup Desired(GroupInput g)
        {
            if (!_desired.TryGetValue(g, out var want))
                _desired[g] = want = g.Project != null ? DesiredGroup.From(g.Project) : _byName[g.Name];
            return want;
        }

        /// <summary>The listing of what exists begins while the account guard asks STS (not under -WhatIf, which
        /// reads nothing here).</summary>
        protected override IDisposable? BeginReads(IModelRegistry registry, IReadOnlyList<GroupInput> groups)
        {
            _lookUp = IsWhatIf() ? null : new ModelGroupOperations(registry).LookUp(groups.Select(Desired).ToList(), Bulk(ThrottleLimit), Cancellation);
            return _lookUp;
        }

        protected override void Process(IModelRegistry registry, RegistryConnection connection, IReadOnlyList<GroupInput> groups)
        {
            var desired = new List<DesiredGroup>();
            var inputs = new Dictionary<DesiredGroup, GroupInput>();
            foreach (var g in groups)
            {
                var want = Desired(g);
                if (!ShouldProcess($"{g.Name} in {registry.Location}", Force ? "Create model group, or re-apply its tags" : "Create model group if missing"))
                    continue;
                desired.Add(want);
                inputs[want] = g;
            }
            if (desired.Count == 0) return;

            // Lazy: every failure, the listing's included, comes out as an outcome of the run.
            var outcomes = new ModelGroupOperations(registry).Ensure(desired, Force, Bulk(ThrottleLimit), Cancellation, _lookUp);
            Drain(outcomes, desired.Count, "Creating model groups", outcome =>
            {
                var input = inputs[outcome.Input];
                if (outcome.Error != null) WriteFailure(outcome.Error, input.Target);
                else
                {
                    var result = outcome.Result!;
                    result = new ModelGroupChangeResult(result.Group.WithExpectedAccount(input.ExpectedAccountId, input.ConfiguredRegion), result.Change, result.Detail);
                    WriteVerbose($"{result.Name}: {result.Change}{(result.Detail is null ? "" : " — " + result.Detail)}");
                    WriteObject(result);
                }
            });
        }
    }
}
