using ModelRegistry.Engine.Metrics;
using ModelRegistry.Engine.Operations;
using ModelRegistry.Engine.Registry.SageMaker;

namespace ModelRegistry.Tests.Metrics;

public sealed class MetricsSourcesTests
{
    private static VersionSpec Spec() => new()
    {
        GroupName = "rc-fraud-detection",
        ImageUri = "123456789012.dkr.ecr.ap-northeast-1.amazonaws.com/fraud:1.0",
    };

    [Fact]
    public void Every_source_kind_and_metric_values_are_accepted()
    {
        var spec = Spec();
        spec.ModelStatisticsUri = "s3://acme-models/fraud/statistics.json";
        spec.ModelStatisticsContentType = "application/json";
        spec.MetricsSources = MetricsSources.Wire.Skip(1)
            .Select(w => new MetricsSource(w.Kind, $"s3://acme-models/fraud/{w.Kind}.json")).ToList();
        spec.Metrics = new Dictionary<string, double> { ["auc"] = 0.93, ["confusion_matrix.1.1"] = 7 };
        Assert.Empty(VersionSpecValidator.Problems(spec));
        Assert.Equal(8, MetricsSources.Of(spec).Count);
    }

    [Fact]
    public void Bad_sources_and_metric_names_are_named_before_any_call()
    {
        var spec = Spec();
        spec.ModelStatisticsUri = "s3://acme-models/a.json";
        spec.ModelStatisticsContentType = "application/json";
        spec.MetricsSources = new[]
        {
            new MetricsSource(MetricsSourceKind.ModelQualityStatistics, "s3://acme-models/b.json"),
            new MetricsSource(MetricsSourceKind.BiasReport, "ftp://x/y"),
            new MetricsSource(MetricsSourceKind.ExplainabilityReport, "s3://acme-models/e.json", contentDigest: "md5:1"),
        };
        spec.Metrics = new Dictionary<string, double> { ["auc >= 1"] = 1, ["ok"] = double.NaN };
        var problems = VersionSpecValidator.Problems(spec);
        Assert.Contains(problems, p => p.Contains("-ModelStatisticsUri (ModelQualityStatistics) is given 2 times"));
        Assert.Contains(problems, p => p.Contains("-BiasReportUri 'ftp://x/y' is not an S3 URI"));
        Assert.Contains(problems, p => p.Contains("content digest 'md5:1'"));
        Assert.Contains(problems, p => p.Contains("metric name 'auc >= 1' may not contain spaces"));
        Assert.Contains(problems, p => p.Contains("-Metric 'ok' must be a finite number"));
    }

    [Fact]
    public void Metric_values_count_toward_the_customer_metadata_limit()
    {
        var spec = Spec();
        spec.CustomerMetadata = Enumerable.Range(0, 40).ToDictionary(i => $"k{i}", i => "v");
        spec.Metrics = Enumerable.Range(0, 10).ToDictionary(i => $"m{i}", i => (double)i);
        Assert.Contains(VersionSpecValidator.Problems(spec), p => p.Contains("50 entries") || p.Contains("SageMaker allows 50"));
        spec.Metrics = Enumerable.Range(0, 9).ToDictionary(i => $"m{i}", i => (double)i);
        Assert.Empty(VersionSpecValidator.Problems(spec));
    }

    [Fact]
    public void Metric_values_round_trip_through_customer_metadata()
    {
        var metadata = MetricsSources.ToMetadata(new Dictionary<string, double> { ["auc"] = 0.93, ["loss"] = 1e-7 })
            .ToDictionary(kv => kv.Key, kv => kv.Value);
        Assert.Equal("0.93", metadata["metric:auc"]);
        metadata["metric:broken"] = "n/a";
        metadata["git"] = "abc";
        var back = MetricsSources.FromMetadata(metadata).ToDictionary(m => m.Name, m => m.Value);
        Assert.Equal(0.93, back["auc"]);
        Assert.Equal(1e-7, back["loss"]);
        Assert.Null(back["broken"]);
        Assert.False(back.ContainsKey("git"));
    }

    [Theory]
    [InlineData("http://127.0.0.1:5000", null, null, "http://127.0.0.1:5000", true)]               // moto: S3 on the registry's port
    [InlineData("http://127.0.0.1:5000", "http://127.0.0.1:9000", null, "http://127.0.0.1:9000", true)] // AWS_ENDPOINT_URL_S3 wins
    [InlineData("https://api.sagemaker.us-east-1.amazonaws.com", null, null, null, false)]          // AWS's own endpoint is not S3's
    [InlineData(null, null, "http://localhost:4566", "http://localhost:4566", true)]                  // AWS_ENDPOINT_URL
    [InlineData(null, "https://s3.us-east-1.amazonaws.com", null, "https://s3.us-east-1.amazonaws.com", false)]
    [InlineData(null, null, null, null, false)]
    public void S3_endpoint_resolves_like_the_registry(string? registry, string? s3Env, string? anyEnv, string? expected, bool pathStyle)
    {
        var env = new Dictionary<string, string?> { ["AWS_ENDPOINT_URL_S3"] = s3Env, ["AWS_ENDPOINT_URL"] = anyEnv };
        var (url, path) = SageMakerConnection.S3Endpoint(k => env.TryGetValue(k, out var v) ? v : null, registry);
        Assert.Equal(expected, url);
        Assert.Equal(pathStyle, path);
    }
}
