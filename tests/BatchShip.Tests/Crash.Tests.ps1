# Exactly-once under real crashes: a child pwsh runs the batch and is killed with SIGKILL at an exact step of
# the row protocol (BATCHSHIP_CRASH_AT, armed by BATCHSHIP_CRASH_ARM) or loses its carrier (sandbox faults); another child resumes; the
# sandbox's own ledger must then hold exactly one live shipment per row, with the store's tracking numbers.

BeforeAll {
    . (Join-Path $PSScriptRoot 'TestSupport.ps1')
    Import-Module $ModulePath -Force

    $script:SandboxDll = Join-Path $ModulePath 'carriers/sandbox/BatchShip.SandboxCarrier.dll'

    function Write-Orders {
        # Writes $Count valid orders to a CSV file and the shipper to a JSON file; returns both paths.
        param([string] $Prefix, [int] $Count = 5)
        $csv = Join-Path $TestDrive "$Prefix-orders.csv"
        $shipperFile = Join-Path $TestDrive 'shipper.json'
        1..$Count | ForEach-Object { New-Order "$Prefix-$_" } | Export-Csv $csv -NoTypeInformation
        $Shipper | ConvertTo-Json | Set-Content $shipperFile
        [pscustomobject]@{ Csv = $csv; Shipper = $shipperFile }
    }

    function Invoke-Runner {
        # Runs a script in a child pwsh with extra environment variables set for it only.
        # Returns the child's exit code and output.
        param([Parameter(Mandatory)] [string] $Command, [hashtable] $Environment = @{})
        $Environment = $Environment.Clone()
        if ($Environment.ContainsKey('BATCHSHIP_CRASH_AT')) {
            # A crash point fires only when armed with a key derived from its exact value.
            $Environment['BATCHSHIP_CRASH_ARM'] = Get-CrashArmingKey $Environment['BATCHSHIP_CRASH_AT']
        }
        $saved = @{}
        foreach ($name in $Environment.Keys) {
            $saved[$name] = [Environment]::GetEnvironmentVariable($name)
            [Environment]::SetEnvironmentVariable($name, $Environment[$name])
        }
        try {
            $output = Invoke-ChildPwsh "Import-Module '$ModulePath'; $Command"
            [pscustomobject]@{ ExitCode = $LASTEXITCODE; Output = ($output | Out-String) }
        }
        finally {
            foreach ($name in $saved.Keys) { [Environment]::SetEnvironmentVariable($name, $saved[$name]) }
        }
    }

    function Get-CrashArmingKey([string] $Value) {
        # The first 16 hex digits of the SHA-256 of the BATCHSHIP_CRASH_AT value (see CrashPoint.ArmingKey).
        [Convert]::ToHexString([Security.Cryptography.SHA256]::HashData([Text.Encoding]::UTF8.GetBytes($Value))).Substring(0, 16).ToLowerInvariant()
    }

    function Start-Runner {
        param([Parameter(Mandatory)] $Orders, [hashtable] $Environment = @{}, [int] $ThrottleLimit = 1, [string] $Carrier = (New-QuickCarrier))
        Invoke-Runner -Environment $Environment -Command (
            "Import-Csv '$($Orders.Csv)' | Start-BatchShipment -Template ups-ground -Shipper '$($Orders.Shipper)' " +
            "-Carrier $Carrier -ThrottleLimit $ThrottleLimit -Force | Out-Null")
    }

    function Resume-Runner {
        param([Parameter(Mandatory)] [string] $JobId, [hashtable] $Environment = @{})
        Invoke-Runner -Environment $Environment -Command "Resume-BatchShipment -JobId $JobId -Force -ErrorAction Stop | Out-Null"
    }

    function Get-LiveShipment {
        # The ledger's live (not voided) shipments, each with the BatchShip reference it carries.
        foreach ($s in Get-Ledger) {
            if ($s.voided) { continue }
            $ref = @(@($s.references) + $s.customerContext | Where-Object { $_ -match '^BS-[a-z0-9]+-\d+$' } | Select-Object -Unique)
            [pscustomobject]@{ Reference = ($ref -join ','); TrackingNumber = (@($s.trackingNumbers) -join ';'); ShipmentId = $s.shipmentId }
        }
    }

    function Assert-ExactlyOnce {
        # Every row of the job: Completed, exactly one live shipment with its reference, the same tracking
        # numbers in the store as in the ledger. No live shipment carries a reference that belongs to no row
        # of the jobs named in -AllJobIds (every job the test created).
        param([Parameter(Mandatory)] [string] $JobId, [Parameter(Mandatory)] [int] $Rows, [string[]] $AllJobIds = @($JobId))
        $live = @(Get-LiveShipment)
        $rowsInStore = @(Get-BatchShipment -JobId $JobId | Sort-Object RowNumber)
        $rowsInStore.Count | Should -Be $Rows
        foreach ($row in $rowsInStore) {
            $reference = "BS-$JobId-$($row.RowNumber)"
            $row.ShipmentStatus | Should -Be 'Completed' -Because "row $($row.RowNumber) ends Completed"
            $shipments = @($live | Where-Object Reference -eq $reference)
            $shipments.Count | Should -Be 1 -Because "exactly one live shipment carries $reference"
            $row.TrackingNumber | Should -Be $shipments[0].TrackingNumber -Because "the store and the carrier agree on $reference"
        }
        $known = foreach ($id in $AllJobIds) { Get-BatchShipment -JobId $id | ForEach-Object { "BS-$id-$($_.RowNumber)" } }
        $orphans = @($live | Where-Object { $_.Reference -notin $known })
        $orphans.Count | Should -Be 0 -Because "no shipment may belong to no row ($(($orphans.Reference) -join ', '))"
        (Get-BatchJob -JobId $JobId).Status | Should -Be 'Completed'
    }

    function New-QuickCarrier {
        # The sandbox under a 15 s call timeout instead of 60 s: a hung create turns into an unknown outcome, and
        # a resume after a runner killed mid-create trusts a "not found", within 15 s. The timeout also bounds the
        # carrier's start-up, so it cannot be much shorter on a busy machine. User profiles live in the store folder.
        $folder = New-Item -ItemType Directory -Force (Join-Path $env:BATCHSHIP_HOME 'carriers')
        $dotnet = (Get-Command dotnet -CommandType Application | Select-Object -First 1).Source
        @{ command = $dotnet; args = @($SandboxDll); timeoutSeconds = 15 } | ConvertTo-Json | Set-Content (Join-Path $folder 'QuickSandbox.json')
        # A profile others can read or change is refused (E-4012): its command runs as you.
        if (-not $IsWindows) { [IO.File]::SetUnixFileMode((Join-Path $folder 'QuickSandbox.json'), 'UserRead, UserWrite') }
        'QuickSandbox'
    }
}

