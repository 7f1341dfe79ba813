using System.Collections;
using System.Management.Automation;
using System.Reflection;
using System.Runtime.Loader;
using System.Text.Json;
using ModelRegistry.Tests.Support;

namespace ModelRegistry.Tests.Cmdlets;

/// <summary>
/// What every cmdlet writes, on a Local registry: objects a script can hold on to. No runtime type anywhere inside
/// an output object (walked recursively through properties and collections) comes from the engine assembly or the
/// module's private load context, and tags are one public type that PowerShell treats as a dictionary.
/// </summary>
public sealed class OutputTypeTests : IDisposable
{
    private const string Image = "123456789012.dkr.ecr.ap-northeast-1.amazonaws.com/fraud:1.0";
    private readonly ModuleHost _host = new();
    private readonly TempFolder _temp = new("mr-output-types");
    private string Folder => _temp.Path;

    public OutputTypeTests()
    {
        File.WriteAllText(Path.Combine(Folder, ".env.shared"), string.Join("\n",
            "COMPANY=acme", "AWS_REGION=ap-northeast-1", "AWS_ACCOUNT_ID=123456789012", "TEAMS=\"rc algo\"",
            "TEAM_RC_FULLNAME=risk-control", "TEAM_ALGO_FULLNAME=algorithm", "RC_PROJECTS=\"fraud-detection\"",
            "ALGO_PROJECTS=\"recommendation-engine\"", "SAGEMAKER_EXECUTION_ROLE_ARN=arn:aws:iam::123456789012:role/sagemaker-execution", ""));
        Run("Set-Location $folder; Connect-MRRegistry -Local -Path ./registry | Out-Null");
    }

    public void Dispose()
    {
        _host.Dispose();
        _temp.Dispose();
    }

    private ModuleHost.Result Run(string script) => _host.Run(script, new Hashtable { ["folder"] = Folder });

