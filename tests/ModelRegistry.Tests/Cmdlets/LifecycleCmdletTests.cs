using ModelRegistry.Tests.Support;

namespace ModelRegistry.Tests.Cmdlets;

/// <summary>Lifecycle stages and metadata after registration, in-process on a Local registry: Set-MRModelLifecycle,
/// Set-MRModelVersion, Register-/Get-MRModelVersion -Stage, the stage rules' ErrorIds, -WhatIf, MODEL_LIFECYCLE_STAGES.</summary>
public sealed class LifecycleCmdletTests : IDisposable
{
    private const string Image = "123456789012.dkr.ecr.ap-northeast-1.amazonaws.com/fraud:1.0";
    private readonly ModuleHost _host = new();
    private readonly TempFolder _root = new("mr-lifecycle");

    public LifecycleCmdletTests()
    {
        var setup = Run("""
            Set-Location $root
            Connect-MRRegistry -Local -Path (Join-Path $root 'registry') -Region ap-northeast-1
            'rc-fraud', 'rc-aml' | ForEach-Object { New-MRModelGroup -Name $_ -Description 'Models' | Out-Null }
            """);
        Assert.Empty(setup.Errors);
    }

    public void Dispose()
    {
        _host.Dispose();
        _root.Dispose();
    }

    private ModuleHost.Result Run(string script) => _host.Run(script, new Dictionary<string, object> { ["root"] = _root.Path, ["image"] = Image });

    private static string ErrorId(System.Management.Automation.ErrorRecord e) => e.FullyQualifiedErrorId.Split(',')[0];

    private ModelVersion Version(string group, int n) =>
        Assert.Single(Run($"Get-MRModelVersion {group} -Version {n} -Detailed").Objects<ModelVersion>());

    [Fact]
    public void Register_promote_one_stage_at_a_time_and_ask_what_is_in_Production_per_group()
    {
        var walk = Run("""
            $v = Register-MRModelVersion rc-fraud -ImageUri $image -Stage development
            $v | Set-MRModelLifecycle -Stage Staging -Reason 'soak test'
            $v | Approve-MRModelVersion -Reason 'AUC 0.93'
            $v | Set-MRModelLifecycle -Stage Production -Reason 'CAB-1234' -PassThru
            Register-MRModelVersion rc-fraud -ImageUri $image -Stage Staging | Out-Null
            Register-MRModelVersion rc-aml -ImageUri $image -ApprovalStatus Approved -Stage Production | Out-Null
            Register-MRModelVersion rc-aml -ImageUri $image -ApprovalStatus Approved -Stage Production | Out-Null
            """);
        Assert.Empty(walk.Errors);
        var promoted = Assert.Single(walk.Objects<ModelVersion>());
        Assert.Equal(("Production", "Approved", "CAB-1234"), (promoted.Stage, promoted.StageStatus, promoted.StageDescription));
        Assert.Equal(("Production", "Approved", "CAB-1234"), (Version("rc-fraud", 1).Stage, Version("rc-fraud", 1).StageStatus, Version("rc-fraud", 1).StageDescription));

        var inProduction = Run("Get-MRModelGroup | Get-MRModelVersion -Stage production -Latest 1");
        Assert.Empty(inProduction.Errors);
        Assert.Equal(new[] { ("rc-aml", 2), ("rc-fraud", 1) },
            inProduction.Objects<ModelVersion>().Select(v => (v.GroupName, v.Version)).OrderBy(x => x.GroupName));

        // The version table shows the stage.
        var table = Run("Get-MRModelVersion rc-fraud | Format-Table | Out-String -Width 200").Output.Single().ToString();
        Assert.Contains("Stage", table);
        Assert.Contains("Production", table);
    }

