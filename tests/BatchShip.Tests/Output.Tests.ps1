BeforeAll {
    . (Join-Path $PSScriptRoot 'TestSupport.ps1')
    Import-Module $ModulePath -Force
}

AfterAll {
    Remove-Module BatchShip -ErrorAction SilentlyContinue
}

Describe 'Default views in an 80-column console' {
    BeforeEach {
        $testHome = Use-TestStore
    }

    It 'shows jobs and results within 80 columns, with the reference, the whole name, tracking number and cost' {
        $results = @((New-Order 'ORD-80-1'), (New-Order 'ORD-80-2')) |
            Start-BatchShipment -Template ups-ground -Shipper $Shipper -Name 'Tuesday web orders' -Force
        $jobText = Get-BatchJob | Format-Table | Out-String -Width 80
        $resultText = $results | Format-Table | Out-String -Width 80
        foreach ($line in ($jobText + $resultText) -split "`r?`n") { $line.Length | Should -BeLessOrEqual 80 -Because $line }

        # A long name wraps inside its column rather than being cut: the column, read down, is the whole name.
        $job = Get-BatchJob -Newest 1
        $lines = $jobText -split "`r?`n"
        $first = [array]::FindIndex($lines, [Predicate[string]] { param($l) $l.StartsWith($job.JobId) })
        $name = ''
        for ($i = $first; $i -lt $lines.Count -and ($i -eq $first -or $lines[$i].StartsWith(' ' * 9)) -and $lines[$i].Trim(); $i++) {
            $name += $lines[$i].Substring(9, [Math]::Min(16, $lines[$i].Length - 9)).TrimEnd()
        }
        $name | Should -Be 'Tuesday web orders'
        $cost = ([decimal] $job.TotalCost).ToString('N2', [cultureinfo]::CurrentCulture)
        $jobText | Should -Match ([regex]::Escape("$cost USD"))

        $resultText | Should -Match '\bReference\b'
        foreach ($r in $results) {
            $resultText | Should -Match ([regex]::Escape($r.Reference))
            $resultText | Should -Match ([regex]::Escape($r.TrackingNumber))
            $resultText | Should -Match ([regex]::Escape(([decimal] $r.Cost).ToString('N2', [cultureinfo]::CurrentCulture) + ' USD'))
        }
    }
}

Describe 'Times' {
    BeforeEach {
        $testHome = Use-TestStore
    }

    It 'are instants with their offset, so comparing with Get-Date works in any time zone' {
        $saved = $env:TZ
        try {
            $env:TZ = 'Asia/Tokyo'
            $out = Invoke-ChildPwsh -Command @"
Import-Module '$ModulePath'
`$shipper = Get-Content '$ShipperFile' -Raw | ConvertFrom-Json -AsHashtable
[pscustomobject]@{ RecipientName = 'X'; Address1 = '1 Market St'; City = 'San Francisco'; State = 'CA'; PostalCode = '94105'; WeightLb = '1'; Reference = 'TZ-1' } |
    Start-BatchShipment -Template ups-ground -Shipper `$shipper -Force | Out-Null
`$job = Get-BatchJob -Newest 1
'type=' + `$job.CreatedAt.GetType().Name
'offset=' + `$job.CreatedAt.Offset.TotalHours
'recent=' + (`$job.CreatedAt -gt (Get-Date).AddHours(-1))
'finished=' + (`$job.FinishedAt -gt (Get-Date).AddHours(-1))
'notfuture=' + (`$job.CreatedAt -lt (Get-Date).AddMinutes(5))
`$removed = Remove-BatchJob -JobId `$job.JobId -Force
'removed=' + (`$removed.RemovedAt -gt (Get-Date).AddHours(-1)) + ',' + `$removed.RemovedAt.GetType().Name
"@ 2>&1
        }
        finally {
            $env:TZ = $saved
        }
        $out | Should -Contain 'type=DateTimeOffset'
        $out | Should -Contain 'offset=9'
        $out | Should -Contain 'recent=True'
        $out | Should -Contain 'finished=True'
        $out | Should -Contain 'notfuture=True'
        $out | Should -Contain 'removed=True,DateTimeOffset'
    }
}

