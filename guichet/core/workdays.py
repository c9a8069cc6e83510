"""Working days in France: Monday to Friday, less the public holidays of metropolitan France
(Code du travail, article L3133-1). The fund's answer delays count in working days (rule ECH6,
docs/decisions/exchanges.md).

No holidays library is installed; the eleven public holidays are eight fixed dates and three
that follow Easter Sunday, computed with the anonymous Gregorian algorithm (Meeus/Jones/Butcher).
"""

import datetime as dt
from functools import cache

_FIXED = ((1, 1), (5, 1), (5, 8), (7, 14), (8, 15), (11, 1), (11, 11), (12, 25))
SATURDAY = 5


def easter_sunday(year: int) -> dt.date:
    a, b, c = year % 19, year // 100, year % 100
    d, e = b // 4, b % 4
    f = (b + 8) // 25
    g = (b - f + 1) // 3
    h = (19 * a + b - d - g + 15) % 30
    i, k = c // 4, c % 4
    el = (32 + 2 * e + 2 * i - h - k) % 7
    m = (a + 11 * h + 22 * el) // 451
    month, day = divmod(h + el - 7 * m + 114, 31)
    return dt.date(year, month, day + 1)


@cache
def public_holidays(year: int) -> frozenset[dt.date]:
    """The public holidays of metropolitan France in `year` (Easter Monday, Ascension Day and
    Whit Monday included)."""
    easter = easter_sunday(year)
    moving = (easter + dt.timedelta(days=1), easter + dt.timedelta(days=39))
    whit_monday = easter + dt.timedelta(days=50)
    return frozenset([dt.date(year, month, day) for month, day in _FIXED] + [*moving, whit_monday])


def is_working_day(day: dt.date) -> bool:
    return day.weekday() < SATURDAY and day not in public_holidays(day.year)


def add_working_days(day: dt.date, count: int) -> dt.date:
    """The `count`-th working day after `day` (`day` itself is not counted)."""
    current = day
    remaining = count
    while remaining > 0:
        current += dt.timedelta(days=1)
        if is_working_day(current):
            remaining -= 1
    return current


def working_days_between(start: dt.date, end: dt.date) -> int:
    """Working days after `start` up to and including `end` (0 when `end` is not later)."""
    days = 0
    current = start
    while current < end:
        current += dt.timedelta(days=1)
        if is_working_day(current):
            days += 1
    return days
