# -GroupBy: the rows of one order (one row per line item) ship as one shipment. Checked against the sandbox's own
# ledger: one shipment per order, every row's result carrying it, and none at all for an order refused.

BeforeAll {
    . (Join-Path $PSScriptRoot 'TestSupport.ps1')
    Import-Module $ModulePath -Force

    function New-Line {
        # One line item of an order: the order's address, the item's weight.
        param([string] $Reference, [object] $Weight, [string] $Address1 = '1 Market St')
        [pscustomobject][ordered]@{
            RecipientName = "Customer $Reference"; Address1 = $Address1; City = 'San Francisco'; State = 'CA'
            PostalCode = '94105'; WeightLb = $Weight; Reference = $Reference
        }
    }

    function Get-PackageWeight([string] $CustomerContext) {
        # The weights of a shipment's packages, in package order, as the sandbox recorded the create it was sent.
        $create = Get-Content $env:BATCHSHIP_SANDBOX_LEDGER | ConvertFrom-Json | Where-Object { $_.type -eq 'create' -and $_.customerContext -eq $CustomerContext }
        @($create.packageWeights | ForEach-Object { [decimal] ($_ -replace '[^0-9.]', '') })
    }

    function Get-CrashArmingKey([string] $Value) {
        # The first 16 hex digits of the SHA-256 of the BATCHSHIP_CRASH_AT value (see CrashPoint.ArmingKey).
        [Convert]::ToHexString([Security.Cryptography.SHA256]::HashData([Text.Encoding]::UTF8.GetBytes($Value))).Substring(0, 16).ToLowerInvariant()
    }

    function Invoke-KilledGroupRun {
        # Ships the lines from a CSV in a child pwsh that kills itself at the crash point (one row at a time), so that
        # the parent can resume what it left; returns the child's exit code.
        param([object[]] $Lines, [string] $CrashAt, [string] $More = '')
        $csv = Join-Path $TestDrive 'lines.csv'
        $shipperFile = Join-Path $TestDrive 'shipper.json'
        $Lines | Export-Csv $csv -NoTypeInformation
        $Shipper | ConvertTo-Json | Set-Content $shipperFile
        $env:BATCHSHIP_CRASH_AT = $CrashAt
        $env:BATCHSHIP_CRASH_ARM = Get-CrashArmingKey $CrashAt
        try {
            Invoke-ChildPwsh "Import-Module '$ModulePath'; Import-Csv '$csv' | Start-BatchShipment -Template ups-ground -Shipper '$shipperFile' -GroupBy Reference $More -ThrottleLimit 1 -Force | Out-Null" | Out-Null
            $LASTEXITCODE
        }
        finally {
            Remove-Item Env:BATCHSHIP_CRASH_AT, Env:BATCHSHIP_CRASH_ARM -ErrorAction SilentlyContinue
        }
    }
}

AfterAll {
    Remove-Module BatchShip -ErrorAction SilentlyContinue
}

