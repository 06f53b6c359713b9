BeforeAll {
    . (Join-Path $PSScriptRoot 'TestSupport.ps1')
    Import-Module $ModulePath -Force
}

AfterAll {
    Remove-Module BatchShip -ErrorAction SilentlyContinue
}

Describe 'Start-BatchShipment' {
    BeforeEach {
        $testHome = Use-TestStore
    }

    It 'round-trips Import-Csv to Export-Csv with every input column kept, in order, and text tracking numbers' {
        $csv = Join-Path $TestDrive 'orders.csv'
        $out = Join-Path $TestDrive 'shipped.csv'
        @(
            New-Order 'RT-1' | Select-Object *, @{ n = 'Cost'; e = { 'customer-cost' } }, @{ n = 'Note'; e = { 'fragile, "glass"' } }
            New-Order 'RT-2' | Select-Object *, @{ n = 'Cost'; e = { '' } }, @{ n = 'Note'; e = { 'Ünïcode' } }
        ) | Export-Csv $csv -NoTypeInformation

        Import-Csv $csv | Start-BatchShipment -Template ups-ground -Shipper $Shipper -Force | Export-Csv $out -NoTypeInformation -Encoding utf8

        $header = (Get-Content $out -TotalCount 1) -replace '"', '' -split ','
        $header | Should -Be @('RecipientName', 'Address1', 'City', 'State', 'PostalCode', 'WeightLb', 'Reference', 'Input_Cost', 'Note',
            'JobId', 'RowNumber', 'ShipmentStatus', 'TrackingNumber', 'ShipmentId', 'Cost', 'Currency', 'LabelPath', 'ErrorCode', 'ErrorMessage', 'DeliveryStatus', 'DeliveredAt')
        $rows = Import-Csv $out | Sort-Object { [int] $_.RowNumber }
        $rows.ShipmentStatus | Should -Be @('Completed', 'Completed')
        $rows[0].Input_Cost | Should -Be 'customer-cost'
        $rows[0].Note | Should -Be 'fragile, "glass"'
        $rows[1].Note | Should -Be 'Ünïcode'
        $rows | ForEach-Object { $_.TrackingNumber | Should -Match '^1Z[0-9A-Z]{16}$' }
        (Get-Content $out -Raw) | Should -Match '"1Z[0-9A-Z]{16}"' -Because 'tracking numbers are written as quoted text'
        $ledger = Get-Ledger
        $ledger.Count | Should -Be 2
        ($ledger.trackingNumbers | Sort-Object) | Should -Be ($rows.TrackingNumber | Sort-Object)
    }

    It 'streams each result before the last row is shipped' {
        $env:BATCHSHIP_SANDBOX_FAULTS = 'latency=150ms'
        $seen = [System.Collections.Generic.List[int]]::new()
        1..5 | ForEach-Object { New-Order "ST-$_" } |
            Start-BatchShipment -Template ups-ground -Shipper $Shipper -ThrottleLimit 1 -Force |
            ForEach-Object { $seen.Add((Get-Ledger).Count) }
        $seen.Count | Should -Be 5
        $seen[0] | Should -BeLessThan 5 -Because 'the first result reached the pipeline while rows were still to be shipped'
    }

    It 'fails fast with E-codes naming job, row and remedy, and a second process resumes only the rows left' {
        $orders = @((New-Order 'FF-1'), (New-Order 'FF-2' -Zip '10012'), (New-Order 'FF-3'))
        $errors = $null
        $caught = $null
        try {
            $orders | Start-BatchShipment -Template ups-ground -Shipper $Shipper -ThrottleLimit 1 -Force -ErrorVariable errors -ErrorAction Continue | Out-Null
        }
        catch {
            $caught = $_
        }
        $caught | Should -Not -BeNullOrEmpty -Because 'fail-fast ends with a terminating error'
        $caught.FullyQualifiedErrorId | Should -BeLike 'E-2001*'
        $job = Get-BatchJob -Newest 1
        $caught.ErrorDetails.RecommendedAction | Should -BeLike "*Resume-BatchShipment -JobId $($job.JobId)*"
        $rowError = $errors | Where-Object { $_.FullyQualifiedErrorId -like 'E-2001*' } | Select-Object -First 1
        $rowError.ToString() | Should -BeLike "*job $($job.JobId)*row 2*"
        $rowError.ErrorDetails.RecommendedAction | Should -Not -BeNullOrEmpty
        $rowError.CategoryInfo.Category | Should -Be 'InvalidData'
        $job.Status | Should -Be 'Failed'
        (Get-Ledger).Count | Should -Be 1

        $lines = Invoke-ChildPwsh "Import-Module '$ModulePath'; Resume-BatchShipment -JobId $($job.JobId) -Force | ForEach-Object { `$_.RowNumber }"
        $LASTEXITCODE | Should -Be 0
        $lines | Should -Be '3'
        (Get-Ledger).Count | Should -Be 2
        (Get-BatchJob -JobId $job.JobId).Status | Should -Be 'CompletedWithErrors'
    }

    It 'makes a scheduled script (pwsh -File, ErrorActionPreference Stop) exit non-zero when fail-fast stops the batch' {
        $script = Join-Path $TestDrive 'nightly.ps1'
        @"
`$ErrorActionPreference = 'Stop'
Import-Module '$ModulePath'
[pscustomobject]@{ RecipientName = 'X'; Address1 = '1 Market St'; City = 'San Francisco'; State = 'CA'; PostalCode = '10012'; WeightLb = '1'; Reference = 'N-1' } |
    Start-BatchShipment -Template ups-ground -Shipper '$ShipperFile' -Force
'after the batch'
"@ | Set-Content $script
        $exe = [Environment]::ProcessPath
        [string[]] $prefix = if ([IO.Path]::GetFileNameWithoutExtension($exe) -eq 'dotnet') { @(Join-Path $PSHOME 'pwsh.dll') } else { @() }
        $output = & $exe @prefix -NoProfile -NonInteractive -File $script 2>&1
        $LASTEXITCODE | Should -Not -Be 0
        ($output -join "`n") | Should -Match 'Resume-BatchShipment -JobId'
        $output | Should -Not -Contain 'after the batch'
    }

    It 'under -ErrorPolicy Continue a refused row never ends the statement, even with ErrorActionPreference Stop inherited' {
        $script = Join-Path $TestDrive 'continue.ps1'
        @"
`$ErrorActionPreference = 'Stop'
Import-Module '$ModulePath'
`$results = @(
    [pscustomobject]@{ RecipientName = 'A'; Address1 = '1 Market St'; City = 'San Francisco'; State = 'CA'; PostalCode = '94105'; WeightLb = '1'; Reference = 'EC-1' }
    [pscustomobject]@{ RecipientName = 'B'; Address1 = '1 Market St'; City = 'San Francisco'; State = 'CA'; PostalCode = '10012'; WeightLb = '1'; Reference = 'EC-2' }
    [pscustomobject]@{ RecipientName = 'C'; Address1 = '1 Market St'; City = 'San Francisco'; State = 'CA'; PostalCode = '94105'; WeightLb = '1'; Reference = 'EC-3' }
) | Start-BatchShipment -Template ups-ground -Shipper '$ShipperFile' -ThrottleLimit 1 -ErrorPolicy Continue -Force -WarningVariable warned -WarningAction SilentlyContinue
'after the batch: ' + ((`$results | Sort-Object RowNumber | ForEach-Object ShipmentStatus) -join ',')
'warned: ' + (@(`$warned | Where-Object { "`$_" -like '*E-2001*row 2*' }).Count)
'status: ' + (Get-BatchJob -Newest 1).Status
"@ | Set-Content $script
        $exe = [Environment]::ProcessPath
        [string[]] $prefix = if ([IO.Path]::GetFileNameWithoutExtension($exe) -eq 'dotnet') { @(Join-Path $PSHOME 'pwsh.dll') } else { @() }
        $output = & $exe @prefix -NoProfile -NonInteractive -File $script 2>&1
        $LASTEXITCODE | Should -Be 0 -Because ($output -join "`n")
        $output | Should -Contain 'after the batch: Completed,Failed,Completed'
        $output | Should -Contain 'warned: 1'
        $output | Should -Contain 'status: CompletedWithErrors'
        (Get-Ledger).Count | Should -Be 2
    }

    It '-WhatIf renders and checks every row, reports problems, and creates no job, label or shipment' {
        $errors = $null
        $orders = @((New-Order 'WI-1'), [pscustomobject]@{ RecipientName = 'No address'; City = 'Boston'; WeightLb = '1' })
        $orders | Start-BatchShipment -Template ups-ground -Shipper $Shipper -WhatIf -ErrorVariable errors -ErrorAction SilentlyContinue
        $errors.Count | Should -Be 1
        $errors[0].FullyQualifiedErrorId | Should -BeLike 'E-1001*'
        $errors[0].ToString() | Should -BeLike '*row 2*'
        @(Get-BatchJob).Count | Should -Be 0
        Test-Path $env:BATCHSHIP_SANDBOX_LEDGER | Should -BeFalse
        Test-Path (Join-Path $TestDrive 'labels') | Should -BeFalse
    }

    It 'refuses a shipper with a missing key before staging anything' {
        $bad = $Shipper.Clone(); $bad.Remove('ShipperNumber')
        { New-Order 'SH-1' | Start-BatchShipment -Template ups-ground -Shipper $bad -Force -ErrorAction Stop } |
            Should -Throw -ErrorId 'E-2007*' -ExpectedMessage '*ShipperNumber*'
        @(Get-BatchJob).Count | Should -Be 0
    }

    It 'reads -Path CSV files with a BOM and a shipper from a JSON file' {
        $csv = Join-Path $TestDrive 'bom.csv'
        $shipperFile = Join-Path $TestDrive 'shipper.json'
        $Shipper | ConvertTo-Json | Set-Content $shipperFile
        $text = "RecipientName,Address1,City,State,PostalCode,WeightLb,Reference`r`nAnn,""1 Market St, Floor 2"",San Francisco,CA,94105,2,P-1`r`n"
        [IO.File]::WriteAllText($csv, $text, [Text.UTF8Encoding]::new($true))
        $result = Start-BatchShipment -Path $csv -Template ups-ground -Shipper $shipperFile -Force
        $result.ShipmentStatus | Should -Be 'Completed'
        $result.PSObject.Properties.Name[0] | Should -Be 'RecipientName' -Because 'the BOM is not part of the first column name'
        $result.Address1 | Should -Be '1 Market St, Floor 2'
    }

    It 'reads numbers the same in a de-DE session' {
        $lines = Invoke-ChildPwsh @"
[cultureinfo]::CurrentCulture = 'de-DE'
Import-Module '$ModulePath'
`$r = @{ RecipientName = 'X'; Address1 = '1 Market St'; City = 'San Francisco'; State = 'CA'; PostalCode = '94105'; WeightLb = [double] 2.5; Reference = 'DE-1' } |
    Start-BatchShipment -Template ups-ground -Shipper '$ShipperFile' -Force
`$r.ShipmentStatus
`$r.WeightLb
"@
        $LASTEXITCODE | Should -Be 0
        $lines | Should -Be @('Completed', '2.5')
    }

    It 'marks an order that another job shipped as AlreadyShipped, and -AllowDuplicate ships it deliberately' {
        New-Order 'AS-1' | Start-BatchShipment -Template ups-ground -Shipper $Shipper -Force | Out-Null
        $again = @((New-Order 'AS-1'), (New-Order 'AS-2')) | Start-BatchShipment -Template ups-ground -Shipper $Shipper -Force -WarningAction SilentlyContinue
        ($again | Where-Object Reference -eq 'AS-1').ShipmentStatus | Should -Be 'AlreadyShipped'
        ($again | Where-Object Reference -eq 'AS-2').ShipmentStatus | Should -Be 'Completed'
        (Get-Ledger).Count | Should -Be 2
        $dup = New-Order 'AS-1' | Start-BatchShipment -Template ups-ground -Shipper $Shipper -Force -AllowDuplicate
        $dup.ShipmentStatus | Should -Be 'Completed'
        (Get-Ledger).Count | Should -Be 3
    }
}

Describe 'Resume-BatchShipment -RetryFailed' {
    BeforeEach {
        $testHome = Use-TestStore
    }

    It 'puts failed rows back and ships them' {
        $env:BATCHSHIP_SANDBOX_FAULTS = 'fail_codes=120802:1'
        { @((New-Order 'RF-1'), (New-Order 'RF-2')) | Start-BatchShipment -Template ups-ground -Shipper $Shipper -ThrottleLimit 1 -Force -ErrorAction SilentlyContinue } |
            Should -Throw -ErrorId 'E-3003*'
        $job = Get-BatchJob -Newest 1
        $job.Failed | Should -Be 1
        $job.Pending | Should -Be 1
        Remove-Item Env:BATCHSHIP_SANDBOX_FAULTS

        $results = Get-BatchJob -JobId $job.JobId | Resume-BatchShipment -RetryFailed -Force
        @($results).Count | Should -Be 2
        (Get-BatchJob -JobId $job.JobId).Status | Should -Be 'Completed'
        (Get-Ledger).Count | Should -Be 2
    }
}

Describe 'Stop-BatchShipment' {
    BeforeEach {
        $testHome = Use-TestStore
    }

    It 'stops a job running in another process after its rows in flight' {
        $env:BATCHSHIP_SANDBOX_FAULTS = 'latency=200ms'
        $started = Start-BackgroundRunner -Prefix 'SP'
        $runner, $job = $started.Process, $started.Job
        try {
            $job.Status | Should -Be 'Running'
            Stop-BatchShipment -JobId $job.JobId -Confirm:$false
            $runner.WaitForExit(120000) | Should -BeTrue
        }
        finally {
            if (-not $runner.HasExited) { $runner.Kill($true) }
        }
        $after = Get-BatchJob -JobId $job.JobId
        $after.Status | Should -Be 'Stopped'
        $after.Pending | Should -BeGreaterThan 0
        $after.InFlight | Should -Be 0
        (Get-Ledger).Count | Should -Be $after.Completed
    }
}

Describe 'A runner frozen past its lease' {
    BeforeEach {
        $testHome = Use-TestStore
    }
    AfterEach {
        Remove-Item Env:BATCHSHIP_LEASE_SECONDS -ErrorAction SilentlyContinue
    }

    It 'warns with E-4009 when it wakes up to find its job taken over, sends nothing more, and every order ships once' -Skip:$IsWindows {
        # Slow creates: the runner spends nearly all its time waiting for the carrier, so it is mostly frozen there.
        $env:BATCHSHIP_SANDBOX_FAULTS = 'latency=2s'
        # The runner is a station on another host, so a heartbeat older than two seconds counts as its death.
        $env:BATCHSHIP_LEASE_SECONDS = '2'
        $started = Start-BackgroundRunner -Prefix 'FZ' -Count 6 -CaptureOutput -Environment @{ BATCHSHIP_MACHINE_NAME = 'frozen-station' }
        $runner, $job = $started.Process, $started.Job
        try {
            Suspend-OutsideCommit $runner
            # Past its lease (2 s) before the resume looks, so the resume takes the job over instead of joining it.
            Start-Sleep -Seconds 3
            $resume = Start-ThreadJob { param($module, $id) Import-Module $module; Resume-BatchShipment -JobId $id -Force -ErrorAction Stop } -ArgumentList $ModulePath, $job.JobId
            # Thawed once the takeover is in the store, not on a clock: thawed before it, the runner would renew its
            # lease and simply go on. A minute at most, so that a failure ends.
            $deadline = [DateTime]::UtcNow.AddMinutes(1)
            do {
                Start-Sleep -Milliseconds 200
                $seen = Get-BatchJob -JobId $job.JobId
            } until (($seen.Owner -and $seen.Owner -notmatch 'frozen-station') -or $seen.Status -eq 'Completed' -or [DateTime]::UtcNow -gt $deadline)
            & kill -CONT $runner.Id
            $resumed = $resume | Receive-Job -Wait
            $resume.State | Should -Be 'Completed'
            $resume | Remove-Job
            $runner.WaitForExit(120000) | Should -BeTrue
        }
        finally {
            & kill -CONT $runner.Id 2>$null
            if (-not $runner.HasExited) { $runner.Kill($true) }
        }

        $said = $started.Said()
        $said | Should -Match 'E-4009' -Because 'a runner that lost its job must not read as a success'
        $said | Should -Match "Get-BatchJob -JobId $($job.JobId)"
        (Get-BatchJob -JobId $job.JobId).Status | Should -Be 'Completed'
        @($resumed).Count | Should -BeGreaterThan 0
        Assert-ShippedOnceEach 6
    }
}

Describe 'A runner that stops on an error of its own while another runner of its job goes on' {
    BeforeEach {
        $testHome = Use-TestStore
    }

    It 'fails its command with that error, although the job still reads Running, so a scheduled task sees it' {
        # Another station ships the job slowly; this one joins it with a carrier account that refuses to sign in.
        $env:BATCHSHIP_SANDBOX_FAULTS = 'latency=1s'
        $started = Start-BackgroundRunner -Prefix 'OWN' -Count 12 -CaptureOutput -Environment @{ BATCHSHIP_MACHINE_NAME = 'station-b' }
        $runner, $job = $started.Process, $started.Job
        try {
            $env:BATCHSHIP_SANDBOX_FAULTS = 'auth_fail=1'
            $failure = $null
            try { Resume-BatchShipment -JobId $job.JobId -Force -ErrorAction Stop | Out-Null } catch { $failure = $_ }
            $runner.WaitForExit(120000) | Should -BeTrue
        }
        finally {
            if (-not $runner.HasExited) { $runner.Kill($true) }
        }

        $failure | Should -Not -BeNullOrEmpty -Because 'a runner that stopped on its own error must not read as a success'
        $failure.FullyQualifiedErrorId | Should -BeLike 'E-5001*'
        $failure.Exception.Message | Should -Match "This runner of job $($job.JobId) stopped"
        # The other station stopped at its next row and, being the last runner, ended the job with that error.
        $after = Get-BatchJob -JobId $job.JobId
        $after.Status | Should -Be 'Failed'
        $after.LastErrorCode | Should -Be 'E-5001'
        $started.Said() | Should -Match 'E-5001'
        Assert-ShippedOnceEach $after.Completed
    }
}

Describe 'Get-BatchJob and Get-BatchShipment' {
    BeforeEach {
        $testHome = Use-TestStore
    }

    It 'shows the job with counts and cost, and the rows in the same shape Start writes' {
        $started = @((New-Order 'GB-1'), (New-Order 'GB-2')) | Start-BatchShipment -Template ups-ground -Shipper $Shipper -Name 'nightly run' -Force
        $job = Get-BatchJob -Name 'nightly*'
        $job.PSObject.TypeNames[0] | Should -Be 'BatchShip.Job'
        $job.Status | Should -Be 'Completed'
        $job.Completed | Should -Be 2
        $job.TotalCost | Should -Be (($started | Measure-Object Cost -Sum).Sum)
        $rows = Get-BatchShipment -JobId $job.JobId
        $rows[0].PSObject.TypeNames[0] | Should -Be 'BatchShip.ShipmentResult'
        ($rows[0].PSObject.Properties.Name -join ',') | Should -Be (($started | Sort-Object RowNumber)[0].PSObject.Properties.Name -join ',')
        @(Get-BatchShipment -JobId $job.JobId -RowNumber 2).Reference | Should -Be 'GB-2'
        @(Get-BatchShipment -JobId $job.JobId -Status Failed).Count | Should -Be 0
        @(Get-BatchJob -Status Failed).Count | Should -Be 0
    }

    It 'completes job ids for -JobId, most recent first' {
        New-Order 'TC-1' | Start-BatchShipment -Template ups-ground -Shipper $Shipper -Force | Out-Null
        $job = Get-BatchJob -Newest 1
        $line = 'Resume-BatchShipment -JobId '
        $completion = TabExpansion2 -inputScript $line -cursorColumn $line.Length
        $completion.CompletionMatches.CompletionText | Should -Contain $job.JobId
        $template = 'Start-BatchShipment -Template ups-'
        (TabExpansion2 -inputScript $template -cursorColumn $template.Length).CompletionMatches.CompletionText | Should -Contain 'ups-ground'
    }
}
