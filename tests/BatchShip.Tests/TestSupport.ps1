# Dot-sourced by every *.Tests.ps1 in BeforeAll: where the built module is, a private store per test,
# and how to start another pwsh like this one (the pinned tool runs as 'dotnet pwsh.dll').

$script:RepoRoot = (Resolve-Path (Join-Path $PSScriptRoot '../..')).Path
$script:ModulePath = Join-Path $script:RepoRoot 'out/BatchShip'
if (-not (Test-Path (Join-Path $script:ModulePath 'BatchShip.psd1'))) {
    throw "The module is not built at $script:ModulePath. Run: dotnet pwsh ./build.ps1 -Task Build"
}

function Read-PdfPages([string] $Path) {
    # PDFsharp, as the module ships it, reads a print file back: one object per page, with its size in points.
    $null = [System.Reflection.Assembly]::LoadFrom((Join-Path $script:ModulePath 'dependencies/PdfSharp.dll'))
    $document = [PdfSharp.Pdf.IO.PdfReader]::Open($Path, [PdfSharp.Pdf.IO.PdfDocumentOpenMode]::Import)
    # By index: PowerShell enumerates PdfPages as a dictionary, not as its pages.
    try { @(for ($i = 0; $i -lt $document.PageCount; $i++) { [pscustomobject]@{ Width = $document.Pages[$i].Width.Point; Height = $document.Pages[$i].Height.Point } }) }
    finally { $document.Dispose() }
}

function New-TestHome {
    # A fresh store folder for one test; BATCHSHIP_HOME points at it for this process and its children.
    $path = Join-Path ([IO.Path]::GetTempPath()) ("batchship-pester-" + [guid]::NewGuid().ToString('N'))
    $env:BATCHSHIP_HOME = $path
    return $path
}

function Get-NuGetPackagesFolder {
    if ($env:NUGET_PACKAGES) { return $env:NUGET_PACKAGES }
    $line = & dotnet nuget locals global-packages --list
    return ($line -replace '^global-packages:\s*', '').Trim()
}

function Invoke-ChildPwsh {
    # Runs a script in a separate pwsh -NoProfile and returns its output lines; $LASTEXITCODE is its exit code.
    param([Parameter(Mandatory)] [string] $Command, [string] $WorkingDirectory = $script:RepoRoot)
    $exe = [Environment]::ProcessPath
    [string[]] $prefix = if ([IO.Path]::GetFileNameWithoutExtension($exe) -eq 'dotnet') { @(Join-Path $PSHOME 'pwsh.dll') } else { @() }
    Push-Location $WorkingDirectory
    try {
        & $exe @prefix -NoProfile -NonInteractive -Command $Command 2>&1
    }
    finally {
        Pop-Location
    }
}

function Start-ChildPwsh {
    # Starts a pwsh like this one (the pinned tool runs as 'dotnet pwsh.dll') on -Command and returns its process.
    # -CaptureOutput: its output and errors are redirected for the caller. -Environment: variables for it alone.
    param([Parameter(Mandatory)] [string] $Command, [switch] $CaptureOutput, [hashtable] $Environment = @{})
    $exe = [Environment]::ProcessPath
    $psi = [System.Diagnostics.ProcessStartInfo]::new($exe)
    $psi.RedirectStandardOutput = $psi.RedirectStandardError = [bool] $CaptureOutput
    foreach ($name in $Environment.Keys) { $psi.Environment[$name] = $Environment[$name] }
    if ([IO.Path]::GetFileNameWithoutExtension($exe) -eq 'dotnet') { $psi.ArgumentList.Add((Join-Path $PSHOME 'pwsh.dll')) }
    foreach ($a in '-NoProfile', '-NonInteractive', '-Command', $Command) { $psi.ArgumentList.Add($a) }
    [System.Diagnostics.Process]::Start($psi)
}

