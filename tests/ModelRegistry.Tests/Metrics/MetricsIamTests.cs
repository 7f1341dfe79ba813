using System.Text.Json;
using ModelRegistry.Engine.Config;
using ModelRegistry.Engine.Iam;
using static ModelRegistry.Tests.Config.ConfigTestSupport;

namespace ModelRegistry.Tests.Metrics;

public sealed class MetricsIamTests
{
    private static TeamProject Project(string? prefix) => new TeamProject("rc", "risk-control", "fraud-detection", "rc-fraud-detection",
        "Models for risk-control/fraud-detection", new Dictionary<string, string>(), "ap-northeast-1", "acme", "123456789012", "test/.env.shared", 1)
        .WithMetricsS3Prefix(prefix);

    private static IEnumerable<JsonElement> Statements(IamPolicy policy) =>
        JsonDocument.Parse(policy.Document).RootElement.GetProperty("Statement").EnumerateArray().ToList();

    [Theory]
    [InlineData("s3://acme-models/metrics/", "arn:aws:s3:::acme-models/metrics/*")]
    [InlineData("s3://acme-models", "arn:aws:s3:::acme-models/*")]
    public void Approvers_read_exactly_the_configured_metrics_prefix(string prefix, string resource)
    {
        foreach (var role in new[] { IamPolicyRole.Approver, IamPolicyRole.Admin })
        {
            var policy = IamPolicyBuilder.Build(Project(prefix), new IamPolicyBuilder.Options { Role = role });
            var s3 = Assert.Single(Statements(policy), s => s.GetProperty("Sid").GetString() == "ReadModelMetrics");
            Assert.Equal("s3:GetObject", Assert.Single(s3.GetProperty("Action").EnumerateArray()).GetString());
            Assert.Equal(resource, s3.GetProperty("Resource").GetString());
            Assert.DoesNotContain("s3:*", policy.Document);
        }
        foreach (var role in new[] { IamPolicyRole.Publisher, IamPolicyRole.Deployer })
            Assert.DoesNotContain("s3:", IamPolicyBuilder.Build(Project(prefix), new IamPolicyBuilder.Options { Role = role }).Document);
    }

    [Fact]
    public void Without_a_prefix_nothing_is_granted_and_a_note_says_what_to_add()
    {
        var policy = IamPolicyBuilder.Build(Project(null), new IamPolicyBuilder.Options { Role = IamPolicyRole.Approver });
        Assert.DoesNotContain("s3:", policy.Document);
        Assert.Contains(policy.Notes, n => n.Contains("MODEL_METRICS_S3_PREFIX") && n.Contains("s3:GetObject"));
    }

    [Fact]
    public void The_prefix_comes_from_env_shared_and_a_bad_one_names_file_line_and_key()
    {
        var good = ProjectCatalog.FromEnvFile(Parse("""
            TEAMS="rc"
            TEAM_RC_FULLNAME=risk-control
            RC_PROJECTS="fraud-detection"
            COMPANY=acme
            MODEL_METRICS_S3_PREFIX=s3://acme-models/metrics/
            """));
        Assert.Empty(good.Problems);
        Assert.Equal("s3://acme-models/metrics/", Assert.Single(good.Projects).MetricsS3Prefix);

        var bad = ProjectCatalog.FromEnvFile(Parse("""
            TEAMS="rc"
            TEAM_RC_FULLNAME=risk-control
            RC_PROJECTS="fraud-detection"
            COMPANY=acme
            MODEL_METRICS_S3_PREFIX=s3://acme-models/*
            """));
        AssertProblem(bad.Problems, 5, "MODEL_METRICS_S3_PREFIX", "no wildcards");
        Assert.Null(Assert.Single(bad.Projects).MetricsS3Prefix);
    }
}
