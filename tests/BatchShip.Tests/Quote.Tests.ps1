BeforeAll {
    . (Join-Path $PSScriptRoot 'TestSupport.ps1')
    Import-Module $ModulePath -Force

    function New-QuoteOrders {
        # Different weights, so that every row has its own price and a mix-up between rows shows.
        param([string] $Prefix, [int] $Count = 4)
        1..$Count | ForEach-Object { New-Order "$Prefix-$_" -Weight ([string]($_ * 3 + 0.5)) }
    }
}

AfterAll {
    Remove-Module BatchShip -ErrorAction SilentlyContinue
}

Describe 'Start-BatchShipment -Quote' {
    BeforeEach {
        $testHome = Use-TestStore
    }

    It 'quotes every row, buys nothing, and totals the rates; the run then charges each row what was quoted' {
        $orders = @(New-QuoteOrders 'QT')
        $quotes = @($orders | Start-BatchShipment -Quote -Template ups-ground -Shipper $Shipper -InformationVariable info)

        $quotes.Count | Should -Be 4
        $quotes[0].PSObject.TypeNames[0] | Should -Be 'BatchShip.ShipmentQuote'
        $quotes.QuoteStatus | Sort-Object -Unique | Should -Be 'Quoted'
        $quotes.RowNumber | Should -Be @(1, 2, 3, 4)
        $quotes.Reference | Should -Be $orders.Reference
        foreach ($q in $quotes) { $q.Cost | Should -BeGreaterThan 0; $q.Currency | Should -Be 'USD'; $q.ServiceCode | Should -Be '03' }
        @($quotes.Cost | Sort-Object -Unique).Count | Should -Be 4
        $total = $info[-1].MessageData
        $total.PSObject.TypeNames[0] | Should -Be 'BatchShip.ShipmentQuoteTotal'
        $total.TotalCost | Should -Be (($quotes | Measure-Object Cost -Sum).Sum)
        $total.Currency | Should -Be 'USD'
        $total.WouldShip | Should -Be 4
        "$total" | Should -Match 'Quote of 4 row\(s\) .*4 would ship for an estimated [\d,]+\.\d\d USD'
        @(Get-Ledger).Count | Should -Be 0
        @(Get-BatchJob).Count | Should -Be 0

        # -Force: no prompt, so no quote is made before buying.
        $shipped = @($orders | Start-BatchShipment -Template ups-ground -Shipper $Shipper -Force -Verbose 4>&1)
        $results = @($shipped | Where-Object { $_ -isnot [System.Management.Automation.VerboseRecord] })
        @($shipped | Where-Object { $_ -is [System.Management.Automation.VerboseRecord] -and "$_" -like 'Quote:*' }).Count | Should -Be 0
        foreach ($q in $quotes) {
            ($results | Where-Object Reference -eq $q.Reference).Cost | Should -Be $q.Cost
        }
        $ledger = @(Get-Ledger)
        $ledger.Count | Should -Be 4
        ($ledger | ForEach-Object { [decimal] $_.cost } | Measure-Object -Sum).Sum | Should -Be $total.TotalCost
    }

    It 'quotes an order already shipped, says so, and leaves it out of the total' {
        $orders = @(New-QuoteOrders 'QS' -Count 2)
        $orders[0] | Start-BatchShipment -Template ups-ground -Shipper $Shipper -Force | Out-Null

        $quotes = @($orders | Start-BatchShipment -Quote -Template ups-ground -Shipper $Shipper -InformationVariable info)

        $quotes[0].QuoteStatus | Should -Be 'AlreadyShipped'
        $quotes[0].Cost | Should -BeGreaterThan 0
        $quotes[0].AlreadyShippedBy | Should -Not -BeNullOrEmpty
        $quotes[1].QuoteStatus | Should -Be 'Quoted'
        $info[-1].MessageData.AlreadyShipped | Should -Be 1
        $info[-1].MessageData.TotalCost | Should -Be $quotes[1].Cost
        @(Get-Ledger).Count | Should -Be 1
    }

    It 'gives a row that cannot be quoted its E-code and leaves it out of the total' {
        $orders = @((New-Order 'QI-1'), (New-Order 'QI-2' -Zip '10012'))

        $quotes = @($orders | Start-BatchShipment -Quote -Template ups-ground -Shipper $Shipper -InformationVariable info)

        $quotes[1].QuoteStatus | Should -Be 'Invalid'
        $quotes[1].ErrorCode | Should -Be 'E-2001'
        $quotes[1].Cost | Should -BeNullOrEmpty
        $info[-1].MessageData.Failed | Should -Be 1
        $info[-1].MessageData.TotalCost | Should -Be $quotes[0].Cost
    }
}