Describe 'Tab completion' {
    BeforeEach {
        $testHome = Use-TestStore
    }

    It 'completes job ids on every -JobId parameter' {
        New-Order 'TC-2' | Start-BatchShipment -Template ups-ground -Shipper $Shipper -Force | Out-Null
        $job = Get-BatchJob -Newest 1
        $commands = Get-Command -Module BatchShip | Where-Object { $_.Parameters.ContainsKey('JobId') }
        $commands.Name | Should -Contain 'Get-BatchJob'
        foreach ($c in $commands) {
            $line = "$($c.Name) -JobId $($job.JobId.Substring(0, 3))"
            (TabExpansion2 -inputScript $line -cursorColumn $line.Length).CompletionMatches.CompletionText |
                Should -Contain $job.JobId -Because $c.Name
        }
    }

    It 'completes template files and folders for a -Template that looks like a path, and the built-in names' {
        $folder = Join-Path $TestDrive 'tpl'
        New-Item -ItemType Directory (Join-Path $folder 'more') | Out-Null
        Set-Content (Join-Path $folder 'custom.sbn') 'x'
        Set-Content (Join-Path $folder 'notes.txt') 'x'
        Push-Location $TestDrive
        try {
            $line = 'Start-BatchShipment -Template ./tpl/'
            $texts = (TabExpansion2 -inputScript $line -cursorColumn $line.Length).CompletionMatches.CompletionText
            ($texts | Where-Object { $_ -like '*custom.sbn' }) | Should -Not -BeNullOrEmpty
            ($texts | Where-Object { $_ -like '*more*' }) | Should -Not -BeNullOrEmpty
            ($texts | Where-Object { $_ -like '*notes.txt' }) | Should -BeNullOrEmpty
            $line = 'Start-BatchShipment -Template '
            $texts = (TabExpansion2 -inputScript $line -cursorColumn $line.Length).CompletionMatches.CompletionText
            $texts | Should -Contain 'ups-ground'
        }
        finally {
            Pop-Location
        }
    }
}

Describe 'A file run twice' {
    BeforeEach {
        $testHome = Use-TestStore
    }

    It 'gives AlreadyShipped rows the earlier shipment, warns once per run, and hands the job summary to -InformationVariable' {
        $first = @((New-Order 'RR-1'), (New-Order 'RR-2')) | Start-BatchShipment -Template ups-ground -Shipper $Shipper -Force
        $second = @((New-Order 'RR-1'), (New-Order 'RR-2'), (New-Order 'RR-3')) |
            Start-BatchShipment -Template ups-ground -Shipper $Shipper -Force -WarningVariable warned -InformationVariable run -WarningAction SilentlyContinue -InformationAction SilentlyContinue

        $again = @($second | Where-Object ShipmentStatus -eq 'AlreadyShipped' | Sort-Object Reference)
        $again.Count | Should -Be 2
        foreach ($r in $again) {
            $earlier = $first | Where-Object Reference -eq $r.Reference
            $r.ShipmentId | Should -Be $earlier.ShipmentId
            $r.TrackingNumber | Should -Be $earlier.TrackingNumber
            $r.Cost | Should -Be $earlier.Cost
            $r.Currency | Should -Be $earlier.Currency
            $r.LabelPath | Should -Be $earlier.LabelPath
        }
        @($warned).Count | Should -Be 1
        "$($warned[0])" | Should -Match '^2 order\(s\) were already shipped by earlier jobs'

        $job = $run[-1].MessageData
        $job.PSObject.TypeNames[0] | Should -Be 'BatchShip.Job'
        $job.JobId | Should -Be $second[0].JobId
        $job.Completed | Should -Be 1
        $job.AlreadyShipped | Should -Be 2
        # The shipped order's cost only: the earlier shipments are not paid again.
        $job.TotalCost | Should -Be ($second | Where-Object ShipmentStatus -eq 'Completed').Cost
        "$($run[-1])" | Should -Match "^Job $($job.JobId) Completed: 1 completed"
    }
}

Describe 'Get-BatchShipment -Reference' {
    BeforeEach {
        $testHome = Use-TestStore
    }

    It 'finds an order across jobs, with wildcards and without case, and says so when an order is unknown' {
        $a = @((New-Order 'ORD-1001'), (New-Order 'ORD-1002')) | Start-BatchShipment -Template ups-ground -Shipper $Shipper -Force
        $b = @((New-Order 'ORD-2001'), (New-Order 'ord-1001')) | Start-BatchShipment -Template ups-ground -Shipper $Shipper -Force -WarningAction SilentlyContinue

        $found = @(Get-BatchShipment -Reference ORD-1001)
        $found.Count | Should -Be 2
        $found[0].JobId | Should -Be $a[0].JobId
        $found[0].ShipmentStatus | Should -Be 'Completed'
        $found[1].JobId | Should -Be $b[0].JobId
        $found[1].ShipmentStatus | Should -Be 'AlreadyShipped'
        $found[1].TrackingNumber | Should -Be $found[0].TrackingNumber

        @(Get-BatchShipment -Reference 'ord-10*' -Status Completed).Reference | Sort-Object | Should -Be @('ORD-1001', 'ORD-1002')
        @(Get-BatchShipment -Reference 'ORD-?001' -JobId $b[0].JobId).Reference | Sort-Object | Should -Be @('ord-1001', 'ORD-2001')
        @(Get-BatchShipment -Reference 'ORD-9*').Count | Should -Be 0

        $none = Get-BatchShipment -Reference 'ORD-9999' -ErrorVariable missing -ErrorAction SilentlyContinue
        $none | Should -BeNullOrEmpty
        $missing[0].FullyQualifiedErrorId | Should -BeLike 'E-4016*'
        $missing[0].ToString() | Should -BeLike "*ORD-9999*"
    }
}

