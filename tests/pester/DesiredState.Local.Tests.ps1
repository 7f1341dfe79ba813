# Desired state as a user drives it, on the Local backend: the issue's "done when".
BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    Import-Module (Get-TestModulePath) -Force

    function Write-Config([string] $RcProjects) {
        Set-Content -Path $script:envPath -Encoding utf8NoBOM -Value @(
            'COMPANY=acme', 'AWS_REGION=ap-northeast-1', 'TEAMS="rc algo"'
            'TEAM_RC_FULLNAME=risk-control', 'TEAM_ALGO_FULLNAME=algorithm'
            "RC_PROJECTS=`"$RcProjects`"", 'ALGO_PROJECTS="recommendation-engine"'
        )
    }
}

Describe 'Compare-MRModelGroup and Sync-MRModelGroup on a Local registry' {
    BeforeEach {
        $script:envPath = Join-Path $TestDrive ([guid]::NewGuid().ToString('N') + '.env.shared')
        Connect-MRRegistry -Local -Path (Join-Path $TestDrive ([guid]::NewGuid().ToString('N'))) -Region ap-northeast-1
        Write-Config 'fraud-detection anti-money-laundering'
        Get-MRProject $envPath | Sync-MRModelGroup | Out-Null
    }

    It 'shows exactly the three edits (project added, project removed, tag changed by hand) and converges in one -Prune run' {
        Write-Config 'fraud-detection churn'
        New-MRModelGroup -Name rc-fraud-detection -Force -Tag @{ Phase = '3A' } | Out-Null
        New-MRModelGroup -Name not-ours -Description 'made by hand' | Out-Null

        $plan = Compare-MRModelGroup $envPath
        $changes = $plan | Where-Object { $_.State -notin 'InSync', 'Foreign' }
        $changes.Count | Should -Be 3
        ($changes | Where-Object Name -eq 'rc-fraud-detection').State | Should -Be 'Drifted'
        ($changes | Where-Object Name -eq 'rc-fraud-detection').Differences | Should -Be "tag Phase: '3A' → '2C'"
        ($changes | Where-Object Name -eq 'rc-churn').State | Should -Be 'Missing'
        ($changes | Where-Object Name -eq 'rc-anti-money-laundering').State | Should -Be 'Extra'
        ($plan | Where-Object Name -eq 'not-ours').State | Should -Be 'Foreign'

        $results = Sync-MRModelGroup $envPath -Prune -Confirm:$false -ErrorVariable err
        $err | Should -BeNullOrEmpty
        ($results | Where-Object Name -eq 'rc-fraud-detection').Action | Should -Be 'Repaired'
        ($results | Where-Object Name -eq 'rc-churn').Action | Should -Be 'Created'
        ($results | Where-Object Name -eq 'rc-anti-money-laundering').Action | Should -Be 'Removed'
        ($results | Where-Object Name -eq 'not-ours').Action | Should -Be 'Skipped'

        $after = Compare-MRModelGroup $envPath
        ($after | Where-Object State -ne 'Foreign').State | Should -Be @('InSync', 'InSync', 'InSync')
        ($after | Where-Object State -eq 'Foreign').Name | Should -Be 'not-ours'
        (Sync-MRModelGroup $envPath -Prune -Confirm:$false | Where-Object Action -ne 'None').Name | Should -Be 'not-ours'
    }

    It 'prints the plan with -WhatIf and changes nothing' {
        Write-Config 'fraud-detection churn'
        $out = Invoke-ModulePwsh "Connect-MRRegistry -Local -Path '$((Get-MRRegistry).LocalPath)'; Sync-MRModelGroup '$envPath' -Prune -WhatIf"
        $out | Should -Match 'What if: .*"Create model group" on target "rc-churn'
        $out | Should -Match 'What if: .*"Remove model group \(no longer configured\)" on target ".*model-package-group/rc-anti-money-laundering"'
        (Compare-MRModelGroup $envPath | Where-Object State -ne InSync).State | Should -Be @('Missing', 'Extra')
    }

    It 'does not prune a group that holds an Approved version unless -Force is given' {
        Register-MRModelVersion rc-anti-money-laundering -ImageUri 123456789012.dkr.ecr.ap-northeast-1.amazonaws.com/aml:1 `
            -ModelDataUrl s3://acme-models/aml/model.tar.gz -ApprovalStatus Approved | Out-Null
        Write-Config 'fraud-detection'

        $results = Sync-MRModelGroup $envPath -Prune -Confirm:$false -ErrorVariable err -ErrorAction SilentlyContinue
        $err.Count | Should -Be 1
        $err[0].TargetObject | Should -Be 'rc-anti-money-laundering'
        $err[0].Exception.Message | Should -Match 'Approved'
        ($results | Where-Object Name -eq 'rc-anti-money-laundering').Action | Should -Be 'Refused'
        (Get-MRModelVersion rc-anti-money-laundering).Status | Should -Be 'Approved'

        (Sync-MRModelGroup $envPath -Prune -Force -Confirm:$false | Where-Object Name -eq 'rc-anti-money-laundering').Action |
            Should -Be 'Removed'
        Get-MRModelGroup rc-anti-money-laundering -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
    }
}
