<#
.SYNOPSIS
    The figures of a carrier account that behaves like a real one: convergence on its rate limit, hiding of a
    long-tailed latency, the CPU each process spends per row (BatchShip's pwsh and the carrier, separately, beside
    the SQLite floor), and the peak working set of a long run.
.DESCRIPTION
    Called by Invoke-Benchmark.ps1 (its results go under "account" in out/bench/results.json); runs alone too and
    then prints its JSON. Each run is Import-Csv | Start-BatchShipment -Force in a child pwsh with a fresh
    BATCHSHIP_HOME and ledger. The rate-cap run adds -Verbose and counts the 429 refusals from the Verbose lines; the
    others send their output to Out-Null, so the CPU they report is the module's, not a script block's per record.
    The child reads its own CPU time (Process.TotalProcessorTime) and, on Linux, that of the carrier processes it
    started and reaped (/proc/self/stat cutime + cstime). Timing figures are reported, never asserted.
#>
[CmdletBinding()]
param(
    [Parameter(Mandatory)] [string] $ModulePath,
    [Parameter(Mandatory)] [string] $Work,
    [ValidateRange(0.01, 1.0)] [double] $Scale = 1.0,
    # Rows of the memory run (32 in flight). 20,000 keeps the whole bench near its time budget; the issue's figure is
    # 100,000, which takes 10 minutes or more on two shared cores: run it with -MemoryRows 100000.
    [ValidateRange(10, 10000000)] [long] $MemoryRows = 20000,
    # BatchShip.Bench.dll: when given, the SQLite floor is measured just before the CPU run, in this run.
    [string] $BenchTool,
    # The figures to run (all by default); -Figure Cpu measures only the CPU per row, e.g. while profiling it.
    [ValidateSet('RateCap', 'LatencyHiding', 'Cpu', 'Memory')] [string[]] $Figure = @('RateCap', 'LatencyHiding', 'Cpu', 'Memory')
)

$ErrorActionPreference = 'Stop'
Set-StrictMode -Version Latest
$PwshExe = [Environment]::ProcessPath
[string[]] $PwshPrefix = if ([IO.Path]::GetFileNameWithoutExtension($PwshExe) -eq 'dotnet') { @(Join-Path $PSHOME 'pwsh.dll') } else { @() }
New-Item -ItemType Directory -Force $Work | Out-Null

function Get-Count([long] $Rows) { [long][Math]::Max(10, [Math]::Round($Rows * $Scale)) }

function New-Csv([long] $Rows, [string] $Path, [string] $Prefix = 'ACCT') {
    $lines = [Collections.Generic.List[string]]::new()
    $lines.Add('RecipientName,Address1,City,State,PostalCode,WeightLb,Reference')
    for ($i = 1; $i -le $Rows; $i++) { $lines.Add("Customer $i,1 Market St,San Francisco,CA,94105,2.5,$Prefix-$i") }
    [IO.File]::WriteAllLines($Path, $lines)
}

