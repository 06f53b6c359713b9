<#
.SYNOPSIS
    Ships the day's orders: resumes what earlier nights left unfinished, ships today's file, and writes the complete
    write-back of the night's job.
.DESCRIPTION
    Made for a scheduler: pwsh -NoProfile -File nightly.ps1 -Orders today.csv -OutputFolder shipped/
    Exit codes: 0 every order shipped; 1 some orders were refused (the output file lists every order, with ErrorCode
    and ErrorMessage for the refused ones: correct them and run the script again); 2 the batch could not finish
    (authentication, the carrier down, a crash): the next run resumes it, and never ships an order twice.
    tests/Nightly.Tests.ps1 beside this script tests it against the offline sandbox carrier.
#>
[CmdletBinding()]
param(
    [string] $Orders = (Join-Path $PSScriptRoot 'orders.csv'),
    [string] $Shipper = (Join-Path $PSScriptRoot 'shipper.json'),
    [string] $OutputFolder = (Get-Location).Path,
    [string] $Template = 'ups-ground',
    [string] $Carrier = 'Sandbox',
    [ValidateRange(1, 64)]
    [int] $ThrottleLimit = 4
)

$ErrorActionPreference = 'Stop'
# This sample sits in the module's samples folder; a copy of it elsewhere imports BatchShip by name.
$bundled = Join-Path $PSScriptRoot '../BatchShip.psd1'
if (Test-Path $bundled) { Import-Module $bundled } else { Import-Module BatchShip }

$output = Join-Path $OutputFolder ("shipped-{0:yyyyMMdd-HHmmss}.csv" -f (Get-Date))
$exitCode = 0
try {
    # First what earlier nights left unfinished (a crash, an outage): Resume settles rows in flight before it sends.
    Get-BatchJob -Resumable | Resume-BatchShipment -ThrottleLimit $ThrottleLimit -Force | Out-Null

    # Then today's orders. Orders shipped by an earlier run come back AlreadyShipped; a refused row does not stop
    # the others (-ErrorPolicy Continue) and its error is reported, not thrown.
    Import-Csv -LiteralPath $Orders |
        Start-BatchShipment -Template $Template -Shipper $Shipper -Carrier $Carrier -ThrottleLimit $ThrottleLimit -ErrorPolicy Continue -Force -ErrorAction Continue |
        Out-Null
}
catch {
    # A systemic error (authentication, carrier unreachable) or a crash: the job stays resumable.
    Write-Error $_ -ErrorAction Continue
    $exitCode = 2
}

# The write-back: every order of the night's job, shipped or not, from the store (complete even after an error).
$job = Get-BatchJob -Newest 1
if ($job) {
    Get-BatchShipment -JobId $job.JobId | Export-Csv -LiteralPath $output -NoTypeInformation -Encoding utf8
    Write-Host "Job $($job.JobId): $($job.Status), $($job.Completed) shipped, $($job.Failed) refused; $output"
    if ($exitCode -eq 0 -and $job.Status -ne 'Completed') { $exitCode = if ($job.Status -eq 'CompletedWithErrors') { 1 } else { 2 } }
}
exit $exitCode