    /// <summary>One command per exported cmdlet, in an order where each finds what it needs; every one must write something.</summary>
    private static readonly (string Cmdlet, string Script)[] Commands =
    {
        ("Connect-MRRegistry", "Connect-MRRegistry -Local -Path ./registry -PassThru"),
        ("Get-MRRegistry", "Get-MRRegistry"),
        ("Set-MRConfiguration", "Set-MRConfiguration -ConfigPath ./.env.shared -PassThru"),
        ("Get-MRConfiguration", "Get-MRConfiguration"),
        ("Get-MRProject", "Get-MRProject"),
        ("Compare-MRModelGroup", "Get-MRProject | Compare-MRModelGroup"),
        ("New-MRModelGroup", "Get-MRProject -Team rc | New-MRModelGroup"),
        ("Sync-MRModelGroup", "Get-MRProject | Sync-MRModelGroup -Confirm:$false"),
        ("Get-MRModelGroup", "Get-MRModelGroup -IncludeTags -IncludeVersionCount"),
        ("Test-MRModelGroup", "Get-MRProject | Test-MRModelGroup"),
        ("Set-MRModelGroupPolicy", "Set-MRModelGroupPolicy -Name rc-fraud-detection -ConsumerAccountId 111111111111 -PassThru"),
        ("Get-MRModelGroupPolicy", "Get-MRProject -Team rc | Get-MRModelGroupPolicy"),
        ("Remove-MRModelGroupPolicy", "Remove-MRModelGroupPolicy -Name rc-fraud-detection -Confirm:$false -PassThru"),
        ("Export-MRModelGroupList", "Get-MRProject | Export-MRModelGroupList -Path ./groups.env -PassThru"),
        ("Register-MRModelVersion", $"Register-MRModelVersion rc-fraud-detection -ImageUri {Image} -Metric @{{ auc = 0.91 }} -CustomerMetadata @{{ run = '7' }} -Tag @{{ Owner = 'me' }}; Register-MRModelVersion rc-fraud-detection -ImageUri {Image} -Metric @{{ auc = 0.93 }}"),
        ("Get-MRModelVersion", "Get-MRModelVersion rc-fraud-detection -Detailed"),
        ("Get-MRModelMetric", "Get-MRModelMetric rc-fraud-detection -Version 1"),
        ("Test-MRModelVersion", "Get-MRModelVersion rc-fraud-detection | Test-MRModelVersion -Require 'auc >= 0.9'"),
        ("Compare-MRModelVersion", "Get-MRModelVersion rc-fraud-detection -Latest 2 -Ascending | Compare-MRModelVersion"),
        ("Approve-MRModelVersion", "Get-MRModelVersion rc-fraud-detection | Where-Object Version -eq 1 | Approve-MRModelVersion -Reason 'good' -PassThru"),
        ("Deny-MRModelVersion", "Get-MRModelVersion rc-fraud-detection | Where-Object Version -eq 2 | Deny-MRModelVersion -Reason 'worse' -PassThru"),
        ("Set-MRApproval", "Get-MRModelVersion rc-fraud-detection | Where-Object Version -eq 2 | Set-MRApproval -Status PendingManualApproval -Reason 'again' -PassThru"),
        ("Set-MRModelVersion", "Set-MRModelVersion -GroupName rc-fraud-detection -Version 1 -CustomerMetadata @{ ticket = 'ML-42' } -RemoveCustomerMetadata run -PassThru"),
        ("Set-MRModelLifecycle", "Get-MRModelVersion rc-fraud-detection | Where-Object Version -eq 1 | Set-MRModelLifecycle -Stage Development -Reason 'first' -PassThru"),
        ("Export-MRApprovalAudit", "Get-MRModelGroup rc-fraud-detection | Export-MRApprovalAudit -Path ./audit.csv -PassThru"),
        ("Deploy-MRModelVersion", "Get-MRModelVersion rc-fraud-detection | Where-Object Version -eq 1 | Deploy-MRModelVersion -EndpointName fraud-endpoint -Confirm:$false"),
        ("Get-MRDeployment", "Get-MRDeployment"),
        ("Get-MRIamPolicy", "Get-MRProject | Get-MRIamPolicy -Role Approver"),
        ("Remove-MRDeployment", "Remove-MRDeployment fraud-endpoint -Confirm:$false"),
        ("Remove-MRModelVersion", "Get-MRModelVersion rc-fraud-detection | Where-Object Version -eq 2 | Remove-MRModelVersion -Confirm:$false -PassThru"),
        ("Remove-MRModelGroup", "Remove-MRModelGroup algo-recommendation-engine -Confirm:$false"),
        ("Disconnect-MRRegistry", "Disconnect-MRRegistry -PassThru"),
    };

    [Fact]
    public void Every_exported_cmdlet_is_run_here()
    {
        var exported = Run("(Get-Module ModelRegistry).ExportedCmdlets.Keys").Output.Select(o => o.ToString()).OrderBy(n => n).ToList();
        Assert.NotEmpty(exported);
        Assert.Equal(exported, Commands.Select(c => c.Cmdlet).OrderBy(n => n).ToList());
    }

    [Fact]
    public void No_output_object_holds_an_engine_type_or_one_from_the_private_load_context()
    {
        var problems = new List<string>();
        foreach (var (cmdlet, script) in Commands)
        {
            var result = Run(script);
            Assert.True(result.Errors.Count == 0, $"{cmdlet}: {string.Join("; ", result.Errors.Select(e => e.ToString()))}");
            Assert.True(result.Output.Count > 0, $"{cmdlet} wrote nothing.");
            foreach (var o in result.Output)
                Walk(o.BaseObject, cmdlet + " → " + o.BaseObject.GetType().Name, new HashSet<object>(ReferenceEqualityComparer.Instance), problems);
        }
        Assert.True(problems.Count == 0, string.Join("\n", problems));
    }

