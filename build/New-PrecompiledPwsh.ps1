#Requires -Version 7.0
<#
.SYNOPSIS
    A copy of the running PowerShell with the assemblies on a given path precompiled (ReadyToRun), as Microsoft ships them.
.DESCRIPTION
    The `dotnet pwsh` tool ships PowerShell's assemblies as IL only, so each process JIT-compiles PowerShell's
    own code; Microsoft's packages (deb, rpm, tar, MSI) ship them compiled by crossgen2. This copies $PSHOME into
    -Destination and compiles there the IL-only assemblies of $PSHOME that a fresh pwsh loads while running
    -Workload (compiling all ~60 would take minutes more, for assemblies that path never loads). The real $PSHOME is not
    touched. crossgen2 is the runtime's own package, Microsoft.NETCore.App.Crossgen2.<rid> of the running
    runtime's version (what PublishReadyToRun uses), restored from the configured NuGet feeds by `dotnet restore`
    of a throwaway project, so it works on a fresh machine. All of it is bounded by -TimeoutSeconds; a failure
    throws one sentence for the caller to report.
    Returns how to start the copy (Exe + Arguments), the assemblies compiled, and the seconds it took.
#>
[CmdletBinding()]
param(
    [Parameter(Mandatory)] [string] $Destination,
    # PowerShell run in a fresh pwsh to find what to compile (e.g. the imports to be measured).
    [Parameter(Mandatory)] [string] $Workload,
    # For all of it: restore, compiles and the runs of pwsh.
    [int] $TimeoutSeconds = 600
)

$ErrorActionPreference = 'Stop'
Set-StrictMode -Version 3.0
$clock = [Diagnostics.Stopwatch]::StartNew()
$Destination = [IO.Path]::GetFullPath($Destination)

# Bounded, quiet child processes: a hung restore or compiler must not hang build.ps1 Bench.
function Invoke-Bounded([string] $File, [string[]] $Arguments, [string] $What, [hashtable] $Environment = @{}) {
    $psi = [Diagnostics.ProcessStartInfo]::new($File)
    foreach ($a in $Arguments) { $psi.ArgumentList.Add($a) }
    $psi.UseShellExecute = $false
    $psi.RedirectStandardOutput = $true
    $psi.RedirectStandardError = $true
    $psi.Environment['DOTNET_CLI_TELEMETRY_OPTOUT'] = '1'
    $psi.Environment['DOTNET_NOLOGO'] = '1'
    foreach ($k in $Environment.Keys) { $psi.Environment[$k] = $Environment[$k] }
    $p = [Diagnostics.Process]::Start($psi)
    try {
        $out = $p.StandardOutput.ReadToEndAsync()
        $err = $p.StandardError.ReadToEndAsync()
        $left = [math]::Max(0, $TimeoutSeconds - [int]$clock.Elapsed.TotalSeconds)
        if (-not $p.WaitForExit($left * 1000)) {
            $p.Kill($true)
            throw "$What had not finished when the $TimeoutSeconds s given to precompiling ran out"
        }
        $p.WaitForExit()
        if ($p.ExitCode -ne 0) {
            $said = (($err.Result, $out.Result) -join "`n") -split "`r?`n" | Where-Object { $_.Trim() } | Select-Object -Last 1
            throw "$What failed (exit $($p.ExitCode)): $said"
        }
        $out.Result
    }
    finally { $p.Dispose() }
}

function Test-Precompiled([string] $Path) {
    $f = [IO.File]::OpenRead($Path)
    try {
        $pe = [Reflection.PortableExecutable.PEReader]::new($f)
        $cor = $pe.PEHeaders.CorHeader
        # No CLI header: native, nothing to compile. A ManagedNativeHeader: ReadyToRun code already.
        (-not $cor) -or $cor.ManagedNativeHeaderDirectory.Size -gt 0
    }
    finally { $f.Dispose() }
}

