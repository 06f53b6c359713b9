<#
.SYNOPSIS
    Builds, tests, demonstrates and benchmarks BatchShip.
.DESCRIPTION
    One entry point for every task. Run it through the pinned PowerShell:
        dotnet tool restore && dotnet pwsh ./build.ps1 -Task Test
.PARAMETER Task
    Build  publishes the complete module folder at out/BatchShip.
    Test   builds, starts a throwaway PostgreSQL server (tools/TestPostgres.ps1) for the store's PostgreSQL leg, runs
           the xunit suites, then the Pester suite and the sample suite the module ships (samples/tests, run from
           out/BatchShip as a user gets it) each in a child pwsh, then a short chaos pass (4 faults on batches of 12
           rows, about two minutes), stops the server, names every failed test, and prints one Summary line counting
           them all.
    Demo   builds and ships the sample orders through the offline sandbox carrier.
    Bench  builds and runs the benchmarks.
    Chaos  builds, then ships batches in child processes, injects one fault per iteration (kill -9, SIGSTOP past the
           lease, Stop-BatchShipment or Ctrl+C, an outside writer holding the store's lock, two runners in one
           process), resumes until every job is Completed, and checks the sandbox ledger against the store: exactly
           one shipment per order (tests/chaos/Invoke-Chaos.ps1). With -Stations 2 the store is a PostgreSQL database
           of a throwaway server that the harness starts, shared by two stations that run each job at once; the faults
           are kill -9 of one station's runner, SIGSTOP of one station past its lease, a database restart and an
           outside session locking the rows table. Prints
           Chaos: <faults> faults (<kills> kills, <pauses> pauses, <cancels> cancels, <locks> store locks, <parallel> parallel[, <restarts> database restarts]), <rows> rows, <d> duplicates, <l> lost, <r> needs-review, <s> stuck
           (the database restarts with -Stations 2 only) and fails on any duplicate, lost or stuck job.
    Clean  removes out/ and every bin/ and obj/ folder.
.PARAMETER Iterations
    Chaos: how many faults in all.
.PARAMETER Rows
    Chaos: the orders in each batch.
.PARAMETER Seed
    Chaos: the seed of every random choice (fault classes and moments, batch shapes, carrier faults); a fresh one when
    omitted. Printed with -Verbose and on failure.
.PARAMETER Faults
    Chaos: the fault classes to draw from: kill, pause, cancel, lock, parallel with one station; kill, pause, restart,
    lock with -Stations 2. All of the mode's classes by default.
.PARAMETER Stations
    Chaos: 1 (default) runs every job at one station on its SQLite store; 2 runs each job at two stations at once
    (BATCHSHIP_MACHINE_NAME station-a and station-b, each with its own BATCHSHIP_HOME) on one PostgreSQL database,
    against one sandbox carrier account. Needs PostgreSQL's server binaries (see tools/TestPostgres.ps1) and psql.
.EXAMPLE
    dotnet pwsh ./build.ps1 -Task Chaos -Iterations 10 -Rows 30 -Seed 42 -Verbose
.EXAMPLE
    dotnet pwsh ./build.ps1 -Task Chaos -Stations 2 -Iterations 50 -Rows 20
#>
[CmdletBinding()]
param(
    [ValidateSet('Build', 'Test', 'Demo', 'Bench', 'Chaos', 'Clean')]
    [string] $Task = 'Build',

    [ValidateSet('Debug', 'Release')]
    [string] $Configuration = 'Release',

    [ValidateRange(1, 100000)]
    [int] $Iterations = 20,

    [ValidateRange(1, 100000)]
    [int] $Rows = 50,

    [int] $Seed = -1,

    [ValidateSet('kill', 'pause', 'cancel', 'lock', 'parallel', 'restart')]
    [string[]] $Faults,

    [ValidateSet(1, 2)]
    [int] $Stations = 1
)

$ErrorActionPreference = 'Stop'
Set-StrictMode -Version Latest

$Root = $PSScriptRoot
$Out = Join-Path $Root 'out'
$ModuleOut = Join-Path $Out 'BatchShip'
$Solution = Join-Path $Root 'BatchShip.Cmdlets.sln'
# The runtimes whose native SQLite library the module folder carries.
$Runtimes = 'linux-x64', 'linux-arm64', 'osx-x64', 'osx-arm64', 'win-x64'

function Invoke-Dotnet {
    & dotnet @args
    if ($LASTEXITCODE -ne 0) { throw "dotnet $($args -join ' ') failed with exit code $LASTEXITCODE." }
}

