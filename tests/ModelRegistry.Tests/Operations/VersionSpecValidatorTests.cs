using System.Diagnostics;
using ModelRegistry.Engine.Config;
using ModelRegistry.Engine.Operations;
using ModelRegistry.Tests.Config;

namespace ModelRegistry.Tests.Operations;

public class VersionSpecValidatorTests
{
    private static VersionSpec Valid() => new()
    {
        GroupName = "rc-fraud-detection",
        ImageUri = "123456789012.dkr.ecr.ap-northeast-1.amazonaws.com/fraud:1.0",
        ModelDataUrl = "s3://acme-models/fraud/model.tar.gz",
        ContentTypes = new[] { "application/json" },
        ResponseTypes = new[] { "application/json" },
        InferenceInstanceTypes = new[] { "ml.m5.large", "ml.m5.xlarge" },
        TransformInstanceTypes = new[] { "ml.m5.xlarge" },
        ModelStatisticsUri = "s3://acme-models/fraud/statistics.json",
        ModelStatisticsContentType = "application/json",
        Description = "Fraud detection model v1.0",
        CustomerMetadata = new Dictionary<string, string> { ["auc"] = "0.93" },
    };

    [Fact]
    public void The_seed_README_registration_is_valid() => Assert.Empty(VersionSpecValidator.Problems(Valid()));

    [Theory]
    [InlineData("ImageUri", "", "-ImageUri is required")]
    [InlineData("ImageUri", "has space/x:1", "-ImageUri 'has space/x:1'")]
    [InlineData("ImageUri", "fraud", "-ImageUri 'fraud'")]
    [InlineData("ModelDataUrl", "http://bucket/model.tar.gz", "-ModelDataUrl 'http://bucket/model.tar.gz' is not an S3 URI")]
    [InlineData("ModelDataUrl", "s3://B_ad/model", "-ModelDataUrl")]
    [InlineData("ModelStatisticsUri", "s3:/missing-slash", "-ModelStatisticsUri")]
    [InlineData("Inference", "m5.large", "-InferenceInstanceType 'm5.large'")]
    [InlineData("Inference", "ml.m5.huge", "-InferenceInstanceType 'ml.m5.huge'")]
    [InlineData("Transform", "ml.t2.medium", "-TransformInstanceType 'ml.t2.medium'")]
    [InlineData("ResponseType", "json", "-ResponseType 'json'")]
    [InlineData("GroupName", "bad_name", "bad_name")]
    public void Each_bad_field_is_named(string field, string value, string expected)
    {
        var spec = Valid();
        switch (field)
        {
            case "ImageUri": spec.ImageUri = value; break;
            case "ModelDataUrl": spec.ModelDataUrl = value; break;
            case "ModelStatisticsUri": spec.ModelStatisticsUri = value; break;
            case "Inference": spec.InferenceInstanceTypes = new[] { value }; break;
            case "Transform": spec.TransformInstanceTypes = new[] { value }; break;
            case "ResponseType": spec.ResponseTypes = new[] { value }; break;
            case "GroupName": spec.GroupName = value; break;
        }
        var problems = VersionSpecValidator.Problems(spec);
        Assert.Single(problems);
        Assert.Contains(expected, problems[0]);
    }

    [Fact]
    public void Metadata_limits_follow_the_model()
    {
        var spec = Valid();
        spec.CustomerMetadata = Enumerable.Range(0, 50).ToDictionary(i => $"k{i}", _ => "v");
        Assert.Contains(VersionSpecValidator.Problems(spec), p => p.Contains("50") && p.Contains("client token"));

        spec.CustomerMetadata = new Dictionary<string, string> { ["k"] = "" };
        Assert.Contains(VersionSpecValidator.Problems(spec), p => p.Contains("empty value"));

        spec.CustomerMetadata = new Dictionary<string, string> { ["k"] = new string('v', 257) };
        Assert.Contains(VersionSpecValidator.Problems(spec), p => p.Contains("257"));

        spec.CustomerMetadata = new Dictionary<string, string> { ["bad#key"] = "v" };
        Assert.Contains(VersionSpecValidator.Problems(spec), p => p.Contains("bad#key"));
    }

    [Fact]
    public void Statistics_need_a_content_type_and_a_token_has_the_model_shape()
    {
        var spec = Valid();
        spec.ModelStatisticsContentType = null;
        Assert.Contains(VersionSpecValidator.Problems(spec), p => p.Contains("-ModelStatisticsContentType is required"));
        spec = Valid();
        spec.ClientToken = "not valid!";
        Assert.Contains(VersionSpecValidator.Problems(spec), p => p.Contains("client token"));
    }

    [Fact]
    public void Validate_throws_Invalid_naming_the_group_and_every_problem()
    {
        var spec = Valid();
        spec.ImageUri = "";
        spec.ModelDataUrl = "ftp://x";
        var e = Assert.Throws<RegistryException>(() => VersionSpecValidator.Validate(spec));
        Assert.Equal(RegistryErrorKind.Invalid, e.Kind);
        Assert.Contains("rc-fraud-detection", e.Message);
        Assert.Contains("-ImageUri", e.Message);
        Assert.Contains("-ModelDataUrl", e.Message);
        Assert.Contains("Nothing was registered", e.Message);
    }

    [Fact]
    public void The_instance_type_lists_are_the_botocore_snapshot()
    {
        // The snapshot checked into build/botocore is the truth, not whatever botocore this machine has installed.
        var snapshot = Path.Combine(ConfigTestSupport.RepoRoot(), "build", "botocore", "sagemaker-instance-types.json");
        using var doc = System.Text.Json.JsonDocument.Parse(File.ReadAllText(snapshot));
        string[] Enum(string shape) => doc.RootElement.GetProperty(shape).EnumerateArray().Select(e => e.GetString()!).ToArray();
        Assert.Equal(Enum("ProductionVariantInstanceType").Order(), InstanceTypes.Realtime.Order());
        Assert.Equal(Enum("TransformInstanceType").Order(), InstanceTypes.Transform.Order());
    }

    [Fact]
    public void The_generator_reproduces_InstanceTypes_g_cs_from_the_snapshot()
    {
        var start = new ProcessStartInfo("python3") { RedirectStandardError = true, RedirectStandardOutput = true, UseShellExecute = false };
        start.ArgumentList.Add(Path.Combine(ConfigTestSupport.RepoRoot(), "build", "generate_instance_types.py"));
        start.ArgumentList.Add("--check");
        using var p = Process.Start(start)!;
        var stderr = p.StandardError.ReadToEndAsync();
        p.StandardOutput.ReadToEnd();
        Assert.True(p.WaitForExit(60_000), "generate_instance_types.py --check did not end");
        Assert.True(p.ExitCode == 0, stderr.Result);
    }
}
