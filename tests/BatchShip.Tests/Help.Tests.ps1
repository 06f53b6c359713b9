# Help and formatting, as a user sees them: a fresh pwsh imports the built module and asks Get-Help,
# so the checks cover exactly the cmdlets the module exports, with the parameters they really declare.

BeforeDiscovery {
    . (Join-Path $PSScriptRoot 'TestSupport.ps1')
    $lines = Invoke-ChildPwsh "Import-Module '$ModulePath'; (Get-Command -Module BatchShip).Name"
    if ($LASTEXITCODE -ne 0) { throw "The module did not import: $lines" }
    $script:Cmdlets = @($lines | ForEach-Object { @{ Name = "$_" } })
}

BeforeAll {
    . (Join-Path $PSScriptRoot 'TestSupport.ps1')
    $script:MamlPath = Join-Path $ModulePath 'en-US/BatchShip.Cmdlets.dll-Help.xml'

    # One child pwsh reads the help of every exported cmdlet and reports it as JSON.
    $lines = Invoke-ChildPwsh @"
`$ErrorActionPreference = 'Stop'
Import-Module '$ModulePath'
`$common = [System.Management.Automation.PSCmdlet]::CommonParameters
`$report = foreach (`$command in Get-Command -Module BatchShip) {
    `$help = Get-Help `$command.Name -Full
    [pscustomobject]@{
        Name        = `$command.Name
        Synopsis    = ([string] `$help.Synopsis).Trim()
        Description = ((@(`$help.description) | ForEach-Object Text) -join ' ').Trim()
        Examples    = @(@(`$help.examples.example) | Where-Object { `$_ -and ([string] `$_.code).Trim() } | ForEach-Object { [string] `$_.code })
        Declared    = @(`$command.Parameters.Keys | Where-Object { `$_ -notin `$common })
        Described   = @(@(`$help.parameters.parameter) | Where-Object { `$_ -and ((@(`$_.description) | ForEach-Object Text) -join '').Trim() } | ForEach-Object { [string] `$_.name })
    }
}
ConvertTo-Json -InputObject @(`$report) -Depth 4 -Compress
"@
    if ($LASTEXITCODE -ne 0) { throw "Reading the help failed: $lines" }
    $script:Help = @{}
    foreach ($entry in (($lines -join "`n") | ConvertFrom-Json)) { $script:Help[$entry.Name] = $entry }
}

Describe 'Get-Help <Name> -Full' -ForEach $Cmdlets {
    BeforeAll {
        $entry = $Help[$Name]
    }

    It 'has a written synopsis, not the generated syntax line' {
        $entry.Synopsis | Should -Not -BeNullOrEmpty
        $entry.Synopsis | Should -Not -Match "^$([regex]::Escape($Name))(\s|$)" -Because 'without help Get-Help shows the syntax as the synopsis'
        $entry.Description | Should -Not -BeNullOrEmpty
    }

    It 'has at least two examples with code' {
        $entry.Examples.Count | Should -BeGreaterOrEqual 2
        foreach ($code in $entry.Examples) { $code | Should -Match $Name -Because 'every example uses the cmdlet it documents' }
    }

    It 'describes every parameter the cmdlet declares' {
        # A cmdlet that only reports (Get-BatchShipStore) declares none, and then its help lists none either.
        if ($entry.Declared.Count -eq 0) { @($entry.Described) | Should -BeNullOrEmpty -Because "$Name declares no parameter of its own" }
        $missing = @($entry.Declared | Where-Object { $_ -notin $entry.Described })
        $missing | Should -BeNullOrEmpty -Because "every parameter of $Name needs a description in docs/en-US/$Name.md"
    }
}

Describe 'The help files' {
    It 'compiles into one well-formed MAML file with a command for every cmdlet page' {
        Test-Path $MamlPath | Should -BeTrue
        $xml = [System.Xml.XmlDocument]::new()
        { $xml.Load($MamlPath) } | Should -Not -Throw
        $ns = [System.Xml.XmlNamespaceManager]::new($xml.NameTable)
        $ns.AddNamespace('command', 'http://schemas.microsoft.com/maml/dev/command/2004/10')
        $names = @($xml.SelectNodes('//command:command/command:details/command:name', $ns) | ForEach-Object InnerText) | Sort-Object
        $pages = @(Get-ChildItem (Join-Path $RepoRoot 'docs/en-US') -Filter '*-*.md' | ForEach-Object BaseName) | Sort-Object
        # One page per exported cmdlet: counted from the manifest, so a new cmdlet needs its page.
        $pages.Count | Should -Be (Import-PowerShellDataFile (Join-Path $RepoRoot 'BatchShip.psd1')).CmdletsToExport.Count
        $names | Should -Be $pages
    }

    It 'has about_BatchShip, which explains NeedsReview' {
        $lines = Invoke-ChildPwsh "Import-Module '$ModulePath'; Get-Help about_BatchShip | Out-String -Width 200"
        $LASTEXITCODE | Should -Be 0
        $text = $lines -join "`n"
        $text | Should -Match 'TOPIC\s+about_BatchShip'
        $text | Should -Match 'NeedsReview'
        $text | Should -Match 'E-4008'
    }
}

Describe 'The testing topic' {
    It 'has about_BatchShip_Testing, with the recipe and every sandbox fault' {
        $lines = Invoke-ChildPwsh "Import-Module '$ModulePath'; Get-Help about_BatchShip_Testing | Out-String -Width 200"
        $LASTEXITCODE | Should -Be 0
        $text = $lines -join "`n"
        $text | Should -Match 'TOPIC\s+about_BatchShip_Testing'
        $text | Should -Match 'BeforeAll'
        $text | Should -Match 'AfterAll'
        # The sandbox's own list of switches, from its --help: each one is documented.
        $switches = & dotnet (Join-Path $ModulePath 'carriers/sandbox/BatchShip.SandboxCarrier.dll') --help |
            Where-Object { $_ -match '^\s{6}(\w+)=' } | ForEach-Object { $Matches[1] }
        $switches.Count | Should -BeGreaterOrEqual 9
        foreach ($switch in $switches) { $text | Should -Match "- $switch=" -Because "the fault $switch is explained" }
    }
}

Describe 'Formatting' {
    It 'loads table views for jobs and shipment results and a list view for jobs' {
        $lines = Invoke-ChildPwsh @"
Import-Module '$ModulePath'
foreach (`$type in 'BatchShip.Job', 'BatchShip.ShipmentResult') {
    foreach (`$view in (Get-FormatData -TypeName `$type).FormatViewDefinition) { "`$type `$(`$view.Control.GetType().Name)" }
}
"@
        $LASTEXITCODE | Should -Be 0
        $lines | Should -Contain 'BatchShip.Job TableControl'
        $lines | Should -Contain 'BatchShip.Job ListControl'
        $lines | Should -Contain 'BatchShip.ShipmentResult TableControl'
    }

    It 'shows a job as the short table, not every property' {
        $lines = Invoke-ChildPwsh @"
Import-Module '$ModulePath'
`$PSStyle.OutputRendering = 'PlainText'
[pscustomobject]@{ PSTypeName = 'BatchShip.Job'; JobId = 'k7m2q9xa'; Name = 'Sample'; Status = 'Completed'; Total = 3; Pending = 0; InFlight = 0; Completed = 3; Failed = 0; NeedsReview = 0; TotalCost = 31.5; Currency = 'USD'; Template = 'ups-ground'; Carrier = 'Sandbox' } | Out-String -Width 200
"@
        $LASTEXITCODE | Should -Be 0
        $header = @($lines | Where-Object { $_ -match '^\s*JobId\s' })
        $header.Count | Should -Be 1
        $header[0] -split '\s+' | Where-Object { $_ } | Should -Be @('JobId', 'Name', 'Status', 'Total', 'Done', 'Failed', 'TotalCost')
    }
}
