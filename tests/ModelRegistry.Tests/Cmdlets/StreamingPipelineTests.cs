using System.Collections;
using ModelRegistry.Tests.Support;

namespace ModelRegistry.Tests.Cmdlets;

/// <summary>
/// Version cmdlets act on their input as it arrives: in `Get-MRModelVersion | Set-MRApproval`, the first approvals
/// go out while the listing upstream still runs. The upstream here gives one version, then waits (bounded; a hang
/// fails) until the registry shows it approved before giving the next — which only a streaming cmdlet lets happen.
/// </summary>
public sealed class StreamingPipelineTests : IDisposable
{
    private readonly ModuleHost _host = new();
    private readonly TempFolder _temp = new("mr-streaming-pipeline");

    public void Dispose()
    {
        _host.Dispose();
        _temp.Dispose();
    }

    [Theory]
    [InlineData("Set-MRApproval -Status Approved -Reason ok -PassThru", "Approved")]
    [InlineData("Set-MRModelLifecycle -Stage Development -PassThru", "Development")]
    public void The_first_version_is_changed_before_the_next_one_arrives(string command, string expected)
    {
        var result = _host.Run("""
            Set-Location $folder
            Connect-MRRegistry -Local -Path ./registry | Out-Null
            New-MRModelGroup -Name streaming -Description d | Out-Null
            $v = 1..3 | ForEach-Object { Register-MRModelVersion streaming -ImageUri 123456789012.dkr.ecr.ap-northeast-1.amazonaws.com/m:1 }
            $global:seen = @()
            $out = & {
                foreach ($one in $v) {
                    $one
                    # Wait until the registry shows this version changed (at most a minute), and note whether it did.
                    $deadline = [DateTime]::UtcNow.AddMinutes(1)
                    do {
                        $now = Get-MRModelVersion -Arn $one.Arn
                        $done = $now.Status -eq $expected -or $now.Stage -eq $expected
                        if (-not $done) { Start-Sleep -Milliseconds 20 }
                    } until ($done -or [DateTime]::UtcNow -gt $deadline)
                    $global:seen += $done
                }
            } | Invoke-Expression $command
            [pscustomobject]@{ Seen = $global:seen; Out = @($out).Count }
            """.Replace("Invoke-Expression $command", command).Replace("$expected", $"'{expected}'"),
            new Hashtable { ["folder"] = _temp.Path });
        Assert.Empty(result.Errors);
        dynamic summary = result.Output.Single();
        Assert.Equal(new object[] { true, true, true }, ((IEnumerable)summary.Seen).Cast<object>().ToArray());
        Assert.Equal(3, (int)summary.Out);
    }
}
