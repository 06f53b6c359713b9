# The administrator's side of the store: removing jobs (one by one, from the pipeline, or by age), cancelling them,
# and finding the ones a Resume can continue, through the built module as a scheduled script uses it.

BeforeAll {
    . (Join-Path $PSScriptRoot 'TestSupport.ps1')
    Import-Module $ModulePath -Force

    function New-FailedJob {
        # A fail-fast job: row 1 shipped, row 2 failed (E-2001, a ZIP code of another state), row 3 left Pending.
        param([string] $Prefix)
        $orders = @((New-Order "$Prefix-1"), (New-Order "$Prefix-2" -Zip '10012'), (New-Order "$Prefix-3"))
        try { $orders | Start-BatchShipment -Template ups-ground -Shipper $Shipper -ThrottleLimit 1 -Force -ErrorAction SilentlyContinue | Out-Null }
        catch { }
        Get-BatchJob -Newest 1
    }
}

AfterAll {
    Remove-Module BatchShip -ErrorAction SilentlyContinue
}

Describe 'Remove-BatchJob' {
    BeforeEach {
        $testHome = Use-TestStore
    }

    It 'removes the Failed jobs Get-BatchJob pipes to it, one object per job, and the nightly Resume no longer stops at them' {
        $failed = New-FailedJob 'RM'
        $failed.Status | Should -Be 'Failed'
        $removed = @(Get-BatchJob -Status Failed | Remove-BatchJob -Confirm:$false)
        $removed.Count | Should -Be 1
        $removed[0].PSObject.TypeNames[0] | Should -Be 'BatchShip.RemovedJob'
        $removed[0].JobId | Should -Be $failed.JobId
        $removed[0].Status | Should -Be 'Failed'
        $removed[0].Completed | Should -Be 1
        $removed[0].TotalCost | Should -Be $failed.TotalCost
        @(Get-BatchJob).Count | Should -Be 0
        Get-BatchJob -JobId $failed.JobId -ErrorAction SilentlyContinue -ErrorVariable missing
        $missing[0].FullyQualifiedErrorId | Should -BeLike 'E-4006*'
    }

    It 'keeps the already-shipped protection: the same file run again after the removal ships nothing twice' {
        $first = @((New-Order 'KP-1'), (New-Order 'KP-2')) | Start-BatchShipment -Template ups-ground -Shipper $Shipper -Force
        $first.ShipmentStatus | Should -Be @('Completed', 'Completed')
        Get-BatchJob | Remove-BatchJob -Confirm:$false | Out-Null
        @(Get-BatchJob).Count | Should -Be 0

        $preview = @((New-Order 'KP-1'), (New-Order 'KP-3')) | Start-BatchShipment -Template ups-ground -Shipper $Shipper -WhatIf -WarningVariable whatIfWarnings -WarningAction SilentlyContinue
        ($whatIfWarnings -join "`n") | Should -Match 'Row 1 would be skipped'
        $again = @((New-Order 'KP-1'), (New-Order 'KP-3')) | Start-BatchShipment -Template ups-ground -Shipper $Shipper -Force -WarningAction SilentlyContinue
        ($again | Where-Object Reference -eq 'KP-1').ShipmentStatus | Should -Be 'AlreadyShipped'
        ($again | Where-Object Reference -eq 'KP-1').TrackingNumber | Should -Be ($first | Where-Object Reference -eq 'KP-1').TrackingNumber
        ($again | Where-Object Reference -eq 'KP-3').ShipmentStatus | Should -Be 'Completed'
        (Get-Ledger).Count | Should -Be 3
    }

    It '-WhatIf removes nothing, and a declined job stays' {
        New-Order 'WI-1' | Start-BatchShipment -Template ups-ground -Shipper $Shipper -Force | Out-Null
        $job = Get-BatchJob -Newest 1
        $out = Remove-BatchJob -JobId $job.JobId -WhatIf
        $out | Should -BeNullOrEmpty
        (Get-BatchJob -JobId $job.JobId).Status | Should -Be 'Completed'
    }

    It 'refuses a job with rows that need review unless -Force, as a non-terminating error per job' {
        $env:BATCHSHIP_SANDBOX_FAULTS = 'error_after_create=1;lookup=off'
        try { New-Order 'NR-1' | Start-BatchShipment -Template ups-ground -Shipper $Shipper -Force -ErrorAction SilentlyContinue -WarningAction SilentlyContinue | Out-Null } catch { }
        Remove-Item Env:BATCHSHIP_SANDBOX_FAULTS
        $review = Get-BatchJob -Newest 1
        $review.NeedsReview | Should -Be 1
        New-Order 'NR-2' | Start-BatchShipment -Template ups-ground -Shipper $Shipper -Force | Out-Null

        $removed = @(Get-BatchJob | Remove-BatchJob -Confirm:$false -ErrorAction SilentlyContinue -ErrorVariable refused)
        $removed.Count | Should -Be 1 -Because 'the settled job is removed, the other is refused without stopping the pipeline'
        $refused.Count | Should -Be 1
        $refused[0].FullyQualifiedErrorId | Should -BeLike 'E-4040*'
        $refused[0].ToString() | Should -Match $review.JobId
        (Get-BatchJob -JobId $review.JobId).NeedsReview | Should -Be 1

        $forced = Remove-BatchJob -JobId $review.JobId -Force
        $forced.JobId | Should -Be $review.JobId
        # The row may have shipped: a new job with its order is not sent again blindly.
        $again = New-Order 'NR-1' | Start-BatchShipment -Template ups-ground -Shipper $Shipper -Force -WarningAction SilentlyContinue
        $again.ShipmentStatus | Should -Be 'AlreadyShipped'
    }

    It 'always refuses a job whose runner is alive (E-4005), even with -Force' {
        $env:BATCHSHIP_SANDBOX_FAULTS = 'latency=300ms'
        $started = Start-BackgroundRunner -Prefix 'LV' -Count 30
        $runner, $job = $started.Process, $started.Job
        try {
            $job.Status | Should -Be 'Running'
            Remove-BatchJob -JobId $job.JobId -Force -ErrorAction SilentlyContinue -ErrorVariable busy | Should -BeNullOrEmpty
            $busy[0].FullyQualifiedErrorId | Should -BeLike 'E-4005*'
            Stop-BatchShipment -JobId $job.JobId -Confirm:$false
            $runner.WaitForExit(120000) | Should -BeTrue
        }
        finally {
            if (-not $runner.HasExited) { $runner.Kill($true) }
        }
        (Get-BatchJob -JobId $job.JobId).Status | Should -Be 'Stopped'
    }

    It '-OlderThan removes only jobs finished longer ago than that, and takes 90d or a TimeSpan' {
        New-Order 'OT-1' | Start-BatchShipment -Template ups-ground -Shipper $Shipper -Force | Out-Null
        Remove-BatchJob -OlderThan 90d -Confirm:$false | Should -BeNullOrEmpty
        Remove-BatchJob -OlderThan ([TimeSpan]::FromHours(1)) -Confirm:$false | Should -BeNullOrEmpty
        @(Get-BatchJob).Count | Should -Be 1
        $removed = @(Remove-BatchJob -OlderThan 0s -Confirm:$false)
        $removed.Count | Should -Be 1
        @(Get-BatchJob).Count | Should -Be 0
        { Remove-BatchJob -OlderThan 'ninety days' -Confirm:$false } | Should -Throw
    }
}

