<#
.SYNOPSIS
    Compiles the markdown help in docs/<culture>/ into the files Get-Help reads.
.DESCRIPTION
    Dot-source this file, then call Build-ModuleHelp. Every cmdlet page (Verb-Noun.md) becomes one
    command:command element of a single MAML file; every about_*.md becomes about_*.help.txt.
    The XML is written with System.Xml.XmlWriter, so every value is escaped.

    Cmdlet page rules (a small subset of the PlatyPS layout):

      # Verb-Noun                     first heading: the command name
      ## SYNOPSIS                     one paragraph
      ## DESCRIPTION                  paragraphs separated by blank lines; "- " lines are list items;
                                      a fenced block is kept verbatim
      ## EXAMPLES
      ### Example 1: Title            one ```powershell block (the code), then paragraphs (the remarks)
      ## PARAMETERS
      ### -Name                       paragraphs (the description), then one ```yaml block with:
          Type: String                      the type shown in the syntax; SwitchParameter for switches
          Parameter Sets: (All)             or set names separated by commas; one syntax block per set,
                                            in the order the sets first appear (list the default set first)
          Aliases: wi                       optional, separated by commas
          Accepted values: Stop, Continue   optional
          Required: True | False
          Position: 0 | Named
          Default value: None
          Accept pipeline input: False | True (ByValue) | True (ByPropertyName)
          Accept wildcard characters: True | False
      ## INPUTS, ## OUTPUTS           ### TypeName, then paragraphs
      ## NOTES                        paragraphs
      ## RELATED LINKS                "- [Text](uri)" or "- Text" lines

    In prose, backticks and ** are dropped and [text](link) keeps only its text.

    About topic rules: "# about_Name", then "## SHORT DESCRIPTION", "## LONG DESCRIPTION" and any other
    "## Section" (printed upper-case), "### Subsection", paragraphs, "- " list items and fenced blocks.
    The text file is wrapped at 80 columns; fenced blocks are kept verbatim.
#>

Set-StrictMode -Version Latest

$script:MamlNamespaces = [ordered]@{
    maml    = 'http://schemas.microsoft.com/maml/2004/10'
    command = 'http://schemas.microsoft.com/maml/dev/command/2004/10'
    dev     = 'http://schemas.microsoft.com/maml/dev/2004/10'
}

function ConvertTo-PlainText([string] $Text) {
    $t = $Text -replace '\[([^\]]+)\]\([^)]*\)', '$1'
    $t = $t -replace '\*\*', ''
    return $t -replace '`', ''
}

function Split-MarkdownBlock {
    # Lines -> blocks: Kind ('Para', 'Item' or 'Code'), Text, and for code Language and Lines.
    param([string[]] $Lines)
    $blocks = [System.Collections.Generic.List[object]]::new()
    $para = [System.Collections.Generic.List[string]]::new()
    $code = $null
    $flush = {
        if ($para.Count -gt 0) {
            $kind = if ($para[0] -match '^\s*[-*] ') { 'Item' } else { 'Para' }
            $text = ($para | ForEach-Object { $_.Trim() }) -join ' '
            if ($kind -eq 'Item') { $text = $text -replace '^[-*] ', '' }
            $blocks.Add([pscustomobject]@{ Kind = $kind; Text = (ConvertTo-PlainText $text); Language = ''; Lines = $null })
            $para.Clear()
        }
    }
    foreach ($line in $Lines) {
        if ($null -ne $code) {
            if ($line -match '^```\s*$') { $blocks.Add($code); $code = $null }
            else { $code.Lines.Add($line) }
            continue
        }
        if ($line -match '^```(\S*)') {
            & $flush
            $code = [pscustomobject]@{ Kind = 'Code'; Text = ''; Language = $Matches[1]; Lines = [System.Collections.Generic.List[string]]::new() }
        }
        elseif ($line.Trim() -eq '') { & $flush }
        elseif ($line -match '^\s*[-*] ' -and $para.Count -gt 0) { & $flush; $para.Add($line) }
        else { $para.Add($line) }
    }
    if ($null -ne $code) { throw "A fenced block is not closed: $($code.Lines[0])" }
    & $flush
    foreach ($b in $blocks) { if ($b.Kind -eq 'Code') { $b.Text = $b.Lines -join "`n" } }
    return $blocks.ToArray()
}

