# The seed README's register -> list -> approve/reject flow, as a reviewer types it, on Local and on moto.
BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    Import-Module (Get-TestModulePath) -Force
    $script:moto = Start-MotoServer
    Set-TestAwsEnvironment $moto.Url
    $script:example = Join-Path (Get-RepoRoot) '.env.shared.example'
    $script:image = '123456789012.dkr.ecr.ap-northeast-1.amazonaws.com/fraud:1.0'

    function Register-Three {
        1..3 | ForEach-Object {
            Register-MRModelVersion rc-fraud-detection -ImageUri $image -ModelDataUrl "s3://acme-models/fraud/v$_/model.tar.gz" `
                -ContentType application/json -ResponseType application/json `
                -InferenceInstanceType ml.m5.large, ml.m5.xlarge -TransformInstanceType ml.m5.xlarge `
                -ModelStatisticsUri s3://acme-models/fraud/statistics.json -Description "Fraud detection model v$_"
        }
    }
}

AfterAll { Stop-MotoServer $moto }

Describe 'Approval workflow on <_>' -ForEach 'Local', 'SageMaker' {
    BeforeAll {
        if ($_ -eq 'Local') { Connect-MRRegistry -Local -Path (Join-Path $TestDrive 'registry') -Region ap-northeast-1 }
        else { Connect-MRRegistry -Region ap-northeast-1 -EndpointUrl $moto.Url }
        Get-MRProject $example | New-MRModelGroup | Out-Null
        $script:registered = Register-Three
    }
    AfterAll { Connect-MRRegistry }

    It 'registers versions as PendingManualApproval with everything the seed example sets' {
        $registered.Version | Should -Be @(1, 2, 3)
        $registered.Status | Should -Be @('PendingManualApproval', 'PendingManualApproval', 'PendingManualApproval')
        $v = Get-MRModelVersion rc-fraud-detection -Version 1 -Detailed
        $v.ImageUri | Should -Be $image
        $v.ModelDataUrl | Should -Be 's3://acme-models/fraud/v1/model.tar.gz'
        $v.InferenceInstanceTypes | Should -Be @('ml.m5.large', 'ml.m5.xlarge')
        $v.ModelStatisticsUri | Should -Be 's3://acme-models/fraud/statistics.json'
        $v.Description | Should -Be 'Fraud detection model v1'
    }

    It 'refuses bad input before calling, naming the field' {
        Register-MRModelVersion rc-fraud-detection -ImageUri $image -ModelDataUrl 'http://not-s3/model' -InferenceInstanceType m5.large -ErrorVariable e -ErrorAction SilentlyContinue |
            Should -BeNullOrEmpty
        $e[0].Exception.Message | Should -Match '-ModelDataUrl'
        $e[0].Exception.Message | Should -Match '-InferenceInstanceType'
        $e[0].CategoryInfo.Category | Should -Be 'InvalidArgument'
        @(Get-MRModelVersion rc-fraud-detection).Count | Should -Be 3
    }

    It 'rejects one with a reason, approves the pending ones with a reason' {
        Get-MRModelVersion rc-fraud-detection -Version 2 | Deny-MRModelVersion -Reason 'Performance below threshold'
        Get-MRModelVersion rc-fraud-detection -Status PendingManualApproval | Approve-MRModelVersion -Reason 'AUC 0.93'
        $all = Get-MRModelVersion rc-fraud-detection
        $all.Status | Should -Be @('Approved', 'Rejected', 'Approved')
        (Get-MRModelVersion rc-fraud-detection -Version 2 -Detailed).ApprovalDescription | Should -Be 'Performance below threshold'
        (Get-MRModelVersion rc-fraud-detection -Status Approved -Latest 1).Version | Should -Be 3
    }

    It 'needs -Force to approve a rejected version, and says why' {
        Get-MRModelVersion rc-fraud-detection -Version 2 | Approve-MRModelVersion -ErrorVariable e -ErrorAction SilentlyContinue
        $e[0].Exception.Message | Should -Match 'Rejected'
        $e[0].Exception.Message | Should -Match '-Force'
        (Get-MRModelVersion rc-fraud-detection -Version 2).Status | Should -Be 'Rejected'
        Get-MRModelVersion rc-fraud-detection -Version 2 | Set-MRApproval -Status PendingManualApproval -Force -PassThru |
            Select-Object -ExpandProperty Status | Should -Be 'PendingManualApproval'
    }

    It 'summarises versions per status on groups with -IncludeVersionCount' {
        $g = Get-MRModelGroup rc-fraud-detection -IncludeVersionCount
        $g.Versions.Total | Should -Be 3
        $g.Versions.Approved | Should -Be 2
        $g.Versions.ToString() | Should -Be '3: 2 approved, 1 pending'
        (Get-MRModelGroup rc-* -IncludeVersionCount | Where-Object Name -eq 'rc-anti-money-laundering').Versions.Total | Should -Be 0
        (Get-MRModelGroup rc-fraud-detection).Versions | Should -BeNullOrEmpty
    }

    It 'reads a piped version again (not its whole group), and lists a piped group' {
        @(Get-MRModelVersion rc-fraud-detection -Version 1 | Get-MRModelVersion -Detailed).Count | Should -Be 1
        (Get-MRModelVersion rc-fraud-detection -Version 1 | Get-MRModelVersion -Detailed).IsDetailed | Should -BeTrue
        @(Get-MRModelGroup rc-fraud-detection | Get-MRModelVersion).Count | Should -Be 3
    }

    It 'counts versions per status in Test-MRModelGroup' {
        $t = Test-MRModelGroup rc-fraud-detection
        $t.Approved | Should -Be 2
        $t.PendingManualApproval | Should -Be 1
        $t.VersionCount | Should -Be 3
    }

    It 'judges the registry''s current state, not a stale piped copy (listed Pending, rejected since)' {
        New-MRModelGroup -Name algo-stale -Description 'stale objects' | Out-Null
        1..3 | ForEach-Object { Register-MRModelVersion algo-stale -ImageUri $image } | Out-Null
        $pending = Get-MRModelVersion algo-stale -Status PendingManualApproval
        Get-MRModelVersion algo-stale -Version 1 | Deny-MRModelVersion -Reason 'bias found'
        $pending | Approve-MRModelVersion -Reason 'AUC 0.93' -ErrorVariable e -ErrorAction SilentlyContinue
        @($e).Count | Should -Be 1
        $e[0].FullyQualifiedErrorId | Should -BeLike 'ModelRegistry.Conflict.RejectedVersion,*'
        $e[0].CategoryInfo.Category | Should -Be 'InvalidOperation'
        $e[0].Exception.Message | Should -Match 'bias found|Rejected'
        (Get-MRModelVersion algo-stale).Status | Should -Be @('Rejected', 'Approved', 'Approved')
    }

    It '-WhatIf meets the refusals the real run meets, with the same ErrorIds, and changes nothing' {
        # Now: version 1 Rejected, 2 and 3 Approved.
        function Refusals($errors) { @($errors | ForEach-Object { "$($_.FullyQualifiedErrorId.Split(',')[0]) $($_.TargetObject)" } | Sort-Object) }
        Get-MRModelVersion algo-stale | Approve-MRModelVersion -WhatIf -ErrorVariable planned -ErrorAction SilentlyContinue
        Get-MRModelVersion algo-stale | Approve-MRModelVersion -ErrorVariable real -ErrorAction SilentlyContinue
        (Refusals $planned) | Should -Be (Refusals $real)
        (Refusals $planned) | Should -Be @("ModelRegistry.Conflict.RejectedVersion $((Get-MRModelVersion algo-stale -Version 1).Arn)")

        $approved = Get-MRModelVersion algo-stale -Status Approved
        $approved | Remove-MRModelVersion -WhatIf -ErrorVariable planned -ErrorAction SilentlyContinue
        $approved | Remove-MRModelVersion -Confirm:$false -ErrorVariable real -ErrorAction SilentlyContinue
        @($planned).Count | Should -Be 2
        (Refusals $planned) | Should -Be (Refusals $real)
        foreach ($p in $planned) { $p.FullyQualifiedErrorId | Should -BeLike 'ModelRegistry.Conflict.ApprovedVersion,*' }
        (Get-MRModelVersion algo-stale).Status | Should -Be @('Rejected', 'Approved', 'Approved')

        # What a user sees: a refusal for the Approved versions, "What if" only for the Rejected one.
        $connect = if ($_ -eq 'Local') { "Connect-MRRegistry -Local -Path '$(Join-Path $TestDrive 'registry')' -Region ap-northeast-1" }
                   else { "Connect-MRRegistry -Region ap-northeast-1 -EndpointUrl '$($moto.Url)'" }
        $shown = Invoke-ModulePwsh "$connect; Get-MRModelVersion algo-stale | Remove-MRModelVersion -WhatIf"
        $shown | Should -Match 'What if: .*algo-stale version 1 \(Rejected\)'
        $shown | Should -Not -Match 'What if: .*algo-stale version [23]'
        ([regex]::Matches($shown, 'removing an approved version needs -Force')).Count | Should -Be 2
    }
}

Describe 'Read back with an independent client (boto3 against moto)' {
    It 'sees the statuses and reasons the module set' {
        Connect-MRRegistry -Region ap-northeast-1 -EndpointUrl $moto.Url
        New-MRModelGroup -Name algo-readback -Description 'read back' | Out-Null
        $v = 1..2 | ForEach-Object { Register-MRModelVersion algo-readback -ImageUri $image -ModelDataUrl s3://acme-models/x/model.tar.gz }
        $v[0] | Approve-MRModelVersion -Reason 'AUC 0.93'
        $v[1] | Deny-MRModelVersion -Reason 'Performance below threshold'
        $seen = Invoke-Boto3 -Url $moto.Url -Code @'
out = []
for s in sm.list_model_packages(ModelPackageGroupName='algo-readback', ModelPackageType='Versioned')['ModelPackageSummaryList']:
    d = sm.describe_model_package(ModelPackageName=s['ModelPackageArn'])
    out.append({'Version': d['ModelPackageVersion'], 'Status': d['ModelApprovalStatus'], 'Reason': d.get('ApprovalDescription')})
print(json.dumps(sorted(out, key=lambda x: x['Version'])))
'@
        $seen.Status | Should -Be @('Approved', 'Rejected')
        $seen.Reason | Should -Be @('AUC 0.93', 'Performance below threshold')
        Connect-MRRegistry
    }
}
