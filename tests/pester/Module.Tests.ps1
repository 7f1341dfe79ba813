# The per-cmdlet help contexts below are built at discovery, when BeforeAll has not run yet: the module's commands
# are listed here, or -ForEach would get nothing and those contexts would run no test at all.
BeforeDiscovery {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    Import-Module (Get-TestModulePath) -Force
    $script:commandsAtDiscovery = @(Get-Command -Module ModelRegistry | Sort-Object Name)
    if ($commandsAtDiscovery.Count -eq 0) { throw 'ModelRegistry exports no command at discovery: the help contexts would run nothing.' }
}

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    $script:manifestPath = Get-TestModulePath
    Import-Module $manifestPath -Force
    $script:commands = Get-Command -Module ModelRegistry
}

Describe 'The module' {
    It 'has a valid manifest for Desktop and Core, PowerShell 5.1+' {
        $m = Test-ModuleManifest $manifestPath
        $m.CompatiblePSEditions | Should -Be @('Desktop', 'Core')
        $m.PowerShellVersion | Should -Be ([version]'5.1')
    }

    It 'lists its cmdlets explicitly, and exports exactly those' {
        $data = Get-Content -Raw $manifestPath
        $data | Should -Not -Match "CmdletsToExport\s*=\s*'\*'"
        $listed = ([regex]::Matches(($data -split 'CmdletsToExport')[1].Split(')')[0], "'([A-Za-z-]+)'") | ForEach-Object { $_.Groups[1].Value }) | Sort-Object
        ($commands.Name | Sort-Object) | Should -Be $listed
    }

    It 'adds its views when its first command is created, not at import, and every object shows with its view' {
        # Rebuilding the session's format table was most of what importing cost: a fresh session that has only
        # imported the module has none of its views; the first command adds them before its output is formatted.
        $fresh = & ([Environment]::ProcessPath) @(if ((Split-Path -Leaf ([Environment]::ProcessPath)) -like 'dotnet*') { Join-Path $PSHOME 'pwsh.dll' }) -NoProfile -NonInteractive -Command @"
Import-Module '$manifestPath'
'after import: ' + @(Get-FormatData -TypeName ModelRegistry.TeamProject).Count
Get-MRProject '$(Join-Path $PSScriptRoot '../../.env.shared.example')' | Select-Object -First 1
'after a command: ' + @(Get-FormatData -TypeName ModelRegistry.TeamProject).Count
"@
        $text = ($fresh -join "`n") -replace "\e\[[0-9;]*m", ''   # the child's table may carry colour codes
        $text | Should -Match 'after import: 0'
        $text | Should -Match 'GroupName\s+Team\s+Project'
        $text | Should -Match 'after a command: 1'
    }

    It 'has a manifest of plain data and sets up its private load context on first use, not at import' {
        # An expression in the manifest (RootModule = if ($PSEdition ...)) made every import compile and run it;
        # Import-PowerShellDataFile accepts constants only.
        (Import-PowerShellDataFile $manifestPath).RootModule | Should -Be 'ModelRegistry.dll'
        $fresh = & ([Environment]::ProcessPath) @(if ((Split-Path -Leaf ([Environment]::ProcessPath)) -like 'dotnet*') { Join-Path $PSHOME 'pwsh.dll' }) -NoProfile -NonInteractive -Command @"
Import-Module '$manifestPath'
'contexts: ' + @([System.Runtime.Loader.AssemblyLoadContext]::All | Where-Object Name -eq 'ModelRegistry.Dependencies').Count
'loader: ' + @([AppDomain]::CurrentDomain.GetAssemblies() | Where-Object { `$_.GetName().Name -eq 'ModelRegistry.LoadContext' }).Count
"@
        $fresh | Should -Contain 'contexts: 0'
        $fresh | Should -Contain 'loader: 0'
    }

    It 'derives every cmdlet from ModelRegistryCmdlet, whose constructor adds the views' {
        foreach ($c in $commands) { $c.ImplementingType.IsSubclassOf([ModelRegistry.Cmdlets.ModelRegistryCmdlet]) | Should -BeTrue -Because $c.Name }
    }

    It 'brings every view of Formats/ModelRegistry.format.ps1xml without a format file to parse at import' {
        # FormatsToProcess made PowerShell parse the XML at every import; the views are compiled in instead.
        $null = Get-MRRegistry   # the first command adds them
        (Get-Module ModelRegistry).ExportedFormatFiles | Should -BeNullOrEmpty
        $source = [xml](Get-Content -Raw (Join-Path $PSScriptRoot '../../src/ModelRegistry/Formats/ModelRegistry.format.ps1xml'))
        foreach ($view in $source.Configuration.ViewDefinitions.View) {
            $data = Get-FormatData -TypeName $view.ViewSelectedBy.TypeName
            $data | Should -Not -BeNullOrEmpty -Because $view.Name
            $data.FormatViewDefinition.Name | Should -Contain $view.Name
        }
        $table = Get-MRProject (Join-Path $PSScriptRoot '../../.env.shared.example') | Out-String -Width 200
        $table | Should -Match 'GroupName\s+Team\s+Project\s+Description'
    }

    It 'does not import twice the views of a session that already has them' {
        Import-Module $manifestPath -Force
        $null = Get-MRRegistry
        @(Get-FormatData -TypeName ModelRegistry.ModelVersion).Count | Should -Be 1
        $source = [xml](Get-Content -Raw (Join-Path $PSScriptRoot '../../src/ModelRegistry/Formats/ModelRegistry.format.ps1xml'))
        $defined = @($source.Configuration.ViewDefinitions.View | Where-Object { $_.ViewSelectedBy.TypeName -eq 'ModelRegistry.ModelVersion' }).Count
        @((Get-FormatData -TypeName ModelRegistry.ModelVersion).FormatViewDefinition).Count | Should -Be $defined
    }

    It 'stops the build on a view element it cannot compile, naming it, rather than losing the view' {
        $xml = Join-Path $TestDrive 'wide.format.ps1xml'
        Set-Content $xml '<Configuration><ViewDefinitions><View><Name>W</Name><ViewSelectedBy><TypeName>X</TypeName></ViewSelectedBy><WideControl /></View></ViewDefinitions></Configuration>'
        { & (Join-Path $PSScriptRoot '../../build/New-FormatSource.ps1') -Path $xml -OutFile (Join-Path $TestDrive 'w.cs') } |
            Should -Throw -ExpectedMessage "*view 'W': <WideControl>*"
    }

    It 'uses approved verbs only' {
        $approved = (Get-Verb).Verb
        foreach ($c in $commands) { $approved | Should -Contain $c.Verb -Because $c.Name }
    }

    It 'loads AWSSDK.Core in its own load context, not the default one' {
        $null = Get-MRRegistry
        Get-MRModelGroup -Registry ([ModelRegistry.RegistryConnection]@{ Backend = 'Local'; LocalPath = (Join-Path $TestDrive 'alc') }) | Out-Null
        $default = [System.Runtime.Loader.AssemblyLoadContext]::Default.Assemblies.GetName().Name
        $default | Should -Not -Contain 'AWSSDK.Core'
        $default | Should -Not -Contain 'ModelRegistry.Engine'
        $default | Should -Contain 'ModelRegistry.Domain'
        $private = [System.Runtime.Loader.AssemblyLoadContext]::All | Where-Object Name -eq 'ModelRegistry.Dependencies'
        $private.Assemblies.GetName().Name | Should -Contain 'ModelRegistry.Engine'
    }

    Context 'help for <_.Name>' -ForEach $commandsAtDiscovery {
        BeforeAll { $script:help = Get-Help $_.Name -Full }
        It 'has a synopsis, a description and an example' {
            $help.Synopsis | Should -Not -BeNullOrEmpty
            $help.Synopsis | Should -Not -Match '^\s*\S+ \[' # not the auto-generated syntax line
            ($help.description.Text -join ' ') | Should -Not -BeNullOrEmpty
            @($help.examples.example).Count | Should -BeGreaterThan 0
            $help.examples.example[0].code | Should -Match $_.Name.Split('-')[1].Substring(0, 2)
        }
        It 'describes every parameter' {
            $common = [System.Management.Automation.Cmdlet]::CommonParameters + [System.Management.Automation.Cmdlet]::OptionalCommonParameters
            foreach ($p in $_.Parameters.Keys | Where-Object { $common -notcontains $_ }) {
                $entry = $help.parameters.parameter | Where-Object name -eq $p
                ($entry.description.Text -join ' ') | Should -Not -BeNullOrEmpty -Because "-$p needs help"
            }
        }
    }

    Context 'help syntax and sections for <_.Name>' -ForEach $commandsAtDiscovery {
        It 'names real types and has INPUTS and OUTPUTS' {
            $full = Get-Help $_.Name -Full
            ($full | Out-String -Width 250) | Should -Not -Match 'Nullable`1|`1'
            @($full.inputTypes.inputType).Count | Should -BeGreaterThan 0
            @($full.returnValues.returnValue).Count | Should -BeGreaterThan 0
        }
    }

    It 'shows default values, types as written and what binds from the pipeline' {
        (Get-Help Approve-MRModelVersion -Parameter ThrottleLimit).defaultValue | Should -Be '16'
        (Get-Help Get-MRModelVersion -Full | Out-String -Width 250) | Should -Match '-Status <ApprovalStatus>'
        (Get-Help Approve-MRModelVersion).inputTypes.inputType.type.name | Should -Contain 'ModelRegistry.ModelVersion'
        (Get-Help Get-MRModelVersion).returnValues.returnValue.type.name | Should -Contain 'ModelRegistry.ModelVersion'
    }

    It 'runs its per-cmdlet help checks for every exported cmdlet' {
        # Guards the discovery fix above: one help context per cmdlet, not zero.
        @($commandsAtDiscovery).Count | Should -Be @($commands).Count
    }

    It 'uses no internal words in any help text: no "seed" in any cmdlet''s full help or in about_ModelRegistry' {
        $texts = @(foreach ($c in $commands) { [pscustomobject]@{ Name = $c.Name; Text = Get-Help $c.Name -Full | Out-String -Width 300 } }) +
            [pscustomobject]@{ Name = 'about_ModelRegistry'; Text = Get-Help about_ModelRegistry | Out-String -Width 300 }
        $offending = @($texts | Where-Object { $_.Text -match '(?i)\bseed' } |
            ForEach-Object { "$($_.Name): $(([regex]::Matches($_.Text, '(?i).{0,40}\bseed.{0,40}') | ForEach-Object Value) -join ' | ')" })
        $offending | Should -BeNullOrEmpty
    }

    It 'has an about_ModelRegistry topic' {
        (Get-Help about_ModelRegistry | Out-String) | Should -Match 'Connect-MRRegistry -Local'
    }
}