function Start-BackgroundRunner {
    # Starts a pwsh that ships -Count orders one at a time (the caller sets a slow carrier), waits until its job runs
    # and has shipped a row, and returns the process and that job. The caller kills the process in a finally block.
    # -CaptureOutput: its output and errors are read from the start (so a full pipe never stalls it); the returned
    # object's Said() waits for its exit and returns both. -Environment: variables for that process alone
    # (a host name, say: this process must not take it, since it reads it once).
    param([Parameter(Mandatory)] [string] $Prefix, [int] $Count = 40, [switch] $CaptureOutput, [hashtable] $Environment = @{})
    $runner = Start-ChildPwsh -CaptureOutput:$CaptureOutput -Environment $Environment -Command @"
Import-Module '$script:ModulePath'
1..$Count | ForEach-Object { [pscustomobject]@{ RecipientName = 'X'; Address1 = '1 Market St'; City = 'San Francisco'; State = 'CA'; PostalCode = '94105'; WeightLb = '1'; Reference = "$Prefix-`$_" } } |
    Start-BatchShipment -Template ups-ground -Shipper '$script:ShipperFile' -ThrottleLimit 1 -Force | Out-Null
"@
    $said = if ($CaptureOutput) { @($runner.StandardOutput.ReadToEndAsync(), $runner.StandardError.ReadToEndAsync()) } else { @() }
    # Wait on the state, not the clock: the job is running and has shipped a row.
    $deadline = [DateTime]::UtcNow.AddMinutes(2)
    do { $job = Get-BatchJob -Newest 1 } until (($job -and $job.Completed -ge 1) -or [DateTime]::UtcNow -gt $deadline)
    [pscustomobject]@{ Process = $runner; Job = $job; Reads = $said } |
        Add-Member -MemberType ScriptMethod -Name Said -Value { ($this.Reads | ForEach-Object Result) -join '' } -PassThru
}

function Suspend-OutsideCommit {
    # Freezes a runner (SIGSTOP) at a moment it holds no write lock on this test's SQLite store: frozen inside a
    # commit, it would keep every other process out of the store until thawed. Tried again until it lands outside.
    param([Parameter(Mandatory)] [System.Diagnostics.Process] $Process)
    $null = Get-BatchJob -Newest 1 # the store's SQLite library is loaded by a first read
    $sqlite = [AppDomain]::CurrentDomain.GetAssemblies() | Where-Object { $_.GetName().Name -eq 'Microsoft.Data.Sqlite' } | Select-Object -First 1
    $database = Join-Path $env:BATCHSHIP_HOME 'batchship.db'
    for ($try = 1; $try -le 50; $try++) {
        & kill -STOP $Process.Id
        $connection = [Activator]::CreateInstance($sqlite.GetType('Microsoft.Data.Sqlite.SqliteConnection'), @("Data Source=$database;Pooling=False"))
        try {
            $connection.Open()
            $command = $connection.CreateCommand()
            $command.CommandText = 'PRAGMA busy_timeout=0'; $null = $command.ExecuteNonQuery()
            # BEGIN IMMEDIATE takes the write lock at once or fails with SQLITE_BUSY while the frozen process holds it.
            $command.CommandText = 'BEGIN IMMEDIATE'
            $free = try { $null = $command.ExecuteNonQuery(); $true } catch { $false }
            if ($free) { $command.CommandText = 'ROLLBACK'; $null = $command.ExecuteNonQuery(); return }
        }
        finally { $connection.Dispose() }
        & kill -CONT $Process.Id
        Start-Sleep -Milliseconds 100
    }
    throw "Could not freeze process $($Process.Id) outside a commit of $database."
}

