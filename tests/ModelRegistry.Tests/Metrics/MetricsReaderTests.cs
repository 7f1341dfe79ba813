using System.Text;
using System.Text.Json;
using Amazon.Runtime;
using Amazon.S3;
using Amazon.S3.Model;
using ModelRegistry.Engine.Metrics;
using ModelRegistry.Engine.Registry.Local;
using ModelRegistry.Engine.Registry.SageMaker;
using ModelRegistry.Tests.Support;

namespace ModelRegistry.Tests.Metrics;

/// <summary>Registering metrics sources (wire shape checked against botocore), reading them back, and reading the files.</summary>
public sealed class MetricsRequestShapeTests : IDisposable
{
    private const string VersionArn = "arn:aws:sagemaker:us-east-1:123456789012:model-package/team-proj/3";
    private readonly CapturingEndpoint _endpoint;
    private readonly SageMakerRegistry _registry;

    public MetricsRequestShapeTests()
    {
        _endpoint = new CapturingEndpoint(r => new CannedResponse(200, r.Operation switch
        {
            "CreateModelPackage" => $$"""{"ModelPackageArn":"{{VersionArn}}"}""",
            "DescribeModelPackage" => """
                {"ModelPackageGroupName":"team-proj","ModelPackageVersion":3,"ModelPackageArn":"ARN","ModelApprovalStatus":"PendingManualApproval",
                 "ModelMetrics":{"ModelQuality":{"Statistics":{"ContentType":"application/json","S3Uri":"s3://b/stats.json"},
                                                 "Constraints":{"ContentType":"application/json","S3Uri":"s3://b/constraints.json"}},
                                 "Bias":{"PostTrainingReport":{"ContentType":"application/json","S3Uri":"s3://b/post.json",
                                         "ContentDigest":"sha256:0000000000000000000000000000000000000000000000000000000000000000"}},
                                 "Explainability":{"Report":{"ContentType":"application/json","S3Uri":"s3://b/shap.json"}}},
                 "CustomerMetadataProperties":{"metric:auc":"0.93"}}
                """.Replace("ARN", VersionArn),
            _ => "{}",
        }));
        _registry = SageMakerTesting.Registry(_endpoint.Url, maxErrorRetry: 0);
    }

    public void Dispose()
    {
        _registry.Dispose();
        _endpoint.Dispose();
    }

    [Fact]
    public async Task Every_metrics_source_goes_on_the_wire_in_botocores_shape()
    {
        var spec = new VersionSpec
        {
            GroupName = "team-proj",
            ImageUri = "123456789012.dkr.ecr.us-east-1.amazonaws.com/model:1",
            ModelStatisticsUri = "s3://bucket/stats.json",
            ModelStatisticsContentType = "application/json",
            MetricsSources = MetricsSources.Wire.Skip(1).Select(w => new MetricsSource(w.Kind, $"s3://bucket/{w.Kind}.json", "application/json",
                w.Kind == MetricsSourceKind.BiasReport ? "sha256:" + new string('a', 64) : null)).ToList(),
        };
        await _registry.RegisterVersionAsync(spec, CancellationToken.None);
        var request = Assert.Single(_endpoint.Requests, r => r.Operation == "CreateModelPackage");
        BotocoreValidator.AssertValid(new[] { ("CreateModelPackage", request.Body) });
        using var body = JsonDocument.Parse(request.Body);
        var metrics = body.RootElement.GetProperty("ModelMetrics");
        foreach (var (kind, section, member, _) in MetricsSources.Wire)
        {
            var source = metrics.GetProperty(section).GetProperty(member);
            Assert.Equal(kind == MetricsSourceKind.ModelQualityStatistics ? "s3://bucket/stats.json" : $"s3://bucket/{kind}.json",
                source.GetProperty("S3Uri").GetString());
            Assert.Equal("application/json", source.GetProperty("ContentType").GetString());
        }
        Assert.StartsWith("sha256:", metrics.GetProperty("Bias").GetProperty("Report").GetProperty("ContentDigest").GetString());
    }

    [Fact]
    public async Task SageMaker_refuses_file_sources_before_any_call()
    {
        var spec = new VersionSpec
        {
            GroupName = "team-proj",
            ImageUri = "img:1",
            MetricsSources = new[] { new MetricsSource(MetricsSourceKind.ModelQualityStatistics, "file:///tmp/stats.json") },
        };
        var e = await Assert.ThrowsAsync<RegistryException>(() => _registry.RegisterVersionAsync(spec, CancellationToken.None));
        Assert.Equal(RegistryErrorKind.Invalid, e.Kind);
        Assert.Contains("Local registry", e.Message);
        Assert.Empty(_endpoint.Requests);
    }

    [Fact]
    public async Task Describe_reads_every_metrics_source_back()
    {
        var v = await _registry.GetVersionAsync(VersionArn, CancellationToken.None);
        var sources = v!.MetricsSources!;
        Assert.Equal(new[] { MetricsSourceKind.ModelQualityStatistics, MetricsSourceKind.ModelQualityConstraints, MetricsSourceKind.BiasPostTrainingReport, MetricsSourceKind.ExplainabilityReport },
            sources.Select(s => s.Kind));
        Assert.Equal("s3://b/post.json", sources[2].Uri);
        Assert.NotNull(sources[2].ContentDigest);
        Assert.Equal("s3://b/stats.json", v.ModelStatisticsUri);
    }
}

