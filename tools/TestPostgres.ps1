<#
.SYNOPSIS
    Starts, restarts or stops a throwaway PostgreSQL server for the test run, the chaos run and the bench.

.DESCRIPTION
    -Start makes a new cluster (initdb) in a new temporary folder and starts it listening only on a Unix socket in that
    folder, then writes one JSON object to the output: ConnectionString (a superuser of the throwaway cluster, trust
    authentication over the socket), DataFolder, Log. PostgreSQL refuses to run as root, so under root the cluster is
    made and run by the unprivileged 'postgres' account (or 'nobody'), through runuser.
    -Restart -DataFolder F restarts it (a database restart, for the chaos run). -Stop -DataFolder F stops it at once and
    deletes the folder.

    The binaries come from $env:BATCHSHIP_PG_BIN if set, else pg_ctl on the PATH, else the newest
    /usr/lib/postgresql/<version>/bin. Without -Durable the cluster runs with fsync off: tests need PostgreSQL's rules,
    not its disk flushes, and a crash or restart of the server still keeps every acknowledged commit. The bench passes
    -Durable so that its figures include real commits.
#>
[CmdletBinding(DefaultParameterSetName = 'Start')]
param(
    [Parameter(ParameterSetName = 'Start')] [switch] $Start,
    [Parameter(ParameterSetName = 'Start')] [switch] $Durable,
    [Parameter(ParameterSetName = 'Restart', Mandatory)] [switch] $Restart,
    [Parameter(ParameterSetName = 'Stop', Mandatory)] [switch] $Stop,
    [Parameter(ParameterSetName = 'Restart', Mandatory)]
    [Parameter(ParameterSetName = 'Stop', Mandatory)] [string] $DataFolder
)
$ErrorActionPreference = 'Stop'
Set-StrictMode -Version 3

function Find-PostgresBin {
    if ($env:BATCHSHIP_PG_BIN) { return $env:BATCHSHIP_PG_BIN }
    $onPath = Get-Command pg_ctl -CommandType Application -ErrorAction SilentlyContinue | Select-Object -First 1
    if ($onPath) { return Split-Path ((Get-Item $onPath.Source).ResolvedTarget ?? $onPath.Source) }
    $versions = Get-ChildItem /usr/lib/postgresql -Directory -ErrorAction SilentlyContinue |
        Where-Object { Test-Path (Join-Path $_.FullName 'bin/pg_ctl') } | Sort-Object { [int]($_.Name -replace '\D', '') } -Descending
    if ($versions) { return Join-Path $versions[0].FullName 'bin' }
    throw 'PostgreSQL was not found: set BATCHSHIP_PG_BIN to the folder that holds pg_ctl and initdb.'
}

# The account that runs the cluster: this one, or an unprivileged one when this is root.
function Get-ClusterUser {
    if ((& id -u) -ne '0') { return $null }
    foreach ($name in 'postgres', 'nobody') { & id -u $name *> $null; if ($LASTEXITCODE -eq 0) { return $name } }
    throw 'PostgreSQL refuses to run as root and there is no postgres or nobody account to run it.'
}

function Invoke-AsClusterUser([string] $User, [string] $Program, [string[]] $Arguments) {
    if ($User) { & runuser -u $User -- $Program @Arguments } else { & $Program @Arguments }
    if ($LASTEXITCODE -ne 0) { throw "$(Split-Path -Leaf $Program) failed with exit code $LASTEXITCODE." }
}

$bin = Find-PostgresBin
$pgCtl = Join-Path $bin 'pg_ctl'
$user = Get-ClusterUser

switch ($PSCmdlet.ParameterSetName) {
    'Start' {
        $folder = Join-Path ([IO.Path]::GetTempPath()) ("batchship-pg-" + [Guid]::NewGuid().ToString('n').Substring(0, 12))
        $data = Join-Path $folder 'data'
        New-Item -ItemType Directory -Path $folder | Out-Null
        if ($user) { & chown $user $folder; if ($LASTEXITCODE -ne 0) { throw "chown $user $folder failed." } }
        & chmod 700 $folder
        Invoke-AsClusterUser $user (Join-Path $bin 'initdb') @('-D', $data, '-U', 'batchship_admin', '-A', 'trust', '-E', 'UTF8', '--no-sync', '--no-instructions') *> (Join-Path $folder 'initdb.log')
        $options = "-c listen_addresses='' -c unix_socket_directories='$folder' -c max_connections=200"
        # fsync off only saves the disk flushes, which matter after a power cut, not after a crash or an immediate
        # restart of the server (the WAL is in the system's cache by then). synchronous_commit stays on: off, a restart
        # loses commits the server had acknowledged, and a test of a restart would see a store go back in time.
        if (-not $Durable) { $options += ' -c fsync=off -c full_page_writes=off' }
        $log = Join-Path $folder 'server.log'
        Invoke-AsClusterUser $user $pgCtl @('start', '-D', $data, '-w', '-t', '60', '-l', $log, '-o', $options) *> (Join-Path $folder 'pg_ctl.log')
        [ordered]@{
            ConnectionString = "Host=$folder;Username=batchship_admin;Database=postgres"
            DataFolder = $folder
            Log = $log
        } | ConvertTo-Json -Compress
    }
    'Restart' {
        Invoke-AsClusterUser $user $pgCtl @('restart', '-D', (Join-Path $DataFolder 'data'), '-m', 'immediate', '-w', '-t', '60', '-l', (Join-Path $DataFolder 'server.log')) *> $null
    }
    'Stop' {
        if (Test-Path (Join-Path $DataFolder 'data/postmaster.pid')) {
            Invoke-AsClusterUser $user $pgCtl @('stop', '-D', (Join-Path $DataFolder 'data'), '-m', 'immediate', '-w', '-t', '60') *> $null
        }
        Remove-Item -LiteralPath $DataFolder -Recurse -Force -ErrorAction SilentlyContinue
    }
}
