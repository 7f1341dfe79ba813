using System.Text.Json;
using ModelRegistry.Engine.Iam;
using ModelRegistry.Engine.Operations;
using ModelRegistry.Engine.Registry;

namespace ModelRegistry.Tests.Operations;

/// <summary>The resource policy that shares a group (GroupResourcePolicy) and the one rule for changing it (GroupPolicyOperations).</summary>
public class GroupPolicyTests
{
    private const string GroupArn = "arn:aws:sagemaker:ap-northeast-1:123456789012:model-package-group/rc-fraud";
    private const string VersionsArn = "arn:aws:sagemaker:ap-northeast-1:123456789012:model-package/rc-fraud/*";
    private const string Foreign = """{"Version":"2012-10-17","Statement":[{"Sid":"HandWritten","Effect":"Allow","Principal":{"AWS":"arn:aws:iam::555555555555:root"},"Action":"sagemaker:DescribeModelPackageGroup","Resource":"*"}]}""";

    private static List<JsonElement> Statements(string document) =>
        JsonDocument.Parse(document).RootElement.GetProperty("Statement").EnumerateArray().ToList();

    private static string[] Texts(JsonElement e) =>
        e.ValueKind == JsonValueKind.Array ? e.EnumerateArray().Select(x => x.GetString()!).ToArray() : new[] { e.GetString()! };

    [Fact]
    public void Each_consumer_root_gets_describe_on_the_group_and_describe_list_createmodel_on_its_versions_and_nothing_more()
    {
        var document = GroupResourcePolicy.Build(GroupArn, new[] { "222222222222", "111111111111", "222222222222" }, allowApproval: false);

        var statements = Statements(document);
        Assert.Equal("2012-10-17", JsonDocument.Parse(document).RootElement.GetProperty("Version").GetString());
        Assert.Equal(2, statements.Count);
        Assert.All(statements, s =>
        {
            Assert.StartsWith("ModelRegistry", s.GetProperty("Sid").GetString());
            Assert.Equal("Allow", s.GetProperty("Effect").GetString());
            Assert.Equal(new[] { "arn:aws:iam::111111111111:root", "arn:aws:iam::222222222222:root" }, Texts(s.GetProperty("Principal").GetProperty("AWS")));
            Assert.False(s.TryGetProperty("Condition", out _));
        });
        Assert.Equal(statements.Count, statements.Select(s => s.GetProperty("Sid").GetString()).Distinct().Count());
        var grants = statements.SelectMany(s => Texts(s.GetProperty("Action")).Select(a => (a, s.GetProperty("Resource").GetString()!))).OrderBy(x => x).ToList();
        Assert.Equal(new[]
        {
            ("sagemaker:CreateModel", VersionsArn),
            ("sagemaker:DescribeModelPackage", VersionsArn),
            ("sagemaker:DescribeModelPackageGroup", GroupArn),
            ("sagemaker:ListModelPackages", VersionsArn),
        }, grants);
        Assert.DoesNotContain("UpdateModelPackage", document);
        Assert.DoesNotContain(" ", document); // compact: what counts against the limit
    }

    [Fact]
    public void AllowApproval_adds_UpdateModelPackage_on_the_versions_in_a_statement_of_its_own()
    {
        var document = GroupResourcePolicy.Build(GroupArn, new[] { "111111111111" }, allowApproval: true);
        var approve = Assert.Single(Statements(document), s => s.GetProperty("Sid").GetString() == GroupResourcePolicy.ApproveVersionsSid);
        Assert.Equal(new[] { "sagemaker:UpdateModelPackage" }, Texts(approve.GetProperty("Action")));
        Assert.Equal(VersionsArn, approve.GetProperty("Resource").GetString());
        Assert.Equal(3, Statements(document).Count);
    }

    [Fact]
    public void The_principals_partition_follows_the_groups()
    {
        var document = GroupResourcePolicy.Build("arn:aws-cn:sagemaker:cn-north-1:123456789012:model-package-group/g", new[] { "111111111111" }, false);
        Assert.Contains("arn:aws-cn:iam::111111111111:root", document);
        Assert.Contains("arn:aws-cn:sagemaker:cn-north-1:123456789012:model-package/g/*", document);
    }

