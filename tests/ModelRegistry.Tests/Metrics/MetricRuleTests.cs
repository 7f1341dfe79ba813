using ModelRegistry.Engine.Config;
using ModelRegistry.Engine.Metrics;
using static ModelRegistry.Tests.Config.ConfigTestSupport;

namespace ModelRegistry.Tests.Metrics;

public sealed class MetricRuleTests
{
    private static readonly ModelVersion Version = new() { GroupName = "rc-fraud-detection", Version = 2, Arn = "arn:aws:sagemaker:us-east-1:123456789012:model-package/rc-fraud-detection/2" };

    private static ModelMetric M(string name, double? value, MetricsSourceKind source = MetricsSourceKind.ModelQualityStatistics) =>
        new(Version.GroupName, Version.Version, Version.Arn, source, null, name, value);

    [Theory]
    [InlineData("auc >= 0.90", "auc", ComparisonOperator.GreaterOrEqual, 0.9)]
    [InlineData("auc>=0.9", "auc", ComparisonOperator.GreaterOrEqual, 0.9)]
    [InlineData(" f1 > .8 ", "f1", ComparisonOperator.Greater, 0.8)]
    [InlineData("mse <= 1e-3", "mse", ComparisonOperator.LessOrEqual, 0.001)]
    [InlineData("loss<2", "loss", ComparisonOperator.Less, 2)]
    [InlineData("confusion_matrix.1.0 == 0", "confusion_matrix.1.0", ComparisonOperator.Equal, 0)]
    [InlineData("bias != -0.5", "bias", ComparisonOperator.NotEqual, -0.5)]
    public void Rules_parse(string text, string metric, ComparisonOperator op, double threshold)
    {
        var rule = MetricRule.Parse(text);
        Assert.Equal(metric, rule.Metric);
        Assert.Equal(op, rule.Operator);
        Assert.Equal(threshold, rule.Threshold);
    }

    [Theory]
    [InlineData("auc")]
    [InlineData("auc >= high")]
    [InlineData(">= 0.9")]
    [InlineData("auc => 0.9")]
    [InlineData("auc = 0.9")]
    [InlineData("auc >= 0.9 f1 >= 0.8")]
    [InlineData("auc >= 0,9")]
    [InlineData("")]
    public void Anything_else_is_an_error_naming_the_syntax(string text)
    {
        var e = Assert.Throws<ArgumentException>(() => MetricRule.Parse(text));
        Assert.Contains("is not a rule", e.Message);
        Assert.Contains(">= > <= < == !=", e.Message);
    }

    [Fact]
    public void A_list_takes_spaces_commas_or_semicolons_and_names_the_bad_part()
    {
        Assert.Equal(new[] { "auc >= 0.9", "f1 >= 0.8", "mse < 2" },
            MetricRule.ParseList("auc>=0.9 f1 >= 0.8, mse<2").Select(r => r.ToString()));
        var e = Assert.Throws<ArgumentException>(() => MetricRule.ParseList("auc>=0.9 f1>=x"));
        Assert.Contains("'f1>=x' is not a rule", e.Message);
        Assert.Throws<ArgumentException>(() => MetricRule.ParseList("   "));
    }

    [Fact]
    public void A_missing_metric_fails_its_rule_and_the_refusal_names_each_failing_rule_with_the_actual_value()
    {
        var metrics = new[] { M("auc", 0.71), M("f1", 0.85, MetricsSourceKind.CustomerMetadata) };
        var rules = new[] { MetricRule.Parse("auc >= 0.9"), MetricRule.Parse("f1 >= 0.8"), MetricRule.Parse("recall > 0.5") };
        var results = Requirements.Evaluate(Version, metrics, rules);
        Assert.Equal(new[] { false, true, false }, results.Select(r => r.Passed));
        Assert.Equal(0.71, results[0].Actual);
        Assert.Equal(MetricsSourceKind.CustomerMetadata, results[1].Source);
        Assert.Null(results[2].Actual);
        Assert.Equal("no metric 'recall'", results[2].Detail);

        var refusal = Requirements.FailureText(Version, results)!;
        Assert.Contains("auc >= 0.9 failed (auc = 0.71, needs >= 0.9)", refusal);
        Assert.Contains("recall > 0.5 failed (no metric 'recall')", refusal);
        Assert.DoesNotContain("f1 >= 0.8 failed", refusal);
        Assert.Null(Requirements.FailureText(Version, results.Where(r => r.Passed).ToList()));
    }

    [Fact]
    public void Statistics_win_over_metadata_and_constraints_are_never_judged_as_values()
    {
        var metrics = new[]
        {
            M("auc", 0.95, MetricsSourceKind.ModelQualityConstraints),
            M("auc", 0.5, MetricsSourceKind.CustomerMetadata),
            M("auc", 0.93),
        };
        Assert.Equal(0.93, MetricsReadout.Find(metrics, "AUC")!.Value);
        Assert.Null(MetricsReadout.Find(new[] { M("auc", 0.95, MetricsSourceKind.ModelQualityConstraints) }, "auc"));
        // A metric without a value (NaN in the file) fails.
        Assert.False(MetricRule.Parse("auc >= 0").Evaluate(Version, new[] { M("auc", null) }).Passed);
    }

    [Fact]
    public void The_approval_description_records_the_rules_that_held_and_reads_back()
    {
        var results = Requirements.Evaluate(Version, new[] { M("auc", 0.93), M("f1", 0.85) },
            new[] { MetricRule.Parse("auc >= 0.9"), MetricRule.Parse("f1 > 0.8") });
        var text = Requirements.Describe("reviewed by ml-lead", results);
        Assert.Equal("reviewed by ml-lead | Gate: auc = 0.93 (>= 0.9); f1 = 0.85 (> 0.8)", text);
        Assert.Equal(new[] { "auc >= 0.9", "f1 > 0.8" }, Requirements.HeldRules(text));
        Assert.Empty(Requirements.HeldRules("AUC 0.93"));
        Assert.Empty(Requirements.HeldRules("Gate: auc = high (>= 0.9x)"));
        Assert.True(Requirements.Describe(new string('x', 1020), results).Length <= 1024);
    }

    [Fact]
    public void Team_default_rules_come_from_env_shared_and_a_bad_one_names_file_line_and_key()
    {
        var good = ProjectCatalog.FromEnvFile(Parse("""
            TEAMS="rc algo"
            TEAM_RC_FULLNAME=risk-control
            TEAM_ALGO_FULLNAME=algorithm
            RC_PROJECTS="fraud-detection"
            ALGO_PROJECTS="recommendation-engine"
            RC_APPROVAL_REQUIRE="auc>=0.9 f1>=0.8"
            COMPANY=acme
            """));
        Assert.Empty(good.Problems);
        Assert.Equal(new[] { "auc >= 0.9", "f1 >= 0.8" }, good.Projects.Single(p => p.Team == "rc").ApprovalRequire);
        Assert.Empty(good.Projects.Single(p => p.Team == "algo").ApprovalRequire);

        var bad = ProjectCatalog.FromEnvFile(Parse("""
            TEAMS="rc"
            TEAM_RC_FULLNAME=risk-control
            RC_PROJECTS="fraud-detection"
            RC_APPROVAL_REQUIRE="auc>=0.9 f1 at least 0.8"
            COMPANY=acme
            """));
        AssertProblem(bad.Problems, 4, "RC_APPROVAL_REQUIRE", "is not a rule");
    }
}