/// <summary>The reader on a Local registry with file:// sources: one bad file is one failure, the rest still comes out.</summary>
public sealed class MetricsReaderLocalTests : IDisposable
{
    private readonly string _root = Path.Combine(Path.GetTempPath(), "mr-metrics-" + Guid.NewGuid().ToString("N"));
    private readonly RegistryConnection _connection;
    private readonly LocalRegistry _registry;

    public MetricsReaderLocalTests()
    {
        Directory.CreateDirectory(_root);
        _connection = new RegistryConnection { Backend = RegistryBackend.Local, LocalPath = Path.Combine(_root, "registry") };
        _registry = new LocalRegistry(_connection);
    }

    public void Dispose()
    {
        _registry.Dispose();
        try { Directory.Delete(_root, true); } catch (IOException) { }
    }

    private string File(string name, string content)
    {
        var path = Path.Combine(_root, name);
        System.IO.File.WriteAllText(path, content);
        return new Uri(path).AbsoluteUri;
    }

    [Fact]
    public async Task Files_and_metric_values_are_read_and_a_bad_file_is_one_failure()
    {
        await _registry.CreateGroupAsync("team-proj", "d", new Dictionary<string, string>(), CancellationToken.None);
        var operations = new Engine.Operations.ModelVersionOperations(_registry);
        var v = await operations.RegisterAsync(new VersionSpec
        {
            GroupName = "team-proj",
            ImageUri = "123456789012.dkr.ecr.us-east-1.amazonaws.com/model:1",
            ModelStatisticsUri = File("stats.json", """{"binary_classification_metrics":{"auc":{"value":0.71,"standard_deviation":0.02}}}"""),
            ModelStatisticsContentType = "application/json",
            MetricsSources = new[]
            {
                new MetricsSource(MetricsSourceKind.ModelQualityConstraints, File("constraints.json", "{ not json")),
                new MetricsSource(MetricsSourceKind.BiasReport, new Uri(Path.Combine(_root, "missing.json")).AbsoluteUri),
            },
            Metrics = new Dictionary<string, double> { ["f1"] = 0.8 },
        }, CancellationToken.None);

        using var reader = new MetricsReader(_connection);
        var readout = await reader.ReadAsync(_registry, v, fresh: true, CancellationToken.None);
        Assert.Equal(0.71, readout.Find("AUC")!.Value);
        Assert.Equal(0.02, readout.Find("auc")!.StandardDeviation);
        Assert.Equal(MetricsSourceKind.CustomerMetadata, readout.Find("f1")!.Source);
        Assert.Equal(0.8, readout.Find("f1")!.Value);
        Assert.Equal(2, readout.Failures.Count);
        Assert.Contains(readout.Failures, f => f.Kind == RegistryErrorKind.Invalid && f.Message.Contains("constraints.json") && f.Message.Contains("not JSON"));
        Assert.Contains(readout.Failures, f => f.Kind == RegistryErrorKind.NotFound && f.Message.Contains("missing.json"));
        Assert.All(readout.Metrics, m => Assert.Equal(v.Arn, m.ModelVersionArn));
    }
}

/// <summary>The reader against moto's S3 (served on the SageMaker port): the same endpoint resolution as the registry.</summary>
[Collection("moto")]
public sealed class MetricsReaderMotoTests
{
    private readonly MotoServer _moto;

    public MetricsReaderMotoTests(MotoServer moto) => _moto = moto;

    [Fact]
    public async Task Statistics_are_read_from_S3_on_the_registrys_emulator_endpoint()
    {
        var bucket = "metrics-" + Guid.NewGuid().ToString("N")[..12];
        using (var s3 = new AmazonS3Client(new BasicAWSCredentials("test", "test"),
                   new AmazonS3Config { ServiceURL = _moto.Url, ForcePathStyle = true, AuthenticationRegion = SageMakerTesting.Region }))
        {
            await s3.PutBucketAsync(bucket);
            await s3.PutObjectAsync(new PutObjectRequest
            {
                BucketName = bucket, Key = "fraud/statistics.json",
                ContentBody = """{"version":0.0,"binary_classification_metrics":{"auc":{"value":0.93,"standard_deviation":0.01}}}""",
            });
        }
        var settings = new SageMakerClientSettings { Credentials = new BasicAWSCredentials("test", "test"), Environment = _ => null, MaxErrorRetry = 1 };
        using var reader = new MetricsReader(new RegistryConnection { Region = SageMakerTesting.Region, EndpointUrl = _moto.Url }, settings);
        var version = new ModelVersion
        {
            GroupName = "g", Version = 1, Arn = "arn:aws:sagemaker:us-east-1:123456789012:model-package/g/1", IsDetailed = true,
            MetricsSources = new[]
            {
                new MetricsSource(MetricsSourceKind.ModelQualityStatistics, $"s3://{bucket}/fraud/statistics.json"),
                new MetricsSource(MetricsSourceKind.ModelQualityConstraints, $"s3://{bucket}/fraud/missing.json"),
            },
        };
        var readout = await reader.ReadAsync(version, CancellationToken.None);
        var auc = Assert.Single(readout.Metrics);
        Assert.Equal("auc", auc.Name);
        Assert.Equal(0.93, auc.Value);
        Assert.Equal($"s3://{bucket}/fraud/statistics.json", auc.SourceUri);
        var missing = Assert.Single(readout.Failures);
        Assert.Equal(RegistryErrorKind.NotFound, missing.Kind);
        Assert.Contains("missing.json", missing.Message);
    }
}
