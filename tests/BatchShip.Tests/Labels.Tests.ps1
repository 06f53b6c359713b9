BeforeAll {
    . (Join-Path $PSScriptRoot 'TestSupport.ps1')
    Import-Module $ModulePath -Force

    function New-Parcels([string] $Prefix) {
        # Three packages in row order: one parcel, then an order of two.
        $two = New-Order "$Prefix-2"
        $two | Add-Member PackageCount '2'
        @((New-Order "$Prefix-1"), $two)
    }
}

AfterAll {
    Remove-Module BatchShip -ErrorAction SilentlyContinue
}

Describe 'Label formats and print files' {
    BeforeEach {
        $testHome = Use-TestStore
        $work = Join-Path $testHome 'work'
        $null = New-Item -ItemType Directory $work
    }

    It 'names each label <job>-<row>-<reference>-<package> and prints a <Format> job as one PDF of 4x6 pages' -ForEach @(
        @{ Format = 'GIF' }, @{ Format = 'PNG' }, @{ Format = 'PDF' }
    ) {
        $results = New-Parcels "PR $Format/7" | Start-BatchShipment -Template ups-ground -Shipper $Shipper -LabelFormat $Format -Force
        $jobId = $results[0].JobId
        $extension = $Format.ToLowerInvariant()
        $paths = @($results | Sort-Object RowNumber | ForEach-Object { $_.LabelPath -split ';' })
        $names = $paths | ForEach-Object { Split-Path $_ -Leaf }
        # The reference "PR GIF/7-1" made safe for a file name: letters, digits and '-' kept, the rest '_'.
        $names | Should -Be @(
            "$jobId-1-PR_$Format`_7-1-1.$extension"
            "$jobId-2-PR_$Format`_7-2-1.$extension"
            "$jobId-2-PR_$Format`_7-2-2.$extension")

        $file = Export-BatchShipmentLabel -JobId $jobId -Path (Join-Path $work 'today.pdf')

        $file | Should -BeOfType System.IO.FileInfo
        $pages = Read-PdfPages $file.FullName
        $pages | Should -HaveCount 3
        foreach ($page in $pages) {
            $page.Width | Should -Be 288
            $page.Height | Should -Be 432
        }
    }

    It 'prints a ZPL job as one ZPL file with one ^XA...^XZ block per package, in row order' {
        $results = New-Parcels 'ZPL' | Start-BatchShipment -Template ups-ground -Shipper $Shipper -LabelFormat zpl -Force
        $jobId = $results[0].JobId
        @($results.LabelPath -split ';') | ForEach-Object { $_ | Should -Match '\.zpl$' }

        Push-Location $work
        try { $file = Export-BatchShipmentLabel -JobId $jobId } finally { Pop-Location }

        $file.Name | Should -Be "$jobId-labels.zpl"
        $text = Get-Content -Raw $file.FullName
        $blocks = [regex]::Matches($text, '(?s)\^XA.*?\^XZ')
        $blocks.Count | Should -Be 3
        $tracking = @($results | Sort-Object RowNumber | ForEach-Object { $_.TrackingNumber -split ';' })
        for ($i = 0; $i -lt 3; $i++) { $blocks[$i].Value | Should -Match ([regex]::Escape($tracking[$i])) }
        if (-not $IsWindows) { [int](Get-Item $file.FullName).UnixFileMode | Should -Be 384 -Because 'mode 0600' }
    }

    It 'fetches a deleted label again from the carrier, and prints only the rows piped in' {
        $results = New-Parcels 'GONE' | Start-BatchShipment -Template ups-ground -Shipper $Shipper -Force
        $second = $results | Where-Object RowNumber -eq 2
        $second.LabelPath -split ';' | Remove-Item

        $file = $second | Export-BatchShipmentLabel -Path (Join-Path $work 'reprint.pdf') -ErrorVariable problems

        $problems | Should -BeNullOrEmpty
        Read-PdfPages $file.FullName | Should -HaveCount 2
    }

    It 'says which rows it could not print (E-4018) and prints the others' {
        $results = @((New-Order 'OK-1'), (New-Order 'BAD-2' -Zip 10012)) |
            Start-BatchShipment -Template ups-ground -Shipper $Shipper -ErrorPolicy Continue -Force -ErrorAction SilentlyContinue

        $file = $results | Export-BatchShipmentLabel -Path (Join-Path $work 'some.pdf') -ErrorVariable problems -ErrorAction SilentlyContinue

        $problems | Should -HaveCount 1
        $problems[0].FullyQualifiedErrorId | Should -BeLike 'E-4018*'
        $problems[0].Exception.Message | Should -Match 'Row 2 of job'
        Read-PdfPages $file.FullName | Should -HaveCount 1
    }

    It 'keeps the label format for Resume' {
        $orders = @((New-Order 'RES-1'), (New-Order 'RES-2' -Zip 10012), (New-Order 'RES-3'))
        try { $null = $orders | Start-BatchShipment -Template ups-ground -Shipper $Shipper -LabelFormat PNG -ThrottleLimit 1 -Force -ErrorAction SilentlyContinue } catch { }
        $job = Get-BatchJob -Newest 1
        $job.Status | Should -Be 'Failed'

        $resumed = Resume-BatchShipment -JobId $job.JobId -ErrorAction SilentlyContinue

        $third = $resumed | Where-Object RowNumber -eq 3
        $third.ShipmentStatus | Should -Be 'Completed'
        $third.LabelPath | Should -Match '\.png$'
    }

    It 'refuses a template that ignores -LabelFormat (E-2014) and buys nothing' {
        $template = Join-Path $work 'fixed-gif.sbn'
        Get-Content -Raw (Join-Path $ModulePath 'templates/ups-ground.sbn') |
            ForEach-Object { $_.Replace('{{ label_format ?? "GIF" }}', 'GIF') } | Set-Content $template

        try { $null = New-Order 'FIX-1' | Start-BatchShipment -Template $template -Shipper $Shipper -LabelFormat ZPL -Force -ErrorVariable problems -ErrorAction SilentlyContinue } catch { $problems += $_ }

        @($problems | Where-Object { $_.FullyQualifiedErrorId -like 'E-2014*' }) | Should -Not -BeNullOrEmpty
        Get-Ledger | Should -HaveCount 0
    }
}
