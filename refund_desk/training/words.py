"""Training's words: the ``refund_desk_training`` gettext domain (training window, grading
feedback, trainer's report) and the desk's own words for the quote's codes, in either language.

Every training module takes its words from here, so the training catalog is one domain
(``resources/locale/zh_CN/LC_MESSAGES/refund_desk_training.po``) and the words a trainee reads
about a quote (rule titles, destinations, the ``explain()`` sentences) are the very ones the
desk shows. Rule ids are never translated. Qt-free.
"""

from __future__ import annotations

from ..wording import (
    EN,
    N_,
    TRAINING_DOMAIN,
    ZH_CN,
    DomainWords,
    Translator,
    current_language,
    format_china_time,
    format_date,
    format_money,
    translator,
)

__all__ = [
    "EN",
    "ZH_CN",
    "N_",
    "_",
    "ngettext",
    "pgettext",
    "words",
    "language",
    "format_china_time",
    "format_date",
    "format_money",
    "format_seconds",
    "rule_title",
    "destination_words",
    "kind_words",
    "explain_words",
]

_domain = DomainWords(TRAINING_DOMAIN)
_ = _domain.gettext
ngettext = _domain.ngettext
pgettext = _domain.pgettext


def language(lang: str | None = None) -> str:
    """``lang`` when given, else the interface language (``"zh_CN"`` or ``"en"``)."""
    return lang or current_language()


def words(lang: str | None = None) -> Translator:
    """The training catalog's :class:`~refund_desk.wording.Translator` for ``lang`` (default:
    the interface language): a report or a grade can be worded in a language other than the
    window's."""
    return translator(language(lang), TRAINING_DOMAIN)


def format_seconds(seconds: float, lang: str | None = None) -> str:
    """Time taken in words: ``754.2`` → ``'12 min 34 s'`` (en) / ``'12分34秒'`` (zh_CN); under a
    minute ``'42 s'`` / ``'42秒'``. Seconds are rounded to whole seconds."""
    t = words(lang)
    whole = int(round(seconds))
    minutes, secs = divmod(whole, 60)
    if minutes:
        return t.gettext("{minutes} min {seconds} s").format(minutes=minutes, seconds=f"{secs:02d}")
    return t.gettext("{seconds} s").format(seconds=secs)


def rule_title(rule_id: str, lang: str | None = None) -> str:
    """The title of ``rule_id`` (RULES.md) in ``lang`` (default the interface language), as the
    desk shows it; the id itself when unknown. The id is never translated."""
    from ..wording_rules import rule_title as desk_rule_title

    return desk_rule_title(rule_id, language(lang))


def destination_words(destination: str | None, lang: str | None = None) -> str:
    """A refund destination code in words (``alipay`` → the Alipay account used for payment),
    as the desk shows it; an unlisted BSS channel keeps its name."""
    from ..wording_rules import destination_label

    return destination_label(destination, language(lang))


def kind_words(kind: str, lang: str | None = None) -> str:
    """An instance kind code (``enterprise``, ``old_public``, ``new_public``) in words."""
    from ..wording_rules import kind_words as desk_kind_words

    return desk_kind_words(kind, language(lang))


def explain_words(entry, lang: str | None = None) -> str:
    """The sentence saying why a trace entry's rule applied (the simulator's rule trace), in
    ``lang``."""
    from ..wording_rules import explain

    return explain(entry, language(lang))
