using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;
using System.Text.Json;
using ModelRegistry.Engine.Deployment;

namespace ModelRegistry.Engine.Iam
{
    /// <summary>
    /// Least-privilege IAM policy documents for one team × project, per role. Resource ARNs name the project's
    /// model group, its versions, and the models / endpoint configs / endpoints a deploy creates (scoped by the
    /// deploy naming prefix). The only "*" resource is for List actions, which IAM authorizes on no resource
    /// type (ListModelPackageGroups; for deployers ListEndpoints, ListEndpointConfigs, ListModels); they sit in a
    /// statement of their own (Sid AccountWideListing)
    /// and can be left out.
    /// </summary>
    public static class IamPolicyBuilder
    {
        /// <summary>IAM's limit for a customer managed policy, counted without whitespace.</summary>
        public const int ManagedPolicyMaxSize = 6144;

        /// <summary>The seed README's action list (its "IAM 权限" section).</summary>
        public static readonly IReadOnlyList<string> SeedActions = new[]
        {
            "sagemaker:CreateModelPackage", "sagemaker:CreateModelPackageGroup", "sagemaker:DescribeModelPackage",
            "sagemaker:DescribeModelPackageGroup", "sagemaker:ListModelPackages", "sagemaker:ListModelPackageGroups",
            "sagemaker:UpdateModelPackage",
        };

        /// <summary>List actions whose Resource must be "*": they list the whole account, so no resource ARN can name
        /// what they act on. (ListModelPackages is not one of them: it lists one group's versions, and AWS's own
        /// model registry resource policies grant it on the group's ARN, so it is scoped like the reads.)</summary>
        public static readonly IReadOnlyList<string> AccountWideListActions = new[]
        {
            "sagemaker:ListModelPackageGroups",
        };

        public sealed class Options
        {
            public IamPolicyRole Role { get; set; } = IamPolicyRole.Publisher;
            /// <summary>The SageMaker execution role Deployers may pass (SAGEMAKER_EXECUTION_ROLE_ARN); PassRole is left out when null.</summary>
            public string? ExecutionRoleArn { get; set; }
            /// <summary>Endpoint name patterns a Deployer may create and switch; default {project}-* and {team}-{project}-*.</summary>
            public IReadOnlyList<string>? EndpointPatterns { get; set; }
            /// <summary>Leave out the List actions that IAM grants only on "*" (listing groups and versions then fails).</summary>
            public bool ExcludeAccountWideList { get; set; }
        }

