#Requires -Version 7.0
<#
.SYNOPSIS
    build.ps1 Bench: ModelRegistry against the seed's way, boto3, and the emulator's raw capacity, in one run.
.DESCRIPTION
    Starts one moto_server on a free loopback port and measures, in this order and against an emptied moto
    each time: creating N model groups (the seed's bash loop of `aws` describe + create; a sequential boto3
    loop; boto3 with 16 threads, create only; `Get-MRProject | New-MRModelGroup` over a generated .env.shared
    of 10 teams × 100 projects), approving versions (the seed's `aws sagemaker update-model-package` per
    version; boto3 sequential; boto3 with 16 threads; ModelRegistry when Set-MRApproval exists), then
    Import-Module time (median of fresh pwsh processes; also in a precompiled copy of this PowerShell when it has no
    ReadyToRun code) and the peak working set of a pwsh listing 10,000 versions of a Local registry. Prints the table and writes it, with the machine, to -OutFile.
    Nothing here asserts a time; slower figures are reported, not failed.
#>
[CmdletBinding()]
param(
    [Parameter(Mandatory)] [string] $ModulePath,
    [Parameter(Mandatory)] [string] $OutFile,
    [int] $Groups = 1000,
    [int] $SeedItems = 20,
    [int] $BotoSequentialGroups = 300,
    [int] $Versions = 1000,
    [int] $Threads = 16,
    [int] $ImportRuns = 15,
    # All: every row (what docs/benchmarks.md is written from). ServiceModel: only the rate-limited rows.
    [ValidateSet('All', 'ServiceModel')] [string] $Only = 'All',
    [int] $LimitedSeedItems = 6,
    # Service-model regimes to run, by rate (calls a second): all four by default.
    [double[]] $LimitRates = @(40, 10, 5, 2),
    # Which ways the service-model rows run: All, or only ModelRegistry's (a quick loop while tuning the pacing;
    # each ModelRegistry row then also prints when each operation's first and last call reached the service).
    [ValidateSet('All', 'ModelRegistry')] [string] $Ways = 'All'
)

$ErrorActionPreference = 'Stop'
Set-StrictMode -Version 3.0
$ModulePath = (Resolve-Path $ModulePath).Path   # child processes import it by this path
$here = $PSScriptRoot
$work = Join-Path ([IO.Path]::GetTempPath()) ("mr-bench-" + [Guid]::NewGuid().ToString('N').Substring(0, 8))
New-Item -ItemType Directory -Force $work | Out-Null

# Loopback only, dummy credentials, no instance-metadata probing: for every child process too.
$env:AWS_ACCESS_KEY_ID = 'test'
$env:AWS_SECRET_ACCESS_KEY = 'test'
$env:AWS_REGION = 'us-east-1'
$env:AWS_DEFAULT_REGION = 'us-east-1'
$env:AWS_EC2_METADATA_DISABLED = 'true'
$env:AWS_PAGER = ''

function Get-PwshCommand {
    # `dotnet pwsh` runs as dotnet + pwsh.dll: start the same PowerShell again.
    $exe = [Environment]::ProcessPath
    $extra = if ((Split-Path -Leaf $exe) -like 'dotnet*') { @(Join-Path $PSHOME 'pwsh.dll') } else { @() }
    return , (@($exe) + $extra)
}

function Invoke-Pwsh([string] $Script) {
    $cmd = Get-PwshCommand
    $out = & $cmd[0] @($cmd | Select-Object -Skip 1) -NoProfile -NonInteractive -Command $Script
    if ($LASTEXITCODE -ne 0) { throw "child pwsh failed ($LASTEXITCODE): $out" }
    $out
}

function Invoke-Boto([string[]] $Arguments) {
    $json = & python3 (Join-Path $here 'bench_boto3.py') @Arguments
    if ($LASTEXITCODE -ne 0) { throw "bench_boto3.py $($Arguments[0]) failed ($LASTEXITCODE)" }
    $json | ConvertFrom-Json
}

function Measure-Bash([string] $Script) {
    $file = Join-Path $work ("loop-" + [Guid]::NewGuid().ToString('N') + '.sh')
    Set-Content -Path $file -Value $Script
    $sw = [Diagnostics.Stopwatch]::StartNew()
    & bash $file
    $sw.Stop()
    if ($LASTEXITCODE -ne 0) { throw "bash loop failed ($LASTEXITCODE)" }
    $sw.Elapsed.TotalSeconds
}

