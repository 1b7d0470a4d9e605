"""Draw the Refund Desk icon set into ``resources/icons/`` (run by hand; outputs are committed).

    .venv/bin/python packaging/make_icons.py [--out resources/icons]

The design: a rounded teal square; a gold coin marked "¥"; a white arrow running anticlockwise
round the coin -- money coming back. Sizes of 32 px and below use a simplified drawing (bigger
coin, thicker strokes, no arrow) so the "¥" stays legible at 16 px.

Outputs:
    refund-desk.svg, refund-desk-small.svg   the two drawings (the sources of everything else)
    refund-desk-<N>.png                      N in 16 24 32 48 64 128 256 512 1024 (RGBA)
    refund-desk.ico                          Windows: 16-48 px as 32-bit BMP, 64-256 px as PNG
    refund-desk.icns                         macOS: PNG entries, 16-1024 px incl. @2x types

Both containers are written here (they are small formats; no Pillow, no ``iconutil``), the PNGs
are rendered by Qt's SVG renderer (QtSvg is needed by this script only, not by the desk).
"""

from __future__ import annotations

import argparse
import math
import os
import struct
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SIZES = (16, 24, 32, 48, 64, 128, 256, 512, 1024)
SMALL_MAX = 32  # sizes up to this use the simplified drawing

TEAL_LIGHT, TEAL_DARK = "#19B39B", "#0B6E8A"
GOLD_LIGHT, GOLD_DARK, GOLD_RIM = "#FFD86A", "#EBA21C", "#B97A0C"
INK = "#6B3F00"


def _yen(
    cx: float, cy: float, h: float, width: float, bars: tuple[float, float] = (0.10, 0.32)
) -> str:
    """The "¥" as four stroked lines (no font needed), ``h`` tall, centred on (cx, cy); ``bars``
    are the two crossbars' offsets below the centre, as fractions of ``h``."""
    top, fork, bottom = cy - h * 0.5, cy + h * 0.02, cy + h * 0.5
    arm = h * 0.36
    bar = h * 0.30
    bar1, bar2 = cy + h * bars[0], cy + h * bars[1]
    d = (
        f"M{cx - arm:.1f},{top:.1f} L{cx:.1f},{fork:.1f} L{cx + arm:.1f},{top:.1f} "
        f"M{cx:.1f},{fork:.1f} L{cx:.1f},{bottom:.1f} "
        f"M{cx - bar:.1f},{bar1:.1f} L{cx + bar:.1f},{bar1:.1f} "
        f"M{cx - bar:.1f},{bar2:.1f} L{cx + bar:.1f},{bar2:.1f}"
    )
    return (
        f'<path d="{d}" fill="none" stroke="{INK}" stroke-width="{width:.1f}" '
        'stroke-linecap="round" stroke-linejoin="round"/>'
    )


def _defs() -> str:
    return (
        "<defs>"
        f'<linearGradient id="bg" x1="0" y1="0" x2="0" y2="1">'
        f'<stop offset="0" stop-color="{TEAL_LIGHT}"/><stop offset="1" stop-color="{TEAL_DARK}"/>'
        "</linearGradient>"
        f'<linearGradient id="coin" x1="0" y1="0" x2="1" y2="1">'
        f'<stop offset="0" stop-color="{GOLD_LIGHT}"/><stop offset="1" stop-color="{GOLD_DARK}"/>'
        "</linearGradient>"
        "</defs>"
    )


def _background(margin: float, radius: float) -> str:
    size = 1024 - 2 * margin
    return (
        f'<rect x="{margin}" y="{margin}" width="{size}" height="{size}" rx="{radius}" '
        'ry="{radius}" fill="url(#bg)"/>'.replace("{radius}", str(radius))
    )


def _point(cx: float, cy: float, r: float, deg: float) -> tuple[float, float]:
    a = math.radians(deg)
    return cx + r * math.cos(a), cy + r * math.sin(a)


