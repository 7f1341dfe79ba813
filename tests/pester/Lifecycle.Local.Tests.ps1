# Lifecycle stages and metadata after registration, as a user types them, on the Local backend and .env.shared.example.
BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    Import-Module (Get-TestModulePath) -Force
    $script:example = Join-Path (Get-RepoRoot) '.env.shared.example'
    $script:image = '123456789012.dkr.ecr.ap-northeast-1.amazonaws.com/fraud:1.0'
}

Describe 'Lifecycle stages and metadata on a Local registry' {
    BeforeEach {
        Connect-MRRegistry -Local -Path (Join-Path $TestDrive ([guid]::NewGuid().ToString('N'))) -Region ap-northeast-1 -AccountId 123456789012
        Set-MRConfiguration -ConfigPath $example
        Get-MRProject $example | New-MRModelGroup | Out-Null
    }

    It 'registers, approves, promotes Development -> Staging -> Production, and answers what is in Production per group' {
        $v = Get-MRProject $example -Project fraud-detection | Register-MRModelVersion -ImageUri $image -Stage Development
        $v.Stage | Should -Be 'Development'
        $v | Set-MRModelLifecycle -Stage Production -ErrorVariable skipped -ErrorAction SilentlyContinue
        $skipped[0].FullyQualifiedErrorId | Should -Match '^ModelRegistry.Conflict.NotApprovedForStage'
        $v | Approve-MRModelVersion -Reason 'AUC 0.93'
        $v | Set-MRModelLifecycle -Stage Production -ErrorVariable skipped -ErrorAction SilentlyContinue
        $skipped[0].FullyQualifiedErrorId | Should -Match '^ModelRegistry.Conflict.StageSkipped'
        $v | Set-MRModelLifecycle -Stage Staging -Reason 'soak test'
        $v | Set-MRModelLifecycle -Stage Production -Reason 'CAB-1234' -WhatIf
        (Get-MRModelVersion rc-fraud-detection -Version 1).Stage | Should -Be 'Staging'
        $v | Set-MRModelLifecycle -Stage Production -Reason 'CAB-1234'

        $now = @(Get-MRModelGroup | Get-MRModelVersion -Stage Production -Latest 1)
        $now.Count | Should -Be 1
        $now[0].GroupName | Should -Be 'rc-fraud-detection'
        $now[0].StageDescription | Should -Be 'CAB-1234'
        ($now | Format-Table | Out-String) | Should -Match 'Production'

        $v | Deny-MRModelVersion -Reason 'drift' -ErrorVariable refused -ErrorAction SilentlyContinue
        $refused[0].FullyQualifiedErrorId | Should -Match '^ModelRegistry.Conflict.InLastStage'
        (Get-MRModelVersion rc-fraud-detection -Version 1).Status | Should -Be 'Approved'
    }

    It 'merges and removes customer metadata after registration' {
        Register-MRModelVersion rc-fraud-detection -ImageUri $image -CustomerMetadata @{ draft = 'yes'; git = 'abc' } | Out-Null
        Set-MRModelVersion -GroupName rc-fraud-detection -Version 1 -CustomerMetadata @{ ticket = 'ML-42' } -RemoveCustomerMetadata draft
        $m = (Get-MRModelVersion rc-fraud-detection -Version 1 -Detailed).CustomerMetadata
        $m['ticket'] | Should -Be 'ML-42'
        $m['git'] | Should -Be 'abc'
        $m.ContainsKey('draft') | Should -BeFalse
    }
}
