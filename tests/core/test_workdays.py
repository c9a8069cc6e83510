"""Working days in metropolitan France, for the fund's answer delays (rule ECH6)."""

import datetime as dt

import pytest

from guichet.core import workdays


@pytest.mark.parametrize(
    ("year", "easter"),
    [(2019, (4, 21)), (2024, (3, 31)), (2025, (4, 20)), (2026, (4, 5)), (2038, (4, 25))],
)
def test_easter_sunday(year, easter):
    assert workdays.easter_sunday(year) == dt.date(year, *easter)


def test_the_eleven_public_holidays_of_2026():
    assert sorted(workdays.public_holidays(2026)) == [
        dt.date(2026, 1, 1),
        dt.date(2026, 4, 6),  # Easter Monday
        dt.date(2026, 5, 1),
        dt.date(2026, 5, 8),
        dt.date(2026, 5, 14),  # Ascension Day
        dt.date(2026, 5, 25),  # Whit Monday
        dt.date(2026, 7, 14),
        dt.date(2026, 8, 15),
        dt.date(2026, 11, 1),
        dt.date(2026, 11, 11),
        dt.date(2026, 12, 25),
    ]


def test_ech6_ten_working_days_skip_weekends_and_holidays():
    # Friday 18 December 2026: Christmas and New Year's Day fall on Fridays.
    assert workdays.add_working_days(dt.date(2026, 12, 18), 10) == dt.date(2027, 1, 5)
    # A Saturday counts from the Monday after.
    assert workdays.add_working_days(dt.date(2026, 3, 7), 1) == dt.date(2026, 3, 9)
    assert workdays.add_working_days(dt.date(2026, 3, 9), 0) == dt.date(2026, 3, 9)


def test_ech6_working_days_between():
    assert workdays.working_days_between(dt.date(2026, 12, 18), dt.date(2027, 1, 5)) == 10
    assert workdays.working_days_between(dt.date(2026, 3, 9), dt.date(2026, 3, 9)) == 0
    assert workdays.working_days_between(dt.date(2026, 3, 9), dt.date(2026, 3, 1)) == 0
    assert not workdays.is_working_day(dt.date(2026, 7, 14))
    assert workdays.is_working_day(dt.date(2026, 7, 15))
