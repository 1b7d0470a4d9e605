#!/usr/bin/env bash
# Build the Linux release of Refund Desk: one command, from any directory.
#
#   packaging/linux/build.sh
#
# Makes (or reuses) the .venv, installs the project with its `package` extra (PyInstaller),
# builds the one-folder bundle with packaging/refund_desk.spec, checks its Qt links, smoke-tests
# it (offscreen, clean environment, throwaway data folder) and packs
#   dist/refund-desk-<version>-linux-<arch>.tar.gz
# holding refund-desk/ (the bundle), install.sh (per-user install, see its header) and README.txt.
#
# Environment: PYTHON (an interpreter to use instead of .venv/bin/python).
set -euo pipefail
cd "$(dirname "$0")/../.."

if [ -z "${PYTHON:-}" ]; then
  [ -x .venv/bin/python ] || python3 -m venv .venv
  PYTHON=.venv/bin/python
fi
"$PYTHON" -m pip install -q --upgrade pip "setuptools>=64" wheel
"$PYTHON" -m pip install -q -e '.[package]'

VERSION="$(sed -n 's/^__version__ = "\(.*\)"/\1/p' refund_desk/__init__.py)"
ARCH="$(uname -m)"
echo "== building Refund Desk $VERSION for linux-$ARCH"
"$PYTHON" -m PyInstaller --noconfirm --clean --log-level WARN \
  --distpath dist --workpath build/pyinstaller packaging/refund_desk.spec
"$PYTHON" packaging/check_bundle.py dist/refund-desk

echo "== smoke test"
smoke_home="$(mktemp -d)"
trap 'rm -rf "$smoke_home"' EXIT
env -i PATH=/usr/bin:/bin HOME="$smoke_home" LANG=C.UTF-8 QT_QPA_PLATFORM=offscreen \
  REFUND_DESK_HOME="$smoke_home/data" dist/refund-desk/refund-desk --smoke
# The bundled Python with the bundled Qt binding must keep its counts of None and True.
env -i PATH=/usr/bin:/bin HOME="$smoke_home" LANG=C.UTF-8 QT_QPA_PLATFORM=offscreen \
  dist/refund-desk/refund-desk --qt-refcount-probe
"$PYTHON" packaging/check_bundle_quotes.py dist/refund-desk/refund-desk

echo "== packing"
name="refund-desk-$VERSION-linux-$ARCH"
stage="build/linux-release/$name"
rm -rf "build/linux-release"
mkdir -p "$stage"
cp -a dist/refund-desk "$stage/refund-desk"
install -m 0755 packaging/linux/install.sh "$stage/install.sh"
cat > "$stage/README.txt" <<TXT
Refund Desk $VERSION for Linux ($ARCH)

Install for your user (no root needed):   ./install.sh
Then start "Refund Desk" from the applications menu, or run: ~/.local/bin/refund-desk
Uninstall (keeps your database):          ./install.sh --uninstall
Uninstall and delete your data too:       ./install.sh --uninstall --remove-data

The desk needs the X11 or Wayland libraries every desktop has; on a minimal Debian/Ubuntu:
  sudo apt install libxcb-cursor0 libxcb-icccm4 libxcb-keysyms1 libxkbcommon-x11-0 libegl1
TXT
tarball="dist/$name.tar.gz"
tar -czf "$tarball" -C build/linux-release "$name"
echo "== done: $tarball ($(du -h "$tarball" | cut -f1); bundle $(du -sh dist/refund-desk | cut -f1))"
sha256sum "$tarball"
