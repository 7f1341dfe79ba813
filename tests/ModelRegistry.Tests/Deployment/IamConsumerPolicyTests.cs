using System.Text.Json;
using ModelRegistry.Engine.Iam;

namespace ModelRegistry.Tests.Deployment;

/// <summary>Get-MRIamPolicy's side of sharing: the Consumer role matches the group's resource policy, and Admin may share.</summary>
public sealed class IamConsumerPolicyTests
{
    private const string GroupArn = "arn:aws:sagemaker:ap-northeast-1:123456789012:model-package-group/rc-fraud-detection";
    private const string VersionsArn = "arn:aws:sagemaker:ap-northeast-1:123456789012:model-package/rc-fraud-detection/*";
    private static readonly string[] PolicyActions =
        { "sagemaker:GetModelPackageGroupPolicy", "sagemaker:PutModelPackageGroupPolicy", "sagemaker:DeleteModelPackageGroupPolicy" };

    private static TeamProject Project(params string[] consumers) =>
        new TeamProject("rc", "risk-control", "fraud-detection", "rc-fraud-detection", "Models for risk-control/fraud-detection",
            new Dictionary<string, string> { ["ManagedBy"] = "acme-sagemaker" }, "ap-northeast-1", "acme", "123456789012", "/cfg/.env.shared", 12)
            .WithConsumerAccounts(consumers);

    private static IamPolicy Build(IamPolicyRole role, TeamProject? p = null) =>
        IamPolicyBuilder.Build(p ?? Project("111111111111"), new IamPolicyBuilder.Options { Role = role });

    /// <summary>(Sid, action, resource) of every grant in a document.</summary>
    private static List<(string Sid, string Action, string Resource)> Grants(string document)
    {
        static string[] Texts(JsonElement e) =>
            e.ValueKind == JsonValueKind.Array ? e.EnumerateArray().Select(x => x.GetString()!).ToArray() : new[] { e.GetString()! };
        using var doc = JsonDocument.Parse(document);
        return doc.RootElement.GetProperty("Statement").EnumerateArray()
            .SelectMany(s => Texts(s.GetProperty("Action")).SelectMany(a => Texts(s.GetProperty("Resource")).Select(r => (s.GetProperty("Sid").GetString()!, a, r))))
            .ToList();
    }

    [Fact]
    public void Consumer_grants_exactly_what_the_groups_resource_policy_grants_the_consumer_accounts()
    {
        var consumer = Build(IamPolicyRole.Consumer);
        var resourcePolicy = GroupResourcePolicy.Build(GroupArn, new[] { "111111111111" }, allowApproval: false);

        Assert.Equal(Grants(resourcePolicy).Select(g => (g.Action, g.Resource)).OrderBy(g => g),
            Grants(consumer.Document).Select(g => (g.Action, g.Resource)).OrderBy(g => g));
        Assert.Equal(new[]
        {
            ("sagemaker:CreateModel", VersionsArn), ("sagemaker:DescribeModelPackage", VersionsArn),
            ("sagemaker:DescribeModelPackageGroup", GroupArn), ("sagemaker:ListModelPackages", VersionsArn),
        }, Grants(consumer.Document).Select(g => (g.Action, g.Resource)).OrderBy(g => g));
        Assert.All(Grants(consumer.Document), g => Assert.Matches("^[A-Za-z0-9]+$", g.Sid));
        Assert.Equal("rc-fraud-detection-ModelRegistry-Consumer", consumer.PolicyName);
        Assert.True(consumer.Size <= IamPolicyBuilder.ManagedPolicyMaxSize);
        Assert.Contains(consumer.Notes, n => n.Contains("111111111111"));
    }

    [Fact]
    public void Consumer_for_a_team_that_shares_with_nobody_says_so()
    {
        var consumer = Build(IamPolicyRole.Consumer, Project());
        Assert.Contains(consumer.Notes, n => n.Contains("RC_CONSUMER_ACCOUNTS") && n.Contains("not shared"));
    }

    [Fact]
    public void Admin_may_read_set_and_remove_the_groups_policy_on_the_group_only_and_no_other_role_may()
    {
        var admin = Grants(Build(IamPolicyRole.Admin).Document);
        foreach (var action in PolicyActions)
            Assert.Equal(new[] { GroupArn }, admin.Where(g => g.Action == action).Select(g => g.Resource));
        foreach (var role in new[] { IamPolicyRole.Publisher, IamPolicyRole.Approver, IamPolicyRole.Deployer, IamPolicyRole.Consumer })
            Assert.DoesNotContain(Grants(Build(role).Document), g => g.Action.Contains("ModelPackageGroupPolicy"));
    }
}
