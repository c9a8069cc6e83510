"""Rules P4 (18 ans révolus on the day) and P6 (valid one calendar month, end of day Paris)."""

import datetime as dt

import pytest

from guichet.core.clock import PARIS
from guichet.powers import rules

MESSAGE = "Le mandataire doit avoir 18 ans révolus pour pouvoir vous représenter"


def test_p4_message_is_the_guides():
    assert rules.MINOR_PROXY == MESSAGE
    assert rules.FORM_ERROR == (
        "Le formulaire comporte une ou plusieurs erreurs. Merci de vérifier votre saisie."
    )


@pytest.mark.parametrize(
    ("birth", "day", "error"),
    [
        (dt.date(2008, 11, 23), dt.date(2026, 11, 23), None),  # 18th birthday: accepted
        (dt.date(2008, 11, 24), dt.date(2026, 11, 23), MESSAGE),  # one day short
        (dt.date(1950, 1, 1), dt.date(2026, 11, 23), None),
        (dt.date(2026, 11, 24), dt.date(2026, 11, 23), rules.FUTURE_BIRTH),
        # Born 29 February 2008: 18 on 1 March 2026 (common year), not on 28 February.
        (dt.date(2008, 2, 29), dt.date(2026, 2, 28), MESSAGE),
        (dt.date(2008, 2, 29), dt.date(2026, 3, 1), None),
        # Born 29 February 2012: 18 on 29 February 2030? 2030 is common: 1 March 2030.
        (dt.date(2012, 2, 29), dt.date(2030, 2, 28), MESSAGE),
        (dt.date(2012, 2, 29), dt.date(2030, 3, 1), None),
    ],
)
def test_p4_proxy_age_is_counted_on_the_day(birth, day, error):
    refusal = rules.proxy_birth_date_refusal(birth, day)
    assert (refusal.message if refusal else None) == error


@pytest.mark.parametrize(
    ("created", "last_day"),
    [
        (dt.datetime(2026, 11, 23, 10, 0, tzinfo=PARIS), dt.date(2026, 12, 23)),
        (dt.datetime(2026, 1, 31, 9, 0, tzinfo=PARIS), dt.date(2026, 2, 28)),
        (dt.datetime(2028, 1, 31, 9, 0, tzinfo=PARIS), dt.date(2028, 2, 29)),
        (dt.datetime(2026, 12, 15, 9, 0, tzinfo=PARIS), dt.date(2027, 1, 15)),
        # 23:30 UTC on 30 April is already 1 May in Paris: the Paris day counts.
        (dt.datetime(2026, 4, 30, 23, 30, tzinfo=dt.UTC), dt.date(2026, 6, 1)),
    ],
)
def test_p6_valid_until_end_of_same_day_next_month_in_paris(created, last_day):
    valid_until = rules.valid_until_for(created)
    local = valid_until.astimezone(PARIS)
    assert local.date() == last_day
    assert (local.hour, local.minute, local.second, local.microsecond) == (23, 59, 59, 999999)
