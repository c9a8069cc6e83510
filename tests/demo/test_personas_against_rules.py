"""The personas meet the procedures' own rules as their situations say (cross-check)."""

import datetime as dt

import pytest

from guichet.cards import rules as card_rules
from guichet.cards.enums import OrderReason
from guichet.certificates import rules as certificate_rules
from guichet.core import clock
from guichet.demo.personas import persona
from guichet.enrollment import rules as enrollment_rules
from guichet.enrollment import services as enrollment
from guichet.enrollment.enums import Exclusion, Way
from guichet.reference import selectors
from guichet.reference.enums import CardStatus
from guichet.reference.models import Card, Person

pytestmark = pytest.mark.django_db


def _person(key: str) -> Person:
    return Person.objects.select_related("family__scheme").get(nir=persona(key).nir)


@pytest.mark.parametrize(
    ("key", "expected"),
    [
        ("create-account", None),
        ("partner-scheme", None),
        ("franceconnect", None),
        ("other-scheme", Exclusion.SCHEME_NOT_COVERED),
        ("provisional-nir", Exclusion.PROVISIONAL_NIR),
        ("waiting-nir", Exclusion.PROVISIONAL_NIR),
        ("no-bank-details", Exclusion.NO_BANK_DETAILS),
        ("card-transfer-failed", Exclusion.CARD_TRANSFER_FAILED),
        ("no-active-card", Exclusion.NO_ACTIVE_CARD),
    ],
)
def test_c4_account_creation_by_carte_vitale(seeded, key, expected):
    refusal = enrollment_rules.exclusion_reason(_person(key), way=Way.CARTE_VITALE)
    assert (refusal.code if refusal else None) == expected


@pytest.mark.parametrize(
    ("key", "accepted"), [("create-account", True), ("card-without-photo", False)]
)
def test_c2_proof_with_iban_and_photo_card_serial(seeded, key, accepted):
    item = persona(key)
    result = enrollment.proof_check(
        person=_person(key),
        iban_end=item.iban[-7:],
        serial_end=item.cards[0].serial[-11:],
        ip="127.0.0.1",
    )
    assert (result.person is not None) == accepted


def test_c9_franceconnect_identity_matches_one_person(seeded):
    match = enrollment.franceconnect_match(
        given_name="Angela Claire Louise",
        family_name="DUBOIS",
        birthdate=dt.date(1962, 8, 24),
        gender="female",
        birthplace="75107",
    )
    assert match.person is not None and match.person.nir == persona("franceconnect").nir


@pytest.mark.parametrize(
    ("key", "code"),
    [("family-of-four", None), ("no-open-rights", "no_rights"), ("student", "student")],
)
def test_a3_rights_certificate(seeded, key, code):
    person = _person(key)
    open_rights = selectors.has_open_rights(person=person, day=clock.today())
    refusal = certificate_rules.rights_certificate_exclusion(person=person, open_rights=open_rights)
    assert getattr(refusal, "code", None) == code


def test_a4_newborn_with_provisional_nir_blocks_the_family_certificate(seeded):
    person = _person("newborn-provisional-nir")
    family = list(Person.objects.filter(family=person.family))
    assert certificate_rules.cannot_issue_reason(person=person, beneficiaries=[person]) is None
    refusal = certificate_rules.cannot_issue_reason(person=person, beneficiaries=family)
    assert refusal is not None and refusal.code == "records_need_update"
    assert certificate_rules.address_unknown(person=_person("npai"))


def test_v2_name_changed_persona_may_order_without_a_declaration(seeded):
    """V2: the card shows the birth name, the person now uses another: a new card is offered."""
    person = _person("name-changed")
    card = person.cards.get()
    assert card_rules.visual_outdated(card, person)
    assert card_rules.exclusion(holder=person, beneficiary=person) is None
    replaced = card_rules.replaced_card(beneficiary=person)
    assert replaced == card
    assert card_rules.order_reason(replaced=replaced) == OrderReason.VISUAL_CHANGE


def test_v2_other_personas_cards_show_their_current_name(seeded):
    """V2: only the persona whose situation says so has an outdated card."""
    outdated = {
        card.person.nir
        for card in Card.objects.filter(status=CardStatus.ACTIVE).select_related("person")
        if card_rules.visual_outdated(card, card.person)
    }
    assert outdated == {persona("name-changed").nir}