AfterAll {
    Remove-Module BatchShip -ErrorAction SilentlyContinue
}

Describe 'A runner killed at an exact step of the row protocol' {
    BeforeEach {
        $testHome = Use-TestStore
        Remove-Item Env:BATCHSHIP_CRASH_AT, Env:BATCHSHIP_CRASH_ARM -ErrorAction SilentlyContinue
    }

    It 'after-inflight: row 3 is InFlight and was never sent; Resume finds it absent and ships it once' {
        $orders = Write-Orders 'AI'
        $run = Start-Runner $orders -Environment @{ BATCHSHIP_CRASH_AT = 'after-inflight:3' }
        $run.ExitCode | Should -Be 137 -Because "the runner killed itself with SIGKILL: $($run.Output)"

        $job = Get-BatchJob -Newest 1
        $job.Status | Should -Be 'Interrupted'
        $job.Completed | Should -Be 2
        $job.InFlight | Should -Be 1
        $job.Pending | Should -Be 2
        @(Get-LiveShipment).Count | Should -Be 2 -Because 'row 3 died before its carrier call'

        $resume = Resume-Runner $job.JobId
        $resume.ExitCode | Should -Be 0 -Because $resume.Output
        Assert-ExactlyOnce -JobId $job.JobId -Rows 5
    }

    It 'after-create: the carrier made row 3 but the store does not know; Resume settles it by reference, not by a second create' {
        $orders = Write-Orders 'AC'
        $run = Start-Runner $orders -Environment @{ BATCHSHIP_CRASH_AT = 'after-create:3' }
        $run.ExitCode | Should -Be 137 -Because $run.Output

        $job = Get-BatchJob -Newest 1
        $job.Status | Should -Be 'Interrupted'
        $job.Completed | Should -Be 2
        $job.InFlight | Should -Be 1
        @(Get-LiveShipment | Where-Object Reference -eq "BS-$($job.JobId)-3").Count | Should -Be 1 -Because 'the shipment exists at the carrier'

        $resume = Resume-Runner $job.JobId
        $resume.ExitCode | Should -Be 0 -Because $resume.Output
        Assert-ExactlyOnce -JobId $job.JobId -Rows 5
    }

    It 'after-label: the label is on disk but the row is not Completed; Resume completes it, every label exists and no .partial remains' {
        $orders = Write-Orders 'AL'
        $run = Start-Runner $orders -Environment @{ BATCHSHIP_CRASH_AT = 'after-label:3' }
        $run.ExitCode | Should -Be 137 -Because $run.Output

        $job = Get-BatchJob -Newest 1
        $job.Status | Should -Be 'Interrupted'
        $job.InFlight | Should -Be 1
        $labels = $job.LabelDirectory
        @(Get-ChildItem $labels -Filter "$($job.JobId)-3-*").Count | Should -BeGreaterThan 0 -Because 'row 3 wrote its label before dying'
        # What a kill in the middle of a label write leaves behind: a temp file that never became a label.
        Set-Content (Join-Path $labels "$($job.JobId)-4-1Z0000000000000000.gif.partial") 'half a label'

        $resume = Resume-Runner $job.JobId
        $resume.ExitCode | Should -Be 0 -Because $resume.Output
        Assert-ExactlyOnce -JobId $job.JobId -Rows 5
        @(Get-ChildItem $labels -Filter '*.partial').Count | Should -Be 0
        foreach ($row in Get-BatchShipment -JobId $job.JobId) {
            $paths = @($row.LabelPath -split ';' | Where-Object { $_ })
            $paths.Count | Should -BeGreaterThan 0 -Because "row $($row.RowNumber) has a label"
            foreach ($p in $paths) { Test-Path -LiteralPath $p | Should -BeTrue -Because "$p exists" }
        }
    }

    It 'during-staging: the half-staged job is refused by Resume, never ships, and Start again ships each order once' {
        $orders = Write-Orders 'DS'
        $run = Start-Runner $orders -Environment @{ BATCHSHIP_CRASH_AT = 'during-staging:3' }
        $run.ExitCode | Should -Be 137 -Because $run.Output

        $halfStaged = Get-BatchJob -Newest 1
        $halfStaged.Status | Should -Be 'Created'
        $refused = Resume-Runner $halfStaged.JobId
        $refused.ExitCode | Should -Not -Be 0
        $refused.Output | Should -Match 'E-4004'
        (Get-BatchJob -JobId $halfStaged.JobId).Status | Should -Be 'Created'
        @(Get-LiveShipment).Count | Should -Be 0

        $again = Start-Runner $orders
        $again.ExitCode | Should -Be 0 -Because $again.Output
        $job = Get-BatchJob -Newest 1
        $job.JobId | Should -Not -Be $halfStaged.JobId
        Assert-ExactlyOnce -JobId $job.JobId -Rows 5 -AllJobIds $job.JobId, $halfStaged.JobId
        @(Get-LiveShipment | Where-Object Reference -like "BS-$($halfStaged.JobId)-*").Count | Should -Be 0
        $shippedOrders = @(Get-BatchShipment -JobId $job.JobId | ForEach-Object Reference)
        ($shippedOrders | Sort-Object) | Should -Be (1..5 | ForEach-Object { "DS-$_" } | Sort-Object)
    }

    It 'with four rows at a time, a kill after a create leaves nothing shipped twice' {
        $orders = Write-Orders 'TL' -Count 12
        $run = Start-Runner $orders -ThrottleLimit 4 -Environment @{ BATCHSHIP_CRASH_AT = 'after-create:6'; BATCHSHIP_SANDBOX_FAULTS = 'latency=30ms;jitter=30ms' }
        $run.ExitCode | Should -Be 137 -Because $run.Output
        $job = Get-BatchJob -Newest 1
        $job.Status | Should -Be 'Interrupted'

        $resume = Resume-Runner $job.JobId
        $resume.ExitCode | Should -Be 0 -Because $resume.Output
        Assert-ExactlyOnce -JobId $job.JobId -Rows 12
    }
}

