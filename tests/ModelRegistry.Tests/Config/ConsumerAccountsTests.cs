using ModelRegistry.Engine.Config;
using static ModelRegistry.Tests.Config.ConfigTestSupport;

namespace ModelRegistry.Tests.Config;

/// <summary>{TEAM}_CONSUMER_ACCOUNTS and MODEL_REGISTRY_CONSUMER_ACCOUNTS: the accounts a team's groups are shared with.</summary>
public class ConsumerAccountsTests
{
    private const string Base =
        "COMPANY=acme\n" +                 // 1
        "TEAMS=\"rc algo\"\n" +            // 2
        "RC_PROJECTS=\"fraud churn\"\n" +  // 3
        "ALGO_PROJECTS=\"reco\"\n" +       // 4
        "TEAM_RC_FULLNAME=risk\n" +        // 5
        "TEAM_ALGO_FULLNAME=algorithm\n";  // 6

    private static ProjectCatalog Catalog(string extra) => ProjectCatalog.FromEnvFile(Parse(Base + extra));

    private static TeamProject Project(ProjectCatalog c, string group) => c.Projects.Single(p => p.GroupName == group);

    [Fact]
    public void Without_the_keys_no_project_has_consumers()
    {
        var c = Catalog("");
        Assert.Empty(c.Problems);
        Assert.All(c.Projects, p => Assert.Empty(p.ConsumerAccounts));
    }

    [Fact]
    public void A_teams_key_shares_its_projects_and_the_all_teams_key_shares_every_project_first()
    {
        var c = Catalog(
            "RC_CONSUMER_ACCOUNTS=\"111111111111 222222222222\"\n" +
            "MODEL_REGISTRY_CONSUMER_ACCOUNTS=\"333333333333 111111111111\"\n");
        Assert.Empty(c.Problems);
        Assert.Empty(c.Warnings);
        Assert.Equal(new[] { "333333333333", "111111111111", "222222222222" }, Project(c, "rc-fraud").ConsumerAccounts);
        Assert.Equal(Project(c, "rc-fraud").ConsumerAccounts, Project(c, "rc-churn").ConsumerAccounts);
        Assert.Equal(new[] { "333333333333", "111111111111" }, Project(c, "algo-reco").ConsumerAccounts);
    }

    [Fact]
    public void An_id_that_is_not_12_digits_is_a_problem_naming_file_line_and_key_and_is_left_out()
    {
        var c = Catalog(
            "RC_CONSUMER_ACCOUNTS=\"111111111111 12345 arn:aws:iam::222222222222:root\"\n" + // 7
            "MODEL_REGISTRY_CONSUMER_ACCOUNTS=44444444444x\n");                             // 8
        AssertProblem(c.Problems, 7, "RC_CONSUMER_ACCOUNTS", "'12345' is not an AWS account id (12 digits)");
        AssertProblem(c.Problems, 7, "RC_CONSUMER_ACCOUNTS", "'arn:aws:iam::222222222222:root' is not an AWS account id");
        AssertProblem(c.Problems, 8, "MODEL_REGISTRY_CONSUMER_ACCOUNTS", "'44444444444x'");
        Assert.Equal(3, c.Problems.Count);
        Assert.Equal(new[] { "111111111111" }, Project(c, "rc-fraud").ConsumerAccounts);
        Assert.Empty(Project(c, "algo-reco").ConsumerAccounts);
    }

    [Fact]
    public void A_consumer_key_for_a_team_not_in_TEAMS_is_a_warning_and_the_all_teams_key_is_not()
    {
        var c = Catalog("OPS_CONSUMER_ACCOUNTS=111111111111\nMODEL_REGISTRY_CONSUMER_ACCOUNTS=222222222222\n");
        Assert.Empty(c.Problems);
        var warning = Assert.Single(c.Warnings);
        Assert.Contains("OPS_CONSUMER_ACCOUNTS", warning);
        Assert.Contains("'OPS', which is not in TEAMS", warning);
    }

    [Fact]
    public void The_projects_carry_them_through_the_other_team_settings()
    {
        var c = Catalog("RC_CONSUMER_ACCOUNTS=111111111111\nRC_APPROVAL_REQUIRE=\"auc>=0.9\"\n");
        var fraud = Project(c, "rc-fraud");
        Assert.Equal(new[] { "111111111111" }, fraud.ConsumerAccounts);
        Assert.Equal(new[] { "auc >= 0.9" }, fraud.ApprovalRequire);
    }
}
