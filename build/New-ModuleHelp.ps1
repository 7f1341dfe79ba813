#Requires -Version 7.0
<#
.SYNOPSIS
    Writes the module's MAML help from one source: the cmdlets' XML doc comments.
.DESCRIPTION
    platyPS is not available here, so the build writes MAML itself. Text comes from the compiler's
    documentation file (class summary: <para type="synopsis">, <para type="description">, <example> with
    <code> and <para>; each parameter property's <summary>); syntax, types, positions and pipeline
    binding come from the cmdlets' own metadata (Get-Command), so help cannot drift from the code.
    A cmdlet or parameter without text fails the build.
#>
param(
    [Parameter(Mandatory)] [string] $ModulePath,
    [Parameter(Mandatory)] [string] $DocumentationXml,
    [string] $AboutTopic
)
$ErrorActionPreference = 'Stop'
Set-StrictMode -Version 3.0

$docs = @{}
foreach ($member in ([xml](Get-Content -Raw $DocumentationXml)).doc.members.member) { $docs[$member.name] = $member }

function Get-Text([System.Xml.XmlNode] $node) {
    if ($null -eq $node) { return '' }
    (($node.InnerText -replace '\s+', ' ').Trim())
}

function Get-PropertyDoc([type] $type, [string] $property) {
    for ($t = $type; $null -ne $t; $t = $t.BaseType) {
        $m = $docs["P:$($t.FullName).$property"]
        if ($m) { return Get-Text $m.SelectSingleNode('summary') }
    }
    ''
}

# A type as a reader writes it: ApprovalStatus, not Nullable`1; String[]; Dictionary[String, String].
function Get-TypeName([type] $type) {
    $inner = [Nullable]::GetUnderlyingType($type)
    if ($inner) { return Get-TypeName $inner }
    if ($type.IsArray) { return (Get-TypeName $type.GetElementType()) + '[]' }
    if ($type.IsGenericType) {
        $name = $type.Name.Substring(0, $type.Name.IndexOf('`'))
        return "$name[$((@($type.GetGenericArguments() | ForEach-Object { Get-TypeName $_ })) -join ', ')]"
    }
    $type.Name
}

# What a parameter is when it is not given, read from a new instance of the cmdlet; null when it has no telling default.
function Get-DefaultValue($instance, [string] $name) {
    $property = $instance.GetType().GetProperty($name)
    if (-not $property -or $property.PropertyType -eq [System.Management.Automation.SwitchParameter]) { return $null }
    $value = $property.GetValue($instance)
    if ($null -eq $value -or ($value -is [string] -and $value -eq '') -or ($value -is [array] -and $value.Count -eq 0)) { return $null }
    if (($value -is [bool] -and -not $value) -or ($value -is [int] -and $value -eq 0)) { return $null }
    if ($value -is [array]) { return $value -join ', ' }
    if ($value -is [timespan]) { return "$([int]$value.TotalSeconds) seconds" }
    "$value"
}

$common = [System.Management.Automation.Cmdlet]::CommonParameters + [System.Management.Automation.Cmdlet]::OptionalCommonParameters
$manifest = Join-Path $ModulePath 'ModelRegistry.psd1'
$module = Import-Module $manifest -PassThru -Force
$problems = [System.Collections.Generic.List[string]]::new()
try {
    $settings = [System.Xml.XmlWriterSettings]@{ Indent = $true; Encoding = [System.Text.UTF8Encoding]::new($false) }
    $helpFolder = Join-Path $ModulePath 'en-US'
    New-Item -ItemType Directory -Force $helpFolder | Out-Null
    $writer = [System.Xml.XmlWriter]::Create((Join-Path $helpFolder 'ModelRegistry.dll-Help.xml'), $settings)
    $maml = 'http://schemas.microsoft.com/maml/2004/10'
    $command = 'http://schemas.microsoft.com/maml/dev/command/2004/10'
    $dev = 'http://schemas.microsoft.com/maml/dev/2004/10'
    $writer.WriteStartDocument()
    $writer.WriteStartElement('helpItems'); $writer.WriteAttributeString('schema', 'maml')
    $writer.WriteAttributeString('xmlns', 'maml', $null, $maml)
    $writer.WriteAttributeString('xmlns', 'command', $null, $command)
    $writer.WriteAttributeString('xmlns', 'dev', $null, $dev)

    function Write-Para([string] $text) {
        $writer.WriteStartElement('maml', 'description', $maml)
        foreach ($p in ($text -split "`n")) { $writer.WriteElementString('maml', 'para', $maml, $p) }
        $writer.WriteEndElement()
    }

    foreach ($cmd in Get-Command -Module $module.Name -CommandType Cmdlet | Sort-Object Name) {
        $type = $cmd.ImplementingType
        $doc = $docs["T:$($type.FullName)"]
        $summary = if ($doc) { $doc.SelectSingleNode('summary') } else { $null }
        $synopsis = if ($summary) { Get-Text $summary.SelectSingleNode("para[@type='synopsis']") } else { '' }
        $description = if ($summary) { Get-Text $summary.SelectSingleNode("para[@type='description']") } else { '' }
        $examples = @(if ($summary) { $summary.SelectNodes('example') })
        if (-not $synopsis) { $problems.Add("$($cmd.Name): no synopsis") }
        if (-not $description) { $problems.Add("$($cmd.Name): no description") }
        if ($examples.Count -eq 0) { $problems.Add("$($cmd.Name): no example") }

        $writer.WriteStartElement('command', 'command', $command)
        $writer.WriteStartElement('command', 'details', $command)
        $writer.WriteElementString('command', 'name', $command, $cmd.Name)
        $writer.WriteElementString('command', 'verb', $command, $cmd.Verb)
        $writer.WriteElementString('command', 'noun', $command, $cmd.Noun)
        Write-Para $synopsis
        $writer.WriteEndElement()
        Write-Para $description

        $parameters = $cmd.Parameters.Values | Where-Object { $common -notcontains $_.Name } | Sort-Object Name
        $writer.WriteStartElement('command', 'syntax', $command)
        foreach ($set in $cmd.ParameterSets) {
            $writer.WriteStartElement('command', 'syntaxItem', $command)
            $writer.WriteElementString('maml', 'name', $maml, $cmd.Name)
            foreach ($sp in $set.Parameters | Where-Object { $common -notcontains $_.Name }) {
                $writer.WriteStartElement('command', 'parameter', $command)
                $writer.WriteAttributeString('required', "$($sp.IsMandatory)".ToLower())
                $writer.WriteAttributeString('position', $(if ($sp.Position -ge 0) { "$($sp.Position)" } else { 'named' }))
                $writer.WriteElementString('maml', 'name', $maml, $sp.Name)
                if ($sp.ParameterType -ne [System.Management.Automation.SwitchParameter]) {
                    $writer.WriteStartElement('command', 'parameterValue', $command)
                    $writer.WriteAttributeString('required', 'true')
                    $writer.WriteString((Get-TypeName $sp.ParameterType))
                    $writer.WriteEndElement()
                }
                $writer.WriteEndElement()
            }
            $writer.WriteEndElement()
        }
        $writer.WriteEndElement()

        $instance = [Activator]::CreateInstance($cmd.ImplementingType)
        $writer.WriteStartElement('command', 'parameters', $command)
        foreach ($p in $parameters) {
            $text = Get-PropertyDoc $type $p.Name
            if (-not $text) { $problems.Add("$($cmd.Name) -$($p.Name): no description") }
            $attrs = @($p.ParameterSets.Values)
            $byValue = $attrs | Where-Object ValueFromPipeline
            $byName = $attrs | Where-Object ValueFromPipelineByPropertyName
            $pipeline = @(if ($byValue) { 'ByValue' }; if ($byName) { 'ByPropertyName' }) -join ', '
            $positioned = $attrs | Where-Object { $_.Position -ge 0 } | Select-Object -First 1
            $position = if ($positioned) { $positioned.Position } else { $null }
            $writer.WriteStartElement('command', 'parameter', $command)
            $writer.WriteAttributeString('required', "$([bool]($attrs | Where-Object IsMandatory))".ToLower())
            $writer.WriteAttributeString('globbing', "$([bool]($p.Attributes | Where-Object { $_ -is [System.Management.Automation.SupportsWildcardsAttribute] }))".ToLower())
            $writer.WriteAttributeString('pipelineInput', $(if ($pipeline) { "True ($pipeline)" } else { 'False' }))
            $writer.WriteAttributeString('position', $(if ($null -ne $position) { "$position" } else { 'named' }))
            $writer.WriteElementString('maml', 'name', $maml, $p.Name)
            Write-Para $text
            $writer.WriteStartElement('command', 'parameterValue', $command)
            $writer.WriteAttributeString('required', 'true')
            $writer.WriteString((Get-TypeName $p.ParameterType))
            $writer.WriteEndElement()
            $writer.WriteStartElement('dev', 'type', $dev)
            $writer.WriteElementString('maml', 'name', $maml, (Get-TypeName $p.ParameterType))
            $writer.WriteEndElement()
            $default = if ($attrs | Where-Object IsMandatory) { $null } else { Get-DefaultValue $instance $p.Name }
            if ($null -ne $default) { $writer.WriteElementString('dev', 'defaultValue', $dev, $default) }
            $writer.WriteEndElement()
        }
        $writer.WriteEndElement()

        # INPUTS: what binds from the pipeline — whole objects by value, and properties by name.
        $writer.WriteStartElement('command', 'inputTypes', $command)
        $byValueTypes = @($parameters | Where-Object { @($_.ParameterSets.Values | Where-Object ValueFromPipeline).Count -gt 0 } |
            ForEach-Object { $_.ParameterType } | Sort-Object FullName -Unique)
        $byNameParameters = @($parameters | Where-Object { @($_.ParameterSets.Values | Where-Object ValueFromPipelineByPropertyName).Count -gt 0 } | ForEach-Object Name)
        foreach ($t in $byValueTypes) {
            $writer.WriteStartElement('command', 'inputType', $command)
            $writer.WriteStartElement('dev', 'type', $dev)
            $element = if ($t.IsArray) { $t.GetElementType() } else { $t }
            $writer.WriteElementString('maml', 'name', $maml, $element.FullName)
            $writer.WriteEndElement()
            Write-Para "Piped objects of this type."
            $writer.WriteEndElement()
        }
        if ($byNameParameters.Count -gt 0) {
            $writer.WriteStartElement('command', 'inputType', $command)
            $writer.WriteStartElement('dev', 'type', $dev)
            $writer.WriteElementString('maml', 'name', $maml, 'Any object with these properties')
            $writer.WriteEndElement()
            Write-Para "Bound by property name: $($byNameParameters -join ', ')."
            $writer.WriteEndElement()
        }
        if ($byValueTypes.Count -eq 0 -and $byNameParameters.Count -eq 0) {
            $writer.WriteStartElement('command', 'inputType', $command)
            $writer.WriteStartElement('dev', 'type', $dev)
            $writer.WriteElementString('maml', 'name', $maml, 'None')
            $writer.WriteEndElement()
            Write-Para 'Nothing is taken from the pipeline.'
            $writer.WriteEndElement()
        }
        $writer.WriteEndElement()

        $writer.WriteStartElement('command', 'returnValues', $command)
        foreach ($o in $cmd.OutputType) {
            $writer.WriteStartElement('command', 'returnValue', $command)
            $writer.WriteStartElement('dev', 'type', $dev)
            $writer.WriteElementString('maml', 'name', $maml, $o.Type.FullName ?? $o.Name)
            $writer.WriteEndElement()
            $writer.WriteEndElement()
        }
        $writer.WriteEndElement()

        $writer.WriteStartElement('command', 'examples', $command)
        $i = 0
        foreach ($e in $examples) {
            $i++
            $writer.WriteStartElement('command', 'example', $command)
            $writer.WriteElementString('maml', 'title', $maml, "-------------------------- Example $i --------------------------")
            $writer.WriteElementString('dev', 'code', $dev, (Get-Text $e.SelectSingleNode('code')))
            $writer.WriteStartElement('dev', 'remarks', $dev)
            $writer.WriteElementString('maml', 'para', $maml, (Get-Text $e.SelectSingleNode('para')))
            $writer.WriteEndElement()
            $writer.WriteEndElement()
        }
        $writer.WriteEndElement()

        $writer.WriteStartElement('command', 'relatedLinks', $command)
        $writer.WriteStartElement('maml', 'navigationLink', $maml)
        $writer.WriteElementString('maml', 'linkText', $maml, 'about_ModelRegistry')
        $writer.WriteEndElement()
        $writer.WriteEndElement()
        $writer.WriteEndElement()
    }
    $writer.WriteEndElement()
    $writer.WriteEndDocument()
    $writer.Dispose()
    if ($AboutTopic) { Copy-Item $AboutTopic $helpFolder }
}
finally {
    Remove-Module $module -Force -ErrorAction SilentlyContinue
}
if ($problems.Count -gt 0) {
    throw "Help is incomplete:`n  " + ($problems -join "`n  ")
}