# One run in a child pwsh; returns its JSON object.
function Invoke-AccountRun([string] $Name, [long] $Rows, [int] $ThrottleLimit, [string] $Faults, [string] $LabelFormat = 'GIF', [switch] $CountRefusals, [switch] $Stream, [long] $WarmRows = 0) {
    $folder = Join-Path $Work $Name
    if (Test-Path $folder) { Remove-Item $folder -Recurse -Force }
    New-Item -ItemType Directory -Force $folder | Out-Null
    $csv = Join-Path $folder 'orders.csv'
    New-Csv $Rows $csv
    # The CPU runs read the file before the clock starts; the memory run streams it, so its peak is the module's.
    $preload = if ($Stream) { '' } else { "`$rows = @(Import-Csv '$csv')" }
    if ($WarmRows -gt 0) {
        # A first job of other orders in the same process before the clock starts: the JIT's work is done by then.
        $warmCsv = Join-Path $folder 'warm-up.csv'
        New-Csv $WarmRows $warmCsv 'WARM'
        $preload += "`nImport-Csv '$warmCsv' | Start-BatchShipment -Template ups-ground -LabelFormat $LabelFormat -Shipper `$shipper -ThrottleLimit $ThrottleLimit -Force | Out-Null"
    }
    $source = if ($Stream) { "Import-Csv '$csv'" } else { '$rows' }
    $pipeline = if ($CountRefusals) {
        "$source | Start-BatchShipment -Template ups-ground -LabelFormat $LabelFormat -Shipper `$shipper -ThrottleLimit $ThrottleLimit -Force -Verbose 4>&1 | ForEach-Object {`n" +
        "    if (`$_ -is [Management.Automation.VerboseRecord] -and `$_.Message -match 'refused \(E-3002') { `$refused++ }`n}"
    } else {
        "$source | Start-BatchShipment -Template ups-ground -LabelFormat $LabelFormat -Shipper `$shipper -ThrottleLimit $ThrottleLimit -Force | Out-Null"
    }
    $script = @"
`$ErrorActionPreference = 'Stop'
Import-Module '$ModulePath'
`$shipper = Join-Path '$ModulePath' 'samples/shipper.json'
$preload
function Get-ChildCpu { if (Test-Path /proc/self/stat) { `$f = ((Get-Content /proc/self/stat -Raw) -replace '^.*\) ', '').Split(' '); ([double]`$f[13] + [double]`$f[14]) / 100 } else { [double]::NaN } }
`$me = [Diagnostics.Process]::GetCurrentProcess()
`$cpu0 = `$me.TotalProcessorTime.TotalSeconds; `$kernel0 = `$me.PrivilegedProcessorTime.TotalSeconds; `$child0 = Get-ChildCpu
`$jit0 = [System.Runtime.JitInfo]::GetCompilationTime().TotalSeconds; `$methods0 = [System.Runtime.JitInfo]::GetCompiledMethodCount()
`$refused = 0
`$clock = [Diagnostics.Stopwatch]::StartNew()
$pipeline
`$clock.Stop()
`$me.Refresh()
`$job = Get-BatchJob -Newest 1
[ordered]@{
    seconds = `$clock.Elapsed.TotalSeconds; runSeconds = (`$job.FinishedAt - `$job.StartedAt).TotalSeconds
    completed = `$job.Completed; status = [string] `$job.Status; refused429 = `$refused
    pwshCpuSeconds = `$me.TotalProcessorTime.TotalSeconds - `$cpu0; pwshKernelCpuSeconds = `$me.PrivilegedProcessorTime.TotalSeconds - `$kernel0
    jitSeconds = [System.Runtime.JitInfo]::GetCompilationTime().TotalSeconds - `$jit0; jitMethods = [System.Runtime.JitInfo]::GetCompiledMethodCount() - `$methods0
    carrierCpuSeconds = (Get-ChildCpu) - `$child0
    peakWorkingSetMB = `$me.PeakWorkingSet64 / 1MB
} | ConvertTo-Json -Compress
"@
    $saved = @{}
    $environment = @{ BATCHSHIP_HOME = $folder; BATCHSHIP_SANDBOX_LEDGER = (Join-Path $folder 'ledger.jsonl'); BATCHSHIP_SANDBOX_FAULTS = $Faults; BATCHSHIP_SANDBOX_SEED = '7' }
    foreach ($k in $environment.Keys) { $saved[$k] = [Environment]::GetEnvironmentVariable($k); [Environment]::SetEnvironmentVariable($k, $environment[$k]) }
    try { $lines = & $PwshExe @PwshPrefix -NoProfile -NonInteractive -Command $script 2>&1 }
    finally { foreach ($k in $saved.Keys) { [Environment]::SetEnvironmentVariable($k, $saved[$k]) } }
    $json = @($lines | ForEach-Object { "$_" } | Where-Object { $_.StartsWith('{') }) | Select-Object -Last 1
    if (-not $json) { throw "The $Name run printed no result:`n$($lines -join "`n")" }
    Remove-Item $folder -Recurse -Force -ErrorAction SilentlyContinue
    $r = $json | ConvertFrom-Json
    if ($r.completed -ne $Rows) { throw "The $Name run completed $($r.completed) of $Rows rows: $($r.status)." }
    return $r
}

$results = [ordered]@{}

# Rate cap: 20/s shared bucket, 1 s latency, 32 in flight: the pace found and the share of calls refused.
if ($Figure -contains 'RateCap') {
    $capRows = Get-Count 2000
    Write-Host "  rate_cap=20/s, latency 1 s, $capRows rows, -ThrottleLimit 32" -ForegroundColor DarkCyan
    $cap = Invoke-AccountRun 'ratecap' $capRows 32 'rate_cap=20/s;latency=1s' -CountRefusals
    $results.rateCap = [ordered]@{
        rows = $capRows; capPerSecond = 20; seconds = $cap.runSeconds; refused429 = $cap.refused429
        createsPerSecond = $capRows / $cap.runSeconds
        efficiency = ($capRows / $cap.runSeconds) / 20
        share429 = $cap.refused429 / ($capRows + $cap.refused429)
    }
}

# Latency hiding: lognormal, median 1 s, p99 4 s, 32 in flight. The ideal is the expected sum of latencies / 32
# (the lognormal's mean is median x exp(sigma^2 / 2), sigma = ln(p99 / median) / 2.326).
if ($Figure -contains 'LatencyHiding') {
    $latRows = Get-Count 1000
    Write-Host "  lognormal latency (median 1 s, p99 4 s), $latRows rows, -ThrottleLimit 32" -ForegroundColor DarkCyan
    $lat = Invoke-AccountRun 'lognormal' $latRows 32 'latency=1s;latency_p99=4s;latency_dist=lognormal'
    $sigma = [Math]::Log(4) / 2.3263478740408408
    $ideal = $latRows * [Math]::Exp($sigma * $sigma / 2) / 32
    $results.latencyHiding = [ordered]@{ rows = $latRows; seconds = $lat.seconds; runSeconds = $lat.runSeconds; idealSeconds = $ideal; ratioToIdeal = $lat.seconds / $ideal }
}

# CPU per row at -ThrottleLimit 16 with cheap (ZPL) labels and no latency: BatchShip's process and the carrier's.
if ($Figure -contains 'Cpu') {
    $cpuRows = Get-Count 5000
    Write-Host "  CPU per row, $cpuRows rows, -ThrottleLimit 16, ZPL labels" -ForegroundColor DarkCyan
    $floor = $null
    if ($BenchTool) {
        $floorRows = Get-Count 2000
        Write-Host "  floor, $floorRows rows: two durable SQLite commits and one durable label file each" -ForegroundColor DarkCyan
        $floorLines = & dotnet $BenchTool floor --folder (Join-Path $Work 'floor') --rows $floorRows 2>&1
        if ($LASTEXITCODE -ne 0) { throw "The floor failed:`n$($floorLines -join "`n")" }
        $floor = "$(@($floorLines)[-1])" | ConvertFrom-Json
        Remove-Item (Join-Path $Work 'floor') -Recurse -Force -ErrorAction SilentlyContinue
    }
    $cpu = Invoke-AccountRun 'cpu' $cpuRows 16 '' -LabelFormat ZPL
    Write-Host "  CPU per row again, in a process warmed by a first job of $cpuRows rows" -ForegroundColor DarkCyan
    $warm = Invoke-AccountRun 'cpu-warm' $cpuRows 16 '' -LabelFormat ZPL -WarmRows $cpuRows
    $results.cpu = [ordered]@{
        rows = $cpuRows; seconds = $cpu.seconds
        pwshMsPerRow = 1000 * $cpu.pwshCpuSeconds / $cpuRows
        # Of which: kernel time (fsync, file creation, pipes, thread switches) and the JIT's compilation time (a
        # fixed cost per process, spread over this run's rows).
        pwshKernelMsPerRow = 1000 * $cpu.pwshKernelCpuSeconds / $cpuRows
        pwshJitMsPerRow = 1000 * $cpu.jitSeconds / $cpuRows
        jitMethods = $cpu.jitMethods
        carrierMsPerRow = 1000 * $cpu.carrierCpuSeconds / $cpuRows
        peakWorkingSetMB = $cpu.peakWorkingSetMB
        # Wall time per row of the floor's two durable commits, and the CPU its process spent on them.
        sqliteFloorMsPerRow = if ($floor) { 1000 / $floor.rowsPerSecond } else { $null }
        sqliteFloorCpuMsPerRow = if ($floor) { $floor.cpuMsPerRow } else { $null }
        # The CPU of one durable label file as the engine writes it, and the whole floor: what a row must cost here.
        labelFloorCpuMsPerRow = if ($floor) { $floor.label.cpuMsPerFile } else { $null }
        labelFloorKernelMsPerRow = if ($floor) { $floor.label.kernelCpuMsPerFile } else { $null }
        floorCpuMsPerRow = if ($floor) { $floor.cpuMsPerRow + $floor.label.cpuMsPerFile } else { $null }
        # The same rows in a process that has shipped as many before: the steady cost, the JIT's work done.
        warmPwshMsPerRow = 1000 * $warm.pwshCpuSeconds / $cpuRows
        warmPwshKernelMsPerRow = 1000 * $warm.pwshKernelCpuSeconds / $cpuRows
        warmPwshJitMsPerRow = 1000 * $warm.jitSeconds / $cpuRows
    }
}

# Memory: a long run with 32 in flight, no latency, ZPL labels; the child's peak working set at the end.
if ($Figure -contains 'Memory') {
    $memRows = Get-Count $MemoryRows
    Write-Host "  peak working set, $memRows rows, -ThrottleLimit 32, ZPL labels" -ForegroundColor DarkCyan
    $mem = Invoke-AccountRun 'memory' $memRows 32 '' -LabelFormat ZPL -Stream
    $results.memory = [ordered]@{
        rows = $memRows; seconds = $mem.seconds; rowsPerSecond = $memRows / $mem.seconds
        peakWorkingSetMB = $mem.peakWorkingSetMB
        pwshMsPerRow = 1000 * $mem.pwshCpuSeconds / $memRows
    }
}

$results
