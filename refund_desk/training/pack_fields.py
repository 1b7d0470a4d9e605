"""Reading the fields of a training pack: :class:`PackError`, which names the pack file, the
scenario and the field at fault, and :class:`FieldReader`, which checks one field's JSON value
(text, per-language text, boolean, amount, time, one of a set of values, unknown keys) and raises
that error.

Pure Python: no Qt, no SQLAlchemy.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from decimal import Decimal
from enum import Enum
from typing import Any, TypeVar

from ..errors import FileFieldError
from ..policy import MoneyError, TimeError, parse_amount, parse_time
from .scenario import TEXT_LANGUAGES
from .words import _

E = TypeVar("E", bound=Enum)


class PackError(FileFieldError):
    """A pack file cannot be used; names the file, the scenario and the field.

    Attributes:
        scenario: the scenario id (or ``"#3"`` for the third scenario when its id is
            unreadable), ``None`` for the whole file. field: the field path (``orders[1].cash``),
            or ``None``; the rest as :class:`~refund_desk.errors.FileFieldError`.
    """

    entry_kind = "scenario"

    def __init__(
        self, file: str, reason: str, scenario: str | None = None, field: str | None = None
    ):
        self.scenario = scenario
        super().__init__(file, reason, scenario, field)
        # The trainer reads it in the window's language: "<file>, 场景 X, 字段 Y: …" in Chinese
        # (the same words as FileFieldError's in English).
        from ..safetext import one_line

        where = one_line(file)
        if scenario:
            where = _("{where}, scenario {scenario}").format(where=where, scenario=scenario)
        if field:
            where = _("{where}, field {field}").format(where=where, field=field)
        self.args = (_("{where}: {reason}").format(where=where, reason=reason),)


class FieldReader:
    """Reads one scenario's fields, raising :class:`PackError` with file/scenario/field."""

    def __init__(self, file: str, scenario: str | None):
        self.file = file
        self.scenario = scenario

    def fail(self, field_name: str | None, reason: str) -> PackError:
        return PackError(self.file, reason, self.scenario, field_name)

    def require(self, data: Mapping[str, Any], key: str, prefix: str = "") -> Any:
        if key not in data:
            raise self.fail(prefix + key, _("missing"))
        return data[key]

    def text(self, value: Any, name: str, *, allow_empty: bool = False) -> str:
        if not isinstance(value, str) or (not allow_empty and not value.strip()):
            raise self.fail(
                name, _("must be a non-empty string, got {value}").format(value=repr(value))
            )
        return value.strip()

    def texts(self, value: Any, name: str) -> dict[str, str]:
        """A per-language text: a plain string (English, the format before per-language texts)
        or an object ``{"en": …, "zh_CN": …}`` with at least one language."""
        if isinstance(value, str):
            return {"en": self.text(value, name)}
        if not isinstance(value, dict) or not value:
            raise self.fail(
                name,
                _(
                    "must be a non-empty string or an object of languages ({languages}), "
                    'e.g. {{"en": "…", "zh_CN": "…"}}; got {value}'
                ).format(languages=", ".join(TEXT_LANGUAGES), value=repr(value)),
            )
        for lang in value:
            if lang not in TEXT_LANGUAGES:
                raise self.fail(
                    f"{name}.{lang}",
                    _("unknown language (one of {languages})").format(
                        languages=", ".join(TEXT_LANGUAGES)
                    ),
                )
        return {
            lang: self.text(value[lang], f"{name}.{lang}")
            for lang in TEXT_LANGUAGES
            if lang in value
        }

    def boolean(self, value: Any, name: str, *, nullable: bool = False) -> bool | None:
        if value is None and nullable:
            return None
        if not isinstance(value, bool):
            raise self.fail(
                name,
                (
                    _("must be true or false or null, got {value}")
                    if nullable
                    else _("must be true or false, got {value}")
                ).format(value=repr(value)),
            )
        return value

    def amount(self, value: Any, name: str) -> Decimal:
        if not isinstance(value, str):
            raise self.fail(name, f'amounts are strings like "764.00", got {value!r}')
        try:
            return parse_amount(value)
        except MoneyError as exc:
            raise self.fail(name, str(exc)) from None

    def time(self, value: Any, name: str) -> tuple[datetime, bool]:
        if not isinstance(value, str):
            raise self.fail(
                name, _("must be an ISO-8601 time string, got {value}").format(value=repr(value))
            )
        try:
            return parse_time(value, naive_is="china")
        except TimeError as exc:
            raise self.fail(name, str(exc)) from None

    def choice(self, value: Any, kinds: type[E], name: str) -> E:
        """``value`` as a member of the enum ``kinds`` (by value), else a :class:`PackError`
        listing the allowed values."""
        try:
            return kinds(value)
        except ValueError:
            raise self.fail(
                name,
                _("{value} is not one of {allowed}").format(
                    value=repr(value), allowed=[k.value for k in kinds]
                ),
            ) from None

    def unknown_keys(self, data: Mapping[str, Any], allowed: set[str], prefix: str) -> None:
        extra = sorted(set(data) - allowed)
        if extra:
            raise self.fail(prefix + extra[0], _("unknown field (a typo?)"))
