using System.Collections;
using System.Management.Automation;
using System.Net.Http;
using System.Security;
using System.Xml.Linq;
using Amazon.Runtime;
using ModelRegistry.Tests.Support;

namespace ModelRegistry.Tests.Cmdlets;

/// <summary>
/// AWS Tools for PowerShell's conventions on every cmdlet that reaches AWS, seen on the wire: a loopback proxy in front
/// of moto reads the access key id and region each SageMaker call is signed with. Credentials: -AccessKey beats
/// -ProfileName beats -Credential beats $StoredAWSCredentials (Set-AWSCredential) beats the environment; region:
/// -Region beats a .env.shared's beats $StoredAWSRegion (Set-DefaultAWSRegion) beats AWS_REGION. The wrong-account
/// guard judges the credentials a command actually signs with.
/// </summary>
[Collection("process-environment")]
public sealed class AwsToolsCredentialTests : IClassFixture<AwsToolsCredentialTests.Moto>, IDisposable
{
    /// <summary>moto behind a signature-reading proxy; the environment's keys, region and shared files are the test's own.</summary>
    public sealed class Moto : IDisposable
    {
        private static readonly string[] Variables =
        {
            "AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN", "AWS_EC2_METADATA_DISABLED", "AWS_REGION", "AWS_DEFAULT_REGION",
            "AWS_PROFILE", "AWS_SHARED_CREDENTIALS_FILE", "AWS_CONFIG_FILE", "AWS_ENDPOINT_URL_STS", "AWS_ENDPOINT_URL",
        };
        private readonly Dictionary<string, string?> _saved = Variables.ToDictionary(v => v, Environment.GetEnvironmentVariable);
        private readonly MotoServer _server = new();

        public Moto()
        {
            Proxy = new FaultProxy(_server.Url, rate: 0, seed: 1);
            File.WriteAllText(Folder.Combine("credentials"), "[team]\naws_access_key_id = AKIDTEAMPROFILE\naws_secret_access_key = secret\n");
            File.WriteAllText(Folder.Combine("config"), "[profile team]\nregion = eu-west-1\n\n[profile config-only]\nregion = eu-north-1\n");
            Directory.CreateDirectory(Folder.Combine("elsewhere"));
            File.WriteAllText(Folder.Combine("elsewhere", "credentials"), "[located]\naws_access_key_id = AKIDLOCATED\naws_secret_access_key = secret\nregion = eu-west-1\n");
            File.WriteAllText(Folder.Combine(".env.shared"), string.Join("\n",
                "COMPANY=acme", "AWS_REGION=eu-west-1", "AWS_ACCOUNT_ID=123456789012", "TEAMS=\"rc\"", "TEAM_RC_FULLNAME=risk-control",
                "RC_PROJECTS=\"creds\"", ""));
            Environment.SetEnvironmentVariable("AWS_ACCESS_KEY_ID", "AKIDENVIRONMENT");
            Environment.SetEnvironmentVariable("AWS_SECRET_ACCESS_KEY", "secret");
            Environment.SetEnvironmentVariable("AWS_SESSION_TOKEN", null);
            Environment.SetEnvironmentVariable("AWS_PROFILE", null);
            Environment.SetEnvironmentVariable("AWS_EC2_METADATA_DISABLED", "true");
            Environment.SetEnvironmentVariable("AWS_REGION", "us-east-1");
            Environment.SetEnvironmentVariable("AWS_DEFAULT_REGION", null);
            Environment.SetEnvironmentVariable("AWS_ENDPOINT_URL", null);
            Environment.SetEnvironmentVariable("AWS_SHARED_CREDENTIALS_FILE", Folder.Combine("credentials"));
            Environment.SetEnvironmentVariable("AWS_CONFIG_FILE", Folder.Combine("config"));
            Environment.SetEnvironmentVariable("AWS_ENDPOINT_URL_STS", Proxy.Url);
        }

        public FaultProxy Proxy { get; }
        public TempFolder Folder { get; } = new("mr-awstools");