def full_svg() -> str:
    """The detailed drawing (48 px and up), on a 1024 x 1024 canvas."""
    cx = cy = 512.0
    ring_r, ring_w = 318.0, 66.0
    # Screen angles (y down): the arrow runs anticlockwise from the top right (-62 deg) over the
    # top, down the left, under the bottom, and ends on the right side heading up.
    start, end = -62.0, 8.0  # travelling anticlockwise from start to end = 290 degrees
    sx, sy = _point(cx, cy, ring_r, start)
    ex, ey = _point(cx, cy, ring_r, end)
    arc = (
        f'<path d="M{sx:.1f},{sy:.1f} A{ring_r},{ring_r} 0 1 0 {ex:.1f},{ey:.1f}" fill="none" '
        f'stroke="#FFFFFF" stroke-width="{ring_w}" stroke-linecap="round"/>'
    )
    # Arrowhead at the end, pointing along the anticlockwise tangent (screen: -sin, +cos negated).
    a = math.radians(end)
    tx, ty = math.sin(a), -math.cos(a)  # unit tangent, anticlockwise on screen
    nx, ny = math.cos(a), math.sin(a)  # unit normal, outwards
    length, half = 150.0, 104.0
    tip = (ex + tx * length, ey + ty * length)
    left = (ex + nx * half - tx * 10, ey + ny * half - ty * 10)
    right = (ex - nx * half - tx * 10, ey - ny * half - ty * 10)
    head = (
        f'<path d="M{tip[0]:.1f},{tip[1]:.1f} L{left[0]:.1f},{left[1]:.1f} '
        f'L{right[0]:.1f},{right[1]:.1f} Z" fill="#FFFFFF" stroke="#FFFFFF" '
        'stroke-width="18" stroke-linejoin="round"/>'
    )
    coin = (
        f'<circle cx="{cx}" cy="{cy}" r="206" fill="url(#coin)"/>'
        f'<circle cx="{cx}" cy="{cy}" r="174" fill="none" stroke="{GOLD_RIM}" stroke-width="14"/>'
    )
    return _svg(_background(48, 200) + arc + head + coin + _yen(cx, cy, 236, 44))


def small_svg() -> str:
    """The simplified drawing for 16-32 px: the coin fills the tile, bold "¥", no arrow."""
    cx = cy = 512.0
    coin = f'<circle cx="{cx}" cy="{cy}" r="400" fill="url(#coin)"/>'
    return _svg(_background(0, 200) + coin + _yen(cx, cy + 6, 560, 92, bars=(0.06, 0.33)))


def _svg(body: str) -> str:
    return (
        '<svg xmlns="http://www.w3.org/2000/svg" version="1.1" width="1024" height="1024" '
        'viewBox="0 0 1024 1024">'
        "<title>Refund Desk</title>" + _defs() + body + "</svg>\n"
    )


# ------------------------------------------------------------------------------------------
# Rendering (Qt) and containers (plain bytes)
# ------------------------------------------------------------------------------------------


def render_png(svg_text: str, size: int) -> bytes:
    """Render ``svg_text`` at ``size`` x ``size`` px; returns PNG bytes (RGBA)."""
    from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QRectF
    from PySide6.QtGui import QImage, QPainter
    from PySide6.QtSvg import QSvgRenderer

    renderer = QSvgRenderer(QByteArray(svg_text.encode("utf-8")))
    if not renderer.isValid():
        raise ValueError("the icon SVG does not parse")
    image = QImage(size, size, QImage.Format.Format_ARGB32_Premultiplied)
    image.fill(0)
    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform)
    renderer.render(painter, QRectF(0, 0, size, size))
    painter.end()
    buf = QBuffer()
    buf.open(QIODevice.OpenModeFlag.WriteOnly)
    image.save(buf, "PNG")
    return bytes(buf.data())


def _bgra_rows(png: bytes) -> tuple[int, list[bytes]]:
    """(size, rows top-down of BGRA bytes, not premultiplied) of a square PNG."""
    from PySide6.QtGui import QImage

    image = QImage.fromData(png, "PNG").convertToFormat(QImage.Format.Format_ARGB32)
    size = image.width()
    raw = bytes(image.constBits())
    stride = image.bytesPerLine()
    # Format_ARGB32 is 0xAARRGGBB per pixel: B, G, R, A in memory on little-endian machines.
    rows = [raw[y * stride : y * stride + size * 4] for y in range(size)]
    if sys.byteorder != "little":  # pragma: no cover
        rows = [b"".join(r[i : i + 4][::-1] for i in range(0, len(r), 4)) for r in rows]
    return size, rows


