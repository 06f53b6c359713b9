# Address validation before buying, tracking afterwards, unknown costs, and rows abroad: through a real pwsh
# importing the built module, against the real sandbox carrier.
BeforeAll {
    . (Join-Path $PSScriptRoot 'TestSupport.ps1')
    Import-Module $ModulePath -Force
    $script:SandboxDll = Join-Path $ModulePath 'carriers/sandbox/BatchShip.SandboxCarrier.dll'

    function New-SandboxProfile {
        # The sandbox under another profile name, with some of its optional tools switched off (null).
        param([Parameter(Mandatory)] [string] $Name, [hashtable] $Tools = @{})
        $folder = New-Item -ItemType Directory -Force (Join-Path $env:BATCHSHIP_HOME 'carriers')
        $dotnet = (Get-Command dotnet -CommandType Application | Select-Object -First 1).Source
        $file = Join-Path $folder "$Name.json"
        @{ command = $dotnet; args = @($SandboxDll); tools = $Tools } | ConvertTo-Json | Set-Content $file
        if (-not $IsWindows) { [IO.File]::SetUnixFileMode($file, 'UserRead, UserWrite') }
        $Name
    }

    function Get-Calls {
        # Every tool call the sandbox answered, from its call log.
        if (-not (Test-Path $env:BATCHSHIP_SANDBOX_CALL_LOG)) { return @() }
        @(Get-Content $env:BATCHSHIP_SANDBOX_CALL_LOG | ConvertFrom-Json)
    }

    function New-CanadaOrder {
        param([string] $Reference, [switch] $Invoice, [string] $Service = 'Standard')
        $order = [ordered]@{
            RecipientName = "Client $Reference"; Address1 = '100 Rue Sherbrooke'; City = 'Montreal'; State = 'QC'
            PostalCode = 'H2X 1C4'; Country = 'CA'; WeightLb = '2'; Service = $Service; Reference = $Reference
        }
        if ($Invoice) {
            $order.InvoiceDescription = 'Cotton T-shirts'; $order.InvoiceQuantity = '3'; $order.InvoiceValue = '12.50'
            $order.InvoiceCurrency = 'USD'; $order.HSCode = '6109.10'
        }
        [pscustomobject]$order
    }
}

AfterAll {
    Remove-Item Env:BATCHSHIP_SANDBOX_CALL_LOG, Env:BATCHSHIP_SANDBOX_FAULTS -ErrorAction SilentlyContinue
    Remove-Module BatchShip -ErrorAction SilentlyContinue
}