# How this PowerShell was started: `dotnet pwsh` runs dotnet + pwsh.dll; the copy starts the same way.
$exe = [Environment]::ProcessPath
$viaDotnet = (Split-Path -Leaf $exe) -like 'dotnet*'
$dotnet = if ($viaDotnet) { $exe } else { (Get-Command dotnet -CommandType Application -ErrorAction Ignore | Select-Object -First 1).Source }
if (-not $dotnet) { throw 'no dotnet (the .NET SDK) on PATH to restore crossgen2 with' }

# 1. What to compile: the IL-only assemblies under $PSHOME that the workload loads, as relative paths.
$list = "$Workload`n" + @'
$h = [IO.Path]::GetFullPath($PSHOME).TrimEnd([IO.Path]::DirectorySeparatorChar) + [IO.Path]::DirectorySeparatorChar
[AppDomain]::CurrentDomain.GetAssemblies() | Where-Object { -not $_.IsDynamic -and $_.Location -and $_.Location.StartsWith($h) } |
    ForEach-Object { '@@' + $_.Location.Substring($h.Length) }
'@
$argsThis = @(if ($viaDotnet) { Join-Path $PSHOME 'pwsh.dll' }) + '-NoProfile', '-NonInteractive', '-Command', $list
# In an empty cache folder: at start-up PowerShell replays, on a background thread, the JIT profile (multicore JIT)
# the last -NonInteractive pwsh left in its cache folder, loading whatever that one used (Add-Type's Roslyn, say).
$listed = Invoke-Bounded $exe $argsThis 'the run that lists the assemblies to compile' @{ XDG_CACHE_HOME = (Join-Path $Destination 'cache-list') }
$loaded = $listed -split "`r?`n" | Where-Object { $_.StartsWith('@@') } | ForEach-Object { $_.Substring(2) }
$toCompile = @($loaded | Where-Object { -not (Test-Precompiled (Join-Path $PSHOME $_)) } | Sort-Object -Unique)
if (-not $toCompile) { throw 'the workload loaded no IL-only assembly from $PSHOME (nothing to compile)' }

# 2. crossgen2 for this machine and the running runtime, restored like PublishReadyToRun restores it.
$arch = [Runtime.InteropServices.RuntimeInformation]::OSArchitecture.ToString().ToLowerInvariant()
$os, $targetOs = if ($IsWindows) { 'win', 'windows' } elseif ($IsMacOS) { 'osx', 'osx' }
    elseif ([Runtime.InteropServices.RuntimeInformation]::RuntimeIdentifier -like '*musl*') { 'linux-musl', 'linux' } else { 'linux', 'linux' }
$rid = "$os-$arch"
$runtime = [Environment]::Version
$version = '{0}.{1}.{2}' -f $runtime.Major, $runtime.Minor, $runtime.Build
$package = "Microsoft.NETCore.App.Crossgen2.$rid"
$restoreDir = Join-Path $Destination 'crossgen2-restore'
New-Item -ItemType Directory -Force $restoreDir | Out-Null
Set-Content (Join-Path $restoreDir 'Crossgen2.csproj') @"
<Project Sdk="Microsoft.NET.Sdk">
  <PropertyGroup>
    <TargetFramework>net$($runtime.Major).$($runtime.Minor)</TargetFramework>
  </PropertyGroup>
  <ItemGroup>
    <PackageDownload Include="$package" Version="[$version]" />
  </ItemGroup>
</Project>
"@
# No Directory.Build.props or central package versions from folders above the temp folder.
Invoke-Bounded $dotnet @('restore', (Join-Path $restoreDir 'Crossgen2.csproj'), '--disable-build-servers', '-v', 'quiet',
    '-p:ImportDirectoryBuildProps=false', '-p:ImportDirectoryBuildTargets=false', '-p:ImportDirectoryPackagesProps=false') "dotnet restore of $package $version" | Out-Null
