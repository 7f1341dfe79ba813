# The seed's job (create, verify, export, clean up) as a user types it, on the Local backend.
BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    Import-Module (Get-TestModulePath) -Force
    $script:example = Join-Path (Get-RepoRoot) '.env.shared.example'
    $script:expected = 'rc-fraud-detection', 'rc-anti-money-laundering', 'algo-recommendation-engine'
}

Describe 'Seed workflow on a Local registry' {
    BeforeEach {
        $script:registryPath = Join-Path $TestDrive ([guid]::NewGuid().ToString('N'))
        Connect-MRRegistry -Local -Path $registryPath -Region ap-northeast-1 -AccountId 123456789012
    }

    It 'creates exactly the configured groups with the seed descriptions and tags, then nothing on a second run' {
        $first = Get-MRProject $example | New-MRModelGroup
        $first.Name | Should -Be $expected
        $first.Change | Should -Be @('Created', 'Created', 'Created')

        $group = Get-MRModelGroup rc-fraud-detection
        $group.Description | Should -Be 'Models for risk-control/fraud-detection'
        $group.Tags['ManagedBy'] | Should -Be 'acme-sagemaker'
        $group.Tags['Team'] | Should -Be 'rc'
        $group.Tags['Project'] | Should -Be 'fraud-detection'
        $group.Tags['Phase'] | Should -Be '2C'
        $group.Arn | Should -Be 'arn:aws:sagemaker:ap-northeast-1:123456789012:model-package-group/rc-fraud-detection'

        $second = Get-MRProject $example | New-MRModelGroup
        $second.Change | Should -Be @('Existed', 'Existed', 'Existed')
        @(Get-MRModelGroup).Count | Should -Be 3
    }

    It 'verifies the groups and counts versions per status; -Quiet gives one boolean' {
        Get-MRProject $example | New-MRModelGroup | Out-Null
        $results = Get-MRProject $example | New-MRModelGroup | Test-MRModelGroup
        $results.Passed | Should -Be @($true, $true, $true)
        $results.VersionCount | Should -Be @(0, 0, 0)
        Get-MRProject $example | Test-MRModelGroup -Quiet | Should -BeTrue

        Test-MRModelGroup missing-group -ErrorVariable err -ErrorAction SilentlyContinue | Select-Object -ExpandProperty Passed | Should -BeFalse
        $err[0].FullyQualifiedErrorId | Should -BeLike 'ModelRegistry.NotFound.ResourceNotFound,*'
        $err[0].CategoryInfo.Category | Should -Be 'ObjectNotFound'
        $err[0].TargetObject | Should -Be 'missing-group'
        Test-MRModelGroup rc-fraud-detection, missing-group -Quiet | Should -BeFalse
    }

    It 'writes output/model-groups.env in the seed format, and leaves it alone when nothing changed' {
        $file = Join-Path $TestDrive 'out/model-groups.env'
        Get-MRProject $example | New-MRModelGroup | Export-MRModelGroupList -Path $file
        $text = Get-Content -Raw $file
        $text | Should -Match '(?m)^# Model Package Groups - Generated '
        $text | Should -Match '(?m)^# Total Groups: 3$'
        $text | Should -Match '(?m)^MODEL_GROUPS="rc-fraud-detection rc-anti-money-laundering algo-recommendation-engine"$'
        $text | Should -Match '(?m)^# - algo-recommendation-engine$'
        $before = (Get-Item $file).LastWriteTimeUtc
        Start-Sleep -Milliseconds 50
        Get-MRProject $example | Export-MRModelGroupList -Path $file
        (Get-Item $file).LastWriteTimeUtc | Should -Be $before
    }

    It 'removes groups with -WhatIf listing every version and group and deleting nothing' {
        Get-MRProject $example | New-MRModelGroup | Out-Null
        1..2 | ForEach-Object { Register-MRModelVersion rc-fraud-detection -ImageUri 123456789012.dkr.ecr.ap-northeast-1.amazonaws.com/fraud:1.0 } | Out-Null
        # What if: lines go to the host, so read them as a user would see them, from a pwsh of its own.
        $whatIf = Invoke-ModulePwsh "Connect-MRRegistry -Local -Path '$registryPath'; Get-MRProject '$example' | Remove-MRModelGroup -WhatIf"
        foreach ($g in $expected) { $whatIf | Should -Match "What if: .*model-package-group/$g" }
        $whatIf | Should -Match 'What if: .*model-package/rc-fraud-detection/1'
        $whatIf | Should -Match 'What if: .*model-package/rc-fraud-detection/2'
        @(Get-MRModelGroup).Count | Should -Be 3
        @(Get-MRModelVersion rc-fraud-detection).Count | Should -Be 2
    }

    It 'removes groups (versions first) when confirmed, and reports each' {
        Get-MRProject $example | New-MRModelGroup | Out-Null
        $v = 1..2 | ForEach-Object { Register-MRModelVersion rc-fraud-detection -ImageUri 123456789012.dkr.ecr.ap-northeast-1.amazonaws.com/fraud:1.0 }
        $v[0] | Approve-MRModelVersion
        Remove-MRModelGroup rc-fraud-detection -Confirm:$false -ErrorVariable refused -ErrorAction SilentlyContinue | Out-Null
        $refused[0].Exception.Message | Should -Match 'Approved'
        @(Get-MRModelVersion rc-fraud-detection).Count | Should -Be 2
        $removed = Get-MRProject $example | Remove-MRModelGroup -Force -Confirm:$false
        $removed.Change | Should -Be @('Removed', 'Removed', 'Removed')
        ($removed | Where-Object Name -eq 'rc-fraud-detection').Detail | Should -Be '2 version(s) removed'
        @(Get-MRModelGroup).Count | Should -Be 0
        Get-MRProject $example | Test-MRModelGroup -Quiet | Should -BeFalse
    }

    It 'reports a group that does not exist as ObjectNotFound' {
        { Get-MRModelGroup no-such-group -ErrorAction Stop } | Should -Throw -ExceptionType ([ModelRegistry.RegistryException])
        Get-MRModelGroup no-such-group -ErrorVariable e -ErrorAction SilentlyContinue
        $e[0].CategoryInfo.Category | Should -Be 'ObjectNotFound'
    }

    It 'lists groups by wildcard, team and project' {
        Get-MRProject $example | New-MRModelGroup | Out-Null
        (Get-MRModelGroup rc-*).Name | Should -Be @('rc-anti-money-laundering', 'rc-fraud-detection')
        (Get-MRModelGroup -Team algo).Name | Should -Be 'algo-recommendation-engine'
        (Get-MRModelGroup -Project fraud-detection).Name | Should -Be 'rc-fraud-detection'
        @(Get-MRModelGroup zzz*).Count | Should -Be 0
    }
}

