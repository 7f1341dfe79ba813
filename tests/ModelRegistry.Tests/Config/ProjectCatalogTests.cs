using ModelRegistry.Engine.Config;
using static ModelRegistry.Tests.Config.ConfigTestSupport;

namespace ModelRegistry.Tests.Config;

public class ProjectCatalogTests
{
    private const string Seed =
        "TEAMS=\"rc algo\"\n" +            // 1
        "TEAM_RC_FULLNAME=risk-control\n" + // 2
        "RC_PROJECTS=\"fraud-detection anti-money-laundering\"\n" + // 3
        "TEAM_ALGO_FULLNAME=algorithm\n" +  // 4
        "ALGO_PROJECTS=\"recommendation-engine\"\n" + // 5
        "COMPANY=acme\n";                   // 6

    private static ProjectCatalog Catalog(string text, IEnumerable<string>? teams = null, IEnumerable<string>? projects = null) =>
        ProjectCatalog.FromEnvFile(Parse(text), teams, projects);

    private static string[] Groups(ProjectCatalog c) => c.Projects.Select(p => p.GroupName).ToArray();

    [Fact]
    public void The_seed_example_expands_to_its_three_groups()
    {
        var c = Catalog(Seed);
        Assert.Empty(c.Problems);
        Assert.Empty(c.Warnings);
        Assert.True(c.Enabled);
        Assert.Equal(new[] { "rc-fraud-detection", "rc-anti-money-laundering", "algo-recommendation-engine" }, Groups(c));
        Assert.Equal(new[] { "Models for risk-control/fraud-detection", "Models for risk-control/anti-money-laundering",
            "Models for algorithm/recommendation-engine" }, c.Projects.Select(p => p.Description));

        var fraud = c.Projects[0];
        Assert.Equal("rc", fraud.Team);
        Assert.Equal("risk-control", fraud.TeamFullName);
        Assert.Equal("fraud-detection", fraud.Project);
        Assert.Equal(new[] { "ManagedBy", "Team", "Project", "Phase" }, fraud.Tags.Keys);
        Assert.Equal(new[] { "acme-sagemaker", "rc", "fraud-detection", "2C" }, fraud.Tags.Values);
        Assert.Equal("acme-sagemaker", fraud.Tags["ManagedBy"]);
        Assert.Equal(new[] { "acme-sagemaker", "algo", "recommendation-engine", "2C" }, c.Projects[2].Tags.Values);
        Assert.Equal("acme", fraud.Company);
        Assert.Equal(TestPath, fraud.SourcePath);
        Assert.Equal(3, fraud.SourceLine);
        Assert.Equal(5, c.Projects[2].SourceLine);
        Assert.Equal(c.Projects, c.AllProjects);
    }

    [Fact]
    public void The_example_file_at_the_repo_root_gives_the_three_groups()
    {
        var path = System.IO.Path.Combine(RepoRoot(), ".env.shared.example");
        var c = ProjectCatalog.Load(path);
        Assert.Empty(c.Problems);
        Assert.Empty(c.Warnings);
        Assert.Equal(new[] { "rc-fraud-detection", "rc-anti-money-laundering", "algo-recommendation-engine" }, Groups(c));
        Assert.Equal("ap-northeast-1", c.Settings.Region);
        Assert.Equal("123456789012", c.Settings.AccountId);
        Assert.Equal("acme", c.Settings.Company);
        Assert.Equal("acme-sagemaker", c.Settings.TagPrefix);
        Assert.Equal("output", c.Settings.OutputDir);
        Assert.Null(c.Settings.Profile);
        // Deploy-MRModelVersion's help examples run on SageMaker as written: the example names an execution role.
        Assert.Equal("arn:aws:iam::123456789012:role/sagemaker-execution", c.Settings.ExecutionRoleArn);
        Assert.All(c.Projects, p =>
        {
            Assert.Equal("ap-northeast-1", p.Region);
            Assert.Equal("123456789012", p.AccountId);
            Assert.Equal(path, p.SourcePath);
        });
    }

