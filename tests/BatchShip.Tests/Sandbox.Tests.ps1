# The offline test kit: Use-BatchShipSandbox and Get-BatchShipSandboxShipment.

BeforeAll {
    . (Join-Path $PSScriptRoot 'TestSupport.ps1')
    Import-Module $ModulePath -Force
    $script:SandboxVariables = 'BATCHSHIP_HOME', 'BATCHSHIP_SANDBOX_LEDGER', 'BATCHSHIP_SANDBOX_FAULTS', 'BATCHSHIP_SANDBOX_SEED', 'BATCHSHIP_CRASH_AT', 'BATCHSHIP_CRASH_ARM'

    function Get-Variables {
        $values = [ordered]@{}
        foreach ($name in $SandboxVariables) { $values[$name] = [Environment]::GetEnvironmentVariable($name) }
        $values
    }

    function Get-FolderPrint([string] $Path) {
        # Every file under the folder with its size, time and content hash: any write to the store changes it.
        Get-ChildItem $Path -Recurse -File -Force | Sort-Object FullName | ForEach-Object {
            '{0}|{1}|{2:o}|{3}' -f $_.FullName, $_.Length, $_.LastWriteTimeUtc, (Get-FileHash $_.FullName -Algorithm SHA256).Hash
        }
    }
}

AfterAll {
    Remove-Module BatchShip -ErrorAction SilentlyContinue
}

Describe 'Use-BatchShipSandbox' {
    BeforeAll {
        $beforeDescribe = Get-Variables
    }

    It 'never touches the real store (the default folder under the user profile) and restores every variable on Undo' {
        # A separate pwsh whose user profile is a temp folder and with no BATCHSHIP_HOME: its real store is
        # <profile>/.local/share/BatchShip (LocalApplicationData on Windows), as for a user who never set anything.
        $profileFolder = Join-Path $TestDrive 'profile'
        New-Item -ItemType Directory $profileFolder | Out-Null
        $lines = Invoke-ChildPwsh @"
`$ErrorActionPreference = 'Stop'
foreach (`$name in '$($SandboxVariables -join "','")', 'XDG_DATA_HOME') { Remove-Item "Env:`$name" -ErrorAction SilentlyContinue }
`$env:HOME = '$profileFolder'; `$env:USERPROFILE = '$profileFolder'; `$env:LOCALAPPDATA = '$(Join-Path $profileFolder 'AppData/Local')'
Import-Module '$ModulePath'
`$real = Join-Path ([Environment]::GetFolderPath('LocalApplicationData', 'DoNotVerify')) 'BatchShip'
[pscustomobject]@{ RecipientName = 'Real'; Address1 = '1 Market St'; City = 'San Francisco'; State = 'CA'; PostalCode = '94105'; WeightLb = '1'; Reference = 'REAL-1' } |
    Start-BatchShipment -Template ups-ground -Shipper '$ShipperFile' -Force | Out-Null
`$before = Get-ChildItem `$real -Recurse -File -Force | Sort-Object FullName | ForEach-Object { '{0}|{1}|{2:o}|{3}' -f `$_.FullName, `$_.Length, `$_.LastWriteTimeUtc, (Get-FileHash `$_.FullName).Hash }
`$realJob = (Get-BatchJob).JobId

`$sandbox = Use-BatchShipSandbox -Faults 'latency=10ms' -Seed 5
`$inside = [ordered]@{ Home = `$env:BATCHSHIP_HOME; Faults = `$env:BATCHSHIP_SANDBOX_FAULTS; Seed = `$env:BATCHSHIP_SANDBOX_SEED; Folder = `$sandbox.Path }
`$jobsBefore = @(Get-BatchJob).Count
[pscustomobject]@{ RecipientName = 'Test'; Address1 = '1 Market St'; City = 'San Francisco'; State = 'CA'; PostalCode = '94105'; WeightLb = '1'; Reference = 'REAL-1' } |
    Start-BatchShipment -Template ups-ground -Shipper '$ShipperFile' -Force | Out-Null