    [Fact]
    public void No_account_a_malformed_account_or_a_policy_over_the_limit_is_Invalid_with_a_clear_message()
    {
        Assert.Equal(RegistryErrorKind.Invalid, Assert.Throws<RegistryException>(() => GroupResourcePolicy.Build(GroupArn, Array.Empty<string>(), false)).Kind);
        var bad = Assert.Throws<RegistryException>(() => GroupResourcePolicy.Build(GroupArn, new[] { "12345" }, false));
        Assert.Contains("'12345' is not an AWS account id", bad.Message);

        // About 34 characters per account in each of two statements: 200 accounts fit, 600 do not.
        var fits = GroupResourcePolicy.Build(GroupArn, Enumerable.Range(0, 200).Select(i => (100000000000L + i).ToString()), false);
        Assert.True(fits.Length <= RequestChecks.MaxGroupPolicyLength);
        var tooMany = Assert.Throws<RegistryException>(() =>
            GroupResourcePolicy.Build(GroupArn, Enumerable.Range(0, 600).Select(i => (100000000000L + i).ToString()), false));
        Assert.Equal(RegistryErrorKind.Invalid, tooMany.Kind);
        Assert.Contains("20480", tooMany.Message);
        Assert.Contains("600 accounts", tooMany.Message);
    }

    [Fact]
    public void Reading_tells_the_modules_policy_from_a_hand_written_one_and_finds_its_accounts()
    {
        var ours = GroupResourcePolicy.Read(GroupResourcePolicy.Build(GroupArn, new[] { "222222222222", "111111111111" }, true));
        Assert.True(ours.IsManaged);
        Assert.Equal(new[] { "111111111111", "222222222222" }, ours.ConsumerAccounts);
        Assert.True(ours.AllowsApproval);

        var theirs = GroupResourcePolicy.Read(Foreign);
        Assert.False(theirs.IsManaged);
        Assert.Empty(theirs.ConsumerAccounts);
        Assert.False(GroupResourcePolicy.Read("not json").IsManaged);
        Assert.False(GroupResourcePolicy.Read(null).IsManaged);
    }

    [Fact]
    public void The_same_grants_compare_equal_whatever_the_layout_order_or_principal_form()
    {
        var built = GroupResourcePolicy.Build(GroupArn, new[] { "111111111111", "222222222222" }, false);
        // As a service might hand it back: indented, members and principals reordered, an account id for its root.
        var rewritten = $$"""
            { "Statement": [
                { "Resource": "{{VersionsArn}}", "Action": ["sagemaker:ListModelPackages", "sagemaker:DescribeModelPackage", "sagemaker:CreateModel"],
                  "Principal": { "AWS": ["222222222222", "arn:aws:iam::111111111111:root"] }, "Effect": "Allow", "Sid": "ModelRegistryUseVersions" },
                { "Sid": "ModelRegistryDescribeGroup", "Effect": "Allow", "Principal": { "AWS": ["arn:aws:iam::111111111111:root", "arn:aws:iam::222222222222:root"] },
                  "Action": "sagemaker:DescribeModelPackageGroup", "Resource": "{{GroupArn}}" } ],
              "Version": "2012-10-17" }
            """;
        Assert.True(GroupResourcePolicy.SameGrants(built, rewritten));
        Assert.False(GroupResourcePolicy.SameGrants(built, GroupResourcePolicy.Build(GroupArn, new[] { "111111111111" }, false)));
        Assert.False(GroupResourcePolicy.SameGrants(built, GroupResourcePolicy.Build(GroupArn, new[] { "111111111111", "222222222222" }, true)));
    }

