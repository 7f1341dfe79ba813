#Requires -Version 7.0
<#
.SYNOPSIS
    Turns the module's views (Formats/ModelRegistry.format.ps1xml, the one place they are written) into C# that
    builds the same views as format-data objects, compiled into the bridge assembly (an MSBuild step).
.DESCRIPTION
    A format file named in the manifest is parsed as XML by PowerShell at every import — the largest part of the
    import time that was not PowerShell's own. Objects built in code load the way PowerShell's built-in views
    do, without XML. Supports what views here use: table views (headers with label, width and alignment;
    property and script-block columns; group-by a property or a script block) and list views (items with an
    optional label). Anything else stops the build with the element's name, so a view is never silently lost.
#>
[CmdletBinding()]
param(
    [Parameter(Mandatory)] [string] $Path,
    [Parameter(Mandatory)] [string] $OutFile
)

$ErrorActionPreference = 'Stop'
Set-StrictMode -Version 3.0

function Fail([string] $View, [string] $What) { throw "$Path, view '$View': $What is not supported by build/New-FormatSource.ps1 (extend it, or the view would be lost)." }
function Lit([string] $s) { if ($null -eq $s) { 'null' } else { '@"' + $s.Replace('"', '""') + '"' } }
function Assert-Only([Xml.XmlElement] $Element, [string[]] $Allowed, [string] $View) {
    foreach ($c in $Element.ChildNodes) {
        if ($c.NodeType -eq 'Element' -and $c.LocalName -notin $Allowed) { Fail $View "<$($c.LocalName)> in <$($Element.LocalName)>" }
    }
}
function Get-Text([Xml.XmlElement] $Element, [string] $Name) {
    $n = $Element.SelectSingleNode($Name)
    if ($n) { $n.InnerText } else { $null }
}
function Get-Alignment([Xml.XmlElement] $Element) {
    $a = Get-Text $Element 'Alignment'
    if ($a) { "Alignment.$a" } else { 'Alignment.Undefined' }
}
# A column or item shows a property or the value of a script block: the builder call for either.
function Get-Value([Xml.XmlElement] $Element, [string] $View) {
    $p = Get-Text $Element 'PropertyName'; $s = Get-Text $Element 'ScriptBlock'
    if ($p -and -not $s) { return @{ Kind = 'Property'; Text = $p } }
    if ($s -and -not $p) { return @{ Kind = 'ScriptBlock'; Text = $s } }
    Fail $View "<$($Element.LocalName)> without exactly one of PropertyName/ScriptBlock"
}

$xml = [xml](Get-Content -Raw -LiteralPath $Path)
$views = [Collections.Generic.List[string]]::new()
foreach ($view in $xml.Configuration.ViewDefinitions.View) {
    $name = $view.Name
    Assert-Only $view 'Name', 'ViewSelectedBy', 'TableControl', 'ListControl', 'GroupBy' $name
    Assert-Only $view.ViewSelectedBy 'TypeName' $name
    $types = @($view.ViewSelectedBy.SelectNodes('TypeName') | ForEach-Object InnerText)
    if ($types.Count -ne 1) { Fail $name 'selecting by other than exactly one TypeName' }

    $group = ''
    $groupBy = $view.SelectSingleNode('GroupBy')
    if ($groupBy) {
        Assert-Only $groupBy 'PropertyName', 'ScriptBlock', 'Label' $name
        $g = Get-Value $groupBy $name
        $label = Get-Text $groupBy 'Label'
        $group = if ($g.Kind -eq 'Property') { "`n                .GroupByProperty($(Lit $g.Text), null, $(Lit $label))" }
        else { "`n                .GroupByScriptBlock($(Lit $g.Text), null, $(Lit $label))" }
    }

    $table = $view.SelectSingleNode('TableControl'); $list = $view.SelectSingleNode('ListControl')
    if ($table) {
        Assert-Only $table 'TableHeaders', 'TableRowEntries' $name
        $b = [Text.StringBuilder]::new("TableControl.Create(false, false, false)$group")
        foreach ($h in $table.TableHeaders.SelectNodes('TableColumnHeader')) {
            Assert-Only $h 'Label', 'Width', 'Alignment' $name
            $width = Get-Text $h 'Width'; if (-not $width) { $width = '0' }
            [void]$b.Append("`n                .AddHeader($(Get-Alignment $h), $([int]$width), $(Lit (Get-Text $h 'Label')))")
        }
        $rows = @($table.TableRowEntries.SelectNodes('TableRowEntry'))
        if ($rows.Count -ne 1) { Fail $name 'a table with other than one TableRowEntry' }
        Assert-Only $rows[0] 'TableColumnItems' $name
        [void]$b.Append("`n                .StartRowDefinition(false, null, null)")
        foreach ($c in $rows[0].TableColumnItems.SelectNodes('TableColumnItem')) {
            Assert-Only $c 'PropertyName', 'ScriptBlock', 'Alignment' $name
            $v = Get-Value $c $name
            $call = if ($v.Kind -eq 'Property') { 'AddPropertyColumn' } else { 'AddScriptBlockColumn' }
            [void]$b.Append("`n                    .$call($(Lit $v.Text), $(Get-Alignment $c), null)")
        }
        [void]$b.Append("`n                .EndRowDefinition()`n                .EndTable()")
        $control = $b.ToString()
    }
    elseif ($list) {
        if ($group) { Fail $name 'GroupBy on a list view' }
        Assert-Only $list 'ListEntries' $name
        $entries = @($list.ListEntries.SelectNodes('ListEntry'))
        if ($entries.Count -ne 1) { Fail $name 'a list with other than one ListEntry' }
        Assert-Only $entries[0] 'ListItems' $name
        $b = [Text.StringBuilder]::new('ListControl.Create(false)')
        [void]$b.Append("`n                .StartEntry(null, null)")
        foreach ($i in $entries[0].ListItems.SelectNodes('ListItem')) {
            Assert-Only $i 'PropertyName', 'ScriptBlock', 'Label' $name
            $v = Get-Value $i $name
            $call = if ($v.Kind -eq 'Property') { 'AddItemProperty' } else { 'AddItemScriptBlock' }
            [void]$b.Append("`n                    .$call($(Lit $v.Text), $(Lit (Get-Text $i 'Label')), null)")
        }
        [void]$b.Append("`n                .EndEntry()`n                .EndList()")
        $control = $b.ToString()
    }
    else { Fail $name 'a view that is neither a table nor a list' }

    $views.Add("            yield return View($(Lit $types[0]), $(Lit $name),`n                $control);")
}

$source = @"
// <auto-generated>
// Built from $(Split-Path -Leaf $Path) by build/New-FormatSource.ps1 at build time; edit the .ps1xml, not this.
// </auto-generated>
using System.Collections.Generic;
using System.Management.Automation;

namespace ModelRegistry.Hosting
{
    internal static partial class ModuleViews
    {
        private static IEnumerable<ExtendedTypeDefinition> Build()
        {
$($views -join "`n")
        }
    }
}
"@
$dir = Split-Path $OutFile
if ($dir) { New-Item -ItemType Directory -Force $dir | Out-Null }
# Rewrite only on change, so an unchanged view file does not recompile the assembly.
if (-not (Test-Path $OutFile) -or (Get-Content -Raw $OutFile) -ne $source) { Set-Content -LiteralPath $OutFile -Value $source -NoNewline }
