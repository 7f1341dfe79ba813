# Shared by the Pester tests: the module under test, a moto_server on a free loopback port, and an
# independent client (python boto3) to read back what the module did.

$script:Module = if ($env:MODELREGISTRY_MODULE) { $env:MODELREGISTRY_MODULE } else { Join-Path $PSScriptRoot '../../out/ModelRegistry/ModelRegistry.psd1' }
$script:RepoRoot = (Resolve-Path (Join-Path $PSScriptRoot '../..')).Path

function Get-TestModulePath { $script:Module }
function Get-RepoRoot { $script:RepoRoot }

function Start-MotoServer {
    <# Starts moto on 127.0.0.1 and a free port with tests/tools/start_moto.py (the starter the xunit tests use
       too); returns @{ Url; Process }. Only loopback is ever used. #>
    $psi = [System.Diagnostics.ProcessStartInfo]::new('python3')
    $psi.ArgumentList.Add((Join-Path $script:RepoRoot 'tests/tools/start_moto.py'))
    # The server ends when this session closes its standard input, even if the session dies.
    $psi.ArgumentList.Add('--stop-on-eof')
    $psi.RedirectStandardInput = $true
    $psi.RedirectStandardOutput = $true
    $psi.RedirectStandardError = $true
    $psi.UseShellExecute = $false
    $process = [System.Diagnostics.Process]::Start($psi)
    # Drain stderr so a chatty server never blocks on a full pipe; the first stdout line is the URL, once ready.
    $stderr = $process.StandardError.ReadToEndAsync()
    $line = $process.StandardOutput.ReadLineAsync()
    if ($line.Wait([TimeSpan]::FromSeconds(90)) -and "$($line.Result)" -like 'http://127.0.0.1:*') {
        $null = $process.StandardOutput.ReadToEndAsync()
        return [pscustomobject]@{ Url = $line.Result; Process = $process }
    }
    if (-not $process.HasExited) { $process.Kill($true) }
    $null = $process.WaitForExit(10000)
    throw "start_moto.py gave no loopback URL within 90 s: $(if ($stderr.IsCompleted) { $stderr.Result })"
}

function Stop-MotoServer($Server) {
    if ($Server -and -not $Server.Process.HasExited) {
        $Server.Process.Kill($true)
        $null = $Server.Process.WaitForExit(10000)
    }
}

function Set-TestAwsEnvironment([string] $Url) {
    <# Dummy credentials, and every AWS endpoint (SageMaker, STS) on the emulator: nothing leaves loopback. #>
    $env:AWS_ACCESS_KEY_ID = 'test'
    $env:AWS_SECRET_ACCESS_KEY = 'test'
    $env:AWS_SESSION_TOKEN = $null
    $env:AWS_EC2_METADATA_DISABLED = 'true'
    $env:AWS_ENDPOINT_URL = $Url
    $env:AWS_ENDPOINT_URL_STS = $Url
    $env:AWS_PROFILE = $null
}

function Invoke-Boto3 {
    <# Runs a python snippet with a boto3 SageMaker client `sm` on the emulator; returns its JSON output as objects. #>
    param([Parameter(Mandatory)] [string] $Url, [Parameter(Mandatory)] [string] $Code, [string] $Region = 'ap-northeast-1')
    $script = @"
import boto3, json, sys
sm = boto3.client('sagemaker', region_name='$Region', endpoint_url='$Url',
                  aws_access_key_id='test', aws_secret_access_key='test')
$Code
"@
    $output = $script | python3 -
    if ($LASTEXITCODE -ne 0) { throw "python3 failed: $output" }
    $output | ConvertFrom-Json
}

function New-TestEnvFile {
    <# Writes a .env.shared with the given lines to a temp path and returns the path. #>
    param([Parameter(Mandatory)] [string[]] $Line, [string] $Folder = $TestDrive)
    $path = Join-Path $Folder ("env-" + [guid]::NewGuid().ToString('N').Substring(0, 8) + '.shared')
    Set-Content -Path $path -Value $Line -Encoding utf8NoBOM
    $path
}



function Invoke-ModulePwsh {
    <# Runs a script in a fresh pwsh with the module imported; returns everything it printed (host output included,
       e.g. What if: lines, which no stream redirection catches in-process). #>
    param([Parameter(Mandatory)] [string] $Script, [string] $WorkingDirectory = $TestDrive)
    # @() around the if: its output unrolls to one string, and splatting a string passes its characters.
    $pwshArgs = @(if ((Split-Path -Leaf ([Environment]::ProcessPath)) -like 'dotnet*') { Join-Path $PSHOME 'pwsh.dll' })
    $full = "`$ErrorActionPreference = 'Continue'; Import-Module '$script:Module'; Set-Location '$WorkingDirectory'; $Script"
    $output = & ([Environment]::ProcessPath) @pwshArgs -NoProfile -NonInteractive -Command $full 2>&1
    ($output | Out-String)
}
Export-ModuleMember -Function *