Describe 'A job cut short while its rows were being staged' {
    BeforeEach {
        $testHome = Use-TestStore
    }

    It 'is removed by Remove-BatchJob without -Force, and nothing of it ever ships' {
        $csv = Join-Path $TestDrive 'half.csv'
        1..5 | ForEach-Object { New-Order "HS-$_" } | Export-Csv $csv -NoTypeInformation
        $crashAt = 'during-staging:3'
        # A crash point fires only when armed with the first 16 hex digits of the SHA-256 of its value.
        $arm = [Convert]::ToHexString([Security.Cryptography.SHA256]::HashData([Text.Encoding]::UTF8.GetBytes($crashAt))).Substring(0, 16).ToLowerInvariant()
        $env:BATCHSHIP_CRASH_AT = $crashAt
        $env:BATCHSHIP_CRASH_ARM = $arm
        try {
            Invoke-ChildPwsh "Import-Module '$ModulePath'; Import-Csv '$csv' | Start-BatchShipment -Template ups-ground -Shipper '$ShipperFile' -Force | Out-Null" | Out-Null
            $LASTEXITCODE | Should -Be 137
        }
        finally {
            Remove-Item Env:BATCHSHIP_CRASH_AT, Env:BATCHSHIP_CRASH_ARM -ErrorAction SilentlyContinue
        }
        $half = Get-BatchJob -Newest 1
        $half.Status | Should -Be 'Created'

        $removed = Get-BatchJob -Status Created | Remove-BatchJob -Confirm:$false
        $removed.JobId | Should -Be $half.JobId
        $removed.KeptOrders | Should -Be 0
        @(Get-BatchJob).Count | Should -Be 0
        (Import-Csv $csv | Start-BatchShipment -Template ups-ground -Shipper $Shipper -Force).ShipmentStatus | Should -Be (@('Completed') * 5)
        (Get-Ledger).Count | Should -Be 5
    }
}

