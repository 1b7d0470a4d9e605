#!/usr/bin/env bash
# CI packaging stage (Linux): build the PyInstaller bundle, smoke-test it on the offscreen
# platform with no Python on PATH, re-check golden quotes through its command line, print its
# size, then compile the Windows installer script against it with makensis (to catch NSIS script
# errors; the installer it makes is discarded) and run the installer's install/uninstall logic
# under Wine (packaging/windows/check_installer_wine.sh).
#
#   packaging/ci_bundle.sh            # from the repository root, after `pip install -e '.[package]'`
#
# Environment:
#   PYTHON        the interpreter with PyInstaller (default .venv/bin/python)
#   DIST, WORK    output and work folders (default dist/ and build/pyinstaller/)
#   SMOKE_TIMEOUT seconds allowed for `refund-desk --smoke` (default 300)
# Exit status: non-zero when the build, the smoke run or the NSIS compile fails.
set -euo pipefail
cd "$(dirname "$0")/.."

PYTHON="${PYTHON:-.venv/bin/python}"
DIST="${DIST:-dist}"
WORK="${WORK:-build/pyinstaller}"
SMOKE_TIMEOUT="${SMOKE_TIMEOUT:-300}"
BUNDLE="$DIST/refund-desk"
VERSION="$(sed -n 's/^__version__ = "\(.*\)"/\1/p' refund_desk/__init__.py)"
# Four numbers for the installer's version resource, as build.ps1 computes them (0.1.0 -> 0.1.0.0).
VERSION_NUMERIC="$(printf '%s' "$VERSION" | grep -oE '[0-9]+' | head -4 | paste -sd. -)"
while [ "$(printf '%s' "$VERSION_NUMERIC" | tr -cd . | wc -c)" -lt 3 ]; do
  VERSION_NUMERIC="$VERSION_NUMERIC.0"
done

stage_start=$SECONDS
step() { echo "== packaging: $* ($((SECONDS - stage_start)) s)"; }

# 1. Build ------------------------------------------------------------------------------------
step "building the bundle, version $VERSION"
t0=$SECONDS
"$PYTHON" -m PyInstaller --noconfirm --clean --log-level WARN \
  --distpath "$DIST" --workpath "$WORK" packaging/refund_desk.spec
build_s=$((SECONDS - t0))

# 2. Check the Qt pruning left no dangling Qt library link -------------------------------------
step "checking Qt library links"
"$PYTHON" packaging/check_bundle.py "$BUNDLE"

# 3. Smoke test: the bundle alone (clean environment, no Python, offscreen, throwaway data) ------
step "smoke test: $BUNDLE/refund-desk --smoke"
home="$(mktemp -d)"
trap 'rm -rf "$home"' EXIT
t0=$SECONDS
set +e
env -i PATH=/usr/bin:/bin HOME="$home" LANG=C.UTF-8 QT_QPA_PLATFORM=offscreen \
  REFUND_DESK_HOME="$home/data" \
  timeout "$SMOKE_TIMEOUT" "$BUNDLE/refund-desk" --smoke
smoke_rc=$?
set -e
smoke_s=$((SECONDS - t0))
if [ "$smoke_rc" -ne 0 ]; then
  echo "packaging: FAILED: '$BUNDLE/refund-desk --smoke' exited $smoke_rc" >&2
  exit 1
fi
# The second start reuses the demo database the first one created (the operator's second day).
t0=$SECONDS
env -i PATH=/usr/bin:/bin HOME="$home" LANG=C.UTF-8 QT_QPA_PLATFORM=offscreen \
  REFUND_DESK_HOME="$home/data" \
  timeout "$SMOKE_TIMEOUT" "$BUNDLE/refund-desk" --smoke \
  || { echo "packaging: FAILED: second --smoke run" >&2; exit 1; }
smoke2_s=$((SECONDS - t0))

# 3b. The bundled interpreter with the bundled Qt binding keeps its counts of None and True
# (PySide6 6.12.0 on Python 3.11 leaks them and aborts the desk after a few thousand actions).
step "Qt binding refcount probe in the bundle"
env -i PATH=/usr/bin:/bin HOME="$home" LANG=C.UTF-8 QT_QPA_PLATFORM=offscreen \
  REFUND_DESK_HOME="$home/data" \
  timeout "$SMOKE_TIMEOUT" "$BUNDLE/refund-desk" --qt-refcount-probe \
  || { echo "packaging: FAILED: the bundled Qt binding leaks references (issue 16)" >&2; exit 1; }

