#Requires -Version 7.4
<#
.SYNOPSIS
    Packages a built module as a .nupkg in a local file repository, then proves it installs and works.
.DESCRIPTION
    Publishes <ModulePath> (as laid out by build.ps1 Build) with PSResourceGet into the folder repository
    <OutDirectory>/repository, then, in a fresh pwsh whose HOME is a temp folder (so nothing touches the
    real user profile), registers that repository, runs Install-PSResource, imports the installed module
    and runs a command. Returns the .nupkg file.
#>
param(
    [Parameter(Mandatory)] [string] $ModulePath,
    [Parameter(Mandatory)] [string] $OutDirectory
)
$ErrorActionPreference = 'Stop'
Set-StrictMode -Version 3.0

$repository = Join-Path $OutDirectory 'repository'
$staging = Join-Path $OutDirectory 'staging/ModelRegistry'
$sandboxHome = Join-Path $OutDirectory 'home'
foreach ($d in $repository, (Split-Path $staging), $sandboxHome) {
    if (Test-Path $d) { Remove-Item $d -Recurse -Force }
    New-Item -ItemType Directory -Force $d | Out-Null
}
Copy-Item $ModulePath $staging -Recurse
$version = (Test-ModuleManifest (Join-Path $staging 'ModelRegistry.psd1')).Version.ToString()

$pwsh = [Environment]::ProcessPath
[string[]] $pwshArgs = @(if ((Split-Path -Leaf $pwsh) -like 'dotnet*') { Join-Path $PSHOME 'pwsh.dll' })
$example = Join-Path (Split-Path $PSScriptRoot) '.env.shared.example'

# Publish and install in a child pwsh with its own HOME: repository registrations and CurrentUser installs land there.
$script = @"
`$ErrorActionPreference = 'Stop'
`$ProgressPreference = 'SilentlyContinue'
Import-Module Microsoft.PowerShell.PSResourceGet
Register-PSResourceRepository -Name ModelRegistryLocal -Uri '$repository' -Trusted
Publish-PSResource -Path '$staging' -Repository ModelRegistryLocal
Install-PSResource -Name ModelRegistry -Version '$version' -Repository ModelRegistryLocal -Scope CurrentUser -TrustRepository
Import-Module ModelRegistry -RequiredVersion '$version'
`$m = Get-Module ModelRegistry
if (-not `$m.ModuleBase.StartsWith('$sandboxHome')) { throw "imported from `$(`$m.ModuleBase), not the installed copy" }
`$projects = @(Get-MRProject '$example')
"installed `$(`$m.Version) at `$(`$m.ModuleBase); `$(`$projects.Count) projects; `$((Get-Command -Module ModelRegistry).Count) cmdlets"
"@
$saved = $env:HOME
try {
    $env:HOME = $sandboxHome
    # .NET answers "" for a special folder that does not exist (and PSResourceGet then writes to the
    # current folder), so the sandbox's folders are made first.
    $env:XDG_DATA_HOME = (New-Item -ItemType Directory -Force (Join-Path $sandboxHome '.local/share')).FullName
    $env:XDG_CONFIG_HOME = (New-Item -ItemType Directory -Force (Join-Path $sandboxHome '.config')).FullName
    $output = & $pwsh @pwshArgs -NoProfile -NonInteractive -Command $script 2>&1
    $exit = $LASTEXITCODE
}
finally {
    $env:HOME = $saved
    Remove-Item Env:XDG_DATA_HOME, Env:XDG_CONFIG_HOME -ErrorAction SilentlyContinue
}
if ($exit -ne 0) { throw "Packaging check failed:`n$($output | Out-String)" }
Write-Host ($output | Select-Object -Last 1)
Get-Item (Join-Path $repository "ModelRegistry.$version.nupkg")