        /// <summary>Temporary keys that act in account 111111111111 (moto's AssumeRole gives the role's account).</summary>
        public (string AccessKey, string SecretKey, string Token) OtherAccountKeys()
        {
            using var http = new HttpClient();
            // moto picks the service from the signature's scope; it does not check the signature.
            http.DefaultRequestHeaders.TryAddWithoutValidation("Authorization",
                "AWS4-HMAC-SHA256 Credential=AKIDENVIRONMENT/20260101/us-east-1/sts/aws4_request, SignedHeaders=host, Signature=0");
            var reply = http.PostAsync(_server.Url, new FormUrlEncodedContent(new Dictionary<string, string>
            {
                ["Action"] = "AssumeRole", ["Version"] = "2011-06-15", ["RoleArn"] = "arn:aws:iam::111111111111:role/other", ["RoleSessionName"] = "tests",
            })).GetAwaiter().GetResult();
            var xml = XDocument.Parse(reply.Content.ReadAsStringAsync().GetAwaiter().GetResult());
            string Value(string name) => xml.Descendants().First(e => e.Name.LocalName == name).Value;
            return (Value("AccessKeyId"), Value("SecretAccessKey"), Value("SessionToken"));
        }

        public void Dispose()
        {
            Proxy.Dispose();
            _server.Dispose();
            Folder.Dispose();
            foreach (var v in _saved) Environment.SetEnvironmentVariable(v.Key, v.Value);
        }
    }

    private readonly Moto _moto;
    private readonly ModuleHost _host = new();

    public AwsToolsCredentialTests(Moto moto)
    {
        _moto = moto;
        Run("Set-Location $folder; Connect-MRRegistry -EndpointUrl $url");
    }

    public void Dispose() => _host.Dispose();

    private ModuleHost.Result Run(string script, Hashtable? more = null)
    {
        var variables = new Hashtable { ["folder"] = _moto.Folder.Path, ["url"] = _moto.Proxy.Url };
        if (more != null) foreach (DictionaryEntry e in more) variables[e.Key] = e.Value;
        return _host.Run(script, variables);
    }

    /// <summary>Runs a script and returns the SageMaker calls it made (STS has no X-Amz-Target).</summary>
    private (ModuleHost.Result Result, List<FaultProxy.Forward> Calls) Signed(string script, Hashtable? more = null)
    {
        var before = _moto.Proxy.Forwarded.Count;
        var result = Run(script, more);
        var calls = _moto.Proxy.Forwarded.Skip(before).Where(f => f.Operation != "").ToList();
        Assert.True(calls.Count > 0, $"{script}: no SageMaker call; errors: {string.Join(" | ", result.Errors.Select(e => e.Exception.Message))}");
        return (result, calls);
    }

    private string SignedBy(string script, Hashtable? more = null)
    {
        var (result, calls) = Signed(script, more);
        Assert.Empty(result.Errors.Select(e => e.Exception.Message));
        return Assert.Single(calls.Select(c => c.AccessKeyId).Distinct())!;
    }

    private string SignedFor(string script, Hashtable? more = null) =>
        Assert.Single(Signed(script, more).Calls.Select(c => c.SigningRegion).Distinct())!;

    private static Hashtable Variables(params (string Name, object Value)[] pairs)
    {
        var table = new Hashtable();
        foreach (var (name, value) in pairs) table[name] = value;
        return table;
    }

    [Fact]
    public void Credentials_resolve_in_AWS_Tools_order_each_beating_the_next()
    {
        var vars = Variables(("StoredAWSCredentials", AwsToolsSession.StoredCredentials("AKIDSTORED", "secret")),
            ("cred", new BasicAWSCredentials("AKIDCREDENTIAL", "secret")));
        Assert.Equal("AKIDENVIRONMENT", SignedBy("Get-MRModelGroup | Out-Null"));
        Assert.Equal("AKIDSTORED", SignedBy("Get-MRModelGroup | Out-Null", vars));
        Assert.Equal("AKIDCREDENTIAL", SignedBy("Get-MRModelGroup -Credential $cred | Out-Null", vars));
        Assert.Equal("AKIDTEAMPROFILE", SignedBy("Get-MRModelGroup -Credential $cred -ProfileName team | Out-Null", vars));
        Assert.Equal("AKIDEXPLICIT", SignedBy("Get-MRModelGroup -Credential $cred -ProfileName team -AccessKey AKIDEXPLICIT -SecretKey s | Out-Null", vars));
    }

