# Undo-BatchShipment against the real sandbox carrier: voided rows, orders shipped again, refusals per row.

BeforeAll {
    . (Join-Path $PSScriptRoot 'TestSupport.ps1')
    Import-Module $ModulePath -Force
}

AfterAll {
    Remove-Module BatchShip -ErrorAction SilentlyContinue
}

Describe 'Undo-BatchShipment' {
    BeforeEach {
        $testHome = Use-TestStore
    }

    It 'voids a job''s shipments at the carrier, counts them Voided, and lets their orders be shipped again' {
        $first = @((New-Order 'VD-1'), (New-Order 'VD-2')) | Start-BatchShipment -Template ups-ground -Shipper $Shipper -Force
        $jobId = $first[0].JobId

        $voided = @(Undo-BatchShipment -JobId $jobId -Force)

        $voided.Count | Should -Be 2
        $voided.ShipmentStatus | Should -Be @('Voided', 'Voided')
        $voided[0].ErrorMessage | Should -BeLike "Voided by $([Environment]::UserName) at *"
        $ledger = Get-Ledger
        @($ledger | Where-Object voided).Count | Should -Be 2
        $job = Get-BatchJob -JobId $jobId
        $job.Voided | Should -Be 2
        $job.Completed | Should -Be 0
        @(Get-BatchShipment -JobId $jobId -Status Voided).Count | Should -Be 2

        $again = @((New-Order 'VD-1'), (New-Order 'VD-2')) | Start-BatchShipment -Template ups-ground -Shipper $Shipper -Force
        $again.ShipmentStatus | Should -Be @('Completed', 'Completed')
        $again[0].TrackingNumber | Should -Not -Be $first[0].TrackingNumber
        @(Get-Ledger | Where-Object { -not $_.voided }).Count | Should -Be 2
    }

    It 'is harmless twice: a row already voided stays Voided, with a warning and no error' {
        $shipped = New-Order 'TW-1' | Start-BatchShipment -Template ups-ground -Shipper $Shipper -Force
        $shipped | Undo-BatchShipment -Force | Out-Null

        $again = $shipped | Undo-BatchShipment -Force -WarningVariable warned -ErrorVariable failed -WarningAction SilentlyContinue

        $failed | Should -BeNullOrEmpty
        $again.ShipmentStatus | Should -Be 'Voided'
        $warned[0].Message | Should -BeLike '*already voided*'
        @(Get-Ledger | Where-Object voided).Count | Should -Be 1
    }

    It 'voids by order reference, and -WhatIf voids nothing' {
        @((New-Order 'RF-1'), (New-Order 'RF-2')) | Start-BatchShipment -Template ups-ground -Shipper $Shipper -Force | Out-Null

        Undo-BatchShipment -Reference 'RF-2' -WhatIf | Should -BeNullOrEmpty
        @(Get-Ledger | Where-Object voided).Count | Should -Be 0

        $voided = Undo-BatchShipment -Reference 'rf-2' -Force
        $voided.Reference | Should -Be 'RF-2'
        $voided.ShipmentStatus | Should -Be 'Voided'
        (Get-BatchShipment -Reference 'RF-1').ShipmentStatus | Should -Be 'Completed'
    }

    It 'reports a carrier''s refusal per row with its E-code and leaves that row shipped' {
        $shipped = @((New-Order 'RJ-1'), (New-Order 'RJ-2')) | Start-BatchShipment -Template ups-ground -Shipper $Shipper -Force
        # A carrier that never made row 1's shipment (another ledger) refuses its id with UPS 190100.
        $env:BATCHSHIP_SANDBOX_LEDGER = Join-Path $testHome 'other-ledger.jsonl'

        $result = $shipped | Undo-BatchShipment -Force -ErrorVariable refused -ErrorAction SilentlyContinue

        $result | Should -BeNullOrEmpty
        $refused.Count | Should -Be 2
        # The results came in the order the rows finished, so the refusals may too.
        $refused | ForEach-Object { $_.FullyQualifiedErrorId | Should -BeLike 'E-3006*' }
        $refused | ForEach-Object { $_.Exception.Message | Should -BeLike '*190100*' }
        ($refused.TargetObject.RowNumber | Sort-Object) | Should -Be @(1, 2)
        (Get-BatchShipment -JobId $shipped[0].JobId).ShipmentStatus | Should -Be @('Completed', 'Completed')
    }

    It 'refuses the rows of a job whose runner is alive (E-4005)' {
        $env:BATCHSHIP_SANDBOX_FAULTS = 'latency=300ms'
        $started = Start-BackgroundRunner -Prefix 'RN' -Count 30
        $runner, $job = $started.Process, $started.Job
        try {
            Undo-BatchShipment -JobId $job.JobId -RowNumber 1 -Force -ErrorAction SilentlyContinue -ErrorVariable busy | Should -BeNullOrEmpty
            $busy[0].FullyQualifiedErrorId | Should -BeLike 'E-4005*'
            Stop-BatchShipment -JobId $job.JobId -Confirm:$false
            $runner.WaitForExit(120000) | Should -BeTrue
        }
        finally {
            if (-not $runner.HasExited) { $runner.Kill($true) }
        }
        (Get-BatchShipment -JobId $job.JobId -RowNumber 1).ShipmentStatus | Should -Be 'Completed'
    }
}
