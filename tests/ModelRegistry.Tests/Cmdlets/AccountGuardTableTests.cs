using System.Collections;
using System.Management.Automation;
using ModelRegistry.Tests.Support;

namespace ModelRegistry.Tests.Cmdlets;

/// <summary>
/// The wrong-account guard follows the data: every mutating cmdlet × every way it can be fed from a .env.shared whose
/// AWS_ACCOUNT_ID (999999999999) is not the caller's (moto answers 123456789012) refuses each input with
/// ModelRegistry.AccessDenied.WrongAccount, naming both accounts, and sends SageMaker nothing. A loopback proxy in
/// front of moto counts what reaches it: SageMaker calls carry X-Amz-Target, the STS check does not.
/// Runs in the process-environment collection: the module finds STS through AWS_ENDPOINT_URL_STS, as users' do.
/// </summary>
[Collection("process-environment")]
public sealed class AccountGuardTableTests : IClassFixture<AccountGuardTableTests.Moto>, IDisposable
{
    private const string Image = "123456789012.dkr.ecr.ap-northeast-1.amazonaws.com/fraud:1.0";
    private const string Role = "arn:aws:iam::123456789012:role/sagemaker-execution";
    private const string Wrong = "999999999999";
    private const string Caller = "123456789012";

    /// <summary>moto behind a counting proxy, the two configuration files, and what lives in the registry.</summary>
    public sealed class Moto : IDisposable
    {
        private static readonly string[] Variables =
            { "AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN", "AWS_EC2_METADATA_DISABLED", "AWS_ENDPOINT_URL_STS", "AWS_PROFILE" };
        private readonly Dictionary<string, string?> _saved = Variables.ToDictionary(v => v, Environment.GetEnvironmentVariable);

        public Moto()
        {
            Server = new MotoServer();
            Proxy = new FaultProxy(Server.Url, rate: 0, seed: 1);
            Environment.SetEnvironmentVariable("AWS_ACCESS_KEY_ID", "test");
            Environment.SetEnvironmentVariable("AWS_SECRET_ACCESS_KEY", "test");
            Environment.SetEnvironmentVariable("AWS_SESSION_TOKEN", null);
            Environment.SetEnvironmentVariable("AWS_PROFILE", null);
            Environment.SetEnvironmentVariable("AWS_EC2_METADATA_DISABLED", "true");
            Environment.SetEnvironmentVariable("AWS_ENDPOINT_URL_STS", Proxy.Url);
            Folder = Path.Combine(Path.GetTempPath(), "mr-account-guard-" + Guid.NewGuid().ToString("N"));
            Directory.CreateDirectory(Folder);
            foreach (var (file, account) in new[] { ("right.env", Caller), ("wrong.env", Wrong) })
                File.WriteAllText(Path.Combine(Folder, file), string.Join("\n",
                    "COMPANY=acme", "AWS_REGION=ap-northeast-1", $"AWS_ACCOUNT_ID={account}", "TEAMS=\"acct\"",
                    "TEAM_ACCT_FULLNAME=accounts", "ACCT_PROJECTS=\"guarded\"", $"SAGEMAKER_EXECUTION_ROLE_ARN={Role}", ""));
        }

        public MotoServer Server { get; }
        public FaultProxy Proxy { get; }
        public string Folder { get; }
        public bool Seeded { get; set; }

        public void Dispose()
        {
            Proxy.Dispose();
            Server.Dispose();
            foreach (var v in _saved) Environment.SetEnvironmentVariable(v.Key, v.Value);
            try { Directory.Delete(Folder, true); } catch (IOException) { }
        }
    }

    private readonly Moto _moto;
    private readonly ModuleHost _host = new();