function Start-Moto {
    $listener = [Net.Sockets.TcpListener]::new([Net.IPAddress]::Loopback, 0)
    $listener.Start(); $port = $listener.LocalEndpoint.Port; $listener.Stop()
    $p = Start-Process moto_server -ArgumentList '-H', '127.0.0.1', '-p', $port -PassThru `
        -RedirectStandardOutput (Join-Path $work 'moto.out') -RedirectStandardError (Join-Path $work 'moto.err')
    $url = "http://127.0.0.1:$port"
    $deadline = [DateTime]::UtcNow.AddSeconds(120)
    while ([DateTime]::UtcNow -lt $deadline) {
        try { if ((Invoke-WebRequest "$url/moto-api/" -TimeoutSec 2).StatusCode -eq 200) { return @{ Process = $p; Url = $url } } } catch { }
        Start-Sleep -Milliseconds 200
    }
    throw "moto_server did not start on $url"
}

function Reset-Moto { Invoke-Boto @('reset', $moto.Url) | Out-Null }

function New-Row([string] $Task, [string] $Way, [int] $N, [double] $Seconds, [string] $Note = '') {
    [pscustomobject]@{
        Task = $Task; Way = $Way; N = $N; Seconds = [math]::Round($Seconds, 2)
        MsPerItem = if ($N -gt 0) { [math]::Round($Seconds * 1000 / $N, 2) } else { $null }
        PerSecond = if ($Seconds -gt 0) { [math]::Round($N / $Seconds, 0) } else { $null }
        Note = $Note
    }
}

function Get-Machine {
    $mem = (Get-Content /proc/meminfo | Select-String '^MemTotal:\s+(\d+)').Matches[0].Groups[1].Value
    $os = (Get-Content /etc/os-release | Select-String '^PRETTY_NAME="?([^"]+)"?').Matches[0].Groups[1].Value
    [ordered]@{
        'CPUs (nproc)' = (& nproc).Trim()
        'CPU' = ((Get-Content /proc/cpuinfo | Select-String '^model name\s*:\s*(.+)' | Select-Object -First 1).Matches[0].Groups[1].Value)
        'Memory' = '{0:0.0} GiB' -f ([double]$mem / 1MB)
        'OS' = "$os, Linux $((& uname -r).Trim())"
        '.NET SDK' = (& dotnet --version).Trim()
        'PowerShell' = $PSVersionTable.PSVersion.ToString()
        'moto' = (& python3 -c 'import moto; print(moto.__version__)').Trim()
        'boto3' = (& python3 -c 'import boto3; print(boto3.__version__)').Trim()
        'aws CLI' = ((& aws --version 2>&1) -join ' ').Trim()
    }
}


# ---- the service model: rate-limited rows ----------------------------------------------------------
# Regimes of a SageMaker-like service: per-operation token bucket (rate, burst) and fixed latency. N items each.
$regimes = @(
    @{ Rate = 40; Burst = 40; LatencyMs = 100; N = 400; Groups = 400 }
    @{ Rate = 10; Burst = 10; LatencyMs = 50; N = 200; Groups = 200 }
    @{ Rate = 5; Burst = 5; LatencyMs = 50; N = 200; Groups = 200 }
    @{ Rate = 2; Burst = 2; LatencyMs = 50; N = 60; Groups = 60 }
)

function Start-ServiceModel([hashtable] $Regime) {
    $out = Join-Path $work ("sm-" + [Guid]::NewGuid().ToString('N').Substring(0, 6) + '.out')
    $p = Start-Process python3 -PassThru -RedirectStandardOutput $out -RedirectStandardError "$out.err" -ArgumentList @(
        (Join-Path $here 'service_model.py'), '--upstream', $moto.Url, '--rate', $Regime.Rate, '--burst', $Regime.Burst,
        '--latency-ms', $Regime.LatencyMs, '--max-seconds', 1200, '--idle-seconds', 300)
    $deadline = [DateTime]::UtcNow.AddSeconds(60)
    while ([DateTime]::UtcNow -lt $deadline) {
        $line = if (Test-Path $out) { Get-Content $out -TotalCount 1 } else { $null }
        if ($line) { return @{ Process = $p; Url = ($line | ConvertFrom-Json).url } }
        Start-Sleep -Milliseconds 100
    }
    throw "service_model.py did not start"
}

function Reset-ServiceModel($Sm) { Invoke-RestMethod -Method Post "$($Sm.Url)/service-model/reset" | Out-Null }
function Get-ServiceModelStats($Sm) {
    $s = Invoke-RestMethod "$($Sm.Url)/service-model/stats"
    if ($Ways -eq 'ModelRegistry') {
        foreach ($op in $s.PSObject.Properties) {
            $v = $op.Value
            Write-Host ("    {0,-32} ok {1,4}  throttled {2,4}  first {3,7:0.000} s  last {4,7:0.000} s" -f $op.Name, $v.forwarded, $v.throttled, $(if ($v.PSObject.Properties['first']) { $v.first }), $(if ($v.PSObject.Properties['last']) { $v.last }))
            # The first two seconds, admitted/throttled per tenth: how fast the run reaches the limit.
            if ($v.forwarded -gt 5 -and $v.PSObject.Properties['admitted_by_tenth']) {
                $tenths = 0..([math]::Min(19, $v.admitted_by_tenth.Count - 1)) | ForEach-Object { '{0}/{1}' -f $v.admitted_by_tenth[$_], $v.throttled_by_tenth[$_] }
                Write-Host ("    {0,-32} per 0.1 s: {1}" -f '', ($tenths -join ' '))
            }
        }
    }
    $fw = 0; $th = 0
    foreach ($op in $s.PSObject.Properties) { $fw += $op.Value.forwarded; $th += $op.Value.throttled }
    @{ Calls = $fw + $th; Throttled = $th }
}

function New-LimitedRow([string] $Task, [hashtable] $Regime, [string] $Way, [int] $N, [int] $Done, [double] $Seconds, $Stats, [string] $Note = '') {
    $limitSeconds = ($N - $Regime.Burst) / $Regime.Rate
    [pscustomobject]@{
        Task = $Task
        Regime = "$($Regime.Rate)/s, burst $($Regime.Burst), $($Regime.LatencyMs) ms"
        Rate = $Regime.Rate; Burst = $Regime.Burst; LatencyMs = $Regime.LatencyMs
        Way = $Way; N = $N; Done = $Done; Lost = $N - $Done
        Seconds = [math]::Round($Seconds, 1)
        Throttled = "$($Stats.Throttled) of $($Stats.Calls) calls ($(if ($Stats.Calls) { [math]::Round(100 * $Stats.Throttled / $Stats.Calls) } else { 0 }) %)"
        WastePct = if ($Stats.Calls) { 100 * $Stats.Throttled / $Stats.Calls } else { 0 }
        OfLimit = if ($limitSeconds -gt 0 -and $Seconds -gt 0 -and $Done -eq $N) { '{0:0} %' -f (100 * $limitSeconds / $Seconds) } elseif ($limitSeconds -le 0) { 'n/a (N ≤ burst)' } else { 'n/a (items lost)' }
        OfLimitValue = if ($limitSeconds -gt 0 -and $Seconds -gt 0) { $limitSeconds / $Seconds } else { $null }
        Note = $Note
    }
}

function Invoke-SeedLoop([string[]] $Lines) {
    # The seed's way: one aws process per call, stopping for nothing; failures counted.
    $failed = Join-Path $work ("failed-" + [Guid]::NewGuid().ToString('N'))
    $script = "set -u`nfail=0`n" + (($Lines | ForEach-Object { "$_ >/dev/null 2>&1 || fail=`$((fail+1))" }) -join "`n") + "`necho `$fail > '$failed'"
    $seconds = Measure-Bash $script
    @{ Seconds = $seconds; Failed = [int](Get-Content $failed) }
}

function Invoke-ServiceModelBench {
    $hasAws = [bool](Get-Command aws -ErrorAction Ignore)
    foreach ($regime in ($regimes | Where-Object { $_.Rate -in $LimitRates })) {
        $sm = Start-ServiceModel $regime
        $tag = "r$($regime.Rate)"
        Write-Host "service model $($regime.Rate)/s burst $($regime.Burst) $($regime.LatencyMs) ms at $($sm.Url)" -ForegroundColor Cyan
        try {
            # -- approving versions: N fresh Pending versions in one group per row (`Get-MRModelVersion g |
            #    Set-MRApproval`), registered straight into moto (not timed)
            $n = $regime.N
            $register = {
                param([string] $Prefix)
                $file = Join-Path $work "$Prefix.arns"
                Invoke-Boto @('register', $moto.Url, $Prefix, 1, $n, $file) | Out-Null
                , @(Get-Content $file | Where-Object { $_ } | Select-Object -First $n)
            }

            if ($hasAws -and $Ways -eq 'All') {
                $arns = & $register "$tag-seed"
                $seedN = [math]::Min($LimitedSeedItems, $n)
                Reset-ServiceModel $sm
                Write-Host "  approve: seed's aws loop ($seedN)"
                $r = Invoke-SeedLoop ($arns | Select-Object -First $seedN | ForEach-Object {
                        "aws sagemaker update-model-package --model-package-arn '$_' --model-approval-status Approved --endpoint-url $($sm.Url)" })
                $limited.Add((New-LimitedRow 'approve versions' $regime "seed: bash loop of aws update-model-package" $seedN ($seedN - $r.Failed) $r.Seconds (Get-ServiceModelStats $sm) 'small N: one process per call'))
            }
            else {
                $limited.Add((New-LimitedRow 'approve versions' $regime 'seed: bash loop of aws update-model-package' 0 0 0 @{ Calls = 0; Throttled = 0 } 'not run: the aws CLI is not installed'))
            }

            foreach ($way in @(@{ Name = 'boto3 sequential, default retries'; Threads = 1 }, @{ Name = "boto3 $Threads threads, default retries"; Threads = $Threads }) | Where-Object { $Ways -eq 'All' }) {
                $file = Join-Path $work "$tag-b$($way.Threads).arns"
                & $register "$tag-b$($way.Threads)" | Set-Content $file
                Reset-ServiceModel $sm
                Write-Host "  approve: $($way.Name) ($n)"
                $r = Invoke-Boto @('limited-approve', $sm.Url, $file, $n, $way.Threads)
                $limited.Add((New-LimitedRow 'approve versions' $regime $way.Name $r.n $r.ok $r.seconds (Get-ServiceModelStats $sm) $(if ($r.error) { "first error: $($r.error)" } else { '' })))
            }

            $null = & $register "$tag-mr"
            Reset-ServiceModel $sm
            Write-Host "  approve: ModelRegistry Get-MRModelVersion | Set-MRApproval ($n)"
            $json = Invoke-Pwsh @"
`$ErrorActionPreference = 'Continue'
Import-Module '$ModulePath' -ErrorAction Stop
Connect-MRRegistry -Region us-east-1 -EndpointUrl '$($sm.Url)' -ErrorAction Stop
# Warm, as the boto3 rows are (their client makes one ListModelPackageGroups call before timing): engine loaded, connection open.
Get-MRModelGroup -Name 'warm-up-*' | Out-Null
# The counters and buckets start from here, as the clock does: the warm-up's calls are not the row's.
Invoke-RestMethod -Method Post '$($sm.Url)/service-model/reset' | Out-Null
`$sw = [Diagnostics.Stopwatch]::StartNew()
`$r = Get-MRModelVersion -GroupName '$tag-mr-00' | Set-MRApproval -Status Approved -PassThru -Confirm:`$false -ErrorVariable errs -ErrorAction SilentlyContinue
`$sw.Stop()
@{ done = @(`$r | Where-Object { "`$(`$_.Status)" -eq 'Approved' }).Count; seconds = `$sw.Elapsed.TotalSeconds; error = if (`$errs) { "`$(`$errs[0])" } else { `$null } } | ConvertTo-Json -Compress
"@
            $r = ($json | Select-Object -Last 1) | ConvertFrom-Json
            $limited.Add((New-LimitedRow 'approve versions' $regime 'ModelRegistry: Get-MRModelVersion | Set-MRApproval' $n $r.done $r.seconds (Get-ServiceModelStats $sm) $(if ($r.error) { "listing included; first error: $($r.error)" } else { 'listing included' })))

            # -- creating groups: names new to moto per row
            $g = $regime.Groups
            if ($hasAws -and $Ways -eq 'All') {
                $seedN = [math]::Min($LimitedSeedItems, $g)
                Reset-ServiceModel $sm
                Write-Host "  groups: seed's aws loop ($seedN)"
                $r = Invoke-SeedLoop (0..($seedN - 1) | ForEach-Object {
                        $name = "$tag-seedg-{0:D3}" -f $_
                        "{ aws sagemaker describe-model-package-group --model-package-group-name $name --endpoint-url $($sm.Url) || aws sagemaker create-model-package-group --model-package-group-name $name --model-package-group-description 'Models for seed/p$_' --endpoint-url $($sm.Url) ; }" })
                $limited.Add((New-LimitedRow 'create groups' $regime "seed: bash loop of aws describe + create" $seedN ($seedN - $r.Failed) $r.Seconds (Get-ServiceModelStats $sm) 'small N: one process per call'))
            }
            else {
                $limited.Add((New-LimitedRow 'create groups' $regime 'seed: bash loop of aws describe + create' 0 0 0 @{ Calls = 0; Throttled = 0 } 'not run: the aws CLI is not installed'))
            }
            foreach ($way in @(@{ Name = 'boto3 sequential, default retries (create only)'; Threads = 1 }, @{ Name = "boto3 $Threads threads, default retries (create only)"; Threads = $Threads }) | Where-Object { $Ways -eq 'All' }) {
                Reset-ServiceModel $sm
                Write-Host "  groups: $($way.Name) ($g)"
                $r = Invoke-Boto @('limited-groups', $sm.Url, "$tag-bg$($way.Threads)", $g, $way.Threads)
                $limited.Add((New-LimitedRow 'create groups' $regime $way.Name $r.n $r.ok $r.seconds (Get-ServiceModelStats $sm) $(if ($r.error) { "first error: $($r.error)" } else { '' })))
            }
            $teams = [math]::Ceiling($g / 10)
            $envFile = Join-Path $work "$tag.env.shared"
            $lines = @('ENABLE_MODEL_REGISTRY=true', 'COMPANY=bench', 'AWS_ACCOUNT_ID=123456789012', 'AWS_REGION=us-east-1')
            $ids = 0..($teams - 1) | ForEach-Object { "$tag" + [char](97 + [int][math]::Floor($_ / 26)) + [char](97 + $_ % 26) }
            $lines += 'TEAMS="' + ($ids -join ' ') + '"'
            foreach ($t in $ids) {
                $lines += "TEAM_$($t.ToUpperInvariant())_FULLNAME=team-$t"
                $lines += "$($t.ToUpperInvariant())_PROJECTS=""" + ((0..9 | ForEach-Object { 'p{0:D2}' -f $_ }) -join ' ') + '"'
            }
            Set-Content -Path $envFile -Value $lines
            Reset-ServiceModel $sm
            Write-Host "  groups: ModelRegistry Get-MRProject | New-MRModelGroup ($($teams * 10))"
            $json = Invoke-Pwsh @"
`$ErrorActionPreference = 'Continue'
Import-Module '$ModulePath' -ErrorAction Stop
Connect-MRRegistry -Region us-east-1 -EndpointUrl '$($sm.Url)' -ErrorAction Stop
# Warm, as the boto3 rows are (their client makes one ListModelPackageGroups call before timing): engine loaded, connection open.
Get-MRModelGroup -Name 'warm-up-*' | Out-Null
# The counters and buckets start from here, as the clock does: the warm-up's calls are not the row's.
Invoke-RestMethod -Method Post '$($sm.Url)/service-model/reset' | Out-Null
`$sw = [Diagnostics.Stopwatch]::StartNew()
`$r = Get-MRProject -Path '$envFile' | New-MRModelGroup -ErrorVariable errs -ErrorAction SilentlyContinue
`$sw.Stop()
@{ n = $($teams * 10); done = @(`$r | Where-Object { "`$(`$_.Change)" -eq 'Created' }).Count; seconds = `$sw.Elapsed.TotalSeconds; error = if (`$errs) { "`$(`$errs[0])" } else { `$null } } | ConvertTo-Json -Compress
"@
            $r = ($json | Select-Object -Last 1) | ConvertFrom-Json
            $limited.Add((New-LimitedRow 'create groups' $regime 'ModelRegistry: Get-MRProject | New-MRModelGroup' $r.n $r.done $r.seconds (Get-ServiceModelStats $sm) $(if ($r.error) { "listing and account check included; first error: $($r.error)" } else { 'listing and account check included' })))
        }
        finally {
            if (-not $sm.Process.HasExited) { $sm.Process.Kill($true); $sm.Process.WaitForExit(5000) | Out-Null }
        }
    }
}

$rows = [Collections.Generic.List[object]]::new()
$limited = [Collections.Generic.List[object]]::new()
$moto = Start-Moto
$env:AWS_ENDPOINT_URL_STS = $moto.Url   # the account guard's STS call goes to moto too
Write-Host "moto_server at $($moto.Url)" -ForegroundColor Cyan
try {
  if ($Only -eq 'All') {
    # ---- creating groups ------------------------------------------------------------------------
    Reset-Moto
    Write-Host "groups: seed's bash loop ($SeedItems)"
    $seconds = Measure-Bash @"
set -u
for i in `$(seq -f %04g 0 $($SeedItems - 1)); do
  name="seed-`$i"
  if aws sagemaker describe-model-package-group --model-package-group-name "`$name" --endpoint-url $($moto.Url) >/dev/null 2>&1; then continue; fi
  aws sagemaker create-model-package-group --model-package-group-name "`$name" --model-package-group-description "Models for seed/p`$i" \
    --tags Key=ManagedBy,Value=bench-sagemaker Key=Team,Value=seed Key=Project,Value=p`$i Key=Phase,Value=2C --endpoint-url $($moto.Url) >/dev/null
done
"@
    $rows.Add((New-Row 'create groups' "seed: bash loop of aws describe + create" $SeedItems $seconds))

    Reset-Moto
    Write-Host "groups: boto3 sequential ($BotoSequentialGroups)"
    $r = Invoke-Boto @('groups-seq', $moto.Url, 'boto', $BotoSequentialGroups)
    $rows.Add((New-Row 'create groups' 'boto3 sequential (describe + create)' $r.n $r.seconds))

    Reset-Moto
    Write-Host "groups: boto3 $Threads threads ($Groups)"
    $r = Invoke-Boto @('groups-threads', $moto.Url, 'raw', $Groups, $Threads)
    $rows.Add((New-Row 'create groups' "emulator capacity: boto3 $Threads threads (create only)" $r.n $r.seconds))

    Reset-Moto
    $teams = 10; $perTeam = [math]::Ceiling($Groups / $teams)
    $envFile = Join-Path $work '.env.shared'
    $lines = @('ENABLE_MODEL_REGISTRY=true', 'COMPANY=bench', 'AWS_ACCOUNT_ID=123456789012', 'AWS_REGION=us-east-1')
    $ids = 0..($teams - 1) | ForEach-Object { 't' + [char](97 + $_) }
    $lines += 'TEAMS="' + ($ids -join ' ') + '"'
    foreach ($t in $ids) {
        $lines += "TEAM_$($t.ToUpperInvariant())_FULLNAME=team-$t"
        $lines += "$($t.ToUpperInvariant())_PROJECTS=""" + ((0..($perTeam - 1) | ForEach-Object { 'p{0:D3}' -f $_ }) -join ' ') + '"'
    }
    Set-Content -Path $envFile -Value $lines
    Write-Host "groups: ModelRegistry Get-MRProject | New-MRModelGroup ($($teams * $perTeam))"
    $json = Invoke-Pwsh @"
`$ErrorActionPreference = 'Stop'
Import-Module '$ModulePath'
Connect-MRRegistry -Region us-east-1 -EndpointUrl '$($moto.Url)'
`$sw = [Diagnostics.Stopwatch]::StartNew()
`$r = Get-MRProject -Path '$envFile' | New-MRModelGroup
`$sw.Stop()
@{ n = @(`$r).Count; created = @(`$r | Where-Object Change -eq 'Created').Count; seconds = `$sw.Elapsed.TotalSeconds } | ConvertTo-Json -Compress
"@
    $r = ($json | Select-Object -Last 1) | ConvertFrom-Json
    $rows.Add((New-Row 'create groups' 'ModelRegistry: Get-MRProject | New-MRModelGroup' $r.n $r.seconds "$($r.created) created; includes the listing and the account check"))

    # ---- approving versions ---------------------------------------------------------------------
    Reset-Moto
    $arnsFile = Join-Path $work 'arns.txt'
    Write-Host "versions: registering $Versions (setup, not timed)"
    Invoke-Boto @('register', $moto.Url, 'appr', 10, [math]::Ceiling($Versions / 10), $arnsFile) | Out-Null
    $arns = @(Get-Content $arnsFile | Where-Object { $_ })

    Write-Host "approve: seed's bash loop ($SeedItems)"
    $loop = "set -u`n" + (($arns | Select-Object -First $SeedItems | ForEach-Object {
        "aws sagemaker update-model-package --model-package-arn '$_' --model-approval-status Approved --endpoint-url $($moto.Url) >/dev/null"
    }) -join "`n")
    $seconds = Measure-Bash $loop
    $rows.Add((New-Row 'approve versions' 'seed: bash loop of aws update-model-package' $SeedItems $seconds))

    Write-Host "approve: boto3 sequential ($Versions)"
    $r = Invoke-Boto @('approve-seq', $moto.Url, $arnsFile, $Versions)
    $rows.Add((New-Row 'approve versions' 'boto3 sequential (update-model-package)' $r.n $r.seconds))

    Write-Host "approve: boto3 $Threads threads ($Versions)"
    $r = Invoke-Boto @('approve-threads', $moto.Url, $arnsFile, $Versions, $Threads)
    $rows.Add((New-Row 'approve versions' "emulator capacity: boto3 $Threads threads" $r.n $r.seconds))

    $has = Invoke-Pwsh "Import-Module '$ModulePath'; [bool](Get-Command Set-MRApproval -ErrorAction Ignore) -and [bool](Get-Command Get-MRModelVersion -ErrorAction Ignore)"
    if ("$($has | Select-Object -Last 1)" -eq 'True') {
        Write-Host "approve: ModelRegistry Get-MRModelVersion | Set-MRApproval ($Versions)"
        $json = Invoke-Pwsh @"
`$ErrorActionPreference = 'Stop'
Import-Module '$ModulePath'
Connect-MRRegistry -Region us-east-1 -EndpointUrl '$($moto.Url)'
`$names = 0..9 | ForEach-Object { 'appr-{0:D2}' -f `$_ }
`$sw = [Diagnostics.Stopwatch]::StartNew()
`$r = `$names | ForEach-Object { Get-MRModelVersion -GroupName `$_ } | Set-MRApproval -Status Approved -PassThru -Confirm:`$false
`$sw.Stop()
@{ n = @(`$r).Count; seconds = `$sw.Elapsed.TotalSeconds } | ConvertTo-Json -Compress
"@
        $r = ($json | Select-Object -Last 1) | ConvertFrom-Json
        $rows.Add((New-Row 'approve versions' 'ModelRegistry: Get-MRModelVersion | Set-MRApproval' $r.n $r.seconds 'includes the listing'))
    }
    else {
        $rows.Add([pscustomobject]@{ Task = 'approve versions'; Way = 'ModelRegistry: Get-MRModelVersion | Set-MRApproval'; N = 0; Seconds = $null
                MsPerItem = $null; PerSecond = $null; Note = 'skipped: Set-MRApproval/Get-MRModelVersion are not in this build' })
    }
  }
    # ---- the service model ------------------------------------------------------------------------
    Reset-Moto
    Invoke-ServiceModelBench
}
finally {
    if (-not $moto.Process.HasExited) { $moto.Process.Kill($true); $moto.Process.WaitForExit(5000) | Out-Null }
}

function ConvertTo-MdTable($Items, [string[]] $Columns) {
    $lines = [Collections.Generic.List[string]]::new()
    $lines.Add('| ' + ($Columns -join ' | ') + ' |')
    $lines.Add('|' + (($Columns | ForEach-Object { '---' }) -join '|') + '|')
    # A pipe inside a cell (a pipeline) would end the cell.
    foreach ($i in $Items) { $lines.Add('| ' + (($Columns | ForEach-Object { "$($i.$_)".Replace('|', '\|') }) -join ' | ') + ' |') }
    $lines -join "`n"
}

# How to read the service-model rows, and the targets (ModelRegistry loses nothing, ≥ 95 % of the limit,
# ahead of the thread pool, < 20 % of its calls throttled).
function Get-LimitedChecks {
    foreach ($group in ($limited | Where-Object Way -like 'ModelRegistry*')) {
        $pool = $limited | Where-Object { $_.Task -eq $group.Task -and $_.Regime -eq $group.Regime -and $_.Way -like "boto3 $Threads threads*" } | Select-Object -First 1
        $misses = @()
        if ($group.Lost -gt 0) { $misses += "lost $($group.Lost)" }
        if ($null -eq $group.OfLimitValue -or $group.OfLimitValue -lt 0.95) {
            # Approving lists the versions before the first change (the guards judge the versions that listing read,
            # as it began after Set-MRApproval did), and the last reply comes after the last change: two round trips
            # the limit's least time does not count. Say what that leaves as the best possible figure.
            $ceiling = ''
            if ($group.Task -eq 'approve versions' -and $group.N -gt $group.Burst) {
                $least = ($group.N - $group.Burst) / $group.Rate
                $best = $least / ($least + 2 * $group.LatencyMs / 1000)
                $ceiling = " (a listing comes before the first change, the last reply after the last: at most $([math]::Floor(100 * $best)) % at $($group.LatencyMs) ms even with no time of its own)"
            }
            $misses += "below 95 % of the limit$ceiling"
        }
        # Ahead in time for the same work: a pool that gave up on items finished early by not doing them, so then
        # the comparison is per item done.
        if ($pool -and $pool.Seconds -gt 0 -and $pool.Done -gt 0) {
            if ($pool.Lost -eq 0 -and $group.Seconds -gt $pool.Seconds) { $misses += "slower than boto3's thread pool ($($pool.Seconds) s)" }
            elseif ($pool.Lost -gt 0 -and $group.Done -gt 0 -and $group.Seconds / $group.Done -gt $pool.Seconds / $pool.Done) {
                $misses += "slower per item done than boto3's thread pool ($([math]::Round($pool.Seconds / $pool.Done, 3)) s, with $($pool.Lost) lost)"
            }
        }
        if ($group.WastePct -ge 20) { $misses += '20 % or more of its calls throttled' }
        [pscustomobject]@{
            Task = $group.Task; Regime = $group.Regime
            Result = "$($group.Done) of $($group.N) in $($group.Seconds) s, $($group.OfLimit) of the limit, $([math]::Round($group.WastePct)) % of calls throttled"
            Met = if ($misses) { 'NO: ' + ($misses -join '; ') } else { 'yes' }
        }
    }
}
$limitedColumns = 'Task', 'Regime', 'Way', 'N', 'Done', 'Lost', 'Seconds', 'Throttled', 'OfLimit', 'Note'
$limitedHowTo = @"
Each regime is a SageMaker-like service (``build/service_model.py`` in front of moto, loopback): every call
waits the latency, and each operation has its own token bucket (rate, burst; full at the start of each row)
that answers HTTP 400 ThrottlingException "Rate exceeded" without forwarding when empty. **Done / Lost**: items
that succeeded / failed (a lost item is an error the user must clean up after). **Throttled**: calls the
service refused, of all calls the row made (listing included). **Of the limit**: the least time the limit
allows, (N − burst) ÷ rate, over the measured time — 100 % is running exactly at the limit; it is only given
when nothing was lost. boto3 rows use boto3's default retry configuration, as a user's script gets it.
boto3 and ModelRegistry rows are timed in a warm process (one listing call made before the clock starts, as a
running script or session has); the seed's rows pay a process start per call, as the seed does.
"@
$limitedChecks = @(Get-LimitedChecks)
$limited | Format-Table $limitedColumns -AutoSize | Out-Host
$limitedChecks | Format-Table -AutoSize | Out-Host

if ($Only -eq 'ServiceModel') {
    Remove-Item $work -Recurse -Force -ErrorAction Ignore
    New-Item -ItemType Directory -Force (Split-Path $OutFile) | Out-Null
    Set-Content -Path $OutFile -Value @"
# Service-model rows (``build/Bench.ps1 -Only ServiceModel``, $([DateTime]::UtcNow.ToString('yyyy-MM-dd HH:mm')) UTC)

$limitedHowTo

$(ConvertTo-MdTable $limited $limitedColumns)

$(ConvertTo-MdTable $limitedChecks 'Task', 'Regime', 'Result', 'Met')
"@
    Write-Host "Written to $OutFile" -ForegroundColor Green
    return
}

# ---- Import-Module time: beside the two-cmdlet floor, in the same run (build/Measure-Import.ps1) -------
$import = & (Join-Path $here 'Measure-Import.ps1') -ModulePath $ModulePath -Runs $ImportRuns

# ---- peak memory of listing 10,000 versions (Local) ---------------------------------------------
$local = Join-Path $work 'registry'
Write-Host 'memory: building a Local registry with 10,000 versions (and 100 for comparison)'
Invoke-Pwsh @"
`$ErrorActionPreference = 'Stop'
Import-Module '$ModulePath'
Connect-MRRegistry -Local -Path '$local'
New-MRModelGroup -Name big, small -Description d | Out-Null
Register-MRModelVersion big -ImageUri 123456789012.dkr.ecr.us-east-1.amazonaws.com/bench:1 | Out-Null
Register-MRModelVersion small -ImageUri 123456789012.dkr.ecr.us-east-1.amazonaws.com/bench:1 | Out-Null
"@ | Out-Null
foreach ($g in @{ Name = 'big'; Count = 10000 }, @{ Name = 'small'; Count = 100 }) {
    $first = Get-ChildItem -Path (Join-Path $local 'groups') -Recurse -Filter 1.json | Where-Object { $_.Directory.Name -eq 'versions' -and $_.Directory.Parent.Name -eq $g.Name }
    foreach ($n in 2..$g.Count) { [IO.File]::Copy($first.FullName, (Join-Path $first.DirectoryName "$n.json")) }
}
$listing = @"
`$ErrorActionPreference = 'Stop'
Import-Module '$ModulePath'
Connect-MRRegistry -Local -Path '$local'
`$n = if (Get-Command Get-MRModelVersion -ErrorAction Ignore) { (Get-MRModelVersion -GroupName '@@G@@' | Measure-Object).Count; `$how = 'Get-MRModelVersion' }
      else { (Test-MRModelGroup -Name '@@G@@').VersionCount; `$how = 'Test-MRModelGroup' }
`$p = [Diagnostics.Process]::GetCurrentProcess(); `$p.Refresh()
@{ n = `$n; peakMiB = `$p.PeakWorkingSet64 / 1MB; how = `$how } | ConvertTo-Json -Compress
"@
$mem = @{}
foreach ($g in 'big', 'small') { $mem[$g] = (Invoke-Pwsh ($listing -creplace '@@G@@', $g) | Select-Object -Last 1) | ConvertFrom-Json }
Remove-Item $work -Recurse -Force -ErrorAction Ignore