    [Fact]
    public void Settings_are_read_with_defaults()
    {
        var c = Catalog(Seed + "AWS_REGION=us-east-1\nAWS_PROFILE=ml\nAWS_ACCOUNT_ID=000000000042\nOUTPUT_DIR=/tmp/out\n");
        Assert.Empty(c.Problems);
        Assert.Equal("us-east-1", c.Settings.Region);
        Assert.Equal("ml", c.Settings.Profile);
        Assert.Equal("000000000042", c.Settings.AccountId);
        Assert.Equal("/tmp/out", c.Settings.OutputDir);
        Assert.Equal("000000000042", c.Projects[0].AccountId);

        var d = Catalog(Seed + "OUTPUT_DIR=\n");
        Assert.Equal(ProjectCatalog.DefaultOutputDir, d.Settings.OutputDir);
        Assert.Null(d.Settings.Region);
        Assert.Null(d.Settings.AccountId);
    }

    [Theory]
    [InlineData("12345")]
    [InlineData("12345678901a")]
    [InlineData("1234567890123")]
    [InlineData("１２３４５６７８９０１２")] // full-width digits are not ASCII digits
    public void An_account_id_that_is_not_12_digits_is_a_problem(string id)
    {
        var c = Catalog(Seed + $"AWS_ACCOUNT_ID='{id}'\n");
        AssertProblem(c.Problems, 7, "AWS_ACCOUNT_ID", "12 digits");
        Assert.Null(c.Settings.AccountId);
        // Fail closed: projects without the account would act unguarded.
        Assert.Empty(c.Projects);
        Assert.Empty(c.AllProjects);
    }

    [Theory]
    [InlineData("ap-northeast-1.attacker.invalid")]
    [InlineData("ap-northeast-1\\n")]
    [InlineData("AP-NORTHEAST-1")]
    [InlineData("ap-northeast")]
    [InlineData("ap-northeast-1/x")]
    public void A_region_that_is_not_a_region_name_is_a_problem_and_gives_no_projects(string region)
    {
        var c = Catalog(Seed + $"AWS_REGION=\"{region}\"\n");
        AssertProblem(c.Problems, 7, "AWS_REGION", "not an AWS region");
        Assert.Null(c.Settings.Region);
        // Fail closed: the projects would carry the region to every cmdlet they feed.
        Assert.Empty(c.Projects);
        Assert.Empty(c.AllProjects);
    }

    [Theory]
    [InlineData("ap-northeast-1")]
    [InlineData("us-gov-west-1")]
    [InlineData("cn-north-1")]
    [InlineData("eu-central-2")]
    public void Real_region_names_are_accepted(string region)
    {
        var c = Catalog(Seed + $"AWS_REGION={region}\n");
        Assert.Empty(c.Problems);
        Assert.Equal(region, c.Settings.Region);
        Assert.All(c.Projects, p => Assert.Equal(region, p.Region));
    }

    [Theory]
    [InlineData("")]
    [InlineData("ENABLE_MODEL_REGISTRY=true\n")]
    [InlineData("ENABLE_MODEL_REGISTRY=TRUE\n")]
    [InlineData("ENABLE_MODEL_REGISTRY=\"True\"\n")]
    [InlineData("ENABLE_MODEL_REGISTRY=\n")]
    public void The_module_is_enabled_by_default_or_by_true(string line)
    {
        var c = Catalog(line + Seed);
        Assert.True(c.Enabled);
        Assert.Equal(3, c.Projects.Count);
    }