function Split-MarkdownSection {
    # Splits lines on headings of one level (outside fenced blocks): ordered Title -> lines.
    param([string[]] $Lines, [int] $Level)
    $prefix = ('#' * $Level) + ' '
    $sections = [ordered]@{}
    $current = ''
    $sections[$current] = [System.Collections.Generic.List[string]]::new()
    $inCode = $false
    foreach ($line in $Lines) {
        if ($line -match '^```') { $inCode = -not $inCode }
        if (-not $inCode -and $line.StartsWith($prefix)) {
            $current = $line.Substring($prefix.Length).Trim()
            if ($sections.Contains($current)) { throw "Heading '$line' appears twice." }
            $sections[$current] = [System.Collections.Generic.List[string]]::new()
        }
        else { $sections[$current].Add($line) }
    }
    return $sections
}

function ConvertFrom-HelpMarkdown {
    # One cmdlet page -> a hashtable the MAML writer reads.
    param([Parameter(Mandatory)] [string] $Path)
    $lines = [IO.File]::ReadAllLines($Path)
    $top = Split-MarkdownSection $lines 1
    $names = @($top.Keys | Where-Object { $_ -ne '' })
    if ($names.Count -ne 1 -or $names[0] -notmatch '^(\w+)-(\w+)$') { throw "$Path must start with '# Verb-Noun'." }
    $name = $names[0]
    $sections = Split-MarkdownSection $top[$name] 2
    foreach ($required in 'SYNOPSIS', 'DESCRIPTION', 'EXAMPLES', 'PARAMETERS') {
        if (-not $sections.Contains($required)) { throw "$Path has no '## $required' section." }
    }
    $section = { param($title) if ($sections.Contains($title)) { Split-MarkdownBlock $sections[$title] } }

    $synopsis = @(& $section 'SYNOPSIS' | Where-Object Kind -ne 'Code')
    if ($synopsis.Count -ne 1) { throw "${Path}: the synopsis must be one paragraph." }

    $examples = foreach ($entry in (Split-MarkdownSection $sections['EXAMPLES'] 3).GetEnumerator()) {
        if ($entry.Key -eq '') { continue }
        $blocks = @(Split-MarkdownBlock $entry.Value)
        $code = @($blocks | Where-Object Kind -eq 'Code')
        if ($code.Count -lt 1) { throw "$Path, '$($entry.Key)': an example needs a fenced code block." }
        @{ Title = $entry.Key; Code = $code[0].Text; Remarks = @($blocks | Where-Object { $_ -ne $code[0] }) }
    }

    $parameters = foreach ($entry in (Split-MarkdownSection $sections['PARAMETERS'] 3).GetEnumerator()) {
        if ($entry.Key -eq '') { continue }
        if ($entry.Key -notmatch '^-(\w+)$') { throw "${Path}: parameter heading '### $($entry.Key)' must be '### -Name'." }
        $parameterName = $Matches[1]
        $blocks = @(Split-MarkdownBlock $entry.Value)
        $yaml = @($blocks | Where-Object { $_.Kind -eq 'Code' -and $_.Language -eq 'yaml' })
        if ($yaml.Count -ne 1) { throw "$Path, -${parameterName}: needs exactly one yaml block." }
        $fields = @{}
        foreach ($line in $yaml[0].Lines) {
            if ($line -match '^\s*([A-Za-z ]+):\s*(.*)$') { $fields[$Matches[1].Trim()] = $Matches[2].Trim() }
        }
        foreach ($key in 'Type', 'Required', 'Position', 'Default value', 'Accept pipeline input', 'Accept wildcard characters') {
            if (-not $fields.ContainsKey($key)) { throw "$Path, -${parameterName}: the yaml block has no '$key'." }
        }
        $description = @($blocks | Where-Object { $_ -ne $yaml[0] })
        if ($description.Count -eq 0) { throw "$Path, -${parameterName}: the parameter has no description." }
        $split = { param($v) @(if ($v) { $v -split ',' | ForEach-Object Trim | Where-Object { $_ } }) }
        $sets = @(& $split $fields['Parameter Sets'])
        @{
            Name        = $parameterName
            Description = $description
            Type        = $fields['Type']
            Sets        = @(if ($sets -notcontains '(All)') { $sets })
            Aliases     = @(& $split $fields['Aliases'])
            Accepted    = @(& $split $fields['Accepted values'])
            Required    = $fields['Required'] -eq 'True'
            Position    = $fields['Position']
            Default     = $fields['Default value']
            Pipeline    = $fields['Accept pipeline input']
            Globbing    = $fields['Accept wildcard characters'] -eq 'True'
        }
    }

    $typed = {
        param($title)
        if (-not $sections.Contains($title)) { return }
        foreach ($entry in (Split-MarkdownSection $sections[$title] 3).GetEnumerator()) {
            if ($entry.Key -ne '') { @{ Type = $entry.Key; Description = @(Split-MarkdownBlock $entry.Value) } }
        }
    }
    $links = foreach ($line in @($sections['RELATED LINKS'] | Where-Object { $_ -match '^\s*[-*] ' })) {
        $item = $line -replace '^\s*[-*] ', ''
        if ($item -match '^\[([^\]]+)\]\(([^)]*)\)') {
            $text, $target = $Matches[1], $Matches[2]
            @{ Text = $text; Uri = if ($target -match '^https?://') { $target } else { '' } }
        }
        else { @{ Text = $item.Trim(); Uri = '' } }
    }

    return @{
        Name        = $name
        Verb        = $name.Split('-')[0]
        Noun        = $name.Split('-')[1]
        Synopsis    = $synopsis[0].Text
        Description = @(& $section 'DESCRIPTION')
        Examples    = @($examples)
        Parameters  = @($parameters)
        Inputs      = @(& $typed 'INPUTS')
        Outputs     = @(& $typed 'OUTPUTS')
        Notes       = @(& $section 'NOTES')
        Links       = @($links)
    }
}

