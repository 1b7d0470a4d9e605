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
