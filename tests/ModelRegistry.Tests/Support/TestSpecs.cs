namespace ModelRegistry.Tests.Support;

/// <summary>The version registrations tests use: the fewest members a registration needs, or every member set.</summary>
public static class TestSpecs
{
    public const string ImageUri = "123456789012.dkr.ecr.us-east-1.amazonaws.com/model:1";
    public const string ModelDataUrl = "s3://bucket/model.tar.gz";

    /// <summary>Group, image and model data (with a status and token when given): what registration needs.</summary>
    public static VersionSpec Minimal(string group, ApprovalStatus status = ApprovalStatus.PendingManualApproval, string? token = null) => new()
    {
        GroupName = group,
        ImageUri = ImageUri,
        ModelDataUrl = ModelDataUrl,
        ApprovalStatus = status,
        ClientToken = token,
    };

    /// <summary>Every member a registration carries, deployable (content types, inference instance types); tags
    /// and a token only when given, because version tags and tokens are backend capabilities of their own.</summary>
    public static VersionSpec Full(string group, ApprovalStatus status = ApprovalStatus.PendingManualApproval,
        string? token = null, IReadOnlyDictionary<string, string>? tags = null) => new()
    {
        GroupName = group,
        ImageUri = ImageUri,
        ModelDataUrl = ModelDataUrl,
        ContentTypes = new[] { "text/csv" },
        ResponseTypes = new[] { "application/json" },
        InferenceInstanceTypes = new[] { "ml.m5.large" },
        TransformInstanceTypes = new[] { "ml.m5.xlarge" },
        ModelStatisticsUri = "s3://bucket/stats.json",
        ModelStatisticsContentType = "application/json",
        ApprovalStatus = status,
        Description = "a version",
        CustomerMetadata = new Dictionary<string, string> { ["git"] = "abc123" },
        Tags = tags ?? new Dictionary<string, string>(),
        ClientToken = token,
    };
}