function Write-MamlPara {
    param([System.Xml.XmlWriter] $Writer, [object[]] $Blocks)
    foreach ($block in $Blocks) {
        $text = switch ($block.Kind) {
            'Item' { '- ' + $block.Text }
            'Code' { ($block.Lines | ForEach-Object { '    ' + $_ }) -join "`n" }
            default { $block.Text }
        }
        $Writer.WriteElementString('maml', 'para', $script:MamlNamespaces.maml, $text)
    }
}

function Write-MamlDescription {
    param([System.Xml.XmlWriter] $Writer, [object[]] $Blocks)
    $Writer.WriteStartElement('maml', 'description', $script:MamlNamespaces.maml)
    Write-MamlPara $Writer $Blocks
    $Writer.WriteEndElement()
}

function Write-MamlType {
    param([System.Xml.XmlWriter] $Writer, [string] $Name)
    $Writer.WriteStartElement('dev', 'type', $script:MamlNamespaces.dev)
    $Writer.WriteElementString('maml', 'name', $script:MamlNamespaces.maml, $Name)
    $Writer.WriteElementString('maml', 'uri', $script:MamlNamespaces.maml, '')
    $Writer.WriteEndElement()
}

function Write-MamlParameter {
    param([System.Xml.XmlWriter] $Writer, [hashtable] $Parameter)
    $isSwitch = $Parameter.Type -eq 'SwitchParameter'
    $Writer.WriteStartElement('command', 'parameter', $script:MamlNamespaces.command)
    $Writer.WriteAttributeString('required', $Parameter.Required.ToString().ToLowerInvariant())
    $Writer.WriteAttributeString('variableLength', ($Parameter.Type -like '*`[`]').ToString().ToLowerInvariant())
    $Writer.WriteAttributeString('globbing', $Parameter.Globbing.ToString().ToLowerInvariant())
    $Writer.WriteAttributeString('pipelineInput', $Parameter.Pipeline)
    $Writer.WriteAttributeString('position', $(if ($Parameter.Position -match '^\d+$') { $Parameter.Position } else { 'named' }))
    $Writer.WriteAttributeString('aliases', $(if ($Parameter.Aliases.Count) { $Parameter.Aliases -join ', ' } else { 'none' }))
    $Writer.WriteElementString('maml', 'name', $script:MamlNamespaces.maml, $Parameter.Name)
    Write-MamlDescription $Writer $Parameter.Description
    if ($Parameter.Accepted.Count) {
        $Writer.WriteStartElement('command', 'parameterValueGroup', $script:MamlNamespaces.command)
        foreach ($value in $Parameter.Accepted) {
            $Writer.WriteStartElement('command', 'parameterValue', $script:MamlNamespaces.command)
            $Writer.WriteAttributeString('required', 'false')
            $Writer.WriteAttributeString('variableLength', 'false')
            $Writer.WriteString($value)
            $Writer.WriteEndElement()
        }
        $Writer.WriteEndElement()
    }
    if (-not $isSwitch) {
        $Writer.WriteStartElement('command', 'parameterValue', $script:MamlNamespaces.command)
        $Writer.WriteAttributeString('required', 'true')
        $Writer.WriteAttributeString('variableLength', 'false')
        $Writer.WriteString($Parameter.Type)
        $Writer.WriteEndElement()
    }
    Write-MamlType $Writer $Parameter.Type
    $Writer.WriteElementString('dev', 'defaultValue', $script:MamlNamespaces.dev, $Parameter.Default)
    $Writer.WriteEndElement()
}

