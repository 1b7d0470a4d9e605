"""The trainer's report as a printable PDF (Qt's own ``QPdfWriter``), one page per trainee: the
overall score and time, a bar chart of scores by rule id drawn with ``QPainter``, and the table
of scenarios. In English or Simplified Chinese; Chinese text (and Chinese trainee names in an
English report) is drawn with a CJK font found on the system (:func:`cjk_font_family`), which
the PDF embeds, so no glyph prints as a box."""

from __future__ import annotations

import os
from functools import lru_cache
from pathlib import Path

from PySide6.QtCore import QMarginsF, QPointF, QRectF, Qt
from PySide6.QtGui import (
    QColor,
    QFont,
    QFontDatabase,
    QPageLayout,
    QPageSize,
    QPainter,
    QPdfWriter,
    QPen,
)

from ...training.words import N_, ZH_CN, words

RESOLUTION = 300  # dots per inch of the PDF's coordinate system
BAR_GOOD = QColor("#2e7d32")
BAR_MID = QColor("#f9a825")
BAR_BAD = QColor("#c62828")
BAR_TRACK = QColor("#eeeeee")


def _bar_colour(percent: float) -> QColor:
    if percent >= 80:
        return BAR_GOOD
    if percent >= 50:
        return BAR_MID
    return BAR_BAD


def _cjk_font_files() -> list[Path]:
    """Font files tried when no CJK family is known to Qt (a bare fontconfig, a bundle)."""
    windir = Path(os.environ.get("WINDIR", r"C:\Windows")) / "Fonts"
    files = [
        windir / "msyh.ttc",
        windir / "simsun.ttc",
        Path("/System/Library/Fonts/PingFang.ttc"),
        Path("/System/Library/Fonts/STHeiti Light.ttc"),
        Path("/usr/share/fonts/truetype/wqy/wqy-microhei.ttc"),
        Path("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc"),
        Path("/usr/share/fonts/truetype/droid/DroidSansFallbackFull.ttf"),
    ]
    return files


@lru_cache(maxsize=1)
def cjk_font_family() -> str | None:
    """The family of a font with Simplified Chinese glyphs, for the PDF (Qt embeds the glyphs it
    draws, so the PDF shows them on any reader).

    Returns:
        The window's CJK font (:func:`refund_desk.ui.language.cjk_family`: Microsoft YaHei,
        PingFang SC, Noto/Source Han Sans CJK, WenQuanYi Micro Hei, … whichever the system
        has); else a family loaded from a known font file (Windows ``msyh.ttc``/``simsun.ttc``,
        macOS ``PingFang.ttc``, Linux ``wqy-microhei.ttc``); ``None`` when there is none
        (Chinese then prints as boxes: install ``fonts-wqy-microhei``). Needs a
        ``QGuiApplication``.
    """
    from ..language import cjk_family

    family = cjk_family()
    if family:
        return family
    for path in _cjk_font_files():
        if path.is_file():
            font_id = QFontDatabase.addApplicationFont(str(path))
            if font_id >= 0:
                families = QFontDatabase.applicationFontFamilies(font_id)
                if families:
                    return families[0]
    return None


def _font(size_pt: float, bold: bool = False, *, cjk_first: bool = False) -> QFont:
    """The report's font: the usual sans serif with the CJK font behind it for Chinese glyphs
    (``cjk_first``: the CJK font first, so Chinese text and its punctuation share one font)."""
    font = QFont("Sans Serif")
    cjk = cjk_font_family()
    if cjk:
        font.setFamilies([cjk, "Sans Serif"] if cjk_first else ["Sans Serif", cjk])
    font.setPointSizeF(size_pt)
    font.setBold(bold)
    return font


TABLE_COLUMNS = (0.0, 0.34, 0.46, 0.56, 0.66)
TABLE_HEADS = (N_("Scenario"), N_("Score"), N_("Attempts"), N_("Time"), N_("Missed"))


def _table_head(painter: QPainter, page: QRectF, dpi: int, top: float, t, font) -> float:
    """Draw the scenario table's column heads at ``top`` (words of translator ``t``, fonts from
    ``font(size, bold)``); returns the first row's top."""
    painter.setFont(font(8, True))
    for x, head in zip(TABLE_COLUMNS, TABLE_HEADS, strict=True):
        painter.drawText(
            QRectF(page.left() + page.width() * x, top, page.width() * 0.4, dpi * 0.2),
            Qt.AlignmentFlag.AlignLeft,
            t.gettext(head),
        )
    painter.setFont(font(8))
    return top + dpi * 0.22


