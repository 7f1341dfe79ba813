using System;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using ModelRegistry.Engine.Bulk;
using ModelRegistry.Engine.Config;
using ModelRegistry.Engine.DesiredState;
using ModelRegistry.Engine.Registry;
using ModelRegistry.Hosting;

namespace ModelRegistry.Cmdlets
{
    /// <summary>
    /// Base of Compare- and Sync-MRModelGroup: takes the whole desired state — TeamProjects from Get-MRProject, or
    /// -Path to .env.shared — and, per registry and after the wrong-account guard, builds the plan (one listing,
    /// then every group's tags through the bulk path, with progress).
    /// </summary>
    public abstract class DesiredStateCmdlet : BulkCmdlet
    {
        protected const string ByProject = "Project";
        protected const string ByPath = "Path";

        private readonly List<TeamProject> _projects = new List<TeamProject>();
        private readonly Dictionary<TeamProject, IReadOnlyList<string>> _expected = new Dictionary<TeamProject, IReadOnlyList<string>>();
        private string? _batchAccount;
        private string? _batchRegion;

        /// <summary>TeamProject objects from Get-MRProject: the groups that should exist. Other projects of the same file count as configured too (never Extra), so a filtered pipeline never prunes the rest. With no input at all (no pipeline, no -Path), the session's configuration file (Set-MRConfiguration -ConfigPath), else ./.env.shared.</summary>
        // Not Mandatory: with no input at all the session's configuration file is read (never a prompt, which would
        // hang a job whose stdin stays open).
        [Parameter(ValueFromPipeline = true, ParameterSetName = ByProject)]
        public TeamProject[]? InputObject { get; set; }

        /// <summary>The configuration file (.env.shared) to compare with, instead of pipeline input.</summary>
        [Parameter(Mandatory = true, Position = 0, ParameterSetName = ByPath)]
        [Alias("FullName", "PSPath")]
        public string? Path { get; set; }

        /// <summary>Refuse unless the credentials act in this AWS account, besides the AWS_ACCOUNT_ID of the configuration.</summary>
        [Parameter]
        public string? ExpectedAccountId { get; set; }

        protected override void ProcessRecord()
        {
            if (InputObject != null)
                foreach (var project in InputObject)
                    if (project != null)
                    {
                        _projects.Add(project);
                        _expected[project] = Expected(project.AccountId, ExpectedAccountId);
                    }
        }

        protected override void EndProcessing()
        {
            foreach (var (connection, config) in Batches())
            {
                if (Cancellation.IsCancellationRequested) return;
                var registry = OpenRegistry(connection);
                // One desired state: every account any of its projects expects must hold, or none of it is acted on
                // (each project gets the refusal).
                var expected = config.Projects.SelectMany(p => _expected.TryGetValue(p, out var e) ? e : Expected(p.AccountId, ExpectedAccountId))
                    .Distinct(StringComparer.Ordinal).ToList();
                if (PassAccountGuard(connection, config.Projects, _ => expected, p => p).Count < config.Projects.Count) continue;
                _batchAccount = expected.FirstOrDefault();
                _batchRegion = config.Projects.Select(p => p.Region).FirstOrDefault(r => r != null);
                var plan = BuildPlan(registry, config);
                if (plan != null) Process(registry, config, plan);
            }
        }

        /// <summary>A plan entry, carrying the configuration's account and region on to the next cmdlet.</summary>
        protected GroupDrift Stamped(GroupDrift drift) => drift.WithExpectedAccount(_batchAccount, _batchRegion);

        /// <summary>Acts on the plan of one registry.</summary>
        protected abstract void Process(IModelRegistry registry, DesiredConfiguration config, DriftPlan plan);

        private IEnumerable<(RegistryConnection, DesiredConfiguration)> Batches()
        {
            var noInput = ParameterSetName == ByProject && !MyInvocation.ExpectingInput && !MyInvocation.BoundParameters.ContainsKey(nameof(InputObject));
            if (ParameterSetName == ByPath || noInput)
            {
                // No input at all reads the session's configuration file (Set-MRConfiguration), else ./.env.shared.
                var catalog = noInput ? ConfigurationReader.LoadWithoutInput(this, MyInvocation.MyCommand.Name) : ConfigurationReader.Load(this, Path, terminating: true);
                if (catalog is null) yield break;
                // An empty configuration (disabled, or nothing valid) has nothing to compare: it must never read as
                // "everything is Extra".
                if (catalog.Projects.Count == 0) yield break;
                yield return (ResolveConnection(catalog.Settings.Region, catalog.Settings.AccountId), DesiredConfiguration.FromCatalog(catalog));
                yield break;
            }

            foreach (var batch in _projects.GroupBy(p => ResolveConnection(p.Region, p.AccountId), ConnectionComparer.Instance))
                yield return (batch.Key, DesiredConfiguration.FromProjects(batch));
        }

        private DriftPlan? BuildPlan(IModelRegistry registry, DesiredConfiguration config)
        {
            var planner = new GroupPlanner(registry);
            IReadOnlyList<ModelGroup> groups;
            try
            {
                groups = planner.ListGroups(Cancellation);
            }
            catch (Exception ex) when (ex is not PipelineStoppedException)
            {
                WriteFailure(ex, registry.Location);
                return null;
            }

            var reads = new List<BulkOutcome<ModelGroup, ModelGroup?>>(groups.Count);
            var skipped = Drain(planner.ReadTags(groups, ThrottleLimit, Cancellation), groups.Count, "Reading model group tags", reads.Add);
            // A group whose tags were not read could be taken for Missing: an interrupted read is no plan at all.
            if (skipped > 0) return null;

            var plan = GroupPlanner.Classify(config, reads);
            if (config.ComparesPolicies)
            {
                // The configuration manages sharing: each configured group's resource policy is compared as well.
                var entries = GroupPlanner.PolicyEntries(plan);
                var policies = new List<BulkOutcome<GroupDrift, string?>>(entries.Count);
                if (Drain(planner.ReadPolicies(entries, ThrottleLimit, Cancellation), entries.Count, "Reading model group policies", policies.Add) > 0)
                    return null;
                plan = GroupPlanner.ComparePolicies(plan, policies);
            }
            foreach (var unread in plan.Unreadable) WriteFailure(unread.Value, unread.Key.Name);
            foreach (var gap in config.Gaps) WriteWarning($"Extra groups are reported but will not be pruned: {gap}");
            return plan;
        }
    }
}
