"""The desk's words in Simplified Chinese and English: gettext catalogs and formatting (issue 13).

One mechanism for every layer that shows text (services, CLI, window, training). Qt-free; the
policy core never imports it (it returns codes and facts, the wording lives above it).

Catalogs (docs/I18N.md):
    source   ``resources/locale/<domain>.pot`` and
             ``resources/locale/<lang>/LC_MESSAGES/<domain>.po`` (committed)
    compiled ``<domain>.mo``, never committed: built into the package
             (``refund_desk/locale/<lang>/LC_MESSAGES``) by the install's build hook
             (``setup.py``) and by the PyInstaller spec; in a source checkout or an editable
             install compiled on demand into the user cache when missing or older than the
             ``.po`` (in memory when the cache cannot be written).

Domains: ``refund_desk`` (the desk) and ``refund_desk_training`` (training). English is the
source language: an English translator returns the source text unchanged, so English output is
exactly what the code says.

Placeholders are Python ``{name}`` format fields, filled *after* translation
(``_("Order {order_id}").format(order_id=...)``); rule ids (``ROUTE-FALLBACK``) are never
translated.
"""

from __future__ import annotations

import gettext as _gettext
import io
import os
import sys
import threading
from collections.abc import Iterable
from datetime import date, datetime, timedelta, timezone
from decimal import Decimal
from pathlib import Path

ZH_CN = "zh_CN"
EN = "en"
LANGUAGES = (ZH_CN, EN)
#: The language names shown in language choices, each in its own language.
LANGUAGE_NAMES = {ZH_CN: "简体中文", EN: "English"}
DEFAULT_DOMAIN = "refund_desk"
TRAINING_DOMAIN = "refund_desk_training"
DOMAINS = (DEFAULT_DOMAIN, TRAINING_DOMAIN)

CHINA_TZ = timezone(timedelta(hours=8))

_PACKAGE_DIR = Path(__file__).resolve().parent
_lock = threading.Lock()
_current = EN
_cache: dict[tuple[str, str], Translator] = {}


def resources_dir() -> Path:
    """The ``resources`` folder: next to the package in a checkout, or inside a bundle."""
    base = Path(getattr(sys, "_MEIPASS", _PACKAGE_DIR.parent))
    return base / "resources"


def source_catalog(lang: str, domain: str = DEFAULT_DOMAIN) -> Path:
    """Where the committed ``.po`` of ``lang``/``domain`` lives (it may not exist in an install)."""
    return resources_dir() / "locale" / lang / "LC_MESSAGES" / f"{domain}.po"


def template_catalog(domain: str = DEFAULT_DOMAIN) -> Path:
    """Where the committed ``.pot`` (the extracted source strings) of ``domain`` lives."""
    return resources_dir() / "locale" / f"{domain}.pot"


def built_catalog(lang: str, domain: str = DEFAULT_DOMAIN) -> Path:
    """Where the install's build hook and the bundle put the compiled ``.mo``."""
    return _PACKAGE_DIR / "locale" / lang / "LC_MESSAGES" / f"{domain}.mo"


def _cache_dir() -> Path:
    override = os.environ.get("REFUND_DESK_HOME")
    if override:
        return Path(override) / "cache" / "locale"
    import platformdirs

    return Path(platformdirs.user_cache_dir("RefundDesk", "RefundDesk")) / "locale"


def normalise_language(name: str | None) -> str:
    """A locale or language name → ``"zh_CN"`` or ``"en"``.

    Args:
        name: ``"zh_CN"``, ``"zh-CN"``, ``"zh_CN.UTF-8"``, ``"zh"``, ``"zh-Hans"``, ``"en_US"``,
            ``"C"``, ``""``, None, …
    Returns:
        ``"zh_CN"`` for any Chinese name (the desk has Simplified Chinese only), else ``"en"``.
    """
    text = (name or "").strip().lower().replace("-", "_")
    return ZH_CN if text.startswith("zh") else EN


def language_from_environment(environ: dict[str, str] | None = None) -> str:
    """The language the environment asks for, as gettext reads it: the first set of
    ``LANGUAGE`` (its first entry), ``LC_ALL``, ``LC_MESSAGES``, ``LANG``. Returns ``"zh_CN"`` or
    ``"en"`` (``"en"`` when none is set)."""
    env = os.environ if environ is None else environ
    for key in ("LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG"):
        value = env.get(key)
        if value:
            return normalise_language(value.split(":")[0])
    return EN


def _check_language(lang: str) -> str:
    if lang not in LANGUAGES:
        raise ValueError(f"unknown language {lang!r}: expected one of {', '.join(LANGUAGES)}")
    return lang


def set_language(lang: str) -> None:
    """Make ``lang`` (``"zh_CN"`` or ``"en"``) the language of :func:`gettext` and friends.

    Raises:
        ValueError: any other name (use :func:`normalise_language` for a locale name).
    """
    global _current
    _current = _check_language(lang)


