# A hostile carrier (tests/BatchShip.HostileCarrier) against the built module in a child pwsh: oversized answers must
# neither grow the host nor ship a row twice.

BeforeAll {
    . (Join-Path $PSScriptRoot 'TestSupport.ps1')
    Import-Module $ModulePath -Force

    $script:HostileDll = Join-Path $RepoRoot 'tests/BatchShip.HostileCarrier/bin/Release/net10.0/BatchShip.HostileCarrier.dll'
    if (-not (Test-Path $HostileDll)) { throw "Build the solution first: $HostileDll is missing." }

    function New-HostileCarrier {
        # Writes the profile carriers/Hostile.json into the test store; returns the file its creates are counted in.
        param([Parameter(Mandatory)] [string] $Mode, [hashtable] $Environment = @{}, [hashtable] $Profile = @{})
        $folder = Join-Path $env:BATCHSHIP_HOME 'carriers'
        New-Item -ItemType Directory -Force $folder | Out-Null
        $ledger = Join-Path $env:BATCHSHIP_HOME 'hostile-ledger.txt'
        $envMap = @{ HOSTILE_MODE = $Mode; HOSTILE_LEDGER = $ledger } + $Environment
        $dotnet = (Get-Command dotnet -CommandType Application | Select-Object -First 1).Source
        $body = @{ command = $dotnet; args = @($HostileDll); env = $envMap; timeoutSeconds = 60 } + $Profile
        $body | ConvertTo-Json -Depth 5 | Set-Content (Join-Path $folder 'Hostile.json')
        # A profile others can read or change is refused (E-4012): its command runs as you.
        if (-not $IsWindows) { [IO.File]::SetUnixFileMode((Join-Path $folder 'Hostile.json'), 'UserRead, UserWrite') }
        $ledger
    }

    function Invoke-HostileRun {
        # Ships one order through the hostile carrier in a child pwsh whose managed heap is capped, so that a
        # regression fails this test with an OutOfMemoryException instead of taking the machine's memory.
        # Returns the child's peak working set and the row as the store has it.
        param([string] $HeapLimit = '0x80000000')
        $csv = Join-Path $TestDrive 'one.csv'
        New-Order 'HOSTILE-1' | Export-Csv $csv -NoTypeInformation
        $saved = $env:DOTNET_GCHeapHardLimit
        $env:DOTNET_GCHeapHardLimit = $HeapLimit
        try {
            $output = Invoke-ChildPwsh ("Import-Module '$ModulePath'; " +
                "Import-Csv '$csv' | Start-BatchShipment -Template ups-ground -Shipper '$ShipperFile' -Carrier Hostile -Force -ErrorAction SilentlyContinue | Out-Null; " +
                "'PEAK=' + [Diagnostics.Process]::GetCurrentProcess().PeakWorkingSet64")
        }
        finally {
            $env:DOTNET_GCHeapHardLimit = $saved
        }
        $text = $output | Out-String
        $peakLine = @($output | Where-Object { "$_" -match '^PEAK=\d+$' })
        $peakLine.Count | Should -Be 1 -Because "the child ran to its end: $text"
        [pscustomobject]@{
            PeakMB = [math]::Round([long]("$($peakLine[0])" -replace 'PEAK=') / 1MB)
            Row    = Get-BatchJob -Newest 1 | Get-BatchShipment
            Output = $text
        }
    }
}

AfterAll {
    Remove-Module BatchShip -ErrorAction SilentlyContinue
}

Describe 'A carrier that answers far too much' {
    BeforeEach {
        $testHome = Use-TestStore
    }

    It '<Case>: the host stays small, the row is sent once and settled by its reference' -ForEach @(
        @{ Case = 'a 300 MB answer line'; Mode = 'huge-line'; Size = 300 }
        @{ Case = 'a 300 MB label'; Mode = 'huge-label'; Size = 300 }
        @{ Case = '1.5 GB of stderr without a newline'; Mode = 'stderr'; Size = 1536 }
    ) {
        $ledger = New-HostileCarrier -Mode $Mode -Environment @{ HOSTILE_SIZE_MB = "$Size" }
        $run = Invoke-HostileRun
        Write-Host "  peak working set with $Case`: $($run.PeakMB) MB"
        $run.PeakMB | Should -BeLessThan 400 -Because "the host must not hold the carrier's answer: $($run.Output)"
        @(Get-Content $ledger).Count | Should -Be 1 -Because 'a create whose answer was refused is looked up, never sent again'
        $run.Row.ShipmentStatus | Should -Be 'Completed' -Because $run.Output
    }
}

Describe 'Crash points in a shipped module' {
    BeforeEach {
        $testHome = Use-TestStore
    }

    It 'BATCHSHIP_CRASH_AT=<Value> alone neither kills the host nor breaks the Start' -ForEach @(
        @{ Value = 'after-create:1' }
        @{ Value = 'during-staging:1' }
        @{ Value = 'after-create:one' }
        @{ Value = 'nonsense' }
    ) {
        $csv = Join-Path $TestDrive 'crash.csv'
        New-Order 'CRASH-1' | Export-Csv $csv -NoTypeInformation
        $saved = $env:BATCHSHIP_CRASH_AT
        $env:BATCHSHIP_CRASH_AT = $Value
        try {
            $output = Invoke-ChildPwsh "Import-Module '$ModulePath'; Import-Csv '$csv' | Start-BatchShipment -Template ups-ground -Shipper '$ShipperFile' -Force -ErrorAction Stop | Select-Object -ExpandProperty ShipmentStatus"
            $exit = $LASTEXITCODE
        }
        finally {
            $env:BATCHSHIP_CRASH_AT = $saved
        }
        $exit | Should -Be 0 -Because ($output | Out-String)
        $output | Should -Contain 'Completed'
    }
}

Describe 'Labels that were paid for' {
    BeforeEach {
        $testHome = Use-TestStore
    }

    It 'a label folder that cannot be written stops Start before anything is bought (E-4002)' {
        $file = Join-Path $TestDrive 'a-file'
        Set-Content $file 'x'
        $err = $null
        try { New-Order 'LBL-1' | Start-BatchShipment -Template ups-ground -Shipper $Shipper -LabelDirectory (Join-Path $file 'labels') -Force -ErrorAction Stop | Out-Null }
        catch { $err = $_ }
        $err | Should -Not -BeNullOrEmpty
        $err.FullyQualifiedErrorId | Should -Match '^E-4002'
        "$err" | Should -Match ([regex]::Escape($file))
        @(Get-Ledger).Count | Should -Be 0
    }

    It 'Get-BatchShipment -SaveLabel writes a job''s labels into another folder' {
        $row = New-Order 'LBL-2' | Start-BatchShipment -Template ups-ground -Shipper $Shipper -Force
        $target = Join-Path $TestDrive 'again'
        $copy = Get-BatchShipment -JobId $row.JobId -SaveLabel $target
        $copy.LabelPath | Should -BeLike "$target*"
        (Get-FileHash $copy.LabelPath).Hash | Should -Be (Get-FileHash $row.LabelPath).Hash
        Split-Path $copy.LabelPath -Leaf | Should -Be "$($row.JobId)-1-LBL-2-1.gif" -Because 'a saved label keeps the name that finds its order: job, row, reference, package'
    }
}