function Write-MamlCommand {
    param([System.Xml.XmlWriter] $Writer, [hashtable] $Help)
    $ns = $script:MamlNamespaces
    $Writer.WriteStartElement('command', 'command', $ns.command)
    foreach ($prefix in $ns.Keys) { $Writer.WriteAttributeString('xmlns', $prefix, $null, $ns[$prefix]) }

    $Writer.WriteStartElement('command', 'details', $ns.command)
    $Writer.WriteElementString('command', 'name', $ns.command, $Help.Name)
    $Writer.WriteElementString('command', 'verb', $ns.command, $Help.Verb)
    $Writer.WriteElementString('command', 'noun', $ns.command, $Help.Noun)
    Write-MamlDescription $Writer @([pscustomobject]@{ Kind = 'Para'; Text = $Help.Synopsis })
    $Writer.WriteEndElement()

    Write-MamlDescription $Writer $Help.Description

    # One syntax block per parameter set; a parameter without sets belongs to all of them.
    $sets = @($Help.Parameters | ForEach-Object { $_.Sets } | Select-Object -Unique)
    if ($sets.Count -eq 0) { $sets = @('') }
    $Writer.WriteStartElement('command', 'syntax', $ns.command)
    foreach ($set in $sets) {
        $Writer.WriteStartElement('command', 'syntaxItem', $ns.command)
        $Writer.WriteElementString('maml', 'name', $ns.maml, $Help.Name)
        $members = @($Help.Parameters | Where-Object { $_.Sets.Count -eq 0 -or $_.Sets -contains $set })
        # Positional parameters first, by position; the rest as the page lists them.
        $ordered = @($members | Where-Object { $_.Position -match '^\d+$' } | Sort-Object { [int] $_.Position }) +
            @($members | Where-Object { $_.Position -notmatch '^\d+$' })
        foreach ($parameter in $ordered) { Write-MamlParameter $Writer $parameter }
        $Writer.WriteEndElement()
    }
    $Writer.WriteEndElement()

    $Writer.WriteStartElement('command', 'parameters', $ns.command)
    foreach ($parameter in $Help.Parameters) { Write-MamlParameter $Writer $parameter }
    $Writer.WriteEndElement()

    foreach ($kind in @(@('inputTypes', 'inputType', $Help.Inputs), @('returnValues', 'returnValue', $Help.Outputs))) {
        $Writer.WriteStartElement('command', $kind[0], $ns.command)
        foreach ($entry in $kind[2]) {
            $Writer.WriteStartElement('command', $kind[1], $ns.command)
            Write-MamlType $Writer $entry.Type
            Write-MamlDescription $Writer $entry.Description
            $Writer.WriteEndElement()
        }
        $Writer.WriteEndElement()
    }

    $Writer.WriteStartElement('maml', 'alertSet', $ns.maml)
    $Writer.WriteStartElement('maml', 'alert', $ns.maml)
    Write-MamlPara $Writer $Help.Notes
    $Writer.WriteEndElement()
    $Writer.WriteEndElement()

    $Writer.WriteStartElement('command', 'examples', $ns.command)
    foreach ($example in $Help.Examples) {
        $Writer.WriteStartElement('command', 'example', $ns.command)
        $Writer.WriteElementString('maml', 'title', $ns.maml, "---------- $($example.Title) ----------")
        $Writer.WriteElementString('dev', 'code', $ns.dev, $example.Code)
        $Writer.WriteStartElement('dev', 'remarks', $ns.dev)
        Write-MamlPara $Writer $example.Remarks
        $Writer.WriteEndElement()
        $Writer.WriteEndElement()
    }
    $Writer.WriteEndElement()

    $Writer.WriteStartElement('command', 'relatedLinks', $ns.command)
    foreach ($link in $Help.Links) {
        $Writer.WriteStartElement('maml', 'navigationLink', $ns.maml)
        $Writer.WriteElementString('maml', 'linkText', $ns.maml, $link.Text)
        $Writer.WriteElementString('maml', 'uri', $ns.maml, $link.Uri)
        $Writer.WriteEndElement()
    }
    $Writer.WriteEndElement()

    $Writer.WriteEndElement()
}