def draw_rule_chart(
    painter: QPainter, rect: QRectF, by_rule: dict, *, dpi: int = RESOLUTION, lang=None
) -> None:
    """Draw a horizontal bar chart of scores by rule id into ``rect``.

    Args:
        painter: an active painter. rect: the area (device units). by_rule: rule id →
            :class:`~refund_desk.training.report.Score`. dpi: device resolution (line widths).
        lang: the language of the one sentence it may write ("No answers yet."); default the
            interface language.
    Each bar is the percent right (0–100), labelled with the rule id (never translated) on the
    left and ``right/total`` on the right; gridlines every 25 %.
    """
    rows = list(by_rule.items())
    if not rows:
        t = words(lang)
        painter.setFont(_font(10, cjk_first=t.lang == ZH_CN))
        painter.drawText(rect, Qt.AlignmentFlag.AlignCenter, t.gettext("No answers yet."))
        return
    label_w = rect.width() * 0.30
    value_w = rect.width() * 0.12
    chart_left = rect.left() + label_w
    chart_w = rect.width() - label_w - value_w
    axis_h = dpi * 0.25
    row_h = (rect.height() - axis_h) / len(rows)
    bar_h = row_h * 0.7
    thin = QPen(QColor("#bdbdbd"))
    thin.setWidthF(dpi / 150)
    painter.setFont(_font(7))
    for pct in (0, 25, 50, 75, 100):
        x = chart_left + chart_w * pct / 100
        painter.setPen(thin)
        painter.drawLine(QPointF(x, rect.top()), QPointF(x, rect.bottom() - axis_h))
        painter.setPen(QColor("#424242"))
        painter.drawText(
            QRectF(x - dpi * 0.3, rect.bottom() - axis_h, dpi * 0.6, axis_h),
            Qt.AlignmentFlag.AlignCenter,
            f"{pct} %",
        )
    painter.setFont(_font(min(9.0, max(5.5, row_h / dpi * 72 * 0.55))))
    for i, (rid, score) in enumerate(rows):
        top = rect.top() + i * row_h
        painter.setPen(QColor("#212121"))
        painter.drawText(
            QRectF(rect.left(), top, label_w - dpi * 0.05, row_h),
            Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter,
            rid,
        )
        width = chart_w * score.percent / 100
        track = QRectF(chart_left, top + (row_h - bar_h) / 2, chart_w, bar_h)
        painter.fillRect(track, BAR_TRACK)  # a 0 % row still shows where its bar would be
        bar = QRectF(chart_left, top + (row_h - bar_h) / 2, max(width, dpi / 100), bar_h)
        painter.fillRect(bar, _bar_colour(score.percent))
        painter.drawText(
            QRectF(chart_left + chart_w + dpi * 0.05, top, value_w, row_h),
            Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
            f"{score.right}/{score.total}",
        )


def write_report_pdf(report, path: str | Path, *, lang: str | None = None) -> Path:
    """Write ``report`` (a :class:`~refund_desk.training.report.TrainingReport`) to an A4 PDF.

    Args:
        report: the report. path: the PDF file to write.
        lang: ``"zh_CN"`` or ``"en"`` (default the interface language): the words, the time
            stamp (``2026年11月30日 17:00 北京时间``) and the durations (``5分35秒``). Rule ids and
            scenario ids are never translated. Chinese uses :func:`cjk_font_family`.
    Returns:
        The path. One page per trainee (a single page saying so when there is no result).
    Raises:
        OSError: the file cannot be written.
    """
    from ...training.words import format_china_time

    t = words(lang)
    lang = t.lang
    zh = lang == ZH_CN

    def font(size_pt: float, bold: bool = False) -> QFont:
        return _font(size_pt, bold, cjk_first=zh)

    path = Path(path)
    writer = QPdfWriter(str(path))
    writer.setResolution(RESOLUTION)
    writer.setPageSize(QPageSize(QPageSize.PageSizeId.A4))
    writer.setPageMargins(QMarginsF(15, 15, 15, 15), QPageLayout.Unit.Millimeter)
    writer.setTitle(t.gettext("Refund Desk — trainer's report"))
    writer.setCreator("Refund Desk")
    painter = QPainter()
    if not painter.begin(writer):
        raise OSError(t.gettext("cannot write the PDF {path}").format(path=path))
    try:
        page = QRectF(0, 0, writer.width(), writer.height())
        dpi = RESOLUTION
        if zh:
            stamp = format_china_time(report.generated_at, lang)
        else:
            stamp = report.generated_at.strftime("%Y-%m-%d %H:%M %Z").strip()
        trainees = report.trainees or (None,)
        for n, tr in enumerate(trainees):
            if n:
                writer.newPage()
            y = page.top()
            painter.setPen(QColor("#e65100"))
            painter.setFont(font(9, True))
            painter.drawText(
                QRectF(page.left(), y, page.width(), dpi * 0.2),
                Qt.AlignmentFlag.AlignLeft,
                t.gettext("TRAINING — trainer's report"),
            )
            painter.setPen(QColor("#616161"))
            painter.setFont(font(8))
            painter.drawText(
                QRectF(page.left(), y, page.width(), dpi * 0.2),
                Qt.AlignmentFlag.AlignRight,
                t.gettext("Generated {stamp}").format(stamp=stamp),
            )
            y += dpi * 0.3
            painter.setPen(QColor("#212121"))
            if tr is None:
                painter.setFont(font(16, True))
                painter.drawText(
                    QRectF(page.left(), y, page.width(), dpi * 0.5),
                    Qt.AlignmentFlag.AlignLeft,
                    t.gettext("No training results yet."),
                )
                continue
            _draw_trainee(writer, painter, page, tr, y, t, font)
    finally:
        painter.end()
    return path


