using System.Text.Json;
using ModelRegistry.Engine.Iam;
using ModelRegistry.Tests.Support;

namespace ModelRegistry.Tests.Deployment;

/// <summary>Policy documents against the seed's action list and ARN shapes; valid JSON; size.</summary>
public sealed class IamPolicyBuilderTests
{
    private const string Role = "arn:aws:iam::123456789012:role/sagemaker-execution";

    private static TeamProject Project(string? region = "ap-northeast-1", string? account = "123456789012", string team = "rc", string project = "fraud-detection") =>
        new(team, "risk-control", project, $"{team}-{project}", $"Models for risk-control/{project}",
            new Dictionary<string, string> { ["ManagedBy"] = "acme-sagemaker" }, region, "acme", account, "/cfg/.env.shared", 12, Role);

    private static IamPolicy Build(IamPolicyRole role, TeamProject? p = null, bool excludeList = false, string? executionRole = Role) =>
        IamPolicyBuilder.Build(p ?? Project(), new IamPolicyBuilder.Options { Role = role, ExecutionRoleArn = executionRole, ExcludeAccountWideList = excludeList });

    private sealed record Stmt(string Sid, string[] Actions, string[] Resources, JsonElement? Condition);

    private static List<Stmt> Statements(IamPolicy policy)
    {
        using var doc = JsonDocument.Parse(policy.Document);
        Assert.Equal("2012-10-17", doc.RootElement.GetProperty("Version").GetString());
        return doc.RootElement.GetProperty("Statement").EnumerateArray().Select(s =>
        {
            Assert.Equal("Allow", s.GetProperty("Effect").GetString());
            var r = s.GetProperty("Resource");
            var resources = r.ValueKind == JsonValueKind.String ? new[] { r.GetString()! } : r.EnumerateArray().Select(x => x.GetString()!).ToArray();
            return new Stmt(s.GetProperty("Sid").GetString()!, s.GetProperty("Action").EnumerateArray().Select(a => a.GetString()!).ToArray(), resources,
                s.TryGetProperty("Condition", out var c) ? c.Clone() : null);
        }).ToList();
    }

    private static HashSet<string> Actions(IamPolicy p) => Statements(p).SelectMany(s => s.Actions).ToHashSet();

    [Theory]
    [InlineData(IamPolicyRole.Publisher)]
    [InlineData(IamPolicyRole.Approver)]
    [InlineData(IamPolicyRole.Deployer)]
    [InlineData(IamPolicyRole.Admin)]
    public void Every_role_is_valid_json_with_unique_alphanumeric_sids_under_the_size_limit_and_no_wildcard_actions(IamPolicyRole role)
    {
        var policy = Build(role);
        var statements = Statements(policy);
        Assert.All(statements, s => Assert.Matches("^[A-Za-z0-9]+$", s.Sid));
        Assert.Equal(statements.Count, statements.Select(s => s.Sid).Distinct().Count());
        Assert.All(statements.SelectMany(s => s.Actions), a => Assert.DoesNotContain("*", a));
        Assert.Equal(policy.Document.Count(c => !char.IsWhiteSpace(c)), policy.Size);
        Assert.True(policy.Size <= IamPolicyBuilder.ManagedPolicyMaxSize);
        Assert.Equal($"rc-fraud-detection-ModelRegistry-{role}", policy.PolicyName);
    }

    [Theory]
    [InlineData(IamPolicyRole.Publisher)]
    [InlineData(IamPolicyRole.Approver)]
    [InlineData(IamPolicyRole.Deployer)]
    [InlineData(IamPolicyRole.Admin)]
    public void The_only_star_resource_is_the_separate_list_statement_and_it_holds_only_List_actions(IamPolicyRole role)
    {
        var statements = Statements(Build(role));
        var star = Assert.Single(statements, s => s.Resources.Contains("*"));
        Assert.Equal("AccountWideListing", star.Sid);
        Assert.Equal(new[] { "*" }, star.Resources);
        Assert.All(star.Actions, a => Assert.StartsWith("sagemaker:List", a));

        var without = Statements(Build(role, excludeList: true));
        Assert.DoesNotContain(without, s => s.Resources.Contains("*"));
        Assert.DoesNotContain("sagemaker:ListModelPackageGroups", without.SelectMany(s => s.Actions));
        Assert.DoesNotContain("sagemaker:ListEndpoints", without.SelectMany(s => s.Actions));
    }

    [Fact]
    public void Listing_a_groups_versions_is_scoped_to_the_group_and_only_account_wide_lists_use_star()
    {
        var statements = Statements(Build(IamPolicyRole.Publisher));
        var read = Assert.Single(statements, s => s.Actions.Contains("sagemaker:ListModelPackages"));
        Assert.Contains("arn:aws:sagemaker:ap-northeast-1:123456789012:model-package-group/rc-fraud-detection", read.Resources);
        Assert.DoesNotContain("*", read.Resources);
        Assert.Equal(new[] { "sagemaker:ListModelPackageGroups" }, Assert.Single(statements, s => s.Sid == "AccountWideListing").Actions);
    }

