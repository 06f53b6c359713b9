# A shop's own export as it comes: its column names, its delimiter and encoding, its service wording, and a shipper
# typed by hand. Real pwsh, real store, real sandbox carrier.

BeforeAll {
    . (Join-Path $PSScriptRoot 'TestSupport.ps1')
    Import-Module $ModulePath -Force

    function New-ShopRow {
        param([string] $Reference, [string] $Name = "Customer $Reference")
        [pscustomobject][ordered]@{
            Name = $Name; Street = '1 Market St'; City = 'San Francisco'; Zip = '94105'; Province = 'CA'
            'Weight (lb)' = '2'; Reference = $Reference
        }
    }
}

AfterAll {
    Remove-Module BatchShip -ErrorAction SilentlyContinue
}

Describe 'Your own column names' {
    BeforeEach {
        $testHome = Use-TestStore
    }

    It 'ships Name, Zip, Province, Weight (lb) with one -ColumnMap, and keeps the input names in the results' {
        $result = New-ShopRow 'SHOP-1' | Start-BatchShipment -Template ups-ground -Shipper $Shipper -Force `
            -ColumnMap @{ RecipientName = 'Name'; PostalCode = 'Zip'; State = 'Province'; WeightLb = 'Weight (lb)' }
        $result.ShipmentStatus | Should -Be 'Completed'
        $result.Zip | Should -Be '94105'
        $ledger = Get-Ledger
        $ledger.Count | Should -Be 1
        ($ledger[0] | ConvertTo-Json -Depth 5) | Should -Match 'Customer SHOP-1'
    }

    It 'ships with no -ColumnMap where the aliases cover the columns' {
        $row = [pscustomobject]@{ Recipient = 'Dana'; 'Address Line 1' = '1 Market St'; City = 'San Francisco'; 'Postal Code' = '94105'
            Province = 'CA'; Weight = '2'; Reference = 'SHOP-2' }
        ($row | Start-BatchShipment -Template ups-ground -Shipper $Shipper -Force).ShipmentStatus | Should -Be 'Completed'
        (Get-Ledger).Count | Should -Be 1
    }

    It 'uses a mapped order column as the natural key, and Resume renders with the stored map' {
        $row = New-ShopRow 'x' | Select-Object Name, Street, City, Zip, Province, 'Weight (lb)', @{ n = 'Order No'; e = { 'SHOP-3' } }
        $map = @{ RecipientName = 'Name'; Reference = 'Order No' }
        $env:BATCHSHIP_SANDBOX_FAULTS = 'auth_fail=1'
        try {
            { $row | Start-BatchShipment -Template ups-ground -Shipper $Shipper -ColumnMap $map -Force -ErrorAction Stop } | Should -Throw
        }
        finally {
            Remove-Item Env:BATCHSHIP_SANDBOX_FAULTS
        }
        (Get-BatchJob -Newest 1 | Resume-BatchShipment).ShipmentStatus | Should -Be 'Completed'
        ($row | Start-BatchShipment -Template ups-ground -Shipper $Shipper -ColumnMap $map -Force -WarningAction SilentlyContinue).ShipmentStatus |
            Should -Be 'AlreadyShipped'
        (Get-Ledger).Count | Should -Be 1
    }

    It 'reports missing required columns once for the job, with the columns found and the closest match, and keeps no job' {
        $rows = 1..3 | ForEach-Object { New-ShopRow "SHOP-$_" | Select-Object Name, Street, City, 'Zip Cod', Province, Reference }
        $errors = @()
        try {
            $rows | Start-BatchShipment -Template ups-ground -Shipper $Shipper -Force -ErrorAction Stop -ErrorVariable errors
        }
        catch {
            $caught = $_
        }
        $caught.FullyQualifiedErrorId | Should -BeLike 'E-1007*'
        $message = $caught.Exception.Message
        $message | Should -BeLike "*RecipientName or Company: did you mean 'Name'? use -ColumnMap @{ RecipientName = 'Name' }*"
        $message | Should -BeLike "*PostalCode: did you mean 'Zip Cod'?*"
        $message | Should -BeLike '*WeightLb (also read as Weight*'
        $message | Should -BeLike "*Columns found: 'Name', 'Street', 'City', 'Zip Cod', 'Province', 'Reference'*"
        $caught.ErrorDetails.Message | Should -Not -BeLike '*Resume*'
        @(Get-BatchJob).Count | Should -Be 0
        (Get-Ledger).Count | Should -Be 0
    }
}

Describe '-Path with -Delimiter and -Encoding' {
    BeforeEach {
        $testHome = Use-TestStore
        $folder = Join-Path $testHome 'files'
        New-Item -ItemType Directory -Path $folder | Out-Null
        $text = "RecipientName;Address1;City;State;PostalCode;WeightLb;Reference`r`nZoë Müller;1 Market St;San Francisco;CA;94105;2;EU-1`r`n"
    }

    It 'ships a semicolon-separated UTF-8 file with -Delimiter ;' {
        $path = Join-Path $folder 'semicolon.csv'
        [IO.File]::WriteAllText($path, $text, [Text.UTF8Encoding]::new($false))
        (Start-BatchShipment -Path $path -Delimiter ';' -Template ups-ground -Shipper $Shipper -Force).ShipmentStatus | Should -Be 'Completed'
        (Get-Ledger)[0].shipTo.name | Should -Be 'Zoë Müller'
    }

    It 'ships a Windows-1252 file with -Encoding 1252, the accented name intact' {
        $path = Join-Path $folder 'ansi.csv'
        [IO.File]::WriteAllBytes($path, [Text.CodePagesEncodingProvider]::Instance.GetEncoding(1252).GetBytes($text))
        $result = Start-BatchShipment -Path $path -Delimiter ';' -Encoding 1252 -Template ups-ground -Shipper $Shipper -Force
        $result.ShipmentStatus | Should -Be 'Completed'
        $result.RecipientName | Should -Be 'Zoë Müller'
        (Get-Ledger)[0].shipTo.name | Should -Be 'Zoë Müller'
    }

    It 'tells a semicolon file read without -Delimiter to use it' {
        $path = Join-Path $folder 'semicolon.csv'
        [IO.File]::WriteAllText($path, $text, [Text.UTF8Encoding]::new($false))
        { Start-BatchShipment -Path $path -Template ups-ground -Shipper $Shipper -Force -ErrorAction Stop } |
            Should -Throw -ErrorId 'E-1007*' -ExpectedMessage "*looks semicolon-separated: use -Delimiter ';'*"
        @(Get-BatchJob).Count | Should -Be 0
    }
}

Describe 'Services in shop wording and by destination' {
    BeforeEach {
        $testHome = Use-TestStore
    }

    It 'ships <Wording> as service <Code>' -ForEach @(
        @{ Wording = 'Overnight'; Code = '01' }, @{ Wording = '2-Day'; Code = '02' }, @{ Wording = 'Standard Shipping'; Code = '03' }
    ) {
        $row = New-Order "SVC-$Code"
        $row | Add-Member Service $Wording
        ($row | Start-BatchShipment -Template ups-ground -Shipper $Shipper -Force).ShipmentStatus | Should -Be 'Completed'
        (Get-Ledger)[0].serviceCode | Should -Be $Code
    }

    It 'refuses a Canadian row on the default Ground before buying, naming the services for Canada' {
        $row = [pscustomobject]@{ RecipientName = 'Jean'; Address1 = '1 Rue King'; City = 'Toronto'; State = 'ON'; PostalCode = 'M5V 2T6'
            Country = 'Canada'; WeightLb = '2'; Reference = 'CA-1' }
        { $row | Start-BatchShipment -Template ups-ground -Shipper $Shipper -Force -ErrorAction Stop } |
            Should -Throw -ErrorId 'E-2013*' -ExpectedMessage '*UPS Standard (11), Worldwide Express (07), Worldwide Expedited (08), Worldwide Saver (65)*'
        (Get-Ledger).Count | Should -Be 0
    }
}

Describe 'The shipper' {
    BeforeEach {
        $testHome = Use-TestStore
    }

    It 'is normalised like a row before the job is created' {
        $typed = @{ Name = 'Harbor'; ShipperNumber = 'a1b2c3'; Address1 = '200 Summer Street'; City = 'Boston'
            State = 'Massachusetts'; PostalCode = '2210'; Country = 'USA'; Phone = '+1 (617) 555-0100' }
        # The sandbox checks the shipper's address as UPS does: Massachusetts, 2210 or USA as given would be refused.
        (New-Order 'SHP-1' | Start-BatchShipment -Template ups-ground -Shipper $typed -Force).ShipmentStatus | Should -Be 'Completed'
    }

    It 'refuses an unknown key with the key it resembles, before a job is created' {
        $typo = $Shipper.Clone()
        $typo.Phnoe = '617 555 0100'
        { New-Order 'SHP-2' | Start-BatchShipment -Template ups-ground -Shipper $typo -Force -ErrorAction Stop } |
            Should -Throw -ErrorId 'E-2007*' -ExpectedMessage "*unknown shipper key 'Phnoe': did you mean 'Phone'?*"
        @(Get-BatchJob).Count | Should -Be 0
    }
}
