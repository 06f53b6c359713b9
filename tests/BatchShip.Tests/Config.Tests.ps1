# What Start-BatchShipment checks before a job exists, how a carrier that cannot start is reported, that every
# error says its remedy once, and that -Debug works in a non-interactive session. Real pwsh, real store, real sandbox.

BeforeAll {
    . (Join-Path $PSScriptRoot 'TestSupport.ps1')
    Import-Module $ModulePath -Force

    function New-ShellCarrier {
        # A carrier profile whose command is a shell script: it records each start in a file (so a test can count
        # the starts), then runs the given script. Returns the file the starts are counted in.
        param([Parameter(Mandatory)] [string] $Name, [Parameter(Mandatory)] [string] $Script, [hashtable] $Environment = @{})
        $folder = New-Item -ItemType Directory -Force (Join-Path $env:BATCHSHIP_HOME 'carriers')
        $starts = Join-Path $env:BATCHSHIP_HOME "$Name-starts.txt"
        @{ command = '/bin/sh'; args = @('-c', "echo started >> '$starts'; $Script"); env = $Environment } |
            ConvertTo-Json -Depth 5 | Set-Content (Join-Path $folder "$Name.json")
        # A profile others can read or change is refused (E-4012): its command runs as you.
        [IO.File]::SetUnixFileMode((Join-Path $folder "$Name.json"), 'UserRead, UserWrite')
        $starts
    }

    function Get-StartError {
        # Runs Start-BatchShipment with the given parameters on one order and returns the error that ended it.
        param([hashtable] $Parameters, [object[]] $Orders = @(New-Order 'CFG-1'))
        $all = @{ Template = 'ups-ground'; Shipper = $Shipper; Force = $true }
        foreach ($key in $Parameters.Keys) { $all[$key] = $Parameters[$key] }
        try {
            if ($all.ContainsKey('Path')) { Start-BatchShipment @all | Out-Null }
            else { $Orders | Start-BatchShipment @all -ErrorAction SilentlyContinue | Out-Null }
        }
        catch {
            return $_
        }
        throw 'Start-BatchShipment did not fail.'
    }
}

AfterAll {
    Remove-Module BatchShip -ErrorAction SilentlyContinue
}

Describe 'Checks made before a job is created' {
    BeforeEach {
        $testHome = Use-TestStore
    }

    It 'reports a carrier that exits at start with E-4013 and its last error output, starts it once, and leaves no job' -Skip:$IsWindows {
        $starts = New-ShellCarrier -Name 'Failing' -Script "echo 'loading settings' >&2; echo 'fatal: cannot open /etc/ups-mcp/settings.toml' >&2; exit 7"

        $err = Get-StartError @{ Carrier = 'Failing' }

        $err.FullyQualifiedErrorId | Should -BeLike 'E-4013*'
        "$err" | Should -BeLike '*fatal: cannot open /etc/ups-mcp/settings.toml*'
        "$err" | Should -BeLike '*exit code 7*'
        "$err" | Should -Not -BeLike '*esume*'
        $err.ErrorDetails.RecommendedAction | Should -Not -BeLike '*esume*'
        # Started once and never again: a process that exits at start is not waited for or retried.
        @(Get-Content $starts).Count | Should -Be 1
        @(Get-BatchJob).Count | Should -Be 0
    }

    It 'reports the sandbox with a ledger path that is a folder with E-4013 naming the ledger, and leaves no job' {
        $env:BATCHSHIP_SANDBOX_LEDGER = (New-Item -ItemType Directory (Join-Path $testHome 'ledger-folder')).FullName

        $err = Get-StartError @{}

        $err.FullyQualifiedErrorId | Should -BeLike 'E-4013*'
        "$err" | Should -BeLike "*ledger-folder is a folder*"
        $err.ErrorDetails.RecommendedAction | Should -Not -BeLike '*esume*'
        @(Get-BatchJob).Count | Should -Be 0
    }

    It 'refuses a credential variable that is not set with E-5003 naming it, without starting the carrier or creating a job' -Skip:$IsWindows {
        Remove-Item Env:BATCHSHIP_TEST_UNSET_SECRET -ErrorAction SilentlyContinue
        $starts = New-ShellCarrier -Name 'NeedsSecret' -Script 'exit 1' -Environment @{ CLIENT_SECRET = '$env:BATCHSHIP_TEST_UNSET_SECRET' }

        $err = Get-StartError @{ Carrier = 'NeedsSecret' }

        $err.FullyQualifiedErrorId | Should -BeLike 'E-5003*'
        "$err" | Should -BeLike '*BATCHSHIP_TEST_UNSET_SECRET*'
        Test-Path $starts | Should -BeFalse
        @(Get-BatchJob).Count | Should -Be 0
    }

    It 'refuses a missing -Path file with E-4014 naming the path' {
        $missing = Join-Path $testHome 'no-such-orders.csv'

        $err = Get-StartError @{ Path = $missing }

        $err.FullyQualifiedErrorId | Should -BeLike 'E-4014*'
        "$err" | Should -BeLike "*-Path file $missing was not found*"
        @(Get-BatchJob).Count | Should -Be 0
    }

    It 'refuses a missing -Shipper file with E-4014 naming the path, not a file system error' {
        $missing = Join-Path $testHome 'no-such-shipper.json'

        $err = Get-StartError @{ Shipper = $missing }

        $err.FullyQualifiedErrorId | Should -BeLike 'E-4014*'
        "$err" | Should -BeLike "*-Shipper file $missing was not found*"
        $err.ErrorDetails.RecommendedAction | Should -Not -BeLike '*free space*'
        @(Get-BatchJob).Count | Should -Be 0
    }

    It 'refuses a -KeyProperty column the first row lacks with E-1001, without a job' {
        $err = Get-StartError @{ KeyProperty = 'OrderNumber' }

        $err.FullyQualifiedErrorId | Should -BeLike 'E-1001*'
        "$err" | Should -BeLike '*OrderNumber*'
        @(Get-BatchJob).Count | Should -Be 0
    }
}

