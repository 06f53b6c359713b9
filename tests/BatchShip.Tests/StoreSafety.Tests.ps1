# A store that is not private to the current user, and store paths the cmdlets must resolve like PowerShell does.

BeforeAll {
    . (Join-Path $PSScriptRoot 'TestSupport.ps1')
    Import-Module $ModulePath -Force
}

AfterAll {
    Remove-Module BatchShip -ErrorAction SilentlyContinue
}

Describe 'A store another user can change' -Skip:$IsWindows {
    BeforeEach {
        $testHome = Use-TestStore
        Get-BatchJob | Out-Null # creates the store
    }

    It 'never runs the command of a carrier profile others can write, and names the chmod that fixes it' {
        $folder = New-Item -ItemType Directory -Force (Join-Path $testHome 'carriers')
        $marker = Join-Path $testHome 'ran.txt'
        $profilePath = Join-Path $folder 'Planted.json'
        @{ command = '/bin/sh'; args = @('-c', "touch '$marker'") } | ConvertTo-Json | Set-Content $profilePath
        [IO.File]::SetUnixFileMode($profilePath, [IO.UnixFileMode]438) # 0666

        $err = $null
        try { New-Order 'PLANTED-1' | Start-BatchShipment -Template ups-ground -Shipper $Shipper -Carrier Planted -Force -ErrorAction Stop | Out-Null }
        catch { $err = $_ }

        $err | Should -Not -BeNullOrEmpty
        $err.FullyQualifiedErrorId | Should -BeLike 'E-4012*'
        "$err" | Should -BeLike "*chmod 600 '$profilePath'*"
        Test-Path $marker | Should -BeFalse -Because 'the planted command must never run'
    }

    It 'refuses a store folder others can write (mode 0777) with E-4012' {
        [IO.File]::SetUnixFileMode($testHome, [IO.UnixFileMode]511) # 0777
        { Get-BatchJob -ErrorAction Stop } | Should -Throw -ErrorId 'E-4012*'
    }
}