Describe 'A runner killed alone, whose carrier finishes the create it was sent' {
    BeforeEach {
        $testHome = Use-TestStore
        Remove-Item Env:BATCHSHIP_CRASH_AT, Env:BATCHSHIP_CRASH_ARM -ErrorAction SilentlyContinue
    }

    It 'Resume does not take "not found yet" for "never shipped": it asks again after the call timeout and ships once' {
        # kill -9 <pid> or the OOM killer take the runner but not its carrier process, which goes on with the
        # create in hand (a real carrier would too, once the request left). A lookup made before it lands finds nothing.
        $carrier = New-QuickCarrier # a create lands or counts as unknown within 15 s
        $orders = Write-Orders 'OR' -Count 1
        $exe = [Environment]::ProcessPath
        $psi = [System.Diagnostics.ProcessStartInfo]::new($exe)
        if ([IO.Path]::GetFileNameWithoutExtension($exe) -eq 'dotnet') { $psi.ArgumentList.Add((Join-Path $PSHOME 'pwsh.dll')) }
        foreach ($a in '-NoProfile', '-NonInteractive', '-Command',
            "Import-Module '$ModulePath'; Import-Csv '$($orders.Csv)' | Start-BatchShipment -Template ups-ground -Shipper '$($orders.Shipper)' -Carrier $carrier -Force | Out-Null") {
            $psi.ArgumentList.Add($a)
        }
        $psi.Environment['BATCHSHIP_SANDBOX_FAULTS'] = 'latency=5s'
        $runner = [System.Diagnostics.Process]::Start($psi)
        try {
            $deadline = [DateTime]::UtcNow.AddMinutes(2)
            do { $job = Get-BatchJob -Newest 1 } until (($job -and $job.InFlight -eq 1) -or $runner.HasExited -or [DateTime]::UtcNow -gt $deadline)
            $job.InFlight | Should -Be 1
            $sandboxes = @(Get-Process | Where-Object { $_.Parent -and $_.Parent.Id -eq $runner.Id })
            $runner.Kill($false) # the runner alone
            $runner.WaitForExit()
        }
        finally {
            if (-not $runner.HasExited) { $runner.Kill($true) }
        }
        $sandboxes.Count | Should -BeGreaterThan 0 -Because 'the carrier process outlives its runner'
        (Get-BatchJob -JobId $job.JobId).Status | Should -Be 'Interrupted'

        $resume = Resume-Runner $job.JobId
        $resume.ExitCode | Should -Be 0 -Because $resume.Output
        foreach ($s in $sandboxes) { $s.WaitForExit(60000) | Should -BeTrue -Because 'an orphaned carrier ends once its calls are done' }
        Assert-ExactlyOnce -JobId $job.JobId -Rows 1
    }
}