def ico_bmp_entry(png: bytes) -> bytes:
    """A 32-bit BMP (DIB) icon image: BITMAPINFOHEADER, bottom-up BGRA, then the 1-bit AND mask."""
    size, rows = _bgra_rows(png)
    pixels = b"".join(reversed(rows))
    mask_stride = ((size + 31) // 32) * 4
    mask_rows = []
    for row in reversed(rows):
        bits = bytearray(mask_stride)
        for x in range(size):
            if row[x * 4 + 3] == 0:  # fully transparent pixel
                bits[x // 8] |= 0x80 >> (x % 8)
        mask_rows.append(bytes(bits))
    mask = b"".join(mask_rows)
    header = struct.pack(
        "<IiiHHIIiiII", 40, size, size * 2, 1, 32, 0, len(pixels) + len(mask), 0, 0, 0, 0
    )
    return header + pixels + mask


def build_ico(pngs: dict[int, bytes], bmp_sizes=(16, 24, 32, 48)) -> bytes:
    """An .ico with one image per entry of ``pngs`` (size -> PNG bytes); sizes in ``bmp_sizes`` are
    stored as BMP (what every Windows shell and NSIS read), larger ones as PNG (Vista and later)."""
    sizes = sorted(pngs)
    images = [ico_bmp_entry(pngs[s]) if s in bmp_sizes else pngs[s] for s in sizes]
    out = struct.pack("<HHH", 0, 1, len(sizes))
    offset = 6 + 16 * len(sizes)
    for s, data in zip(sizes, images, strict=True):
        dim = 0 if s >= 256 else s
        out += struct.pack("<BBBBHHII", dim, dim, 0, 0, 1, 32, len(data), offset)
        offset += len(data)
    return out + b"".join(images)


ICNS_TYPES = (  # (OSType, pixel size): 1x and @2x PNG entries as iconutil writes them
    (b"icp4", 16),
    (b"icp5", 32),
    (b"icp6", 64),
    (b"ic07", 128),
    (b"ic08", 256),
    (b"ic09", 512),
    (b"ic10", 1024),
    (b"ic11", 32),
    (b"ic12", 64),
    (b"ic13", 256),
    (b"ic14", 512),
)


def build_icns(pngs: dict[int, bytes]) -> bytes:
    """An .icns of PNG entries (big-endian 'icns' header, then type + length + PNG per entry)."""
    body = b"".join(
        ostype + struct.pack(">I", 8 + len(pngs[size])) + pngs[size] for ostype, size in ICNS_TYPES
    )
    return b"icns" + struct.pack(">I", 8 + len(body)) + body


def main(argv: list[str] | None = None) -> int:
    """Write every icon file into ``--out`` (default ``resources/icons``). Returns 0."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=ROOT / "resources" / "icons")
    args = parser.parse_args(argv)
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtGui import QGuiApplication

    app = QGuiApplication.instance() or QGuiApplication([])  # noqa: F841 (fonts, image plugins)
    out: Path = args.out
    out.mkdir(parents=True, exist_ok=True)
    full, small = full_svg(), small_svg()
    (out / "refund-desk.svg").write_text(full, encoding="utf-8")
    (out / "refund-desk-small.svg").write_text(small, encoding="utf-8")
    pngs = {s: render_png(small if s <= SMALL_MAX else full, s) for s in SIZES}
    for s, data in pngs.items():
        (out / f"refund-desk-{s}.png").write_bytes(data)
    (out / "refund-desk.ico").write_bytes(
        build_ico({s: pngs[s] for s in (16, 24, 32, 48, 64, 128, 256)})
    )
    (out / "refund-desk.icns").write_bytes(build_icns(pngs))
    print(f"icons written to {out}: {', '.join(sorted(p.name for p in out.iterdir()))}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