def current_language() -> str:
    """The interface language: ``"zh_CN"`` or ``"en"`` (``"en"`` until :func:`set_language`)."""
    return _current


def compile_catalog(po_path: Path, mo_path: Path | None = None) -> bytes:
    """Compile a ``.po`` into ``.mo`` bytes (fuzzy entries are left out, as msgfmt does).

    Args:
        po_path: the source catalog.
        mo_path: where to write the result too (folders created); None to only return it.
    Returns:
        the ``.mo`` file's bytes.
    Raises:
        OSError: the ``.po`` cannot be read or ``mo_path`` not written.
    """
    from babel.messages.mofile import write_mo
    from babel.messages.pofile import read_po

    with open(po_path, "rb") as fh:
        catalog = read_po(fh)
    buffer = io.BytesIO()
    write_mo(buffer, catalog, use_fuzzy=False)
    data = buffer.getvalue()
    if mo_path is not None:
        mo_path.parent.mkdir(parents=True, exist_ok=True)
        tmp = mo_path.with_name(f"{mo_path.name}.{os.getpid()}.tmp")
        tmp.write_bytes(data)
        os.replace(tmp, mo_path)  # another process compiling at once never sees half a file
    return data


def _load_catalog(lang: str, domain: str) -> _gettext.NullTranslations:
    """The compiled catalog of ``lang``/``domain``: the built one, else compiled on demand."""
    po = source_catalog(lang, domain)
    has_po = po.is_file()
    built = built_catalog(lang, domain)
    # A bundle's files carry no meaningful times: its built catalog is the one it was made with.
    frozen = getattr(sys, "frozen", False)
    if built.is_file() and (frozen or not has_po or built.stat().st_mtime >= po.stat().st_mtime):
        with open(built, "rb") as fh:
            return _gettext.GNUTranslations(fh)
    if not has_po:
        return _gettext.NullTranslations()
    cached = _cache_dir() / lang / "LC_MESSAGES" / f"{domain}.mo"
    try:
        if cached.is_file() and cached.stat().st_mtime >= po.stat().st_mtime:
            with open(cached, "rb") as fh:
                return _gettext.GNUTranslations(fh)
    except OSError:
        pass
    try:
        data = compile_catalog(po, cached)
    except OSError:  # a read-only cache: compile in memory, every start
        data = compile_catalog(po)
    return _gettext.GNUTranslations(io.BytesIO(data))


class Translator:
    """The words of one language and domain.

    Args:
        lang: ``"zh_CN"`` or ``"en"``.
        domain: ``"refund_desk"`` or ``"refund_desk_training"``.

    ``gettext``/``_``, ``ngettext``, ``pgettext``, ``npgettext`` as the stdlib's; ``format_*``
    bound to the language. English returns the source text unchanged.
    """

    def __init__(self, lang: str, domain: str = DEFAULT_DOMAIN):
        self.lang = _check_language(lang)
        self.domain = domain
        self._t = _gettext.NullTranslations() if lang == EN else _load_catalog(lang, domain)

    def gettext(self, message: str) -> str:
        """``message`` in this language."""
        return self._t.gettext(message)

    _ = gettext

    def ngettext(self, singular: str, plural: str, n: int) -> str:
        """The singular or plural form for ``n``, in this language."""
        return self._t.ngettext(singular, plural, n)

    def pgettext(self, context: str, message: str) -> str:
        """``message`` in this language, as meant in ``context`` (same English, other words)."""
        return self._t.pgettext(context, message)

    def npgettext(self, context: str, singular: str, plural: str, n: int) -> str:
        """:meth:`ngettext` within ``context``."""
        return self._t.npgettext(context, singular, plural, n)

    def format_money(self, amount: Decimal) -> str:
        """:func:`format_money` in this language."""
        return format_money(amount, self.lang)

    def format_date(self, day: date) -> str:
        """:func:`format_date` in this language."""
        return format_date(day, self.lang)

    def format_china_time(self, moment: datetime, *, label: bool = True) -> str:
        """:func:`format_china_time` in this language."""
        return format_china_time(moment, self.lang, label=label)


def translator(lang: str | None = None, domain: str = DEFAULT_DOMAIN) -> Translator:
    """The :class:`Translator` of ``lang`` (default: the interface language) and ``domain``,
    loaded once per process. A ticket drafted in Chinese from an English window uses
    ``translator("zh_CN")``.

    Raises:
        ValueError: an unknown language.
    """
    key = (_check_language(lang or _current), domain)
    found = _cache.get(key)
    if found is None:
        with _lock:
            found = _cache.get(key)
            if found is None:
                found = _cache[key] = Translator(*key)
    return found


def reload_catalogs() -> None:
    """Forget the loaded catalogs (tests and the catalog tools, after a ``.po`` changed)."""
    with _lock:
        _cache.clear()


