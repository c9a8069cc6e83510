"""The one clock of the domain. Tests move it with time-machine; business code calls these."""

import datetime as dt
from zoneinfo import ZoneInfo

from django.utils import timezone

PARIS = ZoneInfo("Europe/Paris")


def now() -> dt.datetime:
    return timezone.now()


def today() -> dt.date:
    """Today's date in Europe/Paris, the fund's legal time."""
    return now().astimezone(PARIS).date()


def end_of_day(day: dt.date) -> dt.datetime:
    """The last instant of `day` in Europe/Paris (23:59:59.999999 local time)."""
    return dt.datetime.combine(day, dt.time.max, tzinfo=PARIS)


def age_on(birth_date: dt.date, day: dt.date) -> int:
    """Full years between a birth date and a day; a 29 February birthday falls on 1 March."""
    years = day.year - birth_date.year
    try:
        birthday = birth_date.replace(year=day.year)
    except ValueError:  # 29 February in a common year
        birthday = dt.date(day.year, 3, 1)
    if day < birthday:
        years -= 1
    return years


def add_months(day: dt.date, months: int) -> dt.date:
    """Same day `months` later; the last day of the month when that day does not exist."""
    month_index = day.month - 1 + months
    year = day.year + month_index // 12
    month = month_index % 12 + 1
    for candidate in (day.day, 30, 29, 28):
        try:
            return dt.date(year, month, min(day.day, candidate))
        except ValueError:
            continue
    raise ValueError(day)
