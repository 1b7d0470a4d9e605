#!/usr/bin/env bash
# Per-user install of the Refund Desk Linux bundle (shipped next to it in the release tarball).
#
#   ./install.sh                           install or upgrade into ~/.local/opt/refund-desk
#   ./install.sh --uninstall               remove the program, keep your database and settings
#   ./install.sh --uninstall --remove-data remove the program and your data
#
# Installs: ~/.local/opt/refund-desk/ (the bundle), ~/.local/bin/refund-desk (a link),
# ~/.local/share/applications/refund-desk.desktop (menu entry) and the icons under
# ~/.local/share/icons/hicolor/. Your data lives apart, in ~/.local/share/RefundDesk
# (the database) and ~/.config/RefundDesk (settings); upgrades and plain uninstalls never touch it.
set -euo pipefail

here="$(cd "$(dirname "$0")" && pwd)"
data_home="${XDG_DATA_HOME:-$HOME/.local/share}"
config_home="${XDG_CONFIG_HOME:-$HOME/.config}"
prefix="${REFUND_DESK_PREFIX:-$HOME/.local/opt/refund-desk}"
bin_link="$HOME/.local/bin/refund-desk"
desktop_file="$data_home/applications/refund-desk.desktop"
icon_sizes="16 24 32 48 64 128 256 512"

uninstall=0
remove_data=0
for arg in "$@"; do
  case "$arg" in
    --uninstall) uninstall=1 ;;
    --remove-data) remove_data=1 ;;
    -h|--help) sed -n '2,12p' "$0"; exit 0 ;;
    *) echo "install.sh: unknown option $arg" >&2; exit 2 ;;
  esac
done

remove_program() {
  rm -rf "$prefix"
  rm -f "$bin_link" "$desktop_file"
  for s in $icon_sizes; do
    rm -f "$data_home/icons/hicolor/${s}x${s}/apps/refund-desk.png"
  done
}

if [ "$uninstall" -eq 1 ]; then
  remove_program
  if [ "$remove_data" -eq 1 ]; then
    rm -rf "$data_home/RefundDesk" "$config_home/RefundDesk"
    echo "Refund Desk removed, with your data."
  else
    echo "Refund Desk removed. Your data is kept in $data_home/RefundDesk."
  fi
  exit 0
fi

if [ "$remove_data" -eq 1 ]; then
  echo "install.sh: --remove-data only goes with --uninstall" >&2
  exit 2
fi
if [ ! -x "$here/refund-desk/refund-desk" ]; then
  echo "install.sh: $here/refund-desk/refund-desk not found (run me from the unpacked tarball)" >&2
  exit 1
fi

remove_program  # an upgrade replaces the previous bundle completely
mkdir -p "$(dirname "$prefix")" "$(dirname "$bin_link")" "$(dirname "$desktop_file")"
cp -a "$here/refund-desk" "$prefix"
ln -sf "$prefix/refund-desk" "$bin_link"
for s in $icon_sizes; do
  src="$prefix/_internal/resources/icons/refund-desk-$s.png"
  if [ -f "$src" ]; then
    mkdir -p "$data_home/icons/hicolor/${s}x${s}/apps"
    cp "$src" "$data_home/icons/hicolor/${s}x${s}/apps/refund-desk.png"
  fi
done
cat > "$desktop_file" <<DESKTOP
[Desktop Entry]
Type=Application
Name=Refund Desk
GenericName=Refund quotes and tickets
Comment=Refund quotes and tickets for IoT Platform subscription instances
Exec="$prefix/refund-desk"
Icon=refund-desk
Terminal=false
Categories=Office;Finance;
DESKTOP
if command -v update-desktop-database >/dev/null 2>&1; then
  update-desktop-database "$data_home/applications" >/dev/null 2>&1 || true
fi
echo "Refund Desk installed in $prefix; start it from the applications menu or with $bin_link"