    [Theory]
    [InlineData("false")]
    [InlineData("0")]
    [InlineData("yes")]
    [InlineData("truee")]
    public void Any_other_value_disables_with_a_warning_saying_why_and_where(string value)
    {
        var c = Catalog("COMPANY=acme\nENABLE_MODEL_REGISTRY=" + value + "\n");
        Assert.False(c.Enabled);
        Assert.Empty(c.Projects);
        Assert.Empty(c.Problems); // TEAMS is not even needed when disabled
        var warning = Assert.Single(c.Warnings);
        Assert.StartsWith($"{TestPath}:2: ENABLE_MODEL_REGISTRY: ", warning);
        Assert.Contains($"'{value}'", warning);
        Assert.Contains("disabled", warning);
    }

    [Fact]
    public void Missing_teams_is_a_problem()
    {
        var c = Catalog("COMPANY=acme\n");
        AssertProblem(c.Problems, 0, "TEAMS", "not set");
        Assert.Empty(c.Projects);
    }

    [Theory]
    [InlineData("TEAMS=")]
    [InlineData("TEAMS=\"  \t \"")]
    public void Empty_teams_is_a_problem_on_its_line(string line)
    {
        var c = Catalog("COMPANY=acme\n" + line + "\n");
        AssertProblem(c.Problems, 2, "TEAMS", "empty");
        Assert.Single(c.Problems);
    }

    [Fact]
    public void Teams_may_be_separated_by_any_whitespace()
    {
        var c = Catalog("COMPANY=acme\nTEAMS=\"  rc\talgo  \"\nRC_PROJECTS=\"a\tb\"\nALGO_PROJECTS=c\n");
        Assert.Equal(new[] { "rc-a", "rc-b", "algo-c" }, Groups(c));
        Assert.Equal(2, c.Warnings.Count); // the two missing full names
    }

    [Theory]
    [InlineData("risk-control")]
    [InlineData("1rc")]
    [InlineData("rc.x")]
    public void A_team_id_that_cannot_form_a_key_is_a_problem_on_teams(string team)
    {
        var c = Catalog($"COMPANY=acme\nTEAMS=\"{team} algo\"\nALGO_PROJECTS=x\nTEAM_ALGO_FULLNAME=algorithm\n");
        var p = AssertProblem(c.Problems, 2, "TEAMS", team);
        Assert.Single(c.Problems);
        Assert.Contains("key", p.Problem);
        Assert.Equal(new[] { "algo-x" }, Groups(c));
    }

    [Fact]
    public void A_team_listed_twice_is_a_problem_and_the_first_is_kept()
    {
        var c = Catalog("COMPANY=acme\nTEAMS=\"rc algo RC\"\nRC_PROJECTS=x\nALGO_PROJECTS=y\nTEAM_RC_FULLNAME=r\nTEAM_ALGO_FULLNAME=a\n");
        AssertProblem(c.Problems, 2, "TEAMS", "'RC' is listed more than once");
        Assert.Single(c.Problems);
        Assert.Equal(new[] { "rc-x", "algo-y" }, Groups(c));
    }

    [Fact]
    public void A_missing_full_name_falls_back_to_the_team_id_with_a_warning()
    {
        var c = Catalog("COMPANY=acme\nTEAMS=\"rc algo\"\nRC_PROJECTS=x\nALGO_PROJECTS=y\nTEAM_ALGO_FULLNAME=\n");
        Assert.Empty(c.Problems);
        Assert.Equal("Models for rc/x", c.Projects[0].Description);
        Assert.Equal("rc", c.Projects[0].TeamFullName);
        Assert.Equal("Models for algo/y", c.Projects[1].Description);
        Assert.Equal(2, c.Warnings.Count);
        Assert.StartsWith($"{TestPath}:2: TEAM_RC_FULLNAME: ", c.Warnings[0]); // missing: the TEAMS line
        Assert.StartsWith($"{TestPath}:5: TEAM_ALGO_FULLNAME: ", c.Warnings[1]); // empty: its own line
    }