    [Fact]
    public void Each_stage_rule_refuses_with_its_ErrorId_and_WhatIf_reports_the_same_refusals()
    {
        Assert.Empty(Run("""
            Register-MRModelVersion rc-fraud -ImageUri $image -ApprovalStatus Approved -Stage Development | Out-Null
            Register-MRModelVersion rc-fraud -ImageUri $image -Stage Staging | Out-Null
            Register-MRModelVersion rc-fraud -ImageUri $image -ApprovalStatus Approved -Stage Production | Out-Null
            """).Errors);

        // Version 1 skips Staging; version 2 is not Approved; both, for -WhatIf and for real.
        var planned = Run("Get-MRModelVersion rc-fraud -Version 1, 2 | Set-MRModelLifecycle -Stage Production -WhatIf");
        var real = Run("Get-MRModelVersion rc-fraud -Version 1, 2 | Set-MRModelLifecycle -Stage Production");
        var expected = new[] { "ModelRegistry.Conflict.StageSkipped", "ModelRegistry.Conflict.NotApprovedForStage" };
        Assert.Equal(expected, planned.Errors.Select(ErrorId));
        Assert.Equal(expected, real.Errors.Select(ErrorId));
        Assert.All(real.Errors, e => Assert.Equal(System.Management.Automation.ErrorCategory.InvalidOperation, e.CategoryInfo.Category));
        Assert.Equal(("Development", "Staging"), (Version("rc-fraud", 1).Stage, Version("rc-fraud", 2).Stage));

        // -Force skips a stage, never lets an unapproved version into the last one.
        Assert.Empty(Run("Set-MRModelLifecycle -GroupName rc-fraud -Version 1 -Stage Production -Force -WhatIf").Errors);
        Assert.Equal("ModelRegistry.Conflict.NotApprovedForStage",
            ErrorId(Assert.Single(Run("Set-MRModelLifecycle -GroupName rc-fraud -Version 2 -Stage Production -Force").Errors)));

        // Rejecting what is in the last stage needs -Force, for -WhatIf as for real.
        Assert.Equal("ModelRegistry.Conflict.InLastStage", ErrorId(Assert.Single(Run("Get-MRModelVersion rc-fraud -Version 3 | Deny-MRModelVersion -Reason drift -WhatIf").Errors)));
        Assert.Equal("ModelRegistry.Conflict.InLastStage", ErrorId(Assert.Single(Run("Get-MRModelVersion rc-fraud -Version 3 | Set-MRApproval -Status Rejected").Errors)));
        Assert.Equal(ApprovalStatus.Approved, Version("rc-fraud", 3).Status);
        Assert.Empty(Run("Get-MRModelVersion rc-fraud -Version 3 | Deny-MRModelVersion -Reason drift -Force").Errors);
        Assert.Equal(ApprovalStatus.Rejected, Version("rc-fraud", 3).Status);

        // Registering into the last stage takes an Approved version; -WhatIf says so too.
        foreach (var whatIf in new[] { " -WhatIf", "" })
            Assert.Equal("ModelRegistry.Conflict.NotApprovedForStage",
                ErrorId(Assert.Single(Run("Register-MRModelVersion rc-fraud -ImageUri $image -Stage Production" + whatIf).Errors)));
        Assert.Equal(3, Run("Get-MRModelVersion rc-fraud").Output.Count);
    }

    [Fact]
    public void Set_MRModelVersion_merges_and_removes_metadata_by_pipe_by_name_and_by_arn()
    {
        Assert.Empty(Run("1..3 | ForEach-Object { Register-MRModelVersion rc-fraud -ImageUri $image -CustomerMetadata @{ git = 'abc'; draft = 'yes' } } | Out-Null").Errors);

        var result = Run("""
            Set-MRModelVersion -GroupName rc-fraud -Version 1 -CustomerMetadata @{ ticket = 'ML-42'; git = 'def' } -RemoveCustomerMetadata draft
            Get-MRModelVersion rc-fraud -Version 2 | Set-MRModelVersion -CustomerMetadata @{ eval = 's3://acme-models/eval.json' }
            Set-MRModelVersion -Arn (Get-MRModelVersion rc-fraud -Version 3).Arn -RemoveCustomerMetadata draft, git -PassThru
            Set-MRModelVersion -GroupName rc-fraud -Version 1 -CustomerMetadata @{ other = 'x' } -WhatIf
            """);
        Assert.Empty(result.Errors);
        var passed = Assert.Single(result.Objects<ModelVersion>());
        Assert.Equal(3, passed.Version);

        static Dictionary<string, string> Own(ModelVersion v) =>
            v.CustomerMetadata!.Where(kv => !kv.Key.StartsWith("modelregistry:", StringComparison.OrdinalIgnoreCase)).OrderBy(kv => kv.Key).ToDictionary(kv => kv.Key, kv => kv.Value);
        Assert.Equal(new Dictionary<string, string> { ["git"] = "def", ["ticket"] = "ML-42" }, Own(Version("rc-fraud", 1)));
        Assert.Equal(new Dictionary<string, string> { ["draft"] = "yes", ["eval"] = "s3://acme-models/eval.json", ["git"] = "abc" }, Own(Version("rc-fraud", 2)));
        Assert.Empty(Own(Version("rc-fraud", 3)));
        Assert.Null(Version("rc-fraud", 1).Stage);
    }