Describe 'A carrier that crashes or hangs after it made the shipment' {
    BeforeEach {
        $testHome = Use-TestStore
        Remove-Item Env:BATCHSHIP_CRASH_AT, Env:BATCHSHIP_CRASH_ARM -ErrorAction SilentlyContinue
    }

    # The sandbox's faults strike by probability, not by row; at probability 1 they strike every create,
    # which covers row 3 and more.
    It '<Fault>: the runner restarts the carrier, finds every row by reference and ships none twice' -ForEach @(
        @{ Fault = 'crash_after_create=1' }
        @{ Fault = 'hang_after_create=1' }
    ) {
        $carrier = New-QuickCarrier
        $orders = Write-Orders 'CF'
        # One row at a time: with four, creates that die with a crashing sandbox are proven absent and re-sent
        # into the next crash until MaxResends, and such a row is left Pending in a job that ends Stopped (open issue).
        $run = Start-Runner $orders -Carrier $carrier -ThrottleLimit 1 -Environment @{ BATCHSHIP_SANDBOX_FAULTS = $Fault }
        $run.ExitCode | Should -Be 0 -Because $run.Output
        $job = Get-BatchJob -Newest 1
        $job.NeedsReview | Should -Be 0
        Assert-ExactlyOnce -JobId $job.JobId -Rows 5
    }

    It '<Fault> and the runner killed while it settles row 3: Resume finds it by reference' -ForEach @(
        @{ Fault = 'crash_after_create=1' }
        @{ Fault = 'hang_after_create=1' }
    ) {
        $carrier = New-QuickCarrier
        $orders = Write-Orders 'CK'
        # Complete() is reached through the lookup here, so the runner dies after the carrier failed and was found.
        $run = Start-Runner $orders -Carrier $carrier -Environment @{ BATCHSHIP_SANDBOX_FAULTS = $Fault; BATCHSHIP_CRASH_AT = 'after-create:3' }
        $run.ExitCode | Should -Be 137 -Because $run.Output
        $job = Get-BatchJob -Newest 1
        $job.Status | Should -Be 'Interrupted'
        $job.InFlight | Should -Be 1

        $resume = Resume-Runner $job.JobId
        $resume.ExitCode | Should -Be 0 -Because $resume.Output
        Assert-ExactlyOnce -JobId $job.JobId -Rows 5
    }

    It 'crash_after_create with lookup=off: the row needs review, is resolved from the ledger, and the job completes' {
        $orders = Write-Orders 'NR' -Count 3
        $run = Start-Runner $orders -Environment @{ BATCHSHIP_SANDBOX_FAULTS = 'crash_after_create=1;lookup=off' }
        $run.ExitCode | Should -Not -Be 0 -Because 'fail-fast stops the batch at the row nobody can settle'
        $job = Get-BatchJob -Newest 1
        $job.Status | Should -Be 'Failed'
        $job.NeedsReview | Should -Be 1
        $job.InFlight | Should -Be 0

        foreach ($row in Get-BatchShipment -JobId $job.JobId -Status NeedsReview) {
            $shipment = @(Get-LiveShipment | Where-Object Reference -eq "BS-$($job.JobId)-$($row.RowNumber)")
            $shipment.Count | Should -Be 1 -Because 'the carrier did make it; only the lookup was down'
            Resolve-BatchShipment -JobId $job.JobId -RowNumber $row.RowNumber -TrackingNumber $shipment[0].TrackingNumber -Confirm:$false | Out-Null
        }
        $resume = Resume-Runner $job.JobId
        $resume.ExitCode | Should -Be 0 -Because $resume.Output
        Assert-ExactlyOnce -JobId $job.JobId -Rows 3
    }
}