Describe 'Start-BatchShipment -ValidateAddress' {
    BeforeEach {
        $testHome = Use-TestStore
        $env:BATCHSHIP_SANDBOX_CALL_LOG = Join-Path $testHome 'calls.jsonl'
    }

    It 'fails a row whose address the carrier does not know with E-2017 before buying it, and ships the others' {
        $unknown = New-Order 'VA-2'
        $unknown.Address1 = '1 Łódź Street'
        $results = @(New-Order 'VA-1'; $unknown) |
            Start-BatchShipment -Template ups-ground -Shipper $Shipper -ValidateAddress -ErrorPolicy Continue -ThrottleLimit 1 -Force -ErrorVariable errs -ErrorAction SilentlyContinue

        ($results | Where-Object Reference -eq 'VA-1').ShipmentStatus | Should -Be 'Completed'
        $failed = $results | Where-Object Reference -eq 'VA-2'
        $failed.ShipmentStatus | Should -Be 'Failed'
        $failed.ErrorCode | Should -Be 'E-2017'
        $failed.ErrorMessage | Should -Match 'Address1, City, State, PostalCode'
        ($errs | Where-Object { $_.FullyQualifiedErrorId -like 'E-2017*' }) | Should -HaveCount 1
        $calls = Get-Calls
        @($calls | Where-Object tool -eq 'validate_address') | Should -HaveCount 2
        @($calls | Where-Object tool -eq 'create_shipment') | Should -HaveCount 1 -Because 'the unknown address was never bought'
        @(Get-Ledger) | Should -HaveCount 1
    }

    It 'fails a row whose address the carrier knows only otherwise with E-2017 listing the carrier''s candidates' {
        # No state: the carrier's validation knows the street only in the state its ZIP code belongs to.
        $result = New-Order 'VA-6' -State '' |
            Start-BatchShipment -Template ups-ground -Shipper $Shipper -ValidateAddress -ErrorPolicy Continue -Force -ErrorAction SilentlyContinue

        $result.ShipmentStatus | Should -Be 'Failed'
        $result.ErrorCode | Should -Be 'E-2017'
        $result.ErrorMessage | Should -Match '\(1\) 1 MARKET ST, SAN FRANCISCO CA 94105-\d{4} US'
        Get-Calls | Where-Object tool -eq 'create_shipment' | Should -BeNullOrEmpty
    }

    It 'leaves the row Pending when the carrier refuses the validation itself, and Resume validates too' {
        $env:BATCHSHIP_SANDBOX_FAULTS = 'auth_fail=1'
        try {
            { New-Order 'VA-7' | Start-BatchShipment -Template ups-ground -Shipper $Shipper -ValidateAddress -Force -ErrorAction SilentlyContinue } |
                Should -Throw -ErrorId 'E-5001*'
        }
        finally {
            Remove-Item Env:BATCHSHIP_SANDBOX_FAULTS
        }
        $job = Get-BatchJob -Newest 1
        $job.Status | Should -Be 'Failed'
        $job.Pending | Should -Be 1
        @(Get-Calls | Where-Object tool -eq 'create_shipment') | Should -HaveCount 0

        $resumed = Resume-BatchShipment -JobId $job.JobId -Force
        $resumed.ShipmentStatus | Should -Be 'Completed'
        $tools = @(Get-Calls | Where-Object outcome -eq 'success' | ForEach-Object tool)
        $tools | Should -Be @('validate_address', 'create_shipment') -Because 'the resumed run validates before it buys'
    }

    It 'without -ValidateAddress sends no validation call' {
        New-Order 'VA-3' | Start-BatchShipment -Template ups-ground -Shipper $Shipper -Force | Out-Null
        Get-Calls | Where-Object tool -eq 'validate_address' | Should -BeNullOrEmpty
    }

    It 'refuses a carrier without a validation tool with E-3011 before a job exists' {
        $carrier = New-SandboxProfile 'NoValidation' @{ validate = $null }
        { New-Order 'VA-4' | Start-BatchShipment -Template ups-ground -Shipper $Shipper -Carrier $carrier -ValidateAddress -Force } |
            Should -Throw -ErrorId 'E-3011*'
        Get-BatchJob | Should -BeNullOrEmpty
        @(Get-Ledger) | Should -HaveCount 0
    }

    It 'refuses a carrier whose server does not offer the named validation tool with E-3011' {
        $carrier = New-SandboxProfile 'OddValidation' @{ validate = 'check_address' }
        $caught = $null
        try { New-Order 'VA-5' | Start-BatchShipment -Template ups-ground -Shipper $Shipper -Carrier $carrier -ValidateAddress -Force } catch { $caught = $_ }
        $caught.FullyQualifiedErrorId | Should -BeLike 'E-3011*'
        $caught.Exception.Message | Should -Match "check_address"
        Get-BatchJob | Should -BeNullOrEmpty
    }
}

Describe 'Update-BatchShipmentTracking' {
    BeforeEach {
        $testHome = Use-TestStore
    }

    It 'records each shipped row''s delivery status, shown by Get-BatchShipment' {
        'TR-1', 'TR-2' | ForEach-Object { New-Order $_ } | Start-BatchShipment -Template ups-ground -Shipper $Shipper -Force | Out-Null
        $job = Get-BatchJob -Newest 1
        (Get-BatchShipment -JobId $job.JobId)[0].DeliveryStatus | Should -BeNullOrEmpty -Because 'nothing was tracked yet'

        $tracked = @($job | Update-BatchShipmentTracking)

        $tracked | Should -HaveCount 2
        $tracked.DeliveryStatus | Should -Be @('Label Created', 'Label Created')
        $stored = Get-BatchShipment -JobId $job.JobId
        $stored.DeliveryStatus | Should -Be @('Label Created', 'Label Created')
        $stored[0].PSObject.Properties.Name | Should -Contain 'DeliveredAt'
        $stored[0].DeliveredAt | Should -BeNullOrEmpty
    }

    It 'tracks only the piped rows, and a row the carrier does not know is a non-terminating E-3012' {
        # The sandbox numbers each ledger's shipments from the start, so the first job ships under another shipper
        # number: its tracking number then cannot be one the second ledger also issued.
        $otherShipper = $Shipper.Clone()
        $otherShipper.ShipperNumber = 'Z9Y8X7'
        $env:BATCHSHIP_SANDBOX_LEDGER = Join-Path $testHome 'first-ledger.jsonl'
        New-Order 'TU-1' | Start-BatchShipment -Template ups-ground -Shipper $otherShipper -Force | Out-Null
        # A carrier that never made the first job's shipment (another ledger) cannot track it.
        $env:BATCHSHIP_SANDBOX_LEDGER = Join-Path $testHome 'second-ledger.jsonl'
        'TU-2', 'TU-3' | ForEach-Object { New-Order $_ } | Start-BatchShipment -Template ups-ground -Shipper $Shipper -Force | Out-Null
        $first, $second = Get-BatchJob | Sort-Object CreatedAt

        $tracked = @(@(Get-BatchShipment -JobId $first.JobId) + @(Get-BatchShipment -JobId $second.JobId -RowNumber 2) |
            Update-BatchShipmentTracking -ErrorVariable errs -ErrorAction SilentlyContinue)

        $tracked | Should -HaveCount 1
        $tracked[0].Reference | Should -Be 'TU-3'
        $errs | Should -HaveCount 1
        $errs[0].FullyQualifiedErrorId | Should -BeLike 'E-3012*'
        $errs[0].Exception.Message | Should -Match (Get-BatchShipment -JobId $first.JobId).TrackingNumber
        (Get-BatchShipment -JobId $second.JobId -RowNumber 1).DeliveryStatus | Should -BeNullOrEmpty -Because 'it was not piped'
    }

    It 'stops with E-3011 when the job''s carrier has no tracking tool' {
        $carrier = New-SandboxProfile 'NoTracking' @{ track = $null }
        New-Order 'TN-1' | Start-BatchShipment -Template ups-ground -Shipper $Shipper -Carrier $carrier -Force | Out-Null
        { Get-BatchJob -Newest 1 | Update-BatchShipmentTracking } | Should -Throw -ErrorId 'E-3011*'
    }
}