    public AccountGuardTableTests(Moto moto)
    {
        _moto = moto;
        Run("Set-Location $folder; Connect-MRRegistry -Region ap-northeast-1 -EndpointUrl $url");
        if (_moto.Seeded) return;
        // In the caller's account: the group, an approved and a pending version, and an endpoint serving the approved one.
        var seed = Run($@"
            Get-MRProject ./right.env | New-MRModelGroup | Out-Null
            $approved = Register-MRModelVersion acct-guarded -ImageUri {Image} -ApprovalStatus Approved
            Register-MRModelVersion acct-guarded -ImageUri {Image} | Out-Null
            $approved | Deploy-MRModelVersion -EndpointName acct-guarded-ep -ExecutionRoleArn {Role} | Out-Null");
        Assert.Empty(seed.Errors);
        _moto.Seeded = true;
    }

    public void Dispose() => _host.Dispose();

    private ModuleHost.Result Run(string script) =>
        _host.Run(script, new Hashtable { ["folder"] = _moto.Folder, ["url"] = _moto.Proxy.Url });

    /// <summary>How each input is reached from wrong.env (read in the caller's account: reads are not guarded).</summary>
    private const string Derive = @"
        $p = @(Get-MRProject ./wrong.env)
        $g = @($p | Get-MRModelGroup)
        $v = @($p | Get-MRModelVersion)
        $vg = @($g | Get-MRModelVersion)
        $va = @($p | Get-MRModelVersion -Status Approved)
        $d = @($p | Get-MRDeployment)";

    /// <summary>cmdlet, how it is fed, the command, how many inputs it is fed (one refusal each).</summary>
    public static IEnumerable<object[]> Table()
    {
        object[] Row(string cmdlet, string feed, string script, string inputs) => new object[] { cmdlet, feed, script, inputs };

        yield return Row("New-MRModelGroup", "piped TeamProject", "$p | New-MRModelGroup", "$p");
        yield return Row("New-MRModelGroup", "-InputObject TeamProject", "New-MRModelGroup -InputObject $p", "$p");
        yield return Row("New-MRModelGroup", "piped ModelGroup", "$g | New-MRModelGroup", "$g");

        yield return Row("Remove-MRModelGroup", "piped TeamProject", "$p | Remove-MRModelGroup -Force -Confirm:$false", "$p");
        yield return Row("Remove-MRModelGroup", "-InputObject TeamProject", "Remove-MRModelGroup -InputObject $p -Force -Confirm:$false", "$p");
        yield return Row("Remove-MRModelGroup", "piped ModelGroup", "$g | Remove-MRModelGroup -Force -Confirm:$false", "$g");

        yield return Row("Set-MRModelGroupPolicy", "piped TeamProject", "$p | Set-MRModelGroupPolicy -Force", "$p");
        yield return Row("Set-MRModelGroupPolicy", "-InputObject TeamProject", "Set-MRModelGroupPolicy -InputObject $p -Force", "$p");
        yield return Row("Set-MRModelGroupPolicy", "piped ModelGroup", "$g | Set-MRModelGroupPolicy -ConsumerAccountId 111111111111 -Force", "$g");

        yield return Row("Remove-MRModelGroupPolicy", "piped TeamProject", "$p | Remove-MRModelGroupPolicy -Force -Confirm:$false", "$p");
        yield return Row("Remove-MRModelGroupPolicy", "-InputObject TeamProject", "Remove-MRModelGroupPolicy -InputObject $p -Force -Confirm:$false", "$p");
        yield return Row("Remove-MRModelGroupPolicy", "piped ModelGroup", "$g | Remove-MRModelGroupPolicy -Force -Confirm:$false", "$g");

        yield return Row("Sync-MRModelGroup", "piped TeamProject", "$p | Sync-MRModelGroup -Prune -Force -Confirm:$false", "$p");
        yield return Row("Sync-MRModelGroup", "-InputObject TeamProject", "Sync-MRModelGroup -InputObject $p -Prune -Force -Confirm:$false", "$p");
        yield return Row("Sync-MRModelGroup", "-Path .env.shared", "Sync-MRModelGroup -Path ./wrong.env -Prune -Force -Confirm:$false", "$p");

        yield return Row("Register-MRModelVersion", "piped TeamProject", $"$p | Register-MRModelVersion -ImageUri {Image}", "$p");
        yield return Row("Register-MRModelVersion", "-Project TeamProject", $"Register-MRModelVersion -Project $p[0] -ImageUri {Image}", "$p");
        yield return Row("Register-MRModelVersion", "piped ModelGroup", $"$g | Register-MRModelVersion -ImageUri {Image}", "$g");

        foreach (var (cmdlet, args) in new[]
                 {
                     ("Set-MRApproval", "-Status Rejected -Force"), ("Approve-MRModelVersion", "-Force"),
                     ("Deny-MRModelVersion", "-Force"), ("Remove-MRModelVersion", "-Force -Confirm:$false"),
                     ("Set-MRModelVersion", "-CustomerMetadata @{ ticket = 'ML-42' } -RemoveCustomerMetadata draft"),
                     ("Set-MRModelLifecycle", "-Stage Development -Force"),
                 })
        {
            yield return Row(cmdlet, "piped ModelVersion (project → versions)", $"$v | {cmdlet} {args}", "$v");
            yield return Row(cmdlet, "-InputObject ModelVersion", $"{cmdlet} -InputObject $v {args}", "$v");
            yield return Row(cmdlet, "piped ModelVersion (project → group → versions)", $"$vg | {cmdlet} {args}", "$vg");
        }

        yield return Row("Deploy-MRModelVersion", "piped ModelVersion", $"$va | Deploy-MRModelVersion -EndpointName acct-other-ep -ExecutionRoleArn {Role}", "$va");
        yield return Row("Deploy-MRModelVersion", "-InputObject ModelVersion", $"Deploy-MRModelVersion -InputObject $va[0] -EndpointName acct-other-ep -ExecutionRoleArn {Role}", "$va");
        yield return Row("Deploy-MRModelVersion", "piped Deployment", $"$d | Deploy-MRModelVersion -EndpointName acct-other-ep -ExecutionRoleArn {Role}", "$d");
        yield return Row("Deploy-MRModelVersion", "-ConfigPath .env.shared", $"Deploy-MRModelVersion -Arn $va[0].Arn -ConfigPath ./wrong.env -EndpointName acct-other-ep -ExecutionRoleArn {Role}", "$va");

        yield return Row("Remove-MRDeployment", "piped Deployment", "$d | Remove-MRDeployment -Confirm:$false", "$d");
        yield return Row("Remove-MRDeployment", "-InputObject Deployment", "Remove-MRDeployment -InputObject $d -Confirm:$false", "$d");
    }

    /// <summary>Commands that change nothing in a registry and so have no row: Export-MRModelGroupList writes a local
    /// file listing the names it is given (no AWS call, no account to act in); Export-MRApprovalAudit only reads
    /// versions and writes a local report; Set-MRConfiguration,
    /// Connect-MRRegistry and Disconnect-MRRegistry change only the session.</summary>
    private static readonly string[] NotRegistryChanging = { "Export-MRModelGroupList", "Export-MRApprovalAudit", "Set-MRConfiguration", "Connect-MRRegistry", "Disconnect-MRRegistry" };

    [Theory]
    [MemberData(nameof(Table))]
    public void Fed_from_a_configuration_of_another_account_it_refuses_each_input_and_calls_no_SageMaker_operation(
        string cmdlet, string feed, string script, string inputs)
    {
        // Reached from wrong.env by reads in the caller's account (reads are not guarded); kept in the runspace.
        var derived = Run(Derive + $"; {inputs}");
        Assert.Empty(derived.Errors);
        var fed = derived.Output.Select(o => o.BaseObject).ToList();
        Assert.NotEmpty(fed);
        // What is fed really carries the configuration's account: the guard has something to follow.
        foreach (var o in fed)
            Assert.Equal(Wrong, o is TeamProject tp ? tp.AccountId : (string?)PSObject.AsPSObject(o).Properties["ExpectedAccountId"]?.Value);

        var before = _moto.Proxy.Forwarded.Count;
        var result = Run(script);
        var during = _moto.Proxy.Forwarded.Skip(before).ToList();

        var sageMaker = during.Where(f => f.Operation != "").Select(f => f.Operation).ToList();
        Assert.True(sageMaker.Count == 0, $"{cmdlet} fed by {feed} sent SageMaker {string.Join(", ", sageMaker)}");
        Assert.True(during.Count <= 1, $"{cmdlet} fed by {feed}: more than the one sts:GetCallerIdentity ({during.Count} requests)");
        Assert.Empty(result.Output);
        Assert.Equal(fed.Count, result.Errors.Count);
        foreach (var e in result.Errors)
        {
            Assert.Equal("ModelRegistry.AccessDenied.WrongAccount", e.FullyQualifiedErrorId.Split(',')[0]);
            Assert.Equal(ErrorCategory.SecurityError, e.CategoryInfo.Category);
            Assert.Contains(Wrong, e.Exception.Message);
            Assert.Contains(Caller, e.Exception.Message);
        }
    }

    [Fact]
    public void The_table_has_every_command_that_changes_a_registry()
    {
        var commands = Run(@"Get-Command -Module ModelRegistry | Where-Object {
                $_.Parameters.ContainsKey('WhatIf') -or $_.Verb -in 'New','Set','Approve','Deny','Remove','Register','Sync','Deploy','Export','Update','Publish','Import' } |
            ForEach-Object Name").Output.Select(o => o.ToString()).ToList();
        Assert.Contains("Remove-MRDeployment", commands);
        var covered = Table().Select(r => (string)r[0]).Concat(NotRegistryChanging).ToHashSet();
        var missing = commands.Where(c => !covered.Contains(c)).ToList();
        Assert.True(missing.Count == 0, "No account-guard row for: " + string.Join(", ", missing));
    }

    [Fact]
    public void The_lifecycle_and_metadata_cmdlets_send_only_what_the_Publisher_and_Approver_policies_grant()
    {
        static HashSet<string> Granted(ModuleHost.Result policies, IamPolicyRole role)
        {
            using var doc = System.Text.Json.JsonDocument.Parse(policies.Objects<IamPolicy>().Single(p => p.Role == role).Document);
            return doc.RootElement.GetProperty("Statement").EnumerateArray()
                .SelectMany(s => s.GetProperty("Action").EnumerateArray().Select(a => a.GetString()!)).ToHashSet();
        }
        var policies = Run("'Publisher', 'Approver' | ForEach-Object { Get-MRProject ./right.env | Get-MRIamPolicy -Role $_ }");
        Assert.Empty(policies.Errors);
        // A group of its own: the moto state the table's rows read stays as seeded.
        Assert.Empty(Run("New-MRModelGroup -Name acct-iamcheck -Description d | Out-Null").Errors);

        List<string> Sent(string script)
        {
            var before = _moto.Proxy.Forwarded.Count;
            var result = Run(script);
            Assert.Empty(result.Errors);
            return _moto.Proxy.Forwarded.Skip(before).Select(f => f.Operation).Where(o => o != "").Distinct().Select(o => "sagemaker:" + o).ToList();
        }
        var publish = Sent($"Register-MRModelVersion acct-iamcheck -ImageUri {Image} -Stage Development | Out-Null");
        var approve = Sent(@"
            Get-MRModelVersion acct-iamcheck -Stage Development | Out-Null
            Get-MRModelVersion acct-iamcheck -Latest 1 | Set-MRModelVersion -CustomerMetadata @{ ticket = 'ML-42' } -RemoveCustomerMetadata draft
            Set-MRModelLifecycle -GroupName acct-iamcheck -Version 1 -Stage Development -Reason 'again'");
        Assert.Contains("sagemaker:CreateModelPackage", publish);
        Assert.Contains("sagemaker:UpdateModelPackage", approve);
        Assert.Empty(publish.Except(Granted(policies, IamPolicyRole.Publisher)));
        Assert.Empty(approve.Except(Granted(policies, IamPolicyRole.Approver)));
    }

    [Fact]
    public void In_the_callers_account_the_same_pipeline_acts_and_the_account_travels_on()
    {
        var result = Run(@"
            $v = Get-MRProject ./right.env | Get-MRModelVersion -Status PendingManualApproval -Latest 1
            $v | Set-MRApproval -Status PendingManualApproval -Reason 'still pending' -PassThru");
        Assert.Empty(result.Errors);
        var v = Assert.Single(result.Objects<ModelVersion>());
        Assert.Equal(Caller, v.ExpectedAccountId);
        Assert.Equal("ap-northeast-1", v.ConfiguredRegion);
        Assert.Equal("still pending", v.ApprovalDescription);
    }
}
