"""Who may create an account immediately (rule C4): every exclusion in one place, with its reason."""

from guichet.enrollment.enums import Exclusion, Way
from guichet.reference.enums import CardStatus, NirStatus
from guichet.reference.models import Person


def exclusion_reason(person: Person, *, way: Way) -> Exclusion | None:
    """The first reason that excludes the person from immediate creation by `way`, or None.

    Both ways: « ouvreur de droits » of the régime général or of a partner scheme (CAMIEG,
    CANSSM, CAVIMAC, CNMSS, CRPCEN, ENIM, MGP), with a certified NIR. Way 1 (carte Vitale +
    IBAN) also needs bank details on file and an active card whose transfer did not fail.
    """
    if not person.is_rights_opener:
        return Exclusion.NOT_RIGHTS_OPENER
    scheme = person.family.scheme
    if not (scheme.is_general or scheme.is_partner):
        return Exclusion.SCHEME_NOT_COVERED
    if person.nir_status != NirStatus.CERTIFIED or not person.nir:
        return Exclusion.PROVISIONAL_NIR
    if way == Way.FRANCECONNECT:
        return None
    if not person.iban.strip():
        return Exclusion.NO_BANK_DETAILS
    statuses = set(person.cards.values_list("status", flat=True))
    if CardStatus.ACTIVE not in statuses:
        if CardStatus.TRANSFER_FAILED in statuses:
            return Exclusion.CARD_TRANSFER_FAILED
        return Exclusion.NO_ACTIVE_CARD
    return None