`$sandboxJobs = @(Get-BatchJob)
`$sandboxShipments = @(Get-BatchShipSandboxShipment)
`$sandbox.Undo()
`$after = Get-ChildItem `$real -Recurse -File -Force | Sort-Object FullName | ForEach-Object { '{0}|{1}|{2:o}|{3}' -f `$_.FullName, `$_.Length, `$_.LastWriteTimeUtc, (Get-FileHash `$_.FullName).Hash }
[ordered]@{
    RealFiles = @(`$before).Count; Unchanged = (`$before -join "``n") -eq (`$after -join "``n")
    InsideHome = `$inside.Home; InsideFaults = `$inside.Faults; InsideSeed = `$inside.Seed; Folder = `$inside.Folder; FolderLeft = (Test-Path `$inside.Folder)
    JobsBefore = `$jobsBefore; SandboxJobs = `$sandboxJobs.Count; SandboxShipment = `$sandboxShipments.Count
    SandboxJobIsNotReal = `$sandboxJobs[0].JobId -ne `$realJob; RealJobs = @(Get-BatchJob).Count; RealJobBack = (Get-BatchJob).JobId -eq `$realJob
    After = @('$($SandboxVariables -join "','")' | ForEach-Object { [Environment]::GetEnvironmentVariable(`$_) } | Where-Object { `$_ }).Count
    Real = `$real
} | ConvertTo-Json -Compress
"@
        $LASTEXITCODE | Should -Be 0 -Because ($lines -join "`n")
        $r = ($lines | Select-Object -Last 1) | ConvertFrom-Json
        $r.Real | Should -BeLike "$profileFolder*" -Because 'the child pwsh ran with the temp profile'
        $r.RealFiles | Should -BeGreaterThan 0
        $r.Unchanged | Should -BeTrue -Because 'no file of the real store was written while the sandbox was in force'
        $r.InsideHome | Should -Be $r.Folder
        $r.InsideHome | Should -Not -BeLike "$($r.Real)*"
        $r.InsideFaults | Should -Be 'latency=10ms'
        $r.InsideSeed | Should -Be '5'
        $r.JobsBefore | Should -Be 0 -Because 'the sandbox starts with an empty store'
        $r.SandboxJobs | Should -Be 1
        $r.SandboxJobIsNotReal | Should -BeTrue
        $r.SandboxShipment | Should -Be 1 -Because 'REAL-1 shipped in the real store does not count in the sandbox'
        $r.RealJobs | Should -Be 1
        $r.RealJobBack | Should -BeTrue
        $r.After | Should -Be 0 -Because 'every variable is unset again, as it was before'
        $r.FolderLeft | Should -BeFalse -Because 'a temp sandbox made outside Pester is removed by Undo'
    }

    It 'restores variables that were set, and leaves a BATCHSHIP_HOME store untouched' {
        $outer = Get-Variables # what the files run before this one left set: put back as found
        $realHome = Join-Path $TestDrive 'real-home'
        $env:BATCHSHIP_HOME = $realHome
        $env:BATCHSHIP_SANDBOX_LEDGER = Join-Path $realHome 'ledger.jsonl'
        $env:BATCHSHIP_SANDBOX_FAULTS = 'latency=1ms'
        $env:BATCHSHIP_SANDBOX_SEED = '99'
        $env:BATCHSHIP_CRASH_AT = 'after-label:999'
        try {
            New-Order 'HOME-1' | Start-BatchShipment -Template ups-ground -Shipper $Shipper -Force | Out-Null
            $before = Get-Variables
            $print = Get-FolderPrint $realHome

            $sandbox = Use-BatchShipSandbox
            $env:BATCHSHIP_HOME | Should -Be $sandbox.Path
            $env:BATCHSHIP_SANDBOX_FAULTS | Should -BeNullOrEmpty -Because 'faults of the outer environment do not leak in'
            $env:BATCHSHIP_CRASH_AT | Should -BeNullOrEmpty
            New-Order 'HOME-1' | Start-BatchShipment -Template ups-ground -Shipper $Shipper -Force | Out-Null
            Get-BatchShipSandboxShipment | Should -HaveCount 1
            $sandbox.Undo()
            $sandbox.Active | Should -BeFalse
            $sandbox.Undo()   # a second Undo does nothing

            (Get-Variables) | ConvertTo-Json | Should -Be ($before | ConvertTo-Json)
            Get-FolderPrint $realHome | Should -Be $print
        }
        finally {
            foreach ($name in $SandboxVariables) {
                if ($null -eq $outer[$name]) { Remove-Item "Env:$name" -ErrorAction SilentlyContinue }
                else { Set-Item "Env:$name" $outer[$name] }
            }
        }
    }

    It 'refuses a fault the sandbox does not know with E-4030 and the sandbox''s reason, and changes nothing' {
        $before = Get-Variables
        { Use-BatchShipSandbox -Faults 'rate_limit=0.2;explode=1' } | Should -Throw -ErrorId 'E-4030*' -ExpectedMessage "*'explode=1'*unknown fault*"
        { Use-BatchShipSandbox -Latency 'soon' } | Should -Throw -ErrorId 'E-4030*' -ExpectedMessage '*latency=soon*'
        (Get-Variables) | ConvertTo-Json | Should -Be ($before | ConvertTo-Json)
    }

    It 'takes -Latency as 150ms, a TimeSpan or milliseconds, after the -Faults entries' {
        (Use-BatchShipSandbox -Faults 'rate_limit=0.1' -Latency 150ms).Faults | Should -Be 'rate_limit=0.1;latency=150ms'
        (Use-BatchShipSandbox -Latency ([timespan]::FromSeconds(1.5))).Faults | Should -Be 'latency=1500ms'
        (Use-BatchShipSandbox -Latency 20).Faults | Should -Be 'latency=20ms'
        $env:BATCHSHIP_SANDBOX_FAULTS | Should -Be 'latency=20ms'
    }

    It 'refuses a -Path that holds anything but a sandbox, such as a real store' {
        $store = Join-Path $TestDrive 'a-real-store'
        New-Item -ItemType Directory $store | Out-Null
        Set-Content (Join-Path $store 'batchship.db') 'not a sandbox'
        { Use-BatchShipSandbox -Path $store } | Should -Throw -ErrorId 'E-4007*' -ExpectedMessage '*not a sandbox folder*'
        $env:BATCHSHIP_HOME | Should -Not -Be $store
    }

    Context 'made in BeforeAll' {
        BeforeAll {
            $sandbox = Use-BatchShipSandbox -Faults 'latency=5ms' -Seed 11
        }

        It 'puts the store and ledger under TestDrive and says when it is undone' {
            $sandbox.Path | Should -BeLike "$((Get-PSDrive TestDrive).Root)*"
            $env:BATCHSHIP_HOME | Should -Be $sandbox.Path
            $env:BATCHSHIP_SANDBOX_LEDGER | Should -Be $sandbox.LedgerPath
            $sandbox.UndoneAfter | Should -Be "Block 'made in BeforeAll'"
            $sandbox.PSObject.TypeNames[0] | Should -Be 'BatchShip.SandboxScope'
        }

        It 'reaches child pwsh processes through the environment' {
            $lines = Invoke-ChildPwsh "`$env:BATCHSHIP_HOME; `$env:BATCHSHIP_SANDBOX_FAULTS; `$env:BATCHSHIP_SANDBOX_SEED"
            $lines | Should -Be @($sandbox.Path, 'latency=5ms', '11')
        }

        Context 'and one more in BeforeEach' {
            BeforeEach { $inner = Use-BatchShipSandbox -Faults 'auth_fail=1' }

            It 'overrides the outer one for this test only' {
                $env:BATCHSHIP_SANDBOX_FAULTS | Should -Be 'auth_fail=1'
                $env:BATCHSHIP_SANDBOX_SEED | Should -BeNullOrEmpty
                $inner.UndoneAfter | Should -Be "Test 'overrides the outer one for this test only'"
            }
        }

        It 'is back in force once the inner block ended' {
            $env:BATCHSHIP_HOME | Should -Be $sandbox.Path
            $env:BATCHSHIP_SANDBOX_FAULTS | Should -Be 'latency=5ms'
        }
    }

    It 'was undone at the end of the block that made it' {
        (Get-Variables) | ConvertTo-Json | Should -Be ($beforeDescribe | ConvertTo-Json)
    }
}