Describe 'One message, one remedy' {
    BeforeAll {
        $null = Use-TestStore
        $starts = New-ShellCarrier -Name 'Broken' -Script "echo 'bad option --port' >&2; exit 2"
        $starts = New-ShellCarrier -Name 'Secretive' -Script 'exit 1' -Environment @{ CLIENT_SECRET = '$env:BATCHSHIP_TEST_UNSET_SECRET' }
        $script:Cases = @(
            @{ Name = 'missing -Path file'; Parameters = @{ Path = (Join-Path $env:BATCHSHIP_HOME 'none.csv') } }
            @{ Name = 'missing -Shipper file'; Parameters = @{ Shipper = (Join-Path $env:BATCHSHIP_HOME 'none.json') } }
            @{ Name = 'unknown template'; Parameters = @{ Template = 'no-such-template' } }
            @{ Name = 'unknown carrier'; Parameters = @{ Carrier = 'NoSuchCarrier' } }
            @{ Name = 'invalid shipper'; Parameters = @{ Shipper = @{ Name = 'Only a name' } } }
            @{ Name = 'carrier that does not start'; Parameters = @{ Carrier = 'Broken' } }
            @{ Name = 'credential not set'; Parameters = @{ Carrier = 'Secretive' } }
            @{ Name = 'missing key column'; Parameters = @{ KeyProperty = 'OrderNumber' } }
            @{ Name = 'job stopped by a refused row'; Parameters = @{}; Orders = @(New-Order 'CFG-ZIP' -Zip '10012') }
        )
    }

    It 'says the remedy of a <Name> exactly once, in RecommendedAction' -ForEach @(
        @{ Index = 0; Name = 'missing -Path file' }, @{ Index = 1; Name = 'missing -Shipper file' }, @{ Index = 2; Name = 'unknown template' },
        @{ Index = 3; Name = 'unknown carrier' }, @{ Index = 4; Name = 'invalid shipper' }, @{ Index = 5; Name = 'carrier that does not start' },
        @{ Index = 6; Name = 'credential not set' }, @{ Index = 7; Name = 'missing key column' }, @{ Index = 8; Name = 'job stopped by a refused row' }
    ) {
        if ($IsWindows -and $Index -in 5, 6) { Set-ItResult -Skipped -Because 'the test carrier is a shell script' }
        $case = $Cases[$Index]
        $err = Get-StartError $case.Parameters -Orders ($case.Orders ?? @(New-Order 'CFG-1'))
        $remedy = $err.ErrorDetails.RecommendedAction

        $remedy | Should -Not -BeNullOrEmpty
        # What PowerShell shows: the message, then the Recommendation line.
        $shown = $err | Out-String -Width 2000
        [regex]::Matches($shown, [regex]::Escape($remedy)).Count | Should -Be 1
        # Not in the message either, nor its first sentence: the message holds the facts.
        $firstSentence = ($remedy -split '(?<=[.;:])\s')[0]
        $err.ErrorDetails.Message | Should -Not -BeLike "*$([WildcardPattern]::Escape($firstSentence))*"
        $err.Exception.Message | Should -Not -BeLike "*$([WildcardPattern]::Escape($firstSentence))*"
    }
}

Describe '-Debug' {
    BeforeEach {
        $null = Use-TestStore
    }

    It 'prints the settings, the carrier and the staged rows without asking, in a non-interactive pwsh, and ships' {
        $script = @"
Import-Module '$ModulePath'
[pscustomobject]@{ RecipientName = 'Debug Customer'; Address1 = '1 Market St'; City = 'San Francisco'; State = 'CA'; PostalCode = '94105'; WeightLb = '1'; Reference = 'DBG-1' },
[pscustomobject]@{ RecipientName = 'Debug Customer'; Address1 = '2 Market St'; City = 'San Francisco'; State = 'CA'; PostalCode = '94105'; WeightLb = '1' } |
    Start-BatchShipment -Template ups-ground -Shipper '$ShipperFile' -Debug | ForEach-Object { 'status:' + `$_.ShipmentStatus }
'jobs:' + ((Get-BatchJob | ForEach-Object Status) -join ',')
"@
        $output = @(Invoke-ChildPwsh $script) | ForEach-Object { "$_" }
        $text = $output -join "`n"

        $LASTEXITCODE | Should -Be 0
        $text | Should -Not -BeLike '*NullReference*'
        $text | Should -Not -BeLike '*NonInteractive*'
        $text | Should -BeLike '*Settings: template ups-ground, carrier Sandbox*'
        $text | Should -BeLike '*Carrier Sandbox started*'
        $text | Should -BeLike '*2 row(s) staged*'
        # The row-hash warning comes as a debug line, not as a prompt.
        $text | Should -BeLike '*WARNING: 1 of 2 row(s)*'
        @($output | Where-Object { $_ -eq 'status:Completed' }).Count | Should -Be 2
        $output | Should -Contain 'jobs:Completed'
    }
}
