# Every example in every cmdlet's help, run as written: the code Get-Help -Examples shows (read from the built help in
# out/ModelRegistry, so the test covers what users see, not a copy), in a fresh folder holding a copy of
# .env.shared.example as ./.env.shared, on a Local registry — and the deployment cmdlets' examples on SageMaker too
# (moto, started here), since deploying there needs what the example configuration names (an execution role).
#
# Each cmdlet's examples run in order in one fresh, non-interactive pwsh (a prompt fails instead of waiting; `exit` in
# an example ends only that process): state one example leaves (a variable, a registered version) is there for the next,
# as it is for a user typing them in turn. What an example needs that no earlier example of its cmdlet makes — groups
# created, versions registered or approved, an endpoint deployed — is set up by this test ($Setups below), never by
# editing the example. An example passes when it throws nothing and writes no error; some also have a check of what
# they did. Nothing here reaches AWS: the Local run has dummy credentials and every AWS endpoint on a closed loopback
# port, the moto run has them on moto.
BeforeDiscovery {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    Import-Module (Get-TestModulePath) -Force
    # Cmdlets whose examples also run on SageMaker (moto): deploying there is what the Local registry only records.
    $motoToo = 'Deploy-MRModelVersion', 'Get-MRDeployment', 'Remove-MRDeployment'
    $script:cases = @(foreach ($command in Get-Command -Module ModelRegistry -CommandType Cmdlet | Sort-Object Name) {
            $i = 0
            $examples = @(foreach ($e in @((Get-Help $command.Name -Examples).examples.example)) {
                    $i++
                    @{ Index = $i; Code = "$($e.code)".Trim() }
                })
            @{ Name = $command.Name; Backend = 'Local'; Examples = $examples }
            if ($motoToo -contains $command.Name) { @{ Name = $command.Name; Backend = 'moto'; Examples = $examples } }
        })
}

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    $script:exampleConfig = Join-Path (Get-RepoRoot) '.env.shared.example'

    # Examples that cannot run without a real AWS account, by "<cmdlet> #<n>", with the reason. None today: every
    # example runs on a Local registry or on moto. One listed here is reported as skipped with its reason, never passed.
    $script:NeedsRealAccount = [ordered]@{}
    # Examples of the moto run that moto cannot serve, with the reason; each still runs, and passes, on Local.
    $script:MotoLacks = [ordered]@{}
    $updateEndpoint = python3 -c "import moto.sagemaker.models as m; print(hasattr(m.SageMakerModelBackend, 'update_endpoint'))"
    if ("$updateEndpoint".Trim() -ne 'True') {
        $MotoLacks['Deploy-MRModelVersion #3'] = "moto $(python3 -c 'import moto; print(moto.__version__)') does not implement UpdateEndpoint (switching a live endpoint); the Local run covers this example"
    }

    # The state each cmdlet's examples start from, beyond a Local registry (Connect-MRRegistry -Local -Path ./registry)
    # and ./.env.shared. Setup runs before the first example; Before.<n> just before example n (state a later example
    # needs that the earlier ones must not see); Check.<n> after example n must return $true. Setup code may use
    # `Add-Version` (Register-MRModelVersion with a test image and measured auc/f1 that meet the examples' rules).
    $groups = 'Get-MRProject | New-MRModelGroup | Out-Null'
    # The commented RC_CONSUMER_ACCOUNTS line of .env.shared.example, switched on: sharing examples need consumer accounts.
    $consumers = "Add-Content ./.env.shared 'RC_CONSUMER_ACCOUNTS=`"111111111111 222222222222`"'"
    $deployed = "$groups; Add-Version -Status Approved | Deploy-MRModelVersion -EndpointName fraud-detection-endpoint | Out-Null"
    $script:Setups = @{
        'Approve-MRModelVersion'    = @{
            Setup = "$groups; Add-Version -Auc 0.93 -F1 0.85; Add-Version -Auc 0.94 -F1 0.86"
            Check = @{ 1 = "@(Get-MRModelVersion rc-fraud-detection -Status Approved).Count -eq 2"
                       2 = "(Get-MRModelVersion rc-fraud-detection -Version 3).Status -eq 'Approved'" }
            Before = @{ 2 = 'Add-Version -Auc 0.95 -F1 0.9' }
        }
        'Compare-MRModelGroup'      = @{ Setup = 'Get-MRProject -Team rc | New-MRModelGroup | Out-Null' }   # algo's group is missing
        'Compare-MRModelVersion'    = @{ Setup = "$groups; Add-Version -Auc 0.91 -F1 0.84; Add-Version -Auc 0.94 -F1 0.86" }
        'Deny-MRModelVersion'       = @{
            Setup = "$groups; 1..4 | ForEach-Object { Add-Version }"
            Check = @{ 1 = "(Get-MRModelVersion rc-fraud-detection -Version 4).Status -eq 'Rejected'" }
        }
        'Deploy-MRModelVersion'     = @{
            Setup  = "$groups; 1..3 | ForEach-Object { Add-Version }; Get-MRModelVersion rc-fraud-detection -Version 2 | Approve-MRModelVersion -Reason reviewed"
            # A newer version is approved after the first deploy: example 2 shows the switch, example 3 makes it.
            Before = @{ 2 = 'Get-MRModelVersion rc-fraud-detection -Version 3 | Approve-MRModelVersion -Reason reviewed' }
            Check  = @{ 1 = "(Get-MRDeployment fraud-detection-endpoint).Version -eq 2"
                        2 = "(Get-MRDeployment fraud-detection-endpoint).Version -eq 2"
                        3 = "(Get-MRDeployment fraud-detection-endpoint).Version -eq 3" }
        }
        'Disconnect-MRRegistry'     = @{ Check = @{ 1 = "(Get-MRRegistry).Backend -eq 'SageMaker'" } }
        'Export-MRApprovalAudit'    = @{
            Setup = "$groups; Add-Version; Add-Version | Approve-MRModelVersion -Reason 'AUC 0.95'; Add-Version -Group rc-anti-money-laundering"
            Check = @{ 1 = "Test-Path ./audit.html"; 2 = "Test-Path ./audit.csv" }
        }
        'Export-MRModelGroupList'   = @{ Check = @{ 1 = "(Get-Content ./output/model-groups.env) -contains 'MODEL_GROUPS=`"rc-fraud-detection rc-anti-money-laundering algo-recommendation-engine`"'" } }
        'Get-MRDeployment'          = @{ Setup = $deployed }
        'Get-MRIamPolicy'           = @{ Setup = $consumers; Check = @{ 2 = "Test-Path ./iam-consumer/rc-fraud-detection-ModelRegistry-Consumer.json" } }
        'Get-MRModelGroup'          = @{ Setup = $groups }
        'Get-MRModelGroupPolicy'    = @{ Setup = "$groups; Set-MRModelGroupPolicy -Name rc-fraud-detection -ConsumerAccountId 111111111111 | Out-Null" }
        'Get-MRModelMetric'         = @{ Setup = "$groups; Add-Version -Auc 0.91; Add-Version -Auc 0.95; Add-Version -Auc 0.93" }
        'Get-MRModelVersion'        = @{ Setup = "$groups; Add-Version; Add-Version; Add-Version -Status Approved -Stage Production" }
        'Register-MRModelVersion'   = @{
            Setup = $groups
            Check = @{ 2 = "@(Get-MRModelVersion rc-anti-money-laundering).Count -eq 1"; 5 = "@(Get-MRModelVersion rc-fraud-detection).Count -eq 5" }
        }
        'Remove-MRDeployment'       = @{
            Setup = $deployed
            Check = @{ 1 = "@(Get-MRDeployment).Count -eq 1"; 2 = "@(Get-MRDeployment).Count -eq 0" }
        }
        'Remove-MRModelGroup'       = @{
            Setup  = "$groups; Add-Version; Add-Version"
            Check  = @{ 1 = "@(Get-MRModelGroup).Count -eq 3"; 2 = "(Get-MRModelGroup).Name -notcontains 'rc-fraud-detection'" }
            # An approved version is what -Force is for.
            Before = @{ 2 = "Get-MRModelVersion rc-fraud-detection -Version 1 | Approve-MRModelVersion -Reason reviewed" }
        }
        'Remove-MRModelGroupPolicy' = @{
            Setup = "$groups; Get-MRModelGroup rc-* | Set-MRModelGroupPolicy -ConsumerAccountId 111111111111 | Out-Null"
            Check = @{ 1 = "@(Get-MRModelGroup rc-* | Get-MRModelGroupPolicy | Where-Object IsManaged).Count -eq 0" }
        }
        'Remove-MRModelVersion'     = @{
            Setup = "$groups; 1..3 | ForEach-Object { Add-Version }; Get-MRModelVersion rc-fraud-detection -Version 2 | Deny-MRModelVersion -Reason 'below threshold'"
            Check = @{ 1 = "(Get-MRModelVersion rc-fraud-detection).Version -join ',' -eq '1,3'" }
        }
        'Set-MRApproval'            = @{
            Setup  = "$groups; 1..3 | ForEach-Object { Add-Version }"
            Before = @{ 2 = 'Add-Version -Group rc-anti-money-laundering'; 3 = 'Add-Version' }
            Check  = @{ 1 = "@(Get-MRModelVersion rc-fraud-detection -Status Approved).Count -eq 3"
                        2 = "(Get-MRModelVersion rc-anti-money-laundering -Version 1).Status -eq 'Approved'"
                        3 = "(Get-MRModelVersion rc-fraud-detection -Version 4).Status -eq 'Rejected'" }
        }
        'Set-MRConfiguration'       = @{ Setup = $groups }
        'Set-MRModelGroupPolicy'    = @{
            Setup = "$consumers; $groups"
            Check = @{ 1 = "(Get-MRModelGroupPolicy rc-fraud-detection).ConsumerAccounts -join ' ' -eq '111111111111 222222222222'" }
        }
        'Set-MRModelLifecycle'      = @{
            Setup = "$groups; 1..3 | ForEach-Object { Add-Version }; Add-Version -Status Approved -Stage Development"
            Check = @{ 1 = "(Get-MRModelVersion rc-fraud-detection -Version 4).Stage -eq 'Staging'"
                       2 = "(Get-MRModelVersion rc-fraud-detection -Version 4).Stage -eq 'Production'" }
        }
        'Set-MRModelVersion'        = @{
            Setup = "$groups; Add-Version; Add-Version; Add-Version -Status Approved -Stage Development; Add-Version -Metadata @{ draft = 'true' }"
            Check = @{ 1 = "`$m = (Get-MRModelVersion rc-fraud-detection -Version 4 -Detailed).CustomerMetadata; `$m['ticket'] -eq 'ML-42' -and `$m.Keys -notcontains 'draft'"
                       2 = "(Get-MRModelVersion rc-fraud-detection -Version 3).Stage -eq 'Staging'" }
        }
        'Sync-MRModelGroup'         = @{
            # A group of a project since removed from the file (tagged as the module tags its groups), and algo's missing.
            Setup = "Get-MRProject -Team rc | New-MRModelGroup | Out-Null; New-MRModelGroup -Name rc-churn -Description 'Models for risk-control/churn' -Tag @{ ManagedBy = 'acme-sagemaker'; Team = 'rc'; Project = 'churn'; Phase = '2C' } | Out-Null"
            Check = @{ 1 = "(Get-MRModelGroup).Name -contains 'rc-churn'"
                       2 = "`$n = (Get-MRModelGroup).Name; `$n -notcontains 'rc-churn' -and `$n -contains 'algo-recommendation-engine'" }
        }
        'Test-MRModelGroup'         = @{ Setup = $groups }
        'Test-MRModelVersion'       = @{ Setup = "$groups; 1..4 | ForEach-Object { Add-Version }" }
    }

    # Runs one cmdlet's examples in a fresh pwsh; returns the per-example results and everything the process printed.
    function Invoke-HelpExamples([string] $Name, [string] $Backend, [object[]] $Examples, [string] $MotoUrl) {
        $folder = Join-Path $TestDrive "$Name-$Backend"
        New-Item -ItemType Directory $folder | Out-Null
        Copy-Item $exampleConfig (Join-Path $folder '.env.shared')
        $setup = $Setups[$Name]
        $plan = [ordered]@{
            Setup    = if ($setup) { $setup.Setup } else { $null }
            Examples = @(foreach ($e in $Examples) {
                    [ordered]@{
                        Index  = $e.Index; Code = $e.Code
                        Before = if ($setup -and $setup.Before) { $setup.Before[$e.Index] } else { $null }
                        Check  = if ($setup -and $setup.Check) { $setup.Check[$e.Index] } else { $null }
                    }
                })
        }
        $plan | ConvertTo-Json -Depth 5 | Set-Content (Join-Path $folder 'plan.json') -Encoding utf8NoBOM
        if ($Backend -eq 'moto') {
            $endpoint = $MotoUrl
            $connect = "Connect-MRRegistry -Region ap-northeast-1 -EndpointUrl '$MotoUrl'"
        }
        else {
            # A port that was free a moment ago and is closed now: a SageMaker call from a Local example fails here.
            $listener = [System.Net.Sockets.TcpListener]::new([System.Net.IPAddress]::Loopback, 0)
            $listener.Start(); $port = $listener.LocalEndpoint.Port; $listener.Stop()
            $endpoint = "http://127.0.0.1:$port"
            $connect = 'Connect-MRRegistry -Local -Path ./registry'
        }
        $runner = @"
`$ErrorActionPreference = 'Stop'
`$ProgressPreference = 'SilentlyContinue'
`$env:AWS_ACCESS_KEY_ID = 'test'; `$env:AWS_SECRET_ACCESS_KEY = 'test'; `$env:AWS_SESSION_TOKEN = `$null; `$env:AWS_PROFILE = `$null
`$env:AWS_EC2_METADATA_DISABLED = 'true'; `$env:AWS_MAX_ATTEMPTS = '1'
`$env:AWS_ENDPOINT_URL = '$endpoint'; `$env:AWS_ENDPOINT_URL_STS = '$endpoint'; `$env:AWS_ENDPOINT_URL_S3 = '$endpoint'
Import-Module '$(Get-TestModulePath)'
Set-Location '$folder'
`$__plan = Get-Content -Raw ./plan.json | ConvertFrom-Json
`$__results = Join-Path '$folder' 'results.jsonl'
function Add-Version([string] `$Group = 'rc-fraud-detection', [double] `$Auc = 0.95, [double] `$F1 = 0.9, [string] `$Status = 'PendingManualApproval', [string] `$Stage, [hashtable] `$Metadata) {
    `$more = @{}; if (`$Stage) { `$more.Stage = `$Stage }; if (`$Metadata) { `$more.CustomerMetadata = `$Metadata }
    Register-MRModelVersion `$Group -ImageUri 123456789012.dkr.ecr.ap-northeast-1.amazonaws.com/fraud:1.0 -ModelDataUrl s3://acme-models/fraud/model.tar.gz ``
        -Metric @{ auc = `$Auc; f1 = `$F1 } -ApprovalStatus `$Status @more
}
function __Report(`$Index, `$Stage, `$Problems, `$Output) {
    [ordered]@{ Index = `$Index; Stage = `$Stage; Problems = @(`$Problems); Output = "`$Output" } | ConvertTo-Json -Compress -Depth 3 | Add-Content `$__results
}
try { $connect; if (`$__plan.Setup) { . ([scriptblock]::Create(`$__plan.Setup)) | Out-Null } }
catch { __Report 0 'setup' @("setup failed: `$_") ''; exit 2 }
foreach (`$__e in `$__plan.Examples) {
    if (`$__e.Before) {
        try { . ([scriptblock]::Create(`$__e.Before)) | Out-Null }
        catch { __Report `$__e.Index 'setup' @("setup before this example failed: `$_") ''; continue }
    }
    `$ErrorActionPreference = 'Continue'
    `$Error.Clear()
    `$__problems = [System.Collections.Generic.List[string]]::new()
    `$__items = @()
    try { `$__items = @(. ([scriptblock]::Create(`$__e.Code)) *>&1) }
    catch { `$__problems.Add("threw `$(`$_.FullyQualifiedErrorId): `$_") }
    foreach (`$__r in @(`$__items | Where-Object { `$_ -is [System.Management.Automation.ErrorRecord] }) + @(`$Error | Where-Object { `$_ -is [System.Management.Automation.ErrorRecord] })) {
        `$__text = "error `$(`$__r.FullyQualifiedErrorId): `$__r"
        if (-not `$__problems.Contains(`$__text) -and -not `$__problems.Contains("threw `$(`$__r.FullyQualifiedErrorId): `$__r")) { `$__problems.Add(`$__text) }
    }
    `$__output = `$__items | Out-String -Width 200
    `$ErrorActionPreference = 'Stop'
    if (`$__problems.Count -eq 0 -and `$__e.Check) {
        try { if (-not (. ([scriptblock]::Create(`$__e.Check)))) { `$__problems.Add("did not do what it says: `$(`$__e.Check) is not true afterwards") } }
        catch { `$__problems.Add("its check failed: `$(`$__e.Check): `$_") }
    }
    __Report `$__e.Index 'example' `$__problems `$__output
}
"@
        $psi = [System.Diagnostics.ProcessStartInfo]::new([Environment]::ProcessPath)
        if ((Split-Path -Leaf ([Environment]::ProcessPath)) -like 'dotnet*') { $psi.ArgumentList.Add((Join-Path $PSHOME 'pwsh.dll')) }
        foreach ($a in '-NoProfile', '-NonInteractive', '-Command', $runner) { $psi.ArgumentList.Add($a) }
        $psi.WorkingDirectory = $folder
        $psi.RedirectStandardInput = $true
        $psi.RedirectStandardOutput = $true
        $psi.RedirectStandardError = $true
        $p = [System.Diagnostics.Process]::Start($psi)
        $out = $p.StandardOutput.ReadToEndAsync(); $err = $p.StandardError.ReadToEndAsync()
        # Generous, so that only a prompt or a hang ends here, never a slow machine.
        if (-not $p.WaitForExit(300000)) { $p.Kill($true); $null = $p.WaitForExit(10000) }
        $file = Join-Path $folder 'results.jsonl'
        [pscustomobject]@{
            Results  = @(if (Test-Path $file) { Get-Content $file | ForEach-Object { $_ | ConvertFrom-Json } })
            ExitCode = $p.ExitCode
            Output   = ($out.Result + $err.Result) -replace "\e\[[0-9;]*m", ''
        }
    }
}

Describe 'Help examples' {
    It 'lists as needing a real AWS account only examples that exist' {
        foreach ($key in $NeedsRealAccount.Keys) {
            $name, $index = $key -split ' #'
            @((Get-Help $name -Examples).examples.example).Count | Should -BeGreaterOrEqual ([int]$index) -Because $key
        }
    }

    Context '<Name> on <Backend>' -ForEach $cases {
        BeforeAll {
            if ($Backend -eq 'moto') {
                $script:moto = Start-MotoServer
                $url = $moto.Url
            }
            else { $url = $null }
            try { $script:run = Invoke-HelpExamples -Name $Name -Backend $Backend -Examples $Examples -MotoUrl $url }
            finally { if ($Backend -eq 'moto') { Stop-MotoServer $moto } }
        }

        It 'example <Index>: <Code>' -ForEach $Examples {
            $reason = $NeedsRealAccount["$Name #$Index"]
            if ($reason) { Set-ItResult -Skipped -Because "it needs a real AWS account: $reason"; return }
            if ($Backend -eq 'moto' -and $MotoLacks["$Name #$Index"]) { Set-ItResult -Skipped -Because $MotoLacks["$Name #$Index"]; return }
            $setupFailure = $run.Results | Where-Object { $_.Index -eq 0 -and $_.Stage -eq 'setup' }
            if ($setupFailure) { throw "The test's setup for $Name failed: $($setupFailure.Problems -join '; ')`n$($run.Output)" }
            $result = $run.Results | Where-Object Index -eq $Index
            if (-not $result) {
                throw "$Name example $Index did not finish (the process ended with exit code $($run.ExitCode)):`n    $Code`n$($run.Output)"
            }
            if (@($result.Problems).Count -gt 0) {
                throw "$Name example $Index failed as written ($Backend):`n    $Code`n$(@($result.Problems) -join "`n")`nOutput:`n$($result.Output)"
            }
        }
    }
}
