# What IT will do with the MSI, on a throw-away Windows machine (the CI runner): a silent
# install, the installed selfcheck, the shared desk folder's rights, a major upgrade that keeps
# a desk file, a silent uninstall that keeps it too. Needs an administrator's shell.
#   pwsh packaging/windows/check-msi.ps1 -Msi Havre-0.1.0.msi -Newer Havre-0.1.1.msi -NewerVersion 0.1.1
param(
    [Parameter(Mandatory)][string]$Msi,
    [Parameter(Mandatory)][string]$Newer,
    [Parameter(Mandatory)][string]$NewerVersion,
    [string]$Logs = 'msi-logs'
)
$ErrorActionPreference = 'Stop'
New-Item -ItemType Directory -Force $Logs | Out-Null
# msiexec runs in a folder of its own choosing: every path it is given is absolute.
$Msi = (Resolve-Path $Msi).Path
$Newer = (Resolve-Path $Newer).Path
$Logs = (Resolve-Path $Logs).Path
$installed = Join-Path $env:ProgramFiles 'Havre'
$data = Join-Path $env:ProgramData 'Havre'
$desk = Join-Path $data 'desk.havre'

function Invoke-Msiexec([string]$Action, [string]$Package, [string]$Log) {
    $arguments = "$Action `"$Package`" /qn /l*v `"$(Join-Path $Logs $Log)`""
    $process = Start-Process msiexec.exe -Wait -PassThru -ArgumentList $arguments
    # 3010: done, a restart is needed to finish (never for Havre's files, but allowed by MSI).
    if ($process.ExitCode -notin 0, 3010) { throw "msiexec $arguments ended with $($process.ExitCode): see $Log" }
}

function Assert([bool]$Condition, [string]$What) {
    if (-not $Condition) { throw "not so: $What" }
    Write-Host "ok: $What"
}

function Test-Selfcheck {
    & (Join-Path $installed 'havre-cli.exe') selfcheck --no-crash-dialog
    Assert ($LASTEXITCODE -eq 0) 'the installed havre-cli.exe selfcheck passes'
}

function Get-HavreProducts {
    Get-ItemProperty 'HKLM:\SOFTWARE\Microsoft\Windows\CurrentVersion\Uninstall\*' |
        Where-Object { $_.DisplayName -eq 'Havre' }
}

Invoke-Msiexec '/i' $Msi 'install.log'
Assert (Test-Path (Join-Path $installed 'havre.exe')) "havre.exe is in $installed"
Assert (Test-Path (Join-Path $env:ProgramData 'Microsoft\Windows\Start Menu\Programs\Havre.lnk')) 'the Start menu shortcut is there for all users'
Test-Selfcheck
& net.exe localgroup 'Havre users' | Out-Null
Assert ($LASTEXITCODE -eq 0) 'the local group "Havre users" exists'
$rights = (& icacls.exe $data) -join "`n"
Write-Host $rights
Assert ($rights -match 'Havre users:\(OI\)\(CI\)\(M\)') "the group may modify $data and what it holds"
Assert ($rights -notmatch 'BUILTIN\\Users') "other users of the PC have no access to $data"

Set-Content -Path $desk -Value 'a desk made before the upgrade' -NoNewline
Invoke-Msiexec '/i' $Newer 'upgrade.log'
$products = @(Get-HavreProducts)
Assert ($products.Count -eq 1) 'one Havre is installed after the upgrade'
Assert ($products[0].DisplayVersion -eq $NewerVersion) "the installed Havre is $NewerVersion"
Assert ((Get-Content -Raw $desk) -eq 'a desk made before the upgrade') 'the upgrade kept the desk file'
Test-Selfcheck

Invoke-Msiexec '/x' $Newer 'uninstall.log'
Assert (-not (Test-Path (Join-Path $installed 'havre.exe'))) 'the uninstall removed the program'
Assert (@(Get-HavreProducts).Count -eq 0) 'no Havre is listed as installed'
Assert ((Get-Content -Raw $desk) -eq 'a desk made before the upgrade') 'the uninstall kept the desk file'