    [Fact]
    public void Temporary_keys_carry_their_session_token_from_every_source()
    {
        var vars = Variables(("StoredAWSCredentials", AwsToolsSession.StoredCredentials("ASIASTORED", "secret", "stored-token")),
            ("cred", new SessionAWSCredentials("ASIACREDENTIAL", "secret", "object-token")));
        var stored = Signed("Get-MRModelGroup | Out-Null", vars).Calls;
        Assert.All(stored, c => Assert.Equal(("ASIASTORED", "stored-token"), (c.AccessKeyId, c.SecurityToken)));
        var fromObject = Signed("Get-MRModelGroup -Credential $cred | Out-Null", vars).Calls;
        Assert.All(fromObject, c => Assert.Equal(("ASIACREDENTIAL", "object-token"), (c.AccessKeyId, c.SecurityToken)));
        var explicitKeys = Signed("Get-MRModelGroup -AccessKey ASIAEXPLICIT -SecretKey s -SessionToken given-token | Out-Null").Calls;
        Assert.All(explicitKeys, c => Assert.Equal(("ASIAEXPLICIT", "given-token"), (c.AccessKeyId, c.SecurityToken)));
    }

    [Fact]
    public void A_PSCredential_and_STS_shaped_credentials_are_taken_too()
    {
        var password = new SecureString();
        foreach (var c in "secret") password.AppendChar(c);
        var vars = Variables(("ps", new PSCredential("AKIDPSCREDENTIAL", password)),
            ("sts", new { AccessKeyId = "ASIASTSSHAPED", SecretAccessKey = "secret", SessionToken = "sts-token" }));
        Assert.Equal("AKIDPSCREDENTIAL", SignedBy("Get-MRModelGroup -Credential $ps | Out-Null", vars));
        Assert.Equal("ASIASTSSHAPED", SignedBy("Get-MRModelGroup -Credential $sts | Out-Null", vars));
    }

    [Fact]
    public void ProfileLocation_names_the_credentials_file_of_the_profile()
    {
        Assert.Equal("AKIDLOCATED", SignedBy("Get-MRModelGroup -ProfileName located -ProfileLocation ./elsewhere/credentials | Out-Null"));
    }

    [Fact]
    public void Connect_MRRegistry_credentials_are_the_sessions_over_StoredAWSCredentials_and_under_a_commands_own()
    {
        var vars = Variables(("StoredAWSCredentials", AwsToolsSession.StoredCredentials("AKIDSTORED", "secret")),
            ("cred", new BasicAWSCredentials("AKIDCONNECTED", "secret")));
        Run("Connect-MRRegistry -EndpointUrl $url -Credential $cred", vars);
        Assert.Equal("AKIDCONNECTED", SignedBy("Get-MRModelGroup | Out-Null"));
        Assert.Equal("AKIDEXPLICIT", SignedBy("Get-MRModelGroup -AccessKey AKIDEXPLICIT -SecretKey s | Out-Null"));
        Assert.Equal("AKIDTEAMPROFILE", SignedBy("Get-MRModelGroup -ProfileName team | Out-Null"));
        Assert.Contains("-Credential", Run("(Get-MRRegistry).CredentialSource").Output.Single().ToString());
    }

    [Fact]
    public void Region_is_Region_then_the_files_then_StoredAWSRegion_then_AWS_REGION()
    {
        var stored = Variables(("StoredAWSRegion", "ap-southeast-2"));
        Assert.Equal("us-east-1", SignedFor("Get-MRModelGroup | Out-Null"));
        Assert.Equal("ap-southeast-2", SignedFor("Get-MRModelGroup | Out-Null", stored));
        Assert.Equal("eu-central-1", SignedFor("Get-MRModelGroup -Region eu-central-1 | Out-Null", stored));
        // What was read from .env.shared keeps the file's region: safety travels with the data.
        Assert.Equal("eu-west-1", SignedFor("Get-MRProject | Get-MRModelGroup -ErrorAction SilentlyContinue | Out-Null", stored));
    }

