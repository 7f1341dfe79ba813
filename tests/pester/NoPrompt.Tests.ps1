# Jobs never prompt for input: bare group cmdlets in a fresh pwsh whose stdin stays open (as a job's or a CI runner's
# does) read the session's configuration file, or fail clearly. A prompt would wait on that stdin forever; the
# process is given a generous bound only so a regression fails instead of hanging the suite.
BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force

    function Invoke-WithOpenStdin([string] $Script, [string] $WorkingDirectory) {
        $psi = [System.Diagnostics.ProcessStartInfo]::new([Environment]::ProcessPath)
        if ((Split-Path -Leaf ([Environment]::ProcessPath)) -like 'dotnet*') { $psi.ArgumentList.Add((Join-Path $PSHOME 'pwsh.dll')) }
        foreach ($a in '-NoProfile', '-Command', "Import-Module '$(Get-TestModulePath)'; $Script") { $psi.ArgumentList.Add($a) }
        $psi.WorkingDirectory = $WorkingDirectory
        $psi.RedirectStandardInput = $true      # kept open, never written: what a job's stdin looks like
        $psi.RedirectStandardOutput = $true
        $psi.RedirectStandardError = $true
        $p = [System.Diagnostics.Process]::Start($psi)
        $out = $p.StandardOutput.ReadToEndAsync(); $err = $p.StandardError.ReadToEndAsync()
        $exited = $p.WaitForExit(180000)
        if (-not $exited) { $p.Kill($true) }
        [pscustomobject]@{ Exited = $exited; Output = $out.Result + $err.Result }
    }
}

Describe 'Bare group cmdlets in a process whose stdin stays open' {
    BeforeAll {
        $script:work = Join-Path $TestDrive 'work'
        New-Item -ItemType Directory $work | Out-Null
        $script:env = New-TestEnvFile -Line 'COMPANY=acme', 'TEAMS="rc"', 'TEAM_RC_FULLNAME=risk-control', 'RC_PROJECTS="fraud-detection churn"'
    }

    It 'reads the file set with Set-MRConfiguration, without prompting' {
        $r = Invoke-WithOpenStdin -WorkingDirectory $work -Script @"
Connect-MRRegistry -Local -Path '$(Join-Path $TestDrive registry)'
Set-MRConfiguration -ConfigPath '$env'
New-MRModelGroup | ForEach-Object { 'created ' + `$_.Name }
Compare-MRModelGroup | ForEach-Object { 'state ' + `$_.State }
Test-MRModelGroup | ForEach-Object { 'passed ' + `$_.Passed }
"@
        $r.Exited | Should -BeTrue -Because $r.Output
        $r.Output | Should -Not -Match 'InputObject\[0\]'
        $r.Output | Should -Match 'created rc-fraud-detection'
        $r.Output | Should -Match 'created rc-churn'
        ([regex]::Matches($r.Output, 'state InSync')).Count | Should -Be 2
        ([regex]::Matches($r.Output, 'passed True')).Count | Should -Be 2
    }

    It 'fails with ConfigNotFound when there is no configuration file at all' {
        $r = Invoke-WithOpenStdin -WorkingDirectory $work -Script @"
Connect-MRRegistry -Local -Path '$(Join-Path $TestDrive registry)'
try { Sync-MRModelGroup -ErrorAction Stop } catch { 'error ' + `$_.FullyQualifiedErrorId }
"@
        $r.Exited | Should -BeTrue -Because $r.Output
        $r.Output | Should -Match 'error ModelRegistry\.NotFound\.ConfigNotFound'
    }
}

Describe 'Bare version cmdlets in a process whose stdin stays open' {
    It 'fail with ModelRegistry.Invalid.NoInput instead of prompting, and stay silent on an empty pipeline' {
        $work = Join-Path $TestDrive 'versions'
        New-Item -ItemType Directory $work | Out-Null
        $commands = 'Approve-MRModelVersion', 'Deny-MRModelVersion', 'Set-MRApproval -Status Approved', 'Remove-MRModelVersion -Confirm:$false',
            'Get-MRModelVersion', 'Get-MRModelMetric', 'Test-MRModelVersion', 'Deploy-MRModelVersion -EndpointName ep', 'Remove-MRDeployment -Confirm:$false'
        $script = "Connect-MRRegistry -Local -Path '$(Join-Path $TestDrive registry)'`n" + (($commands | ForEach-Object {
            "try { $_ -ErrorAction Stop } catch { 'error ' + `$_.FullyQualifiedErrorId }; @(@() | $_).Count | ForEach-Object { 'empty ' + `$_ }"
        }) -join "`n")
        $r = Invoke-WithOpenStdin -WorkingDirectory $work -Script $script
        $r.Exited | Should -BeTrue -Because $r.Output
        $r.Output | Should -Not -Match 'InputObject\[0\]'
        ([regex]::Matches($r.Output, 'error ModelRegistry\.Invalid\.NoInput')).Count | Should -Be $commands.Count -Because $r.Output
        ([regex]::Matches($r.Output, 'empty 0')).Count | Should -Be $commands.Count -Because $r.Output
    }
}
