# Registering, listing, testing and removing carriers, and credentials read from a SecretManagement vault.
# Real pwsh importing the built module, real store files, the real sandbox carrier over stdio.

BeforeAll {
    . (Join-Path $PSScriptRoot 'TestSupport.ps1')
    Import-Module $ModulePath -Force

    $script:Dotnet = (Get-Command dotnet).Source
    $script:SandboxDll = Join-Path $ModulePath 'carriers/sandbox/BatchShip.SandboxCarrier.dll'

    function Get-ErrorOf {
        # The ErrorRecord a command throws or writes.
        param([scriptblock] $Script)
        $ErrorActionPreference = 'Stop'
        try { & $Script | Out-Null } catch { return $_ }
        throw 'The command raised no error.'
    }

    function Add-StandInSecretManagement {
        # Microsoft.PowerShell.SecretManagement cannot be installed here (no PowerShell Gallery), so the test puts a
        # stand-in module of that name, with a Get-Secret that reads a hashtable, in a temporary PSModulePath folder.
        param([hashtable] $Secrets)
        $root = Join-Path $TestDrive 'modules'
        $folder = New-Item -ItemType Directory -Force (Join-Path $root 'Microsoft.PowerShell.SecretManagement')
        $pairs = ($Secrets.GetEnumerator() | ForEach-Object { "'$($_.Key)' = '$($_.Value)'" }) -join '; '
        @"
`$script:Vault = @{ $pairs }
function Get-Secret {
    param([string] `$Name, [string] `$Vault, [switch] `$AsPlainText)
    `$key = "`$Vault/`$Name"
    if (-not `$script:Vault.ContainsKey(`$key)) { throw "Get-Secret : The secret `$Name was not found." }
    if (`$AsPlainText) { `$script:Vault[`$key] } else { ConvertTo-SecureString `$script:Vault[`$key] -AsPlainText -Force }
}
Export-ModuleMember -Function Get-Secret
"@ | Set-Content (Join-Path $folder 'Microsoft.PowerShell.SecretManagement.psm1')
        $script:OldModulePath = $env:PSModulePath
        $env:PSModulePath = $root + [IO.Path]::PathSeparator + $env:PSModulePath
    }

    function Remove-StandInSecretManagement {
        Remove-Module Microsoft.PowerShell.SecretManagement -ErrorAction Ignore
        if ($script:OldModulePath) { $env:PSModulePath = $script:OldModulePath }
    }
}

Describe 'Register-BatchShipCarrier and Get-BatchShipCarrier' {
    BeforeEach { Use-TestStore | Out-Null }

    It 'writes a private profile that Get-BatchShipCarrier lists with the variable names it reads, never values' {
        $env:BS_TEST_SECRET = 'value-that-must-not-show-1234'
        $c = Register-BatchShipCarrier -Name Box -Command $Dotnet -ArgumentList $SandboxDll -Environment @{ CLIENT_SECRET = '$env:BS_TEST_SECRET'; CLIENT_ID = 'abc' }
        $c.Name | Should -Be 'Box'
        $file = Join-Path $env:BATCHSHIP_HOME 'carriers/Box.json'
        [IO.File]::GetUnixFileMode($file) | Should -Be ([IO.UnixFileMode] 'UserRead, UserWrite')
        (Get-Content $file -Raw | ConvertFrom-Json).env.CLIENT_SECRET | Should -Be '$env:BS_TEST_SECRET'

        $all = Get-BatchShipCarrier
        $all.Name | Should -Be @('Sandbox', 'UPS', 'ShipAgentTS', 'Roscoej', 'UPSOfficial', 'Box')
        ($all | Where-Object Name -eq 'Sandbox').Source | Should -Be 'built-in'
        $box = Get-BatchShipCarrier -Name b*
        $box.Credentials | Should -Be 'BS_TEST_SECRET'
        $box.Source | Should -Be $file
        ($all | Format-Table | Out-String -Width 80) | Should -Not -Match 'value-that-must-not-show'
    }

    It 'refuses a literal secret with E-4021 and writes nothing' {
        $e = Get-ErrorOf { Register-BatchShipCarrier -Name Leaky -Command uvx -Environment @{ CLIENT_SECRET = 'hunter2hunter2' } }
        $e.FullyQualifiedErrorId | Should -BeLike 'E-4021*'
        $e.ErrorDetails.Message | Should -Match 'CLIENT_SECRET'
        $e.ErrorDetails.Message | Should -Not -Match 'hunter2'
        $e.ErrorDetails.RecommendedAction | Should -Match 'secret:<vault>/<name>'
        Join-Path $env:BATCHSHIP_HOME 'carriers/Leaky.json' | Should -Not -Exist
    }

    It 'refuses to overwrite without -Force, honours -WhatIf, and refuses built-in names' {
        Register-BatchShipCarrier -Name Twice -Command uvx | Out-Null
        (Get-ErrorOf { Register-BatchShipCarrier -Name Twice -Command npx }).FullyQualifiedErrorId | Should -BeLike 'E-4007*'
        Register-BatchShipCarrier -Name Twice -Command npx -Force | Out-Null
        (Get-BatchShipCarrier -Name Twice).Command | Should -Be 'npx'
        Register-BatchShipCarrier -Name Never -Command uvx -WhatIf | Out-Null
        Join-Path $env:BATCHSHIP_HOME 'carriers/Never.json' | Should -Not -Exist
        (Get-ErrorOf { Register-BatchShipCarrier -Name sandbox -Command uvx }).FullyQualifiedErrorId | Should -BeLike 'E-4007*'
    }

    It 'copies the built-in UPS profile with vault references, as the carriers help topic tells a newcomer to' {
        Register-BatchShipCarrier -Name UPS-Test -Preset UPS -Environment @{
            CLIENT_ID = 'secret:UPS/ClientId'; CLIENT_SECRET = 'secret:UPS/ClientSecret'; UPS_ACCOUNT_NUMBER = 'A1B2C3'; ENVIRONMENT = 'test' } | Out-Null
        $profile = Get-Content (Join-Path $env:BATCHSHIP_HOME 'carriers/UPS-Test.json') -Raw | ConvertFrom-Json
        $profile.command | Should -Be 'uvx'
        $profile.args | Should -Contain 'mcp<2'
        $profile.env.CLIENT_SECRET | Should -Be 'secret:UPS/ClientSecret'
        $profile.maxConcurrentCalls | Should -Be 1
        $listed = Get-BatchShipCarrier -Name UPS-Test
        "$($listed.Credentials)" | Should -Match ([regex]::Escape('secret:UPS/ClientSecret'))
        (Get-ErrorOf { Register-BatchShipCarrier -Name UPS -Preset UPS }).FullyQualifiedErrorId | Should -BeLike 'E-4007*'
    }

    It 'names the presets there are when -Preset is unknown' {
        $e = Get-ErrorOf { Register-BatchShipCarrier -Name Mine -Preset NoSuchPreset }
        $e.FullyQualifiedErrorId | Should -BeLike 'E-4007*'
        $e.ErrorDetails.Message | Should -Match 'NoSuchPreset'
    }
}

Describe 'Unregister-BatchShipCarrier' {
    BeforeEach { Use-TestStore | Out-Null }

    It 'removes a registered carrier and refuses a built-in one' {
        Register-BatchShipCarrier -Name Gone -Command uvx | Out-Null
        Unregister-BatchShipCarrier -Name Gone -Confirm:$false
        Join-Path $env:BATCHSHIP_HOME 'carriers/Gone.json' | Should -Not -Exist
        (Get-ErrorOf { Unregister-BatchShipCarrier -Name Sandbox -Confirm:$false }).FullyQualifiedErrorId | Should -BeLike 'E-4007*'
    }
}

Describe 'Test-BatchShipCarrier' {
    BeforeEach { Use-TestStore | Out-Null }

    It 'passes on the built-in sandbox, with a quote' {
        $t = Test-BatchShipCarrier -Name Sandbox -Rate
        $t.Passed | Should -BeTrue
        $t.Started | Should -BeTrue
        $t.Tools | Should -Contain 'create_shipment'
        $t.Missing | Should -BeNullOrEmpty
        $t.RateOk | Should -BeTrue
        $t.Problems | Should -BeNullOrEmpty
        Test-BatchShipCarrier -Name Sandbox -Quiet | Should -BeExactly $true
    }

    It 'explains a create tool the server does not offer' {
        Register-BatchShipCarrier -Name WrongTool -Command $Dotnet -ArgumentList $SandboxDll -CreateTool shipping_create | Out-Null
        $t = Test-BatchShipCarrier -Name WrongTool
        $t.Passed | Should -BeFalse
        $t.Started | Should -BeTrue
        $t.Missing | Should -Be @('shipping_create')
        $problem = $t.Problems | Where-Object Severity -eq 'Error'
        $problem.Problem | Should -Match "no create tool 'shipping_create'.*create_shipment"
        $problem.Fix | Should -Match '-CreateTool'
        Test-BatchShipCarrier -Name WrongTool -Quiet | Should -BeExactly $false
    }

    It 'warns that unknown outcomes go to NeedsReview when the lookup tool is missing' {
        Register-BatchShipCarrier -Name NoLookup -Command $Dotnet -ArgumentList $SandboxDll -LookupTool track_by_reference | Out-Null
        $t = Test-BatchShipCarrier -Name NoLookup -WarningVariable warned -WarningAction SilentlyContinue
        $t.Passed | Should -BeTrue
        $t.Missing | Should -Be @('track_by_reference')
        "$warned" | Should -Match 'NeedsReview'
    }

    It 'explains a credential variable that is not set, and still lists the tools' {
        Remove-Item Env:BS_TEST_UNSET -ErrorAction Ignore
        Register-BatchShipCarrier -Name NoCred -Command $Dotnet -ArgumentList $SandboxDll -Environment @{ CLIENT_SECRET = '$env:BS_TEST_UNSET' } | Out-Null
        $t = Test-BatchShipCarrier -Name NoCred
        $t.Passed | Should -BeFalse
        $t.CredentialsPresent | Should -BeFalse
        $t.Started | Should -BeTrue
        $t.Problems[0].Problem | Should -Match 'E-5003.*BS_TEST_UNSET'
        $t.Problems[0].Fix | Should -Match 'environment variable'
    }
}

Describe 'Credentials from a SecretManagement vault' {
    BeforeEach { Use-TestStore | Out-Null }
    AfterEach { Remove-StandInSecretManagement }

    It 'says to install SecretManagement (E-5004) when a profile refers to a vault and the module is missing' {
        Register-BatchShipCarrier -Name Vaulted -Command $Dotnet -ArgumentList $SandboxDll -Environment @{ CLIENT_SECRET = 'secret:TestVault/UpsSecret' } | Out-Null
        $t = Test-BatchShipCarrier -Name Vaulted
        $t.CredentialsPresent | Should -BeFalse
        $t.Problems[0].Problem | Should -Match 'E-5004'
        $t.Problems[0].Fix | Should -Match 'Install-Module Microsoft.PowerShell.SecretManagement, Microsoft.PowerShell.SecretStore'
        $e = Get-ErrorOf { New-Order 'VLT-0' | Start-BatchShipment -Carrier Vaulted -Template ups-ground -Shipper $Shipper -Force }
        $e.FullyQualifiedErrorId | Should -BeLike 'E-5004*'
    }

    It 'reads the secret with Get-Secret to ship, and never stores, logs or shows its value' {
        $secret = 'vault-value-7f3a9c2e51'
        Add-StandInSecretManagement @{ 'TestVault/UpsSecret' = $secret }
        Register-BatchShipCarrier -Name Vaulted -Command $Dotnet -ArgumentList $SandboxDll -Environment @{ CLIENT_SECRET = 'secret:TestVault/UpsSecret' } | Out-Null

        (Test-BatchShipCarrier -Name Vaulted).CredentialsPresent | Should -BeTrue
        $shipped = New-Order 'VLT-1' | Start-BatchShipment -Carrier Vaulted -Template ups-ground -Shipper $Shipper -Force
        $shipped.ShipmentStatus | Should -Be 'Completed'

        (Get-BatchShipCarrier -Name Vaulted | Format-List * | Out-String) | Should -Not -Match $secret
        (Get-BatchShipCarrier -Name Vaulted).Credentials | Should -Be 'secret:TestVault/UpsSecret'
        foreach ($file in Get-ChildItem $env:BATCHSHIP_HOME -Recurse -File) {
            [IO.File]::ReadAllText($file.FullName) | Should -Not -Match $secret -Because "$($file.Name) must not hold the secret"
        }
    }

    It 'masks the secret in what a failing carrier says, and reports a missing secret with E-5005' {
        $secret = 'vault-value-0c4d8e6b13'
        Add-StandInSecretManagement @{ 'TestVault/UpsSecret' = $secret }
        $folder = New-Item -ItemType Directory -Force (Join-Path $env:BATCHSHIP_HOME 'carriers')
        Register-BatchShipCarrier -Name Echo -Command /bin/sh -ArgumentList '-c', 'echo "my secret is $CLIENT_SECRET" >&2; exit 3' -Environment @{ CLIENT_SECRET = 'secret:TestVault/UpsSecret' } | Out-Null
        $e = Get-ErrorOf { New-Order 'VLT-2' | Start-BatchShipment -Carrier Echo -Template ups-ground -Shipper $Shipper -Force }
        $e.FullyQualifiedErrorId | Should -BeLike 'E-4013*'
        $e.ErrorDetails.Message | Should -Match 'my secret is \*\*\*'
        "$e $($e.Exception.Message)" | Should -Not -Match $secret
        (Test-BatchShipCarrier -Name Echo).Problems.Problem -join ' ' | Should -Not -Match $secret

        Register-BatchShipCarrier -Name Missing -Command $Dotnet -ArgumentList $SandboxDll -Environment @{ CLIENT_SECRET = 'secret:TestVault/NoSuchSecret' } | Out-Null
        $t = Test-BatchShipCarrier -Name Missing
        $t.Problems[0].Problem | Should -Match 'E-5005.*secret:TestVault/NoSuchSecret'
    }
}
