#Requires -Version 7.0
<#
.SYNOPSIS
    Builds, tests and demonstrates the ModelRegistry module.
.DESCRIPTION
    Tasks:
      Build  - compiles the assemblies and lays out the module in ./out/ModelRegistry (manifest, the cmdlet
               assembly for both editions, net8.0/ and netstandard2.0/ with Dependencies/, help; the views are
               compiled into the assembly).
      Test   - Build, then every xunit test and every Pester test; ends with one line
               "N passed, N failed, N skipped" and exits non-zero on any failure.
      Demo   - Build, then the seed's job on .env.shared.example against a Local registry in ./registry:
               create the groups, verify them, show them, write output/model-groups.env; register and
               deploy one approved version (a Local record) and print an IAM policy.
               Running it again changes nothing.
      Package- Build, then a versioned .nupkg in ./out/package/repository (a local file repository),
               checked by installing it with Install-PSResource into a sandbox and running it.
      Bench  - Build, then build/Bench.ps1: one moto_server on loopback; the seed's `aws` loop, boto3
               (sequential and 16 threads) and ModelRegistry creating groups and approving versions, plus
               Import-Module time and the peak memory of listing 10,000 versions. Prints the table and
               writes docs/benchmarks.md. Needs moto_server, python3 with boto3, and the aws CLI.
      Clean  - removes ./out and the build folders.
.EXAMPLE
    dotnet tool restore; dotnet pwsh ./build.ps1 Test
#>
[CmdletBinding()]
param(
    [Parameter(Position = 0)]
    [ValidateSet('Build', 'Test', 'Demo', 'Package', 'Bench', 'Clean')]
    [string] $Task = 'Build',

    [ValidateSet('Debug', 'Release')]
    [string] $Configuration = 'Release',

    # Test only: a filter passed to `dotnet test --filter`, and Pester files to run (default: all).
    [string] $TestFilter,
    [string[]] $PesterPath
)

$ErrorActionPreference = 'Stop'
Set-StrictMode -Version 3.0
if ([Console]::IsOutputRedirected -or $env:CI) { $PSStyle.OutputRendering = 'PlainText' }
$root = $PSScriptRoot
$out = Join-Path $root 'out'
$moduleOut = Join-Path $out 'ModelRegistry'
$frameworks = 'net8.0', 'netstandard2.0'

function Invoke-Native {
    param([string] $What, [scriptblock] $Command)
    & $Command
    if ($LASTEXITCODE -ne 0) { throw "$What failed (exit code $LASTEXITCODE)." }
}

function Get-ModuleVersion {
    # Read the one line: no need to evaluate the manifest for its version.
    $line = Select-String -Path (Join-Path $root 'ModelRegistry.psd1') -Pattern "^\s*ModuleVersion\s*=\s*'([^']+)'" | Select-Object -First 1
    if (-not $line) { throw 'ModuleVersion not found in ModelRegistry.psd1.' }
    $line.Matches[0].Groups[1].Value
}

function Invoke-Build {
    $version = Get-ModuleVersion
    Write-Host "Building ModelRegistry $version ($Configuration)" -ForegroundColor Cyan
    # The bridge is netstandard2.0 only; the engine is built for each edition's runtime.
    foreach ($project in 'src/ModelRegistry/ModelRegistry.csproj', 'src/ModelRegistry.Engine/ModelRegistry.Engine.csproj') {
        Invoke-Native 'dotnet build' {
            dotnet build (Join-Path $root $project) -c $Configuration -nologo -v:q "-p:Version=$version"
        }
    }

    if (Test-Path $moduleOut) { Remove-Item $moduleOut -Recurse -Force }
    New-Item -ItemType Directory -Force $moduleOut | Out-Null
    # The bridge and the public domain types load in PowerShell's default context: one netstandard2.0 build
    # at the module's root for both editions, so the manifest's RootModule is a constant ...
    $bridgeBin = Join-Path $root "src/ModelRegistry/bin/$Configuration/netstandard2.0"
    Copy-Item (Join-Path $bridgeBin 'ModelRegistry.dll'), (Join-Path $bridgeBin 'ModelRegistry.Domain.dll') $moduleOut
    foreach ($tfm in $frameworks) {
        $engineBin = Join-Path $root "src/ModelRegistry.Engine/bin/$Configuration/$tfm"
        $dependencies = Join-Path $moduleOut "$tfm/Dependencies"
        New-Item -ItemType Directory -Force $dependencies | Out-Null
        # ... the engine and AWSSDK.Core in the module's own context (net8.0/ on PowerShell 7, netstandard2.0/ on
        # Windows PowerShell): never beside the bridge.
        Get-ChildItem $engineBin -Filter *.dll |
            Where-Object Name -ne 'ModelRegistry.Domain.dll' |
            Copy-Item -Destination $dependencies
    }
    # PowerShell 7's private load context, which the bridge loads by path when the engine is first needed.
    Copy-Item (Join-Path $root "src/ModelRegistry.LoadContext/bin/$Configuration/net8.0/ModelRegistry.LoadContext.dll") (Join-Path $moduleOut 'net8.0')
    Copy-Item (Join-Path $root 'ModelRegistry.psd1') $moduleOut

    & (Join-Path $root 'build/New-ModuleHelp.ps1') -ModulePath $moduleOut `
        -DocumentationXml (Join-Path $bridgeBin 'ModelRegistry.xml') `
        -AboutTopic (Join-Path $root 'src/ModelRegistry/Help/about_ModelRegistry.help.txt')
    Write-Host "Module laid out in $moduleOut" -ForegroundColor Green
}

