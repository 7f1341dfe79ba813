using System.Collections.Generic;

namespace ModelRegistry
{
    /// <summary>
    /// One team × project from <c>.env.shared</c>: the model group that should exist for it and how it is
    /// described and tagged. Property names match the group cmdlets' parameters so it binds by property name.
    /// </summary>
    public sealed class TeamProject
    {
        public TeamProject(string team, string teamFullName, string project, string groupName, string description,
            IReadOnlyDictionary<string, string> tags, string? region, string? company, string? accountId,
            string sourcePath, int sourceLine, string? executionRoleArn = null)
        {
            ExecutionRoleArn = executionRoleArn;
            Team = team;
            TeamFullName = teamFullName;
            Project = project;
            GroupName = groupName;
            Description = description;
            Tags = TagSet.From(tags)!;
            Region = region;
            Company = company;
            AccountId = accountId;
            SourcePath = sourcePath;
            SourceLine = sourceLine;
        }

        public string Team { get; }
        public string TeamFullName { get; }
        public string Project { get; }
        /// <summary>The model package group name, <c>{team}-{project}</c>.</summary>
        public string GroupName { get; }
        public string Description { get; }
        /// <summary>ManagedBy, Team, Project, Phase — in that order.</summary>
        public TagSet Tags { get; }
        public string? Region { get; }
        /// <summary>The same as <see cref="Region"/>, under the name objects reached from this project carry it by, so
        /// cmdlets bind it by property name from a project and from its groups, versions and deployments alike.</summary>
        public string? ConfiguredRegion => Region;
        public string? Company { get; }
        /// <summary>AWS_ACCOUNT_ID from the configuration; used by the wrong-account guard. Groups, versions and
        /// deployments reached from this project carry it as ExpectedAccountId.</summary>
        public string? AccountId { get; }
        /// <summary>The configuration file and the line of the <c>{TEAM}_PROJECTS</c> key that named this project.</summary>
        public string SourcePath { get; }
        public int SourceLine { get; }
        /// <summary>SAGEMAKER_EXECUTION_ROLE_ARN from the configuration: the role deployed models run as (optional).</summary>
        public string? ExecutionRoleArn { get; }

        /// <summary>{TEAM}_APPROVAL_REQUIRE from the configuration: rules such as "auc &gt;= 0.9" that Approve-MRModelVersion
        /// applies to this team's versions unless -Require is given; empty when the team sets none.</summary>
        public IReadOnlyList<string> ApprovalRequire { get; internal set; } = System.Array.Empty<string>();

        /// <summary>This project with the team's default approval rules.</summary>
        internal TeamProject WithApprovalRequire(IReadOnlyList<string> rules)
        {
            var copy = (TeamProject)MemberwiseClone();
            copy.ApprovalRequire = rules;
            return copy;
        }

        /// <summary>MODEL_METRICS_S3_PREFIX from the configuration (s3://bucket/prefix/): where metrics files live; null when not set.</summary>
        public string? MetricsS3Prefix { get; internal set; }

        /// <summary>This project with the configured metrics location.</summary>
        internal TeamProject WithMetricsS3Prefix(string? prefix)
        {
            var copy = (TeamProject)MemberwiseClone();
            copy.MetricsS3Prefix = prefix;
            return copy;
        }

        /// <summary>The AWS accounts this project's model group is shared with (MODEL_REGISTRY_CONSUMER_ACCOUNTS, then
        /// {TEAM}_CONSUMER_ACCOUNTS): Set-MRModelGroupPolicy grants each what a cross-account deploy needs, and
        /// Compare-MRModelGroup reports a group whose policy says otherwise. Empty when the team shares with nobody.</summary>
        public IReadOnlyList<string> ConsumerAccounts { get; private set; } = System.Array.Empty<string>();

        /// <summary>This project with the accounts its group is shared with.</summary>
        internal TeamProject WithConsumerAccounts(IReadOnlyList<string> accounts)
        {
            var copy = (TeamProject)MemberwiseClone();
            copy.ConsumerAccounts = accounts ?? System.Array.Empty<string>();
            return copy;
        }

        public override string ToString() => GroupName;
    }
}
