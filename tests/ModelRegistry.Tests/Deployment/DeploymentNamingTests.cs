using System.Text.RegularExpressions;
using ModelRegistry.Engine.Deployment;

namespace ModelRegistry.Tests.Deployment;

public sealed class DeploymentNamingTests
{
    // SageMaker EntityName (ModelName / EndpointConfigName in botocore's model).
    private static readonly Regex EntityName = new("^[a-zA-Z0-9](-*[a-zA-Z0-9]){0,62}$");
    private const string Arn = "arn:aws:sagemaker:ap-northeast-1:123456789012:model-package/rc-fraud-detection/3";

    [Fact]
    public void Name_is_group_version_and_hash_in_lower_case()
    {
        var hash = DeploymentNaming.Hash(Arn, "fraud-detection-endpoint", "ml.m5.large", 1, null);
        var name = DeploymentNaming.ResourceName("rc-fraud-detection", 3, hash);
        Assert.Equal($"rc-fraud-detection-3-{hash}", name);
        Assert.Matches("^[0-9a-f]{8}$", hash);
    }

    [Fact]
    public void Same_inputs_give_the_same_name_and_any_difference_another()
    {
        var a = DeploymentNaming.Hash(Arn, "ep", "ml.m5.large", 1, "arn:aws:iam::123456789012:role/r");
        Assert.Equal(a, DeploymentNaming.Hash(Arn, "EP", "ml.m5.large", 1, "arn:aws:iam::123456789012:role/r")); // endpoint names ignore case
        var others = new[]
        {
            DeploymentNaming.Hash(Arn.Replace("/3", "/4"), "ep", "ml.m5.large", 1, "arn:aws:iam::123456789012:role/r"),
            DeploymentNaming.Hash(Arn, "ep2", "ml.m5.large", 1, "arn:aws:iam::123456789012:role/r"),
            DeploymentNaming.Hash(Arn, "ep", "ml.m5.xlarge", 1, "arn:aws:iam::123456789012:role/r"),
            DeploymentNaming.Hash(Arn, "ep", "ml.m5.large", 2, "arn:aws:iam::123456789012:role/r"),
            DeploymentNaming.Hash(Arn, "ep", "ml.m5.large", 1, null),
        };
        Assert.DoesNotContain(a, others);
        Assert.Equal(others.Length, others.Distinct().Count());
    }

    [Theory]
    [InlineData("a")]
    [InlineData("rc-fraud-detection")]
    [InlineData("Mixed-Case-Group")]
    [InlineData("a-very-long-group-name-that-uses-all-sixty-three-characters-xyz")]
    [InlineData("group-with-a-hyphen-exactly-where-the-cut-falls-------------abc")]
    public void Names_are_valid_entity_names_of_at_most_63_characters_for_any_group_and_version(string group)
    {
        Assert.Matches(EntityName, group);
        foreach (var version in new[] { 1, 42, 999_999_999 })
        {
            var name = DeploymentNaming.ResourceName(group, version, DeploymentNaming.Hash(Arn, "ep", "ml.m5.large", 1, null));
            Assert.True(name.Length <= 63, name);
            Assert.Matches(EntityName, name);
            Assert.StartsWith(DeploymentNaming.ResourcePrefix(group), name);
            Assert.Equal(name.ToLowerInvariant(), name);
        }
    }
}