Describe 'Checking a file before shipping it' {
    BeforeEach {
        $testHome = Use-TestStore
    }

    It '-WhatIf refuses a ZIP code of another state, counts the rows that would ship apart from those already shipped, and buys nothing' {
        New-Order 'WI-OLD' | Start-BatchShipment -Template ups-ground -Shipper $Shipper -Force | Out-Null
        $out = Invoke-ChildPwsh -Command @"
Import-Module '$ModulePath'
`$shipper = Get-Content '$ShipperFile' -Raw | ConvertFrom-Json -AsHashtable
function Order(`$ref, `$zip = '94105') { [pscustomobject]@{ RecipientName = 'X'; Address1 = '1 Market St'; City = 'San Francisco'; State = 'CA'; PostalCode = `$zip; WeightLb = '1'; Reference = `$ref } }
(Order 'WI-OLD'), (Order 'WI-NEW'), (Order 'WI-BAD' '10012') |
    Start-BatchShipment -Template ups-ground -Shipper `$shipper -WhatIf -ErrorVariable problems -ErrorAction SilentlyContinue -WarningAction SilentlyContinue
'codes=' + (`$problems.FullyQualifiedErrorId -join ',')
'message=' + `$problems[0].ToString()
"@
        $LASTEXITCODE | Should -Be 0
        $whatIf = @($out | Where-Object { "$_" -like 'What if:*' })
        $whatIf.Count | Should -Be 1
        "$($whatIf[0])" | Should -BeLike '*3 row(s)*: 1 would ship, 1 already shipped (would be skipped), 1 with problems*'
        ($out | Where-Object { "$_" -like 'codes=*' }) | Should -BeLike 'codes=E-2001*'
        ($out | Where-Object { "$_" -like 'message=*' }) | Should -BeLike "*10012*does not belong to state CA*NY*"
        @(Get-BatchJob).Count | Should -Be 1
        (Get-Ledger).Count | Should -Be 1
    }

    It '-Preview writes one exportable object per row and ships nothing' {
        New-Order 'PV-OLD' | Start-BatchShipment -Template ups-ground -Shipper $Shipper -Force | Out-Null
        $orders = @((New-Order 'PV-OLD'), (New-Order 'PV-NEW'), (New-Order 'PV-BAD' -Zip '10012'))
        $preview = $orders | Start-BatchShipment -Template ups-ground -Shipper $Shipper -Preview -InformationVariable said -InformationAction SilentlyContinue -ErrorVariable problems

        @($problems).Count | Should -Be 0 -Because 'the problems are in the objects'
        $preview.Count | Should -Be 3
        $preview[0].PSObject.TypeNames[0] | Should -Be 'BatchShip.ShipmentPreview'
        $preview.ShipmentStatus | Should -Be @('AlreadyShipped', 'WouldShip', 'Invalid')
        $preview[0].ErrorMessage | Should -BeLike 'Already shipped by row 1 of job*'
        $preview[2].ErrorCode | Should -Be 'E-2001'
        "$($said[-1])" | Should -BeLike '*1 would ship, 1 already shipped (would be skipped), 1 with problems*'

        $csv = Join-Path $TestDrive 'preview.csv'
        $preview | Export-Csv $csv -NoTypeInformation
        $back = Import-Csv $csv
        $back.Reference | Should -Be @('PV-OLD', 'PV-NEW', 'PV-BAD')
        $back[2].ErrorCode | Should -Be 'E-2001'
        (($preview | Format-Table | Out-String -Width 80) -split "`r?`n" | Where-Object Length -gt 80) | Should -BeNullOrEmpty

        @(Get-BatchJob).Count | Should -Be 1
        (Get-Ledger).Count | Should -Be 1
    }
}
