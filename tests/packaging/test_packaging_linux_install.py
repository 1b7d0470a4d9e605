"""The Linux per-user installer (``packaging/linux/install.sh``) on a stand-in bundle: installs
the program, menu entry and icons under $HOME; uninstall keeps the data unless asked."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

INSTALL = Path(__file__).resolve().parents[2] / "packaging" / "linux" / "install.sh"
pytestmark = pytest.mark.skipif(shutil.which("bash") is None, reason="needs bash")


@pytest.fixture()
def release(tmp_path):
    """An unpacked release folder (install.sh + a stand-in bundle) and a fresh $HOME."""
    rel = tmp_path / "refund-desk-9.9.9-linux-x86_64"
    icons = rel / "refund-desk" / "_internal" / "resources" / "icons"
    icons.mkdir(parents=True)
    exe = rel / "refund-desk" / "refund-desk"
    exe.write_text('#!/bin/sh\necho stand-in desk "$@"\n', encoding="utf-8")
    exe.chmod(0o755)
    for size in (16, 256):
        (icons / f"refund-desk-{size}.png").write_bytes(b"\x89PNG stand-in")
    shutil.copy(INSTALL, rel / "install.sh")
    home = tmp_path / "home"
    home.mkdir()
    return rel, home


def run(rel: Path, home: Path, *args: str) -> subprocess.CompletedProcess:
    env = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "HOME": str(home)}
    return subprocess.run(
        ["bash", str(rel / "install.sh"), *args], env=env, capture_output=True, text=True
    )


def test_install_upgrade_uninstall_keeps_data(release):
    rel, home = release
    assert run(rel, home).returncode == 0
    prefix = home / ".local" / "opt" / "refund-desk"
    link = home / ".local" / "bin" / "refund-desk"
    desktop = home / ".local" / "share" / "applications" / "refund-desk.desktop"
    assert (prefix / "refund-desk").exists() and link.resolve() == (prefix / "refund-desk")
    entry = desktop.read_text(encoding="utf-8")
    assert f'Exec="{prefix}/refund-desk"' in entry and "Icon=refund-desk" in entry
    assert (home / ".local/share/icons/hicolor/256x256/apps/refund-desk.png").exists()
    out = subprocess.run([str(link), "--smoke"], capture_output=True, text=True)
    assert out.stdout.strip() == "stand-in desk --smoke"

    data = home / ".local" / "share" / "RefundDesk"
    data.mkdir(parents=True)
    (data / "desk.db").write_bytes(b"operator data")
    (prefix / "_internal" / "stale-from-old-version").write_text("x", encoding="utf-8")
    assert run(rel, home).returncode == 0  # upgrade: bundle replaced, data untouched
    assert not (prefix / "_internal" / "stale-from-old-version").exists()
    assert (data / "desk.db").read_bytes() == b"operator data"

    result = run(rel, home, "--uninstall")
    assert result.returncode == 0 and "kept" in result.stdout
    assert not prefix.exists() and not link.exists() and not desktop.exists()
    assert (data / "desk.db").read_bytes() == b"operator data"


def test_uninstall_remove_data(release):
    rel, home = release
    assert run(rel, home).returncode == 0
    data = home / ".local" / "share" / "RefundDesk"
    settings = home / ".config" / "RefundDesk"
    data.mkdir(parents=True)
    settings.mkdir(parents=True)
    (data / "desk.db").write_bytes(b"x")
    assert run(rel, home, "--uninstall", "--remove-data").returncode == 0
    assert not data.exists() and not settings.exists()


def test_remove_data_alone_is_refused(release):
    rel, home = release
    result = run(rel, home, "--remove-data")
    assert result.returncode == 2 and "only goes with --uninstall" in result.stderr