Describe 'Start-BatchShipment -GroupBy' {
    BeforeEach {
        $testHome = Use-TestStore
    }

    It 'ships the rows of one order as ONE shipment, weights summed, every row carrying its tracking number and group' {
        # Rows of an order need not be next to each other.
        $lines = @(
            (New-Line 'GR-1' '2'), (New-Line 'GR-2' '1'), (New-Line 'gr-1 ' '3.5'), (New-Line 'GR-1' '16 oz')
        )
        $results = @($lines | Start-BatchShipment -Template ups-ground -Shipper $Shipper -GroupBy Reference -Force -WarningAction SilentlyContinue)

        $results.Count | Should -Be 4 -Because 'every line has its result'
        $results.ShipmentStatus | Should -Be @('Completed', 'Completed', 'Completed', 'Completed')
        $ledger = @(Get-Ledger)
        $ledger.Count | Should -Be 2 -Because 'two orders, two shipments'
        $byRow = @{}; $results | ForEach-Object { $byRow[[int] $_.RowNumber] = $_ }
        $byRow[1].TrackingNumber | Should -Match '^1Z[0-9A-Z]{16}$'
        $byRow[3].TrackingNumber | Should -Be $byRow[1].TrackingNumber
        $byRow[4].TrackingNumber | Should -Be $byRow[1].TrackingNumber
        $byRow[2].TrackingNumber | Should -Not -Be $byRow[1].TrackingNumber
        @($byRow[1], $byRow[3], $byRow[4]).GroupRow | Should -Be @(1, 1, 1)
        $byRow[2].GroupRow | Should -Be 2
        $order = $ledger | Where-Object { $_.trackingNumbers -contains $byRow[1].TrackingNumber }
        @($order).Count | Should -Be 1
        $order.customerContext | Should -Be "BS-$($byRow[1].JobId)-1" -Because 'the group ships with its first row''s reference'
        $shipment = Get-BatchShipSandboxShipment | Where-Object TrackingNumber -eq $byRow[1].TrackingNumber
        $shipment.PackageCount | Should -Be 1
        # The sandbox prices by weight: the order costs what one 6.5 lb package (2 + 3.5 + 16 oz) costs, not what its first line does.
        $single = New-Line 'GR-W65' '6.5' | Start-BatchShipment -Template ups-ground -Shipper $Shipper -Force
        $first = New-Line 'GR-W2' '2' | Start-BatchShipment -Template ups-ground -Shipper $Shipper -Force
        $first.Cost | Should -Not -Be $single.Cost -Because 'the weight changes the price'
        $byRow[1].Cost | Should -Be $single.Cost
        $byRow[3].Cost | Should -BeNullOrEmpty -Because 'the order''s cost is counted once, on its first row'
        @(Get-BatchShipment -JobId $byRow[1].JobId | Where-Object TrackingNumber -eq $byRow[1].TrackingNumber).RowNumber | Should -Be @(1, 3, 4)
    }

    It 'fails the rows of an order that disagree on the address together, naming the rows and the column, and ships nothing for it' {
        $lines = @(
            (New-Line 'GA-1' '1'), (New-Line 'GA-2' '1'), (New-Line 'GA-1' '1' -Address1 '9 Other Rd')
        )
        $errors = $null
        $results = @($lines | Start-BatchShipment -Template ups-ground -Shipper $Shipper -GroupBy Reference -ErrorPolicy Continue -Force `
                -ErrorVariable errors -ErrorAction SilentlyContinue -WarningAction SilentlyContinue)

        $failed = @($results | Where-Object ShipmentStatus -eq 'Failed' | Sort-Object { [int] $_.RowNumber })
        $failed.RowNumber | Should -Be @(1, 3)
        $failed.ErrorCode | Should -Be @('E-1009', 'E-1009')
        $failed[0].ErrorMessage | Should -Match 'Rows 1, 3 '
        $failed[0].ErrorMessage | Should -Match "'Address1'"
        $failed[1].TrackingNumber | Should -BeNullOrEmpty
        @($errors | Where-Object { $_.FullyQualifiedErrorId -like 'E-1009*' }).Count | Should -Be 2 -Because 'each row of the order reports its error'
        $ledger = @(Get-Ledger)
        $ledger.Count | Should -Be 1 -Because 'only the other order shipped'
        ($results | Where-Object RowNumber -eq 2).TrackingNumber | Should -Be $ledger[0].trackingNumbers[0]
    }

    It 'refuses -KeyProperty naming another column than -GroupBy (E-4019) before any job exists' {
        { New-Line 'GK-1' '1' | Start-BatchShipment -Template ups-ground -Shipper $Shipper -GroupBy Reference -KeyProperty RecipientName -Force -ErrorAction Stop } |
            Should -Throw -ErrorId 'E-4019*'
        @(Get-BatchJob).Count | Should -Be 0
    }

    It 'resumes a grouped job killed after its carrier made a group''s shipment: one shipment per order, every row settled with it' {
        $exit = Invoke-KilledGroupRun -Lines @((New-Line 'GC-1' '1'), (New-Line 'GC-1' '2'), (New-Line 'GC-2' '1'), (New-Line 'GC-2' '4'), (New-Line 'GC-3' '1')) -CrashAt 'after-create:3'
        $exit | Should -Be 137 -Because 'the runner was killed after the carrier made the second order''s shipment'
        $job = Get-BatchJob -Newest 1
        $job.Status | Should -Be 'Interrupted'
        $rows = @(Get-BatchShipment -JobId $job.JobId | Sort-Object { [int] $_.RowNumber })
        $rows.ShipmentStatus | Should -Be @('Completed', 'Completed', 'InFlight', 'InFlight', 'Pending') -Because 'the second order''s rows went in flight together'

        Invoke-ChildPwsh "Import-Module '$ModulePath'; Resume-BatchShipment -JobId $($job.JobId) -Force -ErrorAction Stop | Out-Null" | Out-Null
        $LASTEXITCODE | Should -Be 0

        $rows = @(Get-BatchShipment -JobId $job.JobId | Sort-Object { [int] $_.RowNumber })
        $rows.ShipmentStatus | Should -Be @('Completed', 'Completed', 'Completed', 'Completed', 'Completed')
        $ledger = @(Get-Ledger)
        $ledger.Count | Should -Be 3 -Because 'three orders, each shipped once, the second found by its reference rather than sent again'
        $rows[3].TrackingNumber | Should -Be $rows[2].TrackingNumber
        ($ledger | Where-Object customerContext -eq "BS-$($job.JobId)-3").trackingNumbers | Should -Be @($rows[2].TrackingNumber)
    }
}

Describe 'Start-BatchShipment -GroupBy -PackagePerRow' {
    BeforeEach {
        $testHome = Use-TestStore
    }

    It 'ships a three-row order as ONE shipment of three packages, each row carrying the shipment''s and its own package''s tracking number' {
        $lines = @(
            (New-Line 'PR-1' '2'), (New-Line 'PR-2' '1'), (New-Line 'PR-1' '1 kg'), (New-Line 'PR-1' '8 oz')
        )
        $results = @($lines | Start-BatchShipment -Template ups-ground -Shipper $Shipper -GroupBy Reference -PackagePerRow -Force -WarningAction SilentlyContinue)

        $results.ShipmentStatus | Should -Be @('Completed', 'Completed', 'Completed', 'Completed')
        $ledger = @(Get-Ledger)
        $ledger.Count | Should -Be 2 -Because 'two orders, two shipments'
        $byRow = @{}; $results | ForEach-Object { $byRow[[int] $_.RowNumber] = $_ }
        $order = @($ledger | Where-Object customerContext -eq "BS-$($byRow[1].JobId)-1")
        $order.Count | Should -Be 1
        $order[0].trackingNumbers.Count | Should -Be 3 -Because 'one package per row of the order'
        Get-PackageWeight "BS-$($byRow[1].JobId)-1" | Should -Be @(2.0, 2.3, 0.5) -Because 'each package weighs its own row, in row order'
        foreach ($row in 1, 3, 4) {
            $byRow[$row].TrackingNumber | Should -Be ($order[0].trackingNumbers -join ';')
        }
        @($byRow[1], $byRow[3], $byRow[4]).PackageTrackingNumber | Should -Be @($order[0].trackingNumbers)
        $byRow[2].PackageTrackingNumber | Should -Be $byRow[2].TrackingNumber -Because 'a one-row order is one package'
        @(Get-BatchShipment -JobId $byRow[1].JobId | Sort-Object { [int] $_.RowNumber }).PackageTrackingNumber |
            Should -Be @($order[0].trackingNumbers[0], $byRow[2].TrackingNumber, $order[0].trackingNumbers[1], $order[0].trackingNumbers[2]) -Because 'the store keeps them'
    }

    It 'refuses -PackagePerRow without -GroupBy (E-4007) before any job exists' {
        { New-Line 'PN-1' '1' | Start-BatchShipment -Template ups-ground -Shipper $Shipper -PackagePerRow -Force -ErrorAction Stop } |
            Should -Throw -ErrorId 'E-4007*'
        @(Get-BatchJob).Count | Should -Be 0
        @(Get-Ledger).Count | Should -Be 0
    }

    It 'resumes a job killed after its carrier made an order''s shipment: one shipment of one package per row, every row with its own package' {
        $exit = Invoke-KilledGroupRun -Lines @((New-Line 'PC-1' '1'), (New-Line 'PC-2' '1'), (New-Line 'PC-2' '4'), (New-Line 'PC-2' '3'), (New-Line 'PC-3' '1')) -CrashAt 'after-create:2' -More '-PackagePerRow'
        $exit | Should -Be 137 -Because 'the runner was killed after the carrier made the second order''s shipment'
        $job = Get-BatchJob -Newest 1
        $rows = @(Get-BatchShipment -JobId $job.JobId | Sort-Object { [int] $_.RowNumber })
        $rows.ShipmentStatus | Should -Be @('Completed', 'InFlight', 'InFlight', 'InFlight', 'Pending')

        Invoke-ChildPwsh "Import-Module '$ModulePath'; Resume-BatchShipment -JobId $($job.JobId) -Force -ErrorAction Stop | Out-Null" | Out-Null
        $LASTEXITCODE | Should -Be 0

        $rows = @(Get-BatchShipment -JobId $job.JobId | Sort-Object { [int] $_.RowNumber })
        $rows.ShipmentStatus | Should -Be @('Completed', 'Completed', 'Completed', 'Completed', 'Completed')
        $ledger = @(Get-Ledger)
        $ledger.Count | Should -Be 3 -Because 'three orders, each shipped once, the second found by its reference rather than sent again'
        $order = @($ledger | Where-Object customerContext -eq "BS-$($job.JobId)-2")
        $order.Count | Should -Be 1
        $order[0].trackingNumbers.Count | Should -Be 3
        Get-PackageWeight "BS-$($job.JobId)-2" | Should -Be @(1.0, 4.0, 3.0)
        $rows[1..3].PackageTrackingNumber | Should -Be @($order[0].trackingNumbers) -Because 'Resume renders and settles the order as the first run did'
    }
}
