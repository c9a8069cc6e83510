"""Eligibility rules of the online power of attorney: each returns a core `Refusal` (a stable
code and the French reason), or None."""

import datetime as dt

from guichet.core import clock
from guichet.core.refusals import Refusal

PROXY_MINIMUM_AGE = 18  # rule P4: « 18 ans révolus », whatever the proxy's scheme
VALIDITY_MONTHS = 1  # rule P6: valid 1 month from creation

FORM_ERROR = "Le formulaire comporte une ou plusieurs erreurs. Merci de vérifier votre saisie."
MINOR_PROXY = "Le mandataire doit avoir 18 ans révolus pour pouvoir vous représenter"
FUTURE_BIRTH = "La date de naissance du mandataire ne peut pas être dans le futur."


PROXY_BORN_LATER = Refusal("proxy_birth_in_future", FUTURE_BIRTH)
PROXY_MINOR = Refusal("proxy_minor", MINOR_PROXY)


def proxy_birth_date_refusal(birth_date: dt.date, day: dt.date) -> Refusal | None:
    """Why this birth date cannot be a proxy's on `day` (Europe/Paris date), or None."""
    if birth_date > day:
        return PROXY_BORN_LATER
    if clock.age_on(birth_date, day) < PROXY_MINIMUM_AGE:
        return PROXY_MINOR
    return None


def valid_until_for(created_at: dt.datetime) -> dt.datetime:
    """The last instant a power given at `created_at` can be used.

    The calendar day of creation in Europe/Paris, one calendar month later (the last day of
    that month when the day does not exist: 31 January → 28/29 February), until 23:59:59.999999
    Paris time. See docs/decisions/powers-validity.md.
    """
    created_day = created_at.astimezone(clock.PARIS).date()
    return clock.end_of_day(clock.add_months(created_day, VALIDITY_MONTHS))
