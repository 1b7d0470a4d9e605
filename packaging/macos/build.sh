#!/usr/bin/env bash
# Build the macOS release of Refund Desk: one command, on a Mac, from any directory.
#
#   packaging/macos/build.sh
#
# Makes (or reuses) the .venv (python3.11 from python.org or Homebrew), installs the project with
# its `package` extra (PyInstaller), builds "dist/Refund Desk.app" with packaging/refund_desk.spec
# (icon resources/icons/refund-desk.icns, CFBundleShortVersionString = refund_desk.__version__,
# bundle id com.refunddesk.RefundDesk), checks its Qt links, smoke-tests it offscreen, signs it
# and packs dist/RefundDesk-<version>-macos-<arch>.dmg (the app plus an /Applications link).
#
# Signing and notarisation (optional; without them the app is ad-hoc signed, and operators must
# right-click > Open the first time, see docs/PACKAGING.md):
#   CODESIGN_IDENTITY="Developer ID Application: Example Ltd (TEAMID)"   sign app and .dmg
#   NOTARY_PROFILE=refund-desk    notarise the .dmg with a keychain profile made once with
#       xcrun notarytool store-credentials refund-desk --apple-id ... --team-id ... --password ...
#   and staple the ticket to it.
# Other environment: PYTHON (an interpreter to use instead of .venv/bin/python).
#
# PyInstaller cannot cross-build: build on the oldest macOS you support, on the CPU you ship
# (arm64 on Apple silicon; x86_64 on an Intel Mac or under `arch -x86_64` with an x86_64 Python).
set -euo pipefail
cd "$(dirname "$0")/../.."

if [ "$(uname -s)" != "Darwin" ]; then
  echo "build.sh: this script runs on macOS (hdiutil, codesign)" >&2
  exit 1
fi
if [ -z "${PYTHON:-}" ]; then
  [ -x .venv/bin/python ] || python3.11 -m venv .venv || python3 -m venv .venv
  PYTHON=.venv/bin/python
fi
"$PYTHON" -m pip install -q --upgrade pip "setuptools>=64" wheel
"$PYTHON" -m pip install -q -e '.[package]'

VERSION="$(sed -n 's/^__version__ = "\(.*\)"/\1/p' refund_desk/__init__.py)"
ARCH="$(uname -m)"
APP="dist/Refund Desk.app"
DMG="dist/RefundDesk-$VERSION-macos-$ARCH.dmg"

echo "== building Refund Desk $VERSION for macOS $ARCH"
"$PYTHON" -m PyInstaller --noconfirm --clean --log-level WARN \
  --distpath dist --workpath build/pyinstaller packaging/refund_desk.spec
"$PYTHON" packaging/check_bundle.py "$APP"
/usr/libexec/PlistBuddy -c "Print :CFBundleShortVersionString" "$APP/Contents/Info.plist"

echo "== smoke test"
smoke_home="$(mktemp -d)"
staging="$(mktemp -d)"
trap 'rm -rf "$smoke_home" "$staging"' EXIT
env -i PATH=/usr/bin:/bin HOME="$smoke_home" LANG=en_US.UTF-8 QT_QPA_PLATFORM=offscreen \
  REFUND_DESK_HOME="$smoke_home/data" "$APP/Contents/MacOS/refund-desk" --smoke
# The bundled Python with the bundled Qt binding must keep its counts of None and True.
env -i PATH=/usr/bin:/bin HOME="$smoke_home" LANG=en_US.UTF-8 QT_QPA_PLATFORM=offscreen \
  "$APP/Contents/MacOS/refund-desk" --qt-refcount-probe
"$PYTHON" packaging/check_bundle_quotes.py "$APP/Contents/MacOS/refund-desk"

echo "== signing"
if [ -n "${CODESIGN_IDENTITY:-}" ]; then
  # Hardened runtime (required for notarisation); the entitlements let the embedded Python load
  # its own extension modules. --deep signs the nested Qt frameworks and plugins too.
  codesign --force --deep --timestamp --options runtime \
    --entitlements packaging/macos/entitlements.plist --sign "$CODESIGN_IDENTITY" "$APP"
  codesign --verify --deep --strict --verbose=2 "$APP"
else
  echo "CODESIGN_IDENTITY not set: ad-hoc signature only (fine for testing, not for operators)"
  codesign --force --deep --sign - "$APP"
fi

echo "== disk image"
cp -R "$APP" "$staging/"
ln -s /Applications "$staging/Applications"
rm -f "$DMG"
hdiutil create -volname "Refund Desk $VERSION" -srcfolder "$staging" -ov -format UDZO "$DMG"
if [ -n "${CODESIGN_IDENTITY:-}" ]; then
  codesign --force --timestamp --sign "$CODESIGN_IDENTITY" "$DMG"
fi
if [ -n "${NOTARY_PROFILE:-}" ]; then
  echo "== notarising (a few minutes)"
  xcrun notarytool submit "$DMG" --keychain-profile "$NOTARY_PROFILE" --wait
  xcrun stapler staple "$DMG"
  spctl --assess --type open --context context:primary-signature --verbose "$DMG"
fi
echo "== done: $DMG ($(du -h "$DMG" | cut -f1); app $(du -sh "$APP" | cut -f1))"
shasum -a 256 "$DMG"
