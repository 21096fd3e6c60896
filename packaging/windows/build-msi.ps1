# Build Havre's MSI from a one-folder build: havre.wxs (WiX 3 source, also compiled by wixl on
# Linux) is converted to the current schema by `wix convert`, then built by `wix build`.
#   pwsh packaging/windows/build-msi.ps1 -Version 0.1.0 -Build dist\havre -Out dist\Havre-0.1.0.msi
param(
    [Parameter(Mandatory)][string]$Version,
    [Parameter(Mandatory)][string]$Build,
    [Parameter(Mandatory)][string]$Out
)
$ErrorActionPreference = 'Stop'
$here = $PSScriptRoot
$work = Join-Path ([IO.Path]::GetTempPath()) "havre-msi-$Version"
Remove-Item -Recurse -Force $work -ErrorAction SilentlyContinue
New-Item -ItemType Directory $work | Out-Null

Copy-Item (Join-Path $here 'havre.wxs') $work
python (Join-Path $here 'harvest.py') $Build (Join-Path $work 'files.wxs')
if ($LASTEXITCODE -ne 0) { throw "harvest.py failed on $Build" }

# `wix convert` rewrites the files in place and reports every change it made as a message
# with a non-zero exit code, so its code says nothing about success: `wix build` below fails
# if anything was left unconverted.
wix convert (Join-Path $work 'havre.wxs') (Join-Path $work 'files.wxs')
Get-Content (Join-Path $work 'havre.wxs')

$source = (Resolve-Path $Build).Path
wix build -arch x64 -d Compiler=wix -d "Version=$Version" -d "SourceDir=$source" `
    (Join-Path $work 'havre.wxs') (Join-Path $work 'files.wxs') -o $Out
if ($LASTEXITCODE -ne 0) { throw "wix build failed" }
Get-Item $Out