function Use-TestPostgres {
    # The PostgreSQL server of the test run (build.ps1 -Task Test names it in BATCHSHIP_TEST_POSTGRES), or one started
    # here for this file; Stop-TestPostgres stops only the latter.
    $script:OwnPostgres = $null
    if (-not $env:BATCHSHIP_TEST_POSTGRES) {
        $script:OwnPostgres = Invoke-TestPostgresTool -Start | ConvertFrom-Json
    }
    $server = if ($script:OwnPostgres) { $script:OwnPostgres.ConnectionString } else { $env:BATCHSHIP_TEST_POSTGRES }
    $script:PostgresParts = @{}
    foreach ($pair in $server -split ';') { if ($pair -match '^\s*([^=]+?)\s*=\s*(.*)$') { $script:PostgresParts[$Matches[1].ToLowerInvariant()] = $Matches[2] } }
    $script:Psql = (Get-Command psql -CommandType Application -ErrorAction SilentlyContinue | Select-Object -First 1).Source
    if (-not $script:Psql) { $script:Psql = Get-ChildItem /usr/lib/postgresql/*/bin/psql | Sort-Object { [int]($_.Directory.Parent.Name -replace '\D', '') } -Descending | Select-Object -First 1 -ExpandProperty FullName }
}

function Stop-TestPostgres {
    if ($script:OwnPostgres) { Invoke-TestPostgresTool -Stop -DataFolder $script:OwnPostgres.DataFolder | Out-Null }
}

function Invoke-TestPostgresTool {
    $exe = [Environment]::ProcessPath
    [string[]] $prefix = if ([IO.Path]::GetFileNameWithoutExtension($exe) -eq 'dotnet') { @(Join-Path $PSHOME 'pwsh.dll') } else { @() }
    & $exe @prefix -NoProfile -NonInteractive -File (Join-Path $script:RepoRoot 'tools/TestPostgres.ps1') @args
}

function New-TeamDatabase {
    # A fresh database of the test server for one test; returns its connection string (Use-TestPostgres first).
    $parts = $script:PostgresParts
    $name = 'bs_pester_' + [guid]::NewGuid().ToString('N').Substring(0, 12)
    & $script:Psql -h $parts['host'] -U $parts['username'] -d $parts['database'] -q -c "CREATE DATABASE $name" | Out-Null
    if ($LASTEXITCODE -ne 0) { throw "CREATE DATABASE $name failed." }
    "Host=$($parts['host']);Username=$($parts['username']);Database=$name"
}

function Use-TestStore {
    # A fresh store and a fresh sandbox ledger for this process (and the carriers it starts); no faults.
    $path = New-TestHome
    $env:BATCHSHIP_SANDBOX_LEDGER = Join-Path $path 'sandbox-ledger.jsonl'
    Remove-Item Env:BATCHSHIP_SANDBOX_FAULTS -ErrorAction SilentlyContinue
    return $path
}

function Assert-ShippedOnceEach([int] $Orders) {
    # The sandbox made exactly -Orders shipments, one per order reference.
    $ledger = @(Get-Ledger)
    $ledger.Count | Should -Be $Orders
    @($ledger.References | Select-Object -Unique).Count | Should -Be $Orders
}

function Get-Ledger {
    # Every shipment the sandbox made, read through the sandbox's own ledger verb.
    if (-not (Test-Path $env:BATCHSHIP_SANDBOX_LEDGER)) { return @() }
    $dll = Join-Path $script:ModulePath 'carriers/sandbox/BatchShip.SandboxCarrier.dll'
    @(& dotnet $dll ledger --path $env:BATCHSHIP_SANDBOX_LEDGER | ConvertFrom-Json)
}

# The sample shipper, for scripts run in a child pwsh.
$script:ShipperFile = Join-Path $script:ModulePath 'samples/shipper.json'

$script:Shipper = @{
    Name = 'Harbor & Pine Supply Co.'; ShipperNumber = 'A1B2C3'; Address1 = '200 Summer Street'
    City = 'Boston'; State = 'MA'; PostalCode = '02210'; Country = 'US'; Phone = '617-555-0100'
}

function New-Order {
    # A valid order for ups-ground; -Zip 10012 with the default state CA makes the row fail before the carrier is called (E-2001: a New York ZIP code).
    param([string] $Reference, [string] $Zip = '94105', [string] $State = 'CA', [object] $Weight = '2.5')
    [pscustomobject][ordered]@{
        RecipientName = "Customer $Reference"; Address1 = '1 Market St'; City = 'San Francisco'; State = $State
        PostalCode = $Zip; WeightLb = $Weight; Reference = $Reference
    }
}
