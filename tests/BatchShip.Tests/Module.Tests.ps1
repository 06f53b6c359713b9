BeforeAll {
    . (Join-Path $PSScriptRoot 'TestSupport.ps1')
}

Describe 'The module folder' {
    It 'passes Test-ModuleManifest' {
        $manifest = Test-ModuleManifest (Join-Path $ModulePath 'BatchShip.psd1') -ErrorAction Stop
        $manifest.Name | Should -Be 'BatchShip'
        $manifest.CompatiblePSEditions | Should -Contain 'Core'
    }

    It 'lists every cmdlet explicitly and exports exactly those' {
        $data = Import-PowerShellDataFile (Join-Path $ModulePath 'BatchShip.psd1')
        $data.CmdletsToExport | Should -Not -Contain '*'
        $data.CmdletsToExport | Should -Contain 'Get-BatchJob'
        $lines = Invoke-ChildPwsh "Import-Module '$ModulePath'; (Get-Command -Module BatchShip).Name | Sort-Object"
        $LASTEXITCODE | Should -Be 0
        $lines | Should -Be ($data.CmdletsToExport | Sort-Object)
    }

    It 'carries the native SQLite library for every runtime' {
        foreach ($rid in 'linux-x64', 'linux-arm64', 'osx-x64', 'osx-arm64', 'win-x64') {
            $native = Get-ChildItem (Join-Path $ModulePath "dependencies/runtimes/$rid/native") -File
            $native.Name | Should -Match '^(lib)?e_sqlite3\.(so|dylib|dll)$' -Because "$rid needs its own SQLite"
        }
    }
}

Describe 'Importing' {
    BeforeEach {
        $testHome = New-TestHome
    }

    It 'works from any current directory' {
        $elsewhere = [IO.Path]::GetTempPath()
        $lines = Invoke-ChildPwsh "Import-Module '$ModulePath'; @(Get-BatchJob).Count" -WorkingDirectory $elsewhere
        $LASTEXITCODE | Should -Be 0
        $lines | Should -Be '0'
    }

    It 'loads the engine into its own load context' {
        $lines = Invoke-ChildPwsh @"
Import-Module '$ModulePath'
Get-BatchJob | Out-Null
`$ctx = [System.Runtime.Loader.AssemblyLoadContext]::All | Where-Object Name -eq 'BatchShip'
(`$ctx.Assemblies | ForEach-Object { `$_.GetName().Name }) -contains 'Microsoft.Data.Sqlite'
[System.Runtime.Loader.AssemblyLoadContext]::Default.Assemblies.GetName().Name -contains 'BatchShip.Engine'
"@
        $LASTEXITCODE | Should -Be 0
        $lines | Should -Be @('True', 'False')
    }

    It 'survives a session that loaded older Microsoft.Extensions libraries first' {
        $packages = Get-NuGetPackagesFolder
        $old = Join-Path $packages 'microsoft.extensions.logging.abstractions/8.0.0/lib/net8.0/Microsoft.Extensions.Logging.Abstractions.dll'
        Test-Path $old | Should -BeTrue -Because 'the test project downloads version 8.0.0'
        $env:BATCHSHIP_SANDBOX_LEDGER = Join-Path $testHome 'ledger.jsonl'
        # Shipping a row loads the MCP client and its Microsoft.Extensions.* 10.x into BatchShip's own context.
        $lines = Invoke-ChildPwsh @"
`$ErrorActionPreference = 'Stop'
Add-Type -Path '$old'
Import-Module '$ModulePath'
(@{ RecipientName = 'X'; Address1 = '1 Market St'; City = 'San Francisco'; State = 'CA'; PostalCode = '94105'; WeightLb = '1'; Reference = 'ALC-1' } |
    Start-BatchShipment -Template ups-ground -Shipper '$ShipperFile' -Force).ShipmentStatus
[Microsoft.Extensions.Logging.Abstractions.NullLogger].Assembly.GetName().Version.Major
`$ours = [System.Runtime.Loader.AssemblyLoadContext]::All | Where-Object Name -eq 'BatchShip'
(`$ours.Assemblies | Where-Object { `$_.GetName().Name -eq 'Microsoft.Extensions.Logging.Abstractions' }).GetName().Version.Major
"@
        $LASTEXITCODE | Should -Be 0
        $lines | Should -Be @('Completed', '8', '10')
    }

    It 'can be imported again with -Force in the same session' {
        $lines = Invoke-ChildPwsh @"
`$ErrorActionPreference = 'Stop'
Import-Module '$ModulePath'
Get-BatchJob | Out-Null
Import-Module '$ModulePath' -Force
Remove-Module BatchShip
Import-Module '$ModulePath'
@(Get-BatchJob).Count
"@
        $LASTEXITCODE | Should -Be 0
        $lines | Should -Be '0'
    }
}

Describe 'The per-user store' {
    BeforeEach {
        $testHome = New-TestHome
    }

    It 'is created on first use under BATCHSHIP_HOME, private to the user' {
        Test-Path $testHome | Should -BeFalse
        $lines = Invoke-ChildPwsh "Import-Module '$ModulePath'; @(Get-BatchJob).Count"
        $LASTEXITCODE | Should -Be 0
        $lines | Should -Be '0'
        $db = Join-Path $testHome 'batchship.db'
        Test-Path $db | Should -BeTrue
        if (-not $IsWindows) {
            [int] (Get-Item $db).UnixFileMode | Should -Be ([Convert]::ToInt32('600', 8))
            [int] (Get-Item $testHome).UnixFileMode | Should -Be ([Convert]::ToInt32('700', 8))
        }
    }
}
