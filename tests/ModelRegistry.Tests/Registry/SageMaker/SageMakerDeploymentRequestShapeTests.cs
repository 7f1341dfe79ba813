using System.Text.Json;
using ModelRegistry.Engine.Deployment;
using ModelRegistry.Engine.Registry;
using ModelRegistry.Engine.Registry.SageMaker;
using ModelRegistry.Tests.Support;

namespace ModelRegistry.Tests.Registry.SageMaker;

/// <summary>
/// The deployment operations on the wire, captured at a loopback endpoint with canned replies: every body checked
/// against botocore's SageMaker model, and the replies mapped to domain types. Covers UpdateEndpoint, which moto lacks.
/// </summary>
public sealed class SageMakerDeploymentRequestShapeTests : IDisposable
{
    private const string Prefix = "arn:aws:sagemaker:us-east-1:123456789012:";
    private const string VersionArn = Prefix + "model-package/team-proj/3";
    private const string Role = "arn:aws:iam::123456789012:role/sm-exec";
    private static readonly CancellationToken None = CancellationToken.None;

    private readonly CapturingEndpoint _endpoint = new(Canned);
    private readonly SageMakerRegistry _registry;

    public SageMakerDeploymentRequestShapeTests() { _registry = SageMakerTesting.Registry(_endpoint.Url, maxErrorRetry: 0); }

    public void Dispose()
    {
        _registry.Dispose();
        _endpoint.Dispose();
    }

    private static CannedResponse Canned(CapturedRequest request) => new(200, request.Operation switch
    {
        "CreateModel" => $$"""{"ModelArn":"{{Prefix}}model/m-1"}""",
        "DescribeModel" => $$"""{"ModelName":"m-1","ModelArn":"{{Prefix}}model/m-1","PrimaryContainer":{"ModelPackageName":"{{VersionArn}}"},"ExecutionRoleArn":"{{Role}}","CreationTime":1700000000}""",
        "CreateEndpointConfig" => $$"""{"EndpointConfigArn":"{{Prefix}}endpoint-config/c-1"}""",
        "DescribeEndpointConfig" => $$"""{"EndpointConfigName":"c-1","EndpointConfigArn":"{{Prefix}}endpoint-config/c-1","ProductionVariants":[{"VariantName":"AllTraffic","ModelName":"m-1","InitialInstanceCount":2,"InstanceType":"ml.c5.xlarge"}],"CreationTime":1700000000}""",
        "CreateEndpoint" => $$"""{"EndpointArn":"{{Prefix}}endpoint/ep-1"}""",
        "UpdateEndpoint" => $$"""{"EndpointArn":"{{Prefix}}endpoint/ep-1"}""",
        "DescribeEndpoint" => $$"""{"EndpointName":"ep-1","EndpointArn":"{{Prefix}}endpoint/ep-1","EndpointConfigName":"c-1","EndpointStatus":"Failed","FailureReason":"no capacity","CreationTime":1700000000,"LastModifiedTime":1700000100.5,"PendingDeploymentSummary":{"EndpointConfigName":"c-2","StartTime":1700000050} }""",
        "ListEndpoints" => $$"""{"Endpoints":[{"EndpointName":"ep-1","EndpointArn":"{{Prefix}}endpoint/ep-1","CreationTime":1700000000,"LastModifiedTime":1700000000,"EndpointStatus":"InService"}],"NextToken":"n-2"}""",
        "ListEndpointConfigs" => $$"""{"EndpointConfigs":[{"EndpointConfigName":"c-1","EndpointConfigArn":"{{Prefix}}endpoint-config/c-1","CreationTime":1700000000}],"NextToken":"n-3"}""",
        "ListModels" => $$"""{"Models":[{"ModelName":"m-1","ModelArn":"{{Prefix}}model/m-1","CreationTime":1700000000}]}""",
        "ListTags" => """{"Tags":[{"Key":"ManagedBy","Value":"ModelRegistry"}]}""",
        _ => "{}",
    });

    private static readonly string[] DeploymentOperations =
    {
        "CreateModel", "DescribeModel", "DeleteModel", "CreateEndpointConfig", "DescribeEndpointConfig", "DeleteEndpointConfig",
        "CreateEndpoint", "UpdateEndpoint", "DescribeEndpoint", "ListEndpoints", "DeleteEndpoint", "ListTags",
        "ListEndpointConfigs", "ListModels",
    };

    private IDeploymentTarget Target => _registry.Deployments;

