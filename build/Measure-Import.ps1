#Requires -Version 7.0
<#
.SYNOPSIS
    Import-Module time of ModelRegistry beside the floor, in fresh pwsh processes (build.ps1 Bench's import section).
.DESCRIPTION
    The floor is PowerShell's own cost of a first binary-module import: a two-cmdlet module (manifest + dll)
    compiled here into a temporary folder. Each round starts fresh `pwsh -NoProfile` processes for the floor,
    ModelRegistry's dll alone and ModelRegistry's manifest (the order rotates every round, so machine load
    falls on all three alike) and times only the Import-Module inside each with a Stopwatch. Medians are
    reported with the load average, and whether the target was met, and if not, why. Nothing asserts a time.
    When this PowerShell has no ReadyToRun code (the `dotnet pwsh` tool), a copy of it precompiled the way
    Microsoft's packages are (build/New-PrecompiledPwsh.ps1) is measured in the same rounds, and reported beside it.
    Runs on its own too: dotnet pwsh build/Measure-Import.ps1 -ModulePath out/ModelRegistry/ModelRegistry.psd1
#>
[CmdletBinding()]
param(
    [Parameter(Mandatory)] [string] $ModulePath,
    [int] $Runs = 15,
    [double] $TargetMs = 100
)

$ErrorActionPreference = 'Stop'
Set-StrictMode -Version 3.0
$ModulePath = (Resolve-Path $ModulePath).Path

# `dotnet pwsh` runs as dotnet + pwsh.dll: start the same PowerShell again.
$exe = [Environment]::ProcessPath
$pwshArgs = @(if ((Split-Path -Leaf $exe) -like 'dotnet*') { Join-Path $PSHOME 'pwsh.dll' })
# A PowerShell without precompiled (ReadyToRun) code JIT-compiles its own import path: a much higher floor.
$sma = [IO.File]::OpenRead([psobject].Assembly.Location)
try { $smaPrecompiled = ([Reflection.PortableExecutable.PEReader]::new($sma)).PEHeaders.CorHeader.ManagedNativeHeaderDirectory.Size -gt 0 }
finally { $sma.Dispose() }

$tempDir = Join-Path ([IO.Path]::GetTempPath()) ('mr-import-' + [Guid]::NewGuid().ToString('N').Substring(0, 8))
New-Item -ItemType Directory -Force $tempDir | Out-Null
try {
    Add-Type -OutputAssembly (Join-Path $tempDir 'Floor.dll') -OutputType Library -TypeDefinition @'
using System.Management.Automation;
namespace ImportFloor
{
    [Cmdlet(VerbsCommon.Get, "ImportFloor")]
    public sealed class GetImportFloorCommand : PSCmdlet
    {
        [Parameter(Position = 0)] public string Name { get; set; }
        protected override void ProcessRecord() { WriteObject(Name); }
    }

    [Cmdlet(VerbsCommon.Set, "ImportFloor")]
    public sealed class SetImportFloorCommand : PSCmdlet
    {
        [Parameter(Position = 0)] public string Name { get; set; }
        protected override void ProcessRecord() { WriteObject(Name); }
    }
}
'@
    Set-Content (Join-Path $tempDir 'Floor.psd1') @"
@{
    ModuleVersion = '1.0.0'
    GUID = '$([Guid]::NewGuid())'
    RootModule = 'Floor.dll'
    CmdletsToExport = @('Get-ImportFloor', 'Set-ImportFloor')
    FunctionsToExport = @()
    VariablesToExport = @()
    AliasesToExport = @()
}
"@
    $moduleDll = Join-Path (Split-Path $ModulePath) 'ModelRegistry.dll'
    $subjects = [ordered]@{
        floor    = @{ Path = (Join-Path $tempDir 'Floor.psd1'); Command = 'Get-ImportFloor' }
        dll      = @{ Path = $moduleDll; Command = 'Get-MRProject' }
        manifest = @{ Path = $ModulePath; Command = 'Get-MRProject' }
    }

    # The PowerShells: this one and, when it has no ReadyToRun code, a copy of it precompiled as Microsoft's packages
    # ship PowerShell (what most users import with). A copy that cannot be made is reported, not failed.
    $thisLabel = "this PowerShell ($($PSVersionTable.PSVersion)$(if ($pwshArgs) { ', the `dotnet pwsh` tool' }), $(if ($smaPrecompiled) { 'precompiled' } else { 'not precompiled' }))"
    # Each PowerShell gets its own cache folder (on Linux and macOS): at start-up pwsh replays on a background thread
    # the JIT profile (multicore JIT) that the last -NonInteractive pwsh left there, so the two, or any other pwsh on
    # the machine, would otherwise warm up (or not) each other's processes.
    $shells = [ordered]@{ this = @{ Label = $thisLabel; Exe = $exe; Args = $pwshArgs; Cache = (Join-Path $tempDir 'cache-this') } }
    $copy = $null
    $notMeasured = $null
    if (-not $smaPrecompiled) {
        Write-Host 'Import-Module: making a precompiled copy of this PowerShell (crossgen2)'
        try {
            $copy = & (Join-Path $PSScriptRoot 'New-PrecompiledPwsh.ps1') -Destination (Join-Path $tempDir 'precompiled') `
                -Workload "Import-Module '$($subjects.floor.Path)'; Import-Module '$ModulePath'; `$null = Get-Command Get-MRProject"
            $shells.precompiled = @{ Label = "the same PowerShell precompiled (crossgen2) as Microsoft's packages ship it"; Exe = $copy.Exe; Args = $copy.Arguments; Cache = (Join-Path $tempDir 'cache-precompiled') }
            Write-Host ('  {0} assemblies compiled in {1:0} s ({2:0} s in all, crossgen2 restore included)' -f $copy.Compiled.Count, $copy.CompileSeconds, $copy.Seconds)
        }
        catch {
            $notMeasured = $_.Exception.Message
            Write-Warning "precompiled PowerShell: not measured: $notMeasured"
        }
    }

    function Measure-OneImport([hashtable] $Shell, [hashtable] $Subject) {
        # The command check runs after the clock stops: a module that failed to import must not count as fast.
        # Beside the time, the methods the runtime JIT-compiled meanwhile: most of an import's cost where PowerShell
        # itself has no ReadyToRun code. It counts the whole process (startup work still running overlaps), but it
        # moves far less with the machine's load than milliseconds do.
        $script = "`$j = [Runtime.JitInfo]::GetCompiledMethodCount(`$false); `$sw = [Diagnostics.Stopwatch]::StartNew(); " +
            "Import-Module '$($Subject.Path)'; `$sw.Stop(); `$j = [Runtime.JitInfo]::GetCompiledMethodCount(`$false) - `$j; " +
            "if (-not (Get-Command $($Subject.Command) -ErrorAction Ignore)) { exit 3 }; " +
            "'{0} {1}' -f `$sw.Elapsed.TotalMilliseconds.ToString([Globalization.CultureInfo]::InvariantCulture), `$j"
        $shellArgs = $Shell.Args
        $cacheWas = $env:XDG_CACHE_HOME
        $env:XDG_CACHE_HOME = $Shell.Cache
        try { $out = & $Shell.Exe @shellArgs -NoProfile -NonInteractive -Command $script }
        finally { $env:XDG_CACHE_HOME = $cacheWas }
        if ($LASTEXITCODE -ne 0) { throw "Import-Module '$($Subject.Path)' failed in a fresh pwsh ($($Shell.Label); exit $LASTEXITCODE): $out" }
        $ms, $jitted = ($out | Select-Object -Last 1) -split ' '
        [pscustomobject]@{ Ms = [double]::Parse($ms, [Globalization.CultureInfo]::InvariantCulture); Jitted = [int]$jitted }
    }

    function Get-LoadAverage { ((Get-Content /proc/loadavg -ErrorAction Ignore) -split ' ')[0] }

    # One list of (PowerShell, subject) pairs, rotated every round, so machine load falls on all of them alike.
    $pairs = @(foreach ($s in $shells.Keys) { foreach ($k in $subjects.Keys) { , @($s, $k) } })
    $samples = @{}
    $jitted = @{}
    foreach ($s in $shells.Keys) {
        $samples[$s] = @{}
        $jitted[$s] = @{}
        foreach ($k in $subjects.Keys) {
            $samples[$s][$k] = [Collections.Generic.List[double]]::new()
            $jitted[$s][$k] = [Collections.Generic.List[double]]::new()
        }
    }
    $loadBefore = Get-LoadAverage
    Write-Host "Import-Module: $Runs rounds of fresh pwsh processes (floor, dll alone, manifest$(if ($shells.Count -gt 1) { '; this PowerShell and its precompiled copy' }))"
    # One process each, not measured, so that every measured one starts with a JIT profile left by the one before.
    foreach ($s in $shells.Keys) { Measure-OneImport $shells[$s] $subjects.manifest | Out-Null }
    for ($i = 0; $i -lt $Runs; $i++) {
        for ($j = 0; $j -lt $pairs.Count; $j++) {
            $s, $k = $pairs[($i + $j) % $pairs.Count]
            $one = Measure-OneImport $shells[$s] $subjects[$k]
            $samples[$s][$k].Add($one.Ms)
            $jitted[$s][$k].Add($one.Jitted)
        }
    }
    $loadAfter = Get-LoadAverage
    $cores = [Environment]::ProcessorCount

    function Get-Median([double[]] $Values) {
        $s = [double[]]($Values | Sort-Object); $n = $s.Count
        if ($n % 2) { $s[($n - 1) / 2] } else { ($s[$n / 2 - 1] + $s[$n / 2]) / 2 }
    }
    # Medians and the verdict of one PowerShell: met or not, and if not, why (its floor, its JIT work).
    function Get-Result([string] $Shell, [bool] $Precompiled) {
        $floor = Get-Median $samples[$Shell].floor
        $dll = Get-Median $samples[$Shell].dll
        $manifest = Get-Median $samples[$Shell].manifest
        $jit = @{}
        foreach ($k in $subjects.Keys) { $jit[$k] = [math]::Round((Get-Median $jitted[$Shell][$k])) }
        $met = $manifest -lt $TargetMs
        $why = if ($met) { '' }
        elseif ($floor -ge $TargetMs) {
            "PowerShell's own floor took $([math]::Round($floor)) ms in this run (load average $loadBefore → $loadAfter on $cores cores$(if (-not $Precompiled) { "; this PowerShell's System.Management.Automation has no ReadyToRun code, so it JIT-compiled $($jit.floor) methods for that import" })), so no module could import in under $TargetMs ms here; ModelRegistry itself took $([math]::Round($manifest - $floor)) ms more than the floor"
        }
        else {
            "ModelRegistry added $([math]::Round($manifest - $floor)) ms over PowerShell's floor of $([math]::Round($floor)) ms (load average $loadBefore → $loadAfter on $cores cores); the budget over the floor was $([math]::Round($TargetMs - $floor)) ms"
        }
        $verdict = if ($met) {
            "**Met**: {0:0} ms < {1} ms — PowerShell's own floor took {2:0} ms ({3} methods JIT-compiled for that import) and ModelRegistry {4:0} ms more." -f $manifest, $TargetMs, $floor, $jit.floor, ($manifest - $floor)
        }
        else { "**Missed**: {0:0} ms ≥ {1} ms — {2}." -f $manifest, $TargetMs, $why }
        $rows = @(
            "| the floor: a two-cmdlet binary module (manifest + dll) — PowerShell's own first-import cost | $('{0:0}' -f $floor) ms | $($jit.floor) |"
            "| ``ModelRegistry.dll`` alone (no manifest, so no views) | $('{0:0}' -f $dll) ms | $($jit.dll) |"
            "| ``ModelRegistry.psd1`` (what users import) | $('{0:0}' -f $manifest) ms (the floor $('{0:+0;-0;+0}' -f ($manifest - $floor)) ms) | $($jit.manifest) (the floor $('{0:+0;-0;+0}' -f ($jit.manifest - $jit.floor))) |"
        )
        $rows[0] = "| $($shells[$Shell].Label) " + $rows[0]
        for ($r = 1; $r -lt $rows.Count; $r++) { $rows[$r] = '| ' + $rows[$r] }
        [pscustomobject]@{
            Label = $shells[$Shell].Label
            FloorMs = $floor; DllMs = $dll; ManifestMs = $manifest; OverFloorMs = $manifest - $floor
            Met = $met; Why = $why; Verdict = $verdict; JittedMethods = $jit; Samples = $samples[$Shell]; Rows = $rows
        }
    }
    $own = Get-Result 'this' $smaPrecompiled
    $pre = if ($shells.Contains('precompiled')) { Get-Result 'precompiled' $true }

    $intro = if ($pre) {
        $pathNames = ($copy.Compiled | ForEach-Object { '`' + (Split-Path -Leaf $_) + '`' }) -join ', '
        "`n`nTwo PowerShells: $thisLabel, whose assemblies carry no ReadyToRun code, so each process JIT-compiles " +
        "PowerShell's own import path; and $($shells.precompiled.Label) (deb, rpm, tar, MSI): a copy of its ```$PSHOME`` whose " +
        "$($copy.Compiled.Count) assemblies on this path ($pathNames) were compiled with crossgen2 ($($copy.Crossgen2), what " +
        "PublishReadyToRun uses) in $('{0:0}' -f $copy.CompileSeconds) s by ``build/New-PrecompiledPwsh.ps1``. The packages compile all " +
        "$($copy.ILOnlyInPSHome) assemblies of that folder; the others are not loaded by these imports."
    }
    function Format-Verdict($Result) { $Result.Label.Substring(0, 1).ToUpperInvariant() + $Result.Label.Substring(1) + ': ' + $Result.Verdict }
    $verdicts = if ($pre) { "$(Format-Verdict $own)`n`n$(Format-Verdict $pre)" }
    elseif ($notMeasured) { "$($own.Verdict)`n`nPrecompiled PowerShell: not measured: $notMeasured." }
    else { $own.Verdict }
    $markdown = @"
Median of $Runs fresh ``pwsh -NoProfile`` processes each, interleaved in one run (load average $loadBefore → $loadAfter
on $cores cores), timing only the ``Import-Module`` inside each process (``build/Measure-Import.ps1``).$intro

| PowerShell | What is imported | Median | Methods JIT-compiled meanwhile (median) |
|---|---|---|---|
$((@($own.Rows) + @(if ($pre) { $pre.Rows })) -join "`n")

$verdicts
"@

    [pscustomobject]@{
        Runs = $Runs
        ThisPowerShell = $thisLabel
        FloorMs = $own.FloorMs
        DllMs = $own.DllMs
        ManifestMs = $own.ManifestMs
        OverFloorMs = $own.OverFloorMs
        TargetMs = $TargetMs
        Met = $own.Met
        Why = $own.Why
        LoadAverage = "$loadBefore → $loadAfter"
        Samples = $own.Samples
        JittedMethods = $own.JittedMethods
        SmaPrecompiled = $smaPrecompiled
        # The precompiled copy: $null when this PowerShell is precompiled already; Measured = $false with Reason when it could not be made.
        Precompiled = if ($pre) {
            [pscustomobject]@{
                Measured = $true; Reason = $null; Label = $pre.Label
                FloorMs = $pre.FloorMs; DllMs = $pre.DllMs; ManifestMs = $pre.ManifestMs; OverFloorMs = $pre.OverFloorMs
                Met = $pre.Met; Why = $pre.Why; JittedMethods = $pre.JittedMethods; Samples = $pre.Samples
                Compiled = $copy.Compiled; Crossgen2 = $copy.Crossgen2; CompileSeconds = $copy.CompileSeconds; Seconds = $copy.Seconds
            }
        }
        elseif ($notMeasured) { [pscustomobject]@{ Measured = $false; Reason = $notMeasured } }
        Markdown = $markdown
    }
}
finally {
    Remove-Item $tempDir -Recurse -Force -ErrorAction Ignore
}