# ---- the table and the ratios -------------------------------------------------------------------
function Per([string] $Task, [string] $Like) { $rows | Where-Object { $_.Task -eq $Task -and $_.Way -like $Like } | Select-Object -First 1 }
$ratios = [Collections.Generic.List[object]]::new()
foreach ($task in 'create groups', 'approve versions') {
    $mr = Per $task 'ModelRegistry*'; $seed = Per $task 'seed*'; $seq = Per $task 'boto3 sequential*'; $raw = Per $task 'emulator*'
    if (-not $mr -or -not $mr.MsPerItem) {
        $ratios.Add([pscustomobject]@{ Task = $task; Measure = 'all ratios'; Value = 'n/a'; Target = ''; Met = 'skipped' }); continue
    }
    $x = $seed.MsPerItem / $mr.MsPerItem
    $ratios.Add([pscustomobject]@{ Task = $task; Measure = "faster than the seed's loop (per item)"; Value = '{0:0}×' -f $x; Target = '≥ 200×'; Met = if ($x -ge 200) { 'yes' } else { 'NO' } })
    $x = $seq.MsPerItem / $mr.MsPerItem
    $ratios.Add([pscustomobject]@{ Task = $task; Measure = 'faster than sequential boto3 (per item)'; Value = '{0:0.00}×' -f $x; Target = '≥ 2.5×'; Met = if ($x -ge 2.5) { 'yes' } else { 'NO' } })
    $x = $mr.PerSecond / $raw.PerSecond
    $ratios.Add([pscustomobject]@{ Task = $task; Measure = "(the emulator's own ceiling: raw capacity over sequential boto3)"; Value = '{0:0.0}×' -f ($seq.MsPerItem / $raw.MsPerItem); Target = ''; Met = '' })
    $ratios.Add([pscustomobject]@{ Task = $task; Measure = "share of the emulator's raw capacity"; Value = '{0:0}%' -f (100 * $x); Target = '≥ 80%'; Met = if ($x -ge 0.8) { 'yes' } else { 'NO' } })
}
# With a precompiled copy measured beside it, each row names its PowerShell (the Import-Module section says why they differ).
$importWhich = if ($import.Precompiled -and $import.Precompiled.Measured) { ", $($import.ThisPowerShell)" }
$ratios.Add([pscustomobject]@{ Task = 'Import-Module'; Measure = "median of $($import.Runs) fresh processes$importWhich (floor: $('{0:0}' -f $import.FloorMs) ms)"; Value = '{0:0} ms' -f $import.ManifestMs; Target = "< $($import.TargetMs) ms"; Met = if ($import.Met) { 'yes' } else { 'NO' } })
if ($importWhich) {
    $importPre = $import.Precompiled
    $ratios.Add([pscustomobject]@{ Task = 'Import-Module'; Measure = "median of $($import.Runs) fresh processes, $($importPre.Label) (floor: $('{0:0}' -f $importPre.FloorMs) ms)"; Value = '{0:0} ms' -f $importPre.ManifestMs; Target = "< $($import.TargetMs) ms"; Met = if ($importPre.Met) { 'yes' } else { 'NO' } })
}
$ratios.Add([pscustomobject]@{ Task = 'list 10,000 versions (Local)'; Measure = "peak working set of the pwsh process ($($mem.big.how))"; Value = ('{0:0} MiB (100 versions: {1:0} MiB)' -f $mem.big.peakMiB, $mem.small.peakMiB); Target = 'flat'; Met = if ($mem.big.peakMiB - $mem.small.peakMiB -lt 50) { 'yes' } else { 'NO' } })

