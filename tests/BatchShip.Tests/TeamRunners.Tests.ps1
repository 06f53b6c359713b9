# Several stations on one job of a team store: two real pwsh processes, with different station names, resume the same
# job of a PostgreSQL store at once (the server of the test run, named in BATCHSHIP_TEST_POSTGRES). The second joins
# the first instead of failing with E-4005; both ship, the sandbox's ledger holds one shipment per order, and the job
# is ended once, by the last of them.

BeforeAll {
    . (Join-Path $PSScriptRoot 'TestSupport.ps1')
    Import-Module $ModulePath -Force

    Use-TestPostgres

    function New-TeamStore {
        # A new database of the server, initialised as a team store; returns its connection string.
        $database = New-TeamDatabase
        $null = Initialize-BatchShipStore -ConnectionString $database
        $database
    }

    function Start-Station([string] $Station, [string] $JobId) {
        # A pwsh that resumes the job as one station; it prints how many rows it shipped and the job's status it saw.
        $process = Start-ChildPwsh -CaptureOutput -Environment @{ BATCHSHIP_MACHINE_NAME = $Station } -Command @"
Import-Module '$script:ModulePath'
`$rows = @(Resume-BatchShipment -JobId $JobId -ThrottleLimit 2 -Force -ErrorAction Stop -InformationVariable info)
[pscustomobject]@{ Shipped = @(`$rows | Where-Object ShipmentStatus -eq 'Completed').Count; Status = `$info[-1].MessageData.Status } | ConvertTo-Json -Compress
"@
        [pscustomobject]@{ Process = $process; Output = $process.StandardOutput.ReadToEndAsync(); Errors = $process.StandardError.ReadToEndAsync() }
    }
}

AfterAll {
    Remove-Item Env:BATCHSHIP_STORE -ErrorAction SilentlyContinue
    Remove-Module BatchShip -ErrorAction SilentlyContinue
    Stop-TestPostgres
}

Describe 'Two stations resuming one job of a team store' {
    BeforeEach {
        $null = Use-TestStore
        $env:BATCHSHIP_STORE = New-TeamStore
    }

    AfterEach {
        Remove-Item Env:BATCHSHIP_STORE, Env:BATCHSHIP_SANDBOX_FAULTS -ErrorAction SilentlyContinue
    }

    It 'joins the running job: both ship, each order once, and the job is ended once, Completed' {
        # A first run is stopped after its first row (Select-Object -First 1): the job is Stopped with most rows Pending.
        $orders = 1..24 | ForEach-Object { New-Order "TEAM-$_" }
        $null = $orders | Start-BatchShipment -Template ups-ground -Shipper $Shipper -Force | Select-Object -First 1
        $job = Get-BatchJob -Newest 1
        $job.Status | Should -Be 'Stopped'
        $pending = $job.Pending
        $pending | Should -BeGreaterThan 12

        # Slow creates, so that the two stations run side by side.
        $env:BATCHSHIP_SANDBOX_FAULTS = 'latency=700ms'
        $stations = @((Start-Station 'station-a' $job.JobId), (Start-Station 'station-b' $job.JobId))
        foreach ($s in $stations) { $s.Process.WaitForExit(300000) | Should -BeTrue }

        $ended = foreach ($s in $stations) {
            $s.Process.ExitCode | Should -Be 0 -Because $s.Errors.Result
            $s.Output.Result.Trim().Split("`n")[-1] | ConvertFrom-Json
        }
        # Both shipped rows (the second joined, it was not refused), and between them every Pending row once.
        $ended | ForEach-Object { $_.Shipped | Should -BeGreaterThan 0 }
        ($ended | Measure-Object Shipped -Sum).Sum | Should -Be $pending
        # The last one to end wrote the job's end; the other saw it still Running.
        @($ended.Status | Sort-Object) | Should -Be @('Completed', 'Running')

        $after = Get-BatchJob -JobId $job.JobId
        $after.Status | Should -Be 'Completed'
        $after.Completed | Should -Be 24
        $after.Runners | Should -Be 0
        $ledger = Get-Ledger
        $ledger.Count | Should -Be 24
        foreach ($row in Get-BatchShipment -JobId $job.JobId) {
            $row.ShipmentStatus | Should -Be 'Completed'
            @($ledger | Where-Object { @($_.trackingNumbers) -contains $row.TrackingNumber }).Count | Should -Be 1 -Because "order $($row.Reference) ships once"
        }
        @($ledger.references | Where-Object { $_ -like 'BS-*' } | Select-Object -Unique).Count | Should -Be 24
    }
}