def gettext(message: str) -> str:
    """``message`` in the interface language (domain ``refund_desk``)."""
    return translator(_current).gettext(message)


_ = gettext


def ngettext(singular: str, plural: str, n: int) -> str:
    """The singular or plural form for ``n`` in the interface language."""
    return translator(_current).ngettext(singular, plural, n)


def pgettext(context: str, message: str) -> str:
    """``message`` as meant in ``context``, in the interface language."""
    return translator(_current).pgettext(context, message)


def npgettext(context: str, singular: str, plural: str, n: int) -> str:
    """:func:`ngettext` within ``context``, in the interface language."""
    return translator(_current).npgettext(context, singular, plural, n)


def N_(message: str) -> str:  # noqa: N802 - the gettext convention
    """Mark ``message`` for extraction without translating it now (module-level tables,
    translated with :func:`gettext` where shown)."""
    return message


class DomainWords:
    """``gettext``/``_``/``ngettext``/``pgettext`` of another domain in the interface language,
    e.g. ``words = DomainWords("refund_desk_training"); _ = words.gettext``."""

    def __init__(self, domain: str):
        self.domain = domain

    def gettext(self, message: str) -> str:
        """``message`` in the interface language."""
        return translator(_current, self.domain).gettext(message)

    _ = gettext

    def ngettext(self, singular: str, plural: str, n: int) -> str:
        """The singular or plural form for ``n`` in the interface language."""
        return translator(_current, self.domain).ngettext(singular, plural, n)

    def pgettext(self, context: str, message: str) -> str:
        """``message`` as meant in ``context``, in the interface language."""
        return translator(_current, self.domain).pgettext(context, message)


# --- numbers, money, dates --------------------------------------------------------------------


def format_money(amount: Decimal, lang: str | None = None) -> str:
    """An amount of CNY with fen precision as a reader of ``lang`` expects it.

    Args:
        amount: ``Decimal`` CNY (quantized to fen here, half-up is not applied: the policy core
            already rounds).
        lang: ``"zh_CN"`` → ``'¥1,985.60'``; ``"en"`` → ``'CNY 1,985.60'`` (the desk's English
            output since version 1); default the interface language.
    Returns:
        the text; a negative amount keeps its sign after the currency (``'¥-3.00'``).
    """
    lang = _check_language(lang or _current)
    figure = f"{amount.quantize(Decimal('0.01')):,.2f}"
    return f"¥{figure}" if lang == ZH_CN else f"CNY {figure}"


def format_number(value: int | Decimal, lang: str | None = None) -> str:
    """A count or figure with the thousands separator both languages use (``12,345``)."""
    _check_language(lang or _current)
    return f"{value:,}"


def format_date(day: date, lang: str | None = None) -> str:
    """A calendar day: ``"zh_CN"`` → ``'2024年3月9日'``; ``"en"`` → ``'2024-03-09'``."""
    lang = _check_language(lang or _current)
    if lang == ZH_CN:
        return f"{day.year}年{day.month}月{day.day}日"
    return day.isoformat()


def format_china_time(moment: datetime, lang: str | None = None, *, label: bool = True) -> str:
    """An aware time in China time (UTC+8), to the minute.

    Args:
        moment: an aware datetime (any zone; converted).
        lang: ``"zh_CN"`` → ``'2024年3月9日 10:05 北京时间'``; ``"en"`` →
            ``'2024-03-09 10:05 China time'``.
        label: False to leave the zone label off (a column already headed "China time").
    Raises:
        ValueError: a naive datetime (the desk never guesses a zone here).
    """
    lang = _check_language(lang or _current)
    if moment.tzinfo is None:
        raise ValueError("format_china_time needs an aware datetime")
    local = moment.astimezone(CHINA_TZ)
    if lang == ZH_CN:
        text = f"{format_date(local.date(), lang)} {local:%H:%M}"
        return f"{text} 北京时间" if label else text
    text = f"{local:%Y-%m-%d %H:%M}"
    return f"{text} China time" if label else text


def china_time_label(lang: str | None = None) -> str:
    """The name of China time (UTC+8): ``'北京时间'`` or ``'China time'``."""
    return "北京时间" if _check_language(lang or _current) == ZH_CN else "China time"


def placeholders(text: str) -> set[str]:
    """The ``{name}`` format fields of ``text`` (``{{`` escapes ignored), e.g. for the catalog
    test. Positional ``{}`` and ``{0}`` count too."""
    import string

    found = set()
    for _literal, field, spec, _conv in string.Formatter().parse(text):
        if field is not None:
            found.add(field + (f":{spec}" if spec else ""))
    return found


def languages_available(domain: str = DEFAULT_DOMAIN) -> Iterable[str]:
    """The languages with a catalog for ``domain`` (English always)."""
    yield EN
    for lang in LANGUAGES:
        if lang != EN and (
            built_catalog(lang, domain).is_file() or source_catalog(lang, domain).is_file()
        ):
            yield lang
