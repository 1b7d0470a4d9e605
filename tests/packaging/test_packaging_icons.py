"""The committed icon set: every size present, the containers well-formed and in step with the
PNGs they are built from (``packaging/make_icons.py``)."""

from __future__ import annotations

import struct
from pathlib import Path

import pytest

ICONS = Path(__file__).resolve().parents[2] / "resources" / "icons"
SIZES = (16, 24, 32, 48, 64, 128, 256, 512, 1024)


def png_size(data: bytes) -> tuple[int, int]:
    assert data[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG"
    width, height = struct.unpack(">II", data[16:24])
    return width, height


@pytest.mark.parametrize("size", SIZES)
def test_png_sizes(size):
    data = (ICONS / f"refund-desk-{size}.png").read_bytes()
    assert png_size(data) == (size, size)
    assert data[25] == 6, "colour type RGBA (the rounded corners are transparent)"


def test_svgs_parse():
    import xml.etree.ElementTree as ET

    for name in ("refund-desk.svg", "refund-desk-small.svg"):
        root = ET.parse(ICONS / name).getroot()
        assert root.tag.endswith("svg") and root.get("viewBox") == "0 0 1024 1024"


def test_ico_directory_and_images():
    data = (ICONS / "refund-desk.ico").read_bytes()
    reserved, kind, count = struct.unpack("<HHH", data[:6])
    assert (reserved, kind) == (0, 1) and count == 7
    seen = []
    for i in range(count):
        w, h, _, _, planes, bpp, length, offset = struct.unpack(
            "<BBBBHHII", data[6 + 16 * i : 22 + 16 * i]
        )
        size = w or 256
        assert (w, h) == (size % 256, size % 256) and planes == 1 and bpp == 32
        image = data[offset : offset + length]
        assert len(image) == length
        if size <= 48:  # BMP: header says twice the height (XOR image + AND mask)
            hdr = struct.unpack("<IiiHH", image[:16])
            assert hdr == (40, size, 2 * size, 1, 32)
            mask_stride = ((size + 31) // 32) * 4
            assert length == 40 + size * size * 4 + mask_stride * size
        else:
            assert png_size(image) == (size, size)
        seen.append(size)
    assert seen == [16, 24, 32, 48, 64, 128, 256]


def test_icns_entries():
    data = (ICONS / "refund-desk.icns").read_bytes()
    assert data[:4] == b"icns" and struct.unpack(">I", data[4:8])[0] == len(data)
    pos, entries = 8, {}
    while pos < len(data):
        ostype, length = data[pos : pos + 4], struct.unpack(">I", data[pos + 4 : pos + 8])[0]
        entries[ostype] = png_size(data[pos + 8 : pos + length])[0]
        pos += length
    assert pos == len(data)
    assert entries == {
        b"icp4": 16,
        b"icp5": 32,
        b"icp6": 64,
        b"ic07": 128,
        b"ic08": 256,
        b"ic09": 512,
        b"ic10": 1024,
        b"ic11": 32,
        b"ic12": 64,
        b"ic13": 256,
        b"ic14": 512,
    }


def test_containers_rebuild_from_committed_pngs(make_icons):
    """The .ico/.icns are exactly what make_icons writes from the committed PNGs (no stale file,
    and the BMP conversion keeps every pixel)."""
    pngs = {s: (ICONS / f"refund-desk-{s}.png").read_bytes() for s in SIZES}
    ico = make_icons.build_ico({s: pngs[s] for s in (16, 24, 32, 48, 64, 128, 256)})
    assert ico == (ICONS / "refund-desk.ico").read_bytes()
    assert make_icons.build_icns(pngs) == (ICONS / "refund-desk.icns").read_bytes()


def test_bmp_entry_is_bottom_up_bgra_with_mask(make_icons):
    """A 2 x 2 image: top-left opaque red, others transparent -> the BMP rows are bottom-up BGRA
    and the AND mask marks the three transparent pixels."""
    from PySide6.QtCore import QBuffer, QIODevice
    from PySide6.QtGui import QColor, QImage

    image = QImage(2, 2, QImage.Format.Format_ARGB32)
    image.fill(QColor(0, 0, 0, 0))
    image.setPixelColor(0, 0, QColor(255, 0, 0, 255))
    buf = QBuffer()
    buf.open(QIODevice.OpenModeFlag.WriteOnly)
    image.save(buf, "PNG")
    entry = make_icons.ico_bmp_entry(bytes(buf.data()))
    pixels = entry[40 : 40 + 16]
    assert pixels[8:12] == bytes([0, 0, 255, 255])  # top row stored last; B, G, R, A
    assert pixels[:8] == bytes(8)
    mask = entry[40 + 16 :]
    assert mask == bytes([0b11000000, 0, 0, 0, 0b01000000, 0, 0, 0])  # bottom row first