    [Fact]
    public void A_team_without_a_projects_key_is_a_problem_on_the_teams_line_and_is_skipped()
    {
        var c = Catalog("COMPANY=acme\nTEAMS=\"rc algo\"\nTEAM_RC_FULLNAME=r\nTEAM_ALGO_FULLNAME=a\nALGO_PROJECTS=y\n");
        AssertProblem(c.Problems, 2, "RC_PROJECTS", "'rc'");
        Assert.Single(c.Problems);
        Assert.Equal(new[] { "algo-y" }, Groups(c));
    }

    [Fact]
    public void A_team_with_an_empty_project_list_is_a_problem_on_that_line_and_is_skipped()
    {
        var c = Catalog("COMPANY=acme\nTEAMS=\"rc algo\"\nTEAM_RC_FULLNAME=r\nTEAM_ALGO_FULLNAME=a\nRC_PROJECTS=\" \"\nALGO_PROJECTS=y\n");
        AssertProblem(c.Problems, 5, "RC_PROJECTS", "no projects");
        Assert.Equal(new[] { "algo-y" }, Groups(c));
    }

    [Theory]
    [InlineData("fraud_detection")]
    [InlineData("fraud.detection")]
    [InlineData("fraud-")]
    [InlineData("détection")]
    [InlineData("a-very-long-project-name-that-pushes-the-group-name-past-63-ch")]
    public void An_invalid_group_name_is_a_problem_on_the_projects_line(string project)
    {
        var c = Catalog($"COMPANY=acme\nTEAMS=rc\nTEAM_RC_FULLNAME=r\nRC_PROJECTS=\"ok {project}\"\n");
        var p = AssertProblem(c.Problems, 4, "RC_PROJECTS", project);
        Assert.Single(c.Problems);
        Assert.Contains("rc-", p.Problem);
        Assert.Equal(new[] { "rc-ok" }, Groups(c));
    }

    [Fact]
    public void The_longest_valid_group_name_is_accepted()
    {
        var project = new string('p', 60);
        var c = Catalog($"COMPANY=acme\nTEAMS=rc\nTEAM_RC_FULLNAME=r\nRC_PROJECTS={project}\n");
        Assert.Empty(c.Problems);
        Assert.Equal(63, Assert.Single(c.Projects).GroupName.Length);
    }

    [Fact]
    public void Duplicate_group_names_are_problems_naming_the_second_occurrence_case_insensitively()
    {
        var c = Catalog("COMPANY=acme\nTEAMS=\"rc algo\"\nTEAM_RC_FULLNAME=r\nTEAM_ALGO_FULLNAME=a\n" +
                        "RC_PROJECTS=\"fraud aml fraud\"\nALGO_PROJECTS=\"rec Rec\"\n");
        Assert.Equal(2, c.Problems.Count);
        var first = AssertProblem(c.Problems, 5, "RC_PROJECTS", "'rc-fraud' is listed more than once");
        Assert.Contains("RC_PROJECTS on line 5", first.Problem);
        var second = AssertProblem(c.Problems, 6, "ALGO_PROJECTS", "'algo-Rec' is listed more than once");
        Assert.Contains("ALGO_PROJECTS on line 6", second.Problem);
        Assert.Equal(new[] { "rc-fraud", "rc-aml", "algo-rec" }, Groups(c));
    }

    [Fact]
    public void An_invalid_description_is_a_problem_on_the_full_name()
    {
        var c = Catalog("COMPANY=acme\nTEAMS=\"rc algo\"\nTEAM_RC_FULLNAME=\"risk\u0001control\"\n" +
                        $"TEAM_ALGO_FULLNAME={new string('a', 1010)}\nRC_PROJECTS=x\nALGO_PROJECTS=\"y long-project\"\n");
        AssertProblem(c.Problems, 3, "TEAM_RC_FULLNAME", "U+0001");
        // 'Models for ' (11) + 1010 + '/y' (2) = 1023 fits; '/long-project' does not.
        AssertProblem(c.Problems, 4, "TEAM_ALGO_FULLNAME", "1024");
        Assert.Equal(2, c.Problems.Count);
        Assert.Equal(new[] { "algo-y" }, Groups(c));
    }

