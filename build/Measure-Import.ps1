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

$floorDir = Join-Path ([IO.Path]::GetTempPath()) ('mr-import-floor-' + [Guid]::NewGuid().ToString('N').Substring(0, 8))
New-Item -ItemType Directory -Force $floorDir | Out-Null
try {
    Add-Type -OutputAssembly (Join-Path $floorDir 'Floor.dll') -OutputType Library -TypeDefinition @'
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
    Set-Content (Join-Path $floorDir 'Floor.psd1') @"
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
        floor    = @{ Path = (Join-Path $floorDir 'Floor.psd1'); Command = 'Get-ImportFloor' }
        dll      = @{ Path = $moduleDll; Command = 'Get-MRProject' }
        manifest = @{ Path = $ModulePath; Command = 'Get-MRProject' }
    }

    function Measure-OneImport([hashtable] $Subject) {
        # The command check runs after the clock stops: a module that failed to import must not count as fast.
        # Beside the time, the methods the runtime JIT-compiled meanwhile: most of an import's cost where PowerShell
        # itself has no ReadyToRun code. It counts the whole process (startup work still running overlaps), but it
        # moves far less with the machine's load than milliseconds do.
        $script = "`$j = [Runtime.JitInfo]::GetCompiledMethodCount(`$false); `$sw = [Diagnostics.Stopwatch]::StartNew(); " +
            "Import-Module '$($Subject.Path)'; `$sw.Stop(); `$j = [Runtime.JitInfo]::GetCompiledMethodCount(`$false) - `$j; " +
            "if (-not (Get-Command $($Subject.Command) -ErrorAction Ignore)) { exit 3 }; " +
            "'{0} {1}' -f `$sw.Elapsed.TotalMilliseconds.ToString([Globalization.CultureInfo]::InvariantCulture), `$j"
        $out = & $exe @pwshArgs -NoProfile -NonInteractive -Command $script
        if ($LASTEXITCODE -ne 0) { throw "Import-Module '$($Subject.Path)' failed in a fresh pwsh (exit $LASTEXITCODE): $out" }
        $ms, $jitted = ($out | Select-Object -Last 1) -split ' '
        [pscustomobject]@{ Ms = [double]::Parse($ms, [Globalization.CultureInfo]::InvariantCulture); Jitted = [int]$jitted }
    }

    function Get-LoadAverage { ((Get-Content /proc/loadavg -ErrorAction Ignore) -split ' ')[0] }

    $samples = @{}
    $jitted = @{}
    foreach ($k in $subjects.Keys) {
        $samples[$k] = [Collections.Generic.List[double]]::new()
        $jitted[$k] = [Collections.Generic.List[double]]::new()
    }
    $keys = @($subjects.Keys)
    $loadBefore = Get-LoadAverage
    Write-Host "Import-Module: $Runs rounds of fresh pwsh processes (floor, dll alone, manifest)"
    for ($i = 0; $i -lt $Runs; $i++) {
        for ($j = 0; $j -lt $keys.Count; $j++) {
            $k = $keys[($i + $j) % $keys.Count]
            $one = Measure-OneImport $subjects[$k]
            $samples[$k].Add($one.Ms)
            $jitted[$k].Add($one.Jitted)
        }
    }
    $loadAfter = Get-LoadAverage

    function Get-Median([double[]] $Values) {
        $s = [double[]]($Values | Sort-Object); $n = $s.Count
        if ($n % 2) { $s[($n - 1) / 2] } else { ($s[$n / 2 - 1] + $s[$n / 2]) / 2 }
    }
    $floor = Get-Median $samples.floor
    $dll = Get-Median $samples.dll
    $manifest = Get-Median $samples.manifest
    $jit = @{}
    foreach ($k in $subjects.Keys) { $jit[$k] = Get-Median $jitted[$k] }
    # A PowerShell without precompiled (ReadyToRun) code JIT-compiles its own import path: a much higher floor.
    $sma = [IO.File]::OpenRead([psobject].Assembly.Location)
    try { $smaPrecompiled = ([Reflection.PortableExecutable.PEReader]::new($sma)).PEHeaders.CorHeader.ManagedNativeHeaderDirectory.Size -gt 0 }
    finally { $sma.Dispose() }
    $cores = [Environment]::ProcessorCount
    $met = $manifest -lt $TargetMs
    $why = if ($met) { '' }
    elseif ($floor -ge $TargetMs) {
        "PowerShell's own floor took $([math]::Round($floor)) ms in this run (load average $loadBefore → $loadAfter on $cores cores$(if (-not $smaPrecompiled) { "; this PowerShell's System.Management.Automation has no ReadyToRun code, so it JIT-compiled $($jit.floor) methods for that import" })), so no module could import in under $TargetMs ms here; ModelRegistry itself took $([math]::Round($manifest - $floor)) ms more than the floor"
    }
    else {
        "ModelRegistry added $([math]::Round($manifest - $floor)) ms over PowerShell's floor of $([math]::Round($floor)) ms (load average $loadBefore → $loadAfter on $cores cores); the budget over the floor was $([math]::Round($TargetMs - $floor)) ms"
    }

    $verdict = if ($met) { "**Met**: {0:0} ms < {1} ms." -f $manifest, $TargetMs }
    else { "**Missed**: {0:0} ms ≥ {1} ms — {2}." -f $manifest, $TargetMs, $why }
    $markdown = @"
Median of $Runs fresh ``pwsh -NoProfile`` processes each, interleaved in one run (load average $loadBefore → $loadAfter
on $cores cores), timing only the ``Import-Module`` inside each process (``build/Measure-Import.ps1``):

| What is imported | Median | Methods JIT-compiled meanwhile (median) |
|---|---|---|
| the floor: a two-cmdlet binary module (manifest + dll) — PowerShell's own first-import cost | $('{0:0}' -f $floor) ms | $($jit.floor) |
| ``ModelRegistry.dll`` alone (no manifest, so no views) | $('{0:0}' -f $dll) ms | $($jit.dll) |
| ``ModelRegistry.psd1`` (what users import) | $('{0:0}' -f $manifest) ms (the floor $('{0:+0;-0;+0}' -f ($manifest - $floor)) ms) | $($jit.manifest) (the floor $('{0:+0;-0;+0}' -f ($jit.manifest - $jit.floor))) |

$verdict
"@

    [pscustomobject]@{
        Runs = $Runs
        FloorMs = $floor
        DllMs = $dll
        ManifestMs = $manifest
        OverFloorMs = $manifest - $floor
        TargetMs = $TargetMs
        Met = $met
        Why = $why
        LoadAverage = "$loadBefore → $loadAfter"
        Samples = $samples
        JittedMethods = $jit
        SmaPrecompiled = $smaPrecompiled
        Markdown = $markdown
    }
}
finally {
    Remove-Item $floorDir -Recurse -Force -ErrorAction Ignore
}