$assets = Get-Content -Raw (Join-Path $restoreDir 'obj/project.assets.json') | ConvertFrom-Json -AsHashtable
$tools = $assets.packageFolders.Keys | ForEach-Object { Join-Path $_ "$($package.ToLowerInvariant())/$version/tools" } |
    Where-Object { Test-Path $_ } | Select-Object -First 1
if (-not $tools) { throw "dotnet restore did not leave $package $version in a package folder" }
# Since .NET 8 the package holds a single-file crossgen2; before, crossgen2.dll run by dotnet.
$crossgenArgs = @()
$crossgen = @('crossgen2', 'crossgen2.exe') | ForEach-Object { Join-Path $tools $_ } | Where-Object { Test-Path $_ -PathType Leaf } | Select-Object -First 1
if (-not $crossgen) {
    if (-not (Test-Path (Join-Path $tools 'crossgen2.dll'))) { throw "no crossgen2 in $tools" }
    $crossgen, $crossgenArgs = $dotnet, @(Join-Path $tools 'crossgen2.dll')
}

# 3. The copy, and each assembly compiled into it from the original (references: the framework, then $PSHOME).
$copy = Join-Path $Destination 'pwsh'
Copy-Item -Recurse $PSHOME $copy
$framework = Split-Path ([object].Assembly.Location)
$references = [ordered]@{}
foreach ($f in @($toCompile | ForEach-Object { Join-Path $PSHOME $_ }) + @(Get-ChildItem $framework, $PSHOME -Filter *.dll -File).FullName) {
    $name = [IO.Path]::GetFileName($f)
    if (-not $references.Contains($name)) { $references[$name] = $f }
}
$compileClock = [Diagnostics.Stopwatch]::StartNew()
foreach ($rel in $toCompile) {
    # The response file is what PublishReadyToRun writes: one option a line, paths quoted.
    $rsp = Join-Path $Destination 'crossgen2.rsp'
    Set-Content $rsp -Value (@(
            "`"$(Join-Path $PSHOME $rel)`"", "--out:`"$(Join-Path $copy $rel)`"",
            "--targetos:$targetOs", "--targetarch:$arch", '-O'
        ) + @($references.Values | ForEach-Object { "-r:`"$_`"" }))
    Invoke-Bounded $crossgen (@($crossgenArgs) + "@$rsp") "crossgen2 of $rel" | Out-Null
}
$compileSeconds = $compileClock.Elapsed.TotalSeconds

# 4. The copy must run the workload, with the compiled System.Management.Automation.
$copyExe = if ($viaDotnet) { $exe } else { Join-Path $copy (Split-Path -Leaf $exe) }
$copyArgs = @(if ($viaDotnet) { Join-Path $copy 'pwsh.dll' })
$check = "$Workload`n" + '$a = [psobject].Assembly.Location; "@@$a"'
$ran = Invoke-Bounded $copyExe ($copyArgs + '-NoProfile', '-NonInteractive', '-Command', $check) 'the workload in the precompiled copy' @{
    XDG_CACHE_HOME = (Join-Path $Destination 'cache-copy')
}
$sma = $ran -split "`r?`n" | Where-Object { $_.StartsWith('@@') } | ForEach-Object { $_.Substring(2) }
if (-not $sma -or -not $sma.StartsWith($copy) -or -not (Test-Precompiled $sma)) {
    throw "the copy did not load its precompiled System.Management.Automation ($sma)"
}

[pscustomobject]@{
    Exe = $copyExe
    Arguments = $copyArgs
    Home = $copy
    Compiled = $toCompile
    # Microsoft's packages compile them all; these are the ones on the workload's path.
    ILOnlyInPSHome = @(Get-ChildItem $PSHOME -Filter *.dll -File | Where-Object { -not (Test-Precompiled $_.FullName) }).Count
    Crossgen2 = "$package $version"
    CompileSeconds = $compileSeconds
    Seconds = $clock.Elapsed.TotalSeconds
}
