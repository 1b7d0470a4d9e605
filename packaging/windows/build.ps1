<#
.SYNOPSIS
    Build the Windows installer of Refund Desk: one command, on Windows, from any directory.

.DESCRIPTION
    powershell -ExecutionPolicy Bypass -File packaging\windows\build.ps1

    Makes (or reuses) the .venv with Python 3.11 (the "py" launcher from python.org), installs the
    project with its `package` extra (PyInstaller), builds dist\refund-desk\ with
    packaging\refund_desk.spec (RefundDesk.exe windowed + refund-desk.exe console, icon and
    version resource), checks its Qt links, smoke-tests it (offscreen, throwaway data folder),
    optionally signs the executables, compiles packaging\windows\installer.nsi with NSIS and
    writes dist\RefundDesk-<version>-setup.exe (optionally signed too).

    Needs: Python 3.11 x64 (python.org; "py -3.11" must work) and NSIS 3 (winget install
    NSIS.NSIS, or https://nsis.sourceforge.io); makensis is looked up on PATH and in the default
    install folders.

.PARAMETER Python
    An interpreter to use instead of .venv\Scripts\python.exe.

.PARAMETER SignThumbprint
    SHA-1 thumbprint of a code-signing certificate in the user's store: signs RefundDesk.exe,
    refund-desk.exe and the installer with signtool (Windows SDK). Default:
    $env:REFUND_DESK_SIGN_THUMBPRINT; unsigned when empty (SmartScreen then warns operators).
#>
[CmdletBinding()]
param(
    [string]$Python = "",
    [string]$SignThumbprint = $env:REFUND_DESK_SIGN_THUMBPRINT,
    [string]$TimestampUrl = "http://timestamp.digicert.com"
)

$ErrorActionPreference = "Stop"
Set-StrictMode -Version Latest

function Invoke-Checked {
    param([Parameter(Mandatory)][string]$Exe, [string[]]$Arguments = @())
    # Native tools log to stderr (PyInstaller does, a lot): judge them by exit code only.
    $saved = $ErrorActionPreference
    $ErrorActionPreference = "Continue"
    try { & $Exe @Arguments } finally { $ErrorActionPreference = $saved }
    if ($LASTEXITCODE -ne 0) { throw "$Exe $($Arguments -join ' ') exited $LASTEXITCODE" }
}

function Find-Makensis {
    $cmd = Get-Command makensis.exe -ErrorAction SilentlyContinue
    if ($cmd) { return $cmd.Source }
    foreach ($dir in @(${env:ProgramFiles(x86)}, $env:ProgramFiles, $env:LOCALAPPDATA)) {
        if ($dir) {
            $candidate = Join-Path $dir "NSIS\makensis.exe"
            if (Test-Path $candidate) { return $candidate }
        }
    }
    throw "makensis.exe not found: install NSIS 3 (winget install NSIS.NSIS) or put it on PATH"
}

function Invoke-Sign {
    param([string[]]$Files)
    if (-not $SignThumbprint) { return }
    $signtool = Get-Command signtool.exe -ErrorAction SilentlyContinue
    if (-not $signtool) { throw "signtool.exe not found (Windows SDK) but a signing thumbprint was given" }
    Invoke-Checked $signtool.Source (@("sign", "/sha1", $SignThumbprint, "/fd", "sha256",
        "/tr", $TimestampUrl, "/td", "sha256") + $Files)
}

$Root = (Resolve-Path (Join-Path $PSScriptRoot "..\..")).Path
Set-Location $Root

if (-not $Python) {
    if (-not (Test-Path ".venv\Scripts\python.exe")) { Invoke-Checked "py" @("-3.11", "-m", "venv", ".venv") }
    $Python = Join-Path $Root ".venv\Scripts\python.exe"
}
Invoke-Checked $Python @("-m", "pip", "install", "-q", "--upgrade", "pip", "setuptools>=64", "wheel")
Invoke-Checked $Python @("-m", "pip", "install", "-q", "-e", ".[package]")

$match = Select-String -Path "refund_desk\__init__.py" -Pattern '^__version__ = "(.*)"'
if (-not $match) { throw "no __version__ in refund_desk\__init__.py" }
$Version = $match.Matches[0].Groups[1].Value
$numbers = @([regex]::Matches($Version, '\d+') | ForEach-Object { $_.Value }) + @("0", "0", "0", "0")
$VersionNumeric = ($numbers[0..3]) -join "."

Write-Host "== building Refund Desk $Version ($VersionNumeric) for Windows"
Invoke-Checked $Python @("-m", "PyInstaller", "--noconfirm", "--clean", "--log-level", "WARN",
    "--distpath", "dist", "--workpath", "build\pyinstaller", "packaging\refund_desk.spec")
Invoke-Checked $Python @("packaging\check_bundle.py", "dist\refund-desk")

Write-Host "== smoke test"
$smokeHome = Join-Path ([System.IO.Path]::GetTempPath()) ("refund-desk-smoke-" + [guid]::NewGuid())
New-Item -ItemType Directory -Path $smokeHome | Out-Null
$env:QT_QPA_PLATFORM = "offscreen"
$env:REFUND_DESK_HOME = $smokeHome
try {
    Invoke-Checked "dist\refund-desk\refund-desk.exe" @("--smoke")
    # The bundled Python with the bundled Qt binding must keep its counts of None and True.
    Invoke-Checked "dist\refund-desk\refund-desk.exe" @("--qt-refcount-probe")
} finally {
    Remove-Item Env:QT_QPA_PLATFORM, Env:REFUND_DESK_HOME -ErrorAction SilentlyContinue
    Remove-Item -Recurse -Force $smokeHome -ErrorAction SilentlyContinue
}
# The frozen desk quotes exactly as the source does (golden snapshot, through the bundle's CLI).
Invoke-Checked $Python @("packaging\check_bundle_quotes.py", "dist\refund-desk\refund-desk.exe")

Invoke-Sign @("dist\refund-desk\RefundDesk.exe", "dist\refund-desk\refund-desk.exe")

Write-Host "== installer"
$makensis = Find-Makensis
$setup = Join-Path $Root "dist\RefundDesk-$Version-setup.exe"
Invoke-Checked $makensis @("/V2", "/WX", "/DVERSION=$Version", "/DVERSION_NUMERIC=$VersionNumeric",
    "/DBUNDLE_DIR=$Root\dist\refund-desk", "/DOUTFILE=$setup", "packaging\windows\installer.nsi")
Invoke-Sign @($setup)

$bundleMB = [math]::Round(((Get-ChildItem -Recurse -File "dist\refund-desk" | Measure-Object Length -Sum).Sum / 1MB), 1)
$setupMB = [math]::Round(((Get-Item $setup).Length / 1MB), 1)
Write-Host "== done: $setup ($setupMB MB; bundle $bundleMB MB)"
Get-FileHash -Algorithm SHA256 $setup | Format-List
