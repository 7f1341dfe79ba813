# ModelRegistry must coexist with another AWS module (AWS Tools for PowerShell ships its own AWSSDK.Core):
# its AWSSDK.Core 4 loads in a private AssemblyLoadContext, so either load order works.
BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    $script:moto = Start-MotoServer
    $packages = if ($env:NUGET_PACKAGES) { $env:NUGET_PACKAGES } else { Join-Path $HOME '.nuget/packages' }
    $script:oldSdk = Join-Path $packages 'awssdk.core/3.7.402/lib/netcoreapp3.1/AWSSDK.Core.dll'
    $script:module = Get-TestModulePath

    function Invoke-Isolated([string] $Body) {
        $pwshArgs = [string[]]@(if ((Split-Path -Leaf ([Environment]::ProcessPath)) -like 'dotnet*') { Join-Path $PSHOME 'pwsh.dll' })
        $script = @"
`$ErrorActionPreference = 'Stop'
`$env:AWS_ACCESS_KEY_ID = 'test'; `$env:AWS_SECRET_ACCESS_KEY = 'test'; `$env:AWS_EC2_METADATA_DISABLED = 'true'
`$env:AWS_ENDPOINT_URL_STS = '$($moto.Url)'
function Use-Module {
    Connect-MRRegistry -Local -Path (Join-Path ([IO.Path]::GetTempPath()) ([guid]::NewGuid()))
    `$local = (New-MRModelGroup -Name iso-local).Change
    `$remote = (New-MRModelGroup -Name ('iso-' + [guid]::NewGuid().ToString('N').Substring(0, 8)) -EndpointUrl '$($moto.Url)' -Region ap-northeast-1).Change
    "`$local/`$remote"
}
$Body
"@
        $out = & ([Environment]::ProcessPath) @pwshArgs -NoProfile -NonInteractive -Command $script 2>&1
        if ($LASTEXITCODE -ne 0) { throw "isolated session failed: $($out | Out-String)" }
        ($out | Select-Object -Last 1) | ConvertFrom-Json
    }
}

AfterAll { Stop-MotoServer $moto }

Describe 'Isolation from another AWSSDK.Core' {
    It 'has the older AWSSDK.Core to test with' { Test-Path $oldSdk | Should -BeTrue }

    It 'imports and works when AWSSDK.Core 3.7 was loaded first' {
        $r = Invoke-Isolated @"
Add-Type -Path '$oldSdk'
`$before = [Amazon.Runtime.AmazonServiceClient].Assembly.GetName().Version.ToString()
Import-Module '$module'
`$used = Use-Module
`$after = [Amazon.Runtime.AmazonServiceClient].Assembly.GetName().Version.ToString()
`$mine = ([System.Runtime.Loader.AssemblyLoadContext]::All | Where-Object Name -eq 'ModelRegistry.Dependencies').Assemblies |
    Where-Object { `$_.GetName().Name -eq 'AWSSDK.Core' } | ForEach-Object { `$_.GetName().Version.ToString() }
@{ Before = `$before; After = `$after; Used = `$used; Mine = `$mine } | ConvertTo-Json -Compress
"@
        $r.Before | Should -Match '^3\.'
        $r.After | Should -Be $r.Before
        $r.Used | Should -Be 'Created/Created'
        $r.Mine | Should -Match '^4\.'
    }

    It 'leaves the other module working when ModelRegistry was loaded first' {
        $r = Invoke-Isolated @"
Import-Module '$module'
`$first = Use-Module
Add-Type -Path '$oldSdk'
`$credentials = [Amazon.Runtime.BasicAWSCredentials]::new('a', 'b')
`$version = `$credentials.GetType().Assembly.GetName().Version.ToString()
`$again = Use-Module
@{ First = `$first; Version = `$version; Again = `$again } | ConvertTo-Json -Compress
"@
        $r.First | Should -Be 'Created/Created'
        $r.Version | Should -Match '^3\.'
        $r.Again | Should -Be 'Created/Created'
    }
}
