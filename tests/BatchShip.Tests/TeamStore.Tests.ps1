BeforeAll {
    . (Join-Path $PSScriptRoot 'TestSupport.ps1')
    Import-Module $ModulePath -Force

    Use-TestPostgres
}

AfterAll {
    Remove-Item Env:BATCHSHIP_STORE -ErrorAction SilentlyContinue
    Remove-Module BatchShip -ErrorAction SilentlyContinue
    Stop-TestPostgres
}

Describe 'A team store on PostgreSQL' {
    BeforeEach {
        $null = Use-TestStore
        Remove-Item Env:BATCHSHIP_STORE -ErrorAction SilentlyContinue
    }
    AfterEach {
        Remove-Item Env:BATCHSHIP_STORE -ErrorAction SilentlyContinue
    }

    It 'ships each order of one CSV once when two stations run it, and the second reports AlreadyShipped' {
        $database = New-TeamDatabase
        $ledger = $env:BATCHSHIP_SANDBOX_LEDGER
        $csv = Join-Path $TestDrive 'orders.csv'
        @(New-Order 'TEAM-1'; New-Order 'TEAM-2'; New-Order 'TEAM-3') | Export-Csv $csv -NoTypeInformation
        $init = Initialize-BatchShipStore -ConnectionString $database
        $init.Kind | Should -Be 'PostgreSQL'
        $init.SchemaVersionBefore | Should -Be 0
        $init.Changed | Should -BeTrue
        (Initialize-BatchShipStore -ConnectionString $database).Changed | Should -BeFalse -Because 'initialising twice changes nothing'

        $env:BATCHSHIP_STORE = $database
        $stationA = New-TestHome
        $first = Import-Csv $csv | Start-BatchShipment -Template ups-ground -Shipper $Shipper -Force
        $stationB = New-TestHome
        $env:BATCHSHIP_SANDBOX_LEDGER = $ledger
        $second = Import-Csv $csv | Start-BatchShipment -Template ups-ground -Shipper $Shipper -Force

        $first.ShipmentStatus | Should -Be @('Completed', 'Completed', 'Completed')
        $second.ShipmentStatus | Should -Be @('AlreadyShipped', 'AlreadyShipped', 'AlreadyShipped')
        Assert-ShippedOnceEach 3
        $stationA | Should -Not -Be $stationB
        Test-Path (Join-Path $stationB 'batchship.db') | Should -BeFalse -Because 'the station used the team store, not a file of its own'
        (Get-BatchJob).Count | Should -Be 2 -Because 'both stations see both jobs'
        (Get-BatchShipStore).Source | Should -Be 'Variable'
    }

    It 'prints at one station the labels another station bought, fetching from the carrier what is not on its disk' {
        $database = New-TeamDatabase
        $null = Initialize-BatchShipStore -ConnectionString $database
        $env:BATCHSHIP_STORE = $database
        $ledger = $env:BATCHSHIP_SANDBOX_LEDGER
        $null = New-TestHome
        $shipped = @(New-Order 'LBL-1'; New-Order 'LBL-2') | Start-BatchShipment -Template ups-ground -Shipper $Shipper -Force
        $shipped.ShipmentStatus | Should -Be @('Completed', 'Completed')
        # Station A's disk is not station B's: its label files are out of B's reach.
        $labels = @($shipped | ForEach-Object { $_.LabelPath -split ';' })
        $labels | ForEach-Object { Test-Path $_ | Should -BeTrue }
        $labels | Remove-Item

        $null = New-TestHome
        $env:BATCHSHIP_SANDBOX_LEDGER = $ledger
        $print = Join-Path $TestDrive 'station-b.pdf'
        $file = Export-BatchShipmentLabel -JobId $shipped[0].JobId -Path $print -ErrorVariable problems

        $problems | Should -BeNullOrEmpty
        $file.FullName | Should -Be $print
        Read-PdfPages $print | Should -HaveCount 2
        (Get-Ledger).Count | Should -Be 2 -Because 'fetching a label again buys nothing'
    }

    It 'chooses the store by setting, shows why, and goes back to SQLite' {
        $database = New-TeamDatabase
        $folder = New-TestHome
        (Get-BatchShipStore).Kind | Should -Be 'SQLite'
        (Get-BatchShipStore).Source | Should -Be 'Default'

        $set = Set-BatchShipStore -ConnectionString $database
        $set.Kind | Should -Be 'PostgreSQL'
        $set.Source | Should -Be 'Setting'
        $set.Location | Should -Be $database
        Test-Path (Join-Path $folder 'store.json') | Should -BeTrue

        { Get-BatchJob } | Should -Throw -ErrorId 'E-4022*' -Because 'a station does not create the schema by itself'
        (Initialize-BatchShipStore).SchemaVersionAfter | Should -BeGreaterThan 0
        @(Get-BatchJob).Count | Should -Be 0

        (Set-BatchShipStore -Sqlite).Kind | Should -Be 'SQLite'
        Test-Path (Join-Path $folder 'store.json') | Should -BeFalse
    }

    It 'refuses a connection string that holds a password with E-4023, and never shows the password' {
        $folder = New-TestHome
        $error.Clear()
        { Set-BatchShipStore -ConnectionString 'Host=db1;Database=batchship;Username=clerk;Password=s3cret-pw' } | Should -Throw -ErrorId 'E-4023*'
        ($error[0] | Out-String) | Should -Not -Match 's3cret-pw'
        Test-Path (Join-Path $folder 'store.json') | Should -BeFalse

        $env:BATCHSHIP_STORE = 'Host=db1;Database=batchship;Username=clerk;Password=s3cret-pw'
        { Get-BatchJob } | Should -Throw -ErrorId 'E-4023*'
        { Get-BatchShipStore } | Should -Throw -ErrorId 'E-4023*'
    }
}
