# The seed's job against the SageMaker backend, on moto_server (loopback only), read back with boto3.
BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    Import-Module (Get-TestModulePath) -Force
    $script:moto = Start-MotoServer
    Set-TestAwsEnvironment $moto.Url
    $script:example = Join-Path (Get-RepoRoot) '.env.shared.example'
    $script:expected = 'rc-fraud-detection', 'rc-anti-money-laundering', 'algo-recommendation-engine'
}

AfterAll { Stop-MotoServer $moto }

Describe 'Seed workflow against SageMaker (moto)' {
    It 'creates exactly the three groups with the seed descriptions and four tags; a second run creates nothing' {
        $first = Get-MRProject $example | New-MRModelGroup -EndpointUrl $moto.Url -Region ap-northeast-1
        $first.Change | Should -Be @('Created', 'Created', 'Created')

        # Read back with an independent client.
        $groups = Invoke-Boto3 -Url $moto.Url -Code @'
out = []
for g in sm.list_model_package_groups(MaxResults=100)['ModelPackageGroupSummaryList']:
    tags = sm.list_tags(ResourceArn=g['ModelPackageGroupArn'])['Tags']
    out.append({'Name': g['ModelPackageGroupName'], 'Description': g.get('ModelPackageGroupDescription'),
                'Tags': {t['Key']: t['Value'] for t in tags}})
print(json.dumps(out))
'@
        ($groups.Name | Sort-Object) | Should -Be ($expected | Sort-Object)
        $fraud = $groups | Where-Object Name -eq 'rc-fraud-detection'
        $fraud.Description | Should -Be 'Models for risk-control/fraud-detection'
        $fraud.Tags.ManagedBy | Should -Be 'acme-sagemaker'
        $fraud.Tags.Team | Should -Be 'rc'
        $fraud.Tags.Project | Should -Be 'fraud-detection'
        $fraud.Tags.Phase | Should -Be '2C'
        ($groups | Where-Object Name -eq 'algo-recommendation-engine').Description | Should -Be 'Models for algorithm/recommendation-engine'

        $second = Get-MRProject $example | New-MRModelGroup -EndpointUrl $moto.Url -Region ap-northeast-1
        $second.Change | Should -Be @('Existed', 'Existed', 'Existed')
        # moto would silently replace a group (and drop its tags) on a second create: the tags prove none was sent.
        $after = Invoke-Boto3 -Url $moto.Url -Code @'
g = sm.describe_model_package_group(ModelPackageGroupName='rc-fraud-detection')
print(json.dumps({'Count': len(sm.list_model_package_groups(MaxResults=100)['ModelPackageGroupSummaryList']),
                  'Tags': len(sm.list_tags(ResourceArn=g['ModelPackageGroupArn'])['Tags'])}))
'@
        $after.Count | Should -Be 3
        $after.Tags | Should -Be 4
    }

    It 'verifies the groups' {
        $results = Get-MRProject $example | Test-MRModelGroup -EndpointUrl $moto.Url -Region ap-northeast-1
        $results.Passed | Should -Be @($true, $true, $true)
        $results.ListPermitted | Should -Be @($true, $true, $true)
    }

    It 'takes the region from .env.shared when none is given' {
        Connect-MRRegistry -EndpointUrl $moto.Url
        (Get-MRProject $example | Test-MRModelGroup).Passed | Should -Be @($true, $true, $true)
        Connect-MRRegistry
    }

    It 'refuses to act in another account than AWS_ACCOUNT_ID, naming both, and changes nothing' {
        $path = New-TestEnvFile -Line 'COMPANY=acme', 'AWS_ACCOUNT_ID=999999999999', 'AWS_REGION=ap-northeast-1', 'TEAMS="zz"', 'ZZ_PROJECTS="guarded"'
        $out = Get-MRProject $path | New-MRModelGroup -EndpointUrl $moto.Url -ErrorVariable err -ErrorAction SilentlyContinue
        $out | Should -BeNullOrEmpty
        $err[0].Exception.Message | Should -Match '999999999999'
        $err[0].Exception.Message | Should -Match '123456789012'
        $err[0].CategoryInfo.Category | Should -Be 'SecurityError'
        (Invoke-Boto3 -Url $moto.Url -Code "print(json.dumps([g['ModelPackageGroupName'] for g in sm.list_model_package_groups(MaxResults=100)['ModelPackageGroupSummaryList']]))") |
            Should -Not -Contain 'zz-guarded'
    }

    It 'registers in the region of a piped project, as the group cmdlets create there' {
        Get-MRProject $example | New-MRModelGroup -EndpointUrl $moto.Url | Out-Null
        $v = Get-MRProject $example -Project fraud-detection |
            Register-MRModelVersion -ImageUri 123456789012.dkr.ecr.ap-northeast-1.amazonaws.com/fraud:1.0 -EndpointUrl $moto.Url
        $v.GroupName | Should -Be 'rc-fraud-detection'
        $v.Arn | Should -BeLike 'arn:aws:sagemaker:ap-northeast-1:123456789012:model-package/rc-fraud-detection/*'
    }

    It 'refuses to register or deploy in another account than AWS_ACCOUNT_ID too' {
        Get-MRProject $example | New-MRModelGroup -EndpointUrl $moto.Url -Region ap-northeast-1 | Out-Null
        $image = '123456789012.dkr.ecr.ap-northeast-1.amazonaws.com/fraud:1.0'
        $approved = Register-MRModelVersion rc-fraud-detection -ImageUri $image -ApprovalStatus Approved -EndpointUrl $moto.Url -Region ap-northeast-1
        $count = { (Invoke-Boto3 -Url $moto.Url -Code "print(json.dumps(len(sm.list_model_packages(ModelPackageGroupName='rc-fraud-detection', MaxResults=100)['ModelPackageSummaryList'])))") }
        $before = & $count
        $path = New-TestEnvFile -Line 'COMPANY=acme', 'AWS_ACCOUNT_ID=999999999999', 'AWS_REGION=ap-northeast-1', 'TEAMS="rc"', 'TEAM_RC_FULLNAME=risk-control', 'RC_PROJECTS="fraud-detection"'

        # A TeamProject brings its AccountId; -ExpectedAccountId says it by hand.
        Get-MRProject $path | Register-MRModelVersion -ImageUri $image -EndpointUrl $moto.Url -Region ap-northeast-1 -ErrorVariable err1 -ErrorAction SilentlyContinue |
            Should -BeNullOrEmpty
        Register-MRModelVersion rc-fraud-detection -ImageUri $image -ExpectedAccountId 999999999999 -EndpointUrl $moto.Url -Region ap-northeast-1 -ErrorVariable err2 -ErrorAction SilentlyContinue |
            Should -BeNullOrEmpty
        $approved | Deploy-MRModelVersion -EndpointName guarded-endpoint -ExecutionRoleArn 'arn:aws:iam::123456789012:role/sagemaker-execution' `
            -ConfigPath $path -EndpointUrl $moto.Url -Region ap-northeast-1 -ErrorVariable err3 -ErrorAction SilentlyContinue | Should -BeNullOrEmpty

        foreach ($e in $err1[0], $err2[0], $err3[0]) {
            $e.Exception.Message | Should -Match '999999999999'
            $e.CategoryInfo.Category | Should -Be 'SecurityError'
        }
        # A guard that cannot be trusted refuses too: a malformed AWS_ACCOUNT_ID, a -ConfigPath that is not there.
        $typo = New-TestEnvFile -Line 'COMPANY=acme', 'AWS_ACCOUNT_ID=12345678901', 'TEAMS="rc"', 'TEAM_RC_FULLNAME=risk-control', 'RC_PROJECTS="fraud-detection"'
        foreach ($config in $typo, (Join-Path $TestDrive 'missing.env')) {
            $approved | Deploy-MRModelVersion -EndpointName guarded-endpoint -ExecutionRoleArn 'arn:aws:iam::123456789012:role/sagemaker-execution' `
                -ConfigPath $config -EndpointUrl $moto.Url -Region ap-northeast-1 -ErrorVariable err4 -ErrorAction SilentlyContinue 2>$null | Should -BeNullOrEmpty
            $err4[0].Exception.Message | Should -Match ([regex]::Escape((Split-Path $config -Leaf)) + '|AWS_ACCOUNT_ID')
        }
        & $count | Should -Be $before
        (Invoke-Boto3 -Url $moto.Url -Code "print(json.dumps([e['EndpointName'] for e in sm.list_endpoints()['Endpoints']]))") | Should -Not -Contain 'guarded-endpoint'
    }

    It 'shows each service call with -Verbose, and request ids with -Debug' {
        $streams = Get-MRModelGroup rc-fraud-detection -EndpointUrl $moto.Url -Region ap-northeast-1 -Verbose -Debug 4>&1 5>&1
        $verbose = $streams | Where-Object { $_ -is [System.Management.Automation.VerboseRecord] }
        $debug = $streams | Where-Object { $_ -is [System.Management.Automation.DebugRecord] }
        ($verbose.Message -join "`n") | Should -Match '(?m)^SageMaker DescribeModelPackageGroup rc-fraud-detection: \d+ ms$'
        ($verbose.Message -join "`n") | Should -Match 'SageMaker ListTags'
        ($debug.Message -join "`n") | Should -Match 'DescribeModelPackageGroup: request id \S+'
        $quiet = Get-MRModelGroup rc-fraud-detection -EndpointUrl $moto.Url -Region ap-northeast-1 4>&1 5>&1
        @($quiet | Where-Object { $_ -is [System.Management.Automation.VerboseRecord] }).Count | Should -Be 0
    }

    It 'reports a missing group as ObjectNotFound' {
        Get-MRModelGroup no-such-group -EndpointUrl $moto.Url -Region ap-northeast-1 -ErrorVariable e -ErrorAction SilentlyContinue
        $e[0].CategoryInfo.Category | Should -Be 'ObjectNotFound'
        $e[0].TargetObject | Should -Be 'no-such-group'
    }
}