# 4. The frozen desk quotes exactly as the source does (golden snapshot, through the bundle's CLI).
step "golden quotes through the bundle"
t0=$SECONDS
"$PYTHON" packaging/check_bundle_quotes.py "$BUNDLE/refund-desk"
golden_s=$((SECONDS - t0))

# 5. A real X server (Xvfb): the xcb platform plugin Linux operators use loads from the bundle
# (the offscreen runs above never load it). Needs Xvfb plus the xcb libraries every desktop has.
step "smoke test on X11 (Xvfb)"
x11_pkgs="xvfb xauth libxcb-icccm4 libxcb-keysyms1 libxcb-image0 libxcb-randr0 \
libxcb-render-util0 libxcb-shape0 libxcb-xkb1 libxkbcommon-x11-0 libxcb-cursor0"
if ! command -v xvfb-run >/dev/null 2>&1 && command -v apt-get >/dev/null 2>&1; then
  # shellcheck disable=SC2086
  apt-get install -y -qq --no-install-recommends $x11_pkgs >/dev/null || true
fi
t0=$SECONDS
if command -v xvfb-run >/dev/null 2>&1; then
  env -i PATH=/usr/bin:/bin HOME="$home" LANG=C.UTF-8 REFUND_DESK_HOME="$home/data" \
    xvfb-run -a -s "-screen 0 1280x800x24" \
    timeout "$SMOKE_TIMEOUT" "$BUNDLE/refund-desk" --smoke \
    || { echo "packaging: FAILED: --smoke on X11 (xcb)" >&2; exit 1; }
  x11_s="$((SECONDS - t0)) s"
else
  echo "packaging: warning: xvfb-run not available; the xcb platform was not started"
  x11_s="skipped (no Xvfb)"
fi

size_mb=$(du -sm "$BUNDLE" | cut -f1)
files=$(find "$BUNDLE" -type f | wc -l)

# 6. NSIS: compile the Windows installer script (uncompressed: this is a syntax/logic check) -----
step "compiling packaging/windows/installer.nsi with makensis"
if ! command -v makensis >/dev/null 2>&1 && command -v apt-get >/dev/null 2>&1; then
  apt-get install -y -qq --no-install-recommends nsis >/dev/null \
    || { apt-get update -qq && apt-get install -y -qq --no-install-recommends nsis >/dev/null; }
fi
if ! command -v makensis >/dev/null 2>&1; then
  echo "packaging: FAILED: makensis not found (Debian package nsis)" >&2
  exit 1
fi
nsis_out="$(mktemp -d)"
t0=$SECONDS
makensis -V2 -WX -DNOCOMPRESS -DVERSION="$VERSION" -DVERSION_NUMERIC="$VERSION_NUMERIC" \
  -DBUNDLE_DIR="$(pwd)/$BUNDLE" \
  -DOUTFILE="$nsis_out/RefundDesk-$VERSION-setup.exe" packaging/windows/installer.nsi
nsis_s=$((SECONDS - t0))
rm -rf "$nsis_out"

# 7. The installer's logic under Wine: per-user install, uninstall keeps data, /REMOVEDATA.
step "running the Windows installer under Wine"
if ! command -v wine64 >/dev/null 2>&1 && [ ! -x /usr/lib/wine/wine64 ] \
  && command -v apt-get >/dev/null 2>&1; then
  apt-get install -y -qq --no-install-recommends wine64 >/dev/null || true
fi
t0=$SECONDS
if command -v wine64 >/dev/null 2>&1 || [ -x /usr/lib/wine/wine64 ]; then
  packaging/windows/check_installer_wine.sh
  wine_s="$((SECONDS - t0)) s"
else
  echo "packaging: warning: wine64 not available; installer behaviour not run (compile only)"
  wine_s="skipped (no wine64)"
fi

echo "== packaging: OK"
echo "bundle:        $BUNDLE (version $VERSION)"
echo "bundle size:   ${size_mb} MB in ${files} files"
echo "build:         ${build_s} s"
echo "smoke:         ${smoke_s} s first start (creates the demo database), ${smoke2_s} s second"
echo "smoke on X11:  ${x11_s}"
echo "golden quotes: ${golden_s} s"
echo "nsis compile:  ${nsis_s} s"
echo "wine install:  ${wine_s}"
echo "stage total:   $((SECONDS - stage_start)) s"
