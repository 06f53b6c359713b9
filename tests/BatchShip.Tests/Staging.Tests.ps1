# What staging must catch before anything is bought: order keys that depend on how a row was built,
# several rows of one order, and column names the results cannot carry. Real pwsh, real store, real sandbox.

BeforeAll {
    . (Join-Path $PSScriptRoot 'TestSupport.ps1')
    Import-Module $ModulePath -Force

    function Get-ChildRunScript {
        # A child pwsh script that ships two hashtable orders without a Reference column, their columns
        # inserted in the given order, and prints each result's status and each warning.
        param([string[]] $ColumnOrder)
        $names = ($ColumnOrder | ForEach-Object { "'$_'" }) -join ', '
        @"
Import-Module '$ModulePath'
function Row([int] `$n) {
    `$values = @{
        RecipientName = "Customer `$n"; Address1 = "`$n Market St"; City = 'San Francisco'; State = 'CA'
        PostalCode = '94105'; WeightLb = '2'; Phone = '4155550100'; Company = 'Acme'; Note1 = 'a'; Note2 = 'b'
        Note3 = 'c'; Note4 = 'd'; Note5 = 'e'; Note6 = 'f'; Note7 = 'g'; Note8 = 'h'
    }
    `$row = [ordered]@{}
    foreach (`$name in @($names)) { `$row[`$name] = `$values[`$name] }
    `$row
}
(Row 1), (Row 2) | Start-BatchShipment -Template ups-ground -Shipper '$ShipperFile' -Force -WarningVariable warned -WarningAction SilentlyContinue |
    ForEach-Object { 'status:' + `$_.ShipmentStatus }
foreach (`$w in `$warned) { 'warning:' + `$w.Message }
"@
    }
}

AfterAll {
    Remove-Module BatchShip -ErrorAction SilentlyContinue
}

Describe 'Natural keys' {
    BeforeEach {
        $testHome = Use-TestStore
    }

    It 'ships hashtable rows without a Reference once, though two processes build their columns in different orders' {
        $columns = 'RecipientName', 'Address1', 'City', 'State', 'PostalCode', 'WeightLb', 'Phone', 'Company',
            'Note1', 'Note2', 'Note3', 'Note4', 'Note5', 'Note6', 'Note7', 'Note8'
        $first = Invoke-ChildPwsh (Get-ChildRunScript -ColumnOrder $columns)
        $LASTEXITCODE | Should -Be 0
        [array]::Reverse($columns)
        $second = Invoke-ChildPwsh (Get-ChildRunScript -ColumnOrder $columns)
        $LASTEXITCODE | Should -Be 0

        @($first | Where-Object { $_ -eq 'status:Completed' }).Count | Should -Be 2
        @($second | Where-Object { $_ -eq 'status:AlreadyShipped' }).Count | Should -Be 2 -Because ($second -join "`n")
        (Get-Ledger).Count | Should -Be 2
        foreach ($run in $first, $second) {
            # (The second run also warns, once, that its orders were already shipped.)
            $warnings = @($run | Where-Object { $_ -like 'warning:*hash of the whole row*' })
            $warnings.Count | Should -Be 1 -Because 'one warning per run, not one per row'
            $warnings[0] | Should -BeLike '*2 of 2 row(s)*Reference*-KeyProperty*'
        }
    }

    It 'knows an order again whatever the case of its Reference, and warns about nothing when there is one' {
        $warned = $null
        New-Order 'ord-1001' | Start-BatchShipment -Template ups-ground -Shipper $Shipper -Force -WarningVariable warned | Out-Null
        $warned.Count | Should -Be 0
        $again = New-Order ' ORD-1001 ' | Start-BatchShipment -Template ups-ground -Shipper $Shipper -Force -WarningAction SilentlyContinue
        $again.ShipmentStatus | Should -Be 'AlreadyShipped'
        (Get-Ledger).Count | Should -Be 1
    }
}

Describe 'Several rows of one order' {
    BeforeEach {
        $testHome = Use-TestStore
    }

    It 'refuses a line-item export with E-1004 naming both rows and the order, and leaves no job and no shipment' {
        # One row per item: order SH-1001 has two items.
        $rows = @((New-Order 'SH-1001'), (New-Order 'SH-1002'), (New-Order 'sh-1001'))
        { $rows | Start-BatchShipment -Template ups-ground -Shipper $Shipper -Force -ErrorAction Stop } |
            Should -Throw -ErrorId 'E-1004*' -ExpectedMessage '*rows 1 and 3*SH-1001*'
        @(Get-BatchJob).Count | Should -Be 0
        (Get-Ledger).Count | Should -Be 0

        # The same under the default error action, as a scheduled script would run it: still terminating.
        $caught = $null
        $errors = $null
        try { $rows | Start-BatchShipment -Template ups-ground -Shipper $Shipper -Force -ErrorVariable errors } catch { $caught = $_ }
        $caught.FullyQualifiedErrorId | Should -BeLike 'E-1004*'
        $caught.ErrorDetails.Message | Should -BeLike '*E-1004 Duplicate order in input (row 3*'
        $caught.ErrorDetails.RecommendedAction | Should -BeLike '*-AllowDuplicate*'
        @($errors).Count | Should -Be 1 -Because 'the error is reported once'
        @(Get-BatchJob).Count | Should -Be 0
    }

    It 'ships every row of one order with -AllowDuplicate' {
        $results = @((New-Order 'SH-2001'), (New-Order 'SH-2001')) |
            Start-BatchShipment -Template ups-ground -Shipper $Shipper -Force -AllowDuplicate
        $results.ShipmentStatus | Should -Be @('Completed', 'Completed')
        (Get-Ledger).Count | Should -Be 2
    }

    It '-WhatIf reports the second row of an order' {
        $errors = $null
        @((New-Order 'SH-3001'), (New-Order 'SH-3001')) |
            Start-BatchShipment -Template ups-ground -Shipper $Shipper -WhatIf -ErrorVariable errors -ErrorAction SilentlyContinue
        @($errors).Count | Should -Be 1
        $errors[0].FullyQualifiedErrorId | Should -BeLike 'E-1004*'
        @(Get-BatchJob).Count | Should -Be 0
    }
}

