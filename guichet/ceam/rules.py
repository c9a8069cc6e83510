"""Who may order a CEAM online, when it comes and when a provisional certificate is owed
(rules CEAM1-CEAM9, docs/decisions/ceam.md), decided in one place.

``exclusion`` returns the reason a beneficiary is excluded, as a core `Refusal` (a stable code,
one of ``CeamExclusionCode``, and the French message), or None. It reads only the facts it is
given (``Facts``), so that a page can list a whole family in a constant number of queries
(``selectors.beneficiary_choices``) and the service checks the same facts for one person.
"""

import datetime as dt
from dataclasses import dataclass

from guichet.ceam.enums import CeamExclusionCode
from guichet.core import clock
from guichet.core.refusals import Refusal
from guichet.reference.enums import FamilyRole
from guichet.reference.models import Person

DELIVERY_DAYS = 14  # CEAM5: « délivrée sous 15 jours environ »: received within two weeks
DISPATCH_DAYS = 10  # CEAM5: the card is posted 10 days after the order (4 days by post)
RENEWAL_MONTHS = 6  # CEAM4: a CEAM valid for more than 6 months more is not ordered again
CARD_VALIDITY_YEARS = 2  # CEAM6: a CEAM is valid 2 years, never past the end of the rights
PROVISIONAL_VALIDITY_MONTHS = 3  # CEAM7: the certificate is valid 3 months from its issue
DEPARTURE_HORIZON_DAYS = 365  # CEAM7: a departure date at most one year ahead

NOT_INSURED = Refusal("ceam_not_insured", "Ce compte n'est pas celui d'un assuré.")
NOT_IN_FAMILY = Refusal(
    CeamExclusionCode.NOT_IN_FAMILY,
    "Vous ne pouvez commander une CEAM que pour vous-même ou pour les bénéficiaires "
    "rattachés à votre dossier.",
    field="beneficiary",
)
NO_RIGHTS = Refusal(
    CeamExclusionCode.NO_RIGHTS,
    "Les droits à l'Assurance Maladie de ce bénéficiaire ne sont pas ouverts : la CEAM ne "
    "peut pas être commandée. Veuillez contacter votre caisse.",
    field="beneficiary",
)
# CEAM9: a CEAM, and its provisional certificate shown to a foreign hospital, prove coverage of
# a person the fund has identified: not of a NIR still provisional or a waiting number (a
# newborn declared online is in the family at once on an unchecked birth certificate, SIT19).
NIR_NOT_CERTIFIED = Refusal(
    CeamExclusionCode.NIR_NOT_CERTIFIED,
    "Le numéro de sécurité sociale de ce bénéficiaire n'est pas encore certifié par votre "
    "caisse (par exemple pour un nouveau-né déclaré récemment) : la CEAM pourra être commandée "
    "une fois ce numéro certifié.",
    field="beneficiary",
)
NPAI = Refusal(
    CeamExclusionCode.NPAI,
    "Votre adresse postale est inconnue : la carte ne pourrait pas vous parvenir. Merci de "
    "bien vouloir nous préciser votre nouvelle adresse, ou contactez votre caisse.",
    field="beneficiary",
)
ORDER_OPEN = Refusal(
    CeamExclusionCode.OPEN_ORDER,
    "Une commande de CEAM est déjà en cours pour ce bénéficiaire : suivez-la dans « Suivre "
    "mes démarches ».",
    field="beneficiary",
)
DEPARTURE_PAST = Refusal(
    "ceam_departure_past",
    "La date de départ ne peut pas être passée : indiquez une date à partir d'aujourd'hui.",
    field="departure_on",
)
DEPARTURE_TOO_FAR = Refusal(
    "ceam_departure_too_far",
    "La date de départ doit être dans les 12 prochains mois.",
    field="departure_on",
)


def card_still_valid(valid_until: dt.date) -> Refusal:
    return Refusal(
        CeamExclusionCode.CARD_STILL_VALID,
        f"La CEAM de ce bénéficiaire est valable jusqu'au {valid_until:%d/%m/%Y} : une "
        f"nouvelle carte peut être commandée dans les {RENEWAL_MONTHS} mois avant cette date.",
        field="beneficiary",
    )


@dataclass(frozen=True)
class Facts:
    """What the CEAM rules read about one beneficiary on one day."""

    open_rights: bool
    nir_certified: bool
    address_npai: bool
    open_order: bool
    card_valid_until: dt.date | None


def orderable_people(*, holder: Person) -> list[Person]:
    """CEAM1: the account holder orders for themselves and, when they open the rights, for every
    beneficiary of the family (a CEAM is personal, a child's included: no minimum age)."""
    if holder.role != FamilyRole.RIGHTS_OPENER:
        return [holder]
    members = list(Person.objects.filter(family_id=holder.family_id))
    return sorted(members, key=lambda p: (not p.is_rights_opener, p.birth_date))


def exclusion(*, facts: Facts, today: dt.date) -> Refusal | None:
    """CEAM2 open rights, CEAM9 a NIR the fund certified, CEAM3 an address the post can reach,
    CEAM4 one order at a time and no new card while the current one is valid more than
    RENEWAL_MONTHS."""
    if not facts.open_rights:
        return NO_RIGHTS
    if not facts.nir_certified:
        return NIR_NOT_CERTIFIED
    if facts.address_npai:
        return NPAI
    if facts.open_order:
        return ORDER_OPEN
    if facts.card_valid_until and facts.card_valid_until > clock.add_months(today, RENEWAL_MONTHS):
        return card_still_valid(facts.card_valid_until)
    return None


def departure_refusal(departure_on: dt.date | None, today: dt.date) -> Refusal | None:
    """CEAM7: the departure date is optional; when given, today or later, within a year."""
    if departure_on is None:
        return None
    if departure_on < today:
        return DEPARTURE_PAST
    if departure_on > today + dt.timedelta(days=DEPARTURE_HORIZON_DAYS):
        return DEPARTURE_TOO_FAR
    return None


def expected_on(*, ordered_on: dt.date) -> dt.date:
    """CEAM5: the card is received within DELIVERY_DAYS."""
    return ordered_on + dt.timedelta(days=DELIVERY_DAYS)


def dispatch_due(*, ordered_on: dt.date, today: dt.date) -> bool:
    """CEAM5: the card is posted DISPATCH_DAYS after the order."""
    return ordered_on + dt.timedelta(days=DISPATCH_DAYS) <= today


def needs_provisional_certificate(*, departure_on: dt.date | None, expected: dt.date) -> bool:
    """CEAM7: the person leaves before the card is sure to be there (on or before the day it
    is expected): a provisional replacement certificate is issued at once."""
    return departure_on is not None and departure_on <= expected


def _bounded(day: dt.date, rights_end: dt.date | None) -> dt.date:
    return min(day, rights_end) if rights_end else day


def card_valid_until(*, sent_on: dt.date, rights_end: dt.date | None) -> dt.date:
    """CEAM6: two years from dispatch, never past the end of the open rights period."""
    return _bounded(clock.add_months(sent_on, 12 * CARD_VALIDITY_YEARS), rights_end)


def provisional_valid_until(*, issued_on: dt.date, rights_end: dt.date | None) -> dt.date:
    """CEAM7: three months from issue, never past the end of the open rights period."""
    return _bounded(clock.add_months(issued_on, PROVISIONAL_VALIDITY_MONTHS), rights_end)
