"""The Windows installer script compiles with NSIS's compiler (Debian package ``nsis``) against a
small stand-in bundle, warnings counted as errors; and refuses to build without a version."""

from __future__ import annotations

import subprocess
from pathlib import Path

from tests.helpers.tools import require_tool

NSI = Path(__file__).resolve().parents[2] / "packaging" / "windows" / "installer.nsi"


def _bundle(tmp_path: Path) -> Path:
    bundle = tmp_path / "refund-desk"
    (bundle / "_internal" / "resources").mkdir(parents=True)
    (bundle / "RefundDesk.exe").write_bytes(b"MZ stand-in")
    (bundle / "refund-desk.exe").write_bytes(b"MZ stand-in")
    (bundle / "_internal" / "resources" / "x.txt").write_text("x", encoding="utf-8")
    return bundle


def _compile(tmp_path: Path, *defines: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [require_tool("makensis", "nsis"), "-V2", "-WX", "-DNOCOMPRESS", *defines, str(NSI)],
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_installer_script_compiles(tmp_path):
    out = tmp_path / "RefundDesk-1.2.3-setup.exe"
    proc = _compile(
        tmp_path, "-DVERSION=1.2.3", f"-DBUNDLE_DIR={_bundle(tmp_path)}", f"-DOUTFILE={out}"
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert out.read_bytes()[:2] == b"MZ"


def test_installer_script_needs_a_version(tmp_path):
    proc = _compile(
        tmp_path,
        f"-DBUNDLE_DIR={_bundle(tmp_path)}",
        f"-DOUTFILE={tmp_path / 'RefundDesk-setup.exe'}",
    )
    assert proc.returncode != 0
    assert "Pass the version" in proc.stdout + proc.stderr


def test_uninstaller_keeps_data_unless_asked():
    """The data section of the uninstaller is optional and unticked (/o); the program section
    never touches the data folder."""
    text = NSI.read_text(encoding="utf-8")
    data_section = text.split('Section /o "un.Also remove my data')[1].split("SectionEnd")[0]
    assert 'RMDir /r "${DATA_DIR}"' in data_section
    program_section = text.split('Section "un.${APP_NAME}"')[1].split("SectionEnd")[0]
    assert "DATA_DIR" not in program_section and "SETTINGS_KEY" not in program_section
    assert "RequestExecutionLevel user" in text and "HKLM" not in text
