# Deploying an approved version, "what runs where", removal and IAM policies — on Local and on SageMaker (moto),
# read back with boto3. Versions are registered with Register-MRModelVersion and piped as ModelVersion objects.
BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    Import-Module (Get-TestModulePath) -Force
    $script:example = Join-Path (Get-RepoRoot) '.env.shared.example'
    $script:image = '123456789012.dkr.ecr.ap-northeast-1.amazonaws.com/fraud:1.0'
    $script:role = 'arn:aws:iam::123456789012:role/sagemaker-execution'
}

Describe 'Deploying on a Local registry (records, nothing served)' {
    BeforeEach {
        Connect-MRRegistry -Local -Path (Join-Path $TestDrive ([guid]::NewGuid().ToString('N'))) -Region ap-northeast-1 -AccountId 123456789012
        Get-MRProject $example | New-MRModelGroup | Out-Null
    }

    It 'deploys a piped approved version with -Wait and answers what runs where' {
        $d = Register-MRModelVersion rc-fraud-detection -ImageUri $image -ApprovalStatus Approved |
            Deploy-MRModelVersion -EndpointName fraud-detection-endpoint -Wait
        $d.Status | Should -Be 'InService'
        $d.IsRecord | Should -BeTrue
        $d.GroupName | Should -Be 'rc-fraud-detection'
        $d.Version | Should -Be 1
        $d.ModelName | Should -BeLike 'rc-fraud-detection-1-*'

        $where = Get-MRProject $example | Get-MRDeployment
        $where.EndpointName | Should -Be 'fraud-detection-endpoint'
        $where.ModelVersionArn | Should -Be 'arn:aws:sagemaker:ap-northeast-1:123456789012:model-package/rc-fraud-detection/1'
    }

    It 'refuses a pending version, and -WhatIf prints the plan without deploying' {
        Register-MRModelVersion rc-fraud-detection -ImageUri $image | Deploy-MRModelVersion -EndpointName fraud-detection-endpoint -ErrorVariable err -ErrorAction SilentlyContinue
        $err[0].Exception.Message | Should -Match 'PendingManualApproval'
        Get-MRDeployment | Should -BeNullOrEmpty

        $registry = Join-Path $TestDrive 'whatif'
        $out = Invoke-ModulePwsh -Script @"
Connect-MRRegistry -Local -Path '$registry' -Region ap-northeast-1 -AccountId 123456789012
Get-MRProject '$example' | New-MRModelGroup | Out-Null
Register-MRModelVersion rc-fraud-detection -ImageUri $image -ApprovalStatus Approved | Deploy-MRModelVersion -EndpointName fraud-detection-endpoint -WhatIf
'deployments: ' + @(Get-MRDeployment).Count
"@
        $out | Should -Match 'What if:.*create model .rc-fraud-detection-1-[0-9a-f]{8}'
        $out | Should -Match "create endpoint 'fraud-detection-endpoint'"
        $out | Should -Match 'deployments: 0'
    }

    It 'removes a deployment when confirmed' {
        Register-MRModelVersion rc-fraud-detection -ImageUri $image -ApprovalStatus Approved |
            Deploy-MRModelVersion -EndpointName fraud-detection-endpoint | Out-Null
        $removed = Get-MRDeployment fraud-detection-endpoint | Remove-MRDeployment -Confirm:$false
        $removed.Deleted.Count | Should -Be 3
        Get-MRDeployment | Should -BeNullOrEmpty
    }
}