    [Fact]
    public void Descriptions_allow_any_letters_symbols_and_punctuation()
    {
        var c = Catalog("COMPANY=acme\nTEAMS=rc\nTEAM_RC_FULLNAME=\"リスク管理 (Risk & Control) ✓ 🚀\"\nRC_PROJECTS=x\n");
        Assert.Empty(c.Problems);
        Assert.Equal("Models for リスク管理 (Risk & Control) ✓ 🚀/x", c.Projects[0].Description);
    }

    [Fact]
    public void Tag_prefix_wins_over_the_company_default()
    {
        var c = Catalog(Seed + "TAG_PREFIX=\"platform-${COMPANY}\"\n");
        Assert.Empty(c.Problems);
        Assert.Equal("platform-acme", c.Settings.TagPrefix);
        Assert.All(c.Projects, p => Assert.Equal("platform-acme", p.Tags["ManagedBy"]));
    }

    [Fact]
    public void Without_tag_prefix_or_company_there_is_a_problem_and_no_projects()
    {
        var c = Catalog(Seed.Replace("COMPANY=acme\n", "") + "AWS_REGION=eu-west-1\n");
        AssertProblem(c.Problems, 0, "TAG_PREFIX", "COMPANY");
        Assert.Single(c.Problems);
        Assert.Empty(c.Projects);
        Assert.Null(c.Settings.TagPrefix);
    }

    [Fact]
    public void An_invalid_managed_by_value_is_a_problem_on_the_key_it_came_from()
    {
        var c = Catalog(Seed + "TAG_PREFIX=\"acme!\"\n");
        AssertProblem(c.Problems, 7, "TAG_PREFIX", "'!'");
        Assert.Empty(c.Projects);

        var d = Catalog(Seed.Replace("COMPANY=acme", "COMPANY=\"a#b\""));
        AssertProblem(d.Problems, 6, "COMPANY", "a#b-sagemaker");
        Assert.Single(d.Problems);
    }

    [Fact]
    public void Keys_for_teams_not_in_teams_are_warned_about()
    {
        var c = Catalog(Seed + "ML_PROJECTS=x\nTEAM_ML_FULLNAME=ml\nRc_PROJECTS=y\n");
        Assert.Empty(c.Problems);
        Assert.Equal(3, c.Projects.Count);
        Assert.Equal(3, c.Warnings.Count);
        Assert.StartsWith($"{TestPath}:7: ML_PROJECTS: ", c.Warnings[0]);
        Assert.StartsWith($"{TestPath}:8: TEAM_ML_FULLNAME: ", c.Warnings[1]);
        Assert.StartsWith($"{TestPath}:9: Rc_PROJECTS: ", c.Warnings[2]);
    }

    [Fact]
    public void Syntax_problems_and_warnings_of_the_file_come_first()
    {
        var c = Catalog("X=$(id)\nA=$UNDEFINED\n" + Seed);
        AssertProblem(c.Problems, 1, "X", "command substitution");
        Assert.Equal(ModelRegistry.Engine.Config.EnvFile.Parse("X=$(id)", TestPath).Problems[0].Message, c.Problems[0].Message);
        Assert.StartsWith($"{TestPath}:2: A: ", c.Warnings[0]);
        Assert.Equal(3, c.Projects.Count);
    }

    [Fact]
    public void Every_problem_is_reported_at_once()
    {
        var c = Catalog("TEAMS=\"rc bad-team algo ml rc\"\nRC_PROJECTS=\"ok bad_project ok\"\nALGO_PROJECTS=\nAWS_ACCOUNT_ID=1\n");
        Assert.Equal(8, c.Problems.Count);
        AssertProblem(c.Problems, 4, "AWS_ACCOUNT_ID");
        AssertProblem(c.Problems, 0, "TAG_PREFIX");
        AssertProblem(c.Problems, 1, "TEAMS", "bad-team");
        AssertProblem(c.Problems, 1, "TEAMS", "'rc' is listed more than once");
        AssertProblem(c.Problems, 2, "RC_PROJECTS", "bad_project");
        AssertProblem(c.Problems, 2, "RC_PROJECTS", "'rc-ok' is listed more than once");
        AssertProblem(c.Problems, 3, "ALGO_PROJECTS", "no projects");
        Assert.Contains(c.Problems, p => p.Key == "ML_PROJECTS" && p.Line == 1);
    }