    [Fact]
    public void The_wrong_account_guard_judges_the_credentials_the_command_signs_with()
    {
        var (key, secret, token) = _moto.OtherAccountKeys();
        var vars = Variables(("k", key), ("s", secret), ("t", token));
        // The environment's keys act in 123456789012, the file's account: allowed (and the answer is cached for them).
        var allowed = Run("Get-MRProject | New-MRModelGroup | Out-Null");
        Assert.Empty(allowed.Errors.Select(e => e.Exception.Message));
        foreach (var script in new[]
        {
            "Get-MRProject | Remove-MRModelGroup -AccessKey $k -SecretKey $s -SessionToken $t -Confirm:$false",
            "$StoredAWSCredentials = $stored; Get-MRProject | Remove-MRModelGroup -Confirm:$false",
        })
        {
            var result = Run(script, new Hashtable(vars) { ["stored"] = AwsToolsSession.StoredCredentials(key, secret, token) });
            var error = Assert.Single(result.Errors);
            Assert.Equal("ModelRegistry.AccessDenied.WrongAccount", error.FullyQualifiedErrorId.Split(',')[0]);
            Assert.Contains("111111111111", error.Exception.Message);
            Run("Remove-Variable StoredAWSCredentials -ErrorAction SilentlyContinue");
        }
        Assert.Single(Run("Get-MRProject | Get-MRModelGroup").Output); // not removed
    }

    [Fact]
    public void Bad_credential_arguments_are_clear_errors_before_any_call()
    {
        var before = _moto.Proxy.Forwarded.Count;
        foreach (var (script, names) in new[]
        {
            ("Get-MRModelGroup -AccessKey AKIDONLY", "-SecretKey"),
            ("Get-MRModelGroup -SecretKey s", "-AccessKey"),
            ("Get-MRModelGroup -SessionToken t", "-AccessKey"),
            ("Get-MRModelGroup -Credential 'AKIDTEXT'", "GetCredentials()"),
            ("Connect-MRRegistry -EndpointUrl $url -Credential (Get-Date)", "System.DateTime"),
        })
        {
            var error = Assert.Single(Run(script).Errors);
            Assert.Equal("ModelRegistry.Invalid.Credential", error.FullyQualifiedErrorId.Split(',')[0]);
            Assert.Equal(ErrorCategory.InvalidArgument, error.CategoryInfo.Category);
            Assert.Contains(names, error.Exception.Message);
        }
        Assert.Equal(before, _moto.Proxy.Forwarded.Count);
    }

    private List<string> Complete(string line) =>
        Run($"(TabExpansion2 -inputScript '{line.Replace("'", "''")}' -cursorColumn {line.Length}).CompletionMatches.CompletionText")
            .Output.Where(o => o != null).Select(o => o.ToString()).ToList();

    [Fact]
    public void Region_completes_the_SDKs_regions()
    {
        var regions = Complete("Get-MRModelGroup -Region eu-we");
        Assert.Contains("eu-west-1", regions);
        Assert.Contains("eu-west-3", regions);
        Assert.All(regions, r => Assert.StartsWith("eu-west-", r));
        Assert.Contains("ap-southeast-2", Complete("Connect-MRRegistry -Region ap-"));
    }

    [Fact]
    public void ProfileName_completes_the_profiles_of_the_config_and_credentials_files_not_file_names()
    {
        var profiles = Complete("Get-MRModelGroup -ProfileName ");
        Assert.Contains("team", profiles);
        Assert.Contains("config-only", profiles); // only in AWS_CONFIG_FILE
        Assert.DoesNotContain(profiles, p => p.Contains("env.shared") || p.Contains("credentials"));
        Assert.Equal(new[] { "located" }, Complete("Connect-MRRegistry -ProfileLocation ./elsewhere/credentials -ProfileName "));
    }
}