Describe 'Deploying on SageMaker (moto)' {
    BeforeAll {
        $script:moto = Start-MotoServer
        Set-TestAwsEnvironment $moto.Url
        Connect-MRRegistry -EndpointUrl $moto.Url -Region ap-northeast-1
        Get-MRProject $example | New-MRModelGroup | Out-Null
    }
    AfterAll {
        Connect-MRRegistry
        Stop-MotoServer $moto
    }

    It 'deploys a piped approved version with -Wait; boto3 sees the model serving the version' {
        $version = Register-MRModelVersion rc-fraud-detection -ImageUri $image -ApprovalStatus Approved
        $d = $version | Deploy-MRModelVersion -EndpointName fraud-detection-endpoint -ExecutionRoleArn $role -Wait
        $d.Status | Should -Be 'InService'
        $d.IsRecord | Should -BeFalse
        $d.ModelVersionArn | Should -Be $version.Arn

        $seen = Invoke-Boto3 -Url $moto.Url -Code @'
e = sm.describe_endpoint(EndpointName='fraud-detection-endpoint')
c = sm.describe_endpoint_config(EndpointConfigName=e['EndpointConfigName'])
v = c['ProductionVariants'][0]
m = sm.describe_model(ModelName=v['ModelName'])
tags = {t['Key']: t['Value'] for t in sm.list_tags(ResourceArn=c['EndpointConfigArn'])['Tags']}
print(json.dumps({'Status': e['EndpointStatus'], 'Package': m['PrimaryContainer']['ModelPackageName'], 'Role': m['ExecutionRoleArn'],
                  'Variant': v['VariantName'], 'Type': v['InstanceType'], 'Count': v['InitialInstanceCount'], 'Tags': tags}))
'@
        $seen.Status | Should -Be 'InService'
        $seen.Package | Should -Be $version.Arn
        $seen.Role | Should -Be $role
        $seen.Variant | Should -Be 'AllTraffic'
        $seen.Type | Should -Be 'ml.m5.large'
        $seen.Count | Should -Be 1
        $seen.Tags.ManagedBy | Should -Be 'ModelRegistry'
        $seen.Tags.ModelVersionArn | Should -Be $version.Arn
        $seen.Tags.Team | Should -Be 'rc'
        $seen.Tags.Project | Should -Be 'fraud-detection'

        (Get-MRDeployment -GroupName rc-fraud-detection).EndpointName | Should -Be 'fraud-detection-endpoint'
    }

    It 'sees every variant of an endpoint another tool set up for an A/B test, and guards the version behind each' {
        $a = Register-MRModelVersion rc-fraud-detection -ImageUri $image -ApprovalStatus Approved
        $b = Register-MRModelVersion rc-fraud-detection -ImageUri $image -ApprovalStatus Approved
        Invoke-Boto3 -Url $moto.Url -Code @"
for name, arn in (('ab-a', '$($a.Arn)'), ('ab-b', '$($b.Arn)')):
    sm.create_model(ModelName=name, PrimaryContainer={'ModelPackageName': arn}, ExecutionRoleArn='$role')
sm.create_endpoint_config(EndpointConfigName='ab-test', ProductionVariants=[
    {'VariantName': 'champion', 'ModelName': 'ab-a', 'InstanceType': 'ml.m5.large', 'InitialInstanceCount': 2, 'InitialVariantWeight': 0.9},
    {'VariantName': 'challenger', 'ModelName': 'ab-b', 'InstanceType': 'ml.m5.large', 'InitialInstanceCount': 1, 'InitialVariantWeight': 0.1}])
sm.create_endpoint(EndpointName='ab-endpoint', EndpointConfigName='ab-test')
print('{}')
"@ | Out-Null

        $d = Get-MRDeployment ab-endpoint
        $d.Variants.VariantName | Should -Be @('champion', 'challenger')
        $d.VariantName | Should -Be 'champion'
        $d.Version | Should -Be $a.Version
        $d.ModelVersionArns | Should -Be @($a.Arn, $b.Arn)
        ($b | Get-MRDeployment).EndpointName | Should -Be 'ab-endpoint'
        ($d | Format-Table | Out-String -Width 200) | Should -Match '2 x ml\.m5\.large \(\+1 variant\)'

        # The challenger serves traffic too: rejecting it needs -Force, like the champion.
        $b | Set-MRApproval -Status Rejected -Reason 'lost the test' -Confirm:$false -ErrorVariable err -ErrorAction SilentlyContinue
        $err[0].Exception.Message | Should -Match 'ab-endpoint'
        (Get-MRModelVersion -Arn $b.Arn).Status | Should -Be 'Approved'
    }

    It 'refuses to deploy on SageMaker without an execution role, naming where to set one' {
        Register-MRModelVersion rc-anti-money-laundering -ImageUri $image -ApprovalStatus Approved |
            Deploy-MRModelVersion -EndpointName aml-endpoint -ConfigPath (New-TestEnvFile -Line 'COMPANY=acme', 'TEAMS="rc"', 'TEAM_RC_FULLNAME=risk-control', 'RC_PROJECTS="anti-money-laundering"') `
                -ErrorVariable err -ErrorAction SilentlyContinue
        $err[0].Exception.Message | Should -Match 'SAGEMAKER_EXECUTION_ROLE_ARN'
        Get-MRDeployment aml-* | Should -BeNullOrEmpty
    }

    It 'prints one valid least-privilege policy per project' {
        $policies = Get-MRProject $example | Get-MRIamPolicy -Role Approver
        $policies.Count | Should -Be 3
        foreach ($p in $policies) {
            $doc = $p.Document | ConvertFrom-Json
            $doc.Version | Should -Be '2012-10-17'
            ($doc.Statement | Where-Object Sid -eq 'ApproveVersions').Resource | Should -Be "arn:aws:sagemaker:ap-northeast-1:123456789012:model-package/$($p.GroupName)/*"
        }
    }
}
