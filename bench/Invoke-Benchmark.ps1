<#
.SYNOPSIS
    The benchmarks behind build.ps1 -Task Bench: overhead against the SQLite floor, latency hiding,
    staging, cold start and resume. Every figure is measured beside its baseline in the same run.
.DESCRIPTION
    Run through build.ps1 -Task Bench, which builds the module first. The shipping figures use the real
    cmdlets in a child pwsh -NoProfile with a fresh BATCHSHIP_HOME and sandbox ledger each; the engine
    figures (SQLite floor, staging, the resume fixture, the per-part profile) run in BatchShip.Bench,
    one process per measurement. Writes out/bench/results.json and prints a table and one Bench: line.
    The machine may be shared and noisy: figures are medians or ratios within this run, and a goal that
    is missed is reported, never thrown.

    Figure 10 (one job shipped by 1, 2 and 4 runners on PostgreSQL, beside 1 runner on SQLite) starts a durable
    throwaway PostgreSQL server of its own (tools/TestPostgres.ps1 -Start -Durable) and stops it afterwards;
    -RunnersOnly runs that figure alone.
#>
[CmdletBinding()]
param(
    [Parameter(Mandatory)] [string] $Root,
    [Parameter(Mandatory)] [string] $ModulePath,
    [ValidateSet('Debug', 'Release')] [string] $Configuration = 'Release',
    # Smaller counts for a quick look at the harness itself; the figures are only comparable at 1.
    [ValidateRange(0.01, 1.0)] [double] $Scale = 1.0,
    # Rows of the memory run of figure 9 (see Invoke-AccountBenchmark.ps1); the issue's figure is 100,000.
    [ValidateRange(10, 10000000)] [long] $MemoryRows = 20000,
    # Only figure 10 (one job, 1 to 4 runners, PostgreSQL beside SQLite): its figures replace their earlier ones in
    # out/bench/results.json and the others are kept.
    [switch] $RunnersOnly
)

$ErrorActionPreference = 'Stop'
Set-StrictMode -Version Latest

# Full paths: the child processes import the module by path, and a relative one would be taken for a module name.
$Root = (Resolve-Path $Root).Path
$ModulePath = (Resolve-Path $ModulePath).Path
$Out = Join-Path $Root 'out/bench'
$Work = Join-Path $Out 'work'
$ResultsPath = Join-Path $Out 'results.json'
$Invariant = [Globalization.CultureInfo]::InvariantCulture

function Get-Count([long] $Rows) { [long][Math]::Max(10, [Math]::Round($Rows * $Scale)) }

function Get-Median([double[]] $Values) {
    $sorted = @($Values | Sort-Object)
    $n = $sorted.Count
    if ($n -eq 0) { return [double]::NaN }
    if ($n % 2 -eq 1) { return $sorted[[int][Math]::Floor($n / 2)] }
    return ($sorted[$n / 2 - 1] + $sorted[$n / 2]) / 2
}

function Write-Step([string] $Text) { Write-Host "  $Text" -ForegroundColor DarkCyan }

# --- processes ---------------------------------------------------------------------------------

$PwshExe = [Environment]::ProcessPath
[string[]] $PwshPrefix = if ([IO.Path]::GetFileNameWithoutExtension($PwshExe) -eq 'dotnet') { @(Join-Path $PSHOME 'pwsh.dll') } else { @() }

# Runs a native command with some environment variables set for it alone; returns its output lines.
function Invoke-WithEnvironment([hashtable] $Environment, [scriptblock] $Command) {
    $saved = @{}
    foreach ($name in $Environment.Keys) {
        $saved[$name] = [Environment]::GetEnvironmentVariable($name)
        [Environment]::SetEnvironmentVariable($name, $Environment[$name])
    }
    try { & $Command }
    finally {
        foreach ($name in $saved.Keys) { [Environment]::SetEnvironmentVariable($name, $saved[$name]) }
    }
}