Describe 'Stop-BatchShipment -Cancel' {
    BeforeEach {
        $testHome = Use-TestStore
    }

    It 'cancels a Failed job at once: its Pending rows are Skipped, never shipped, and Resume refuses it with E-4004' {
        $failed = New-FailedJob 'CX'
        $failed.Pending | Should -Be 1
        Stop-BatchShipment -JobId $failed.JobId -Cancel -Confirm:$false
        $job = Get-BatchJob -JobId $failed.JobId
        $job.Status | Should -Be 'Cancelled'
        $job.Pending | Should -Be 0
        $job.Skipped | Should -Be 1
        $job.Completed | Should -Be 1
        @(Get-BatchJob -Status Cancelled).JobId | Should -Be $failed.JobId
        (Get-BatchShipment -JobId $failed.JobId -Status Skipped).ErrorMessage | Should -Match 'Cancelled'

        $refused = @()
        try { Resume-BatchShipment -JobId $failed.JobId -Force -ErrorAction Stop | Out-Null } catch { $refused = @($_) }
        $refused[0].FullyQualifiedErrorId | Should -BeLike 'E-4004*'
        $refused[0].ToString() | Should -Match 'cancelled'
        (Get-Ledger).Count | Should -Be 1
        (Get-BatchJob -JobId $failed.JobId).Status | Should -Be 'Cancelled'
    }

    It 'refuses a job with a row that needs review (E-4040) and leaves it as it was' {
        $env:BATCHSHIP_SANDBOX_FAULTS = 'error_after_create=1;lookup=off'
        try { @((New-Order 'CR-1'), (New-Order 'CR-2')) | Start-BatchShipment -Template ups-ground -Shipper $Shipper -ThrottleLimit 1 -Force -ErrorAction SilentlyContinue -WarningAction SilentlyContinue | Out-Null } catch { }
        Remove-Item Env:BATCHSHIP_SANDBOX_FAULTS
        $job = Get-BatchJob -Newest 1
        $job.NeedsReview | Should -BeGreaterThan 0
        Stop-BatchShipment -JobId $job.JobId -Cancel -Confirm:$false -ErrorAction SilentlyContinue -ErrorVariable refused
        $refused[0].FullyQualifiedErrorId | Should -BeLike 'E-4040*'
        (Get-BatchJob -JobId $job.JobId).Status | Should -Be $job.Status
    }

    It 'stops a running job after its rows in flight, and the run ends Cancelled with the rest Skipped' {
        $env:BATCHSHIP_SANDBOX_FAULTS = 'latency=200ms'
        $started = Start-BackgroundRunner -Prefix 'CN'
        $runner, $job = $started.Process, $started.Job
        try {
            $job.Status | Should -Be 'Running'
            Stop-BatchShipment -JobId $job.JobId -Cancel -Confirm:$false
            $runner.WaitForExit(120000) | Should -BeTrue
        }
        finally {
            if (-not $runner.HasExited) { $runner.Kill($true) }
        }
        $after = Get-BatchJob -JobId $job.JobId
        $after.Status | Should -Be 'Cancelled'
        $after.Pending | Should -Be 0
        $after.InFlight | Should -Be 0
        $after.Skipped | Should -BeGreaterThan 0
        ($after.Completed + $after.Skipped) | Should -Be 40
        (Get-Ledger).Count | Should -Be $after.Completed
    }
}

