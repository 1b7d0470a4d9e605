"""The window's language: chosen at start (``--lang``, else the setting, else the system
locale), applied to the desk's catalogs (:mod:`refund_desk.wording`) and to Qt's own words
(standard buttons and dialogs: ``qtbase_zh_CN.qm`` from the Qt installation)."""

from __future__ import annotations

from PySide6.QtCore import QLibraryInfo, QLocale, QTranslator
from PySide6.QtWidgets import QApplication

from .. import wording


def system_language() -> str:
    """The system locale's language as the desk knows it: ``"zh_CN"`` or ``"en"``."""
    return wording.normalise_language(QLocale.system().name())


def start_language(asked: str | None, saved: str) -> str:
    """The language the window starts in.

    Args:
        asked: ``--lang`` of the command line (wins for this run), or None.
        saved: the language setting ('' until the operator chose one in Settings).
    Returns:
        ``"zh_CN"`` or ``"en"``: asked, else saved, else the system locale (first start).
    """
    for choice in (asked, saved):
        if choice:
            return wording.normalise_language(choice)
    return system_language()


def qt_translations_dir() -> str:
    """Qt's own translations folder (``QLibraryInfo.TranslationsPath``; in a bundle, the one
    PyInstaller laid next to the Qt libraries)."""
    return QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)


def install_language(app: QApplication, lang: str) -> list[QTranslator]:
    """Make ``lang`` the window's language: the desk's catalogs and Qt's ``qtbase_<lang>``.

    Args:
        app: the application (the translators are installed on it and parented to it).
        lang: ``"zh_CN"`` or ``"en"``.
    Returns:
        the Qt translators installed (empty for English, or when Qt's file is missing: then
        standard buttons stay in English, everything else is still translated).
    Raises:
        ValueError: an unknown language.
    """
    wording.set_language(lang)
    QLocale.setDefault(
        QLocale(QLocale.Language.Chinese, QLocale.Country.China)
        if lang == wording.ZH_CN
        else QLocale(QLocale.Language.English, QLocale.Country.UnitedStates)
    )
    installed = []
    if lang != wording.EN:
        for name in ("qtbase", "qt"):
            translator = QTranslator(app)
            if translator.load(f"{name}_{lang}", qt_translations_dir()):
                app.installTranslator(translator)
                installed.append(translator)
                break  # qt_zh_CN is a meta catalog that loads qtbase_zh_CN itself
    return installed


#: Fonts for Chinese, tried in order after the platform's own font: Windows (Microsoft YaHei),
#: macOS (PingFang SC, Hiragino Sans GB), Linux (Noto Sans CJK SC, Source Han Sans SC,
#: WenQuanYi Micro Hei from fonts-wqy-microhei, WenQuanYi Zen Hei). The bundle carries none: every
#: supported system has one of them (README's apt line installs fonts-wqy-microhei).
CJK_FONTS = (
    "Microsoft YaHei",
    "Microsoft YaHei UI",
    "PingFang SC",
    "Hiragino Sans GB",
    "Noto Sans CJK SC",
    "Source Han Sans SC",
    "WenQuanYi Micro Hei",
    "WenQuanYi Zen Hei",
)


def cjk_family() -> str | None:
    """The first font of :data:`CJK_FONTS` installed here that writes Simplified Chinese, else
    any installed font that does; None when there is none (tofu boxes would show)."""
    from PySide6.QtGui import QFontDatabase

    chinese = QFontDatabase.families(QFontDatabase.WritingSystem.SimplifiedChinese)
    for family in CJK_FONTS:
        if family in chinese:
            return family
    return chinese[0] if chinese else None


def apply_cjk_fallback(app: QApplication) -> str | None:
    """Put the CJK font after the application font's own family, so Chinese text (the window
    in Chinese, and Chinese account names in English) never falls back to a font without the
    glyphs. Returns the CJK family used (None when the system has none)."""
    family = cjk_family()
    if family is None:
        return None
    font = app.font()
    families = [f for f in font.families() or [font.family()] if f != family]
    font.setFamilies([*families, family])
    app.setFont(font)
    return family