    [Fact]
    public void An_unreadable_file_gives_one_problem_and_nothing_else()
    {
        var path = System.IO.Path.Combine(TempDir(), ".env.shared");
        var c = ProjectCatalog.Load(path);
        AssertProblem(c.Problems, 0, null, "not found", path);
        Assert.Single(c.Problems);
        Assert.False(c.Enabled);
        Assert.Empty(c.Projects);
    }

    [Fact]
    public void Filters_are_case_insensitive_wildcards_applied_after_validation()
    {
        Assert.Equal(new[] { "rc-fraud-detection", "rc-anti-money-laundering" }, Groups(Catalog(Seed, teams: new[] { "RC" })));
        Assert.Equal(new[] { "algo-recommendation-engine" }, Groups(Catalog(Seed, teams: new[] { "a*" })));
        Assert.Equal(new[] { "rc-anti-money-laundering", "algo-recommendation-engine" },
            Groups(Catalog(Seed, projects: new[] { "*ENGINE", "anti-*" })));
        Assert.Equal(new[] { "rc-fraud-detection" }, Groups(Catalog(Seed, teams: new[] { "r?" }, projects: new[] { "[f-g]*" })));
        Assert.Equal(3, Catalog(Seed, teams: new[] { "rc", "algo" }).Projects.Count);
        Assert.Equal(3, Catalog(Seed, teams: new string[0], projects: new[] { "" }).Projects.Count);

        var c = Catalog(Seed, teams: new[] { "rc" });
        Assert.Equal(3, c.AllProjects.Count);
        Assert.Empty(c.UnmatchedTeamPatterns);
        Assert.Empty(c.UnmatchedProjectPatterns);
    }

    [Fact]
    public void Filters_that_match_nothing_are_reported_not_errors()
    {
        var c = Catalog(Seed, teams: new[] { "rc", "ml*" }, projects: new[] { "fraud-*", "recommendation-engine", "nope" });
        Assert.Equal(new[] { "ml*" }, c.UnmatchedTeamPatterns);
        // recommendation-engine exists, but not in the teams the team filter kept.
        Assert.Equal(new[] { "recommendation-engine", "nope" }, c.UnmatchedProjectPatterns);
        Assert.Equal(new[] { "rc-fraud-detection" }, Groups(c));
        Assert.Empty(c.Problems);
    }

    [Fact]
    public void Filters_only_see_valid_projects()
    {
        var c = Catalog(Seed.Replace("\"recommendation-engine\"", "\"bad_name\""), projects: new[] { "bad_name" });
        Assert.Single(c.Problems);
        Assert.Empty(c.Projects);
        Assert.Equal(new[] { "bad_name" }, c.UnmatchedProjectPatterns);
    }

    [Fact]
    public void Wildcard_escapes_and_literals()
    {
        Assert.Matches(Wildcard.ToRegex("a`*b"), "a*b");
        Assert.DoesNotMatch(Wildcard.ToRegex("a`*b"), "axb");
        Assert.Matches(Wildcard.ToRegex("a.b"), "A.B");
        Assert.DoesNotMatch(Wildcard.ToRegex("a.b"), "axb");
        Assert.Matches(Wildcard.ToRegex("[abc]x"), "Bx");
        Assert.Matches(Wildcard.ToRegex("[x"), "[x");
        Assert.DoesNotMatch(Wildcard.ToRegex("rc"), "rc2");
    }
}