Describe 'Errors about one job of a piped list' {
    BeforeEach {
        $testHome = Use-TestStore
    }

    It 'Resume-BatchShipment on a Completed job is a non-terminating E-4004, and the next job is still resumed' {
        $failed = New-FailedJob 'PL'
        New-Order 'PL-9' | Start-BatchShipment -Template ups-ground -Shipper $Shipper -Force | Out-Null
        $completed = Get-BatchJob -Newest 1
        $completed.Status | Should -Be 'Completed'

        $results = @(Get-BatchJob | Resume-BatchShipment -Force -ErrorAction SilentlyContinue -ErrorVariable refused)
        $refused.Count | Should -Be 1
        $refused[0].FullyQualifiedErrorId | Should -BeLike 'E-4004*'
        $refused[0].ToString() | Should -Match $completed.JobId
        $results.RowNumber | Should -Be 3 -Because 'the Failed job after it in the pipeline was resumed'
        (Get-BatchJob -JobId $failed.JobId).Status | Should -Be 'CompletedWithErrors'
    }

    It 'Stop-BatchShipment on a finished job is a non-terminating E-4004, as its help says' {
        New-Order 'SF-1' | Start-BatchShipment -Template ups-ground -Shipper $Shipper -Force | Out-Null
        $job = Get-BatchJob -Newest 1
        Stop-BatchShipment -JobId $job.JobId -Confirm:$false -ErrorAction SilentlyContinue -ErrorVariable refused
        $refused.Count | Should -Be 1
        $refused[0].FullyQualifiedErrorId | Should -BeLike 'E-4004*'
        (Get-BatchJob -JobId $job.JobId).Status | Should -Be 'Completed'
    }
}

Describe 'Get-BatchJob -Resumable' {
    BeforeEach {
        $testHome = Use-TestStore
    }

    It 'lists the jobs a Resume continues, so the nightly recipe runs night after night' {
        $failed = New-FailedJob 'NA'
        $cancelled = New-FailedJob 'NB'
        Stop-BatchShipment -JobId $cancelled.JobId -Cancel -Confirm:$false
        New-Order 'NC-1' | Start-BatchShipment -Template ups-ground -Shipper $Shipper -Force | Out-Null

        @(Get-BatchJob -Resumable).JobId | Should -Be @($failed.JobId)
        $night = {
            Invoke-ChildPwsh "`$ErrorActionPreference = 'Stop'; Import-Module '$ModulePath'; Get-BatchJob -Resumable | Resume-BatchShipment -Force | Out-Null; 'night done'"
        }
        $first = & $night
        $LASTEXITCODE | Should -Be 0 -Because ($first | Out-String)
        (Get-BatchJob -JobId $failed.JobId).Status | Should -Be 'CompletedWithErrors'
        @(Get-BatchJob -Resumable) | Should -BeNullOrEmpty -Because 'a job whose rows were refused needs a person (-RetryFailed), not every night'
        $second = & $night
        $LASTEXITCODE | Should -Be 0 -Because ($second | Out-String)
        $second | Should -Contain 'night done'
    }
}
