# Every way out of Start- and Resume-BatchShipment stops the run, waits for the rows in flight and releases
# the job, so nothing is left Running with rows InFlight. Real pwsh, real store, real sandbox with latency.

BeforeAll {
    . (Join-Path $PSScriptRoot 'TestSupport.ps1')
    Import-Module $ModulePath -Force

    function New-Orders([string] $Prefix, [int] $Count) {
        1..$Count | ForEach-Object { New-Order "$Prefix-$_" }
    }

    function Assert-LeftResumable([string] $JobId) {
        $job = Get-BatchJob -JobId $JobId
        $job.Status | Should -BeIn @('Stopped', 'Failed') -Because 'the run ended before the cmdlet did'
        $job.InFlight | Should -Be 0 -Because 'the rows in flight finished their checkpoint'
        $job.Pending | Should -BeGreaterThan 0 -Because 'the throw stopped dispatch'
    }

    function Assert-OneShipmentPerRow([string] $JobId, [int] $Rows) {
        (Get-BatchJob -JobId $JobId).Status | Should -Be 'Completed'
        $ledger = @(Get-Ledger)
        $ledger.Count | Should -Be $Rows
        foreach ($n in 1..$Rows) {
            @($ledger | Where-Object { $_.references -contains "BS-$JobId-$n" }).Count | Should -Be 1 -Because "row $n ships once"
        }
    }
}

AfterAll {
    Remove-Module BatchShip -ErrorAction SilentlyContinue
}

Describe 'A terminating error downstream' {
    BeforeEach {
        $testHome = Use-TestStore
        $env:BATCHSHIP_SANDBOX_FAULTS = 'latency=200ms'
    }

    AfterEach {
        Remove-Item Env:BATCHSHIP_SANDBOX_FAULTS -ErrorAction SilentlyContinue
    }

    It 'leaves Start-BatchShipment only after its run ended, and Resume completes the job' {
        { New-Orders 'DT' 12 | Start-BatchShipment -Template ups-ground -Shipper $Shipper -ThrottleLimit 4 -Force |
                ForEach-Object { throw 'boom' } } | Should -Throw -ExpectedMessage 'boom'
        $jobId = (Get-BatchJob -Newest 1).JobId
        Assert-LeftResumable $jobId

        Remove-Item Env:BATCHSHIP_SANDBOX_FAULTS
        Resume-BatchShipment -JobId $jobId -Force | Out-Null
        Assert-OneShipmentPerRow $jobId 12
    }

    It 'leaves Resume-BatchShipment only after its run ended' {
        $caught = $null
        try {
            New-Orders 'DR' 12 | Start-BatchShipment -Template ups-ground -Shipper $Shipper -ThrottleLimit 1 -Force |
                Select-Object -First 1 | Out-Null
        }
        catch { $caught = $_ }
        $jobId = (Get-BatchJob -Newest 1).JobId
        (Get-BatchJob -JobId $jobId).Status | Should -Be 'Stopped' -Because ($caught | Out-String)

        { Resume-BatchShipment -JobId $jobId -ThrottleLimit 4 -Force | ForEach-Object { throw 'boom' } } |
            Should -Throw -ExpectedMessage 'boom'
        Assert-LeftResumable $jobId

        Remove-Item Env:BATCHSHIP_SANDBOX_FAULTS
        Resume-BatchShipment -JobId $jobId -Force | Out-Null
        Assert-OneShipmentPerRow $jobId 12
    }

    It 'stops a script (pwsh -File) with the downstream error, the job left Stopped for Resume' {
        $script = Join-Path $TestDrive 'throws.ps1'
        @"
`$ErrorActionPreference = 'Stop'
Import-Module '$ModulePath'
1..12 | ForEach-Object { [pscustomobject]@{ RecipientName = 'X'; Address1 = '1 Market St'; City = 'San Francisco'; State = 'CA'; PostalCode = '94105'; WeightLb = '1'; Reference = "DS-`$_" } } |
    Start-BatchShipment -Template ups-ground -Shipper '$ShipperFile' -ThrottleLimit 4 -Force |
    ForEach-Object { throw 'boom' }
"@ | Set-Content $script
        $exe = [Environment]::ProcessPath
        [string[]] $prefix = if ([IO.Path]::GetFileNameWithoutExtension($exe) -eq 'dotnet') { @(Join-Path $PSHOME 'pwsh.dll') } else { @() }
        $output = & $exe @prefix -NoProfile -NonInteractive -File $script 2>&1
        $LASTEXITCODE | Should -Not -Be 0
        ($output -join "`n") | Should -Match 'boom'
        $jobId = (Get-BatchJob -Newest 1).JobId
        Assert-LeftResumable $jobId
    }
}