    [Fact]
    public void Registry_resources_are_the_seeds_two_arns_for_the_project()
    {
        var registryArns = Statements(Build(IamPolicyRole.Admin))
            .Where(s => s.Actions.Any(a => a.Contains("ModelPackage")) && !s.Resources.Contains("*"))
            .SelectMany(s => s.Resources).ToHashSet();
        Assert.Equal(new HashSet<string>
        {
            "arn:aws:sagemaker:ap-northeast-1:123456789012:model-package-group/rc-fraud-detection",
            "arn:aws:sagemaker:ap-northeast-1:123456789012:model-package/rc-fraud-detection/*",
        }, registryArns);
    }

    [Fact]
    public void Admin_covers_every_seed_action_and_each_role_only_what_it_needs()
    {
        Assert.Subset(Actions(Build(IamPolicyRole.Admin)), IamPolicyBuilder.SeedActions.ToHashSet());

        var publisher = Actions(Build(IamPolicyRole.Publisher));
        Assert.Contains("sagemaker:CreateModelPackage", publisher);
        Assert.DoesNotContain("sagemaker:UpdateModelPackage", publisher);
        Assert.DoesNotContain("sagemaker:CreateModelPackageGroup", publisher);

        var approver = Actions(Build(IamPolicyRole.Approver));
        Assert.Contains("sagemaker:UpdateModelPackage", approver);
        Assert.DoesNotContain("sagemaker:CreateModelPackage", approver);
        Assert.DoesNotContain(approver, a => a.StartsWith("sagemaker:Delete", StringComparison.Ordinal) || a.Contains("Endpoint") || a == "sagemaker:AddTags");

        var deployer = Actions(Build(IamPolicyRole.Deployer));
        Assert.Subset(deployer, new HashSet<string> { "sagemaker:CreateModel", "sagemaker:CreateEndpointConfig", "sagemaker:CreateEndpoint", "sagemaker:UpdateEndpoint", "sagemaker:DescribeEndpoint", "iam:PassRole" });
        Assert.DoesNotContain("sagemaker:UpdateModelPackage", deployer);
        Assert.DoesNotContain("sagemaker:DeleteModelPackage", deployer);

        var admin = Actions(Build(IamPolicyRole.Admin));
        Assert.Subset(admin, new HashSet<string> { "sagemaker:DeleteModelPackage", "sagemaker:DeleteModelPackageGroup", "sagemaker:AddTags", "sagemaker:DeleteTags" });
        Assert.Subset(admin, publisher.Union(approver).Union(deployer).ToHashSet());
    }

    [Fact]
    public void Deployer_resources_are_scoped_to_the_deploy_name_prefix_and_the_role_is_passed_only_to_SageMaker()
    {
        var statements = Statements(Build(IamPolicyRole.Deployer));
        var deploy = Assert.Single(statements, s => s.Sid == "DeployApprovedVersions");
        Assert.Contains("arn:aws:sagemaker:ap-northeast-1:123456789012:model/rc-fraud-detection-*", deploy.Resources);
        Assert.Contains("arn:aws:sagemaker:ap-northeast-1:123456789012:endpoint-config/rc-fraud-detection-*", deploy.Resources);
        Assert.Contains("arn:aws:sagemaker:ap-northeast-1:123456789012:endpoint/fraud-detection-*", deploy.Resources);
        var pass = Assert.Single(statements, s => s.Sid == "PassExecutionRoleToSageMaker");
        Assert.Equal(new[] { Role }, pass.Resources);
        Assert.Equal("sagemaker.amazonaws.com", pass.Condition!.Value.GetProperty("StringEquals").GetProperty("iam:PassedToService").GetString());

        var noRole = Build(IamPolicyRole.Deployer, executionRole: null);
        Assert.DoesNotContain("iam:PassRole", Actions(noRole));
        Assert.Contains(noRole.Notes, n => n.Contains("SAGEMAKER_EXECUTION_ROLE_ARN"));
    }

    [Theory]
    [InlineData(null, "123456789012", "AWS_REGION")]
    [InlineData("ap-northeast-1", null, "AWS_ACCOUNT_ID")]
    public void A_missing_region_or_account_is_an_error_naming_the_key(string? region, string? account, string key)
    {
        var e = Assert.Throws<ConfigurationException>(() => Build(IamPolicyRole.Publisher, Project(region, account)));
        Assert.Equal(key, e.Key);
        Assert.Contains(key, e.Message);
    }

    [Fact]
    public void China_regions_use_the_aws_cn_partition()
    {
        var policy = Build(IamPolicyRole.Approver, Project(region: "cn-north-1"));
        Assert.Contains("arn:aws-cn:sagemaker:cn-north-1:123456789012:model-package/rc-fraud-detection/*", policy.Document);
    }

    [Fact]
    public void WriteTo_writes_the_document_as_PolicyName_json()
    {
        using var temp = new TempFolder("mr-iam");
        var folder = temp.Combine("policies");
        var policy = IamPolicyBuilder.WriteTo(Build(IamPolicyRole.Publisher), folder);
        Assert.Equal(Path.Combine(folder, "rc-fraud-detection-ModelRegistry-Publisher.json"), policy.Path);
        using var doc = JsonDocument.Parse(File.ReadAllText(policy.Path!));
        Assert.Equal(policy.Document.Trim(), File.ReadAllText(policy.Path!).Trim());
    }
}
