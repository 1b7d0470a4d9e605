"""The cancellation time as the operator types it: read strictly, never completed or guessed."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest

from refund_desk.policy import CHINA_TZ, TimeError, format_typed_time, parse_typed_time

NOW = datetime(2025, 1, 15, 9, 30, 12, tzinfo=UTC)


@pytest.mark.parametrize(
    ("text", "expected", "offset_given"),
    [
        ("2024-12-31 01:00", datetime(2024, 12, 31, 1, 0, tzinfo=CHINA_TZ), False),
        ("  2024-12-31 01:00  ", datetime(2024, 12, 31, 1, 0, tzinfo=CHINA_TZ), False),
        ("2024-12-31T01:00", datetime(2024, 12, 31, 1, 0, tzinfo=CHINA_TZ), False),
        ("2024-12-31 01:00:59", datetime(2024, 12, 31, 1, 0, 59, tzinfo=CHINA_TZ), False),
        ("2024-12-30 17:00Z", datetime(2024, 12, 31, 1, 0, tzinfo=CHINA_TZ), True),
        ("2024-12-31 01:00+08:00", datetime(2024, 12, 31, 1, 0, tzinfo=CHINA_TZ), True),
        ("2024-12-31 01:00 +0800", datetime(2024, 12, 31, 1, 0, tzinfo=CHINA_TZ), True),
        (
            "2024-12-30 12:00:30-05:00",
            datetime(2024, 12, 30, 12, 0, 30, tzinfo=timezone(timedelta(hours=-5))),
            True,
        ),
        ("2024-02-29 23:59", datetime(2024, 2, 29, 23, 59, tzinfo=CHINA_TZ), False),
    ],
)
def test_accepted_forms_mean_exactly_what_they_say(text, expected, offset_given):
    typed = parse_typed_time(text, now=NOW)
    assert typed.moment == expected and not typed.is_now
    assert typed.offset_given is offset_given
    assert typed.moment.tzinfo is not None


def test_now_is_the_clocks_time_in_china():
    for text in ("now", "NOW", " Now "):
        typed = parse_typed_time(text, now=NOW)
        assert typed.is_now and typed.moment == NOW
        assert typed.moment.utcoffset() == timedelta(hours=8)


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("", "No cancellation time"),
        ("2024-12-31", "not a complete time"),
        ("2024-12-31 1:00", "not a complete time"),
        ("2024-12-3 01:00", "not a complete time"),
        ("2024-12-31 01:0", "not a complete time"),
        ("2024-12-31 01:00:", "not a complete time"),
        ("2024-12-31 01:00:00.5", "not a complete time"),
        ("31/12/2024 01:00", "not a complete time"),
        ("2024-12-31 01:00 CST", "not a complete time"),
        ("yesterday", "not a complete time"),
        ("2024-12-31 01:00+8", "not a complete time"),
        ("２０２４-12-31 01:00", "not a complete time"),  # full-width digits are not read
        ("2023-02-29 10:00", "2023-02-29 is not a date"),
        ("2024-13-01 10:00", "2024-13-01 is not a date"),
        ("2024-12-31 24:00", "24:00 is not a time of day"),
        ("2024-12-31 23:60", "23:60 is not a time of day"),
        ("2024-12-31 23:59:60", "23:59:60 is not a time of day"),
        ("2024-12-31 01:00+15:00", "+15:00 is not a UTC offset"),
        ("2024-12-31 01:00+08:60", "+08:60 is not a UTC offset"),
        ("9999-12-31 10:00", "is after 2099"),  # beyond the business-day calendar
        ("2100-01-01 00:00", "is after 2099"),
    ],
)
def test_anything_else_is_refused_in_plain_words(text, words):
    with pytest.raises(TimeError) as caught:
        parse_typed_time(text, now=NOW)
    assert words in str(caught.value)
    assert "2024-12-31 01:00" in str(caught.value) or "is " in str(caught.value)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        # A day that does not exist is said as such, typed alone or with a time after it.
        ("2024-02-30", "2024-02-30 is not a date: February 2024 has no day 30 (it has 29 days)."),
        (
            "2024-02-30 10:00",
            "2024-02-30 is not a date: February 2024 has no day 30 (it has 29 days).",
        ),
        ("2023-02-29", "2023-02-29 is not a date: February 2023 has no day 29 (it has 28 days)."),
        ("2024-04-31 1", "2024-04-31 is not a date: April 2024 has no day 31 (it has 30 days)."),
        ("2024-13-01", "2024-13-01 is not a date: there is no month 13 (01 to 12)."),
        ("2024-00-10 10:00", "2024-00-10 is not a date: there is no month 00 (01 to 12)."),
        # No policy before 2017 (policy v1 in force from 2017-01-01, China time).
        (
            "2016-12-31 23:59",
            "2016-12-31 (China time) is before 2017: no refund policy was in force then; the "
            "desk quotes cancellations from 2017-01-01 to 2099-12-31.",
        ),
        (
            "2016-12-31 15:59Z",
            "2016-12-31 (China time) is before 2017: no refund policy was in force then; the "
            "desk quotes cancellations from 2017-01-01 to 2099-12-31.",
        ),
        ("0001-01-01 00:00", "0001-01-01 (China time) is before 2017"),
    ],
)
def test_a_day_that_does_not_exist_and_a_year_without_policy_are_said_plainly(text, message):
    with pytest.raises(TimeError) as caught:
        parse_typed_time(text, now=NOW)
    assert str(caught.value).startswith(message)


def test_the_first_day_of_the_policy_is_read():
    assert parse_typed_time("2017-01-01 00:00", now=NOW).moment == datetime(
        2017, 1, 1, tzinfo=CHINA_TZ
    )
    # 2016-12-31 16:00 UTC is 2017-01-01 00:00 in China: judged in China time.
    assert parse_typed_time("2016-12-31 16:00Z", now=NOW).moment.year == 2016


@pytest.mark.parametrize(
    ("moment", "text"),
    [
        (datetime(2024, 12, 30, 17, 0, tzinfo=UTC), "2024-12-31 01:00"),
        (datetime(2024, 12, 30, 17, 0, 5, tzinfo=UTC), "2024-12-31 01:00:05"),
    ],
)
def test_the_field_shows_china_time_and_reads_back_the_same(moment, text):
    assert format_typed_time(moment) == text
    assert parse_typed_time(text, now=NOW).moment == moment


def test_naive_times_are_refused_where_a_zone_is_needed():
    """The desk handles aware times only: a naive moment or a clock without a zone is an
    error, never read as some zone."""
    from datetime import datetime

    from refund_desk.policy import china_date, format_typed_time, parse_typed_time
    from refund_desk.policy.timeutil import TimeError

    naive = datetime(2025, 1, 15, 9, 30)
    with pytest.raises(ValueError, match="naive datetime"):
        china_date(naive)
    with pytest.raises(ValueError, match="naive datetime"):
        format_typed_time(naive)
    with pytest.raises(TimeError, match="without a time zone"):
        parse_typed_time("now", now=naive)
