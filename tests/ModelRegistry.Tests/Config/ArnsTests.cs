using ModelRegistry.Engine.Config;

namespace ModelRegistry.Tests.Config;

public sealed class ArnsTests
{
    [Theory]
    [InlineData("arn:aws:sagemaker:ap-northeast-1:123456789012:model-package-group/rc-fraud-detection", ArnKind.Group, "rc-fraud-detection", null)]
    [InlineData("arn:aws:sagemaker:eu-west-1:123456789012:model-package/rc-fraud-detection/12", ArnKind.Version, "rc-fraud-detection", 12)]
    [InlineData("arn:aws-cn:sagemaker:cn-north-1:123456789012:endpoint/fraud-ep", ArnKind.Endpoint, "fraud-ep", null)]
    public void Recognises_group_version_and_endpoint_ARNs(string text, ArnKind kind, string name, int? version)
    {
        var arn = Arns.TryParse(text)!;
        Assert.Equal(kind, arn.Kind);
        Assert.Equal(name, arn.Name);
        Assert.Equal(version, arn.Version);
        Assert.Equal("123456789012", arn.Account);
    }

    [Theory]
    [InlineData("rc-fraud-detection")]
    [InlineData("arn:aws:sagemaker:ap-northeast-1:123456789012:model-package/g/0")]
    [InlineData("arn:aws:s3:::bucket")]
    [InlineData("arn:aws:sagemaker:ap-northeast-1:1234:model-package-group/g")]
    public void Anything_else_is_not_one(string text) => Assert.Null(Arns.TryParse(text));

    [Fact]
    public void A_name_or_the_wrong_kind_of_ARN_is_refused_as_InvalidArn()
    {
        var name = Assert.Throws<RegistryException>(() => Arns.Require("rc-fraud-detection", "-Arn", "Use -GroupName.", ArnKind.Version));
        Assert.Equal(RegistryErrorKind.Invalid, name.Kind);
        Assert.Equal("InvalidArn", name.Reason);
        Assert.Contains("is not an ARN", name.Message);
        Assert.Contains("Use -GroupName.", name.Message);
        var group = Assert.Throws<RegistryException>(() => Arns.Require("arn:aws:sagemaker:ap-northeast-1:123456789012:model-package-group/g", "-Arn", null, ArnKind.Version));
        Assert.Contains("is a model group ARN", group.Message);
        Assert.Equal("g", Arns.GroupName("arn:aws:sagemaker:ap-northeast-1:123456789012:model-package-group/g", "-Name"));
        Assert.Equal("plain", Arns.GroupName("plain", "-Name"));
    }
}
