"""The business-day calendar cache: a warm start reuses years computed by the same ``holidays``
release, and nothing in the file can ever change a business day."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from datetime import date, timedelta

import pytest

from refund_desk.policy import BusinessCalendar, holidays_source
from refund_desk.services.calendar_cache import (
    FORMAT,
    load_calendar_cache,
    save_calendar_cache,
    warm_calendar,
)


def _every_day(year: int):
    day = date(year, 1, 1)
    while day.year == year:
        yield day
        day += timedelta(days=1)


def test_source_names_the_installed_holidays_release():
    from importlib.metadata import version

    assert holidays_source() == f"holidays {version('holidays')} CN is_working_day"


def test_a_cached_year_is_exactly_what_holidays_computes(tmp_path):
    path = tmp_path / "calendar-cache.json"
    computed = BusinessCalendar()
    assert warm_calendar(path, [2025, 2026], computed) == [2025, 2026]
    raw = json.loads(path.read_text(encoding="utf-8"))
    assert raw["format"] == FORMAT and raw["source"] == holidays_source()
    assert sorted(raw["years"]) == ["2025", "2026"]

    warm = BusinessCalendar()
    assert warm_calendar(path, [2025, 2026], warm) == []  # nothing computed: all from the file
    for year in (2025, 2026):
        for day in _every_day(year):
            assert warm.is_business_day(day) == computed.is_business_day(day), day
    # Make-up workdays come through (RULES.md §5): Sunday 2025-01-26 and Saturday 2025-10-11
    # are working days; 2025-10-01 to 2025-10-08 are not.
    assert warm.is_business_day(date(2025, 1, 26))
    assert warm.is_business_day(date(2025, 10, 11))
    assert not any(warm.is_business_day(date(2025, 10, d)) for d in range(1, 9))
    assert warm.add_business_days(date(2025, 9, 30), 2) == date(2025, 10, 10)


def test_a_warm_start_does_not_import_holidays(tmp_path):
    path = tmp_path / "calendar-cache.json"
    warm_calendar(path, [2026, 2027], BusinessCalendar())
    code = (
        "import sys; from pathlib import Path;"
        "from refund_desk.policy import BusinessCalendar;"
        "from refund_desk.services.calendar_cache import warm_calendar;"
        f"cal = BusinessCalendar(); path = Path({str(path)!r});"
        "missing = warm_calendar(path, [2026, 2027], cal);"
        "from datetime import date;"
        "print(missing, 'holidays' in sys.modules, cal.is_business_day(date(2026, 10, 1)))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[] False False"


def test_another_holidays_release_is_recomputed(tmp_path):
    path = tmp_path / "calendar-cache.json"
    warm_calendar(path, [2026], BusinessCalendar())
    raw = json.loads(path.read_text(encoding="utf-8"))
    raw["source"] = "holidays 0.1 CN is_working_day"
    raw["years"]["2026"] = []  # every day a business day: must never be believed
    path.write_text(json.dumps(raw), encoding="utf-8")

    cal = BusinessCalendar()
    assert load_calendar_cache(path, cal) == []
    assert warm_calendar(path, [2026], cal) == [2026]
    assert not cal.is_business_day(date(2026, 10, 1))
    assert json.loads(path.read_text(encoding="utf-8"))["source"] == holidays_source()


@pytest.mark.parametrize(
    "content",
    [
        "",
        "{not json",
        "[]",
        '{"format": 99, "source": "x", "years": {}}',
        '{"format": 2}',
        '{"format": 2, "source": null, "years": {"2026": []}}',
        '{"format": 2, "source": "SOURCE", "years": {"2026": ["2026-13-01"]}}',
        '{"format": 2, "source": "SOURCE", "years": {"2026": ["2025-10-01"]}}',
        '{"format": 2, "source": "SOURCE", "years": {"year": []}}',
        '{"format": 2, "source": "SOURCE", "years": {"2026": [20261001]}}',
        '{"format": 2, "source": "SOURCE", "years": []}',
        '{"format": 2, "source": "SOURCE", "years": {"2026": {"2026-10-01": 1}}}',
        '{"format": 2, "source": "SOURCE", "years": ' + "[" * 200_000,
        "\udcff not utf-8",
    ],
)
def test_a_bad_cache_file_is_ignored_and_rewritten(tmp_path, content):
    path = tmp_path / "calendar-cache.json"
    if content.startswith("\udcff"):
        path.write_bytes(b"\xff\xfe not UTF-8")
    else:
        path.write_text(content.replace("SOURCE", holidays_source()), encoding="utf-8")
    cal = BusinessCalendar()
    assert load_calendar_cache(path, cal) == []
    assert cal.computed_years() == {}
    assert warm_calendar(path, [2026], cal) == [2026]
    assert not cal.is_business_day(date(2026, 10, 1))
    assert cal.is_business_day(date(2026, 11, 30))
    assert load_calendar_cache(path, BusinessCalendar()) == [2026]


def test_years_already_known_are_kept(tmp_path):
    path = tmp_path / "calendar-cache.json"
    warm_calendar(path, [2026], BusinessCalendar())
    cal = BusinessCalendar()
    cal.is_business_day(date(2026, 1, 1))
    before = cal.computed_years()[2026]
    other = BusinessCalendar()
    load_calendar_cache(path, other)
    assert cal.adopt_years(holidays_source(), other.computed_years()) == []
    assert cal.computed_years()[2026] is before


def test_an_unwritable_folder_leaves_the_calendar_working(tmp_path):
    missing_folder = tmp_path / "nowhere" / "calendar-cache.json"
    cal = BusinessCalendar()
    assert warm_calendar(missing_folder, [2026], cal) == [2026]
    assert not missing_folder.exists()
    assert save_calendar_cache(missing_folder, cal) is False
    assert not cal.is_business_day(date(2026, 10, 1))


def _rewrite(path, change):
    """Apply ``change(years)`` to the cached years and store a matching checksum, as a careful
    hand edit (or an older desk with a bug) would."""
    from refund_desk.services.calendar_cache import _checksum

    raw = json.loads(path.read_text(encoding="utf-8"))
    change(raw["years"])
    raw["sha256"] = _checksum(raw["source"], raw["years"])
    path.write_text(json.dumps(raw), encoding="utf-8")


@pytest.mark.parametrize(
    "change",
    [
        pytest.param(lambda years: years.__setitem__("2026", []), id="emptied year"),
        pytest.param(
            lambda years: years.__setitem__(
                "2026", [d for d in years["2026"] if not d.startswith("2026-10-0")]
            ),
            id="National Day removed",
        ),
        pytest.param(
            lambda years: years.__setitem__("2026", years["2026"] + years["2026"][:3]),
            id="days listed twice",
        ),
        pytest.param(
            lambda years: years.__setitem__(
                "2026", [d for d in years["2026"] if date.fromisoformat(d).weekday() < 5]
            ),
            id="weekends dropped",
        ),
    ],
)
def test_a_year_that_cannot_be_the_mainland_calendar_is_recomputed(tmp_path, change):
    """Even with the right release and a matching checksum, a damaged year is never adopted:
    the processed-by date of a cancellation on 2026-09-30 stays 2026-10-09 (National Day)."""
    path = tmp_path / "calendar-cache.json"
    warm_calendar(path, [2026], BusinessCalendar())
    _rewrite(path, change)
    cal = BusinessCalendar()
    assert load_calendar_cache(path, cal) == []
    assert warm_calendar(path, [2026], cal) == [2026]
    assert cal.add_business_days(date(2026, 9, 30), 2) == date(2026, 10, 9)
    assert load_calendar_cache(path, BusinessCalendar()) == [2026]  # rewritten whole


def test_a_damaged_date_fails_the_checksum(tmp_path):
    path = tmp_path / "calendar-cache.json"
    warm_calendar(path, [2026], BusinessCalendar())
    text = path.read_text(encoding="utf-8")
    assert '"2026-11-28"' in text and '"2026-11-27"' not in text  # a Saturday off, a Friday not
    path.write_text(text.replace('"2026-11-28"', '"2026-11-27"'), encoding="utf-8")
    assert load_calendar_cache(path, BusinessCalendar()) == []


def test_an_oversized_file_is_not_read(tmp_path):
    path = tmp_path / "calendar-cache.json"
    path.write_text('{"format": 2, "pad": "' + "x" * 1_100_000 + '"}', encoding="utf-8")
    assert load_calendar_cache(path, BusinessCalendar()) == []


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="FIFOs are POSIX")
def test_a_fifo_in_its_place_does_not_hang(tmp_path):
    path = tmp_path / "calendar-cache.json"
    os.mkfifo(path)
    cal = BusinessCalendar()
    assert load_calendar_cache(path, cal) == []  # returns at once: opened without blocking
    assert warm_calendar(path, [2026], cal) == [2026]
    assert not cal.is_business_day(date(2026, 10, 1))