# A child pwsh -NoProfile whose last output line is a JSON object; returns that object.
function Invoke-ChildJson([string] $Script, [hashtable] $Environment = @{}) {
    $lines = Invoke-WithEnvironment $Environment { & $PwshExe @PwshPrefix -NoProfile -NonInteractive -Command $Script 2>&1 }
    if ($LASTEXITCODE -ne 0) { throw "The child pwsh failed (exit $LASTEXITCODE):`n$($lines -join "`n")" }
    $json = @($lines | ForEach-Object { "$_" } | Where-Object { $_.StartsWith('{') }) | Select-Object -Last 1
    if (-not $json) { throw "The child pwsh printed no result:`n$($lines -join "`n")" }
    return $json | ConvertFrom-Json
}

# One verb of BatchShip.Bench, in its own process; returns its JSON object.
function Invoke-BenchTool([string[]] $Arguments, [hashtable] $Environment = @{}) {
    $lines = Invoke-WithEnvironment $Environment { & dotnet $BenchDll @Arguments 2>&1 }
    if ($LASTEXITCODE -ne 0) { throw "BatchShip.Bench $($Arguments[0]) failed (exit $LASTEXITCODE):`n$($lines -join "`n")" }
    return ("$(@($lines)[-1])" | ConvertFrom-Json)
}

# A fresh store folder and sandbox ledger for one child run.
function New-BenchHome([string] $Name) {
    $path = Join-Path $Work $Name
    if (Test-Path $path) { Remove-Item $path -Recurse -Force }
    New-Item -ItemType Directory -Force $path | Out-Null
    return @{ BATCHSHIP_HOME = $path; BATCHSHIP_SANDBOX_LEDGER = (Join-Path $path 'sandbox-ledger.jsonl'); BATCHSHIP_SANDBOX_FAULTS = $null; BATCHSHIP_CRASH_AT = $null }
}

function Get-Csv([long] $Rows) {
    $path = Join-Path $Work "orders-$Rows.csv"
    if (-not (Test-Path $path)) { Invoke-BenchTool @('csv', '--out', $path, '--rows', "$Rows") | Out-Null }
    return $path
}

function Remove-BenchHome([hashtable] $BenchHome) {
    Remove-Item $BenchHome.BATCHSHIP_HOME -Recurse -Force -ErrorAction SilentlyContinue
}

# Import-Csv | Start-BatchShipment -Force | Out-Null in a child pwsh: the pipeline's wall time, the run's own
# span (job StartedAt to FinishedAt) and the job's counts. -Environment adds to the child's (a store, for one);
# -AuditSpan adds the span of figure 10 (first InFlight to last Completed, from the audit).
function Invoke-Shipping([long] $Rows, [int] $ThrottleLimit, [string] $Faults, [string] $Name, [hashtable] $Environment = @{}, [switch] $AuditSpan) {
    $csv = Get-Csv $Rows
    $benchHome = New-BenchHome $Name
    foreach ($k in $Environment.Keys) { $benchHome[$k] = $Environment[$k] }
    if ($Faults) { $benchHome.BATCHSHIP_SANDBOX_FAULTS = $Faults }
    $throttle = if ($ThrottleLimit -eq 4) { '' } else { "-ThrottleLimit $ThrottleLimit" } # 4 is the cmdlet's default: leave it unset
    $script = @"
`$ErrorActionPreference = 'Stop'
Import-Module '$ModulePath'
`$shipper = Join-Path '$ModulePath' 'samples/shipper.json'
`$clock = [Diagnostics.Stopwatch]::StartNew()
Import-Csv '$csv' | Start-BatchShipment -Template ups-ground -Shipper `$shipper -Force $throttle | Out-Null
`$clock.Stop()
`$job = Get-BatchJob -Newest 1
[ordered]@{
    seconds = `$clock.Elapsed.TotalSeconds
    runSeconds = (`$job.FinishedAt - `$job.StartedAt).TotalSeconds
    status = [string] `$job.Status; completed = `$job.Completed; total = `$job.Total; jobId = `$job.JobId
} | ConvertTo-Json -Compress
"@
    $r = Invoke-ChildJson $script $benchHome
    if ($AuditSpan) { $r | Add-Member -NotePropertyName span -NotePropertyValue (Invoke-BenchTool @('run-span', '--home', $benchHome.BATCHSHIP_HOME, '--job', $r.jobId) $benchHome) }
    Remove-BenchHome $benchHome
    if ($r.completed -ne $Rows) { throw "Job $($r.jobId) ($Name) completed $($r.completed) of $Rows rows: $($r.status)." }
    return $r
}

# --- figure 10: one job, several runners, on PostgreSQL beside SQLite -------------------------------

# A fresh database of the figure's server, its schema made by Initialize-BatchShipStore; returns its connection string.
function New-BenchDatabase([string] $Name) {
    & $script:Psql -h $script:PgParts['host'] -U $script:PgParts['username'] -d $script:PgParts['database'] -q -c "CREATE DATABASE $Name" | Out-Null
    if ($LASTEXITCODE -ne 0) { throw "CREATE DATABASE $Name failed." }
    $connection = "Host=$($script:PgParts['host']);Username=$($script:PgParts['username']);Database=$Name"
    $null = Invoke-ChildJson "`$ErrorActionPreference = 'Stop'; Import-Module '$ModulePath'; `$null = Initialize-BatchShipStore -ConnectionString '$connection' -Confirm:`$false; '{}'"
    return $connection
}

# N Resume-BatchShipment processes started together on one staged job (every row Pending); returns the wall time
# from their start to the last one's end and the audit span.
function Invoke-Runners([long] $Rows, [int] $Runners, [string] $Faults, [string] $Name, [hashtable] $Environment) {
    $benchHome = New-BenchHome $Name
    foreach ($k in $Environment.Keys) { $benchHome[$k] = $Environment[$k] }
    $benchHome.BATCHSHIP_SANDBOX_FAULTS = $Faults
    $staged = Invoke-BenchTool @('stage-stopped', '--home', $benchHome.BATCHSHIP_HOME, '--module', $ModulePath, '--rows', "$Rows") $benchHome
    $script = "`$ErrorActionPreference = 'Stop'; Import-Module '$ModulePath'; Resume-BatchShipment -JobId '$($staged.jobId)' -Force | Out-Null"
    $clock = [Diagnostics.Stopwatch]::StartNew()
    $processes = Invoke-WithEnvironment $benchHome {
        foreach ($i in 1..$Runners) {
            $psi = [Diagnostics.ProcessStartInfo]::new($PwshExe)
            foreach ($a in @($PwshPrefix) + @('-NoProfile', '-NonInteractive', '-Command', $script)) { $psi.ArgumentList.Add($a) }
            $psi.UseShellExecute = $false
            $psi.RedirectStandardOutput = $true
            $psi.RedirectStandardError = $true
            $p = [Diagnostics.Process]::Start($psi)
            [pscustomobject]@{ Process = $p; Out = $p.StandardOutput.ReadToEndAsync(); Err = $p.StandardError.ReadToEndAsync() }
        }
    }
    foreach ($p in $processes) { $p.Process.WaitForExit() }
    $clock.Stop()
    foreach ($p in $processes) {
        if ($p.Process.ExitCode -ne 0) { throw "A runner of $Name failed (exit $($p.Process.ExitCode)):`n$($p.Err.Result)" }
    }
    $span = Invoke-BenchTool @('run-span', '--home', $benchHome.BATCHSHIP_HOME, '--job', $staged.jobId) $benchHome
    Remove-BenchHome $benchHome
    if ($span.rowsCompleted -ne $Rows) { throw "Job $($staged.jobId) ($Name) completed $($span.rowsCompleted) of $Rows rows with $Runners runners." }
    return [pscustomobject]@{ seconds = $clock.Elapsed.TotalSeconds; span = $span; jobId = $staged.jobId }
}

function Measure-Runners {
    # The same rows, carrier latency and -ThrottleLimit (4, the default) for every figure; one run each.
    $rows = Get-Count 400
    $faults = 'latency=200ms'
    Write-Host "Figure 10: one job, $rows rows, carrier latency 200 ms, -ThrottleLimit 4: 1 runner on SQLite; 1, 2 and 4 runners on PostgreSQL" -ForegroundColor Cyan
    $figures = [ordered]@{ rows = $rows; latencyMs = 200; throttleLimit = 4; idealRowsPerSecondPerRunner = 4 / 0.2 }
    Write-Step 'SQLite, 1 runner (Start-BatchShipment)'
    $r = Invoke-Shipping $rows 4 $faults 'runners-sqlite-1' @{ BATCHSHIP_STORE = 'sqlite' } -AuditSpan
    $figures.sqlite1 = [ordered]@{ runners = 1; rowsPerSecond = $r.span.rowsPerSecond; spanSeconds = $r.span.spanSeconds; wallSeconds = $r.seconds }

    $server = & $PwshExe @PwshPrefix -NoProfile -NonInteractive -File (Join-Path $Root 'tools/TestPostgres.ps1') -Start -Durable | ConvertFrom-Json
    if ($LASTEXITCODE -ne 0 -or -not $server) { throw 'The durable PostgreSQL server for figure 10 did not start.' }
    try {
        $script:PgParts = @{}
        foreach ($pair in $server.ConnectionString -split ';') { if ($pair -match '^\s*([^=]+?)\s*=\s*(.*)$') { $script:PgParts[$Matches[1].ToLowerInvariant()] = $Matches[2] } }
        $script:Psql = (Get-Command psql -CommandType Application -ErrorAction SilentlyContinue | Select-Object -First 1).Source
        if (-not $script:Psql) { $script:Psql = Get-ChildItem /usr/lib/postgresql/*/bin/psql | Sort-Object { [int]($_.Directory.Parent.Name -replace '\D', '') } -Descending | Select-Object -First 1 -ExpandProperty FullName }
        foreach ($n in 1, 2, 4) {
            $store = @{ BATCHSHIP_STORE = (New-BenchDatabase "bench_runners_$n") }
            if ($n -eq 1) {
                Write-Step 'PostgreSQL, 1 runner (Start-BatchShipment)'
                $r = Invoke-Shipping $rows 4 $faults 'runners-pg-1' $store -AuditSpan
                $figures.postgres1 = [ordered]@{ runners = 1; rowsPerSecond = $r.span.rowsPerSecond; spanSeconds = $r.span.spanSeconds; wallSeconds = $r.seconds }
            }
            else {
                Write-Step "PostgreSQL, $n runners (Resume-BatchShipment processes started together on the staged job)"
                $r = Invoke-Runners $rows $n $faults "runners-pg-$n" $store
                $figures["postgres$n"] = [ordered]@{ runners = $n; rowsPerSecond = $r.span.rowsPerSecond; spanSeconds = $r.span.spanSeconds; wallSeconds = $r.seconds }
            }
        }
    }
    finally {
        & $PwshExe @PwshPrefix -NoProfile -NonInteractive -File (Join-Path $Root 'tools/TestPostgres.ps1') -Stop -DataFolder $server.DataFolder
    }
    return $figures
}

# Figure 10's lines of the table: rows/s of the job, against the ideal of its runners (4 in flight each, 200 ms a call).
function Get-RunnersTableRow($Figures) {
    foreach ($key in 'sqlite1', 'postgres1', 'postgres2', 'postgres4') {
        $f = $Figures[$key]
        $ideal = $f.runners * $Figures.idealRowsPerSecondPerRunner
        [pscustomobject]@{
            Figure = "One job, $($Figures.rows) rows, latency 200 ms: $(if ($key -eq 'sqlite1') { 'SQLite' } else { 'PostgreSQL' }), $($f.runners) runner$(if ($f.runners -gt 1) { 's' }) (rows/s)"
            Value = $f.rowsPerSecond.ToString('0.0', $Invariant); Baseline = "ideal $($ideal.ToString('0', $Invariant))"; Ratio = ($f.rowsPerSecond / $ideal).ToString('0.00', $Invariant)
            Goal = 'reported'; Met = '-'
        }
    }
}

# --- the run -----------------------------------------------------------------------------------

if (Test-Path $Work) { Remove-Item $Work -Recurse -Force }
New-Item -ItemType Directory -Force $Work | Out-Null
$BenchProject = Join-Path $Root 'bench/BatchShip.Bench/BatchShip.Bench.csproj'
& dotnet build $BenchProject -c $Configuration --nologo -v q '-clp:NoSummary'
if ($LASTEXITCODE -ne 0) { throw 'BatchShip.Bench did not build.' }
$BenchDll = Join-Path $Root "bench/BatchShip.Bench/bin/$Configuration/net10.0/BatchShip.Bench.dll"

$started = [DateTimeOffset]::UtcNow
$loadBefore = if (Test-Path /proc/loadavg) { (Get-Content /proc/loadavg -Raw).Trim() } else { $null }
$results = [ordered]@{
    machine = [ordered]@{
        cores = [Environment]::ProcessorCount
        os = [Runtime.InteropServices.RuntimeInformation]::OSDescription
        architecture = [string][Runtime.InteropServices.RuntimeInformation]::OSArchitecture
        dotnetSdk = ((& dotnet --version) | Select-Object -First 1)
        dotnetRuntime = [Environment]::Version.ToString()
        pwsh = $PSVersionTable.PSVersion.ToString()
        memoryMB = if (Test-Path /proc/meminfo) { [Math]::Round(([long]((Select-String -Path /proc/meminfo -Pattern '^MemTotal:\s+(\d+)').Matches[0].Groups[1].Value)) / 1024) } else { $null }
        loadAverageAtStart = $loadBefore
        configuration = $Configuration
        scale = $Scale
    }
    startedAt = $started.ToString('O', $Invariant)
}

if ($RunnersOnly) {
    # Figure 10 alone: its figures and table lines replace their earlier ones; every other figure is kept.
    $runners = Measure-Runners
    $previous = if (Test-Path $ResultsPath) { Get-Content -Raw $ResultsPath | ConvertFrom-Json -AsHashtable } else { [ordered]@{} }
    $previous['runners'] = $runners
    $previous['runnersMachine'] = $results.machine
    $rows = @(Get-RunnersTableRow $runners)
    $previous['table'] = @(@($previous['table']) | Where-Object { $_ -and "$($_.Figure)" -notlike 'One job, *' }) + $rows
    $previous | ConvertTo-Json -Depth 8 | Set-Content -LiteralPath $ResultsPath -Encoding utf8NoBOM
    Remove-Item $Work -Recurse -Force -ErrorAction SilentlyContinue
    Write-Host ''
    Write-Host ($rows | Format-Table -AutoSize | Out-String -Width 220).TrimEnd()
    Write-Output ("Bench: one job of {0} rows at 200 ms, rows/s: SQLite 1 runner {1}; PostgreSQL 1 runner {2}, 2 runners {3}, 4 runners {4}" -f $runners.rows,
        $runners.sqlite1.rowsPerSecond, $runners.postgres1.rowsPerSecond, $runners.postgres2.rowsPerSecond, $runners.postgres4.rowsPerSecond)
    return
}

# 1. Overhead against the SQLite floor. The floor runs before, between and after the two shipping runs,
#    so a disk that slows down during the run shows in the spread; its median is the baseline.
Write-Host 'Figure 1: overhead per row against the SQLite floor' -ForegroundColor Cyan
$overheadRows = Get-Count 10000
$floorRows = Get-Count 2000
$floors = [Collections.Generic.List[object]]::new()
$floorFolder = Join-Path $Work 'floor'
Write-Step "SQLite floor ($floorRows rows, two durable commits each)"
$floors.Add((Invoke-BenchTool @('floor', '--folder', $floorFolder, '--rows', "$floorRows")))
Write-Step "Start-BatchShipment, $overheadRows rows, -ThrottleLimit 4 (default)"
$ship4 = Invoke-Shipping $overheadRows 4 $null 'overhead-4'
Write-Step 'SQLite floor'
$floors.Add((Invoke-BenchTool @('floor', '--folder', $floorFolder, '--rows', "$floorRows")))
Write-Step "Start-BatchShipment, $overheadRows rows, -ThrottleLimit 16"
$ship16 = Invoke-Shipping $overheadRows 16 $null 'overhead-16'
Write-Step 'SQLite floor'
$floors.Add((Invoke-BenchTool @('floor', '--folder', $floorFolder, '--rows', "$floorRows")))
Remove-Item $floorFolder -Recurse -Force -ErrorAction SilentlyContinue
$floorRate = Get-Median @($floors | ForEach-Object rowsPerSecond)
$results.overhead = [ordered]@{
    rows = $overheadRows
    throttle4 = [ordered]@{ seconds = $ship4.seconds; runSeconds = $ship4.runSeconds; rowsPerSecond = $overheadRows / $ship4.seconds; ratioToFloor = ($overheadRows / $ship4.seconds) / $floorRate }
    throttle16 = [ordered]@{ seconds = $ship16.seconds; runSeconds = $ship16.runSeconds; rowsPerSecond = $overheadRows / $ship16.seconds; ratioToFloor = ($overheadRows / $ship16.seconds) / $floorRate }
    floor = [ordered]@{ rowsPerSecondMedian = $floorRate; runs = $floors.ToArray() }
}

# Where a row's time goes: each part alone, in one process, same rows and template.
$profileRows = Get-Count 1000
Write-Step "Per-part profile ($profileRows rows: render+hash, store protocol, sandbox call, label write, engine run)"
$benchHome = New-BenchHome 'components'
$results.overhead.components = Invoke-BenchTool @('components', '--home', $benchHome.BATCHSHIP_HOME, '--module', $ModulePath, '--rows', "$profileRows", '--throttle', '4') $benchHome
Remove-BenchHome $benchHome

# 2. Latency hiding: 100 ms per carrier call. At -ThrottleLimit 1 the ideal is rows x 100 ms, so that run
#    uses fewer rows to keep the whole benchmark within its time budget; 16 and 32 use the full 1,000.
Write-Host 'Figure 2: latency hiding (sandbox latency 100 ms)' -ForegroundColor Cyan
$latencyMs = 100
$latencyRuns = [ordered]@{}
foreach ($n in 1, 4, 16, 32) {
    $rows = if ($n -eq 1) { Get-Count 200 } else { Get-Count 1000 }
    Write-Step "$rows rows, -ThrottleLimit $n"
    $r = Invoke-Shipping $rows $n "latency=$($latencyMs)ms" "latency-$n"
    $ideal = $rows * $latencyMs / 1000.0 / $n
    $latencyRuns["throttle$n"] = [ordered]@{
        rows = $rows; throttleLimit = $n; seconds = $r.seconds; runSeconds = $r.runSeconds; idealSeconds = $ideal
        efficiency = $ideal / $r.seconds; runEfficiency = $ideal / $r.runSeconds
        scaledDown = ($n -eq 1 -and $rows -lt (Get-Count 1000))
    }
}
$results.latency = [ordered]@{ latencyMs = $latencyMs; runs = $latencyRuns }

# 3. Staging through the engine, each count in its own process so the peak working set is its own.
Write-Host 'Figure 3: staging' -ForegroundColor Cyan
$stageRows = Get-Count 100000
$stageBigRows = Get-Count 1000000
Write-Step "$stageRows rows"
$stage = Invoke-BenchTool @('stage', '--home', (Join-Path $Work 'stage'), '--module', $ModulePath, '--rows', "$stageRows", '--sample-every', "$([Math]::Max(1, [long]($stageRows / 10)))")
Write-Step "$stageBigRows rows, working set every $([long]($stageBigRows / 10)) rows"
$stageBig = Invoke-BenchTool @('stage', '--home', (Join-Path $Work 'stage-big'), '--module', $ModulePath, '--rows', "$stageBigRows", '--sample-every', "$([Math]::Max(1, [long]($stageBigRows / 10)))")
Remove-Item (Join-Path $Work 'stage'), (Join-Path $Work 'stage-big') -Recurse -Force -ErrorAction SilentlyContinue
# Flat: the working set at the end is no more than 10% (or 20 MB) above the first sample after the start.
$samples = @($stageBig.samples | Where-Object rows -gt 0)
$firstWs = $samples[0].workingSetMB
$lastWs = $samples[-1].workingSetMB
$results.staging = [ordered]@{
    rows = $stage; big = $stageBig
    growthMB = $lastWs - $firstWs
    flat = ($lastWs - $firstWs) -le [Math]::Max(20, $firstWs * 0.1)
}

# 4. Cold start: the module's first command against a bare pwsh, alternating, median of 5 each.
Write-Host 'Figure 4: cold start' -ForegroundColor Cyan
$coldHome = New-BenchHome 'cold'
$importScript = "Import-Module '$ModulePath'; Get-BatchJob | Out-Null"
Invoke-WithEnvironment $coldHome { & $PwshExe @PwshPrefix -NoProfile -NonInteractive -Command $importScript | Out-Null } # creates the store, warms the disk cache
Invoke-WithEnvironment $coldHome { & $PwshExe @PwshPrefix -NoProfile -NonInteractive -Command exit | Out-Null }
$bare = [Collections.Generic.List[double]]::new()
$module = [Collections.Generic.List[double]]::new()
for ($i = 0; $i -lt 5; $i++) {
    $clock = [Diagnostics.Stopwatch]::StartNew()
    Invoke-WithEnvironment $coldHome { & $PwshExe @PwshPrefix -NoProfile -NonInteractive -Command exit | Out-Null }
    $bare.Add($clock.Elapsed.TotalSeconds)
    $clock.Restart()
    Invoke-WithEnvironment $coldHome { & $PwshExe @PwshPrefix -NoProfile -NonInteractive -Command $importScript | Out-Null }
    if ($LASTEXITCODE -ne 0) { throw 'Import-Module; Get-BatchJob failed in the child pwsh.' }
    $module.Add($clock.Elapsed.TotalSeconds)
}
Remove-BenchHome $coldHome
$results.coldStart = [ordered]@{
    bareSeconds = $bare.ToArray(); moduleSeconds = $module.ToArray()
    bareMedian = Get-Median $bare.ToArray(); moduleMedian = Get-Median $module.ToArray()
}
$results.coldStart.difference = $results.coldStart.moduleMedian - $results.coldStart.bareMedian

# 5. Resume: a 100,000-row job with 10 rows left, prepared once and copied for each of 3 runs.
Write-Host 'Figure 5: resume of a big job' -ForegroundColor Cyan
$resumeRows = Get-Count 100000
$fixtureHome = Join-Path $Work 'resume-fixture'
Write-Step "preparing a $resumeRows-row job with 10 rows pending"
$fixture = Invoke-BenchTool @('prepare-resume', '--home', $fixtureHome, '--module', $ModulePath, '--rows', "$resumeRows", '--pending', '10')
$resumes = [Collections.Generic.List[object]]::new()
for ($i = 1; $i -le 3; $i++) {
    $benchHome = New-BenchHome "resume-$i"
    Copy-Item (Join-Path $fixtureHome '*') $benchHome.BATCHSHIP_HOME -Recurse
    $script = @"
`$ErrorActionPreference = 'Stop'
Import-Module '$ModulePath'
`$start = [DateTimeOffset]::UtcNow
`$clock = [Diagnostics.Stopwatch]::StartNew()
`$out = @(Resume-BatchShipment -JobId '$($fixture.jobId)' -Force)
`$clock.Stop()
[ordered]@{ startedAtMs = (`$start - [DateTimeOffset]::UnixEpoch).TotalMilliseconds; seconds = `$clock.Elapsed.TotalSeconds; results = `$out.Count } | ConvertTo-Json -Compress
"@
    Write-Step "Resume-BatchShipment, run $i"
    $r = Invoke-ChildJson $script $benchHome
    $audit = Invoke-BenchTool @('first-call', '--home', $benchHome.BATCHSHIP_HOME, '--job', $fixture.jobId)
    Remove-BenchHome $benchHome
    if ($r.results -ne 10 -or $audit.rowsCompletedByRun -ne 10) { throw "Resume run $i shipped $($audit.rowsCompletedByRun) of the 10 pending rows." }
    $t0 = [double] $r.startedAtMs
    $resumes.Add([ordered]@{
        toFirstCarrierCall = ($audit.firstRowInFlight - $t0) / 1000
        toLeaseAcquired = ($audit.leaseAcquired - $t0) / 1000
        toFirstCarrierAnswer = ($audit.firstCarrierCreate - $t0) / 1000
        commandSeconds = $r.seconds
    })
}
Remove-Item $fixtureHome -Recurse -Force -ErrorAction SilentlyContinue
$results.resume = [ordered]@{
    rows = $resumeRows; pending = 10; fixture = $fixture; runs = $resumes.ToArray()
    medianToFirstCarrierCall = Get-Median @($resumes | ForEach-Object { $_.toFirstCarrierCall })
}

# 6-9. A carrier account that behaves like a real one: rate cap, long-tailed latency, CPU per row per process
#      (beside a SQLite floor measured just before it), peak working set of a long run.
Write-Host 'Figures 6-9: rate cap, lognormal latency, CPU per row, memory' -ForegroundColor Cyan
$results.account = & (Join-Path $PSScriptRoot 'Invoke-AccountBenchmark.ps1') -ModulePath $ModulePath -Work (Join-Path $Work 'account') -Scale $Scale -MemoryRows $MemoryRows -BenchTool $BenchDll

# 10. One job shipped by several runners on PostgreSQL, beside one runner on SQLite.
$results.runners = Measure-Runners

# --- report --------------------------------------------------------------------------------------

$results.finishedAt = [DateTimeOffset]::UtcNow.ToString('O', $Invariant)
$results.machine.loadAverageAtEnd = if (Test-Path /proc/loadavg) { (Get-Content /proc/loadavg -Raw).Trim() } else { $null }
$results.elapsedSeconds = ([DateTimeOffset]::UtcNow - $started).TotalSeconds

function Format-Number([double] $Value, [string] $Format = '0.##') { $Value.ToString($Format, $Invariant) }

$o = $results.overhead
$l = $results.latency.runs
$table = @(
    [pscustomobject]@{ Figure = 'Overhead, -ThrottleLimit 4 (rows/s)'; Value = Format-Number $o.throttle4.rowsPerSecond '0.0'; Baseline = "floor $(Format-Number $floorRate '0.0')"; Ratio = Format-Number $o.throttle4.ratioToFloor '0.00'; Goal = '>= 2000 rows/s and >= 0.33'; Met = ($o.throttle4.rowsPerSecond -ge 2000 -and $o.throttle4.ratioToFloor -ge (1 / 3)) }
    [pscustomobject]@{ Figure = 'Overhead, -ThrottleLimit 16 (rows/s)'; Value = Format-Number $o.throttle16.rowsPerSecond '0.0'; Baseline = "floor $(Format-Number $floorRate '0.0')"; Ratio = Format-Number $o.throttle16.ratioToFloor '0.00'; Goal = '>= 2000 rows/s and >= 0.33'; Met = ($o.throttle16.rowsPerSecond -ge 2000 -and $o.throttle16.ratioToFloor -ge (1 / 3)) }
)
foreach ($n in 1, 4, 16, 32) {
    $r = $l["throttle$n"]
    $table += [pscustomobject]@{
        Figure = "Latency 100 ms, -ThrottleLimit $n ($($r.rows) rows$(if ($r.scaledDown) { ', scaled down' })) (s)"
        Value = Format-Number $r.seconds '0.00'; Baseline = "ideal $(Format-Number $r.idealSeconds '0.00')"; Ratio = Format-Number $r.efficiency '0.00'
        Goal = if ($n -eq 16) { 'efficiency >= 0.9' } else { '-' }; Met = if ($n -eq 16) { $r.efficiency -ge 0.9 } else { '-' }
    }
}
$s = $results.staging
$table += [pscustomobject]@{ Figure = "Staging $($s.rows.rows) rows (rows/s)"; Value = Format-Number $s.rows.rowsPerSecond '0'; Baseline = '-'; Ratio = '-'; Goal = '-'; Met = '-' }
$table += [pscustomobject]@{ Figure = "Staging $($s.big.rows) rows, peak working set (MB)"; Value = Format-Number $s.big.peakWorkingSetMB '0.0'; Baseline = "first sample $(Format-Number $firstWs '0.0')"; Ratio = "+$(Format-Number $s.growthMB '0.0') MB"; Goal = '< 300 MB and flat'; Met = ($s.big.peakWorkingSetMB -lt 300 -and $s.flat) }
$c = $results.coldStart
$table += [pscustomobject]@{ Figure = 'Cold start, Import-Module; Get-BatchJob (s)'; Value = Format-Number $c.moduleMedian '0.00'; Baseline = "bare pwsh $(Format-Number $c.bareMedian '0.00')"; Ratio = "+$(Format-Number $c.difference '0.00') s"; Goal = 'difference <= 0.5 s'; Met = ($c.difference -le 0.5) }
$rs = $results.resume
$table += [pscustomobject]@{ Figure = "Resume $($rs.rows) rows, 10 pending: to first carrier call (s)"; Value = Format-Number $rs.medianToFirstCarrierCall '0.00'; Baseline = 'command start'; Ratio = '-'; Goal = 'reported (median of 3)'; Met = '-' }

$a = $results.account
$table += [pscustomobject]@{ Figure = "rate_cap=20/s, latency 1 s, $($a.rateCap.rows) rows, -ThrottleLimit 32 (creates/s)"; Value = Format-Number $a.rateCap.createsPerSecond '0.0'; Baseline = 'cap 20'; Ratio = "$(Format-Number $a.rateCap.efficiency '0.00'), 429s $(Format-Number (100 * $a.rateCap.share429) '0.0') %"; Goal = '>= 0.9 and < 5 % 429'; Met = ($a.rateCap.efficiency -ge 0.9 -and $a.rateCap.share429 -lt 0.05) }
$table += [pscustomobject]@{ Figure = "Lognormal latency 1 s / p99 4 s, $($a.latencyHiding.rows) rows, -ThrottleLimit 32 (s)"; Value = Format-Number $a.latencyHiding.seconds '0.0'; Baseline = "ideal $(Format-Number $a.latencyHiding.idealSeconds '0.0')"; Ratio = Format-Number $a.latencyHiding.ratioToIdeal '0.00'; Goal = '<= 1.1 x ideal'; Met = ($a.latencyHiding.ratioToIdeal -le 1.1) }
$table += [pscustomobject]@{ Figure = "CPU per row, -ThrottleLimit 16, ZPL, $($a.cpu.rows) rows (ms): BatchShip pwsh"; Value = Format-Number $a.cpu.pwshMsPerRow '0.00'; Baseline = "floor $(Format-Number $a.cpu.floorCpuMsPerRow '0.00') CPU (SQLite $(Format-Number $a.cpu.sqliteFloorCpuMsPerRow '0.00'), label file $(Format-Number $a.cpu.labelFloorCpuMsPerRow '0.00')); of the pwsh: kernel $(Format-Number $a.cpu.pwshKernelMsPerRow '0.00'), JIT $(Format-Number $a.cpu.pwshJitMsPerRow '0.00'); warmed pwsh $(Format-Number $a.cpu.warmPwshMsPerRow '0.00'); carrier $(Format-Number $a.cpu.carrierMsPerRow '0.00')"; Ratio = Format-Number ($a.cpu.pwshMsPerRow / $a.cpu.floorCpuMsPerRow) '0.0'; Goal = '<= 1.0 ms'; Met = ($a.cpu.pwshMsPerRow -le 1.0) }
$table += [pscustomobject]@{ Figure = "Peak working set, $($a.memory.rows) rows, -ThrottleLimit 32 (MB)"; Value = Format-Number $a.memory.peakWorkingSetMB '0'; Baseline = '-'; Ratio = "$(Format-Number $a.memory.rowsPerSecond '0') rows/s"; Goal = '<= 300 MB'; Met = ($a.memory.peakWorkingSetMB -le 300) }

$table += @(Get-RunnersTableRow $results.runners)

$results.table = $table
$results | ConvertTo-Json -Depth 8 | Set-Content -LiteralPath $ResultsPath -Encoding utf8NoBOM
Remove-Item $Work -Recurse -Force -ErrorAction SilentlyContinue

Write-Host ''
Write-Host ($table | Format-Table -AutoSize | Out-String -Width 220).TrimEnd()
Write-Host ''
Write-Host "Raw figures and machine info: $ResultsPath ($([Math]::Round($results.elapsedSeconds)) s, load average $loadBefore -> $($results.machine.loadAverageAtEnd))."
$goals = @($table | Where-Object { $_.Met -is [bool] })
$met = @($goals | Where-Object Met).Count
Write-Output ("Bench: {0} of {1} goals met; overhead {2} rows/s at 4 ({3} of floor {4}), {5} at 16; latency efficiency at 16 {6}; staging {7} rows/s, peak {8} MB; cold start +{9} s; resume to first call {10} s; rate cap {11} of 20/s, {12} % 429; lognormal {13} x ideal; CPU {14} ms/row (warmed {23}, floor {22}, carrier {15}); peak {16} MB at {17} rows; one job at 200 ms, rows/s: SQLite 1 runner {18}, PostgreSQL 1/2/4 runners {19}/{20}/{21}" -f
    $met, $goals.Count,
    (Format-Number $o.throttle4.rowsPerSecond '0'), (Format-Number $o.throttle4.ratioToFloor '0.00'), (Format-Number $floorRate '0'),
    (Format-Number $o.throttle16.rowsPerSecond '0'), (Format-Number $l.throttle16.efficiency '0.00'),
    (Format-Number $s.rows.rowsPerSecond '0'), (Format-Number $s.big.peakWorkingSetMB '0'),
    (Format-Number $c.difference '0.00'), (Format-Number $rs.medianToFirstCarrierCall '0.00'),
    (Format-Number $a.rateCap.efficiency '0.00'), (Format-Number (100 * $a.rateCap.share429) '0.0'), (Format-Number $a.latencyHiding.ratioToIdeal '0.00'),
    (Format-Number $a.cpu.pwshMsPerRow '0.00'), (Format-Number $a.cpu.carrierMsPerRow '0.00'), (Format-Number $a.memory.peakWorkingSetMB '0'), $a.memory.rows,
    (Format-Number $results.runners.sqlite1.rowsPerSecond '0.0'), (Format-Number $results.runners.postgres1.rowsPerSecond '0.0'),
    (Format-Number $results.runners.postgres2.rowsPerSecond '0.0'), (Format-Number $results.runners.postgres4.rowsPerSecond '0.0'),
    (Format-Number $a.cpu.floorCpuMsPerRow '0.00'), (Format-Number $a.cpu.warmPwshMsPerRow '0.00'))
