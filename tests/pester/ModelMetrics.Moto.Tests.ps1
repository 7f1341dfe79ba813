# Approve on evidence, against moto (SageMaker and S3 on one loopback port): statistics files in S3 are read as
# metrics, approvals are gated on them, versions are compared, and the audit report says the same in CSV and HTML.
BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    Import-Module (Get-TestModulePath) -Force
    $script:moto = Start-MotoServer
    Set-TestAwsEnvironment $moto.Url
    $script:image = '123456789012.dkr.ecr.ap-northeast-1.amazonaws.com/fraud:1.0'
    $script:group = 'rc-fraud-detection'

    # The statistics files, put in S3 with an independent client.
    $null = Invoke-Boto3 -Url $moto.Url -Code @'
s3 = boto3.client('s3', region_name='ap-northeast-1', endpoint_url=sm.meta.endpoint_url,
                  aws_access_key_id='test', aws_secret_access_key='test')
s3.create_bucket(Bucket='acme-models', CreateBucketConfiguration={'LocationConstraint': 'ap-northeast-1'})
def stats(auc, f1):
    return json.dumps({'version': 0.0, 'binary_classification_metrics': {
        'auc': {'value': auc, 'standard_deviation': 0.01}, 'f1': {'value': f1, 'standard_deviation': 0.02},
        'confusion_matrix': {'0': {'0': 90, '1': 10}, '1': {'0': 5, '1': 45}},
        'precision_recall_curve': {'precisions': [1.0, 0.5], 'recalls': [0.0, 1.0]}}})
s3.put_object(Bucket='acme-models', Key='fraud/1/statistics.json', Body=stats(0.93, 0.85))
s3.put_object(Bucket='acme-models', Key='fraud/2/statistics.json', Body=stats(0.71, 0.60))
s3.put_object(Bucket='acme-models', Key='fraud/broken.json', Body='{"not": "metrics"}')
print(json.dumps({}))
'@
    Connect-MRRegistry -Region ap-northeast-1 -EndpointUrl $moto.Url
    New-MRModelGroup -Name $group -Description 'Models for risk-control/fraud-detection' | Out-Null
    # One registration at a time: moto numbers versions without a lock.
    $script:v1 = Register-MRModelVersion $group -ImageUri $image -ModelDataUrl s3://acme-models/fraud/1/model.tar.gz `
        -ModelStatisticsUri s3://acme-models/fraud/1/statistics.json -Metric @{ latency_ms = 12.5 } -Description 'v1'
    $script:v2 = Register-MRModelVersion $group -ImageUri "$image-b" -ModelDataUrl s3://acme-models/fraud/2/model.tar.gz `
        -ModelStatisticsUri s3://acme-models/fraud/2/statistics.json -BiasReportUri s3://acme-models/fraud/broken.json -Description 'v2'
}

AfterAll {
    Connect-MRRegistry
    Stop-MotoServer $moto
}