    [Fact]
    public void Bad_requests_stop_before_anything_is_read_and_help_says_the_description_cannot_change()
    {
        Assert.Empty(Run("Register-MRModelVersion rc-fraud -ImageUri $image | Out-Null").Errors);
        foreach (var (script, id) in new[]
                 {
                     ("Set-MRModelVersion -GroupName rc-fraud -Version 1", "ModelRegistry.Invalid.InvalidArgument"),
                     ("Set-MRModelVersion -GroupName rc-fraud -Version 1 -StageStatus InProgress", "ModelRegistry.Invalid.InvalidArgument"),
                     ("Set-MRModelVersion -GroupName rc-fraud -Version 1 -CustomerMetadata @{ k = 'v' } -RemoveCustomerMetadata k", "ModelRegistry.Invalid.InvalidArgument"),
                     ("Set-MRModelLifecycle -GroupName rc-fraud -Version 1 -Stage QA", "ModelRegistry.Invalid.UnknownStage"),
                     ("Get-MRModelVersion rc-fraud -Stage QA", "ModelRegistry.Invalid.UnknownStage"),
                     ("Register-MRModelVersion rc-fraud -ImageUri $image -Stage QA", "ModelRegistry.Invalid.UnknownStage"),
                 })
        {
            var result = Run($"try {{ {script} }} catch {{ $_ }}");
            var error = Assert.Single(result.Output.Select(o => o.BaseObject).OfType<System.Management.Automation.ErrorRecord>().Concat(result.Errors));
            Assert.True(id == ErrorId(error), $"{script}: {ErrorId(error)}: {error}");
        }
        Assert.Single(Run("Get-MRModelVersion rc-fraud").Output);
        Assert.Null(Version("rc-fraud", 1).Stage);

        var help = Run("Get-Help Set-MRModelVersion -Full | Out-String -Width 300").Output.Single().ToString();
        Assert.Contains("cannot change a version's description", help);
        Assert.Contains("client-side, not by SageMaker", Run("Get-Help Get-MRModelVersion -Parameter Stage | Out-String -Width 300").Output.Single().ToString());
    }

    [Fact]
    public void The_stages_and_their_order_come_from_MODEL_LIFECYCLE_STAGES_and_a_broken_value_names_file_line_and_key()
    {
        var config = Path.Combine(_root.Path, "stages.env");
        File.WriteAllText(config, "COMPANY=acme\nMODEL_LIFECYCLE_STAGES=\"Dev QA Prod\"\n");
        var result = Run($"""
            Set-MRConfiguration -ConfigPath '{config}'
            $v = Register-MRModelVersion rc-fraud -ImageUri $image -ApprovalStatus Approved -Stage dev
            $v | Set-MRModelLifecycle -Stage qa
            $v | Set-MRModelLifecycle -Stage Prod
            Set-MRModelLifecycle -GroupName rc-fraud -Version 1 -Stage Staging
            """);
        Assert.Equal("ModelRegistry.Invalid.UnknownStage", ErrorId(Assert.Single(result.Errors)));
        Assert.Contains("Dev, QA, Prod", result.Errors[0].Exception.Message);
        Assert.Equal("Prod", Version("rc-fraud", 1).Stage);
        Assert.Equal("ModelRegistry.Conflict.InLastStage", ErrorId(Assert.Single(Run("Deny-MRModelVersion -GroupName rc-fraud -Version 1").Errors)));

        File.WriteAllText(config, "COMPANY=acme\nMODEL_LIFECYCLE_STAGES=\"Dev QA_1 Prod\"\n");
        var broken = Run("try { Deny-MRModelVersion -GroupName rc-fraud -Version 1 } catch { $_ }");
        var error = Assert.Single(broken.Output.Select(o => o.BaseObject).OfType<System.Management.Automation.ErrorRecord>().Concat(broken.Errors));
        Assert.Equal("ModelRegistry.Invalid.ConfigInvalid", ErrorId(error));
        Assert.Contains($"{config}:2: MODEL_LIFECYCLE_STAGES:", error.Exception.Message);
        Assert.Equal(ApprovalStatus.Approved, Version("rc-fraud", 1).Status);
    }
}