Describe 'Configuration errors as a user sees them' {
    It 'names the file, line and key of each problem, and runs nothing' {
        $marker = Join-Path $TestDrive 'pwned'
        $path = New-TestEnvFile -Line @(
            'COMPANY=acme'
            'TEAMS="rc"'
            "TEAM_RC_FULLNAME=`$(touch $marker)"
            'RC_PROJECTS="fraud-detection bad_name"'
        )
        $projects = Get-MRProject $path -ErrorVariable problems -ErrorAction SilentlyContinue
        Test-Path $marker | Should -BeFalse
        $problems.Count | Should -BeGreaterOrEqual 2
        $problems[0].Exception.Message | Should -Match ([regex]::Escape("${path}:3")) 
        $problems[0].Exception.Message | Should -Match 'TEAM_RC_FULLNAME'
        ($problems.Exception.Message -join "`n") | Should -Match ([regex]::Escape("${path}:4") + '.*RC_PROJECTS')
        $problems[0].FullyQualifiedErrorId | Should -BeLike 'ModelRegistry.Invalid.ConfigInvalid,*'
        $problems[0].CategoryInfo.Category | Should -Be 'InvalidData'
        $projects.GroupName | Should -Be 'rc-fraud-detection'
    }

    It 'warns and yields nothing when the module is disabled' {
        $path = New-TestEnvFile -Line 'ENABLE_MODEL_REGISTRY=false', 'COMPANY=acme', 'TEAMS="rc"', 'RC_PROJECTS=x'
        $projects = Get-MRProject $path -WarningVariable w -WarningAction SilentlyContinue
        $projects | Should -BeNullOrEmpty
        ($w -join ' ') | Should -Match 'ENABLE_MODEL_REGISTRY'
    }
}