$rows | Format-Table Task, Way, N, Seconds, MsPerItem, PerSecond, Note -AutoSize | Out-Host
$ratios | Format-Table -AutoSize | Out-Host

$machine = Get-Machine
$notesFile = Join-Path $here 'benchmarks-notes.md'
$doc = @"
# Benchmarks

Written by ``dotnet pwsh ./build.ps1 Bench`` on $([DateTime]::UtcNow.ToString('yyyy-MM-dd HH:mm')) UTC. One moto_server on loopback,
emptied before each row; every row in the same run. Times are wall clock around the work only (process start
is in the seed's rows, because the seed pays it per call; boto3 and ModelRegistry rows start timing in a
warm process, and Import-Module is measured on its own). Fewer items for the slow baselines; compare per item.

## Machine

$(($machine.GetEnumerator() | ForEach-Object { "- $($_.Key): $($_.Value)" }) -join "`n")

## Figures

$(ConvertTo-MdTable $rows 'Task', 'Way', 'N', 'Seconds', 'MsPerItem', 'PerSecond', 'Note')

## Against the targets

$(ConvertTo-MdTable $ratios 'Task', 'Measure', 'Value', 'Target', 'Met')

## Import-Module

$($import.Markdown)

## At a service's rate limit (the service model)

$limitedHowTo

$(ConvertTo-MdTable $limited $limitedColumns)

### Against the targets (ModelRegistry: nothing lost, ≥ 95 % of the limit, ahead of boto3's thread pool — per item done when the pool lost items —, < 20 % of calls throttled)

$(ConvertTo-MdTable $limitedChecks 'Task', 'Regime', 'Result', 'Met')

$(if (Test-Path $notesFile) { Get-Content -Raw $notesFile })
"@
New-Item -ItemType Directory -Force (Split-Path $OutFile) | Out-Null
Set-Content -Path $OutFile -Value $doc
Write-Host "Written to $OutFile" -ForegroundColor Green