# Arguments that start this same PowerShell again: `dotnet pwsh` runs as dotnet + pwsh.dll.
function Get-PwshArguments {
    if ((Split-Path -Leaf ([Environment]::ProcessPath)) -like 'dotnet*') { @(Join-Path $PSHOME 'pwsh.dll') } else { @() }
}

function Get-PesterModulePath {
    $packages = if ($env:NUGET_PACKAGES) { $env:NUGET_PACKAGES } else { Join-Path $HOME '.nuget/packages' }
    $psd1 = Join-Path $packages 'pester/5.7.1/tools/Pester.psd1'
    if (-not (Test-Path $psd1)) { throw "Pester 5.7.1 was not restored to $psd1 (it comes from NuGet through tests/ModelRegistry.Tests)." }
    $psd1
}

function Invoke-Tests {
    Invoke-Build
    $results = Join-Path $out 'test-results'
    if (Test-Path $results) { Remove-Item $results -Recurse -Force }
    New-Item -ItemType Directory -Force $results | Out-Null

    # Tests talk to emulators on loopback only: never let the credential chain probe the instance metadata address.
    $env:AWS_EC2_METADATA_DISABLED = 'true'

    # xunit: engine, contract suite (Local and SageMaker-on-moto), in-process cmdlet tests.
    $trx = Join-Path $results 'xunit.trx'
    $testArgs = @('test', (Join-Path $root 'tests/ModelRegistry.Tests/ModelRegistry.Tests.csproj'), '-c', $Configuration, '-nologo',
        '--logger', "trx;LogFileName=$trx", '--logger', 'console;verbosity=minimal')
    if ($TestFilter) { $testArgs += @('--filter', $TestFilter) }
    $env:MODELREGISTRY_MODULE = Join-Path $moduleOut 'ModelRegistry.psd1'
    & dotnet @testArgs
    $xunitExit = $LASTEXITCODE
    $x = @{ Passed = 0; Failed = 0; Skipped = 0 }
    if (Test-Path $trx) {
        $run = ([xml](Get-Content -Raw $trx)).TestRun
        $counters = $run.ResultSummary.Counters
        $x.Passed = [int]$counters.passed
        $x.Failed = [int]$counters.failed + [int]$counters.error + [int]$counters.timeout + [int]$counters.aborted
        # A skipped test (Skip.If with a reason) is a result with outcome NotExecuted; the trx counters leave
        # notExecuted at 0 for them, so count the results themselves.
        $x.Skipped = @($run.GetElementsByTagName('UnitTestResult') | Where-Object { $_.GetAttribute('outcome') -eq 'NotExecuted' }).Count
    }
    elseif ($xunitExit -ne 0) { $x.Failed = 1; Write-Warning 'dotnet test failed before producing results.' }
    if ($xunitExit -ne 0 -and $x.Failed -eq 0) { $x.Failed = 1; Write-Warning "dotnet test exited with $xunitExit." }
    Write-Host "xunit: $($x.Passed) passed, $($x.Failed) failed, $($x.Skipped) skipped"

    # Pester: the module as a user drives it, in a fresh process so nothing from this one leaks in.
    $p = @{ Passed = 0; Failed = 0; Skipped = 0 }
    $pesterResult = Join-Path $results 'pester.json'
    $paths = if ($PesterPath) { $PesterPath } else { @(Join-Path $root 'tests/pester') }
    $script = @"
`$ErrorActionPreference = 'Stop'
Import-Module '$(Get-PesterModulePath)'
`$c = New-PesterConfiguration
`$c.Run.Path = @('$($paths -join "','")')
`$c.Run.PassThru = `$true
`$c.Output.Verbosity = 'Normal'
`$r = Invoke-Pester -Configuration `$c
@{ Passed = `$r.PassedCount; Failed = `$r.FailedCount + `$r.FailedBlocksCount + `$r.FailedContainersCount; Skipped = `$r.SkippedCount + `$r.NotRunCount } |
    ConvertTo-Json | Set-Content '$pesterResult'
"@
    $env:MODELREGISTRY_MODULE = Join-Path $moduleOut 'ModelRegistry.psd1'
    & ([Environment]::ProcessPath) @(Get-PwshArguments) -NoProfile -NonInteractive -Command $script
    $pesterExit = $LASTEXITCODE
    if (Test-Path $pesterResult) {
        $j = Get-Content -Raw $pesterResult | ConvertFrom-Json
        $p.Passed = [int]$j.Passed; $p.Failed = [int]$j.Failed; $p.Skipped = [int]$j.Skipped
    }
    else { $p.Failed = 1; Write-Warning "Pester did not report results (exit code $pesterExit)." }
    Write-Host "Pester: $($p.Passed) passed, $($p.Failed) failed, $($p.Skipped) skipped"
    # A full run that ran nothing is broken (a discovery error, a wrong path), not green.
    if (-not $TestFilter -and $x.Passed + $x.Failed -eq 0) { $x.Failed = 1; Write-Warning 'xunit ran no tests.' }
    if (-not $PesterPath -and $p.Passed + $p.Failed -eq 0) { $p.Failed = 1; Write-Warning 'Pester ran no tests.' }

    $passed = $x.Passed + $p.Passed
    $failed = $x.Failed + $p.Failed
    $skipped = $x.Skipped + $p.Skipped
    Write-Host ''
    Write-Host "$passed passed, $failed failed, $skipped skipped"
    if ($failed -gt 0) { exit 1 }
    exit 0
}

