"""Rules V2, V4 and V5 at each boundary (time-machine moves the clock)."""

import datetime as dt

import pytest
import time_machine

from guichet.cards import rules
from guichet.cards.enums import ExclusionCode, OrderReason
from guichet.core.clock import PARIS
from guichet.reference.enums import CardStatus
from tests.cards.factories import DeclarationFactory
from tests.factories import CardFactory, PersonFactory, SchemeFactory

pytestmark = pytest.mark.django_db

DECLARED_AT = dt.datetime(2026, 3, 10, 23, 30, tzinfo=PARIS)  # day J = 10 March (Paris)


def code(holder, beneficiary=None):
    excluded = rules.exclusion(holder=holder, beneficiary=beneficiary or holder)
    return excluded.code if excluded else None


def lost_card_person():
    card = CardFactory(status=CardStatus.LOST)
    DeclarationFactory(card=card, declared_at=DECLARED_AT)
    return card.person


@pytest.mark.parametrize(
    ("moment", "expected"),
    [
        (dt.datetime(2026, 3, 10, 23, 31), None),  # day J
        (dt.datetime(2026, 3, 14, 23, 59, 59), None),  # J+4, last online day
        (dt.datetime(2026, 3, 15, 0, 0), ExclusionCode.PAPER_FORM_PENDING),  # J+5 starts
        (dt.datetime(2026, 3, 15, 23, 59, 59), ExclusionCode.PAPER_FORM_PENDING),
        (dt.datetime(2026, 3, 16, 0, 0), None),  # J+6: open again despite the paper form
    ],
)
def test_v5_window_in_paris_calendar_days(moment, expected):
    person = lost_card_person()
    with time_machine.travel(moment.replace(tzinfo=PARIS), tick=False):
        assert code(person) == expected


def test_v5_message_gives_the_reopening_day():
    person = lost_card_person()
    with time_machine.travel(dt.datetime(2026, 3, 15, 9, 0, tzinfo=PARIS), tick=False):
        excluded = rules.exclusion(holder=person, beneficiary=person)
    assert "16/03/2026" in excluded.message


def test_v5_window_does_not_apply_to_a_malfunction():
    card = CardFactory(status=CardStatus.FAULTY)
    DeclarationFactory(card=card, declared_at=DECLARED_AT, kind="faulty")
    with time_machine.travel(dt.datetime(2026, 3, 15, 9, 0, tzinfo=PARIS), tick=False):
        assert code(card.person) is None


def test_v4_npai_excluded():
    person = PersonFactory(npai=True)
    assert code(person) == ExclusionCode.NPAI


def test_v4_active_card_needs_a_declaration_first():
    card = CardFactory()
    assert code(card.person) == ExclusionCode.DECLARATION_NEEDED


def test_v4_first_card_without_any_card_is_allowed():
    assert code(PersonFactory()) is None


def test_v4_withheld_card_excluded():
    card = CardFactory(status=CardStatus.LOST, withheld=True)
    assert code(card.person) == ExclusionCode.NOT_ALLOWED


def test_v4_scheme_without_carte_vitale_excluded():
    scheme = SchemeFactory(
        code="SNCF", name="Régime SNCF", is_general=False, issues_carte_vitale=False
    )
    person = PersonFactory(family__scheme=scheme)
    assert code(person) == ExclusionCode.NOT_ALLOWED


def test_v4_card_in_transfer_excluded():
    card = CardFactory(status=CardStatus.IN_TRANSFER)
    assert code(card.person) == ExclusionCode.IN_TRANSFER


@pytest.mark.parametrize(
    ("today", "expected"),
    [
        (dt.date(2026, 6, 14), ExclusionCode.UNDER_12),  # the day before 12th birthday
        (dt.date(2026, 6, 15), None),  # 12 today
    ],
)
def test_v2_dependant_from_12(today, expected):
    holder = PersonFactory()
    child = PersonFactory(dependant=True, family=holder.family, birth_date=dt.date(2014, 6, 15))
    with time_machine.travel(dt.datetime.combine(today, dt.time(12), tzinfo=PARIS), tick=False):
        assert code(holder, child) == expected


def test_orderable_people_dependant_only_sees_themselves():
    holder = PersonFactory()
    child = PersonFactory(dependant=True, family=holder.family, birth_date=dt.date(2000, 1, 1))
    assert rules.orderable_people(person=child) == [child]
    assert rules.orderable_people(person=holder) == [holder, child]


def test_v2_an_active_card_with_the_current_name_and_nir_needs_a_declaration():
    card = CardFactory()
    assert not rules.visual_outdated(card, card.person)
    assert code(card.person) == ExclusionCode.DECLARATION_NEEDED


@pytest.mark.parametrize(
    "change",
    [
        {"usage_name": "NOUVEAUNOM"},  # name taken at marriage
        {"first_names": "Autreprénom"},  # first name changed
    ],
)
def test_v2_a_card_that_no_longer_shows_the_name_may_be_replaced(change):
    card = CardFactory()
    person = card.person
    for field, value in change.items():
        setattr(person, field, value)
    person.save()
    assert rules.visual_outdated(card, person)
    assert code(person) is None
    assert rules.replaced_card(beneficiary=person) == card
    assert rules.order_reason(replaced=card) == OrderReason.VISUAL_CHANGE


def test_v2_a_card_that_no_longer_shows_the_nir_may_be_replaced():
    card = CardFactory(printed_nir="180017510800133")
    assert card.person.nir != card.printed_nir
    assert rules.visual_outdated(card, card.person)
    assert code(card.person) is None


def test_v2_an_unknown_visual_is_taken_as_up_to_date():
    card = CardFactory(printed_name="", printed_nir="")
    assert not rules.visual_outdated(card, card.person)
    assert code(card.person) == ExclusionCode.DECLARATION_NEEDED


def test_v2_a_declared_card_is_replaced_before_an_outdated_one():
    person = PersonFactory()
    outdated = CardFactory(person=person, printed_name="ANCIEN NOM", status=CardStatus.OPPOSED)
    lost = CardFactory(person=person, status=CardStatus.LOST)
    assert rules.replaced_card(beneficiary=person) == lost
    assert rules.order_reason(replaced=lost) == OrderReason.LOST
    assert outdated.pk != lost.pk


def test_v2_first_card_when_there_is_nothing_to_replace():
    person = PersonFactory()
    assert code(person) is None
    assert rules.replaced_card(beneficiary=person) is None
    assert rules.order_reason(replaced=None) == OrderReason.FIRST_CARD