        public static IamPolicy Build(TeamProject project, Options options)
        {
            if (project is null) throw new ArgumentNullException(nameof(project));
            options ??= new Options();
            if (string.IsNullOrEmpty(project.Region))
                throw new ConfigurationException(project.SourcePath, 0, "AWS_REGION", "is needed for the IAM policy's ARNs and is not set");
            if (string.IsNullOrEmpty(project.AccountId))
                throw new ConfigurationException(project.SourcePath, 0, "AWS_ACCOUNT_ID", "is needed for the IAM policy's ARNs and is not set");

            var region = project.Region!;
            var partition = region.StartsWith("cn-", StringComparison.Ordinal) ? "aws-cn"
                : region.StartsWith("us-gov-", StringComparison.Ordinal) ? "aws-us-gov" : "aws";
            var prefix = $"arn:{partition}:sagemaker:{region}:{project.AccountId}:";
            var group = project.GroupName;
            var groupArn = prefix + "model-package-group/" + group;
            var versionsArn = prefix + "model-package/" + group + "/*";
            var role = options.Role;
            var notes = new List<string>();
            var statements = new List<Statement>();

            if (role == IamPolicyRole.Consumer)
                return Finish(project, role, ConsumerStatements(project, groupArn, versionsArn, notes), notes);

            var read = new List<string> { "sagemaker:DescribeModelPackageGroup", "sagemaker:DescribeModelPackage", "sagemaker:ListModelPackages", "sagemaker:ListTags" };
            statements.Add(new Statement("ReadModelGroupAndVersions", read, new[] { groupArn, versionsArn }));

            if (role == IamPolicyRole.Publisher || role == IamPolicyRole.Admin)
            {
                // AddTags: SageMaker authorizes tags given at creation with AddTags as well.
                statements.Add(new Statement("RegisterVersions", new[] { "sagemaker:CreateModelPackage", "sagemaker:AddTags" }, new[] { groupArn, versionsArn }));
            }
            if (role == IamPolicyRole.Approver || role == IamPolicyRole.Admin)
            {
                statements.Add(new Statement("ApproveVersions", new[] { "sagemaker:UpdateModelPackage" }, new[] { versionsArn }));
                // Approvers read metrics (Get-MRModelMetric, Approve-MRModelVersion -Require): the objects under the configured
                // prefix only — never s3:*, never a whole account's buckets.
                var metrics = MetricsObjectsArn(partition, project.MetricsS3Prefix);
                if (metrics is null)
                    notes.Add("MODEL_METRICS_S3_PREFIX is not set in .env.shared, so s3:GetObject on the metrics files is not granted; " +
                              "Get-MRModelMetric and gated approval (-Require) read them. Add e.g. MODEL_METRICS_S3_PREFIX=s3://acme-models/metrics/ " +
                              "to grant s3:GetObject on exactly that prefix.");
                else
                    statements.Add(new Statement("ReadModelMetrics", new[] { "s3:GetObject" }, new[] { metrics }));
            }
            if (role == IamPolicyRole.Deployer || role == IamPolicyRole.Admin)
            {
                var resourcePrefix = DeploymentNaming.ResourcePrefix(group);
                var patterns = options.EndpointPatterns is { Count: > 0 }
                    ? options.EndpointPatterns
                    : new[] { project.Project + "-*", group + "-*" };
                var deployResources = new List<string> { prefix + "model/" + resourcePrefix + "*", prefix + "endpoint-config/" + resourcePrefix + "*" };
                // SageMaker endpoint ARNs carry the name in lower case.
                deployResources.AddRange(patterns.Select(p => prefix + "endpoint/" + p.ToLowerInvariant()).Distinct(StringComparer.Ordinal));
                statements.Add(new Statement("DeployApprovedVersions", new[]
                {
                    "sagemaker:CreateModel", "sagemaker:CreateEndpointConfig", "sagemaker:CreateEndpoint", "sagemaker:UpdateEndpoint",
                    "sagemaker:DescribeModel", "sagemaker:DescribeEndpointConfig", "sagemaker:DescribeEndpoint",
                    // Deletes: a failed deploy rolls back what it created; Remove-MRDeployment undeploys.
                    "sagemaker:DeleteModel", "sagemaker:DeleteEndpointConfig", "sagemaker:DeleteEndpoint",
                    "sagemaker:AddTags", "sagemaker:ListTags",
                }, deployResources));
                if (string.IsNullOrEmpty(options.ExecutionRoleArn))
                    notes.Add("No execution role is configured (SAGEMAKER_EXECUTION_ROLE_ARN), so iam:PassRole is not granted; deploying needs it.");
                else
                    statements.Add(new Statement("PassExecutionRoleToSageMaker", new[] { "iam:PassRole" }, new[] { options.ExecutionRoleArn! },
                        ("StringEquals", "iam:PassedToService", "sagemaker.amazonaws.com")));
            }
            if (role == IamPolicyRole.Admin)
            {
                statements.Add(new Statement("AdministerModelGroup", new[] { "sagemaker:CreateModelPackageGroup", "sagemaker:DeleteModelPackageGroup", "sagemaker:AddTags", "sagemaker:DeleteTags" }, new[] { groupArn }));
                statements.Add(new Statement("DeleteVersions", new[] { "sagemaker:DeleteModelPackage", "sagemaker:DeleteTags" }, new[] { versionsArn }));
                // Get-, Set-, Remove-MRModelGroupPolicy and Sync-MRModelGroup share the group with consumer accounts.
                statements.Add(new Statement("ShareModelGroup", new[]
                {
                    "sagemaker:GetModelPackageGroupPolicy", "sagemaker:PutModelPackageGroupPolicy", "sagemaker:DeleteModelPackageGroupPolicy",
                }, new[] { groupArn }));
            }

            var listActions = AccountWideListActions.ToList();
            // Get-MRDeployment lists endpoints; Remove-MRDeployment lists configs and models to find the earlier ones a switch kept.
            if (role == IamPolicyRole.Deployer || role == IamPolicyRole.Admin)
                listActions.AddRange(new[] { "sagemaker:ListEndpoints", "sagemaker:ListEndpointConfigs", "sagemaker:ListModels" });
            if (options.ExcludeAccountWideList)
                notes.Add($"Left out {string.Join(", ", listActions)}: they list the whole account and IAM grants them only on Resource \"*\", which this policy then avoids; listing all groups (New-MRModelGroup's existence check, Test-MRModelGroup's list check) and endpoints (Get-MRDeployment) is denied, and Remove-MRDeployment cannot look for the earlier configs and models a switch kept.");
            else
            {
                statements.Add(new Statement("AccountWideListing", listActions, new[] { "*" }));
                notes.Add($"{string.Join(", ", listActions)} are granted on Resource \"*\" in statement AccountWideListing: they list the whole account and support no resource-level scoping, so they cannot be limited to the project (they reveal names and summaries, not contents). Use -ExcludeAccountWideList to leave them out.");
            }

            return Finish(project, role, statements, notes);
        }