function Invoke-Demo {
    Invoke-Build
    Push-Location $root
    try {
        Import-Module (Join-Path $moduleOut 'ModelRegistry.psd1') -Force
        Connect-MRRegistry -Local -Path ./registry -Region ap-northeast-1 -AccountId 123456789012
        Write-Host "`n== Projects in .env.shared.example" -ForegroundColor Cyan
        Get-MRProject ./.env.shared.example | Format-Table | Out-Host
        Write-Host "== Creating the model groups (Local registry in ./registry)" -ForegroundColor Cyan
        Get-MRProject ./.env.shared.example | New-MRModelGroup | Format-Table | Out-Host
        Write-Host "== Verifying them" -ForegroundColor Cyan
        $ok = Get-MRProject ./.env.shared.example | Test-MRModelGroup
        $ok | Format-Table | Out-Host
        Write-Host "== The registry's groups" -ForegroundColor Cyan
        Get-MRModelGroup | Format-Table | Out-Host
        Get-MRProject ./.env.shared.example | Export-MRModelGroupList -Path output/model-groups.env -Verbose
        Write-Host "`n== output/model-groups.env" -ForegroundColor Cyan
        Get-Content output/model-groups.env | Out-Host

        # The seed README's model flow: register a version, review it. Only once, so a re-run changes nothing.
        if (-not (Get-MRModelVersion rc-fraud-detection)) {
            Write-Host "== Registering a version of rc-fraud-detection and approving it" -ForegroundColor Cyan
            Register-MRModelVersion rc-fraud-detection `
                -ImageUri 123456789012.dkr.ecr.ap-northeast-1.amazonaws.com/fraud-detection:1.0 `
                -ModelDataUrl s3://acme-models/fraud-detection/model.tar.gz `
                -ContentType application/json -ResponseType application/json `
                -InferenceInstanceType ml.m5.large, ml.m5.xlarge -TransformInstanceType ml.m5.xlarge `
                -ModelStatisticsUri s3://acme-models/fraud-detection/statistics.json `
                -Description 'Fraud detection model v1.0' | Out-Null
            Get-MRModelVersion rc-fraud-detection -Status PendingManualApproval | Approve-MRModelVersion -Reason 'AUC 0.93'
        }
        Write-Host "== Versions of rc-fraud-detection" -ForegroundColor Cyan
        Get-MRModelVersion rc-fraud-detection | Format-Table | Out-Host

        # Deploy the newest approved version (a Local record: nothing is served); once only, so a re-run changes nothing.
        Write-Host "== Deploying the approved version (Local: a record, nothing served)" -ForegroundColor Cyan
        if (-not (Get-MRDeployment | Where-Object EndpointName -eq 'fraud-detection-endpoint')) {
            Get-MRModelVersion rc-fraud-detection -Status Approved -Latest 1 |
                Deploy-MRModelVersion -EndpointName fraud-detection-endpoint -Wait | Out-Null
        }
        Get-MRDeployment | Format-Table | Out-Host
        Write-Host "== IAM policy (Approver) for rc-fraud-detection" -ForegroundColor Cyan
        (Get-MRProject ./.env.shared.example -Team rc -Project fraud-detection | Get-MRIamPolicy -Role Approver).Document | Out-Host
        if ($ok.Passed -contains $false) { exit 1 }
    }
    finally { Pop-Location }
}

switch ($Task) {
    'Build' { Invoke-Build }
    'Test' { Invoke-Tests }
    'Demo' { Invoke-Demo }
    'Package' {
        Invoke-Build
        $nupkg = & (Join-Path $root 'build/Package.ps1') -ModulePath $moduleOut -OutDirectory (Join-Path $out 'package')
        Write-Host "Package: $($nupkg.FullName)" -ForegroundColor Green
    }
    'Bench' {
        Invoke-Build
        & (Join-Path $root 'build/Bench.ps1') -ModulePath (Join-Path $moduleOut 'ModelRegistry.psd1') -OutFile (Join-Path $root 'docs/benchmarks.md')
    }
    'Clean' {
        foreach ($d in @($out) + (Get-ChildItem $root -Recurse -Directory -Include bin, obj | Select-Object -ExpandProperty FullName)) {
            if (Test-Path $d) { Remove-Item $d -Recurse -Force }
        }
    }
}
