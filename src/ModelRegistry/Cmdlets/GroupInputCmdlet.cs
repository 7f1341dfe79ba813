using System;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using ModelRegistry.Engine.Bulk;
using ModelRegistry.Engine.Registry;
using ModelRegistry.Hosting;

namespace ModelRegistry.Cmdlets
{
    /// <summary>One group named on the command line or by a pipeline object.</summary>
    public sealed class GroupInput
    {
        internal GroupInput(string name, TeamProject? project, object target, IReadOnlyList<string> expectedAccounts, string? configuredRegion)
        {
            Name = name;
            Project = project;
            Target = target;
            ExpectedAccounts = expectedAccounts;
            ConfiguredRegion = configuredRegion;
        }

        public string Name { get; }
        /// <summary>The configured project it came from, when it came from Get-MRProject.</summary>
        public TeamProject? Project { get; }
        /// <summary>The accounts the wrong-account guard must see: the project's, the piped object's, -ExpectedAccountId.</summary>
        public IReadOnlyList<string> ExpectedAccounts { get; }
        /// <summary>The region of the .env.shared it came from, if any.</summary>
        public string? ConfiguredRegion { get; }
        /// <summary>The one expected account that outputs for this group carry on.</summary>
        public string? ExpectedAccountId => ExpectedAccounts.Count > 0 ? ExpectedAccounts[0] : null;
        /// <summary>What errors name as their target: the pipeline object, or the name.</summary>
        public object Target { get; }
        public override string ToString() => Name;
    }

    /// <summary>
    /// Base of the cmdlets that act on whole groups: takes TeamProject objects (-InputObject, by value) or
    /// names (-Name: strings by value, a group ARN read as its name; by property name: ModelGroup, GroupTestResult…), collects them, and runs them in
    /// EndProcessing through the bulk path, per registry, after the wrong-account guard (per input: a project's
    /// AccountId, the ExpectedAccountId a piped group or result carries, -ExpectedAccountId).
    /// </summary>
    public abstract class GroupInputCmdlet : BulkCmdlet
    {
        protected const string ByProject = "Project";
        protected const string ByName = "Name";
        /// <summary>Strings piped by value (-InputText): a set of their own, so an object that binds something by property
        /// name (a Deployment's ExpectedAccountId) is never turned into a group name by its ToString().</summary>
        protected const string ByText = "Text";

        private readonly List<GroupInput> _inputs = new List<GroupInput>();
        private readonly HashSet<string> _seen = new HashSet<string>(StringComparer.OrdinalIgnoreCase);

        /// <summary>TeamProject objects from Get-MRProject. With no input at all (no pipeline, no -Name), the projects
        /// of the session's configuration file (Set-MRConfiguration -ConfigPath), else ./.env.shared.</summary>
        // Not Mandatory: a mandatory parameter prompts for its value, and a job whose stdin stays open would hang.
        [Parameter(ValueFromPipeline = true, ParameterSetName = ByProject)]
        public TeamProject[]? InputObject { get; set; }

        /// <summary>Model group names, or group ARNs. Binds by property name from ModelGroup and other objects with a Name; strings piped (Get-Content names.txt | …) bind as names too.</summary>
        // No GroupName alias: a TeamProject (which has GroupName) must bind to -InputObject, with its tags.
        [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true, ParameterSetName = ByName)]
        [Alias("ModelPackageGroupName")]
        [ValidateNotNullOrEmpty]
        [ArgumentCompleter(typeof(GroupNameCompleter))]
        public string[]? Name { get; set; }

        /// <summary>Group names or group ARNs piped as strings ('rc-fraud-detection' | …; Get-Content names.txt | …): read as -Name.</summary>
        [Parameter(Mandatory = true, ValueFromPipeline = true, ParameterSetName = ByText, DontShow = true)]
        [ValidateNotNullOrEmpty]
        public Hosting.PipedText[]? InputText { get; set; }