    private static void Walk(object? value, string path, HashSet<object> seen, List<string> problems)
    {
        if (value is null || value is string || value.GetType().IsPrimitive || value is DateTime || value is decimal || value is Enum) return;
        if (!value.GetType().IsValueType && !seen.Add(value)) return;
        var type = value.GetType();
        if (type.IsGenericType && type.GetGenericTypeDefinition() == typeof(KeyValuePair<,>))
        {
            Walk(type.GetProperty("Value")!.GetValue(value), path + ".Value", seen, problems);
            return;
        }
        var assembly = type.Assembly;
        if (assembly.GetName().Name == "ModelRegistry.Engine" || AssemblyLoadContext.GetLoadContext(assembly) != AssemblyLoadContext.Default)
            problems.Add($"{path}: {type.FullName} from {assembly.GetName().Name} (load context {AssemblyLoadContext.GetLoadContext(assembly)?.Name})");
        if (assembly.GetName().Name != "ModelRegistry.Domain") return; // framework types: FileInfo, lists, dictionaries.
        foreach (var p in type.GetProperties(BindingFlags.Public | BindingFlags.Instance).Where(p => p.GetIndexParameters().Length == 0))
        {
            var v = p.GetValue(value);
            if (v is IEnumerable items && v is not string)
            {
                var n = 0;
                foreach (var item in items) Walk(item is DictionaryEntry e ? e.Value : item, $"{path}.{p.Name}[{n++}]", seen, problems);
                Walk(v, $"{path}.{p.Name}", seen, problems);
            }
            else Walk(v, $"{path}.{p.Name}", seen, problems);
        }
    }

    /// <summary>Types scripts hand in as well as get back (a connection is built with [ModelRegistry.RegistryConnection]@{ … }
    /// for -Registry), and exceptions: they keep their setters.</summary>
    private static readonly Type[] NotOutputs = { typeof(VersionSpec), typeof(RegistryConnection), typeof(TagSet), typeof(RegistryException), typeof(ConfigurationException) };

    [Fact]
    public void Output_types_are_read_only_and_show_no_helper_methods()
    {
        var problems = new List<string>();
        foreach (var type in typeof(ModelVersion).Assembly.GetExportedTypes().Where(t => t.IsClass && !NotOutputs.Contains(t)))
        {
            foreach (var p in type.GetProperties(BindingFlags.Public | BindingFlags.Instance))
                if (p.SetMethod?.IsPublic == true) problems.Add($"{type.Name}.{p.Name} has a public setter");
            foreach (var m in type.GetMethods(BindingFlags.Public | BindingFlags.Instance | BindingFlags.Static | BindingFlags.DeclaredOnly)
                         .Where(m => !m.IsSpecialName && m.Name != nameof(ToString)))
                problems.Add($"{type.Name}.{m.Name}() is public");
            foreach (var p in type.GetProperties(BindingFlags.Public | BindingFlags.Instance))
                if (p.PropertyType == typeof(List<string>) || (p.PropertyType.IsGenericType && p.PropertyType.GetGenericTypeDefinition() == typeof(Dictionary<,>)))
                    problems.Add($"{type.Name}.{p.Name} is a mutable {p.PropertyType.Name}");
        }
        Assert.True(problems.Count == 0, string.Join("\n", problems));
    }

    [Fact]
    public void Times_are_local_with_Utc_twins_and_deployment_states_are_enums()
    {
        var result = Run($"Get-MRProject -Team rc | New-MRModelGroup | Out-Null; $v = Register-MRModelVersion rc-fraud-detection -ImageUri {Image} -ApprovalStatus Approved; " +
                         "$v; $v | Deploy-MRModelVersion -EndpointName fraud-endpoint -Confirm:$false; Get-MRModelGroup rc-fraud-detection");
        Assert.Empty(result.Errors);
        var version = result.Objects<ModelVersion>().Single();
        Assert.Equal(DateTimeKind.Local, version.Created!.Value.Kind);
        Assert.Equal(DateTimeKind.Utc, version.CreatedUtc!.Value.Kind);
        Assert.Equal(version.CreatedUtc.Value, version.Created.Value.ToUniversalTime());
        Assert.Equal(version.LastModifiedUtc!.Value, version.LastModified!.Value.ToUniversalTime());
        var group = result.Objects<ModelGroup>().Single();
        Assert.Equal(group.CreatedUtc!.Value, group.Created!.Value.ToUniversalTime());
        var deployment = result.Objects<ModelRegistry.Deployment>().Single();
        Assert.Equal(DeploymentChange.Created, deployment.Change);
        Assert.Equal(EndpointStatus.InService, deployment.Status);
        Assert.Equal(DateTimeKind.Local, deployment.Created!.Value.Kind);
        Assert.Equal(deployment.CreatedUtc!.Value, deployment.Created.Value.ToUniversalTime());
    }