# The command line that starts this same PowerShell: the pinned tool runs as 'dotnet pwsh.dll'.
function Get-PwshCommand {
    $exe = [Environment]::ProcessPath
    $dll = Join-Path $PSHOME 'pwsh.dll'
    if ([IO.Path]::GetFileNameWithoutExtension($exe) -eq 'dotnet') { return @($exe, $dll) }
    return @($exe)
}

function Get-NuGetPackagesFolder {
    if ($env:NUGET_PACKAGES) { return $env:NUGET_PACKAGES }
    $line = & dotnet nuget locals global-packages --list
    return ($line -replace '^global-packages:\s*', '').Trim()
}

function Invoke-Build {
    Write-Host "Building $Configuration..." -ForegroundColor Cyan
    Invoke-Dotnet build $Solution -c $Configuration --nologo -v q '-clp:NoSummary'
    # The test-support project only downloads packages (Pester, an older logging library).
    Invoke-Dotnet restore (Join-Path $Root 'tests/BatchShip.Tests/BatchShip.Tests.csproj') -v q

    if (Test-Path $ModuleOut) { Remove-Item $ModuleOut -Recurse -Force }
    $staging = Join-Path $Out 'publish'
    if (Test-Path $staging) { Remove-Item $staging -Recurse -Force }

    # The engine and its packages, portable (every runtime's native library), into dependencies/.
    Invoke-Dotnet publish (Join-Path $Root 'src/BatchShip.Engine/BatchShip.Engine.csproj') -c $Configuration --no-build -o (Join-Path $staging 'engine') --nologo -v q
    $deps = New-Item -ItemType Directory -Force (Join-Path $ModuleOut 'dependencies')
    Get-ChildItem (Join-Path $staging 'engine') -File |
        Where-Object { $_.Extension -in '.dll', '.json' -and $_.Name -notlike '*.deps.json' } |
        Copy-Item -Destination $deps
    foreach ($rid in $Runtimes) {
        $native = Join-Path $staging "engine/runtimes/$rid/native"
        if (-not (Test-Path $native)) { throw "The engine publish has no native SQLite library for $rid." }
        $target = New-Item -ItemType Directory -Force (Join-Path $deps "runtimes/$rid/native")
        Copy-Item (Join-Path $native '*') $target
    }

    # The PowerShell face: only the cmdlets assembly sits beside the manifest.
    $cmdletsBin = Join-Path $Root "src/BatchShip.Cmdlets/bin/$Configuration/net10.0"
    Copy-Item (Join-Path $cmdletsBin 'BatchShip.Cmdlets.dll') $ModuleOut
    Copy-Item (Join-Path $Root 'BatchShip.psd1') $ModuleOut
    $moduleFiles = Join-Path $Root 'module'
    Get-ChildItem $moduleFiles -Force | Where-Object Name -ne '.gitkeep' | Copy-Item -Destination $ModuleOut -Recurse -Force

    # Help: the markdown in docs/en-US compiled into the MAML and about_ files Get-Help reads.
    . (Join-Path $Root 'tools/HelpBuilder.ps1')
    Build-ModuleHelp -Source (Join-Path $Root 'docs/en-US') -Destination (Join-Path $ModuleOut 'en-US') -AssemblyFile 'BatchShip.Cmdlets.dll'

    # The sandbox carrier, a separate program.
    Invoke-Dotnet publish (Join-Path $Root 'src/BatchShip.SandboxCarrier/BatchShip.SandboxCarrier.csproj') -c $Configuration --no-build -o (Join-Path $ModuleOut 'carriers/sandbox') --nologo -v q

    Remove-Item $staging -Recurse -Force
    Write-Host "Module folder: $ModuleOut" -ForegroundColor Green
}

function Get-TrxCounts([string] $Folder) {
    $counts = [ordered]@{ Passed = 0; Failed = 0; Skipped = 0; Failures = [System.Collections.Generic.List[string]]::new() }
    foreach ($file in Get-ChildItem $Folder -Filter '*.trx' -ErrorAction SilentlyContinue) {
        [xml] $trx = Get-Content -LiteralPath $file.FullName -Raw
        $c = $trx.TestRun.ResultSummary.Counters
        $counts.Passed += [int] $c.passed
        $counts.Failed += [int] $c.failed + [int] $c.error + [int] $c.timeout + [int] $c.aborted
        $counts.Skipped += [int] $c.notExecuted
        foreach ($result in @($trx.TestRun.Results.UnitTestResult) | Where-Object { $_ -and $_.outcome -eq 'Failed' }) {
            $message = "$($result.Output.ErrorInfo.Message)" -split "`n" | Select-Object -First 1
            $counts.Failures.Add("$($result.testName): $message")
        }
    }
    return $counts
}

