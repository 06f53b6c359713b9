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
            # (The second run also warns, once per row, that each order was already shipped.)
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
        $caught.ErrorDetails.Message | Should -BeLike '*E-1004 Duplicate order in input (row 3*-AllowDuplicate*'
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