Describe 'Column names' {
    BeforeEach {
        $testHome = Use-TestStore
        $header = 'RecipientName,Address1,City,State,PostalCode,WeightLb,Reference'
        $values = 'Ann,1 Market St,San Francisco,CA,94105,2'
    }

    It 'ignores the empty column a trailing comma in the header makes, with -Path and with Import-Csv' {
        $csv = Join-Path $TestDrive 'trailing.csv'
        Set-Content $csv "$header,`n$values,TC-1,`n$values,TC-2,"
        $expected = @($header -split ',') + @('JobId', 'RowNumber', 'ShipmentStatus', 'TrackingNumber', 'ShipmentId', 'Cost', 'Currency', 'LabelPath', 'ErrorCode', 'ErrorMessage', 'DeliveryStatus', 'DeliveredAt')

        $errors = $null
        $fromPath = Start-BatchShipment -Path $csv -Template ups-ground -Shipper $Shipper -Force -ErrorVariable errors
        @($errors).Count | Should -Be 0
        $fromPath.ShipmentStatus | Should -Be @('Completed', 'Completed')
        $fromPath[0].PSObject.Properties.Name | Should -Be $expected

        $fromImport = Import-Csv $csv | Start-BatchShipment -Template ups-ground -Shipper $Shipper -Force -WarningAction SilentlyContinue
        $fromImport.ShipmentStatus | Should -Be @('AlreadyShipped', 'AlreadyShipped')
        $fromImport[0].PSObject.Properties.Name | Should -Be $expected
        (Get-Ledger).Count | Should -Be 2
        (Get-BatchJob).Status | Should -Be @('Completed', 'Completed')
    }

    It 'refuses a column without a name that holds values with E-1005, before anything is bought' {
        $csv = Join-Path $TestDrive 'unnamed.csv'
        Set-Content $csv "RecipientName,,Address1,City,State,PostalCode,WeightLb,Reference`nAnn,gift wrap,1 Market St,San Francisco,CA,94105,2,UN-1"
        { Start-BatchShipment -Path $csv -Template ups-ground -Shipper $Shipper -Force } |
            Should -Throw -ErrorId 'E-1005*' -ExpectedMessage '*column 2*'
        @(Get-BatchJob).Count | Should -Be 0
        (Get-Ledger).Count | Should -Be 0
    }

    It 'refuses a -Path file that cannot be read to its end (an unclosed quote) with E-1003, and leaves no job' {
        $csv = Join-Path $TestDrive 'unclosed.csv'
        Set-Content $csv "$header`n$values,UQ-1`n`"Bob,2 Market St,San Francisco,CA,94105,2,UQ-2"
        { Start-BatchShipment -Path $csv -Template ups-ground -Shipper $Shipper -Force } |
            Should -Throw -ErrorId 'E-1003*' -ExpectedMessage '*unclosed quote*'
        @(Get-BatchJob).Count | Should -Be 0
        (Get-Ledger).Count | Should -Be 0
    }

    It 'keeps a column named like a result property as Input_JobId, and refuses one whose new name is taken' {
        $csv = Join-Path $TestDrive 'jobid.csv'
        Set-Content $csv "$header,JobId`n$values,JI-1,shop-77"
        $result = Import-Csv $csv | Start-BatchShipment -Template ups-ground -Shipper $Shipper -Force
        $result.Input_JobId | Should -Be 'shop-77'
        $result.JobId | Should -Be (Get-BatchJob -Newest 1).JobId

        # A file written by Export-Csv from results that already had Input_JobId, shipped again.
        $again = Join-Path $TestDrive 'again.csv'
        Set-Content $again "$header,Input_JobId,JobId`n$values,JI-2,shop-78,abc12345"
        { Import-Csv $again | Start-BatchShipment -Template ups-ground -Shipper $Shipper -Force } |
            Should -Throw -ErrorId 'E-1005*' -ExpectedMessage "*'JobId'*'Input_JobId'*"
        { Start-BatchShipment -Path $again -Template ups-ground -Shipper $Shipper -Force } |
            Should -Throw -ErrorId 'E-1005*'
        @(Get-BatchJob).Count | Should -Be 1
        (Get-Ledger).Count | Should -Be 1
    }

    It 'refuses two columns of one name in a -Path file with E-1005' {
        $csv = Join-Path $TestDrive 'twice.csv'
        Set-Content $csv "$header,reference`n$values,TW-1,TW-2"
        { Start-BatchShipment -Path $csv -Template ups-ground -Shipper $Shipper -Force } |
            Should -Throw -ErrorId 'E-1005*' -ExpectedMessage '*Reference*'
        @(Get-BatchJob).Count | Should -Be 0
        (Get-Ledger).Count | Should -Be 0
    }
}
