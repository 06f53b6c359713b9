<#
.SYNOPSIS
    Chaos harness: ships batches in child pwsh processes, injects one fault per iteration (kill -9, SIGSTOP past the
    lease, cancellation, two runners in one process, an outside writer holding the store's lock), resumes, and proves
    from the sandbox carrier's ledger that every order shipped exactly once.
.DESCRIPTION
    Builds nothing: run it through `build.ps1 -Task Chaos`, or after `build.ps1 -Task Build`. Unix only for the
    pause and Ctrl+C faults (they need signals); on Windows those classes are left out.

    A fresh store (BATCHSHIP_HOME) and sandbox ledger in a temp folder; every process of the run gets
    BATCHSHIP_LEASE_SECONDS=-LeaseSeconds, so that a silent runner of another host is abandoned within seconds.
    Every random choice comes from one Random seeded with -Seed, so a run is reproducible up to the timing of the
    processes.

    Batches. Each batch is -Rows fresh orders shipped with -ThrottleLimit 4 through the sandbox (20 ms latency + up to
    20 ms jitter, so that a fault lands mid-row), in one of three shapes drawn per batch:
      csv        Import-Csv of a file with a Reference column (the order's natural key), template ups-ground;
      hashtable  the same columns without Reference, piped as @{} or [ordered]@{} with the keys in an order drawn
                 per run, so that the order's identity is the hash of its columns; once the batch is Completed it is
                 started again (another key order, job name <batch>-again), which must ship nothing new;
      template   a CSV batch shipped with a copy of module/templates/ups-ground.sbn written to the work folder in another
                 shape: no package reference at all (the row's reference only in CustomerContext, where a lookup does
                 not search), the order reference first and the row's reference second, or the reference at shipment
                 level only (which the carrier refuses for US-to-US shipments). A template that the engine refuses
                 (E-4003) or the carrier refuses on the first row, with nothing bought, counts as correct.

    Faults, one drawn per iteration (-Faults limits the classes):
      kill      SIGKILL (Process.Kill) of the whole tree, or of the runner alone (its sandbox finishes the calls it
                had, as after `kill -9 <pid>` or the OOM killer), at a moment drawn as today:
                  clock    0.5 to 6 s after the process started;
                  running  0 to 2.5 s after the job shows Running;
                  ledger   after 1 to 40 new ledger lines, then 0 to 40 ms (between a create and its Completed commit);
                  staging  BATCHSHIP_CRASH_AT=during-staging:<row> on 30 % of Starts (the runner kills itself).
      pause     SIGSTOP (kill -STOP) of the runner once its job is Running; -LeaseSeconds plus 1 to 4 s later another
                runner resumes the job while the first is stopped; 1 to 6 s later (or when it ends) SIGCONT; both are
                waited for (bounded). In half of the pauses the paused runner runs as another host
                (BATCHSHIP_MACHINE_NAME=chaos-other-host), so that the resumer takes over by staleness and the thawed
                runner must be fenced; in the other half it is on this host, so the resumer joins it (the paused runner
                keeps its claimed rows and rows in flight) and the last of the two to end writes the job's end.
      cancel    at a clock or running moment: Stop-BatchShipment -JobId <id> from the harness's own process, or Ctrl+C:
                SIGINT to the runner's pwsh, or to its whole process group (started under setsid), as a terminal does.
                A quarter of the cancels first kill the runner alone in the middle of slow creates, then cancel the
                resume 0.3 to 8 s after it started, while it waits before trusting a lookup's "not found".
      lock      an outside process (a pwsh that opens the store with the Microsoft.Data.Sqlite the module ships) holds
                BEGIN EXCLUSIVE on batchship.db for 2 to 20 s, from 0 to 3 s after the job shows Running.
      parallel  one child pwsh runs two runners at once, through ForEach-Object -Parallel or Start-ThreadJob: two
                Resume-BatchShipment of the same job (the second joins the first: both ship, each row once), or two
                Start-BatchShipment of the same orders (two jobs).
    20 % of runs get a slow carrier (latency=1s;jitter=3s); 25 % add crash_after_create and hang_after_create at 2 %
    per create. The sandbox runs under a carrier profile with a 10 s call timeout.

    After each fault the batch is resumed (every staged job of it that is Interrupted, Failed, Stopped or Created:
    Resume-BatchShipment -Force -RetryFailed) or started again when it was cut short in staging, until Completed; a
    fault that makes a run exit non-zero with an expected error (E-4005 busy, now only from a cancel or removal of a
    running job, E-4003 refused template, E-4008 held, a
    job Stopped by a cancel, a store lock outlasting the busy timeout) is a normal run, judged by the ledger only.
    Every run is bounded: one that outlives -RunTimeoutSeconds is killed and counted as hung. When the faults are spent,
    every unfinished batch gets up to 5 plain resumes.

    Two stations (-Stations 2; the store on PostgreSQL). The harness starts a throwaway PostgreSQL server of its own
    (tools/TestPostgres.ps1 -Start -Durable: it restarts that server as a fault, so it needs its data folder, and it
    stays runnable without build.ps1; durable, since a crash of a server without synchronous commits loses commits it
    acknowledged), creates the database batchship_chaos, initialises it with Initialize-BatchShipStore,
    and stops the server at the end (dumping the store to store.sql in the kept work folder when the run fails). Two
    station folders, station-a and station-b, each its own BATCHSHIP_HOME (labels, the carrier profile) with
    BATCHSHIP_STORE naming the one database and BATCHSHIP_MACHINE_NAME its name; one sandbox ledger (one carrier
    account). Each batch is started (or resumed) at a station drawn per iteration; once its job shows Running, the
    other station resumes the same job and joins the run, so two runners with two host identities ship one job, each
    the rows it claims. The faults (-Faults limits them):
      kill      kill -9 of one live runner, the tree or the runner alone, 0.3 to 5 s after the second started or after
                1 to 20 new ledger lines;
      pause     SIGSTOP of one live runner 1 to 3 s after the second started, for -LeaseSeconds plus 1 to 4 s; then the
                other station resumes the job (taking over the stale lease); 1 to 6 s later SIGCONT: the thawed runner
                must be fenced;
      restart   a database crash and restart (tools/TestPostgres.ps1 -Restart, immediate mode) 0.5 to 4 s after the
                second started, while a runner still works;
      lock      an outside session (psql) holds LOCK TABLE rows IN ACCESS EXCLUSIVE MODE for 2 to 8 s, taken 0 to 3 s
                after the second started.
    The carrier answers in 0.4 to 0.8 s (for a fifth of the kills in 1 to 4 s; a quarter of the kills add
    crash_after_create and hang_after_create at 2 %), so that the second runner joins while rows are left to claim. The rest of the run (the
    final resumes, the lookup=off pass, the verdict) is the one-station mode's, at station-a, and the line gains
    ", <restarts> database restarts" inside its parentheses.

    A second, small pass (two batches of -LookupOffRows, no faults) uses lookup=off with crash_after_create, where
    NeedsReview is expected; those rows are resolved from the ledger with Resolve-BatchShipment (as a person would)
    and the jobs resumed to Completed. Rows under review in the main pass are resolved the same way, and warned of.

    Then the ledger and the store are compared order by order: one live shipment per order (duplicates: more;
    lost: none, or a store that does not name the ledger's tracking numbers), no live shipment whose reference
    belongs to no Completed row (a duplicate in waiting). One line goes to the output:
        Chaos: <faults> faults (<kills> kills, <pauses> pauses, <cancels> cancels, <locks> store locks, <parallel> parallel), <rows> rows, <d> duplicates, <l> lost, <r> needs-review, <s> stuck
    where a fault is counted when it landed (the process was still there), and stuck counts the staged jobs (and the
    batches without one) not Completed after the final resumes. The exit code is 1 on any duplicate, lost or stuck
    (and on a hung run or a sandbox left running by a dead runner).
.PARAMETER ModulePath
    The built module folder (out/BatchShip).
.PARAMETER Iterations
    How many faults to inject in the main pass.
.PARAMETER Rows
    The orders in each batch.
.PARAMETER Seed
    The seed of every random choice; a fresh one when omitted (printed with -Verbose, and on failure).
.PARAMETER Stations
    1 (default): one station on its SQLite store. 2: two stations on one PostgreSQL database (Unix only; needs the
    PostgreSQL server binaries that tools/TestPostgres.ps1 finds, and psql).
.PARAMETER Faults
    The fault classes to draw from: kill, pause, cancel, lock, parallel with one station; kill, pause, restart, lock
    with two (default: all of the mode's classes that the platform supports).
.PARAMETER LeaseSeconds
    BATCHSHIP_LEASE_SECONDS for every process of the run.
.PARAMETER RunTimeoutSeconds
    The longest any one child process may run before it is killed and counted as hung.
.PARAMETER LookupOffRows
    The orders of each of the two lookup=off batches; 0 skips that pass.
.PARAMETER WorkRoot
    The work folder (default: a fresh temp folder, removed when the run passes unless -Keep).
.EXAMPLE
    ./tests/chaos/Invoke-Chaos.ps1 -ModulePath out/BatchShip -Iterations 10 -Rows 30 -Seed 42 -Verbose
.EXAMPLE
    ./tests/chaos/Invoke-Chaos.ps1 -ModulePath out/BatchShip -Iterations 4 -Faults pause -Seed 7 -Verbose -Keep
.EXAMPLE
    ./tests/chaos/Invoke-Chaos.ps1 -ModulePath out/BatchShip -Stations 2 -Iterations 50 -Rows 20 -Verbose
#>
[CmdletBinding()]
param(
    [Parameter(Mandatory)] [string] $ModulePath,
    [ValidateRange(1, 100000)] [int] $Iterations = 20,
    [ValidateRange(1, 100000)] [int] $Rows = 50,
    [int] $Seed = -1,
    [ValidateSet(1, 2)] [int] $Stations = 1,
    [string[]] $Faults,
    [ValidateRange(1, 600)] [int] $LeaseSeconds = 3,
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
$clock = [Diagnostics.Stopwatch]::StartNew()

# The fault classes of each mode: one station on its SQLite store, or two stations on one PostgreSQL database.
$FaultClasses = if ($Stations -eq 2) { @('kill', 'pause', 'restart', 'lock') } else { @('kill', 'pause', 'cancel', 'lock', 'parallel') }
if (-not $Faults) { $Faults = $FaultClasses }
# -Faults kill,pause from `pwsh -File` arrives as one string.
$Faults = @($Faults | ForEach-Object { $_ -split '[,\s]+' } | Where-Object { $_ } | ForEach-Object { $_.ToLowerInvariant() } | Select-Object -Unique)
foreach ($f in $Faults) { if ($f -notin $FaultClasses) { throw "Unknown fault class '$f' with -Stations $($Stations): use $($FaultClasses -join ', ')." } }
if ($Faults.Count -eq 0) { throw 'No fault class to draw from.' }
if ($Stations -eq 2 -and $IsWindows) { throw 'The two-station mode needs Unix signals and the throwaway PostgreSQL server of tools/TestPostgres.ps1.' }
if ($IsWindows) {
    # No SIGSTOP or SIGINT to send: kill, Stop-BatchShipment, lock and parallel only.
    $Faults = @($Faults | Where-Object { $_ -notin 'pause' })
    if ($Faults.Count -eq 0) { throw 'The pause fault needs Unix signals.' }
}
$killCommand = if (-not $IsWindows) { (Get-Command kill -CommandType Application -ErrorAction SilentlyContinue | Select-Object -First 1).Source }
$setsidCommand = if (-not $IsWindows) { (Get-Command setsid -CommandType Application -ErrorAction SilentlyContinue | Select-Object -First 1).Source }
if (-not $IsWindows -and -not $killCommand) { throw 'The kill command is needed to send SIGSTOP, SIGCONT and SIGINT.' }

if (-not $WorkRoot) { $WorkRoot = Join-Path ([IO.Path]::GetTempPath()) ("batchship-chaos-" + [guid]::NewGuid().ToString('N')) }
# One station: the store folder home/ with its SQLite store. Two stations: the folders station-a/ and station-b/ (labels,
# carrier profile), both on one PostgreSQL database; the harness itself reads the store through station-a's folder.
$StationHomes = [ordered]@{}
if ($Stations -eq 2) { foreach ($name in 'station-a', 'station-b') { $StationHomes[$name] = Join-Path $WorkRoot $name } }
$StoreHome = if ($Stations -eq 2) { $StationHomes['station-a'] } else { Join-Path $WorkRoot 'home' }
$Ledger = Join-Path $WorkRoot 'sandbox-ledger.jsonl'
$Inputs = New-Item -ItemType Directory -Force (Join-Path $WorkRoot 'inputs')
$Logs = New-Item -ItemType Directory -Force (Join-Path $WorkRoot 'logs')
$env:BATCHSHIP_HOME = $StoreHome
$env:BATCHSHIP_SANDBOX_LEDGER = $Ledger
$env:BATCHSHIP_LEASE_SECONDS = [string]$LeaseSeconds
Remove-Item Env:BATCHSHIP_SANDBOX_FAULTS, Env:BATCHSHIP_CRASH_AT, Env:BATCHSHIP_CRASH_ARM, Env:BATCHSHIP_SANDBOX_SEED, Env:BATCHSHIP_MACHINE_NAME, Env:BATCHSHIP_STORE -ErrorAction SilentlyContinue

# Two stations: the harness starts its own throwaway server (it restarts that server as a fault, so it needs its data
# folder, and it stays runnable without build.ps1), makes a fresh database and names it to every process it starts.
$Postgres = $null
$TestPostgres = Join-Path $PSScriptRoot '../../tools/TestPostgres.ps1'
$exe = [Environment]::ProcessPath
[string[]] $PwshPrefix = if ([IO.Path]::GetFileNameWithoutExtension($exe) -eq 'dotnet') { @(Join-Path $PSHOME 'pwsh.dll') } else { @() }

function Stop-ChaosPostgres([bool] $Dump) {
    # Stops the server once; first, when the run failed or is kept, dumps the store beside the ledger to be read later.
    if (-not $script:Postgres) { return }
    if ($Dump) {
        $pgDump = Join-Path (Split-Path $psql) 'pg_dump'
        if (-not (Test-Path $pgDump)) { $pgDump = (Get-Command pg_dump -CommandType Application -ErrorAction SilentlyContinue | Select-Object -First 1).Source }
        if ($pgDump) { & $pgDump -h $pgParts['host'] -U $pgParts['username'] -d batchship_chaos -f (Join-Path $WorkRoot 'store.sql') 2>$null }
    }
    & $exe @PwshPrefix -NoProfile -NonInteractive -File $TestPostgres -Stop -DataFolder $script:Postgres.DataFolder
    $script:Postgres = $null
}
# A run that throws half-way does not leave its server behind.
trap { Stop-ChaosPostgres $true; break }
if ($Stations -eq 2) {
    # Durable: the restart fault is a crash (immediate mode), and a server without synchronous commits loses the last
    # commits it acknowledged, an InFlight commit among them, which no store can survive.
    $Postgres = & $exe @PwshPrefix -NoProfile -NonInteractive -File $TestPostgres -Start -Durable | ConvertFrom-Json
    if ($LASTEXITCODE -ne 0 -or -not $Postgres) { throw 'The throwaway PostgreSQL server did not start (tools/TestPostgres.ps1 -Start).' }
    $pgParts = @{}
    foreach ($pair in $Postgres.ConnectionString -split ';') { if ($pair -match '^\s*([^=]+?)\s*=\s*(.*)$') { $pgParts[$Matches[1].ToLowerInvariant()] = $Matches[2] } }
    $psql = (Get-Command psql -CommandType Application -ErrorAction SilentlyContinue | Select-Object -First 1).Source
    if (-not $psql) { $psql = Get-ChildItem /usr/lib/postgresql/*/bin/psql | Sort-Object { [int]($_.Directory.Parent.Name -replace '\D', '') } -Descending | Select-Object -First 1 -ExpandProperty FullName }
    if (-not $psql) { throw 'psql was not found: the two-station mode creates its database and holds its table lock with it.' }
    & $psql -h $pgParts['host'] -U $pgParts['username'] -d $pgParts['database'] -q -c 'CREATE DATABASE batchship_chaos' | Out-Null
    if ($LASTEXITCODE -ne 0) { throw 'CREATE DATABASE batchship_chaos failed.' }
    $env:BATCHSHIP_STORE = "Host=$($pgParts['host']);Username=$($pgParts['username']);Database=batchship_chaos"
}

Import-Module $ModulePath -Force -Verbose:$false
if ($Stations -eq 2) { $null = Initialize-BatchShipStore -Confirm:$false }

$SandboxDll = Join-Path $ModulePath 'carriers/sandbox/BatchShip.SandboxCarrier.dll'
# The sandbox under a short call timeout, so that a hung create becomes an unknown outcome in seconds.
$Carrier = 'ChaosSandbox'
$dotnet = (Get-Command dotnet -CommandType Application | Select-Object -First 1).Source
foreach ($folder in @($StoreHome) + @($StationHomes.Values) | Select-Object -Unique) {
    New-Item -ItemType Directory -Force (Join-Path $folder 'carriers') | Out-Null
    @{ command = $dotnet; args = @($SandboxDll); timeoutSeconds = 10 } | ConvertTo-Json | Set-Content (Join-Path $folder 'carriers' "$Carrier.json")
    # A profile others can read or change is refused (E-4012): its command runs as you.
    if (-not $IsWindows) { [IO.File]::SetUnixFileMode((Join-Path $folder 'carriers' "$Carrier.json"), 'UserRead, UserWrite') }
}
$ShipperFile = Join-Path $WorkRoot 'shipper.json'
@{ Name = 'Chaos Supply'; ShipperNumber = 'A1B2C3'; Address1 = '200 Summer Street'; City = 'Boston'; State = 'MA'; PostalCode = '02210'; Country = 'US' } |
    ConvertTo-Json | Set-Content $ShipperFile

# Custom templates: copies of the built-in one in other shapes.
$Templates = New-Item -ItemType Directory -Force (Join-Path $WorkRoot 'templates')
$builtIn = Get-Content -Raw (Join-Path $ModulePath 'templates/ups-ground.sbn')
$packageReference = '(?<=\}),\s*"ReferenceNumber": \[\{"Value": "\{\{ reference \}\}"\}\]'
if ($builtIn -notmatch $packageReference) { throw 'The built-in ups-ground template no longer has the package reference line this harness rewrites.' }
$TemplateFiles = [ordered]@{
    # The row's reference only in CustomerContext: a lookup by reference can never find the shipment.
    'no-package-ref'  = $builtIn -replace $packageReference, ''
    # The order reference first, the row's reference second: another shape, still found by a lookup.
    'order-ref-first' = $builtIn -replace '"ReferenceNumber": \[\{"Value": "\{\{ reference \}\}"\}\]', '"ReferenceNumber": [{"Value": "{{ truncate (col "Reference") 35 }}"}, {"Value": "{{ reference }}"}]'
    # The reference at shipment level only, which UPS refuses for US-to-US shipments.
    'shipment-ref'    = ($builtIn -replace $packageReference, '') -replace '"Service": \{', '"ReferenceNumber": [{"Value": "{{ reference }}"}],
    "Service": {'
}
foreach ($k in @($TemplateFiles.Keys)) {
    $path = Join-Path $Templates "chaos-$k.sbn"
    Set-Content -LiteralPath $path -Value $TemplateFiles[$k] -NoNewline
    $TemplateFiles[$k] = $path
}

$stats = [ordered]@{
    Kills = 0; Pauses = 0; Cancels = 0; Locks = 0; Parallel = 0; Restarts = 0; Attempts = 0
    Runs = 0; Hung = 0; NeedsReviewMain = 0; NeedsReviewLookupOff = 0; MadeNotRecorded = 0; OrphansLeft = 0; OrphansHung = 0
}
$faultCount = { $stats.Kills + $stats.Pauses + $stats.Cancels + $stats.Locks + $stats.Parallel + $stats.Restarts }
$landed = [ordered]@{}
foreach ($k in 'staging', 'before the first row (start-up)', 'start-up or first lookup, rows left in flight', 'reconciliation', 'mid-row, in flight, not yet created', 'mid-row, created at the carrier, not yet recorded', 'between rows') { $landed[$k] = 0 }
$outcomes = [ordered]@{} # fault kind -> error codes and exits seen, for -Verbose
$reviewed = [Collections.Generic.HashSet[string]]::new()
$batches = [Collections.Generic.List[object]]::new()
$columns = 'RecipientName', 'Address1', 'City', 'State', 'PostalCode', 'WeightLb', 'Reference'

function New-Batch([string] $Kind, [int] $Count, [string] $Shape = 'csv') {
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
    $json = $null; $template = 'ups-ground'; $variant = $null; $idColumn = 'Reference'
    switch ($Shape) {
        'hashtable' {
            # No Reference column: the order's identity is the hash of its columns. RecipientName tells them apart here.
            $json = Join-Path $Inputs "$name.json"
            $orders | Select-Object ($columns | Where-Object { $_ -ne 'Reference' }) | ConvertTo-Json -AsArray | Set-Content $json
            $idColumn = 'RecipientName'
        }
        'template' {
            $variant = @($TemplateFiles.Keys)[$rng.Next(0, $TemplateFiles.Count)]
            $template = $TemplateFiles[$variant]
        }
    }
    $batch = [pscustomobject]@{
        Name = $name; Csv = $csv; Json = $json; Shape = $Shape; Template = $template; Variant = $variant; IdColumn = $idColumn
        Orders = @($orders | ForEach-Object $idColumn); Kind = $Kind; JobNames = [Collections.Generic.List[string]]::new([string[]]@($name))
        Done = $false; Stalls = 0; Refused = $null; Rerun = $false
    }
    $batches.Add($batch)
    Write-Verbose ("batch {0}: {1} orders, {2}{3}" -f $name, $Count, $Shape, $(if ($variant) { " ($variant)" } else { '' }))
    $batch
}

function New-MainBatch {
    $roll = $rng.NextDouble()
    $shape = if ($roll -lt 0.6) { 'csv' } elseif ($roll -lt 0.8) { 'hashtable' } else { 'template' }
    New-Batch 'main' $Rows $shape
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

function Invoke-StoreRead([scriptblock] $Read) {
    # The harness reads the store while an outside process may hold its write lock: retry a busy store, bounded.
    for ($i = 1; ; $i++) {
        try { return & $Read }
        catch {
            if ($i -ge 6) { throw }
            Write-Verbose "     store read failed ($($_.Exception.Message)); again"
            Start-Sleep -Milliseconds 500
        }
    }
}

function Get-BatchJobs($Batch) {
    Invoke-StoreRead { @(foreach ($n in $Batch.JobNames) { Get-BatchJob -Name $n }) }
}

function Test-FullyStaged($Batch, $Job) {
    # A Created job with fewer rows than the batch was cut short in staging; a new Start replaces it.
    -not ($Job.Status -eq 'Created' -and $Job.Total -lt $Batch.Orders.Count)
}

function Get-StartScript($Batch, [string] $Name) {
    $tail = "Start-BatchShipment -Template '$($Batch.Template)' -Shipper '$ShipperFile' -Name '$Name' -Carrier $Carrier -ThrottleLimit 4 -Force -ErrorAction Stop | Out-Null"
    if ($Batch.Shape -ne 'hashtable') { return "Import-Csv '$($Batch.Csv)' | $tail" }
    # Hashtables, with the keys in an order drawn for this run; @{} has its own order, which differs per process.
    $keys = [Collections.Generic.List[string]]::new([string[]]@($columns | Where-Object { $_ -ne 'Reference' }))
    $shuffled = while ($keys.Count -gt 0) { $i = $rng.Next(0, $keys.Count); $keys[$i]; $keys.RemoveAt($i) }
    $table = if ($rng.NextDouble() -lt 0.5) { '[ordered]@{}' } else { '@{}' }
    "Get-Content -Raw '$($Batch.Json)' | ConvertFrom-Json | ForEach-Object { `$h = $table; foreach (`$k in '$($shuffled -join "','")') { `$h[`$k] = `$_.`$k }; `$h } | $tail"
}

function Get-ResumeScript([string[]] $JobIds) {
    # Each job on its own, so that one job's expected refusal (busy, held) does not skip the next; the first error ends the run.
    "`$first = `$null; foreach (`$id in '$($JobIds -join "','")') { try { Resume-BatchShipment -JobId `$id -Force -RetryFailed -ErrorAction Stop | Out-Null } catch { if (-not `$first) { `$first = `$_ }; Write-Error `$_ -ErrorAction Continue } }; if (`$first) { throw `$first }"
}

function Get-NextCommand($Batch) {
    # What the next run of this batch does: Start (no fully staged job yet), or Resume of its unfinished jobs.
    $jobs = @(Get-BatchJobs $Batch | Where-Object { Test-FullyStaged $Batch $_ })
    if ($jobs.Count -eq 0) { return [pscustomobject]@{ Verb = 'Start'; Script = (Get-StartScript $Batch $Batch.Name); JobIds = @() } }
    if (@($jobs | Where-Object Status -eq 'Running').Count -gt 0) {
        # A runner that just died may still look alive until its lease goes stale.
        Start-Sleep -Seconds ($LeaseSeconds + 1)
        $jobs = @(Get-BatchJobs $Batch | Where-Object { Test-FullyStaged $Batch $_ })
    }
    $ids = @($jobs | Where-Object Status -in 'Interrupted', 'Failed', 'Stopped', 'Created', 'Running' | ForEach-Object JobId)
    if ($ids.Count -eq 0) { return $null }
    [pscustomobject]@{ Verb = 'Resume'; Script = (Get-ResumeScript $ids); JobIds = $ids }
}

function Start-Child {
    # One child pwsh running $Script, with the run's environment plus $Environment; -NewSession puts it in its own
    # session and process group (setsid), so that a SIGINT can go to the whole group as a terminal's Ctrl+C does.
    # With two stations, -Station names the station it runs at (its folder and host name; station-a by default).
    param([string] $Script, [string] $Faults = 'latency=5ms', [hashtable] $Environment = @{}, [switch] $NewSession, [string] $Station)
    if ($Stations -eq 2 -and -not $Station) { $Station = 'station-a' }
    $stats.Runs++
    $grouped = $NewSession -and $setsidCommand
    $psi = [Diagnostics.ProcessStartInfo]::new($(if ($grouped) { $setsidCommand } else { $exe }))
    if ($grouped) { $psi.ArgumentList.Add($exe) }
    foreach ($a in $PwshPrefix) { $psi.ArgumentList.Add($a) }
    $full = "`$ErrorActionPreference = 'Stop'; `$PSStyle.OutputRendering = 'PlainText'; Import-Module '$ModulePath'; $Script"
    foreach ($a in '-NoProfile', '-NonInteractive', '-Command', $full) { $psi.ArgumentList.Add($a) }
    $psi.UseShellExecute = $false
    $psi.RedirectStandardOutput = $true
    $psi.RedirectStandardError = $true
    $psi.Environment['BATCHSHIP_HOME'] = $StoreHome
    $psi.Environment['BATCHSHIP_SANDBOX_LEDGER'] = $Ledger
    $psi.Environment['BATCHSHIP_LEASE_SECONDS'] = [string]$LeaseSeconds
    $psi.Environment['BATCHSHIP_SANDBOX_FAULTS'] = $Faults
    $psi.Environment['BATCHSHIP_SANDBOX_SEED'] = [string]$rng.Next()
    foreach ($v in 'BATCHSHIP_CRASH_AT', 'BATCHSHIP_CRASH_ARM', 'BATCHSHIP_MACHINE_NAME') { $psi.Environment.Remove($v) | Out-Null }
    if ($Station) {
        $psi.Environment['BATCHSHIP_HOME'] = $StationHomes[$Station]
        $psi.Environment['BATCHSHIP_MACHINE_NAME'] = $Station
    }
    foreach ($k in $Environment.Keys) { $psi.Environment[$k] = [string]$Environment[$k] }
    $p = [Diagnostics.Process]::Start($psi)
    [pscustomobject]@{
        Process = $p; Id = $p.Id; Out = $p.StandardOutput.ReadToEndAsync(); Err = $p.StandardError.ReadToEndAsync()
        Watch = [Diagnostics.Stopwatch]::StartNew(); Grouped = [bool]$grouped; Hung = $false; Exit = $null; Stopped = $false
        Script = $Script; Environment = $Environment; Faults = $Faults; Station = $Station
    }
}

function Send-Signal($Child, [string] $Signal, [switch] $Group) {
    if ($Child.Process.HasExited) { return $false }
    $target = if ($Group -and $Child.Grouped) { "-$($Child.Id)" } else { "$($Child.Id)" }
    & $killCommand "-$Signal" -- $target 2>$null
    if ($Signal -eq 'STOP') { $Child.Stopped = $true } elseif ($Signal -eq 'CONT') { $Child.Stopped = $false }
    $LASTEXITCODE -eq 0
}

function Wait-Child($Child, [int] $TimeoutSeconds = $RunTimeoutSeconds, [switch] $FromNow) {
    # Bounded (from the child's start, or -FromNow): past the timeout the tree is thawed, killed, and counted as hung.
    $p = $Child.Process
    $left = if ($FromNow) { $TimeoutSeconds * 1000 } else { [Math]::Max(0, $TimeoutSeconds * 1000 - $Child.Watch.ElapsedMilliseconds) }
    if (-not $p.WaitForExit([int]$left)) {
        $Child.Hung = $true
        if ($Child.Stopped) { $null = Send-Signal $Child 'CONT' }
        try { $p.Kill($true) } catch { }
        if (-not $p.WaitForExit(60000)) { throw "Process $($Child.Id) did not die after SIGKILL." }
    }
    $p.WaitForExit() # reaps it, so the store sees its lease holder gone
    $Child.Exit = $p.ExitCode
    $null = [Threading.Tasks.Task]::WaitAll(@($Child.Out, $Child.Err), 30000)
    $Child.Exit
}

function Write-RunLog($Child, [string] $Label, [string] $Note) {
    $log = Join-Path $Logs ("{0:d4}-{1}.log" -f $stats.Runs, $Label)
    $envText = ($Child.Environment.GetEnumerator() | ForEach-Object { "$($_.Key)=$($_.Value)" }) -join ' '
    "$Note$(if ($Child.Station) { " station=$($Child.Station)" }) faults=$($Child.Faults) env=$envText exit=$($Child.Exit) hung=$($Child.Hung) ms=$($Child.Watch.ElapsedMilliseconds)`n--- script`n$($Child.Script)`n--- stdout`n$($Child.Out.Result)`n--- stderr`n$($Child.Err.Result)" |
        Set-Content $log
    if ($Child.Hung) { $stats.Hung++; Write-Warning "Run $Label hung for $RunTimeoutSeconds s and was killed; see $log" }
    $log
}

function Get-ErrorCodes($Child) {
    @([regex]::Matches("$($Child.Out.Result)`n$($Child.Err.Result)", 'E-\d{4}') | ForEach-Object Value | Select-Object -Unique)
}

function Add-Outcome([string] $Fault, $Child) {
    $codes = Get-ErrorCodes $Child
    $key = "exit $($Child.Exit)$(if ($codes) { ' ' + ($codes -join '/') })"
    if (-not $outcomes.Contains($Fault)) { $outcomes[$Fault] = [ordered]@{} }
    $outcomes[$Fault][$key] = 1 + $(if ($outcomes[$Fault].Contains($key)) { $outcomes[$Fault][$key] } else { 0 })
}

function Wait-ForRunning($Batch, $Child, [int] $TimeoutSeconds = 60) {
    # The id of a job of the batch that shows Running with a live runner, or $null when the child ended first.
    while (-not $Child.Process.HasExited -and $Child.Watch.Elapsed.TotalSeconds -lt $TimeoutSeconds) {
        $job = @(Get-BatchJobs $Batch | Where-Object Status -eq 'Running') | Select-Object -First 1
        if ($job) { return $job.JobId }
        $null = $Child.Process.WaitForExit(50)
    }
    $null
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

function Get-BatchShipments($Batch) {
    # Every live shipment whose reference names a job of the batch.
    $ids = @(Get-BatchJobs $Batch | ForEach-Object JobId)
    @(Get-LiveShipments | Where-Object { $r = $_.Reference; @($ids | Where-Object { $r -like "BS-$_-*" }).Count -gt 0 })
}

function Resolve-FromLedger($Batch) {
    # What a person does with a NeedsReview row: ask the carrier (here, its ledger) and record the answer.
    $review = @(Get-BatchJobs $Batch | Where-Object NeedsReview -gt 0)
    if ($review.Count -eq 0) { return }
    $live = @(Get-LiveShipments)
    foreach ($job in $review) {
        foreach ($row in Invoke-StoreRead { Get-BatchShipment -JobId $job.JobId -Status NeedsReview }) {
            $key = "$($job.JobId)-$($row.RowNumber)"
            if ($reviewed.Add($key)) { if ($Batch.Kind -eq 'lookupoff') { $stats.NeedsReviewLookupOff++ } else { $stats.NeedsReviewMain++ } }
            $found = @($live | Where-Object Reference -eq "BS-$key")
            try {
                if ($found.Count -ge 1) {
                    Resolve-BatchShipment -JobId $job.JobId -RowNumber $row.RowNumber -TrackingNumber $found[0].TrackingNumber -Confirm:$false | Out-Null
                }
                else {
                    Resolve-BatchShipment -JobId $job.JobId -RowNumber $row.RowNumber -NotShipped -Confirm:$false | Out-Null
                }
            }
            catch { Write-Warning "Could not resolve row $key from the ledger: $($_.Exception.Message)" }
        }
    }
}

function Test-BatchDone($Batch) {
    if ($Batch.Refused) { return $true }
    $jobs = @(Get-BatchJobs $Batch | Where-Object { Test-FullyStaged $Batch $_ })
    $jobs.Count -gt 0 -and @($jobs | Where-Object Status -ne 'Completed').Count -eq 0
}

function Update-Refusal($Batch, $Children) {
    # A custom template refused before anything was bought is a correct outcome: the engine's E-4003, or the carrier
    # refusing the first row (E-2xxx, e.g. a shipment-level reference on a US-to-US shipment).
    if ($Batch.Shape -ne 'template' -or $Batch.Refused) { return }
    $codes = @($Children | ForEach-Object { Get-ErrorCodes $_ }) + @(Get-BatchJobs $Batch | ForEach-Object LastErrorCode) | Where-Object { $_ }
    $refusal = @($codes | Where-Object { $_ -eq 'E-4003' -or $_ -like 'E-2*' }) | Select-Object -First 1
    if (-not $refusal) { return }
    if (@(Get-BatchShipments $Batch).Count -gt 0) { return } # something was bought: judged order by order
    $Batch.Refused = $refusal
    Write-Verbose "     $($Batch.Name): template $($Batch.Variant) refused ($refusal), nothing bought"
}

function Get-RowState($Batch) {
    # The rows of the batch's staged jobs that are in flight (with whether the carrier has made them), and counts.
    $jobs = Get-BatchJobs $Batch
    $halfStaged = @($jobs | Where-Object { -not (Test-FullyStaged $Batch $_) }).Count
    $staged = @($jobs | Where-Object { Test-FullyStaged $Batch $_ })
    if ($staged.Count -eq 0) { return [pscustomobject]@{ HalfStaged = $halfStaged; Job = $null; Settled = 0; InFlight = @(); Made = 0 } }
    $inFlight = @(foreach ($job in $staged) { Invoke-StoreRead { Get-BatchShipment -JobId $job.JobId -Status InFlight } | ForEach-Object { "BS-$($job.JobId)-$($_.RowNumber)" } })
    $made = 0
    if ($inFlight.Count -gt 0) {
        $refs = [Collections.Generic.HashSet[string]]::new([string[]]@(Get-LiveShipments | ForEach-Object Reference))
        $made = @($inFlight | Where-Object { $refs.Contains($_) }).Count
    }
    $settled = 0
    foreach ($j in $staged) { $settled += $j.Completed + $j.Failed + $j.NeedsReview + $j.AlreadyShipped }
    [pscustomobject]@{ HalfStaged = $halfStaged; Job = (@($staged.JobId) -join ','); Settled = $settled; InFlight = $inFlight; Made = $made }
}

function Get-KillPlace($Before, $After) {
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

function Get-Trigger($Command, [string] $Action, $Batch) {
    # When an action fires: clock (ms after start), running (ms after the job shows Running), ledger (new lines),
    # staging (the runner kills itself mid-staging; kills of a Start only).
    $roll = $rng.NextDouble()
    if ($Action -eq 'kill' -and $Command.Verb -eq 'Start' -and $roll -lt 0.3) { return [pscustomobject]@{ Mode = 'staging'; Param = $rng.Next(1, $Batch.Orders.Count + 1) } }
    if ($roll -lt 0.5) { return [pscustomobject]@{ Mode = 'clock'; Param = $rng.Next(500, 6001) } }
    if ($roll -lt 0.75 -or $Action -eq 'stop') { return [pscustomobject]@{ Mode = 'running'; Param = $rng.Next(0, 2501) } }
    [pscustomobject]@{ Mode = 'ledger'; Param = $rng.Next(1, 41) }
}

function Stop-Runner($Child, [bool] $Tree) {
    # SIGKILL. Half the kills take the whole tree (runner and sandbox, like a lost machine); the other half only the
    # runner, like `kill -9 <pid>` or the OOM killer: its sandbox lives on and finishes its calls (the orphans returned).
    $orphans = @()
    if (-not $Tree) { $orphans = @(Get-Process | Where-Object { $_.Parent -and $_.Parent.Id -eq $Child.Id }) }
    $fired = $false
    try { $Child.Process.Kill($Tree); $fired = $true } catch [InvalidOperationException] { } # it ended first
    [pscustomobject]@{ Fired = $fired; Orphans = $orphans }
}

function Wait-Orphan($Orphans, [string] $Faults) {
    foreach ($o in @($Orphans)) {
        # An orphaned sandbox must end by itself once its calls are done (its stdin is closed); bounded. One holding
        # a call that hang_after_create hung never finishes it: that one is expected to stay, and is killed.
        $hangs = $Faults -like '*hang_after_create*'
        if (-not $o.WaitForExit($(if ($hangs) { 15000 } else { 60000 }))) {
            if ($hangs) { $stats.OrphansHung++ }
            else { $stats.OrphansLeft++; Write-Warning "Sandbox $($o.Id) outlived its runner by 60 s; killed." }
            try { $o.Kill() } catch { }
        }
    }
}

function Invoke-TriggeredRun {
    # One run of $Command; at the trigger's moment, $Action: kill (tree or runner alone), sigint (to the runner, or to
    # its process group), stop (Stop-BatchShipment from this process), or none. Returns what happened.
    param($Batch, $Command, [string] $Faults, [string] $Action, $Trigger, [string] $Label, [switch] $RunnerOnly)
    $environment = @{}
    if ($Trigger.Mode -eq 'staging') {
        # A crash point fires only when armed with the first 16 hex digits of the SHA-256 of its exact value.
        $point = "during-staging:$($Trigger.Param)"
        $environment['BATCHSHIP_CRASH_AT'] = $point
        $environment['BATCHSHIP_CRASH_ARM'] = [Convert]::ToHexString([Security.Cryptography.SHA256]::HashData([Text.Encoding]::UTF8.GetBytes($point))).Substring(0, 16).ToLowerInvariant()
    }
    $group = $Action -eq 'sigint' -and $rng.NextDouble() -lt 0.5
    $extraDelay = $rng.Next(0, 41)
    $treeKill = $rng.NextDouble() -lt 0.5 -and -not $RunnerOnly
    $ledgerAtStart = Get-LedgerLineCount
    $child = Start-Child -Script $Command.Script -Faults $Faults -Environment $environment -NewSession:$group
    $fireAt = $null; $fired = $false; $orphans = @(); $stopped = $null
    while (-not $child.Process.HasExited -and $Action -ne 'none' -and -not $fired) {
        if ($child.Watch.Elapsed.TotalSeconds -gt $RunTimeoutSeconds) { break }
        if ($null -eq $fireAt) {
            switch ($Trigger.Mode) {
                'clock' { $fireAt = $Trigger.Param }
                'running' { if (@(Get-BatchJobs $Batch | Where-Object Status -eq 'Running').Count -gt 0) { $fireAt = $child.Watch.ElapsedMilliseconds + $Trigger.Param } }
                'ledger' {
                    $now = Get-LedgerLineCount
                    if ($now -ge 0 -and $now - $ledgerAtStart -ge $Trigger.Param) { $fireAt = $child.Watch.ElapsedMilliseconds + $extraDelay }
                }
            }
        }
        if ($null -ne $fireAt -and $child.Watch.ElapsedMilliseconds -ge $fireAt) {
            switch ($Action) {
                'kill' { $k = Stop-Runner $child $treeKill; $fired = $k.Fired; $orphans = $k.Orphans }
                'sigint' { $fired = Send-Signal $child 'INT' -Group:$group }
                'stop' {
                    # Stop-BatchShipment names a job: the newest staged job of the batch that is running now.
                    $job = @(Get-BatchJobs $Batch | Where-Object Status -eq 'Running') | Select-Object -First 1
                    if ($job) {
                        try { Invoke-StoreRead { Stop-BatchShipment -JobId $job.JobId -Confirm:$false -ErrorAction Stop }; $fired = $true; $stopped = $job.JobId }
                        catch { Write-Verbose "     Stop-BatchShipment failed: $($_.Exception.Message)" }
                    }
                    else { $fireAt = $null } # not running (yet, or any more): wait for it
                }
            }
            if ($fired) { break }
        }
        $null = $child.Process.WaitForExit(15)
    }
    $exit = if ($Action -eq 'kill' -and $fired) { Wait-Child $child 60 -FromNow } else { Wait-Child $child }
    if ($Action -eq 'kill' -and $fired -and $exit -ne 137) { $fired = $false } # it ended by itself just before the kill
    Wait-Orphan $orphans $Faults
    $selfKilled = $Trigger.Mode -eq 'staging' -and $exit -eq 137
    $what = switch ($Action) {
        'kill' { if ($selfKilled) { 'KILLED self' } elseif ($treeKill) { 'KILLED tree' } else { 'KILLED runner' } }
        'sigint' { if ($group) { 'SIGINT group' } else { 'SIGINT runner' } }
        'stop' { "STOP $stopped" }
        default { '' }
    }
    $note = "action=$Action mode=$($Trigger.Mode) param=$($Trigger.Param) fired=$fired tree=$treeKill group=$group orphans=$($orphans.Count)"
    $log = Write-RunLog $child "$($Batch.Name)-$Label" $note
    $landedFault = ($fired -or $selfKilled) -and -not $child.Hung
    Write-Verbose ("run {0,4} {1,-22} {2,-8} {3,-8} {4,5} exit={5,4} {6} {7}" -f $stats.Runs, $Batch.Name, $Label, $Trigger.Mode, $Trigger.Param, $exit, $(if ($landedFault) { $what } else { '' }), $Faults)
    [pscustomobject]@{ Fired = $landedFault; Child = $child; Log = $log }
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

# --- the faults ----------------------------------------------------------------------------------

function Invoke-KillFault($Batch, $Command) {
    $before = Get-RowState $Batch
    $r = Invoke-TriggeredRun -Batch $Batch -Command $Command -Faults (Get-Faults) -Action 'kill' -Trigger (Get-Trigger $Command 'kill' $Batch) -Label "$($Command.Verb)-kill"
    if ($r.Fired) {
        $stats.Kills++
        $where = Get-KillPlace $before (Get-RowState $Batch)
        $landed[$where]++
        Write-Verbose "     landed: $where"
    }
    Add-Outcome 'kill' $r.Child
    @($r.Child)
}

function Invoke-CancelFault($Batch, $Command) {
    $children = @()
    $action = if ($IsWindows -or $rng.NextDouble() -lt 0.4) { 'stop' } else { 'sigint' }
    if ($rng.NextDouble() -lt 0.75) {
        # A plain cancel at a random moment.
        $r = Invoke-TriggeredRun -Batch $Batch -Command $Command -Faults (Get-Faults) -Action $action -Trigger (Get-Trigger $Command $action $Batch) -Label "$($Command.Verb)-$action"
        if ($r.Fired) { $stats.Cancels++ }
        Add-Outcome "cancel ($action)" $r.Child
        return @($r.Child)
    }
    # Kill the runner alone among slow creates, then cancel the resume while it waits before trusting "not found".
    $killTrigger = [pscustomobject]@{ Mode = 'ledger'; Param = $rng.Next(1, 6) }
    $before = Get-RowState $Batch
    $k = Invoke-TriggeredRun -Batch $Batch -Command $Command -Faults 'latency=1s;jitter=2s' -Action 'kill' -Trigger $killTrigger -Label "$($Command.Verb)-kill" -RunnerOnly
    $children += $k.Child
    Add-Outcome 'kill' $k.Child
    if ($k.Fired) {
        $stats.Kills++
        $where = Get-KillPlace $before (Get-RowState $Batch)
        $landed[$where]++
        Write-Verbose "     landed: $where"
    }
    $next = Get-NextCommand $Batch
    if ($null -eq $next -or $next.Verb -ne 'Resume') { return $children }
    $trigger = [pscustomobject]@{ Mode = 'clock'; Param = $rng.Next(300, 8001) }
    $r = Invoke-TriggeredRun -Batch $Batch -Command $next -Faults 'latency=20ms;jitter=20ms' -Action $action -Trigger $trigger -Label "Resume-deferred-$action"
    if ($r.Fired) { $stats.Cancels++ }
    Add-Outcome "cancel deferred ($action)" $r.Child
    $children + $r.Child
}

function Invoke-PauseFault($Batch, $Command) {
    # SIGSTOP the runner past the lease window, resume the job from another runner, SIGCONT, let both end.
    $otherHost = $rng.NextDouble() -lt 0.5
    $environment = if ($otherHost) { @{ BATCHSHIP_MACHINE_NAME = 'chaos-other-host' } } else { @{} }
    # Creates of 0.3 to 0.6 s, so that the runner is mid-batch when it is stopped.
    $a = Start-Child -Script $Command.Script -Faults 'latency=300ms;jitter=300ms' -Environment $environment
    $children = @($a)
    $jobId = Wait-ForRunning $Batch $a
    $delay = $rng.Next(0, 801)
    if ($jobId) { $null = $a.Process.WaitForExit($delay) }
    $paused = $jobId -and (Send-Signal $a 'STOP')
    # It counts when the job was still unfinished once the runner was stopped.
    if ($paused -and @(Get-BatchJobs $Batch | Where-Object { $_.JobId -eq $jobId -and $_.Status -ne 'Completed' }).Count -eq 0) { $paused = $false; $a.Stopped = $true }
    $pauseMs = 0; $b = $null
    try {
        if ($paused) {
            $pauseMs = ($LeaseSeconds + $rng.Next(1, 5)) * 1000
            Start-Sleep -Milliseconds $pauseMs
            $b = Start-Child -Script (Get-ResumeScript @($jobId)) -Faults 'latency=20ms;jitter=20ms'
            $children += $b
            $null = $b.Process.WaitForExit($rng.Next(1000, 6001))
        }
    }
    finally {
        if ($a.Stopped) { $null = Send-Signal $a 'CONT' }
    }
    $null = Wait-Child $a
    $note = "action=pause job=$jobId otherHost=$otherHost delay=$delay pausedMs=$pauseMs paused=$paused"
    $null = Write-RunLog $a "$($Batch.Name)-$($Command.Verb)-paused" $note
    if ($b) {
        $null = Wait-Child $b
        $null = Write-RunLog $b "$($Batch.Name)-Resume-while-paused" "action=resume-while-paused job=$jobId"
        Add-Outcome 'pause (resumer)' $b
    }
    Add-Outcome 'pause (paused runner)' $a
    if ($paused -and -not $a.Hung) { $stats.Pauses++ }
    Write-Verbose ("run {0,4} {1,-22} {2,-8} paused {3} ms as {4}, exits {5}/{6} {7}" -f $stats.Runs, $Batch.Name, $Command.Verb, $pauseMs,
        $(if ($otherHost) { 'chaos-other-host' } else { 'this host' }), $a.Exit, $(if ($b) { $b.Exit } else { '-' }), $(if ($b) { (Get-ErrorCodes $b) -join '/' }))
    $children
}

function Invoke-LockFault($Batch, $Command) {
    # An outside writer holds the store's write lock while the runner works. It opens batchship.db with the
    # Microsoft.Data.Sqlite that the module ships (loaded by a first store read), so that nothing else is needed.
    $holdMs = $rng.Next(2000, 20001)
    $go = Join-Path $WorkRoot "lock-go-$($stats.Runs)"
    # The holder starts first and waits for the go file, so that the lock lands at the drawn moment.
    $lockScript = @"
`$null = Get-BatchJob -Newest 1
while (-not (Test-Path '$go')) { Start-Sleep -Milliseconds 20 }
`$asm = [AppDomain]::CurrentDomain.GetAssemblies() | Where-Object { `$_.GetName().Name -eq 'Microsoft.Data.Sqlite' } | Select-Object -First 1
if (-not `$asm) { throw 'Microsoft.Data.Sqlite is not loaded.' }
`$connection = [Activator]::CreateInstance(`$asm.GetType('Microsoft.Data.Sqlite.SqliteConnection'), @('Data Source=$(Join-Path $StoreHome 'batchship.db');Pooling=False'))
`$connection.Open()
`$command = `$connection.CreateCommand(); `$command.CommandTimeout = 120
`$command.CommandText = 'PRAGMA busy_timeout=60000'; `$null = `$command.ExecuteNonQuery()
`$command.CommandText = 'BEGIN EXCLUSIVE'; `$null = `$command.ExecuteNonQuery()
[Console]::Out.WriteLine('locked at ' + [DateTimeOffset]::UtcNow.ToUnixTimeMilliseconds()); [Console]::Out.Flush()
Start-Sleep -Milliseconds $holdMs
`$command.CommandText = 'ROLLBACK'; `$null = `$command.ExecuteNonQuery(); `$connection.Dispose()
'released'
"@
    $holder = Start-Child -Script $lockScript
    Start-Sleep -Milliseconds 1500 # the holder's start-up
    # Creates of 0.3 to 0.6 s, so that the runner still works when the lock lands.
    $runner = Start-Child -Script $Command.Script -Faults 'latency=300ms;jitter=300ms'
    $jobId = Wait-ForRunning $Batch $runner
    $delay = $rng.Next(0, 3001)
    if ($jobId) { $null = $runner.Process.WaitForExit($delay) }
    Set-Content -LiteralPath $go -Value 'go'
    $null = Wait-Child $runner
    $lockedAt = $null
    if ($holder) {
        $null = Wait-Child $holder 120 -FromNow
        if ($holder.Exit -eq 0 -and "$($holder.Out.Result)" -match 'locked at (\d+)') { $lockedAt = [long]$Matches[1] }
        $null = Write-RunLog $holder "$($Batch.Name)-store-lock" "action=lock holdMs=$holdMs"
    }
    $null = Write-RunLog $runner "$($Batch.Name)-$($Command.Verb)-locked" "action=lock holdMs=$holdMs job=$jobId delay=$delay lockedAt=$lockedAt"
    # A lock counts when it was taken while the runner was still there.
    $overlap = $null -ne $lockedAt -and $lockedAt -lt ([DateTimeOffset]$runner.Process.ExitTime.ToUniversalTime()).ToUnixTimeMilliseconds()
    if ($overlap) { $stats.Locks++ }
    Add-Outcome 'lock' $runner
    Write-Verbose ("run {0,4} {1,-22} {2,-8} store locked {3} ms (held={4}) exit={5} {6}" -f $stats.Runs, $Batch.Name, $Command.Verb, $holdMs, $overlap, $runner.Exit, ((Get-ErrorCodes $runner) -join '/'))
    @($runner) + @($holder | Where-Object { $_ })
}

function Invoke-ParallelFault($Batch, $Command) {
    # Two runners in one process: two Resumes of one job, or two Starts of the same orders (two jobs).
    $scripts = if ($Command.Verb -eq 'Resume') {
        $id = $Command.JobIds[$rng.Next(0, $Command.JobIds.Count)]
        @((Get-ResumeScript @($id)), (Get-ResumeScript @($id)))
    }
    else { @((Get-StartScript $Batch $Batch.Name), (Get-StartScript $Batch $Batch.Name)) }
    $quoted = ($scripts | ForEach-Object { "'" + ($_ -replace "'", "''") + "'" }) -join ', '
    $body = "`$ErrorActionPreference = 'Stop'; Import-Module '$ModulePath'; try { & ([scriptblock]::Create(`$s)); 'runner ok' } catch { 'runner error ' + `$_.FullyQualifiedErrorId + ': ' + `$_.Exception.Message }"
    $how = if ($rng.NextDouble() -lt 0.5) { 'ForEach-Object -Parallel' } else { 'Start-ThreadJob' }
    $script = if ($how -eq 'ForEach-Object -Parallel') {
        "$quoted | ForEach-Object -ThrottleLimit 2 -Parallel { `$s = `$_; $body }"
    }
    else {
        "`$jobs = foreach (`$s in $quoted) { Start-ThreadJob -ArgumentList `$s -ScriptBlock { param(`$s) $body } }; `$jobs | Receive-Job -Wait -AutoRemoveJob -ErrorAction Continue"
    }
    $child = Start-Child -Script $script -Faults (Get-Faults)
    $null = Wait-Child $child
    $null = Write-RunLog $child "$($Batch.Name)-$($Command.Verb)-parallel" "action=parallel how=$how"
    if (-not $child.Hung) { $stats.Parallel++ }
    Add-Outcome "parallel ($($Command.Verb))" $child
    $results = @("$($child.Out.Result)" -split "`n" | Where-Object { $_ -like 'runner *' } | ForEach-Object { ($_ -replace '^runner ', '') -replace '^(error \S+):.*', '$1' })
    Write-Verbose ("run {0,4} {1,-22} {2,-8} two runners via {3}: {4}" -f $stats.Runs, $Batch.Name, $Command.Verb, $how, ($results -join '; '))
    @($child)
}

# --- the two-station faults: one job, runners of two hosts, one PostgreSQL database -----------------

function Get-OtherStation([string] $Station) { if ($Station -eq 'station-a') { 'station-b' } else { 'station-a' } }

function Get-LiveRunner($Runners) { @($Runners | Where-Object { -not $_.Process.HasExited }) }

function Start-TableLock([int] $HoldSeconds) {
    # An outside session (psql) takes the rows table from every reader and writer, as a careless report or a manual
    # migration would, and prints when it got it.
    $psi = [Diagnostics.ProcessStartInfo]::new($psql)
    $sql = 'BEGIN', 'LOCK TABLE rows IN ACCESS EXCLUSIVE MODE', "SELECT 'locked at ' || (extract(epoch FROM clock_timestamp()) * 1000)::bigint", "SELECT pg_sleep($HoldSeconds)", 'COMMIT'
    foreach ($a in @('-h', $pgParts['host'], '-U', $pgParts['username'], '-d', 'batchship_chaos', '-v', 'ON_ERROR_STOP=1', '-qtA') + @($sql | ForEach-Object { '-c', $_ })) { $psi.ArgumentList.Add([string]$a) }
    $psi.UseShellExecute = $false
    $psi.RedirectStandardOutput = $true
    $psi.RedirectStandardError = $true
    $p = [Diagnostics.Process]::Start($psi)
    [pscustomobject]@{ Process = $p; Out = $p.StandardOutput.ReadToEndAsync(); Err = $p.StandardError.ReadToEndAsync() }
}

function Get-JoinScript($Batch, $Command, [string] $StopFile) {
    # Waits (bounded) until a job of the command shows Running, then resumes it; nothing when none does before the
    # first runner has ended (the harness then writes $StopFile).
    $find = if ($Command.Verb -eq 'Start') { "Get-BatchJob -Name '$($Batch.Name)'" } else { "Get-BatchJob -JobId '$($Command.JobIds -join "','")'" }
    "`$clock = [Diagnostics.Stopwatch]::StartNew(); `$job = `$null
while (-not `$job -and `$clock.Elapsed.TotalSeconds -lt 120 -and -not (Test-Path '$StopFile')) { `$job = @($find | Where-Object Status -eq 'Running') | Select-Object -First 1; if (-not `$job) { Start-Sleep -Milliseconds 100 } }
if (`$job) { Resume-BatchShipment -JobId `$job.JobId -Force -RetryFailed -ErrorAction Stop | Out-Null }"
}

function Invoke-StationsFault($Batch, $Command, [string] $Fault) {
    # The batch starts (or resumes) at one station; once its job runs, the other station resumes the same job: two
    # runners with two host identities on one job. Then one fault, drawn with the seed, hits a runner or the database.
    $first = @($StationHomes.Keys)[$rng.Next(0, 2)]
    # Creates of 0.4 to 0.8 s (a slow carrier in a fifth of the kills), so that the second runner joins while rows are
    # left to claim and both still work when the fault lands.
    $carrierFaults = 'latency=400ms;jitter=400ms'
    if ($Fault -eq 'kill') {
        $roll = $rng.NextDouble()
        if ($roll -lt 0.2) { $carrierFaults = 'latency=1s;jitter=3s' } elseif ($roll -lt 0.45) { $carrierFaults += ';crash_after_create=0.02;hang_after_create=0.02' }
    }
    $before = Get-RowState $Batch
    # Both processes start together; the second waits (module loaded) until the job shows Running, then resumes it, so
    # that the two overlap however slowly a pwsh starts on a busy machine.
    $a = Start-Child -Script $Command.Script -Faults $carrierFaults -Station $first
    $runners = [Collections.Generic.List[object]]::new()
    $runners.Add($a)
    $firstEnded = Join-Path $WorkRoot "first-ended-$($stats.Runs)"
    $runners.Add((Start-Child -Script (Get-JoinScript $Batch $Command $firstEnded) -Faults $carrierFaults -Station (Get-OtherStation $first)))
    $jobId = Wait-ForRunning $Batch $a
    $watch = [Diagnostics.Stopwatch]::StartNew()
    $landedFault = $false; $what = ''; $holder = $null; $paused = $null
    if ($jobId) {
        switch ($Fault) {
            'kill' {
                # At a clock moment, or after some new ledger lines (between a create and its Completed commit), kill -9
                # one live runner: the tree, or the runner alone (its sandbox finishes its calls).
                $tree = $rng.NextDouble() -lt 0.5
                $pick = $rng.Next(0, 2)
                $byLedger = $rng.NextDouble() -lt 0.4
                $param = if ($byLedger) { $rng.Next(1, 21) } else { $rng.Next(0, 3001) }
                $extraDelay = $rng.Next(0, 41)
                $ledgerAtStart = Get-LedgerLineCount
                while (@(Get-LiveRunner $runners).Count -gt 0 -and $watch.Elapsed.TotalSeconds -lt $RunTimeoutSeconds) {
                    $due = if ($byLedger) { ($n = Get-LedgerLineCount) -ge 0 -and $n - $ledgerAtStart -ge $param } else { $watch.ElapsedMilliseconds -ge $param }
                    if ($due) { break }
                    $null = $a.Process.WaitForExit(15)
                }
                if ($byLedger) { Start-Sleep -Milliseconds $extraDelay }
                $live = @(Get-LiveRunner $runners)
                if ($live.Count -gt 0) {
                    $victim = $live[$pick % $live.Count]
                    $k = Stop-Runner $victim $tree
                    if ($k.Fired -and (Wait-Child $victim 60 -FromNow) -eq 137) {
                        $landedFault = $true; $stats.Kills++
                        $where = Get-KillPlace $before (Get-RowState $Batch)
                        $landed[$where]++
                        $what = "KILLED $(if ($tree) { 'tree' } else { 'runner' }) at $($victim.Station) ($(if ($byLedger) { "ledger +$param" } else { "$param ms" })), the job then: $where"
                    }
                    Wait-Orphan $k.Orphans $carrierFaults
                }
            }
            'pause' {
                # SIGSTOP one live runner past its lease; the other station resumes the job (takes over, or joins the
                # runner still there); SIGCONT: the thawed runner must find itself fenced.
                $null = $a.Process.WaitForExit($rng.Next(0, 1501))
                $pick = $rng.Next(0, 2)
                $live = @(Get-LiveRunner $runners)
                if ($live.Count -gt 0) {
                    $paused = $live[$pick % $live.Count]
                    $stopped = Send-Signal $paused 'STOP'
                    try {
                        # It counts when the job was still running once the runner was stopped.
                        if ($stopped -and @(Get-BatchJobs $Batch | Where-Object { $_.JobId -eq $jobId -and $_.Status -eq 'Running' }).Count -gt 0) {
                            $pauseMs = ($LeaseSeconds + $rng.Next(1, 5)) * 1000
                            Start-Sleep -Milliseconds $pauseMs
                            $takeover = Start-Child -Script (Get-ResumeScript @($jobId)) -Faults 'latency=20ms;jitter=20ms' -Station (Get-OtherStation $paused.Station)
                            $runners.Add($takeover)
                            $null = $takeover.Process.WaitForExit($rng.Next(1000, 6001))
                            $landedFault = $true
                            $what = "paused $($paused.Station) for $pauseMs ms, resumed at $($takeover.Station)"
                        }
                    }
                    finally { if ($paused.Stopped) { $null = Send-Signal $paused 'CONT' } }
                }
            }
            'restart' {
                # A database crash and restart (immediate mode) while the runners work: they must ride it out.
                $null = $a.Process.WaitForExit($rng.Next(0, 2001))
                if (@(Get-LiveRunner $runners).Count -gt 0) {
                    & $exe @PwshPrefix -NoProfile -NonInteractive -File $TestPostgres -Restart -DataFolder $Postgres.DataFolder
                    if ($LASTEXITCODE -ne 0) { throw "The PostgreSQL server did not restart (exit code $LASTEXITCODE)." }
                    $landedFault = $true
                    $what = 'database restarted'
                }
            }
            'lock' {
                $holdSeconds = $rng.Next(2, 9)
                $null = $a.Process.WaitForExit($rng.Next(0, 2001))
                $holder = Start-TableLock $holdSeconds
                $what = "rows locked $holdSeconds s"
            }
        }
    }
    $null = Wait-Child $a
    Set-Content -LiteralPath $firstEnded -Value 'ended'
    foreach ($r in $runners) { $null = Wait-Child $r }
    if ($holder) {
        if (-not $holder.Process.WaitForExit(120000)) { try { $holder.Process.Kill() } catch { } }
        $holder.Process.WaitForExit()
        $null = [Threading.Tasks.Task]::WaitAll(@($holder.Out, $holder.Err), 30000)
        # A lock counts when it was taken while a runner was still there.
        if ($holder.Process.ExitCode -eq 0 -and "$($holder.Out.Result)" -match 'locked at (\d+)') {
            $lockedAt = [long]$Matches[1]
            $lastExit = ($runners | ForEach-Object { ([DateTimeOffset]$_.Process.ExitTime.ToUniversalTime()).ToUnixTimeMilliseconds() } | Measure-Object -Maximum).Maximum
            if ($lockedAt -lt $lastExit) { $landedFault = $true }
        }
        else { Write-Warning "The table lock did not hold: $($holder.Err.Result)" }
    }
    if ($landedFault -and @($runners | Where-Object Hung).Count -gt 0) { $landedFault = $false }
    if ($landedFault) {
        switch ($Fault) { 'pause' { $stats.Pauses++ } 'restart' { $stats.Restarts++ } 'lock' { $stats.Locks++ } }
    }
    $roles = @('first', 'joiner', 'takeover')
    for ($i = 0; $i -lt $runners.Count; $i++) {
        $verb = if ($i -eq 0) { $Command.Verb } else { 'Resume' }
        $null = Write-RunLog $runners[$i] "$($Batch.Name)-$verb-$Fault-$($runners[$i].Station)" "action=$Fault role=$($roles[$i]) job=$jobId landed=$landedFault $what"
        Add-Outcome "$Fault ($($roles[$i]))" $runners[$i]
    }
    Write-Verbose ("run {0,4} {1,-22} {2,-8} {3,-7} at {4}: {5}; exits {6}" -f $stats.Runs, $Batch.Name, $Command.Verb, $Fault, $first,
        $(if ($landedFault) { $what } else { 'did not land' }), (($runners | ForEach-Object { "$($_.Station) $($_.Exit)$(if ($c = Get-ErrorCodes $_) { ' ' + ($c -join '/') })" }) -join ', '))
    @($runners)
}

function Invoke-Rerun($Batch) {
    # Hashtable rows have no Reference: a start of the same rows (another key order) must find them all shipped.
    $Batch.Rerun = $true
    $name = "$($Batch.Name)-again"
    $Batch.JobNames.Add($name)
    $child = Start-Child -Script (Get-StartScript $Batch $name)
    $null = Wait-Child $child
    $null = Write-RunLog $child "$($Batch.Name)-Start-again" 'action=none rerun'
    Add-Outcome 'rerun of hashtable rows' $child
    Write-Verbose ("run {0,4} {1,-22} started again with another key order, exit={2}" -f $stats.Runs, $Batch.Name, $child.Exit)
}

function Complete-Round($Batch, $Children, [bool] $Faulted) {
    # After a run: what a person would do about rows under review, then whether the batch is done.
    Update-Refusal $Batch @($Children)
    Resolve-FromLedger $Batch
    $Batch.Done = Test-BatchDone $Batch
    if ($Batch.Done -and $Batch.Shape -eq 'hashtable' -and -not $Batch.Rerun) {
        Invoke-Rerun $Batch
        $Batch.Done = Test-BatchDone $Batch
    }
    if (-not $Faulted -and -not $Batch.Done) { $Batch.Stalls++ } else { $Batch.Stalls = 0 }
}

function Invoke-PlainRound($Batch, [string] $Faults = 'latency=5ms') {
    $command = Get-NextCommand $Batch
    $children = @()
    if ($command) {
        $r = Invoke-TriggeredRun -Batch $Batch -Command $command -Faults $Faults -Action 'none' -Trigger ([pscustomobject]@{ Mode = 'none'; Param = 0 }) -Label $command.Verb
        $children = @($r.Child)
    }
    Complete-Round $Batch $children $false
}

# --- the main pass: one fault per iteration, on a live batch -----------------------------------
$batch = $null
while ((& $faultCount) -lt $Iterations -and $stats.Attempts -lt 4 * $Iterations) {
    if ($null -eq $batch -or $batch.Done) { $batch = New-MainBatch }
    $command = Get-NextCommand $batch
    if ($null -eq $command) { Complete-Round $batch @() $false; if ($batch.Stalls -ge 5) { $batch.Done = $true }; continue }
    $stats.Attempts++
    $fault = $Faults[$rng.Next(0, $Faults.Count)]
    $before = & $faultCount
    $children = if ($Stations -eq 2) { Invoke-StationsFault $batch $command $fault } else { switch ($fault) {
        'kill' { Invoke-KillFault $batch $command }
        'cancel' { Invoke-CancelFault $batch $command }
        'pause' { Invoke-PauseFault $batch $command }
        'lock' { Invoke-LockFault $batch $command }
        'parallel' { Invoke-ParallelFault $batch $command }
    } }
    Complete-Round $batch @($children) ((& $faultCount) -gt $before)
    if ($batch.Stalls -ge 5) {
        Write-Warning "$($batch.Name) ran 5 times without a fault and did not complete; moving on."
        $batch.Done = $true
    }
}
# Finish what the last faults left: no more faults, a bounded number of runs.
foreach ($b in $batches) {
    $attempts = 0
    while (-not (Test-BatchDone $b) -and $attempts -lt 5) { Invoke-PlainRound $b; $attempts++ }
}

# --- the lookup=off pass: NeedsReview appears only here, and is resolved from the ledger ----------
if ($LookupOffRows -gt 0) {
    foreach ($i in 1..2) {
        $b = New-Batch 'lookupoff' $LookupOffRows
        # The sandbox dies after some creates and cannot be asked about them; no fault is counted here.
        Invoke-PlainRound $b 'latency=20ms;jitter=20ms;crash_after_create=0.3;lookup=off'
        $attempts = 0
        while (-not (Test-BatchDone $b) -and $attempts -lt 5) { Invoke-PlainRound $b; $attempts++ }
    }
}

# --- the verdict: the carrier's ledger against the store, order by order --------------------------
$live = @(Get-LiveShipments)
$byReference = @{}
foreach ($s in $live) { if (-not $byReference.ContainsKey($s.Reference)) { $byReference[$s.Reference] = [Collections.Generic.List[object]]::new() }; $byReference[$s.Reference].Add($s) }
$duplicates = 0; $lost = 0; $totalRows = 0; $stuck = 0
$knownReferences = [Collections.Generic.HashSet[string]]::new()
foreach ($b in $batches) {
    $jobs = @(Get-BatchJobs $b)
    if (-not $b.Refused) {
        $staged = @($jobs | Where-Object { Test-FullyStaged $b $_ })
        $notDone = @($staged | Where-Object Status -ne 'Completed')
        $stuck += $notDone.Count + [int]($staged.Count -eq 0)
        if ($notDone.Count -gt 0 -or $staged.Count -eq 0) {
            Write-Warning "$($b.Name) ($($b.Shape)$(if ($b.Variant) { " $($b.Variant)" })) did not complete: $(($jobs | ForEach-Object { "$($_.JobId)=$($_.Status)$(if ($_.LastErrorCode) { " $($_.LastErrorCode)" })" }) -join ', ')"
        }
    }
    $rowsByOrder = @{}
    foreach ($job in $jobs) {
        foreach ($row in Invoke-StoreRead { Get-BatchShipment -JobId $job.JobId }) {
            $reference = "BS-$($job.JobId)-$($row.RowNumber)"
            if ($row.ShipmentStatus -eq 'Completed') { $null = $knownReferences.Add($reference) }
            $order = $row.($b.IdColumn)
            if (-not $rowsByOrder.ContainsKey($order)) { $rowsByOrder[$order] = [Collections.Generic.List[object]]::new() }
            $rowsByOrder[$order].Add([pscustomobject]@{ Ref = $reference; Row = $row })
        }
    }
    foreach ($order in $b.Orders) {
        $totalRows++
        $rowsOfOrder = if ($rowsByOrder.ContainsKey($order)) { $rowsByOrder[$order] } else { @() }
        $shipments = @(foreach ($r in $rowsOfOrder) { if ($byReference.ContainsKey($r.Ref)) { $byReference[$r.Ref] | ForEach-Object { [pscustomobject]@{ Ref = $r.Ref; Row = $r.Row; Shipment = $_ } } } })
        if ($shipments.Count -gt 1) {
            $duplicates += $shipments.Count - 1
            Write-Warning "Order $order of $($b.Name) ($($b.Shape)$(if ($b.Variant) { " $($b.Variant)" })): $($shipments.Count) shipments ($(($shipments | ForEach-Object { "$($_.Ref)=$($_.Shipment.TrackingNumber) row $($_.Row.ShipmentStatus)" }) -join ', '))."
        }
        if ($b.Refused) { continue } # refused before anything was bought: no shipment is expected
        if ($shipments.Count -eq 0) { $lost++; Write-Warning "Order $order of $($b.Name): no shipment at the carrier (rows: $(($rowsOfOrder | ForEach-Object { "$($_.Ref) $($_.Row.ShipmentStatus)" }) -join ', '))."; continue }
        $recorded = @($shipments | Where-Object { $_.Row.ShipmentStatus -eq 'Completed' -and $_.Row.TrackingNumber -eq $_.Shipment.TrackingNumber })
        if ($recorded.Count -eq 0) {
            $lost++
            Write-Warning "Order $order of $($b.Name): shipped as $(($shipments | ForEach-Object { "$($_.Ref)=$($_.Shipment.TrackingNumber)" }) -join ', ') but the store says $(($shipments | ForEach-Object { "$($_.Row.ShipmentStatus) $($_.Row.TrackingNumber)" }) -join ', ')."
        }
    }
}
# A live shipment that no Completed row accounts for was bought and nobody knows: a duplicate in waiting (when its order
# has another shipment it was counted above already).
$counted = [Collections.Generic.HashSet[string]]::new()
foreach ($b in $batches) {
    foreach ($job in @(Get-BatchJobs $b)) { foreach ($row in Invoke-StoreRead { Get-BatchShipment -JobId $job.JobId }) { $null = $counted.Add("BS-$($job.JobId)-$($row.RowNumber)") } }
}
foreach ($s in $live) {
    if ($knownReferences.Contains($s.Reference)) { continue }
    if ($counted.Contains($s.Reference)) {
        # Its order was judged above: a second shipment is a duplicate there; a lone one is lost (not recorded).
        continue
    }
    $duplicates++
    Write-Warning "Shipment $($s.TrackingNumber) ($($s.Reference)) belongs to no row of any batch."
}

$needsReview = $stats.NeedsReviewMain + $stats.NeedsReviewLookupOff
Write-Verbose ("runs {0}, hung {1}, stuck jobs {2}, orphaned sandboxes left running {3} (and {4} holding a hung call), needs-review main pass {5}, lookup=off pass {6}; seed {7}; {8:n0} s; work folder {9}" -f
    $stats.Runs, $stats.Hung, $stuck, $stats.OrphansLeft, $stats.OrphansHung, $stats.NeedsReviewMain, $stats.NeedsReviewLookupOff, $Seed, $clock.Elapsed.TotalSeconds, $WorkRoot)
Write-Verbose ("kills landed: " + (($landed.GetEnumerator() | ForEach-Object { "$($_.Key) $($_.Value)" }) -join '; ') + "; rows created at the carrier but not recorded when their runner died: $($stats.MadeNotRecorded)")
foreach ($f in $outcomes.Keys) { Write-Verbose ("outcomes of {0}: {1}" -f $f, (($outcomes[$f].GetEnumerator() | ForEach-Object { "$($_.Key) x$($_.Value)" }) -join ', ')) }
foreach ($b in $batches | Where-Object Refused) { Write-Verbose "$($b.Name): template $($b.Variant) refused ($($b.Refused)) before anything was bought" }
if ($stats.NeedsReviewMain -gt 0) { Write-Warning "$($stats.NeedsReviewMain) row(s) needed review with the lookup on." }
$restarts = if ($Stations -eq 2) { ", $($stats.Restarts) database restarts" } else { '' }
"Chaos: $(& $faultCount) faults ($($stats.Kills) kills, $($stats.Pauses) pauses, $($stats.Cancels) cancels, $($stats.Locks) store locks, $($stats.Parallel) parallel$restarts), $totalRows rows, $duplicates duplicates, $lost lost, $needsReview needs-review, $stuck stuck"

Remove-Module BatchShip -ErrorAction SilentlyContinue -Verbose:$false
$failed = $duplicates -gt 0 -or $lost -gt 0 -or $stuck -gt 0 -or $stats.Hung -gt 0 -or $stats.OrphansLeft -gt 0
Stop-ChaosPostgres ($failed -or $Keep)
if (-not $failed -and -not $Keep) { Remove-Item $WorkRoot -Recurse -Force -ErrorAction SilentlyContinue }
elseif ($failed) { Write-Warning "Kept $WorkRoot (store$(if ($Stations -eq 2) { ' dumped to store.sql' }), ledger, one log per run); seed $Seed." }
exit ([int]$failed)
