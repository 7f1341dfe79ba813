using ModelRegistry.Engine.Config;
using ModelRegistry.Engine.Registry;
using ModelRegistry.Engine.Registry.Local;
using ModelRegistry.Tests.Support;

namespace ModelRegistry.Tests.Registry;

/// <summary>One name rule (SageMaker EntityName, anchored with \z) on both backends: a trailing line break is no name.</summary>
public sealed class NameRuleTests : IDisposable
{
    private static readonly CancellationToken None = CancellationToken.None;
    private readonly string _root = Path.Combine(Path.GetTempPath(), "mr-names-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        try { Directory.Delete(_root, recursive: true); } catch (IOException) { }
    }

    public static TheoryData<string> BadNames => new() { "rc-ok\n", "rc-ok\r\n", "rc-ok\r", "\nrc-ok", "rc ok", "rc-ok-" };

    /// <summary>Every call that takes a group name, as a test step.</summary>
    private static IEnumerable<Func<IModelRegistry, string, Task>> Calls() => new Func<IModelRegistry, string, Task>[]
    {
        (r, n) => r.CreateGroupAsync(n, "d", new Dictionary<string, string>(), None),
        (r, n) => r.GetGroupAsync(n, None),
        (r, n) => r.DeleteGroupAsync(n, None),
        (r, n) => r.ListVersionsAsync(new VersionQuery(n), null, None),
    };

    [Theory]
    [MemberData(nameof(BadNames))]
    public async Task Local_rejects_the_name_and_creates_no_second_group(string name)
    {
        using var registry = new LocalRegistry(new RegistryConnection { Backend = RegistryBackend.Local, LocalPath = _root });
        await registry.CreateGroupAsync("rc-ok", "d", new Dictionary<string, string>(), None);

        foreach (var call in Calls())
        {
            var e = await Assert.ThrowsAsync<RegistryException>(() => call(registry, name));
            Assert.Equal(RegistryErrorKind.Invalid, e.Kind);
            Assert.Contains("not a valid model package group name", e.Message);
        }
        var arn = "arn:aws:sagemaker:us-east-1:000000000000:model-package/" + name + "/1";
        Assert.Equal(RegistryErrorKind.Invalid, (await Assert.ThrowsAsync<RegistryException>(() => registry.GetVersionAsync(arn, None))).Kind);
        Assert.Equal(new[] { "rc-ok" }, (await registry.ListGroupsAsync(null, null, 100, NameOrder.Ascending, None)).Items.Select(g => g.Name));
    }

    [Theory]
    [MemberData(nameof(BadNames))]
    public async Task SageMaker_rejects_the_name_before_any_call(string name)
    {
        using var endpoint = new CapturingEndpoint(_ => new CannedResponse(200, "{}"));
        using var registry = SageMakerTesting.Registry(endpoint.Url, maxErrorRetry: 0);

        foreach (var call in Calls())
        {
            var e = await Assert.ThrowsAsync<RegistryException>(() => call(registry, name));
            Assert.Equal(RegistryErrorKind.Invalid, e.Kind);
            Assert.Contains("not a valid model package group name", e.Message);
        }
        Assert.Empty(endpoint.Requests);
    }

    [Fact]
    public void The_error_names_an_invisible_offending_character()
    {
        Assert.Contains("U+000A", Naming.CheckGroupName("rc-ok\n"));
        Assert.Contains("'_' (U+005F)", Naming.CheckEntityName("a_b", "endpoint name"));
        Assert.Contains("endpoint name", Naming.CheckEntityName("a_b", "endpoint name"));
    }

    [Theory]
    [InlineData("abc\n")]
    [InlineData("abc\r")]
    public void Client_tokens_and_name_filters_are_anchored_too(string value)
    {
        Assert.False(Naming.IsClientToken(value));
        Assert.False(Naming.IsNameContains(value));
        Assert.True(Naming.IsClientToken(value.TrimEnd()));
        Assert.True(Naming.IsNameContains(value.TrimEnd()));
    }
}
