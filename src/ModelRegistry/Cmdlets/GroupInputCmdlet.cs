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
        internal GroupInput(string name, TeamProject? project, object target)
        {
            Name = name;
            Project = project;
            Target = target;
        }

        public string Name { get; }
        /// <summary>The configured project it came from, when it came from Get-MRProject.</summary>
        public TeamProject? Project { get; }
        /// <summary>What errors name as their target: the pipeline object, or the name.</summary>
        public object Target { get; }
        public override string ToString() => Name;
    }

    /// <summary>
    /// Base of the cmdlets that act on whole groups: takes TeamProject objects (-InputObject, by value) or
    /// names (-Name, by property name: ModelGroup, GroupTestResult…), collects them, and runs them in
    /// EndProcessing through the bulk path, per registry, after the wrong-account guard.
    /// </summary>
    public abstract class GroupInputCmdlet : BulkCmdlet
    {
        protected const string ByProject = "Project";
        protected const string ByName = "Name";

        private readonly List<GroupInput> _inputs = new List<GroupInput>();
        private readonly HashSet<string> _seen = new HashSet<string>(StringComparer.OrdinalIgnoreCase);

        /// <summary>TeamProject objects from Get-MRProject.</summary>
        [Parameter(Mandatory = true, ValueFromPipeline = true, ParameterSetName = ByProject)]
        public TeamProject[]? InputObject { get; set; }

        /// <summary>Model group names. Binds by property name from ModelGroup and other objects with a Name.</summary>
        // No GroupName alias: a TeamProject (which has GroupName) must bind to -InputObject, with its tags.
        [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true, ParameterSetName = ByName)]
        [Alias("ModelPackageGroupName")]
        [ValidateNotNullOrEmpty]
        [ArgumentCompleter(typeof(GroupNameCompleter))]
        public string[]? Name { get; set; }

        protected override void ProcessRecord()
        {
            if (InputObject != null)
                foreach (var project in InputObject)
                    if (project != null) Add(new GroupInput(project.GroupName, project, project));
            if (Name != null && ParameterSetName == ByName)
                foreach (var name in Name) Add(new GroupInput(name, null, name));
        }

        private void Add(GroupInput input)
        {
            // The same group twice in one pipeline is done once.
            if (_seen.Add(input.Name)) _inputs.Add(input);
            else WriteVerbose($"'{input.Name}' was given more than once; it is processed once.");
        }

        protected override void EndProcessing()
        {
            if (_inputs.Count == 0) return;
            foreach (var batch in _inputs.GroupBy(i => ResolveConnection(i.Project?.Region), ConnectionComparer.Instance))
            {
                var connection = batch.Key;
                var registry = OpenRegistry(connection);
                var items = batch.ToList();
                if (!PassesAccountGuard(connection, items.Select(i => (i.Project?.AccountId, i.Target)))) continue;
                Process(registry, connection, items);
            }
        }

        /// <summary>Acts on one batch of groups that share a registry.</summary>
        protected abstract void Process(IModelRegistry registry, RegistryConnection connection, IReadOnlyList<GroupInput> groups);
    }
}