Describe 'Get-BatchShipSandboxShipment' {
    BeforeAll {
        $sandbox = Use-BatchShipSandbox
        $first = @((New-Order 'GS-1'), (New-Order 'GS-2')) | Start-BatchShipment -Template ups-ground -Shipper $Shipper -Force
        $second = @((New-Order 'GS-3'), (New-Order 'GS-4'), (New-Order 'GS-5')) | Start-BatchShipment -Template ups-ground -Shipper $Shipper -Force
    }

    It 'lists every shipment the sandbox made, typed, with the carrier''s facts' {
        $all = Get-BatchShipSandboxShipment
        $all | Should -HaveCount 5
        $one = $all | Where-Object Reference -eq "BS-$($first[0].JobId)-$($first[0].RowNumber)"
        $one.PSObject.TypeNames[0] | Should -Be 'BatchShip.SandboxShipment'
        $one.JobId | Should -Be $first[0].JobId
        $one.RowNumber | Should -Be $first[0].RowNumber
        $one.TrackingNumber | Should -Be $first[0].TrackingNumber
        $one.ShipmentId | Should -Be $first[0].ShipmentId
        $one.Cost | Should -BeOfType [decimal]
        $one.Cost | Should -Be $first[0].Cost
        $one.Service | Should -Not -BeNullOrEmpty
        $one.ShipToCity | Should -Be 'San Francisco'
        $one.ShipToPostalCode | Should -Be '94105'
        $one.Created | Should -BeOfType [datetimeoffset]
        $one.Voided | Should -BeFalse
    }

    It 'filters by -JobId, by -Reference with wildcards, and by job ids from the pipeline' {
        Get-BatchShipSandboxShipment -JobId $second[0].JobId | Should -HaveCount 3
        Get-BatchShipSandboxShipment -Reference "BS-$($first[0].JobId)-*" | Should -HaveCount 2
        Get-BatchJob -JobId $first[0].JobId | Get-BatchShipSandboxShipment | Should -HaveCount 2
        Get-BatchShipSandboxShipment -Reference 'BS-nosuchjob-1' | Should -BeNullOrEmpty
    }

    It 'formats as a table and survives Export-Csv with text tracking numbers' {
        $table = Get-BatchShipSandboxShipment | Format-Table | Out-String -Width 200
        $table | Should -Match 'Reference\s+TrackingNumber\s+Service\s+Cost'
        $csv = Join-Path $TestDrive 'sandbox.csv'
        Get-BatchShipSandboxShipment | Export-Csv $csv -NoTypeInformation
        $rows = Import-Csv $csv
        $rows | Should -HaveCount 5
        $rows | ForEach-Object { $_.TrackingNumber | Should -Match '^1Z[0-9A-Z]{16}$' }
        (Get-Content $csv -Raw) | Should -Not -Match 'System\.String\[\]'
    }
}
