#!/usr/bin/env bash
# Run the Windows installer's logic under Wine (64-bit) on Linux: compile installer.nsi for
# amd64 around a stand-in bundle, then check, as a Windows user would see it:
#   1. silent install  -> files in %LOCALAPPDATA%\Programs\Refund Desk, a Start-menu entry and the
#                         HKCU uninstall entry (version, uninstall strings), no admin rights;
#   2. silent uninstall -> program, shortcut and uninstall entry gone; the data folder
#                         %LOCALAPPDATA%\RefundDesk\RefundDesk and the settings key KEPT;
#   3. reinstall, then uninstall /REMOVEDATA -> data folder and settings key gone too;
#   4. install again and start the desk (a stand-in: Wine's cmd.exe), then upgrade silently ->
#      the installer refuses with exit code 2 and leaves the running installation untouched.
# (The interactive uninstaller's "Also remove my data" box selects the same section.)
#
#   packaging/windows/check_installer_wine.sh      # needs makensis (nsis) and wine64
#
# Exit status 0 when every check holds. About 25 s.
set -euo pipefail
cd "$(dirname "$0")/../.."

NSI="${NSI:-packaging/windows/installer.nsi}"  # the script under test
WINE="${WINE:-$(command -v wine64 || echo /usr/lib/wine/wine64)}"
WINESERVER="$(command -v wineserver || echo "$(dirname "$WINE")/wineserver")"
[ -x "$WINE" ] || { echo "check_installer_wine: wine64 not found" >&2; exit 2; }
command -v makensis >/dev/null || { echo "check_installer_wine: makensis not found" >&2; exit 2; }

tmp="$(mktemp -d)"
export WINEPREFIX="$tmp/prefix" WINEDEBUG=-all DISPLAY='' WINEDLLOVERRIDES="mscoree,mshtml="
cleanup() { "$WINESERVER" -k >/dev/null 2>&1 || true; rm -rf "$tmp"; }
trap cleanup EXIT
fail() { echo "check_installer_wine: FAILED: $*" >&2; exit 1; }
wine_run() { timeout 120 "$WINE" "$@" </dev/null; "$WINESERVER" -w; }
reg_has() { timeout 60 "$WINE" reg query "$1" >/dev/null 2>&1; }

wine_run wineboot --init >/dev/null 2>&1

bundle="$tmp/bundle"
mkdir -p "$bundle/_internal/resources"
# The stand-in desk is a real Windows program (Wine's own cmd.exe), so that it can be left running.
cp "$WINEPREFIX/drive_c/windows/system32/cmd.exe" "$bundle/RefundDesk.exe"
echo "stand-in" > "$bundle/refund-desk.exe"
echo "stand-in" > "$bundle/_internal/resources/r.txt"
setup="$tmp/RefundDesk-9.8.7-setup.exe"
makensis -V2 -WX "-XTarget amd64-unicode" -DNOCOMPRESS -DVERSION=9.8.7 \
  -DBUNDLE_DIR="$bundle" -DOUTFILE="$setup" "$NSI"

users="$WINEPREFIX/drive_c/users"
profile="$(find "$users" -mindepth 1 -maxdepth 1 -type d ! -name Public | head -1)"
local_app="$profile/AppData/Local"
programs="$local_app/Programs/Refund Desk"
shortcut="$profile/AppData/Roaming/Microsoft/Windows/Start Menu/Programs/Refund Desk.lnk"
data="$local_app/RefundDesk/RefundDesk"
uninst_key='HKCU\Software\Microsoft\Windows\CurrentVersion\Uninstall\RefundDesk'
settings_key='HKCU\Software\RefundDesk\RefundDesk'

# 1. Install
wine_run "$setup" /S
[ -f "$programs/RefundDesk.exe" ] || fail "RefundDesk.exe not in $programs"
[ -f "$programs/_internal/resources/r.txt" ] || fail "bundle folder not copied"
[ -f "$programs/Uninstall.exe" ] || fail "no uninstaller"
[ -f "$shortcut" ] || fail "no Start-menu entry"
entry="$(timeout 60 "$WINE" reg query "$uninst_key" 2>/dev/null | tr -d '\r')"
grep -q 'DisplayVersion *REG_SZ *9.8.7' <<<"$entry" || fail "uninstall entry lacks the version"
grep -q 'QuietUninstallString.*Uninstall.exe" /S' <<<"$entry" || fail "no quiet uninstall string"

# The operator works: a database and settings appear.
mkdir -p "$data"
echo "operator data" > "$data/desk.db"
timeout 60 "$WINE" reg add "$settings_key" /v operator /d alice /f >/dev/null 2>&1

# 2. Plain (silent) uninstall keeps the data
wine_run "$programs/Uninstall.exe" /S
[ ! -e "$programs" ] || fail "program folder left after uninstall"
[ ! -e "$shortcut" ] || fail "Start-menu entry left after uninstall"
! reg_has "$uninst_key" || fail "uninstall entry left after uninstall"
[ "$(cat "$data/desk.db" 2>/dev/null)" = "operator data" ] || fail "uninstall deleted the data"
reg_has "$settings_key" || fail "uninstall deleted the settings"

# 3. Reinstall finds the data; uninstall /REMOVEDATA removes it
wine_run "$setup" /S
[ "$(cat "$data/desk.db" 2>/dev/null)" = "operator data" ] || fail "reinstall lost the data"
wine_run "$programs/Uninstall.exe" /S /REMOVEDATA
[ ! -e "$local_app/RefundDesk" ] || fail "/REMOVEDATA left $local_app/RefundDesk"
! reg_has 'HKCU\Software\RefundDesk' || fail "/REMOVEDATA left the settings key"
[ ! -e "$programs" ] || fail "program folder left after uninstall /REMOVEDATA"

# 4. An upgrade while the desk runs is refused and changes nothing
wine_run "$setup" /S
mkfifo "$tmp/stdin"
sleep 60 >"$tmp/stdin" &
holder=$!
timeout 90 "$WINE" "$programs/RefundDesk.exe" /k <"$tmp/stdin" >/dev/null 2>&1 &
sleep 3
set +e
timeout 120 "$WINE" "$setup" /S </dev/null
upgrade_rc=$?
set -e
kill "$holder" 2>/dev/null || true
"$WINESERVER" -k >/dev/null 2>&1 || true
[ "$upgrade_rc" -eq 2 ] || fail "upgrade while running exited $upgrade_rc, expected 2"
[ -f "$programs/_internal/resources/r.txt" ] || fail "refused upgrade still removed files"

echo "check_installer_wine: per-user install, Start menu, HKCU entry; uninstall keeps data," \
  "/REMOVEDATA removes it; no upgrade while the desk runs -- all OK"