Describe 'Model metrics on SageMaker (moto) with S3' {
    It 'registers every metrics source and reads them back' {
        $v = Get-MRModelVersion $group -Version 2
        $v.MetricsSources.Kind | Should -Be @('ModelQualityStatistics', 'BiasReport')
        $v.MetricsSources.Uri | Should -Be @('s3://acme-models/fraud/2/statistics.json', 's3://acme-models/fraud/broken.json')
        (Get-MRModelVersion $group -Version 1).CustomerMetadata['metric:latency_ms'] | Should -Be '12.5'
    }

    It 'Get-MRModelMetric shows both versions, one row per metric; a bad file is one error and the rest comes out' {
        $metrics = Get-MRModelVersion $group | Get-MRModelMetric -ErrorVariable bad -ErrorAction SilentlyContinue
        $auc = $metrics | Where-Object Name -eq auc
        $auc.Version | Should -Be @(1, 2)
        $auc.Value | Should -Be @(0.93, 0.71)
        $auc.StandardDeviation | Should -Be @(0.01, 0.01)
        $auc[0].Source | Should -Be 'ModelQualityStatistics'
        $auc[0].SourceUri | Should -Be 's3://acme-models/fraud/1/statistics.json'
        $auc[0].GroupName | Should -Be $group
        ($metrics | Where-Object { $_.Version -eq 1 -and $_.Name -eq 'confusion_matrix.1.0' }).Value | Should -Be 5
        ($metrics | Where-Object Name -like '*curve*') | Should -BeNullOrEmpty
        ($metrics | Where-Object Name -eq latency_ms).Source | Should -Be 'CustomerMetadata'
        $bad.Count | Should -Be 1
        $bad[0].FullyQualifiedErrorId | Should -BeLike 'ModelRegistry.Invalid.InvalidArgument,*'
        $bad[0].Exception.Message | Should -BeLike '*broken.json*not a SageMaker metrics file*'
        (Get-MRModelMetric $group 2 -Name auc, f1 -ErrorAction SilentlyContinue).Value | Should -Be @(0.71, 0.6)
    }

    It 'Test-MRModelVersion judges without changing anything' {
        $rows = Get-MRModelVersion $group | Test-MRModelVersion -Require 'auc >= 0.9', 'f1 >= 0.8' -ErrorAction SilentlyContinue
        $rows.Passed | Should -Be @($true, $true, $false, $false)
        $rows[2].Actual | Should -Be 0.71
        $rows[2].Detail | Should -Be 'auc = 0.71, needs >= 0.9'
        (Get-MRModelVersion $group).Status | Should -Be @('PendingManualApproval', 'PendingManualApproval')
        { Test-MRModelVersion $group -Require 'auc is high' } | Should -Throw -ErrorId 'ModelRegistry.Invalid.Rule*'
    }

    It "Approve -Require 'auc >= 0.9' approves only the first and refuses the second with the actual value" {
        $approved = Get-MRModelVersion $group | Approve-MRModelVersion -Require 'auc >= 0.9' -Reason 'holdout review' -PassThru -ErrorVariable refused -ErrorAction SilentlyContinue
        $approved.Version | Should -Be 1
        $refused.Count | Should -Be 1
        $refused[0].FullyQualifiedErrorId | Should -BeLike 'ModelRegistry.Conflict.RequirementNotMet,*'
        $refused[0].Exception.Message | Should -BeLike '*auc >= 0.9 failed (auc = 0.71, needs >= 0.9)*Nothing was changed*'

        # Read back with an independent client: the decision explains itself, and version 2 is untouched.
        $state = Invoke-Boto3 -Url $moto.Url -Code @"
out = []
for n in (1, 2):
    d = sm.describe_model_package(ModelPackageName='$($v1.Arn -replace '/1$', '')/' + str(n))
    out.append({'Status': d['ModelApprovalStatus'], 'Description': d.get('ApprovalDescription')})
print(json.dumps(out))
"@
        $state[0].Status | Should -Be 'Approved'
        $state[0].Description | Should -Be 'holdout review | Gate: auc = 0.93 (>= 0.9)'
        $state[1].Status | Should -Be 'PendingManualApproval'
    }

    It '-WhatIf reports the refusal the real run would meet, -Force does not override it, and changes nothing' {
        $null = Get-MRModelVersion $group -Version 2 | Approve-MRModelVersion -Require 'auc >= 0.9' -WhatIf -ErrorVariable whatIfRefused -ErrorAction SilentlyContinue
        $whatIfRefused[0].FullyQualifiedErrorId | Should -BeLike 'ModelRegistry.Conflict.RequirementNotMet,*'
        $null = Get-MRModelVersion $group -Version 2 | Approve-MRModelVersion -Require 'auc >= 0.9' -Force -ErrorVariable forced -ErrorAction SilentlyContinue
        $forced[0].FullyQualifiedErrorId | Should -BeLike 'ModelRegistry.Conflict.RequirementNotMet,*'
        (Get-MRModelVersion $group -Version 2).Status | Should -Be 'PendingManualApproval'
    }

    It 'Compare-MRModelVersion shows the difference' {
        $rows = Get-MRModelVersion $group | Compare-MRModelVersion -ErrorAction SilentlyContinue
        $auc = $rows | Where-Object { $_.Kind -eq 'Metric' -and $_.Name -eq 'auc' }
        $auc.Reference | Should -Be 0.93
        $auc.Difference | Should -Be 0.71
        [math]::Round($auc.Change, 6) | Should -Be -0.22
        ($rows | Where-Object Kind -eq 'Image').DifferenceValue | Should -Be "$image-b"
        ($rows | Where-Object Kind -eq 'ModelData').ReferenceValue | Should -Be 's3://acme-models/fraud/1/model.tar.gz'
        ($rows | Where-Object Kind -eq 'Status').ReferenceValue | Should -Be 'Approved'
    }

    It 'Export-MRApprovalAudit writes CSV and HTML that say the same' {
        $csvPath = Join-Path $TestDrive 'audit.csv'
        $htmlPath = Join-Path $TestDrive 'audit.html'
        Get-MRModelGroup $group | Export-MRApprovalAudit -Path $csvPath -ErrorAction SilentlyContinue
        Get-MRModelVersion $group | Export-MRApprovalAudit -Path $htmlPath -ErrorAction SilentlyContinue
        $csv = Import-Csv $csvPath
        $csv.Version | Should -Be @('1', '2')
        $csv.Status | Should -Be @('Approved', 'PendingManualApproval')
        $csv[0].GateRules | Should -Be 'auc >= 0.9'
        $csv[0].GatedMetrics | Should -Be 'auc=0.93'
        $csv[1].GatedMetrics | Should -Be 'auc=0.71'
        $csv[0].Created | Should -Match '^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$'

        # The page, read with a real HTML parser (AngleSharp, restored with the xunit tests).
        $packages = if ($env:NUGET_PACKAGES) { $env:NUGET_PACKAGES } else { Join-Path $HOME '.nuget/packages' }
        Add-Type -Path (Join-Path $packages 'anglesharp/1.10.3/lib/net8.0/AngleSharp.dll')
        $doc = [AngleSharp.Html.Parser.HtmlParser]::new().ParseDocument((Get-Content -Raw $htmlPath))
        $headers = @($doc.QuerySelectorAll('table.audit thead th') | ForEach-Object TextContent)
        $rows = @($doc.QuerySelectorAll('table.audit tbody tr'))
        $rows.Count | Should -Be 2
        for ($i = 0; $i -lt 2; $i++) {
            $cells = @($rows[$i].QuerySelectorAll('td') | ForEach-Object TextContent)
            for ($c = 0; $c -lt $headers.Count; $c++) { $cells[$c] | Should -Be ($csv[$i].($headers[$c])) -Because "$($headers[$c]) of row $i" }
        }
        $points = @($doc.QuerySelectorAll('svg.chart[data-metric="auc"] circle.point'))
        @($points | ForEach-Object { $_.GetAttribute('data-value') }) | Should -Be @('0.93', '0.71')
        @($points | ForEach-Object { $_.GetAttribute('data-status') }) | Should -Be @('Approved', 'PendingManualApproval')
    }

    It 'a bad rule is an error before any call' {
        { Get-MRModelVersion $group -Version 2 | Approve-MRModelVersion -Require 'auc => 0.9' } | Should -Throw -ErrorId 'ModelRegistry.Invalid.Rule*'
        (Get-MRModelVersion $group -Version 2).Status | Should -Be 'PendingManualApproval'
    }

    It "applies the team's {TEAM}_APPROVAL_REQUIRE from .env.shared unless -Require is given" {
        $env = New-TestEnvFile -Line @(
            'TEAMS="rc"', 'TEAM_RC_FULLNAME=risk-control', 'RC_PROJECTS="fraud-detection"', 'COMPANY=acme',
            'AWS_REGION=ap-northeast-1', 'RC_APPROVAL_REQUIRE="auc>=0.7 f1>=0.7"')
        Set-MRConfiguration -ConfigPath $env
        try {
            $null = Get-MRModelVersion $group -Version 2 | Approve-MRModelVersion -ErrorVariable refused -ErrorAction SilentlyContinue
            $refused[0].FullyQualifiedErrorId | Should -BeLike 'ModelRegistry.Conflict.RequirementNotMet,*'
            $refused[0].Exception.Message | Should -BeLike '*f1 >= 0.7 failed (f1 = 0.6, needs >= 0.7)*'
            (Get-MRModelVersion $group | Test-MRModelVersion -Quiet -ErrorAction SilentlyContinue) | Should -Be @($true, $false)

            $badEnv = New-TestEnvFile -Line @('TEAMS="rc"', 'TEAM_RC_FULLNAME=risk-control', 'RC_PROJECTS="fraud-detection"', 'COMPANY=acme', 'RC_APPROVAL_REQUIRE="auc>=high"')
            Set-MRConfiguration -ConfigPath $badEnv
            { Get-MRModelVersion $group -Version 2 | Approve-MRModelVersion } | Should -Throw -ExpectedMessage "*:5: RC_APPROVAL_REQUIRE:*"
            (Get-MRModelVersion $group -Version 2).Status | Should -Be 'PendingManualApproval'
        }
        finally { Set-MRConfiguration -ConfigPath (Join-Path $TestDrive 'none.env') }
    }
}
