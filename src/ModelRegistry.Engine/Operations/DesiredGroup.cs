using System.Collections.Generic;

namespace ModelRegistry.Engine.Operations
{
    /// <summary>A group as it should be: from a TeamProject, or from -Name/-Description/-Tag.</summary>
    public sealed class DesiredGroup
    {
        public DesiredGroup(string name, string description, IReadOnlyDictionary<string, string> tags, string? expectedAccount = null)
        {
            Name = name;
            Description = description;
            Tags = tags;
            ExpectedAccount = expectedAccount;
        }

        public string Name { get; }
        public string Description { get; }
        public IReadOnlyDictionary<string, string> Tags { get; }
        /// <summary>AWS_ACCOUNT_ID of the configuration it came from, for the wrong-account guard.</summary>
        public string? ExpectedAccount { get; }

        public static DesiredGroup From(TeamProject project) =>
            new DesiredGroup(project.GroupName, project.Description, project.Tags, project.AccountId);

        public override string ToString() => Name;
    }
}