    private async Task ExerciseAll()
    {
        var tags = new Dictionary<string, string> { ["ManagedBy"] = "ModelRegistry", ["ModelVersionArn"] = VersionArn, ["Team"] = "rc" };
        await Target.CreateModelAsync(new HostedModelSpec { Name = "team-proj-3-0a1b2c3d", ModelVersionArn = VersionArn, ExecutionRoleArn = Role, Tags = tags }, None);
        await Target.GetModelAsync("team-proj-3-0a1b2c3d", None);
        await Target.DeleteModelAsync("team-proj-3-0a1b2c3d", None);
        await Target.CreateEndpointConfigAsync(new EndpointConfigSpec { Name = "team-proj-3-0a1b2c3d", ModelName = "team-proj-3-0a1b2c3d", InstanceType = "ml.m5.large", InstanceCount = 1, Tags = tags }, None);
        await Target.GetEndpointConfigAsync("team-proj-3-0a1b2c3d", None);
        await Target.DeleteEndpointConfigAsync("team-proj-3-0a1b2c3d", None);
        await Target.CreateEndpointAsync("fraud-detection-endpoint", "team-proj-3-0a1b2c3d", new Dictionary<string, string> { ["ManagedBy"] = "ModelRegistry" }, None);
        await Target.UpdateEndpointAsync("fraud-detection-endpoint", "team-proj-4-0a1b2c3d", None);
        await Target.GetEndpointAsync("fraud-detection-endpoint", None);
        await Target.ListEndpointsAsync("fraud", "n-1", 100, None);
        await Target.ListEndpointsAsync(null, null, 1, None);
        await Target.DeleteEndpointAsync("fraud-detection-endpoint", None);
        await Target.GetResourceTagsAsync(Prefix + "endpoint/fraud-detection-endpoint", None);
        await Target.ListEndpointConfigsAsync("team-proj-", "n-1", 100, None);
        await Target.ListModelsAsync("team-proj-", null, 100, None);
    }

    private JsonElement Body(string operation)
    {
        var request = Assert.Single(_endpoint.Requests, r => r.Operation == operation);
        Assert.Equal("SageMaker." + operation, request.Header("X-Amz-Target"));
        Assert.Equal("application/x-amz-json-1.1", request.Header("Content-Type"));
        return JsonDocument.Parse(request.Body).RootElement.Clone();
    }

    [Fact]
    public async Task Every_deployment_request_body_validates_against_botocore()
    {
        await ExerciseAll();
        var sent = _endpoint.Requests.Select(r => (r.Operation, r.Body)).ToList();
        Assert.Equal(DeploymentOperations.ToHashSet(), sent.Select(s => s.Operation).ToHashSet());
        BotocoreValidator.AssertValid(sent);
    }

    [Fact]
    public async Task CreateModel_serves_the_version_from_its_ARN_with_the_role_and_tags()
    {
        await ExerciseAll();
        var body = Body("CreateModel");
        Assert.Equal(VersionArn, body.GetProperty("PrimaryContainer").GetProperty("ModelPackageName").GetString());
        Assert.Single(body.GetProperty("PrimaryContainer").EnumerateObject());
        Assert.Equal(Role, body.GetProperty("ExecutionRoleArn").GetString());
        Assert.Contains(body.GetProperty("Tags").EnumerateArray(), t => t.GetProperty("Key").GetString() == "ModelVersionArn" && t.GetProperty("Value").GetString() == VersionArn);
    }

    [Fact]
    public async Task CreateEndpointConfig_has_one_AllTraffic_variant()
    {
        await ExerciseAll();
        var variant = Assert.Single(Body("CreateEndpointConfig").GetProperty("ProductionVariants").EnumerateArray());
        Assert.Equal("AllTraffic", variant.GetProperty("VariantName").GetString());
        Assert.Equal("team-proj-3-0a1b2c3d", variant.GetProperty("ModelName").GetString());
        Assert.Equal("ml.m5.large", variant.GetProperty("InstanceType").GetString());
        Assert.Equal(1, variant.GetProperty("InitialInstanceCount").GetInt32());
    }

    [Fact]
    public async Task UpdateEndpoint_names_only_the_endpoint_and_the_new_config()
    {
        await ExerciseAll();
        var body = Body("UpdateEndpoint");
        Assert.Equal(new[] { "EndpointName", "EndpointConfigName" }, body.EnumerateObject().Select(p => p.Name));
        Assert.Equal("team-proj-4-0a1b2c3d", body.GetProperty("EndpointConfigName").GetString());
    }

    [Fact]
    public async Task Replies_map_to_domain_types()
    {
        var model = await Target.GetModelAsync("m-1", None);
        Assert.Equal(VersionArn, model!.ModelVersionArn);
        Assert.Equal(Role, model.ExecutionRoleArn);
        var config = await Target.GetEndpointConfigAsync("c-1", None);
        Assert.Equal(("m-1", "ml.c5.xlarge", 2, "AllTraffic"), (config!.ModelName, config.InstanceType, config.InstanceCount, config.VariantName));
        var endpoint = await Target.GetEndpointAsync("ep-1", None);
        Assert.Equal(("c-1", "Failed", "no capacity"), (endpoint!.EndpointConfigName, endpoint.Status, endpoint.FailureReason));
        Assert.Equal("c-2", endpoint.PendingEndpointConfigName);
        Assert.Equal(new DateTime(2023, 11, 14, 22, 15, 0, 500, DateTimeKind.Utc), endpoint.LastModified);
        var page = await Target.ListEndpointsAsync(null, null, 10, None);
        Assert.Equal("ep-1", Assert.Single(page.Items).Name);
        Assert.Equal("n-2", page.NextToken);
        var configs = await Target.ListEndpointConfigsAsync("c-", null, 10, None);
        Assert.Equal(("c-1", Prefix + "endpoint-config/c-1", "n-3"), (Assert.Single(configs.Items).Name, configs.Items[0].Arn, configs.NextToken));
        var models = await Target.ListModelsAsync("m-", null, 10, None);
        Assert.Equal(("m-1", Prefix + "model/m-1"), (Assert.Single(models.Items).Name, models.Items[0].Arn));
        Assert.Null(models.NextToken);
    }

