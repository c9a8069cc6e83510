"""Who may create an account immediately (rule C4): every exclusion in one place, with its reason.

Each refusal is a core `Refusal` whose code is the `Exclusion` value (stable: the API, the
logs and the tests read it) and whose message is the `Exclusion` label.
"""

from guichet.accounts.models import User
from guichet.core.refusals import Refusal
from guichet.enrollment.enums import Exclusion, Way
from guichet.reference.enums import CardStatus, NirStatus
from guichet.reference.models import Person

ACCOUNT_EXISTS = Refusal("account_exists", "Vous avez déjà un compte.")


def _refusal(exclusion: Exclusion) -> Refusal:
    return Refusal(exclusion.value, str(exclusion.label))


def exclusion_reason(person: Person, *, way: Way) -> Refusal | None:
    """The first reason that excludes the person from immediate creation by `way`, or None.

    Both ways: « ouvreur de droits » of the régime général or of a partner scheme (CAMIEG,
    CANSSM, CAVIMAC, CNMSS, CRPCEN, ENIM, MGP), with a certified NIR. Way 1 (carte Vitale +
    IBAN) also needs bank details on file and an active card whose transfer did not fail.
    """
    if not person.is_rights_opener:
        return _refusal(Exclusion.NOT_RIGHTS_OPENER)
    scheme = person.family.scheme
    if not (scheme.is_general or scheme.is_partner):
        return _refusal(Exclusion.SCHEME_NOT_COVERED)
    if person.nir_status != NirStatus.CERTIFIED or not person.nir:
        return _refusal(Exclusion.PROVISIONAL_NIR)
    if way == Way.FRANCECONNECT:
        return None
    if not person.iban.strip():
        return _refusal(Exclusion.NO_BANK_DETAILS)
    statuses = set(person.cards.values_list("status", flat=True))
    if CardStatus.ACTIVE not in statuses:
        if CardStatus.TRANSFER_FAILED in statuses:
            return _refusal(Exclusion.CARD_TRANSFER_FAILED)
        return _refusal(Exclusion.NO_ACTIVE_CARD)
    return None


def creation_refusal(person: Person, *, way: Way) -> Refusal | None:
    """Why `person` cannot create an account by `way` now: they have one, or C4 excludes them.

    Called once the person is identified (the web's step 1, the API) and again by
    `services.account_create`, which refuses whatever calls it.
    """
    if User.objects.filter(person=person).exists():
        return ACCOUNT_EXISTS
    return exclusion_reason(person, way=way)
