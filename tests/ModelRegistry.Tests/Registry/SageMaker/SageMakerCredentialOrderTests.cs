using ModelRegistry.Engine.Registry;
using ModelRegistry.Engine.Registry.SageMaker;
using ModelRegistry.Tests.Support;

namespace ModelRegistry.Tests.Registry.SageMaker;

/// <summary>
/// Which credentials sign, in AWS Tools for PowerShell's order after what the command named: the command's keys, the
/// explicit profile (in -ProfileLocation), the environment's keys, AWS_PROFILE's profile, the default profile. Each
/// case reads the access key id of the Authorization header a loopback endpoint receives. The environment is injected.
/// </summary>
public sealed class SageMakerCredentialOrderTests : IDisposable
{
    private readonly TempFolder _temp = new("mr-creds");
    private readonly string _credentials;
    private readonly string _elsewhere;
    private readonly CapturingEndpoint _endpoint = new(_ => new CannedResponse(200, "{}"));

    public SageMakerCredentialOrderTests()
    {
        _credentials = _temp.Combine("credentials");
        File.WriteAllText(_credentials, """
            [default]
            aws_access_key_id = AKIDDEFAULTPROFILE
            aws_secret_access_key = secret
            region = eu-west-1

            [team]
            aws_access_key_id = AKIDTEAMPROFILE
            aws_secret_access_key = secret
            region = eu-west-1
            """);
        Directory.CreateDirectory(_temp.Combine("elsewhere"));
        _elsewhere = _temp.Combine("elsewhere", "credentials");
        File.WriteAllText(_elsewhere, """
            [default]
            aws_access_key_id = AKIDLOCATIONDEFAULT
            aws_secret_access_key = secret
            region = ap-southeast-2

            [team]
            aws_access_key_id = AKIDLOCATIONTEAM
            aws_secret_access_key = secret
            region = ap-southeast-2
            """);
    }

    public void Dispose()
    {
        _endpoint.Dispose();
        _temp.Dispose();
    }

    private static readonly Dictionary<string, string> EnvironmentKeys = new()
    {
        ["AWS_ACCESS_KEY_ID"] = "AKIDENVIRONMENT", ["AWS_SECRET_ACCESS_KEY"] = "secret",
    };

    private SageMakerClientSettings Settings(Dictionary<string, string>? env = null) => new()
    {
        ProfilesLocation = _credentials,
        MaxErrorRetry = 0,
        Environment = name => env != null && env.TryGetValue(name, out var v) ? v : null,
    };

    private async Task<(string AccessKeyId, string? Token, string Region)> Signer(RegistryConnection connection, Dictionary<string, string>? env = null)
    {
        connection.EndpointUrl = _endpoint.Url;
        var before = _endpoint.Requests.Count;
        using var r = new SageMakerRegistry(connection, Settings(env));
        await r.DeleteGroupAsync("g", CancellationToken.None);
        var request = _endpoint.Requests.Skip(before).Single();
        var scope = System.Text.RegularExpressions.Regex.Match(request.Header("Authorization") ?? "", @"Credential=([^/]+)/\d{8}/([^/]+)/");
        return (scope.Groups[1].Value, request.Header("X-Amz-Security-Token"), scope.Groups[2].Value);
    }

    private static RegistryConnection WithKeys(string accessKey, string? token = null, string? profile = null)
    {
        var c = new RegistryConnection { ProfileName = profile };
        c.UseKeys(accessKey, "secret", token, "-AccessKey");
        return c;
    }

    [Fact]
    public async Task The_commands_keys_sign_before_its_profile_and_the_environment_with_the_profiles_region()
    {
        var (key, token, region) = await Signer(WithKeys("AKIDEXPLICIT", "token-1", profile: "team"), EnvironmentKeys);
        Assert.Equal("AKIDEXPLICIT", key);
        Assert.Equal("token-1", token);
        Assert.Equal("eu-west-1", region);
    }

    [Fact]
    public async Task An_explicit_profile_signs_before_the_environments_keys()
    {
        Assert.Equal("AKIDTEAMPROFILE", (await Signer(new RegistryConnection { ProfileName = "team" }, EnvironmentKeys)).AccessKeyId);
    }

    [Fact]
    public async Task The_environments_keys_sign_before_AWS_PROFILE_and_the_default_profile()
    {
        var env = new Dictionary<string, string>(EnvironmentKeys) { ["AWS_SESSION_TOKEN"] = "env-token", ["AWS_PROFILE"] = "team" };
        var (key, token, _) = await Signer(new RegistryConnection(), env);
        Assert.Equal("AKIDENVIRONMENT", key);
        Assert.Equal("env-token", token);
        Assert.Equal("AKIDTEAMPROFILE", (await Signer(new RegistryConnection(), new() { ["AWS_PROFILE"] = "team" })).AccessKeyId);
        Assert.Equal("AKIDDEFAULTPROFILE", (await Signer(new RegistryConnection())).AccessKeyId);
    }

    [Fact]
    public async Task ProfileLocation_is_where_the_named_and_the_default_profile_are_read()
    {
        var (key, _, region) = await Signer(new RegistryConnection { ProfileName = "team", ProfileLocation = _elsewhere });
        Assert.Equal("AKIDLOCATIONTEAM", key);
        Assert.Equal("ap-southeast-2", region);
        Assert.Equal("AKIDLOCATIONDEFAULT", (await Signer(new RegistryConnection { ProfileLocation = _elsewhere })).AccessKeyId);
        var e = Assert.Throws<RegistryException>(() => new SageMakerRegistry(
            new RegistryConnection { ProfileName = "nope", ProfileLocation = _elsewhere, Region = "us-east-1" }, Settings()));
        Assert.Contains(_elsewhere, e.Message);
    }

    [Fact]
    public void Connections_with_other_credentials_are_other_registries_so_the_account_is_asked_again()
    {
        var a = WithKeys("AKIDONE");
        var b = WithKeys("AKIDTWO");
        var c = WithKeys("AKIDONE", token: "another");
        var keys = new[] { a, b, c, new RegistryConnection(), new RegistryConnection { ProfileLocation = _elsewhere } }
            .Select(RegistryFactory.Key).ToList();
        Assert.Equal(keys.Count, keys.Distinct().Count());
        Assert.DoesNotContain(keys, k => k.Contains("secret", StringComparison.Ordinal));
        Assert.Equal(RegistryFactory.Key(a), RegistryFactory.Key(WithKeys("AKIDONE")));
    }
}