Describe 'The cost of a shipment found again by reference' {
    BeforeEach {
        $testHome = Use-TestStore
    }
    AfterEach {
        Remove-Item Env:BATCHSHIP_SANDBOX_FAULTS -ErrorAction SilentlyContinue
    }

    It 'is unknown (empty, not 0) and the job counts it apart from its TotalCost' {
        # The sandbox makes each shipment, then loses its answer: every row is found again by its reference.
        $env:BATCHSHIP_SANDBOX_FAULTS = 'error_after_create=1'
        $results = 'UC-1', 'UC-2' | ForEach-Object { New-Order $_ } |
            Start-BatchShipment -Template ups-ground -Shipper $Shipper -ThrottleLimit 1 -Force -InformationVariable run

        $results.ShipmentStatus | Should -Be @('Completed', 'Completed')
        $results | ForEach-Object { $_.Cost | Should -BeNullOrEmpty }
        @(Get-Ledger) | Should -HaveCount 2
        $job = Get-BatchJob -Newest 1
        $job.CostUnknownRows | Should -Be 2
        $job.TotalCost | Should -Be 0
        "$($run[-1].MessageData)" | Should -Match '\+ 2 row\(s\) of unknown cost'
    }

    It 'is known for a shipment whose answer arrived, and the job has no row of unknown cost' {
        New-Order 'UC-3' | Start-BatchShipment -Template ups-ground -Shipper $Shipper -Force | Out-Null
        $job = Get-BatchJob -Newest 1
        $job.CostUnknownRows | Should -Be 0
        $job.TotalCost | Should -BeGreaterThan 0
    }
}

Describe 'Rows abroad with the built-in template, against a server that requires InternationalForms' {
    BeforeEach {
        $testHome = Use-TestStore
        $env:BATCHSHIP_SANDBOX_CALL_LOG = Join-Path $testHome 'calls.jsonl'
        $env:BATCHSHIP_SANDBOX_FAULTS = 'server=matt-hans'
    }
    AfterEach {
        Remove-Item Env:BATCHSHIP_SANDBOX_FAULTS -ErrorAction SilentlyContinue
    }

    It 'ships a Canadian row with invoice columns and refuses one without them before sending it' {
        $results = @(New-CanadaOrder 'CA-1' -Invoice; New-CanadaOrder 'CA-2'; New-CanadaOrder 'CA-3' -Invoice -Service 'Ground') |
            Start-BatchShipment -Template ups-ground -Shipper $Shipper -ErrorPolicy Continue -ThrottleLimit 1 -Force -ErrorVariable errs -ErrorAction SilentlyContinue

        ($results | Where-Object Reference -eq 'CA-1').ShipmentStatus | Should -Be 'Completed'
        $refused = $results | Where-Object Reference -eq 'CA-2'
        $refused.ShipmentStatus | Should -Be 'Failed'
        $refused.ErrorCode | Should -Be 'E-2018'
        $refused.ErrorMessage | Should -Match 'InvoiceDescription, InvoiceQuantity, InvoiceValue, InvoiceCurrency'
        ($results | Where-Object Reference -eq 'CA-3').ErrorCode | Should -Be 'E-2013' -Because 'Ground does not serve Canada'
        ($errs | Where-Object { $_.FullyQualifiedErrorId -like 'E-2018*' }) | Should -HaveCount 1
        @(Get-Calls | Where-Object tool -eq 'create_shipment') | Should -HaveCount 1 -Because 'only the row with an invoice was sent'
        $shipment = @(Get-Ledger)
        $shipment | Should -HaveCount 1
    }
}
