# Authenticode-sign files with the PFX certificate given in the environment, with an RFC 3161
# timestamp (the signature stays valid after the certificate expires), then verify them.
#   $env:WINDOWS_PFX_BASE64, $env:WINDOWS_PFX_PASSWORD; $env:WINDOWS_TIMESTAMP_URL (optional)
#   pwsh packaging/windows/sign.ps1 dist\havre\havre.exe dist\havre\havre-cli.exe
param([Parameter(Mandatory, ValueFromRemainingArguments)][string[]]$Files)
$ErrorActionPreference = 'Stop'
$timestamp = if ($env:WINDOWS_TIMESTAMP_URL) { $env:WINDOWS_TIMESTAMP_URL } else { 'http://timestamp.digicert.com' }
$signtool = Get-ChildItem "${env:ProgramFiles(x86)}\Windows Kits\10\bin\*\x64\signtool.exe" |
    Sort-Object FullName -Descending | Select-Object -First 1
if (-not $signtool) { throw 'signtool.exe not found (Windows SDK)' }
$pfx = Join-Path $env:RUNNER_TEMP 'havre-signing.pfx'
[IO.File]::WriteAllBytes($pfx, [Convert]::FromBase64String($env:WINDOWS_PFX_BASE64))
try {
    & $signtool.FullName sign /f $pfx /p $env:WINDOWS_PFX_PASSWORD /fd sha256 /tr $timestamp /td sha256 /d Havre @Files
    if ($LASTEXITCODE -ne 0) { throw 'signtool sign failed' }
    & $signtool.FullName verify /pa /all @Files
    if ($LASTEXITCODE -ne 0) { throw 'signtool verify failed' }
} finally {
    Remove-Item -Force $pfx
}
