using ModelRegistry.Engine.Config;
using static ModelRegistry.Tests.Config.ConfigTestSupport;

namespace ModelRegistry.Tests.Config;

/// <summary>MODEL_LIFECYCLE_STAGES: parsed (never executed), in promotion order, every problem naming file:line:key.</summary>
public sealed class LifecycleStagesTests
{
    private static (LifecycleStages? Stages, List<ConfigurationException> Problems) From(string text)
    {
        var file = Parse(text);
        var problems = new List<ConfigurationException>();
        return (LifecycleStages.From(file, problems), problems.Concat(file.Problems).ToList());
    }

    [Theory]
    [InlineData("COMPANY=acme\n")]
    [InlineData("MODEL_LIFECYCLE_STAGES=\n")]
    [InlineData("MODEL_LIFECYCLE_STAGES=\"  \"\n")]
    public void Unset_or_blank_is_Development_Staging_Production(string text)
    {
        var (stages, problems) = From(text);
        Assert.Empty(problems);
        Assert.Equal(new[] { "Development", "Staging", "Production" }, stages!.Names);
        Assert.Equal("Production", stages.Last);
    }

    [Fact]
    public void The_configured_stages_are_in_promotion_order_and_compare_case_insensitively()
    {
        var (stages, problems) = From("COMPANY=acme\nMODEL_LIFECYCLE_STAGES=\"Dev QA Pre-Prod Prod\"\n");
        Assert.Empty(problems);
        Assert.Equal(new[] { "Dev", "QA", "Pre-Prod", "Prod" }, stages!.Names);
        Assert.Equal(2, stages.IndexOf("pre-prod"));
        Assert.Equal(-1, stages.IndexOf("Production"));
        Assert.True(stages.IsLast("PROD"));
        Assert.Equal("QA", stages.Resolve("qa"));
        var unknown = Assert.Throws<RegistryException>(() => stages.Resolve("Staging"));
        Assert.Equal((RegistryErrorKind.Invalid, LifecycleStages.UnknownStage), (unknown.Kind, unknown.Reason));
        Assert.Contains("Dev, QA, Pre-Prod, Prod", unknown.Message);
    }

    [Theory]
    [InlineData("MODEL_LIFECYCLE_STAGES=\"Dev Pre_Prod Prod\"", "'Pre_Prod' is not a stage name")]
    [InlineData("MODEL_LIFECYCLE_STAGES=\"Dev,Staging,Prod\"", "separate stages with spaces")]
    [InlineData("MODEL_LIFECYCLE_STAGES=\"Dev Staging staging\"", "more than once")]
    public void A_bad_value_is_a_problem_on_its_line_and_no_stages_are_guessed(string line, string containing)
    {
        var (stages, problems) = From("COMPANY=acme\n" + line + "\n");
        Assert.Null(stages);
        AssertProblem(problems, 2, LifecycleStages.Key, containing);
    }

    [Fact]
    public void A_line_the_reader_drops_is_a_problem_and_not_the_default()
    {
        // Unquoted spaces: bash would run "Staging" as a command; the reader refuses the line, and the stages are not defaulted.
        var (stages, problems) = From("COMPANY=acme\nMODEL_LIFECYCLE_STAGES=Dev Staging Prod\n");
        Assert.Null(stages);
        AssertProblem(problems, 2, LifecycleStages.Key);
    }

    [Fact]
    public void The_catalog_carries_the_stages_and_reports_their_problem()
    {
        const string head = "COMPANY=acme\nAWS_REGION=ap-northeast-1\nTEAMS=\"rc\"\nRC_PROJECTS=\"fraud\"\n";
        var good = ProjectCatalog.FromEnvFile(Parse(head + "MODEL_LIFECYCLE_STAGES=\"Dev Prod\"\n"));
        Assert.Empty(good.Problems);
        Assert.Equal(new[] { "Dev", "Prod" }, good.Settings.LifecycleStages!.Names);

        var bad = ProjectCatalog.FromEnvFile(Parse(head + "MODEL_LIFECYCLE_STAGES=\"Dev Prod!\"\n"));
        Assert.Null(bad.Settings.LifecycleStages);
        AssertProblem(bad.Problems, 5, LifecycleStages.Key, "'Prod!'");
    }
}