        /// <summary>
        /// The consumer account's side of sharing: the same actions on the same resources that the group's resource policy
        /// grants it (Set-MRModelGroupPolicy, <see cref="GroupResourcePolicy"/>), so a principal of that account can
        /// describe the group and its versions and create a model from one. Cross-account access needs both.
        /// </summary>
        private static List<Statement> ConsumerStatements(TeamProject project, string groupArn, string versionsArn, List<string> notes)
        {
            notes.Add(project.ConsumerAccounts.Count == 0
                ? $"Team '{project.Team}' has no consumer accounts ({project.Team.ToUpperInvariant()}_CONSUMER_ACCOUNTS or MODEL_REGISTRY_CONSUMER_ACCOUNTS), so the group is not shared and this policy alone grants nothing."
                : $"For the consumer accounts {string.Join(", ", project.ConsumerAccounts)}; it matches the group's resource policy (Set-MRModelGroupPolicy).");
            notes.Add("Deploying in the consumer account also needs that account's own permissions for models, endpoint configs, endpoints and iam:PassRole (Get-MRIamPolicy -Role Deployer with that account's configuration).");
            return new List<Statement>
            {
                new Statement("ReadSharedModelGroup", GroupResourcePolicy.GroupActions, new[] { groupArn }),
                new Statement("UseSharedModelVersions", GroupResourcePolicy.VersionActions, new[] { versionsArn }),
            };
        }

        private static IamPolicy Finish(TeamProject project, IamPolicyRole role, List<Statement> statements, List<string> notes)
        {
            var group = project.GroupName;
            var document = Write(statements);
            var size = document.Count(c => !char.IsWhiteSpace(c));
            if (size > ManagedPolicyMaxSize)
                throw new RegistryException(RegistryErrorKind.Invalid,
                    $"The {role} policy for '{group}' is {size} characters; IAM managed policies allow {ManagedPolicyMaxSize}.", group);
            return new IamPolicy
            {
                Team = project.Team,
                Project = project.Project,
                GroupName = group,
                Role = role,
                PolicyName = $"{group}-ModelRegistry-{role}",
                Document = document,
                Size = size,
                Notes = notes,
            };
        }

        /// <summary>s3://bucket/prefix/ → arn:aws:s3:::bucket/prefix/* (the objects under it); null when there is no prefix.</summary>
        internal static string? MetricsObjectsArn(string partition, string? prefix)
        {
            if (string.IsNullOrEmpty(prefix) || !prefix!.StartsWith("s3://", StringComparison.Ordinal)) return null;
            var path = prefix.Substring("s3://".Length);
            if (path.IndexOf('/') < 0) path += "/";
            return $"arn:{partition}:s3:::{path}*";
        }

        /// <summary>Writes the document to <paramref name="folder"/>/{PolicyName}.json (atomically) and records the path.</summary>
        public static IamPolicy WriteTo(IamPolicy policy, string folder)
        {
            Directory.CreateDirectory(folder);
            var path = Path.Combine(folder, policy.PolicyName + ".json");
            IO.AtomicFile.Replace(path, new UTF8Encoding(false).GetBytes(policy.Document + "\n"));
            policy.Path = path;
            return policy;
        }

        private sealed class Statement
        {
            public Statement(string sid, IEnumerable<string> actions, IEnumerable<string> resources, (string Op, string Key, string Value)? condition = null)
            {
                Sid = sid;
                Actions = actions.Distinct(StringComparer.Ordinal).OrderBy(a => a, StringComparer.Ordinal).ToList();
                Resources = resources.ToList();
                Condition = condition;
            }

            public string Sid { get; }
            public List<string> Actions { get; }
            public List<string> Resources { get; }
            public (string Op, string Key, string Value)? Condition { get; }
        }

        private static string Write(List<Statement> statements)
        {
            using var buffer = new MemoryStream();
            using (var w = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true }))
            {
                w.WriteStartObject();
                w.WriteString("Version", "2012-10-17");
                w.WriteStartArray("Statement");
                foreach (var s in statements)
                {
                    w.WriteStartObject();
                    w.WriteString("Sid", s.Sid);
                    w.WriteString("Effect", "Allow");
                    w.WriteStartArray("Action");
                    foreach (var a in s.Actions) w.WriteStringValue(a);
                    w.WriteEndArray();
                    if (s.Resources.Count == 1) w.WriteString("Resource", s.Resources[0]);
                    else
                    {
                        w.WriteStartArray("Resource");
                        foreach (var r in s.Resources) w.WriteStringValue(r);
                        w.WriteEndArray();
                    }
                    if (s.Condition is { } c)
                    {
                        w.WriteStartObject("Condition");
                        w.WriteStartObject(c.Op);
                        w.WriteString(c.Key, c.Value);
                        w.WriteEndObject();
                        w.WriteEndObject();
                    }
                    w.WriteEndObject();
                }
                w.WriteEndArray();
                w.WriteEndObject();
            }
            return Encoding.UTF8.GetString(buffer.ToArray());
        }
    }
}
