<#
.SYNOPSIS
    kill -9 chaos harness: ships batches in child pwsh processes, SIGKILLs them at random moments, resumes,
    and proves from the sandbox carrier's ledger that every row shipped exactly once.
.DESCRIPTION
    Builds nothing: run it through `build.ps1 -Task Chaos`, or after `build.ps1 -Task Build`.

    A fresh store (BATCHSHIP_HOME) and sandbox ledger in a temp folder. Each batch is R fresh orders in a CSV,
    shipped with Start-BatchShipment -ThrottleLimit 4 through the sandbox (20 ms latency + up to 20 ms jitter,
    so a kill lands mid-row). Every run is a child pwsh started with System.Diagnostics.Process and killed with
    SIGKILL (Process.Kill: half the time the whole tree, runner and sandbox; half the time the runner alone, whose
    sandbox then finishes the calls it had, as after `kill -9 <pid>` or the OOM killer) at a moment drawn from one
    seeded Random:
      clock    0.5 to 6 s after the process started (start-up, staging, reconciliation, rows)
      running  0 to 2.5 s after the job shows Running with a live runner (carrier start, reconciliation, rows)
      ledger   after 1 to 40 new ledger lines, then 0 to 40 ms (between a create and its Completed commit)
      staging  BATCHSHIP_CRASH_AT=during-staging:<random row> on 30 % of Starts (the runner kills itself mid-staging)
    After each kill the store and the ledger say where it landed (printed with -Verbose).
    20 % of runs get a slow carrier (latency=1s;jitter=3s); 25 % add crash_after_create and hang_after_create at 2 %
    per create. The sandbox runs under a carrier profile with a 10 s call timeout, so a hung create, or a
    resume after a runner killed mid-create, is settled in seconds.
    A killed job is resumed (Get-BatchJob -Status Interrupted, Failed, Stopped | Resume-BatchShipment -Force) and a
    job cut short in staging is started again with the same input, killed again, until it is Completed; when a job
    completes before all kills are spent, a new batch with fresh orders starts. Every run is bounded: one that
    outlives -RunTimeoutSeconds is killed and counted as hung.

    A second, small pass (two batches of -LookupOffRows, no kills) uses lookup=off with crash_after_create, where
    NeedsReview is expected; those rows are resolved from the ledger with Resolve-BatchShipment (as a person would)
    and the jobs resumed to Completed. Rows under review in the main pass are resolved the same way, and warned of.

    Then the ledger and the store are compared order by order: one live shipment per order (duplicates: more;
    lost: none, or a store that does not name the ledger's tracking numbers), no live shipment whose reference
    belongs to no Completed row. One line goes to the output:
        Chaos: <kills> kills, <rows> rows, <d> duplicates, <l> lost, <r> needs-review
    and the exit code is 1 when there are duplicates or lost rows (or a hung run, or a job that never completed).
#>
[CmdletBinding()]
param(
    [Parameter(Mandatory)] [string] $ModulePath,
    [ValidateRange(1, 100000)] [int] $Iterations = 20,
    [ValidateRange(1, 100000)] [int] $Rows = 50,
    [int] $Seed = -1,
    [ValidateRange(1, 3600)] [int] $RunTimeoutSeconds = 300,
    [ValidateRange(0, 1000)] [int] $LookupOffRows = 8,
    [string] $WorkRoot,
    [switch] $Keep
)

$ErrorActionPreference = 'Stop'
Set-StrictMode -Version Latest

$ModulePath = (Resolve-Path $ModulePath).Path
if ($Seed -lt 0) { $Seed = [Random]::new().Next(0, [int]::MaxValue) }
$rng = [Random]::new($Seed)
Write-Verbose "Seed $Seed (run again with -Seed $Seed)"

if (-not $WorkRoot) { $WorkRoot = Join-Path ([IO.Path]::GetTempPath()) ("batchship-chaos-" + [guid]::NewGuid().ToString('N')) }
$StoreHome = Join-Path $WorkRoot 'home'
$Ledger = Join-Path $WorkRoot 'sandbox-ledger.jsonl'
$Inputs = New-Item -ItemType Directory -Force (Join-Path $WorkRoot 'inputs')
$Logs = New-Item -ItemType Directory -Force (Join-Path $WorkRoot 'logs')
$env:BATCHSHIP_HOME = $StoreHome
$env:BATCHSHIP_SANDBOX_LEDGER = $Ledger
Remove-Item Env:BATCHSHIP_SANDBOX_FAULTS, Env:BATCHSHIP_CRASH_AT, Env:BATCHSHIP_SANDBOX_SEED -ErrorAction SilentlyContinue
Import-Module $ModulePath -Force -Verbose:$false

$SandboxDll = Join-Path $ModulePath 'carriers/sandbox/BatchShip.SandboxCarrier.dll'
# The sandbox under a short call timeout, so that a hung create becomes an unknown outcome in seconds.
$Carrier = 'ChaosSandbox'
New-Item -ItemType Directory -Force (Join-Path $StoreHome 'carriers') | Out-Null
$dotnet = (Get-Command dotnet -CommandType Application | Select-Object -First 1).Source
@{ command = $dotnet; args = @($SandboxDll); timeoutSeconds = 10 } | ConvertTo-Json | Set-Content (Join-Path $StoreHome 'carriers' "$Carrier.json")
$ShipperFile = Join-Path $WorkRoot 'shipper.json'
@{ Name = 'Chaos Supply'; ShipperNumber = 'A1B2C3'; Address1 = '200 Summer Street'; City = 'Boston'; State = 'MA'; PostalCode = '02210'; Country = 'US' } |
    ConvertTo-Json | Set-Content $ShipperFile

$exe = [Environment]::ProcessPath
[string[]] $PwshPrefix = if ([IO.Path]::GetFileNameWithoutExtension($exe) -eq 'dotnet') { @(Join-Path $PSHOME 'pwsh.dll') } else { @() }

$stats = [ordered]@{ Kills = 0; Runs = 0; Hung = 0; NeedsReviewMain = 0; NeedsReviewLookupOff = 0; Unfinished = 0; MadeNotRecorded = 0; OrphansLeft = 0; OrphansHung = 0 }
$landed = [ordered]@{}
foreach ($k in 'staging', 'before the first row (start-up)', 'start-up or first lookup, rows left in flight', 'reconciliation', 'mid-row, in flight, not yet created', 'mid-row, created at the carrier, not yet recorded', 'between rows') { $landed[$k] = 0 }
$reviewed = [Collections.Generic.HashSet[string]]::new()
$batches = [Collections.Generic.List[object]]::new()

function New-Batch([string] $Kind, [int] $Count) {
    $n = $batches.Count + 1
    $name = "chaos-$Kind-$n"
    $csv = Join-Path $Inputs "$name.csv"
    $orders = 1..$Count | ForEach-Object {
        [pscustomobject][ordered]@{
            RecipientName = "Customer $n-$_"; Address1 = "$_ Market St"; City = 'San Francisco'; State = 'CA'
            PostalCode = '94105'; WeightLb = [string](1 + ($_ % 7)); Reference = "$name-$_"
        }
    }
    $orders | Export-Csv $csv -NoTypeInformation
    $batch = [pscustomobject]@{ Name = $name; Csv = $csv; Orders = @($orders.Reference); Kind = $Kind; Done = $false; Stalls = 0 }
    $batches.Add($batch)
    $batch
}

function Get-LedgerLineCount {
    if (-not (Test-Path $Ledger)) { return 0 }
    try {
        $fs = [IO.FileStream]::new($Ledger, 'Open', 'Read', [IO.FileShare]::ReadWrite -bor [IO.FileShare]::Delete)
        try {
            $buffer = [byte[]]::new(65536); $lines = 0
            while (($read = $fs.Read($buffer, 0, $buffer.Length)) -gt 0) {
                for ($i = 0; $i -lt $read; $i++) { if ($buffer[$i] -eq 10) { $lines++ } }
            }
            return $lines
        }
        finally { $fs.Dispose() }
    }
    catch [IO.IOException] { return -1 }
}

function Get-BatchJobs($Batch) { @(Get-BatchJob -Name $Batch.Name) }

function Get-NextCommand($Batch) {
    # What the next run of this batch does: Start (no job yet, or only jobs cut short in staging), or Resume.
    $jobs = Get-BatchJobs $Batch
    $staged = @($jobs | Where-Object { -not ($_.Status -eq 'Created' -and $_.Total -lt $Batch.Orders.Count) })
    $start = "Import-Csv '$($Batch.Csv)' | Start-BatchShipment -Template ups-ground -Shipper '$ShipperFile' -Name '$($Batch.Name)' -Carrier $Carrier -ThrottleLimit 4 -Force -ErrorAction Stop | Out-Null"
    if ($staged.Count -eq 0) { return [pscustomobject]@{ Verb = 'Start'; Script = $start } }
    $job = $staged[0]
    if ($job.Status -eq 'Created') {
        # Staged completely, but the runner died before it began: Resume runs a Created job.
        return [pscustomobject]@{ Verb = 'Resume'; Script = "Resume-BatchShipment -JobId $($job.JobId) -Force -ErrorAction Stop | Out-Null" }
    }
    [pscustomobject]@{ Verb = 'Resume'; Script = "Get-BatchJob -Name '$($Batch.Name)' -Status Interrupted, Failed, Stopped | Resume-BatchShipment -Force -ErrorAction Stop | Out-Null" }
}

function Invoke-Run {
    # One child pwsh running $Command; killed by the chosen trigger unless -NoKill. Returns what happened.
    param($Batch, $Command, [string] $Faults, [switch] $NoKill)
    $stats.Runs++
    $psi = [Diagnostics.ProcessStartInfo]::new($exe)
    foreach ($a in $PwshPrefix) { $psi.ArgumentList.Add($a) }
    $script = "`$ErrorActionPreference = 'Stop'; Import-Module '$ModulePath'; $($Command.Script)"
    foreach ($a in '-NoProfile', '-NonInteractive', '-Command', $script) { $psi.ArgumentList.Add($a) }
    $psi.UseShellExecute = $false
    $psi.RedirectStandardOutput = $true
    $psi.RedirectStandardError = $true
    $psi.Environment['BATCHSHIP_HOME'] = $StoreHome
    $psi.Environment['BATCHSHIP_SANDBOX_LEDGER'] = $Ledger
    $psi.Environment['BATCHSHIP_SANDBOX_FAULTS'] = $Faults
    $psi.Environment['BATCHSHIP_SANDBOX_SEED'] = [string]$rng.Next()
    $psi.Environment.Remove('BATCHSHIP_CRASH_AT') | Out-Null

    $mode = 'none'; $param = 0
    if (-not $NoKill) {
        $roll = $rng.NextDouble()
        if ($Command.Verb -eq 'Start' -and $roll -lt 0.3) { $mode = 'staging'; $param = $rng.Next(1, $Batch.Orders.Count + 1) }
        elseif ($roll -lt 0.5) { $mode = 'clock'; $param = $rng.Next(500, 6001) }
        elseif ($roll -lt 0.75) { $mode = 'running'; $param = $rng.Next(0, 2501) }
        else { $mode = 'ledger'; $param = $rng.Next(1, 41) }
        if ($mode -eq 'staging') { $psi.Environment['BATCHSHIP_CRASH_AT'] = "during-staging:$param" }
    }
    $extraDelay = $rng.Next(0, 41)
    $ledgerAtStart = Get-LedgerLineCount

    $p = [Diagnostics.Process]::Start($psi)
    $out = $p.StandardOutput.ReadToEndAsync()
    $err = $p.StandardError.ReadToEndAsync()
    $watch = [Diagnostics.Stopwatch]::StartNew()
    $killed = $false; $hung = $false; $fireAt = $null; $treeKill = $true; $orphans = @()
    try {
        while (-not $p.HasExited) {
            if ($watch.Elapsed.TotalSeconds -gt $RunTimeoutSeconds) { $hung = $true; break }
            if ($null -eq $fireAt) {
                switch ($mode) {
                    'clock' { $fireAt = $param }
                    'running' {
                        if (@(Get-BatchJobs $Batch | Where-Object Status -eq 'Running').Count -gt 0) { $fireAt = $watch.ElapsedMilliseconds + $param }
                    }
                    'ledger' {
                        $now = Get-LedgerLineCount
                        if ($now -ge 0 -and $now - $ledgerAtStart -ge $param) { $fireAt = $watch.ElapsedMilliseconds + $extraDelay }
                    }
                }
            }
            if ($null -ne $fireAt -and $watch.ElapsedMilliseconds -ge $fireAt) { $killed = $true; break }
            $null = $p.WaitForExit(15)
        }
        if ($killed -or $hung) {
            # Half the kills take the whole tree (runner and sandbox, like a lost machine); the other half only the
            # runner, like `kill -9 <pid>` or the OOM killer: its sandbox lives on and finishes the calls it had.
            $treeKill = $hung -or $rng.NextDouble() -lt 0.5
            if (-not $treeKill) { $orphans = @(Get-Process | Where-Object { $_.Parent -and $_.Parent.Id -eq $p.Id }) }
            try { $p.Kill($treeKill) } catch [InvalidOperationException] { $killed = $false } # it ended first
        }
        if (-not $p.WaitForExit(60000)) { throw "Process $($p.Id) did not die after SIGKILL." }
        $p.WaitForExit() # reaps it, so the store sees its lease holder gone
        $exit = $p.ExitCode
        if ($exit -ne 137) { $killed = $false } # it ended by itself just before the kill
    }
    finally {
        if (-not $p.HasExited) { try { $p.Kill($true) } catch { } }
    }
    foreach ($o in $orphans) {
        # An orphaned sandbox must end by itself once its calls are done (its stdin is closed); bounded. One holding
        # a call that hang_after_create hung never finishes it: that one is expected to stay, and is killed.
        $hangs = $Faults -like '*hang_after_create*'
        if (-not $o.WaitForExit($(if ($hangs) { 15000 } else { 60000 }))) {
            if ($hangs) { $stats.OrphansHung++ }
            else { $stats.OrphansLeft++; Write-Warning "Sandbox $($o.Id) outlived its runner by 60 s; killed." }
            try { $o.Kill() } catch { }
        }
    }
    $null = [Threading.Tasks.Task]::WaitAll(@($out, $err), 30000)
    $selfKilled = $mode -eq 'staging' -and $exit -eq 137
    $log = Join-Path $Logs ("{0:d4}-{1}-{2}.log" -f $stats.Runs, $Batch.Name, $Command.Verb)
    "mode=$mode param=$param faults=$Faults exit=$exit killed=$killed tree=$treeKill orphans=$($orphans.Count) hung=$hung ms=$($watch.ElapsedMilliseconds)`n--- stdout`n$($out.Result)`n--- stderr`n$($err.Result)" | Set-Content $log
    if ($hung) { $stats.Hung++; Write-Warning "Run $($stats.Runs) ($($Batch.Name) $($Command.Verb)) hung for $RunTimeoutSeconds s and was killed; see $log" }
    $counted = ($killed -or $selfKilled) -and -not $hung
    Write-Verbose ("run {0,4} {1,-22} {2,-6} {3,-8} {4,5} exit={5,4} {6} {7}" -f $stats.Runs, $Batch.Name, $Command.Verb, $mode, $param, $exit, $(if ($counted) { if ($treeKill) { 'KILLED tree' } else { 'KILLED runner' } } else { '' }), $Faults)
    [pscustomobject]@{ Killed = $counted; Hung = $hung; ExitCode = $exit; Log = $log }
}

function Get-LiveShipments {
    if (-not (Test-Path $Ledger)) { return @() }
    $lines = & $dotnet $SandboxDll ledger --path $Ledger
    if ($LASTEXITCODE -ne 0) { throw "The sandbox could not read its ledger $Ledger." }
    foreach ($s in @($lines | Where-Object { $_ } | ConvertFrom-Json)) {
        if ($s.voided) { continue }
        $ref = @(@($s.references) + $s.customerContext | Where-Object { $_ -match '^BS-[a-z0-9]+-\d+$' } | Select-Object -Unique)
        [pscustomobject]@{ Reference = ($ref -join ','); TrackingNumber = (@($s.trackingNumbers) -join ';') }
    }
}

function Resolve-FromLedger($Batch) {
    # What a person does with a NeedsReview row: ask the carrier (here, its ledger) and record the answer.
    $review = @(Get-BatchJobs $Batch | Where-Object NeedsReview -gt 0)
    if ($review.Count -eq 0) { return }
    $live = @(Get-LiveShipments)
    foreach ($job in $review) {
        foreach ($row in Get-BatchShipment -JobId $job.JobId -Status NeedsReview) {
            $key = "$($job.JobId)-$($row.RowNumber)"
            if ($reviewed.Add($key)) { if ($Batch.Kind -eq 'lookupoff') { $stats.NeedsReviewLookupOff++ } else { $stats.NeedsReviewMain++ } }
            $found = @($live | Where-Object Reference -eq "BS-$key")
            if ($found.Count -ge 1) {
                Resolve-BatchShipment -JobId $job.JobId -RowNumber $row.RowNumber -TrackingNumber $found[0].TrackingNumber -Confirm:$false | Out-Null
            }
            else {
                Resolve-BatchShipment -JobId $job.JobId -RowNumber $row.RowNumber -NotShipped -Confirm:$false | Out-Null
            }
        }
    }
}

function Test-BatchDone($Batch) {
    $jobs = Get-BatchJobs $Batch
    @($jobs | Where-Object Status -eq 'Completed').Count -gt 0
}

function Get-RowState($Batch) {
    # The rows of the batch's staged job that are in flight (with whether the carrier has made them), and counts.
    $jobs = Get-BatchJobs $Batch
    $halfStaged = @($jobs | Where-Object { $_.Status -eq 'Created' -and $_.Total -lt $Batch.Orders.Count }).Count
    $job = @($jobs | Where-Object { -not ($_.Status -eq 'Created' -and $_.Total -lt $Batch.Orders.Count) }) | Select-Object -First 1
    if ($null -eq $job) { return [pscustomobject]@{ HalfStaged = $halfStaged; Job = $null; Settled = 0; InFlight = @(); Made = 0 } }
    $inFlight = @(Get-BatchShipment -JobId $job.JobId -Status InFlight | ForEach-Object { "BS-$($job.JobId)-$($_.RowNumber)" })
    $made = 0
    if ($inFlight.Count -gt 0) {
        $refs = [Collections.Generic.HashSet[string]]::new([string[]]@(Get-LiveShipments | ForEach-Object Reference))
        $made = @($inFlight | Where-Object { $refs.Contains($_) }).Count
    }
    [pscustomobject]@{ HalfStaged = $halfStaged; Job = $job.JobId; Settled = $job.Completed + $job.Failed + $job.NeedsReview; InFlight = $inFlight; Made = $made }
}

function Get-KillPlace($Batch, $Command, $Before, $After) {
    # Where in the protocol a kill landed, judged from the store and the ledger before and after the run.
    if ($After.HalfStaged -gt $Before.HalfStaged) { return 'staging' }
    # Resume settles every row left in flight before it sends a new one: while one of those is still in flight,
    # the run was at start-up or reconciling.
    $leftOver = @($Before.InFlight | Where-Object { $_ -in $After.InFlight }).Count
    if ($leftOver -gt 0) {
        if ($leftOver -lt $Before.InFlight.Count) { return 'reconciliation' }
        return 'start-up or first lookup, rows left in flight'
    }
    if ($After.InFlight.Count -gt 0) {
        $stats.MadeNotRecorded += $After.Made
        if ($After.Made -gt 0) { return 'mid-row, created at the carrier, not yet recorded' }
        return 'mid-row, in flight, not yet created'
    }
    if ($After.Settled -gt $Before.Settled -or $After.Job -ne $Before.Job) { return 'between rows' }
    'before the first row (start-up)'
}

function Invoke-BatchRound($Batch, [string] $Faults, [switch] $NoKill) {
    # One run of the batch, then what a person would do about rows under review.
    $command = Get-NextCommand $Batch
    $before = Get-RowState $Batch
    $result = Invoke-Run -Batch $Batch -Command $command -Faults $Faults -NoKill:$NoKill
    if ($result.Killed) {
        $stats.Kills++
        $where = Get-KillPlace $Batch $command $before (Get-RowState $Batch)
        $landed[$where]++
        Write-Verbose "     landed: $where"
    }
    Resolve-FromLedger $Batch
    $Batch.Done = Test-BatchDone $Batch
    if (-not $result.Killed -and -not $Batch.Done) { $Batch.Stalls++ } else { $Batch.Stalls = 0 }
    $result
}

function Get-Faults {
    $roll = $rng.NextDouble()
    # A slow carrier (creates of 1 to 4 s): a runner killed alone leaves its sandbox finishing creates after the
    # next runner has started and looked them up.
    if ($roll -lt 0.2) { return 'latency=1s;jitter=3s' }
    $faults = 'latency=20ms;jitter=20ms'
    if ($roll -lt 0.45) { $faults += ';crash_after_create=0.02;hang_after_create=0.02' }
    $faults
}

# --- the main pass: every kill lands on a live batch -------------------------------------------
$batch = $null
while ($stats.Kills -lt $Iterations) {
    if ($null -eq $batch -or $batch.Done) { $batch = New-Batch 'main' $Rows }
    $null = Invoke-BatchRound $batch (Get-Faults)
    if ($batch.Stalls -ge 5) {
        Write-Warning "$($batch.Name) ran 5 times without a kill and did not complete; moving on."
        $batch.Done = $true
    }
}
# Finish what the last kill left: no more kills, a bounded number of runs.
foreach ($b in $batches) {
    $attempts = 0
    while (-not (Test-BatchDone $b) -and $attempts -lt 5) { $null = Invoke-BatchRound $b 'latency=5ms' -NoKill; $attempts++ }
}

# --- the lookup=off pass: NeedsReview appears only here, and is resolved from the ledger ----------
if ($LookupOffRows -gt 0) {
    foreach ($i in 1..2) {
        $b = New-Batch 'lookupoff' $LookupOffRows
        # The sandbox dies after some creates and cannot be asked about them; no kill here, so the kill count stays -Iterations.
        $null = Invoke-BatchRound $b 'latency=20ms;jitter=20ms;crash_after_create=0.3;lookup=off' -NoKill
        $attempts = 0
        while (-not (Test-BatchDone $b) -and $attempts -lt 5) { $null = Invoke-BatchRound $b 'latency=5ms' -NoKill; $attempts++ }
    }
}

# --- the verdict: the carrier's ledger against the store, order by order --------------------------
$live = @(Get-LiveShipments)
$byReference = @{}
foreach ($s in $live) { if (-not $byReference.ContainsKey($s.Reference)) { $byReference[$s.Reference] = [Collections.Generic.List[object]]::new() }; $byReference[$s.Reference].Add($s) }
$duplicates = 0; $lost = 0; $totalRows = 0
$knownReferences = [Collections.Generic.HashSet[string]]::new()
foreach ($b in $batches) {
    $jobs = Get-BatchJobs $b
    if (-not (Test-BatchDone $b)) { $stats.Unfinished++; Write-Warning "$($b.Name) did not complete: $(($jobs | ForEach-Object { "$($_.JobId)=$($_.Status)" }) -join ', ')" }
    $rowsByOrder = @{}
    foreach ($job in $jobs) {
        foreach ($row in Get-BatchShipment -JobId $job.JobId) {
            $reference = "BS-$($job.JobId)-$($row.RowNumber)"
            if ($row.ShipmentStatus -eq 'Completed') { $null = $knownReferences.Add($reference) }
            if (-not $rowsByOrder.ContainsKey($row.Reference)) { $rowsByOrder[$row.Reference] = [Collections.Generic.List[object]]::new() }
            $rowsByOrder[$row.Reference].Add([pscustomobject]@{ Ref = $reference; Row = $row })
        }
    }
    foreach ($order in $b.Orders) {
        $totalRows++
        $rowsOfOrder = if ($rowsByOrder.ContainsKey($order)) { $rowsByOrder[$order] } else { @() }
        $shipments = @(foreach ($r in $rowsOfOrder) { if ($byReference.ContainsKey($r.Ref)) { $byReference[$r.Ref] | ForEach-Object { [pscustomobject]@{ Ref = $r.Ref; Row = $r.Row; Shipment = $_ } } } })
        if ($shipments.Count -eq 0) { $lost++; Write-Warning "Order $order of $($b.Name): no shipment at the carrier."; continue }
        if ($shipments.Count -gt 1) {
            $duplicates += $shipments.Count - 1
            Write-Warning "Order $order of $($b.Name): $($shipments.Count) shipments ($(($shipments | ForEach-Object { "$($_.Ref)=$($_.Shipment.TrackingNumber)" }) -join ', '))."
        }
        $recorded = @($shipments | Where-Object { $_.Row.ShipmentStatus -eq 'Completed' -and $_.Row.TrackingNumber -eq $_.Shipment.TrackingNumber })
        if ($recorded.Count -eq 0) {
            $lost++
            Write-Warning "Order $order of $($b.Name): shipped as $(($shipments | ForEach-Object { "$($_.Ref)=$($_.Shipment.TrackingNumber)" }) -join ', ') but the store says $(($shipments | ForEach-Object { "$($_.Row.ShipmentStatus) $($_.Row.TrackingNumber)" }) -join ', ')."
        }
    }
}
# A live shipment that no Completed row accounts for was bought and nobody knows: a duplicate in waiting.
foreach ($s in $live) {
    if (-not $knownReferences.Contains($s.Reference)) {
        $duplicates++
        Write-Warning "Shipment $($s.TrackingNumber) ($($s.Reference)) belongs to no Completed row."
    }
}

$needsReview = $stats.NeedsReviewMain + $stats.NeedsReviewLookupOff
Write-Verbose ("runs {0}, hung {1}, unfinished jobs {2}, orphaned sandboxes left running {3} (and {4} holding a hung call), needs-review main pass {5}, lookup=off pass {6}; seed {7}; work folder {8}" -f
    $stats.Runs, $stats.Hung, $stats.Unfinished, $stats.OrphansLeft, $stats.OrphansHung, $stats.NeedsReviewMain, $stats.NeedsReviewLookupOff, $Seed, $WorkRoot)
Write-Verbose ("kills landed: " + (($landed.GetEnumerator() | ForEach-Object { "$($_.Key) $($_.Value)" }) -join '; ') + "; rows created at the carrier but not recorded when their runner died: $($stats.MadeNotRecorded)")
if ($stats.NeedsReviewMain -gt 0) { Write-Warning "$($stats.NeedsReviewMain) row(s) needed review with the lookup on." }
"Chaos: $($stats.Kills) kills, $totalRows rows, $duplicates duplicates, $lost lost, $needsReview needs-review"

Remove-Module BatchShip -ErrorAction SilentlyContinue -Verbose:$false
$failed = $duplicates -gt 0 -or $lost -gt 0 -or $stats.Hung -gt 0 -or $stats.Unfinished -gt 0 -or $stats.OrphansLeft -gt 0
if (-not $failed -and -not $Keep) { Remove-Item $WorkRoot -Recurse -Force -ErrorAction SilentlyContinue }
elseif ($failed) { Write-Warning "Kept $WorkRoot (store, ledger, one log per run); seed $Seed." }
exit ([int]$failed)