function Write-MamlHelp {
    # Every cmdlet page in $Source -> one MAML file.
    param([Parameter(Mandatory)] [string] $Source, [Parameter(Mandatory)] [string] $Destination)
    $pages = @(Get-ChildItem $Source -Filter '*-*.md' -File | Sort-Object Name)
    if ($pages.Count -eq 0) { throw "There is no cmdlet help in $Source." }
    $settings = [System.Xml.XmlWriterSettings]@{ Indent = $true; Encoding = [System.Text.UTF8Encoding]::new($false) }
    $writer = [System.Xml.XmlWriter]::Create($Destination, $settings)
    try {
        $writer.WriteStartDocument()
        $writer.WriteStartElement('helpItems', 'http://msh')
        $writer.WriteAttributeString('schema', 'maml')
        foreach ($page in $pages) { Write-MamlCommand $writer (ConvertFrom-HelpMarkdown $page.FullName) }
        $writer.WriteEndElement()
        $writer.WriteEndDocument()
    }
    finally {
        $writer.Dispose()
    }
}

function Format-Wrapped {
    # A paragraph wrapped at $Width columns, the first line prefixed by $First, the others by $Rest.
    param([string] $Text, [string] $First, [string] $Rest, [int] $Width = 80)
    $lines = [System.Collections.Generic.List[string]]::new()
    $line = $First
    $empty = $true
    foreach ($word in ($Text -split '\s+' | Where-Object { $_ })) {
        if (-not $empty -and $line.Length + 1 + $word.Length -gt $Width) {
            $lines.Add($line)
            $line = $Rest + $word
        }
        else { $line = if ($empty) { $line + $word } else { "$line $word" } }
        $empty = $false
    }
    $lines.Add($line)
    return $lines
}

function ConvertTo-AboutText {
    # An about_*.md page -> the plain text of about_*.help.txt.
    param([Parameter(Mandatory)] [string] $Path)
    $top = Split-MarkdownSection ([IO.File]::ReadAllLines($Path)) 1
    $names = @($top.Keys | Where-Object { $_ -ne '' })
    if ($names.Count -ne 1 -or $names[0] -notmatch '^about_\w+$') { throw "$Path must start with '# about_Name'." }
    $sections = Split-MarkdownSection $top[$names[0]] 2
    if (-not $sections.Contains('SHORT DESCRIPTION')) { throw "$Path has no '## SHORT DESCRIPTION'." }

    $out = [System.Collections.Generic.List[string]]::new()
    $out.Add('TOPIC')
    $out.Add('    ' + $names[0])
    foreach ($entry in $sections.GetEnumerator()) {
        if ($entry.Key -eq '') { continue }
        $out.Add('')
        $out.Add($entry.Key.ToUpperInvariant())
        foreach ($sub in (Split-MarkdownSection $entry.Value 3).GetEnumerator()) {
            if ($sub.Key -ne '') { $out.Add(''); $out.Add('  ' + $sub.Key) }
            $first = $true
            $previous = $null
            foreach ($block in Split-MarkdownBlock $sub.Value) {
                $isListContinuation = $block.Kind -eq 'Item' -and $previous -eq 'Item'
                if (-not $first -and -not $isListContinuation) { $out.Add('') }
                elseif ($first -and $sub.Key -ne '') { $out.Add('') }
                switch ($block.Kind) {
                    'Item' { $out.AddRange([string[]] (Format-Wrapped $block.Text '    - ' '      ')) }
                    'Code' { foreach ($l in $block.Lines) { $out.Add(('        ' + $l).TrimEnd()) } }
                    default { $out.AddRange([string[]] (Format-Wrapped $block.Text '    ' '    ')) }
                }
                $previous = $block.Kind
                $first = $false
            }
        }
    }
    return ($out -join [Environment]::NewLine) + [Environment]::NewLine
}

function Build-ModuleHelp {
    <#
    .SYNOPSIS
        Writes <Destination>/<AssemblyFile>-Help.xml from the cmdlet pages and about_*.help.txt from the about pages.
    #>
    param(
        [Parameter(Mandatory)] [string] $Source,
        [Parameter(Mandatory)] [string] $Destination,
        [Parameter(Mandatory)] [string] $AssemblyFile
    )
    New-Item -ItemType Directory -Force $Destination | Out-Null
    Write-MamlHelp -Source $Source -Destination (Join-Path $Destination "$AssemblyFile-Help.xml")
    foreach ($about in Get-ChildItem $Source -Filter 'about_*.md' -File) {
        $text = ConvertTo-AboutText $about.FullName
        [IO.File]::WriteAllText((Join-Path $Destination ($about.BaseName + '.help.txt')), $text, [System.Text.UTF8Encoding]::new($false))
    }
}
