# Pester 5 tests of the sample nightly.ps1, run offline against the sandbox carrier. Copy this file beside your own
# script and change the scenarios: each test gets its own store and sandbox ledger from Use-BatchShipSandbox, runs
# the script the way the scheduler does (a separate pwsh -File), and checks its exit code, its output file and what
# the carrier really made (Get-BatchShipSandboxShipment).

BeforeAll {
    # The module this sample ships in; a copy elsewhere imports BatchShip by name.
    $bundled = Join-Path $PSScriptRoot '../../BatchShip.psd1'
    if (Test-Path $bundled) { Import-Module $bundled -Force } else { Import-Module BatchShip }
    $script:Nightly = Join-Path $PSScriptRoot '../nightly.ps1'
    $script:Orders = Import-Csv (Join-Path $PSScriptRoot '../orders.csv')

    function Invoke-Nightly {
        # Runs nightly.ps1 in a new pwsh, like a scheduler; the sandbox reaches it through the environment.
        param([string] $OrdersFile = (Join-Path $PSScriptRoot '../orders.csv'), [string[]] $More = @())
        $out = Join-Path $TestDrive ("night-" + [guid]::NewGuid().ToString('N').Substring(0, 6))
        New-Item -ItemType Directory $out | Out-Null
        # The PowerShell running these tests; started as 'dotnet pwsh.dll' when it is the .NET tool.
        $exe = [Environment]::ProcessPath
        [string[]] $prefix = if ([IO.Path]::GetFileNameWithoutExtension($exe) -eq 'dotnet') { @(Join-Path $PSHOME 'pwsh.dll') } else { @() }
        $log = & $exe @prefix -NoProfile -NonInteractive -File $Nightly -Orders $OrdersFile -OutputFolder $out @More 2>&1
        [pscustomobject]@{
            ExitCode = $LASTEXITCODE
            Log      = ($log | Out-String)
            Shipped  = @(Get-ChildItem $out -Filter 'shipped-*.csv' | ForEach-Object { Import-Csv $_.FullName })
        }
    }
}

Describe 'The nightly shipping script' {
    BeforeEach {
        # A fresh store and ledger under TestDrive: for this test, undone by itself when the test ends.
        $sandbox = Use-BatchShipSandbox -Seed 42
    }

    It 'ships a clean night: every order once, exit code 0, every order in the output file' {
        $night = Invoke-Nightly
        $night.ExitCode | Should -Be 0 -Because $night.Log
        $night.Shipped | Should -HaveCount $Orders.Count
        $night.Shipped.ShipmentStatus | Sort-Object -Unique | Should -Be 'Completed'
        Get-BatchShipSandboxShipment | Should -HaveCount $Orders.Count
        (Get-BatchShipSandboxShipment).Reference | Sort-Object | Should -Be ($night.Shipped | ForEach-Object { "BS-$($_.JobId)-$($_.RowNumber)" } | Sort-Object)
    }

    It 'reports a bad row with exit code 1 and still writes every order to the output file' {
        $file = Join-Path $TestDrive 'orders-with-a-bad-row.csv'
        $bad = $Orders | ForEach-Object { $_.PSObject.Copy() }
        $bad[4].PostalCode = '10012'   # an Austin, Texas order with a New York ZIP code: refused before the carrier is called
        $bad | Export-Csv $file -NoTypeInformation

        $night = Invoke-Nightly -OrdersFile $file
        $night.ExitCode | Should -Be 1 -Because $night.Log
        $night.Shipped | Should -HaveCount $Orders.Count
        $refused = @($night.Shipped | Where-Object ShipmentStatus -eq 'Failed')
        $refused | Should -HaveCount 1
        $refused[0].Reference | Should -Be $Orders[4].Reference
        $refused[0].ErrorCode | Should -Match '^E-[23]\d{3}$'
        $refused[0].ErrorMessage | Should -Not -BeNullOrEmpty
        Get-BatchShipSandboxShipment | Should -HaveCount ($Orders.Count - 1)
        Get-BatchShipSandboxShipment -Reference "BS-$($refused[0].JobId)-$($refused[0].RowNumber)" | Should -BeNullOrEmpty
    }

    It 'rides out a 429 storm: refused calls are retried and nothing ships twice' {
        $sandbox = Use-BatchShipSandbox -Faults 'rate_limit=0.3' -Seed 7
        $night = Invoke-Nightly
        $night.ExitCode | Should -Be 0 -Because $night.Log
        $night.Shipped.ShipmentStatus | Sort-Object -Unique | Should -Be 'Completed'
        $shipments = Get-BatchShipSandboxShipment
        $shipments | Should -HaveCount $Orders.Count
        $shipments.Reference | Sort-Object -Unique | Should -HaveCount $Orders.Count
    }

    It 'stops on an authentication failure with exit code 2, ships nothing, and the next night ships everything' {
        $failing = Use-BatchShipSandbox -Path $sandbox.Path -Faults 'auth_fail=1'
        $night = Invoke-Nightly
        $night.ExitCode | Should -Be 2 -Because $night.Log
        $night.Log | Should -Match 'E-5001'
        $night.Shipped | Should -HaveCount $Orders.Count -Because 'the output file lists every order, even unsent'
        $night.Shipped.ShipmentStatus | Sort-Object -Unique | Should -Be 'Pending'
        Get-BatchShipSandboxShipment | Should -BeNullOrEmpty

        $failing.Undo()   # the credentials are fixed: same store and ledger, no fault
        $next = Invoke-Nightly
        $next.ExitCode | Should -Be 0 -Because $next.Log
        Get-BatchShipSandboxShipment | Should -HaveCount $Orders.Count
        (Get-BatchJob | Where-Object Status -ne 'Completed') | Should -BeNullOrEmpty
    }

    It 'resumes after the runner is killed mid-batch and ships every order exactly once' {
        # The runner kills itself (SIGKILL) right after the carrier made row 3's shipment, before recording it: the
        # worst moment. One row at a time, so that only row 3 is in flight when it dies.
        # A crash point is armed only by the first 16 hex digits of the SHA-256 of its exact value (about_BatchShip).
        $env:BATCHSHIP_CRASH_AT = 'after-create:3'
        $env:BATCHSHIP_CRASH_ARM = [Convert]::ToHexString([Security.Cryptography.SHA256]::HashData([Text.Encoding]::UTF8.GetBytes($env:BATCHSHIP_CRASH_AT))).Substring(0, 16).ToLowerInvariant()
        $night = Invoke-Nightly -More '-ThrottleLimit', '1'
        Remove-Item Env:BATCHSHIP_CRASH_AT, Env:BATCHSHIP_CRASH_ARM
        $night.ExitCode | Should -Not -Be 0 -Because 'the runner was killed'
        Get-BatchShipSandboxShipment | Should -HaveCount 3 -Because 'the carrier made rows 1 to 3'
        (Get-BatchJob -Newest 1).Status | Should -Be 'Interrupted'

        $next = Invoke-Nightly
        $next.ExitCode | Should -Be 0 -Because $next.Log
        $shipments = Get-BatchShipSandboxShipment
        $shipments | Should -HaveCount $Orders.Count
        $shipments.Reference | Sort-Object -Unique | Should -HaveCount $Orders.Count
        $next.Shipped.ShipmentStatus | Sort-Object -Unique | Should -Be 'AlreadyShipped' -Because 'the resumed job shipped them; the new file only finds them shipped'
    }
}