Describe 'Start-BatchShipment -MaxTotalCost' {
    BeforeEach {
        $testHome = Use-TestStore
    }

    It 'refuses a batch quoted above the limit with E-3008 before anything is bought, and removes the job' {
        $orders = @(New-QuoteOrders 'QM')

        { $orders | Start-BatchShipment -Template ups-ground -Shipper $Shipper -Force -MaxTotalCost 10 } |
            Should -Throw -ErrorId 'E-3008*' -ExpectedMessage '*more than -MaxTotalCost 10.00*Nothing was shipped*'

        @(Get-Ledger).Count | Should -Be 0
        @(Get-BatchJob).Count | Should -Be 0
    }

    It 'ships a batch quoted within the limit' {
        $orders = @(New-QuoteOrders 'QW' -Count 2)

        $results = @($orders | Start-BatchShipment -Template ups-ground -Shipper $Shipper -Force -MaxTotalCost 1000)

        $results.ShipmentStatus | Sort-Object -Unique | Should -Be 'Completed'
        @(Get-Ledger).Count | Should -Be 2
    }
}

Describe 'The confirmation prompt' {
    BeforeEach {
        $testHome = Use-TestStore
    }

    It 'asks once, naming the row count and the quoted total, in a real console host answered No' {
        $orders = @(New-QuoteOrders 'QP' -Count 3)
        $null = $orders | Start-BatchShipment -Quote -Template ups-ground -Shipper $Shipper -InformationVariable info
        $expected = $info[-1].MessageData.TotalCost.ToString('N2', [cultureinfo]::InvariantCulture)
        $ordersFile = Join-Path $testHome 'orders.csv'
        $orders | Export-Csv -Path $ordersFile -NoTypeInformation

        # A separate pwsh whose console host reads the answer from its standard input, as a person would type it.
        $exe = [Environment]::ProcessPath
        $psi = [System.Diagnostics.ProcessStartInfo]::new($exe)
        if ([IO.Path]::GetFileNameWithoutExtension($exe) -eq 'dotnet') { $psi.ArgumentList.Add((Join-Path $PSHOME 'pwsh.dll')) }
        foreach ($a in '-NoProfile', '-Command', "Import-Module '$ModulePath'; Start-BatchShipment -Path '$ordersFile' -Template ups-ground -Shipper '$ShipperFile' -Confirm | Out-Null") {
            $psi.ArgumentList.Add($a)
        }
        $psi.RedirectStandardInput = $true
        $psi.RedirectStandardOutput = $true
        $psi.RedirectStandardError = $true
        $child = [System.Diagnostics.Process]::Start($psi)
        $child.StandardInput.WriteLine('N')
        $child.StandardInput.Close()
        $errors = $child.StandardError.ReadToEndAsync()
        $output = $child.StandardOutput.ReadToEnd()
        $child.WaitForExit()

        $errors.Result | Should -BeNullOrEmpty
        $questions = @($output -split "`r?`n" | Where-Object { $_ -like 'Ship * rows*' })
        $questions | Should -Be @("Ship 3 rows for an estimated $expected USD?")
        @(Get-Ledger).Count | Should -Be 0
        @(Get-BatchJob).Count | Should -Be 0
    }

    It 'says what it would ship without quoting under -WhatIf' {
        $orders = @(New-QuoteOrders 'QF' -Count 2)

        $orders | Start-BatchShipment -Template ups-ground -Shipper $Shipper -WhatIf -Verbose 4>&1 |
            Where-Object { "$_" -like 'Quote:*' } | Should -BeNullOrEmpty
        @(Get-Ledger).Count | Should -Be 0
    }
}
