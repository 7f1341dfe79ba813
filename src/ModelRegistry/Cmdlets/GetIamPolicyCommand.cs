using System;
using System.Collections.Generic;
using System.Management.Automation;
using ModelRegistry.Engine.Config;
using ModelRegistry.Engine.Iam;
using ModelRegistry.Hosting;

namespace ModelRegistry.Cmdlets
{
    /// <summary>
    /// <para type="synopsis">Writes the least-privilege IAM policy document for each project's model group.</para>
    /// <para type="description">Per team × project: the model registry actions on arn:aws:sagemaker:{region}:{account}:model-package-group/{team}-{project} and …:model-package/{team}-{project}/*, cut down to what the chosen -Role needs. Publisher registers versions; Approver approves and rejects; Deployer deploys approved versions (models, endpoint configs and endpoints named with the group's prefix, endpoints matching -EndpointName patterns, and iam:PassRole on the execution role for SageMaker only); Admin has all of that and also creates and deletes the group and versions, manages tags, and shares the group (Get/Put/DeleteModelPackageGroupPolicy). Consumer is for the accounts the group is shared with ({TEAM}_CONSUMER_ACCOUNTS): the identity policy matching the group's resource policy (Set-MRModelGroupPolicy) — DescribeModelPackageGroup on the group, DescribeModelPackage, ListModelPackages and CreateModel on its versions — with the registry account's ARNs; that account's own deploy permissions are a Deployer policy of its configuration. Region and account come from AWS_REGION and AWS_ACCOUNT_ID in .env.shared; a missing one is an error naming the key. ListModelPackages is scoped to the group like the reads; the account-wide List actions (ListModelPackageGroups, and ListEndpoints for deployers) list the whole account and can only be granted on "*", so they sit in a statement of their own (Sid AccountWideListing); -ExcludeAccountWideList leaves them out. Each document is valid JSON, with Sids, checked against the 6,144-character managed policy limit. -OutDirectory writes one {PolicyName}.json per project.</para>
    /// <example>
    ///   <code>Get-MRProject | Get-MRIamPolicy -Role Approver</code>
    ///   <para>One approver policy per configured project.</para>
    /// </example>
    /// <example>
    ///   <code>Get-MRProject | Get-MRIamPolicy -Role Consumer -OutDirectory ./iam-consumer</code>
    ///   <para>The identity policies to attach in the consumer accounts, one per shared group.</para>
    /// </example>
    /// <example>
    ///   <code>Get-MRIamPolicy -Team rc -Project fraud-detection -Role Deployer -OutDirectory ./iam</code>
    ///   <para>Writes ./iam/rc-fraud-detection-ModelRegistry-Deployer.json from ./.env.shared.</para>
    /// </example>
    /// </summary>
    [Cmdlet(VerbsCommon.Get, "MRIamPolicy", DefaultParameterSetName = ByConfig)]
    [OutputType(typeof(IamPolicy))]
    public sealed class GetIamPolicyCommand : ModelRegistryCmdlet
    {
        private const string ByProject = "Project";
        private const string ByConfig = "Config";

        /// <summary>TeamProject objects from Get-MRProject.</summary>
        [Parameter(Mandatory = true, ValueFromPipeline = true, ParameterSetName = ByProject)]
        public TeamProject[]? InputObject { get; set; }

        /// <summary>The configuration file to read projects from; the session's (Set-MRConfiguration), else ./.env.shared.</summary>
        [Parameter(Position = 0, ParameterSetName = ByConfig)]
        public string? Path { get; set; }

        /// <summary>Only these teams (wildcards allowed).</summary>
        [Parameter(ParameterSetName = ByConfig)]
        [SupportsWildcards]
        [ArgumentCompleter(typeof(TeamNameCompleter))]
        public string[]? Team { get; set; }

        /// <summary>Only these projects (wildcards allowed).</summary>
        [Parameter(ParameterSetName = ByConfig)]
        [SupportsWildcards]
        [ArgumentCompleter(typeof(ProjectNameCompleter))]
        public string[]? Project { get; set; }

        /// <summary>The permission profile: Publisher (default), Approver, Deployer, Admin, or Consumer (an account the group is shared with).</summary>
        [Parameter]
        public IamPolicyRole Role { get; set; } = IamPolicyRole.Publisher;

        /// <summary>The SageMaker execution role a Deployer may pass; SAGEMAKER_EXECUTION_ROLE_ARN from the configuration when not given.</summary>
        [Parameter]
        public string? ExecutionRoleArn { get; set; }

        /// <summary>Endpoint name patterns a Deployer may create and switch (IAM wildcards); {project}-* and {team}-{project}-* when not given.</summary>
        [Parameter]
        public string[]? EndpointName { get; set; }

        /// <summary>Leave out the account-wide List actions that IAM can only grant on Resource "*" (listing all groups and endpoints is then denied).</summary>
        [Parameter]
        public SwitchParameter ExcludeAccountWideList { get; set; }

        /// <summary>Write each document to this folder as {PolicyName}.json (created when missing).</summary>
        [Parameter]
        public string? OutDirectory { get; set; }

        protected override void ProcessRecord()
        {
            if (ParameterSetName == ByProject)
            {
                foreach (var project in InputObject ?? Array.Empty<TeamProject>())
                    if (project != null) Emit(project);
                return;
            }
            var catalog = ConfigurationReader.Load(this, Path, Team, Project);
            if (catalog is null) return;
            foreach (var project in catalog.Projects) Emit(project);
        }

        private void Emit(TeamProject project)
        {
            try
            {
                var policy = IamPolicyBuilder.Build(project, new IamPolicyBuilder.Options
                {
                    Role = Role,
                    ExecutionRoleArn = ExecutionRoleArn ?? project.ExecutionRoleArn,
                    EndpointPatterns = EndpointName,
                    ExcludeAccountWideList = ExcludeAccountWideList,
                });
                foreach (var note in policy.Notes) WriteVerbose($"{policy.PolicyName}: {note}");
                if (OutDirectory != null)
                {
                    IamPolicyBuilder.WriteTo(policy, SessionState.Path.GetUnresolvedProviderPathFromPSPath(OutDirectory));
                    WriteVerbose($"Wrote {policy.Path}");
                }
                WriteObject(policy);
            }
            catch (Exception ex)
            {
                WriteError(ErrorRecords.From(ex, project));
            }
        }
    }
}
