BeforeAll {
    . (Join-Path $PSScriptRoot 'TestSupport.ps1')
    Import-Module $script:ModulePath -Force
}

AfterAll {
    Remove-Item Env:BATCHSHIP_SANDBOX_FAULTS -ErrorAction SilentlyContinue
}

Describe 'Waits the user can see' {
    It 'says in Verbose when the carrier rate-limits the run, the pace it slows to, and how long each refused row waits' {
        Use-TestStore | Out-Null
        # The account takes two calls a second, one at a time, and says when to come back.
        $env:BATCHSHIP_SANDBOX_FAULTS = 'rate_cap=2/s;burst=1;retry_after=on'
        $orders = 1..6 | ForEach-Object { New-Order "PACE-$_" }

        $stream = $orders | Start-BatchShipment -Template ups-ground -Shipper $script:Shipper -ThrottleLimit 4 -Force -Verbose 4>&1
        $verbose = @($stream | Where-Object { $_ -is [System.Management.Automation.VerboseRecord] } | ForEach-Object Message)
        $results = @($stream | Where-Object { $_ -isnot [System.Management.Automation.VerboseRecord] })

        $verbose -match 'the carrier refused a call with 429 \(rate limit\): slowing to [\d.]+ requests/s, at most \d+ in flight, waiting [\d.]+ s as it asked\.' |
            Should -Not -BeNullOrEmpty
        $verbose -match 'row \d+: the carrier refused \(E-3002 Rate limited, Retry-After\); nothing was made\. Retry 1 of \d+ in [\d.]+ s, the row Pending meanwhile\.' |
            Should -Not -BeNullOrEmpty
        # The waits changed nothing about what shipped: every row once.
        $results.ShipmentStatus | Should -Be (@('Completed') * 6)
        @(Get-Ledger).Count | Should -Be 6
    }
}
