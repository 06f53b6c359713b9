# The built-in carrier profiles, by name, through a real pwsh importing the built module: what Start-BatchShipment
# says before anything is started or staged.

BeforeAll {
    . (Join-Path $PSScriptRoot 'TestSupport.ps1')
    Import-Module $ModulePath -Force

    function Get-StartError {
        param([hashtable] $Parameters)
        $all = @{ Template = 'ups-ground'; Shipper = $Shipper; Force = $true }
        foreach ($key in $Parameters.Keys) { $all[$key] = $Parameters[$key] }
        try { New-Order 'CAR-1' | Start-BatchShipment @all -ErrorAction SilentlyContinue | Out-Null }
        catch { return $_ }
        throw 'Start-BatchShipment did not fail.'
    }
}

AfterAll {
    Remove-Module BatchShip -ErrorAction SilentlyContinue
}

Describe 'Built-in carrier profiles' {
    BeforeEach {
        $null = Use-TestStore
        $script:saved = @{}
        foreach ($name in 'UPS_CLIENT_ID', 'UPS_CLIENT_SECRET', 'UPS_ENVIRONMENT', 'UPS_ACCOUNT_NUMBER') {
            $script:saved[$name] = [Environment]::GetEnvironmentVariable($name)
            # Remove-Item, not SetEnvironmentVariable($name, $null): PowerShell passes $null as "", which sets it empty.
            Remove-Item "Env:$name" -ErrorAction SilentlyContinue
        }
    }

    AfterEach {
        foreach ($name in $script:saved.Keys) {
            if ($null -eq $script:saved[$name]) { Remove-Item "Env:$name" -ErrorAction SilentlyContinue }
            else { [Environment]::SetEnvironmentVariable($name, $script:saved[$name]) }
        }
    }

    It 'finds UPS by name and stops at the first credential it lacks with E-5003, creating no job' {
        $err = Get-StartError @{ Carrier = 'ups' }

        $err.FullyQualifiedErrorId | Should -BeLike 'E-5003*'
        "$err" | Should -BeLike "*Carrier profile 'UPS'*UPS_CLIENT_*"
        @(Get-BatchJob).Count | Should -Be 0
    }

    It 'refuses UPSOfficial, which cannot ship, with E-4015 naming it' {
        $err = Get-StartError @{ Carrier = 'UPSOfficial' }

        $err.FullyQualifiedErrorId | Should -BeLike 'E-4015*'
        "$err" | Should -BeLike "*Carrier 'UPSOfficial' has no create tool*"
        @(Get-BatchJob).Count | Should -Be 0
    }

    It 'reports a server that is not installed as E-4013 once the credentials are set' {
        foreach ($name in 'UPS_CLIENT_ID', 'UPS_CLIENT_SECRET', 'UPS_ENVIRONMENT', 'UPS_ACCOUNT_NUMBER') {
            [Environment]::SetEnvironmentVariable($name, 'test-value')
        }
        # A PATH without uvx: the server cannot be started.
        $path = $env:PATH
        try {
            $env:PATH = (Join-Path $TestDrive 'empty-bin')
            $err = Get-StartError @{ Carrier = 'UPS' }
        }
        finally { $env:PATH = $path }

        $err.FullyQualifiedErrorId | Should -BeLike 'E-4013*'
        "$err" | Should -BeLike "*Carrier 'UPS' (uvx)*"
        "$err" | Should -Not -BeLike '*test-value*'
    }
}

Describe 'A built-in server profile started as the sandbox imitating that server' {
    BeforeEach {
        $script:storeHome = Use-TestStore
        $script:carriers = Join-Path $storeHome 'carriers'
        New-Item -ItemType Directory -Path $carriers -Force | Out-Null
        $script:Dotnet = (Get-Command dotnet).Source
        $script:SandboxDll = Join-Path $ModulePath 'carriers/sandbox/BatchShip.SandboxCarrier.dll'
    }

    It 'ships US rows through ShipAgentTS (shipping_create, labels read from the paths it returns) with shipagent-ground' {
        # The built-in ShipAgentTS profile's tools and formats, its command replaced by the sandbox in shipagent mode.
        $profile = Get-Content (Join-Path $ModulePath 'carriers/ShipAgentTS.json') -Raw | ConvertFrom-Json
        $profile.command = $Dotnet
        $profile.args = @($SandboxDll)
        $profile.env = @{ BATCHSHIP_SANDBOX_FAULTS = 'server=shipagent' }
        $file = Join-Path $carriers 'ShipAgentSandbox.json'
        $profile | ConvertTo-Json -Depth 5 | Set-Content $file
        # A profile must be private to its user, as Register-BatchShipCarrier writes it.
        if (-not $IsWindows) { [IO.File]::SetUnixFileMode($file, [IO.UnixFileMode]'UserRead, UserWrite') }

        $out = @(@((New-Order 'SAP-1'), (New-Order 'SAP-2')) |
            Start-BatchShipment -Template shipagent-ground -Carrier ShipAgentSandbox -Shipper $Shipper -Force)

        $out | Should -HaveCount 2
        $ledger = Get-Ledger
        $ledger | Should -HaveCount 2
        foreach ($row in $out) {
            $row.ShipmentStatus | Should -Be 'Completed'
            $row.TrackingNumber | Should -BeIn $ledger.trackingNumbers
            $row.Cost | Should -BeGreaterThan 0
            # The job's own copy of the PDF the server wrote and named in labelPaths.
            $row.LabelPath | Should -Not -BeLike '*shipagent-labels*'
            [Text.Encoding]::ASCII.GetString([IO.File]::ReadAllBytes($row.LabelPath), 0, 4) | Should -Be '%PDF'

        }
        @($ledger.references | Where-Object { $_ }) | Should -HaveCount 0
    }
}