    [Fact]
    public void Tags_are_a_dictionary_to_PowerShell_on_every_output_type()
    {
        Run("Get-MRProject | New-MRModelGroup | Out-Null");
        // Member access, indexing, a missing key, and Where-Object on a project's tags.
        var project = Run("$p = Get-MRProject -Team rc; $p.Tags.Team; $p.Tags['Project']; $null -eq $p.Tags.Nope; (Get-MRProject | Where-Object { $_.Tags.Team -eq 'rc' }).GroupName");
        Assert.Empty(project.Errors);
        Assert.Equal(new[] { "rc", "fraud-detection", "True", "rc-fraud-detection" }, project.Output.Select(o => o.ToString()));

        // The same on a group, a change result and a deployment plan; keys keep their order.
        var group = Run("(Get-MRModelGroup rc-fraud-detection).Tags.Team; (Get-MRProject -Team rc | New-MRModelGroup).Tags.Team; (Get-MRModelGroup rc-fraud-detection).Tags.Keys -join ','");
        Assert.Empty(group.Errors);
        Assert.Equal(new[] { "rc", "rc", "ManagedBy,Team,Project,Phase" }, group.Output.Select(o => o.ToString()));

        // One type everywhere, read-only.
        var types = Run("(Get-MRProject -Team rc).Tags.GetType().FullName; (Get-MRModelGroup rc-fraud-detection).Tags.GetType().FullName; " +
                        "(Get-MRProject -Team rc | Compare-MRModelGroup).TagRepairs.GetType().FullName; " +
                        "try { (Get-MRProject -Team rc).Tags['Team'] = 'x'; 'changed' } catch { $_.Exception.GetType().Name }");
        Assert.Empty(types.Errors);
        Assert.Equal(new[] { "ModelRegistry.TagSet", "ModelRegistry.TagSet", "ModelRegistry.TagSet", "NotSupportedException" }, types.Output.Select(o => o.ToString()));
    }

    [Fact]
    public void A_projects_tags_pass_to_Tag_and_serialise_as_an_object_and_a_readable_CSV_cell()
    {
        var tagged = Run("$p = Get-MRProject -Team rc; New-MRModelGroup -Name rc-copied -Tag $p.Tags -Force | Out-Null; $g = Get-MRModelGroup rc-copied; $g.Tags.Team; $g.Tags.Keys -join ','");
        Assert.Empty(tagged.Errors);
        Assert.Equal(new[] { "rc", "ManagedBy,Team,Project,Phase" }, tagged.Output.Select(o => o.ToString()));

        var json = Run("Get-MRProject -Team rc | Select-Object GroupName, Tags | ConvertTo-Json -Compress").Output.Single().ToString();
        using var doc = JsonDocument.Parse(json);
        Assert.Equal(JsonValueKind.Object, doc.RootElement.GetProperty("Tags").ValueKind);
        Assert.Equal("rc", doc.RootElement.GetProperty("Tags").GetProperty("Team").GetString());

        var csv = Run("Get-MRProject -Team rc | Select-Object GroupName, Tags | ConvertTo-Csv").Output.Select(o => o.ToString()).ToList();
        Assert.Contains("Team=rc", csv[1]);
        Assert.DoesNotContain("System.", csv[1]);
    }
}