def _draw_trainee(
    writer: QPdfWriter, painter: QPainter, page: QRectF, tr, y: float, t, font
) -> None:
    """Draw trainee ``tr``'s (a ``training.report.TraineeReport``) name, score, chart by rule and
    scenario table from ``y`` down ``page`` (device units), going on to new pages of ``writer``
    as the table needs; words from translator ``t``, fonts from ``font(size, bold)``."""
    from ...training.grading import FIELD_LABELS
    from ...training.words import format_seconds

    dpi = RESOLUTION
    lang = t.lang
    painter.setFont(font(18, True))
    painter.drawText(
        QRectF(page.left(), y, page.width(), dpi * 0.4),
        Qt.AlignmentFlag.AlignLeft,
        tr.trainee,
    )
    y += dpi * 0.45
    painter.setFont(font(10))
    answered = sum(s.attempts for s in tr.by_scenario)
    painter.drawText(
        QRectF(page.left(), y, page.width(), dpi * 0.25),
        Qt.AlignmentFlag.AlignLeft,
        t.gettext(
            "Score {right} of {total} fields ({percent} %) over {answers} answer(s) to "
            "{scenarios} scenario(s); time taken {time}."
        ).format(
            right=tr.overall.right,
            total=tr.overall.total,
            percent=f"{tr.overall.percent:.0f}",
            answers=answered,
            scenarios=len(tr.by_scenario),
            time=format_seconds(tr.seconds, lang),
        ),
    )
    y += dpi * 0.35
    painter.setFont(font(12, True))
    painter.drawText(
        QRectF(page.left(), y, page.width(), dpi * 0.3),
        Qt.AlignmentFlag.AlignLeft,
        t.gettext("Score by rule"),
    )
    y += dpi * 0.3
    painter.setFont(font(8))
    painter.setPen(QColor("#616161"))
    painter.drawText(
        QRectF(page.left(), y, page.width(), dpi * 0.2),
        Qt.AlignmentFlag.AlignLeft,
        t.gettext(
            "Share of the answered fields each rule bears on that were right "
            "(green 80 % and up, amber 50–79 %, red under 50 %)."
        ),
    )
    painter.setPen(QColor("#212121"))
    y += dpi * 0.25
    chart_h = min(page.height() * 0.45, dpi * 0.2 * (len(tr.by_rule) + 2))
    draw_rule_chart(
        painter,
        QRectF(page.left(), y, page.width(), chart_h),
        tr.by_rule,
        dpi=dpi,
        lang=lang,
    )
    y += chart_h + dpi * 0.2
    painter.setFont(font(12, True))
    painter.setPen(QColor("#212121"))
    painter.drawText(
        QRectF(page.left(), y, page.width(), dpi * 0.3),
        Qt.AlignmentFlag.AlignLeft,
        t.gettext("Scenarios"),
    )
    y += dpi * 0.35
    cols = TABLE_COLUMNS
    y = _table_head(painter, page, dpi, y, t, font)
    line_h = dpi * 0.18
    for line in tr.by_scenario:
        if y + line_h > page.bottom():
            writer.newPage()
            painter.setFont(font(10, True))
            painter.drawText(
                QRectF(page.left(), page.top(), page.width(), dpi * 0.3),
                Qt.AlignmentFlag.AlignLeft,
                t.gettext("{trainee} — scenarios (continued)").format(trainee=tr.trainee),
            )
            y = _table_head(painter, page, dpi, page.top() + dpi * 0.35, t, font)
        cells = (
            line.scenario_id,
            f"{line.score.right}/{line.score.total} ({line.score.percent:.0f} %)",
            str(line.attempts),
            format_seconds(line.seconds, lang),
            t.pgettext("list separator", ", ").join(
                t.gettext(FIELD_LABELS[f]) if f in FIELD_LABELS else f for f in line.missed_fields
            )
            or "—",
        )
        widths = (0.33, 0.11, 0.09, 0.09, 0.34)
        for x, w, text in zip(cols, widths, cells, strict=True):
            painter.drawText(
                QRectF(page.left() + page.width() * x, y, page.width() * w, line_h),
                Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
                painter.fontMetrics().elidedText(
                    text, Qt.TextElideMode.ElideRight, int(page.width() * w)
                ),
            )
        y += line_h