    [Fact]
    public async Task Config_and_model_listings_filter_by_name_and_sort_by_name()
    {
        await ExerciseAll();
        foreach (var operation in new[] { "ListEndpointConfigs", "ListModels" })
        {
            var body = Body(operation);
            Assert.Equal("team-proj-", body.GetProperty("NameContains").GetString());
            Assert.Equal(100, body.GetProperty("MaxResults").GetInt32());
            Assert.Equal(("Name", "Ascending"), (body.GetProperty("SortBy").GetString(), body.GetProperty("SortOrder").GetString()));
        }
        Assert.Equal("n-1", Body("ListEndpointConfigs").GetProperty("NextToken").GetString());
    }

    [Fact]
    public async Task Every_variant_and_every_container_version_is_read()
    {
        const string Other = "arn:aws:sagemaker:us-east-1:123456789012:model-package/other-group/7";
        _endpoint.Responder = r => new(200, r.Operation == "DescribeEndpointConfig"
            ? $$"""{"EndpointConfigName":"ab","EndpointConfigArn":"{{Prefix}}endpoint-config/ab","ProductionVariants":[{"VariantName":"champion","ModelName":"m-a","InitialInstanceCount":2,"InstanceType":"ml.m5.large","InitialVariantWeight":0.9},{"VariantName":"challenger","ModelName":"m-b","InstanceType":"ml.c5.xlarge"}],"ShadowProductionVariants":[{"VariantName":"shadow","ModelName":"m-s","InstanceType":"ml.m5.large","InitialInstanceCount":1}]}"""
            : $$"""{"ModelName":"p","ModelArn":"{{Prefix}}model/p","Containers":[{"ModelPackageName":"{{VersionArn}}"},{"Image":"img"},{"ModelPackageName":"{{Other}}"}]}""");

        var config = (await Target.GetEndpointConfigAsync("ab", None))!;
        Assert.Equal(new (string, string?, int?, float?, bool)[] { ("champion", "m-a", 2, 0.9f, false), ("challenger", "m-b", null, null, false), ("shadow", "m-s", 1, null, true) },
            config.Variants.Select(v => (v.Name, v.ModelName, v.InstanceCount, v.Weight, v.IsShadow)));
        Assert.Equal(("m-a", "champion"), (config.ModelName, config.VariantName));
        var model = (await Target.GetModelAsync("p", None))!;
        Assert.Equal(new[] { VersionArn, Other }, model.ModelVersionArns);
        Assert.Equal(VersionArn, model.ModelVersionArn);
    }

    [Fact]
    public async Task A_model_from_other_tools_with_Containers_still_names_its_version()
    {
        _endpoint.Responder = r => new(200, $$"""{"ModelName":"x","ModelArn":"{{Prefix}}model/x","Containers":[{"Image":"img"},{"ModelPackageName":"{{VersionArn}}"}]}""");
        Assert.Equal(VersionArn, (await Target.GetModelAsync("x", None))!.ModelVersionArn);
    }

    [Fact]
    public async Task Missing_resources_read_as_null_from_SageMakers_could_not_find_errors()
    {
        _endpoint.Responder = r => new(400, """{"__type":"ValidationException","message":"Could not find endpoint \"arn:aws:sagemaker:us-east-1:123456789012:endpoint/x\"."}""");
        Assert.Null(await Target.GetEndpointAsync("x", None));
        Assert.Null(await Target.GetModelAsync("x", None));
        Assert.Null(await Target.GetEndpointConfigAsync("x", None));
        var e = await Assert.ThrowsAsync<RegistryException>(() => Target.DeleteEndpointAsync("x", None));
        Assert.Equal(RegistryErrorKind.NotFound, e.Kind);
    }

    [Fact]
    public async Task Deploy_on_SageMaker_without_an_execution_role_is_refused_before_any_call()
    {
        var operations = new ModelRegistry.Engine.Deployment.DeploymentOperations(_registry);
        var e = await Assert.ThrowsAsync<RegistryException>(() => operations.DeployAsync(new DeployRequest { ModelVersionArn = VersionArn, EndpointName = "ep" }, null, None));
        Assert.Contains("SAGEMAKER_EXECUTION_ROLE_ARN", e.Message);
        Assert.Empty(_endpoint.Requests);
    }
}