    [Fact]
    public void Plan_puts_when_unshared_or_different_and_does_nothing_when_the_same()
    {
        var share = GroupPolicyOperations.Plan("rc-fraud", GroupArn, null, new[] { "111111111111" }, false, false);
        Assert.Equal(PolicyAction.Put, share.Action);
        Assert.StartsWith("policy", share.Difference);
        Assert.Null(share.Refusal);

        var same = GroupPolicyOperations.Plan("rc-fraud", GroupArn, share.Desired, new[] { "111111111111" }, false, false);
        Assert.Equal(PolicyAction.None, same.Action);
        Assert.Null(same.Difference);

        var more = GroupPolicyOperations.Plan("rc-fraud", GroupArn, share.Desired, new[] { "111111111111", "222222222222" }, false, false);
        Assert.Equal(PolicyAction.Put, more.Action);
        Assert.Equal("policy: shared with 111111111111 → shared with 111111111111, 222222222222", more.Difference);

        var unshare = GroupPolicyOperations.Plan("rc-fraud", GroupArn, share.Desired, Array.Empty<string>(), false, false);
        Assert.Equal(PolicyAction.Delete, unshare.Action);
        Assert.Equal("policy: shared with 111111111111 → not shared", unshare.Difference);

        var nothing = GroupPolicyOperations.Plan("rc-fraud", GroupArn, null, Array.Empty<string>(), false, false);
        Assert.Equal(PolicyAction.None, nothing.Action);
    }

    [Fact]
    public void A_policy_the_module_did_not_write_is_replaced_only_with_Force_and_left_alone_when_nothing_is_shared()
    {
        var refused = GroupPolicyOperations.Plan("rc-fraud", GroupArn, Foreign, new[] { "111111111111" }, false, force: false);
        Assert.Equal(PolicyAction.Put, refused.Action);
        Assert.NotNull(refused.Refusal);
        Assert.Equal(RegistryErrorKind.Conflict, refused.Refusal!.Kind);
        Assert.Equal(GroupPolicyOperations.PolicyNotManaged, refused.Refusal.Reason);
        Assert.Contains("-Force", refused.Refusal.Message);
        Assert.StartsWith("policy not written by ModelRegistry", refused.Difference);

        Assert.Null(GroupPolicyOperations.Plan("rc-fraud", GroupArn, Foreign, new[] { "111111111111" }, false, force: true).Refusal);
        Assert.Equal(PolicyAction.None, GroupPolicyOperations.Plan("rc-fraud", GroupArn, Foreign, Array.Empty<string>(), false, false).Action);

        var removal = GroupPolicyOperations.PlanRemoval("rc-fraud", Foreign, force: false);
        Assert.Equal(GroupPolicyOperations.PolicyNotManaged, removal.Refusal!.Reason);
        Assert.Null(GroupPolicyOperations.PlanRemoval("rc-fraud", Foreign, force: true).Refusal);
        Assert.Equal(PolicyAction.None, GroupPolicyOperations.PlanRemoval("rc-fraud", null, false).Action);
    }

    [Fact]
    public async Task A_refused_plan_changes_nothing_when_applied()
    {
        using var folder = new Support.TempFolder("mr-policy");
        using var registry = new Engine.Registry.Local.LocalRegistry(new RegistryConnection { Backend = RegistryBackend.Local, LocalPath = folder.Path });
        await registry.CreateGroupAsync("rc-fraud", "d", new Dictionary<string, string>(), CancellationToken.None);
        await registry.PutGroupPolicyAsync("rc-fraud", Foreign, CancellationToken.None);
        var ops = new GroupPolicyOperations(registry);
        var plan = GroupPolicyOperations.Plan("rc-fraud", registry.GroupArn("rc-fraud"), Foreign, new[] { "111111111111" }, false, false);

        await Assert.ThrowsAsync<RegistryException>(() => ops.ApplyAsync(plan, CancellationToken.None));
        Assert.Equal(Foreign, await registry.GetGroupPolicyAsync("rc-fraud", CancellationToken.None));

        var forced = GroupPolicyOperations.Plan("rc-fraud", registry.GroupArn("rc-fraud"), Foreign, new[] { "111111111111" }, false, true);
        var result = await ops.ApplyAsync(forced, CancellationToken.None);
        Assert.True(result.IsManaged);
        Assert.Equal(new[] { "111111111111" }, result.ConsumerAccounts);
        Assert.Equal(forced.Desired, await registry.GetGroupPolicyAsync("rc-fraud", CancellationToken.None));
    }
}
