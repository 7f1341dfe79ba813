# Shared by the Pester tests: the module under test, a moto_server on a free loopback port, and an
# independent client (python boto3) to read back what the module did.

$script:Module = if ($env:MODELREGISTRY_MODULE) { $env:MODELREGISTRY_MODULE } else { Join-Path $PSScriptRoot '../../out/ModelRegistry/ModelRegistry.psd1' }
$script:RepoRoot = (Resolve-Path (Join-Path $PSScriptRoot '../..')).Path

function Get-TestModulePath { $script:Module }
function Get-RepoRoot { $script:RepoRoot }

function Get-FreeTcpPort {
    $listener = [System.Net.Sockets.TcpListener]::new([System.Net.IPAddress]::Loopback, 0)
    $listener.Start()
    try { $listener.LocalEndpoint.Port } finally { $listener.Stop() }
}

function Start-MotoServer {
    <# Starts moto_server on 127.0.0.1 and a free port; returns @{ Url; Process }. Only loopback is ever used. #>
    $port = Get-FreeTcpPort
    $psi = [System.Diagnostics.ProcessStartInfo]::new('moto_server', "-H 127.0.0.1 -p $port")
    $psi.RedirectStandardOutput = $true
    $psi.RedirectStandardError = $true
    $psi.UseShellExecute = $false
    $process = [System.Diagnostics.Process]::Start($psi)
    # Drain its output so a chatty server never blocks on a full pipe.
    $null = $process.StandardOutput.ReadToEndAsync()
    $stderr = $process.StandardError.ReadToEndAsync()
    $url = "http://127.0.0.1:$port"
    $client = [System.Net.Http.HttpClient]::new()
    $client.Timeout = [TimeSpan]::FromSeconds(2)
    $deadline = [DateTime]::UtcNow.AddSeconds(60)
    try {
        while ([DateTime]::UtcNow -lt $deadline) {
            if ($process.HasExited) { throw "moto_server exited: $($stderr.Result)" }
            try {
                if (($client.GetAsync("$url/moto-api/").GetAwaiter().GetResult()).IsSuccessStatusCode) {
                    return [pscustomobject]@{ Url = $url; Process = $process }
                }
            }
            catch { }
            Start-Sleep -Milliseconds 100
        }
    }
    finally { $client.Dispose() }
    $process.Kill($true)
    throw "moto_server did not answer on $url within 60 s."
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
    # Typed as an array: splatting a lone string would pass it character by character.
    [string[]] $pwshArgs = if ((Split-Path -Leaf ([Environment]::ProcessPath)) -like 'dotnet*') { @(Join-Path $PSHOME 'pwsh.dll') } else { @() }
    $full = "`$ErrorActionPreference = 'Continue'; Import-Module '$script:Module'; Set-Location '$WorkingDirectory'; $Script"
    $output = & ([Environment]::ProcessPath) @pwshArgs -NoProfile -NonInteractive -Command $full 2>&1
    ($output | Out-String)
}
Export-ModuleMember -Function *
