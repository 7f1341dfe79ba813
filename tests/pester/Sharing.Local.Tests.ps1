# The README's walk-through "Sharing a model with another account", as a user types it, on the Local backend:
# .env.shared.example with consumer accounts and lifecycle stages → register → approve → Staging → Production →
# set metadata → share → Compare InSync → edit the consumers → Compare shows the policy drift → Sync fixes it.
BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    Import-Module (Get-TestModulePath) -Force
    $script:example = Join-Path (Get-RepoRoot) '.env.shared.example'
    $script:image = '123456789012.dkr.ecr.ap-northeast-1.amazonaws.com/fraud:1.0'
}

Describe 'Sharing a model group with another account on a Local registry' {
    BeforeEach {
        $script:folder = Join-Path $TestDrive ([guid]::NewGuid().ToString('N'))
        New-Item -ItemType Directory $folder | Out-Null
        $script:config = Join-Path $folder '.env.shared'
        # The example, extended with the rc team's consumer account.
        Set-Content $config -Value ((Get-Content -Raw $example) +
            "`nRC_CONSUMER_ACCOUNTS=`"111111111111`"`nMODEL_LIFECYCLE_STAGES=`"Development Staging Production`"`n")
        Connect-MRRegistry -Local -Path (Join-Path $folder 'registry') -Region ap-northeast-1 -AccountId 123456789012
        Set-MRConfiguration -ConfigPath $config   # the stages the lifecycle cmdlets judge by
    }

    It 'registers, approves, promotes to Production, sets metadata, shares, reports edited consumers as policy drift and syncs them' {
        # Register and approve a version.
        Get-MRProject $config | New-MRModelGroup | Out-Null
        $v = Register-MRModelVersion rc-fraud-detection -ImageUri $image -CustomerMetadata @{ ticket = 'ML-42' } -Stage Development
        $approved = $v | Approve-MRModelVersion -Reason 'passed review' -PassThru
        $approved.Status | Should -Be 'Approved'

        # Promote it one stage at a time, and record the evaluation on it.
        $v | Set-MRModelLifecycle -Stage Staging -Reason 'soak test'
        $v | Set-MRModelLifecycle -Stage Production -Reason 'CAB-1234'
        $v | Set-MRModelVersion -CustomerMetadata @{ auc = '0.93' }
        $inProduction = Get-MRModelGroup | Get-MRModelVersion -Stage Production -Latest 1
        $inProduction.GroupName | Should -Be 'rc-fraud-detection'
        $detail = Get-MRModelVersion rc-fraud-detection -Version 1 -Detailed
        $detail.CustomerMetadata['auc'] | Should -Be '0.93'
        $detail.CustomerMetadata['ticket'] | Should -Be 'ML-42'

        # Share every configured group with its team's consumer accounts.
        Get-MRProject $config | Set-MRModelGroupPolicy -WarningAction SilentlyContinue
        $shared = Get-MRProject $config | Get-MRModelGroupPolicy
        ($shared | Where-Object GroupName -eq 'rc-fraud-detection').ConsumerAccounts | Should -Be @('111111111111')
        ($shared | Where-Object GroupName -eq 'rc-fraud-detection').IsManaged | Should -BeTrue
        ($shared | Where-Object GroupName -eq 'algo-recommendation-engine').HasPolicy | Should -BeFalse
        $document = ($shared | Where-Object GroupName -eq 'rc-fraud-detection').Document | ConvertFrom-Json
        $document.Statement.Sid | Should -Be @('ModelRegistryDescribeGroup', 'ModelRegistryUseVersions')
        $document.Statement[0].Principal.AWS | Should -Be 'arn:aws:iam::111111111111:root'
        @($document.Statement.Action) | Should -Not -Contain 'sagemaker:UpdateModelPackage'

        # The consumer account's side.
        $consumer = Get-MRProject $config -Team rc -Project fraud-detection | Get-MRIamPolicy -Role Consumer
        $consumer.PolicyName | Should -Be 'rc-fraud-detection-ModelRegistry-Consumer'
        ($consumer.Document | ConvertFrom-Json).Statement.Action | Should -Contain 'sagemaker:CreateModel'

        # Everything is as configured.
        $plan = Compare-MRModelGroup $config
        $plan.State | Should -Be @('InSync', 'InSync', 'InSync')

        # Edit the consumers: the rc groups' policies now differ from the configuration.
        (Get-Content -Raw $config) -replace 'RC_CONSUMER_ACCOUNTS="111111111111"', 'RC_CONSUMER_ACCOUNTS="111111111111 222222222222"' |
            Set-Content $config
        $plan = Compare-MRModelGroup $config
        $drifted = $plan | Where-Object State -eq Drifted
        $drifted.Name | Should -Be @('rc-fraud-detection', 'rc-anti-money-laundering')
        $drifted | ForEach-Object { $_.Differences | Should -Be 'policy: shared with 111111111111 → shared with 111111111111, 222222222222' }
        ($plan | Where-Object Name -eq 'algo-recommendation-engine').State | Should -Be 'InSync'

        # Sync puts it right; the approved version is untouched.
        $results = Sync-MRModelGroup $config
        ($results | Where-Object Action -eq Repaired).Name | Should -Be @('rc-fraud-detection', 'rc-anti-money-laundering')
        (Compare-MRModelGroup $config).State | Should -Be @('InSync', 'InSync', 'InSync')
        (Get-MRModelGroupPolicy rc-fraud-detection).ConsumerAccounts | Should -Be @('111111111111', '222222222222')
        (Get-MRModelVersion rc-fraud-detection -Version 1 -Detailed).Status | Should -Be 'Approved'
    }

    It 'takes back a grant made by hand to another account, and shares the groups it creates' {
        $created = Sync-MRModelGroup $config
        $created.Action | Should -Be @('Created', 'Created', 'Created')
        (Get-MRModelGroupPolicy rc-fraud-detection).ConsumerAccounts | Should -Be @('111111111111')

        Set-MRModelGroupPolicy -Name rc-fraud-detection -ConsumerAccountId 555555555555 -AllowApproval
        (Compare-MRModelGroup $config | Where-Object Name -eq rc-fraud-detection).Differences |
            Should -Be 'policy: shared with 555555555555 (approval allowed) → shared with 111111111111'
        Sync-MRModelGroup $config -WhatIf
        (Get-MRModelGroupPolicy rc-fraud-detection).ConsumerAccounts | Should -Be @('555555555555')
        Sync-MRModelGroup $config | Out-Null
        $policy = Get-MRModelGroupPolicy rc-fraud-detection
        $policy.ConsumerAccounts | Should -Be @('111111111111')
        $policy.AllowsApproval | Should -BeFalse
    }
}
