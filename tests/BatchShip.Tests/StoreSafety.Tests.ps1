# A store that is not private to the current user, and store paths the cmdlets must resolve like PowerShell does.

BeforeAll {
    . (Join-Path $PSScriptRoot 'TestSupport.ps1')
    Import-Module $ModulePath -Force
    $script:StoreDatabase = 'batchship.db'
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

Describe 'A store folder that cannot be reached' -Skip:$IsWindows {
    It 'gives E-4012 naming the folder, not a bare access error' {
        $locked = Join-Path $TestDrive ('locked-' + [guid]::NewGuid().ToString('N'))
        New-Item -ItemType Directory $locked | Out-Null
        [IO.File]::SetUnixFileMode($locked, [IO.UnixFileMode]0)
        $store = Join-Path $locked 'store'
        # Root passes every permission check; run the child without that power so the folder really is shut to it.
        $asUser = if ([Environment]::UserName -eq 'root') { 'setpriv --bounding-set -dac_override,-dac_read_search -- ' } else { '' }
        $exe = [Environment]::ProcessPath
        $prefix = if ([IO.Path]::GetFileNameWithoutExtension($exe) -eq 'dotnet') { "'$(Join-Path $PSHOME 'pwsh.dll')'" } else { '' }
        try {
            $script = "`$env:BATCHSHIP_HOME = '$store'; Import-Module '$ModulePath'; try { Get-BatchJob -ErrorAction Stop } catch { `$_.FullyQualifiedErrorId; `$_.Exception.GetType().Name; `"`$_`" }"
            $output = & /bin/sh -c "$asUser'$exe' $prefix -NoProfile -NonInteractive -Command `"$($script -replace '"', '\"' -replace '\$', '\$')`"" 2>&1
        }
        finally {
            [IO.File]::SetUnixFileMode($locked, [IO.UnixFileMode]448)
        }
        $text = $output | Out-String
        $output[0] | Should -BeLike 'E-4012*' -Because $text
        $output[1] | Should -Be 'BatchShipException' -Because $text
        $text | Should -BeLike "*$store*"
    }
}

Describe 'A relative BATCHSHIP_HOME' {
    It 'is resolved against the PowerShell location, like any path given to a cmdlet' {
        $name = 'relative-store-' + [guid]::NewGuid().ToString('N')
        $saved = $env:BATCHSHIP_HOME
        $env:BATCHSHIP_HOME = $name
        Push-Location $TestDrive
        try {
            Get-BatchJob | Out-Null
        }
        finally {
            Pop-Location
            $env:BATCHSHIP_HOME = $saved
            # Where the process directory would have put it: removed so a failure leaves nothing behind.
            Remove-Item (Join-Path ([Environment]::CurrentDirectory) $name) -Recurse -Force -ErrorAction SilentlyContinue
        }
        Test-Path (Join-Path $TestDrive $name $StoreDatabase) | Should -BeTrue
    }
}
