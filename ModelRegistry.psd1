@{
    # The one place the module's version lives: build.ps1 passes it to every assembly and the package.
    ModuleVersion        = '0.1.0'
    GUID                 = '5f0b7a3e-2c1d-4e8a-9a57-3d2f6c1b8e41'
    Author               = 'ModelRegistry maintainers'
    CompanyName          = 'ModelRegistry'
    Copyright            = '(c) ModelRegistry maintainers. Apache-2.0.'
    Description          = 'Amazon SageMaker Model Registry for ML platform teams: model groups from .env.shared, versions, approvals, deployments and IAM policies, as typed PowerShell objects. Works against SageMaker (AWSSDK.Core, isolated from other AWS modules) or an embedded Local registry.'
    PowerShellVersion    = '5.1'
    CompatiblePSEditions = @('Desktop', 'Core')
    # A constant: one netstandard2.0 build for both editions (an `if ($PSEdition ...)` here made every import
    # compile and run the manifest). The engine is per edition, under net8.0/ and netstandard2.0/.
    RootModule           = 'ModelRegistry.dll'
    # Views: compiled into the assembly from src/ModelRegistry/Formats (Hosting/ModuleViews.cs), not FormatsToProcess.
    CmdletsToExport      = @(
        'Approve-MRModelVersion'
        'Compare-MRModelGroup'
        'Compare-MRModelVersion'
        'Connect-MRRegistry'
        'Deny-MRModelVersion'
        'Deploy-MRModelVersion'
        'Disconnect-MRRegistry'
        'Export-MRApprovalAudit'
        'Export-MRModelGroupList'
        'Get-MRConfiguration'
        'Get-MRDeployment'
        'Get-MRIamPolicy'
        'Get-MRModelGroup'
        'Get-MRModelGroupPolicy'
        'Get-MRModelMetric'
        'Get-MRModelVersion'
        'Get-MRProject'
        'Get-MRRegistry'
        'New-MRModelGroup'
        'Register-MRModelVersion'
        'Remove-MRDeployment'
        'Remove-MRModelGroup'
        'Remove-MRModelGroupPolicy'
        'Remove-MRModelVersion'
        'Set-MRApproval'
        'Set-MRConfiguration'
        'Set-MRModelGroupPolicy'
        'Set-MRModelLifecycle'
        'Set-MRModelVersion'
        'Sync-MRModelGroup'
        'Test-MRModelGroup'
        'Test-MRModelVersion'
    )
    FunctionsToExport    = @()
    VariablesToExport    = @()
    AliasesToExport      = @()
    PrivateData          = @{
        PSData = @{
            Tags         = @('AWS', 'SageMaker', 'ModelRegistry', 'MLOps', 'PSEdition_Core', 'PSEdition_Desktop')
            LicenseUri   = 'https://www.apache.org/licenses/LICENSE-2.0'
            ProjectUri   = 'https://example.invalid/modelregistry'
            ReleaseNotes = 'Model groups from .env.shared on SageMaker and a Local registry.'
        }
    }
}