        /// <summary>Refuse unless the credentials act in this AWS account (a guard against acting in the wrong account). With names, binds by property name from the ExpectedAccountId of a piped group or result reached from a project.</summary>
        // Checked by the guard, not by a validation attribute: a TeamProject without AWS_ACCOUNT_ID binds null here.
        [Parameter(ParameterSetName = ByProject)]
        [Parameter(ParameterSetName = ByText)]
        [Parameter(ValueFromPipelineByPropertyName = true, ParameterSetName = ByName)]
        [Alias("AccountId")]
        public string? ExpectedAccountId { get; set; }

        /// <summary>The region of the .env.shared a piped object was reached from: used when nothing more explicit names one.</summary>
        [Parameter(ValueFromPipelineByPropertyName = true, ParameterSetName = ByName, DontShow = true)]
        public string? ConfiguredRegion { get; set; }

        protected override void ProcessRecord()
        {
            if (InputObject != null)
                foreach (var project in InputObject)
                    if (project != null) Add(new GroupInput(project.GroupName, project, project, Expected(project.AccountId, ExpectedAccountId), project.Region));
            // A ModelGroup (or a result reached from a project) binds its name here and its account and region by property name.
            var names = ParameterSetName == ByName ? Name : ParameterSetName == ByText ? InputText?.Select(t => t.Text).ToArray() : null;
            if (names != null)
                foreach (var name in names)
                {
                    if (!Engine.Config.Arns.LooksLikeArn(name))
                    {
                        Add(new GroupInput(name, null, name, Expected(ExpectedAccountId), ConfiguredRegion));
                        continue;
                    }
                    // A group ARN names its group, in its region; any other ARN is an InvalidArgument error of its own.
                    try
                    {
                        var arn = Engine.Config.Arns.Require(name, "-Name", null, Engine.Config.ArnKind.Group);
                        Add(new GroupInput(arn.Name, null, name, Expected(ExpectedAccountId), ConfiguredRegion ?? arn.Region));
                    }
                    catch (RegistryException ex)
                    {
                        WriteFailure(ex, name);
                    }
                }
        }

        private void Add(GroupInput input)
        {
            // The same group twice in one pipeline is done once.
            if (_seen.Add(input.Name)) _inputs.Add(input);
            else WriteVerbose($"'{input.Name}' was given more than once; it is processed once.");
        }

        protected override void EndProcessing()
        {
            if (ParameterSetName == ByProject && !MyInvocation.ExpectingInput && !MyInvocation.BoundParameters.ContainsKey(nameof(InputObject)))
            {
                // No input at all: the configured projects. Empty pipeline input (a filter that kept nothing) is not this.
                var catalog = ConfigurationReader.LoadWithoutInput(this, MyInvocation.MyCommand.Name);
                foreach (var project in catalog?.Projects ?? (IReadOnlyList<TeamProject>)Array.Empty<TeamProject>())
                    Add(new GroupInput(project.GroupName, project, project, Expected(project.AccountId, ExpectedAccountId), project.Region));
            }
            if (_inputs.Count == 0) return;
            foreach (var batch in _inputs.GroupBy(i => ResolveConnection(i.ConfiguredRegion, i.ExpectedAccountId), ConnectionComparer.Instance))
            {
                var connection = batch.Key;
                var registry = OpenRegistry(connection);
                var inputs = batch.ToList();
                using var reads = BeginReads(registry, inputs);
                var items = PassAccountGuard(connection, inputs, i => i.ExpectedAccounts, i => i.Target);
                if (items.Count > 0) Process(registry, connection, items);
            }
        }

        /// <summary>Reads a command may begin for a batch while the wrong-account guard asks STS (a round trip): reads
        /// only, changing nothing, and only what <see cref="Process"/> will use; disposed after it. None by default.</summary>
        protected virtual IDisposable? BeginReads(IModelRegistry registry, IReadOnlyList<GroupInput> groups) => null;

        /// <summary>Acts on one batch of groups that share a registry.</summary>
        protected abstract void Process(IModelRegistry registry, RegistryConnection connection, IReadOnlyList<GroupInput> groups);
    }
}
