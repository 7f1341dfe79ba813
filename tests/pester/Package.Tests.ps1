# build.ps1 Package's check, on the module this test run built: publish to a local file repository,
# Install-PSResource into a sandboxed HOME, import the installed copy and run it.
BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
}

Describe 'The package' {
    It 'is a versioned .nupkg that Install-PSResource installs from a local repository, and the installed module works' {
        $module = Split-Path (Get-TestModulePath)
        $nupkg = & (Join-Path (Get-RepoRoot) 'build/Package.ps1') -ModulePath $module -OutDirectory (Join-Path $TestDrive 'package') 6>$null
        $version = (Test-ModuleManifest (Get-TestModulePath)).Version
        $nupkg.Name | Should -Be "ModelRegistry.$version.nupkg"
        # The .nupkg carries the manifest metadata users see in the gallery views.
        Add-Type -AssemblyName System.IO.Compression.FileSystem
        $zip = [System.IO.Compression.ZipFile]::OpenRead($nupkg.FullName)
        try {
            $nuspec = $zip.Entries | Where-Object FullName -eq 'ModelRegistry.nuspec'
            $reader = [System.IO.StreamReader]::new($nuspec.Open())
            $text = $reader.ReadToEnd(); $reader.Dispose()
            $zip.Entries.FullName | Should -Contain 'net8.0/Dependencies/AWSSDK.Core.dll'
            $zip.Entries.FullName | Should -Contain 'en-US/ModelRegistry.dll-Help.xml'
        }
        finally { $zip.Dispose() }
        $text | Should -Match '<description>Amazon SageMaker Model Registry'
        $text | Should -Match '<tags>.*SageMaker'
        $text | Should -Match '<releaseNotes>'
    }
}
