BeforeAll {
    . (Join-Path $PSScriptRoot 'TestSupport.ps1')
    Import-Module $ModulePath -Force

    # The PostgreSQL server of the test run (build.ps1 -Task Test names it), or one of this file's own.
    $script:OwnServer = $null
    if (-not $env:BATCHSHIP_TEST_POSTGRES) {
        $script:OwnServer = & ([Environment]::ProcessPath) @(if ([IO.Path]::GetFileNameWithoutExtension([Environment]::ProcessPath) -eq 'dotnet') { Join-Path $PSHOME 'pwsh.dll' }) `
            -NoProfile -NonInteractive -File (Join-Path $RepoRoot 'tools/TestPostgres.ps1') -Start | ConvertFrom-Json
    }
    $script:Server = if ($script:OwnServer) { $script:OwnServer.ConnectionString } else { $env:BATCHSHIP_TEST_POSTGRES }
    $parts = @{}
    foreach ($pair in $script:Server -split ';') { if ($pair -match '^\s*([^=]+?)\s*=\s*(.*)$') { $parts[$Matches[1].ToLowerInvariant()] = $Matches[2] } }
    $psql = (Get-Command psql -CommandType Application -ErrorAction SilentlyContinue | Select-Object -First 1).Source
    if (-not $psql) { $psql = Get-ChildItem /usr/lib/postgresql/*/bin/psql | Sort-Object { [int]($_.Directory.Parent.Name -replace '\D', '') } -Descending | Select-Object -First 1 -ExpandProperty FullName }

    # A fresh database of the server for one test.
    function New-TeamDatabase {
        $name = 'bs_pester_' + [guid]::NewGuid().ToString('N').Substring(0, 12)
        & $psql -h $parts['host'] -U $parts['username'] -d $parts['database'] -q -c "CREATE DATABASE $name" | Out-Null
        if ($LASTEXITCODE -ne 0) { throw "CREATE DATABASE $name failed." }
        "Host=$($parts['host']);Username=$($parts['username']);Database=$name"
    }
}

AfterAll {
    Remove-Item Env:BATCHSHIP_STORE -ErrorAction SilentlyContinue
    Remove-Module BatchShip -ErrorAction SilentlyContinue
    if ($script:OwnServer) {
        & ([Environment]::ProcessPath) @(if ([IO.Path]::GetFileNameWithoutExtension([Environment]::ProcessPath) -eq 'dotnet') { Join-Path $PSHOME 'pwsh.dll' }) `
            -NoProfile -NonInteractive -File (Join-Path $RepoRoot 'tools/TestPostgres.ps1') -Stop -DataFolder $script:OwnServer.DataFolder
    }
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
        (Get-Ledger).Count | Should -Be 3
        @(Get-Ledger).References | Select-Object -Unique | Should -HaveCount 3
        $stationA | Should -Not -Be $stationB
        Test-Path (Join-Path $stationB 'batchship.db') | Should -BeFalse -Because 'the station used the team store, not a file of its own'
        (Get-BatchJob).Count | Should -Be 2 -Because 'both stations see both jobs'
        (Get-BatchShipStore).Source | Should -Be 'Variable'
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