# Runs the Pester tests under -Path in a child pwsh -NoProfile with Pester 5.7.1 from the NuGet package folder; writes
# <Name>.xml (NUnit) and <Name>.json (counts) to -Results and returns the counts. A child that dies counts as a failure.
function Invoke-PesterSuite([string] $Path, [string] $Results, [string] $Name) {
    $pester = Join-Path (Get-NuGetPackagesFolder) 'pester/5.7.1/tools/Pester.psd1'
    if (-not (Test-Path $pester)) { throw "Pester 5.7.1 was not restored to $pester." }
    $json = Join-Path $Results "$Name.json"
    $script = @"
`$ErrorActionPreference = 'Stop'
Import-Module '$pester' -RequiredVersion 5.7.1
`$config = New-PesterConfiguration
`$config.Run.Path = '$Path'
`$config.Run.PassThru = `$true
`$config.Output.Verbosity = 'Detailed'
`$config.TestResult.Enabled = `$true
`$config.TestResult.OutputPath = '$(Join-Path $Results "$Name.xml")'
`$r = Invoke-Pester -Configuration `$config
`$failures = @(`$r.Failed | ForEach-Object { "`$(`$_.ExpandedPath): `$(`$_.ErrorRecord | Select-Object -First 1)" }) +
    @(`$r.FailedBlocks | ForEach-Object { "`$(`$_.Path -join ' '): `$(`$_.ErrorRecord | Select-Object -First 1)" }) +
    @(`$r.FailedContainers | ForEach-Object { "`$(`$_.Item): `$(`$_.ErrorRecord | Select-Object -First 1)" })
[ordered]@{ Passed = `$r.PassedCount; Failed = `$r.FailedCount + `$r.FailedBlocksCount + `$r.FailedContainersCount; Skipped = `$r.SkippedCount + `$r.NotRunCount; Failures = `$failures } | ConvertTo-Json -Depth 3 | Set-Content '$json'
"@
    $pwsh = Get-PwshCommand
    # Its output goes to the console, not into the counts this function returns.
    & $pwsh[0] @($pwsh | Select-Object -Skip 1) -NoProfile -NonInteractive -Command $script | Out-Host
    if (Test-Path $json) { return Get-Content $json -Raw | ConvertFrom-Json }
    return [pscustomobject]@{ Passed = 0; Failed = 1; Skipped = 0; Failures = @("the $Name suite's pwsh ended before it wrote its counts") }
}

function Invoke-Test {
    Invoke-Build
    $results = Join-Path $Out 'TestResults'
    if (Test-Path $results) { Remove-Item $results -Recurse -Force }
    New-Item -ItemType Directory -Force $results | Out-Null

    # One throwaway PostgreSQL server for the whole run: the store's PostgreSQL leg and the team-store tests make their
    # own databases in it. Children (xunit, Pester) find it through BATCHSHIP_TEST_POSTGRES.
    $postgres = Start-TestPostgres
    try {
        $outcome = Invoke-TestSuites $results
    }
    finally {
        Stop-TestPostgres $postgres
    }
    # Alone, and last: the line the project's CI reads.
    Write-Output $outcome.Summary
    if (-not $outcome.Green) { exit 1 }
}

# Starts a throwaway PostgreSQL server (tools/TestPostgres.ps1) and names it in BATCHSHIP_TEST_POSTGRES for children.
function Start-TestPostgres([switch] $Durable) {
    $pwsh = Get-PwshCommand
    $json = & $pwsh[0] @($pwsh | Select-Object -Skip 1) -NoProfile -NonInteractive -File (Join-Path $Root 'tools/TestPostgres.ps1') -Start -Durable:$Durable
    if ($LASTEXITCODE -ne 0) { throw "The test PostgreSQL server did not start (exit code $LASTEXITCODE)." }
    $server = $json | ConvertFrom-Json
    $env:BATCHSHIP_TEST_POSTGRES = $server.ConnectionString
    return $server
}

function Stop-TestPostgres($Server) {
    Remove-Item Env:BATCHSHIP_TEST_POSTGRES -ErrorAction SilentlyContinue
    $pwsh = Get-PwshCommand
    & $pwsh[0] @($pwsh | Select-Object -Skip 1) -NoProfile -NonInteractive -File (Join-Path $Root 'tools/TestPostgres.ps1') -Stop -DataFolder $Server.DataFolder
}

function Invoke-TestSuites([string] $results) {
    Write-Host 'Running xunit suites...' -ForegroundColor Cyan
    & dotnet test $Solution -c $Configuration --no-build --nologo --logger 'trx' --logger 'console;verbosity=minimal' --results-directory (Join-Path $results 'xunit') | Out-Host
    $xunitExit = $LASTEXITCODE
    $xunit = Get-TrxCounts (Join-Path $results 'xunit')
    if ($xunitExit -ne 0 -and $xunit.Failed -eq 0) { $xunit.Failed = 1 } # a crashed test host counts as a failure

    Write-Host 'Running Pester in a child pwsh...' -ForegroundColor Cyan
    $pesterCounts = Invoke-PesterSuite -Path (Join-Path $Root 'tests/BatchShip.Tests') -Results $results -Name 'pester'
    # The sample suite exactly as it ships, from the built module folder, through the same Pester.
    Write-Host 'Running the sample suite (samples/tests) in a child pwsh...' -ForegroundColor Cyan
    $sampleCounts = Invoke-PesterSuite -Path (Join-Path $ModuleOut 'samples/tests') -Results $results -Name 'samples'

    Write-Host 'Running a short chaos pass (a handful of faults)...' -ForegroundColor Cyan
    $chaos = Invoke-ChaosRun -Iterations 4 -Rows 12 -LookupOffRows 4
    $chaosPassed = $chaos.Passed

    $passed = $xunit.Passed + $pesterCounts.Passed + $sampleCounts.Passed + [int]$chaosPassed
    $failed = $xunit.Failed + $pesterCounts.Failed + $sampleCounts.Failed + [int](-not $chaosPassed)
    $skipped = $xunit.Skipped + $pesterCounts.Skipped + $sampleCounts.Skipped
    # Every failed test by name, so a red run says what to look at without its whole log.
    foreach ($failure in @($xunit.Failures) + @($pesterCounts.Failures) + @($sampleCounts.Failures) | Where-Object { $_ }) {
        $line = "$failure" -replace '\s+', ' '
        Write-Host "Failed: $($line.Substring(0, [Math]::Min(400, $line.Length)))" -ForegroundColor Red
    }
    if (-not $chaosPassed) { Write-Host "Failed: chaos pass: $($chaos.Detail)" -ForegroundColor Red }
    Write-Host "xunit: $($xunit.Passed) passed, $($xunit.Failed) failed, $($xunit.Skipped) skipped; Pester: $($pesterCounts.Passed) passed, $($pesterCounts.Failed) failed, $($pesterCounts.Skipped) skipped; samples: $($sampleCounts.Passed) passed, $($sampleCounts.Failed) failed, $($sampleCounts.Skipped) skipped; chaos: $(if ($chaosPassed) { 'passed' } else { 'failed' }) ($($chaos.Detail))"
    return [pscustomobject]@{ Summary = "Summary: $passed passed, $failed failed, $skipped skipped"; Green = ($failed -eq 0 -and $passed -gt 0) }
}

# The harness's result line.
$ChaosLine = '^Chaos: (?<faults>\d+) faults \((?<kills>\d+) kills, (?<pauses>\d+) pauses, (?<cancels>\d+) cancels, (?<locks>\d+) store locks, (?<parallel>\d+) parallel(?:, (?<restarts>\d+) database restarts)?\), (?<rows>\d+) rows, (?<duplicates>\d+) duplicates, (?<lost>\d+) lost, (?<review>\d+) needs-review, (?<stuck>\d+) stuck$'

# Runs tests/chaos/Invoke-Chaos.ps1 on the built module in a child pwsh and prints its output. Passed: it exited 0 and
# its Chaos line says no duplicate, no lost row and no stuck job. Detail: the line's counts, or why there is none.
function Invoke-ChaosRun([int] $Iterations, [int] $Rows, [int] $Seed = -1, [string[]] $Faults = @(), [int] $LookupOffRows = -1, [int] $Stations = 1) {
    $pwsh = Get-PwshCommand
    $harness = Join-Path $Root 'tests/chaos/Invoke-Chaos.ps1'
    $harnessArgs = @('-ModulePath', $ModuleOut, '-Iterations', $Iterations, '-Rows', $Rows, '-Seed', $Seed, '-Stations', $Stations)
    if (@($Faults).Count -gt 0) { $harnessArgs += @('-Faults', ($Faults -join ',')) }
    if ($LookupOffRows -ge 0) { $harnessArgs += @('-LookupOffRows', $LookupOffRows) }
    if ($VerbosePreference -ne 'SilentlyContinue') { $harnessArgs += '-Verbose' }
    $line = $null
    & $pwsh[0] @($pwsh | Select-Object -Skip 1) -NoProfile -NonInteractive -File $harness @harnessArgs | ForEach-Object {
        if ("$_" -match $ChaosLine) { $line = $Matches }
        $_ | Out-Host
    }
    $exit = $LASTEXITCODE
    if ($null -eq $line) { return [pscustomobject]@{ Passed = $false; Detail = "no Chaos line, exit code $exit" } }
    $clean = [int]$line.duplicates -eq 0 -and [int]$line.lost -eq 0 -and [int]$line.stuck -eq 0
    $detail = "$($line.faults) faults, $($line.duplicates) duplicates, $($line.lost) lost, $($line.stuck) stuck"
    [pscustomobject]@{ Passed = $exit -eq 0 -and $clean; Detail = $detail }
}

function Invoke-Chaos {
    Invoke-Build
    $classes = if ($Faults) { $Faults -join ', ' } else { 'every class of the mode' }
    Write-Host "Injecting $Iterations faults ($classes), batches of $Rows rows, $Stations station(s)..." -ForegroundColor Cyan
    $watch = [Diagnostics.Stopwatch]::StartNew()
    $result = Invoke-ChaosRun -Iterations $Iterations -Rows $Rows -Seed $Seed -Faults @($Faults | Where-Object { $_ }) -Stations $Stations
    Write-Host ("Chaos run took {0:hh\:mm\:ss}." -f $watch.Elapsed)
    if (-not $result.Passed) { exit 1 }
}

function Invoke-Demo {
    Invoke-Build
    $demoHome = Join-Path $Out 'demo-home'
    if (Test-Path $demoHome) { Remove-Item $demoHome -Recurse -Force }
    Write-Host @"

Shipping module/samples/orders.csv (20 orders, some of them awkward) through the offline sandbox
carrier with the built-in ups-ground template, into a fresh demo store at $demoHome.
"@ -ForegroundColor Cyan
    $demo = @"
`$ErrorActionPreference = 'Stop'
`$env:BATCHSHIP_HOME = '$demoHome'
`$env:BATCHSHIP_SANDBOX_LEDGER = '$(Join-Path $demoHome 'sandbox-ledger.jsonl')'
Import-Module '$ModuleOut'
`$samples = '$(Join-Path $ModuleOut 'samples')'
Import-Csv (Join-Path `$samples 'orders.csv') |
    Start-BatchShipment -Template ups-ground -Shipper (Join-Path `$samples 'shipper.json') -InformationAction Continue |
    Format-Table RowNumber, RecipientName, ShipmentStatus, TrackingNumber, Cost, ErrorCode -AutoSize
Get-BatchJob -Newest 1 | Format-List JobId, Name, Status, Total, Completed, Failed, TotalCost, Currency, LabelDirectory
`$job = Get-BatchJob -Newest 1
"Labels: `$(`$job.LabelDirectory) (`$(@(Get-ChildItem `$job.LabelDirectory).Count) files)"
"Write-back of any job: Get-BatchShipment -JobId `$(`$job.JobId) | Export-Csv shipped.csv"
"@
    $pwsh = Get-PwshCommand
    & $pwsh[0] @($pwsh | Select-Object -Skip 1) -NoProfile -NonInteractive -Command $demo
    if ($LASTEXITCODE -ne 0) { exit $LASTEXITCODE }
}

function Invoke-Bench {
    Invoke-Build
    # Overhead per row against the SQLite floor, latency hiding, staging, cold start and resume;
    # writes out/bench/results.json, prints the table and one Bench: line.
    & (Join-Path $Root 'bench/Invoke-Benchmark.ps1') -Root $Root -ModulePath $ModuleOut -Configuration $Configuration
}

switch ($Task) {
    'Build' { Invoke-Build }
    'Test' { Invoke-Test }
    'Demo' { Invoke-Demo }
    'Bench' { Invoke-Bench }
    'Chaos' { Invoke-Chaos }
    'Clean' {
        if (Test-Path $Out) { Remove-Item $Out -Recurse -Force }
        Get-ChildItem $Root -Directory -Recurse -Include bin, obj | Remove-Item -Recurse -Force
    }
}
