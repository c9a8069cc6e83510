"""« Modifier mes coordonnées bancaires » (rules SIT3–SIT10; docs/decisions/
situation-bank-details.md): each measure against the classic IBAN-change fraud."""

import datetime as dt

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.test import override_settings

from guichet.accounts.models import LoginEvent
from guichet.cards.uploads import UploadRejected
from guichet.cases import services as case_services
from guichet.cases.enums import CaseKind, CaseStatus
from guichet.cases.models import Case
from guichet.core.refusals import Refused
from guichet.notifications.models import Notification, OutboundEmail
from guichet.situation import rules, services
from guichet.situation.enums import BankDetailsChangeStatus
from guichet.situation.models import BankDetailsChange
from tests.cards.factories import jpeg_bytes, png_bytes, upload
from tests.factories import AgentFactory, FundFactory, InsuredUserFactory, PersonFactory
from tests.situation.factories import (
    AFTER_COOLING_OFF,
    GERMAN_IBAN,
    NEW_IBAN,
    NEW_IBAN_SPACED,
    NOT_SEPA_IBAN,
    REQUESTED,
    bank_change_for,
)

pytestmark = pytest.mark.django_db
OLD_IBAN = "FR7630006000011234567890189"


@pytest.fixture
def user():
    return InsuredUserFactory(person__last_name="GIRARD", person__first_names="Julie Anne")


def _refused(user, expected, **overrides):
    with pytest.raises(Refused) as refused:
        bank_change_for(user, **overrides)
    assert refused.value.code == expected
    return refused.value


def _held(change, agent):
    case = Case.objects.get(subject_id=change.pk, kind=CaseKind.BANK_DETAILS_CHANGE)
    case_services.case_claim(case_id=case.pk, agent=agent)
    return case


def _nothing_asked():
    assert not BankDetailsChange.objects.exists() and not Case.objects.exists()
    assert not OutboundEmail.objects.exists()


@time_machine.travel(REQUESTED, tick=False)
def test_sit9_a_request_keeps_the_old_iban_and_opens_a_case_in_the_insureds_fund(user):
    change = bank_change_for(user, iban=NEW_IBAN_SPACED)
    user.person.refresh_from_db()
    assert user.person.iban == OLD_IBAN  # payments still go to the old account
    assert (change.iban, change.previous_iban, change.status) == (
        NEW_IBAN,
        OLD_IBAN,
        BankDetailsChangeStatus.PENDING,
    )
    assert change.rib_content_type == "application/pdf" and change.rib.name.startswith(
        "situation/rib/"
    )
    case = Case.objects.get()
    assert (case.kind, case.fund, case.insured, case.status) == (
        CaseKind.BANK_DETAILS_CHANGE,
        user.person.family.fund,
        user.person,
        CaseStatus.OPEN,
    )
    assert case.due_at == REQUESTED + dt.timedelta(days=7)
    assert [t.to_status for t in change.transitions.all()] == ["pending"]


@time_machine.travel(REQUESTED, tick=False)
def test_sit10_the_request_is_told_by_notice_and_email_with_what_to_do_if_not_asked(user):
    bank_change_for(user)
    email = OutboundEmail.objects.get()
    assert email.to == user.email
    assert email.subject == "Votre demande de changement de coordonnées bancaires"
    assert "FR76 ••••" in email.body_text and NEW_IBAN not in email.body_text
    assert "restent versés sur votre compte actuel" in email.body_text
    assert "Si vous n'êtes pas à l'origine de cette demande" in email.body_text
    assert Notification.objects.get(recipient=user).title == (
        "Changement de coordonnées bancaires demandé"
    )


def test_sit4_a_wrong_code_personnel_is_refused_and_counted_as_a_failed_login(user):
    refused = _refused(user, "wrong_code", code="pas-le-bon-code")
    assert refused.field == "code"
    assert LoginEvent.objects.filter(user=user, outcome=LoginEvent.Outcome.FAILURE).count() == 1
    _nothing_asked()


@override_settings(LOGIN_FAILURE_LIMIT=2)
def test_sit4_after_too_many_wrong_codes_even_the_right_one_is_refused(user):
    for _ in range(2):
        _refused(user, "wrong_code", code="pas-le-bon-code")
    _refused(user, "throttled", code="pas-le-bon-code")  # the limit is passed
    refused = _refused(user, "throttled")  # then even the right code
    assert refused.retry_after is not None and refused.field == "code"
    _nothing_asked()


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"iban": "FR76 1234"}, "iban", "Cet IBAN n'est pas valide."),
        ({"iban": "FR7620041010050500013026053"}, "iban", "Cet IBAN n'est pas valide."),
        ({"holder_name": ""}, "holder_name", "Saisissez le nom du titulaire du compte."),
        ({"holder_name": "Julie <GIRARD>"}, "holder_name", None),
        ({"holder_name": "Julie GIRARD\x07"}, "holder_name", None),
    ],
)
def test_sit3_bad_fields_are_refused_on_their_field(user, overrides, field, message):
    with pytest.raises(ValidationError) as refused:
        bank_change_for(user, **overrides)
    assert set(refused.value.message_dict) == {field}
    if message:
        assert refused.value.message_dict[field] == [message]
    _nothing_asked()


def test_sit3_an_iban_outside_the_sepa_zone_is_refused(user):
    assert _refused(user, "iban_not_sepa", iban=NOT_SEPA_IBAN).field == "iban"


def test_sit3_a_german_iban_of_the_sepa_zone_is_accepted(user):
    assert bank_change_for(user, iban=GERMAN_IBAN).iban == GERMAN_IBAN


def test_sit3_the_current_iban_is_no_change(user):
    _refused(user, "same_iban", iban=OLD_IBAN)


def test_sit3_only_the_rights_opener_may_change_the_familys_iban():
    opener = InsuredUserFactory()
    dependant = PersonFactory(dependant=True, family=opener.person.family, last_name="X")
    user = InsuredUserFactory(person=dependant, username="dependant", email="d@exemple.fr")
    _refused(user, "not_rights_opener", holder_name="Y X")


@pytest.mark.parametrize(
    "holder",
    [
        "Julie GIRARD",
        "MME GIRARD JULIE",
        "girard julie anne",
        "Mme J. Girard",
        "GIRARD-PETIT Julie",
    ],
)
def test_sit5_a_holder_bearing_the_insureds_name_is_accepted(user, holder):
    assert bank_change_for(user, holder_name=holder).holder_name == holder


@pytest.mark.parametrize("holder", ["Julie GIRAUD", "Société Girardin", "Marc Dupont"])
def test_sit5_an_account_in_another_name_is_refused(user, holder):
    assert _refused(user, "holder_mismatch", holder_name=holder).field == "holder_name"
    _nothing_asked()


def test_sit5_the_usage_name_is_the_insureds_name_too():
    user = InsuredUserFactory(person__last_name="GIRARD", person__usage_name="MARTIN")
    assert bank_change_for(user, holder_name="Julie MARTIN").pk


@pytest.mark.parametrize(
    ("name", "content", "content_type"),
    [
        ("rib.jpg", jpeg_bytes(gps=True), "image/jpeg"),
        ("rib.png", png_bytes(), "image/jpeg"),
    ],
)
def test_sit6_a_jpeg_or_png_rib_is_re_encoded_without_metadata(user, name, content, content_type):
    change = bank_change_for(user, rib=upload(name, content))
    assert change.rib_content_type == content_type
    with change.rib.open("rb") as stored:
        data = stored.read()
    assert data.startswith(b"\xff\xd8\xff") and b"Camera X100" not in data


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"GIF89a....", "Le RIB doit être un fichier PDF, JPEG ou PNG"),
        (b"", "Le fichier est vide."),
        (b"%PDF-1.4 broken", "Le fichier est endommagé ou n'est pas un PDF lisible."),
    ],
)
def test_sit6_a_rib_that_is_not_a_clean_pdf_jpeg_or_png_is_refused(user, content, message):
    with pytest.raises(UploadRejected, match=message):
        bank_change_for(user, rib=upload("rib.pdf", content, "application/pdf"))
    _nothing_asked()


def test_sit7_one_pending_change_at_a_time(user):
    bank_change_for(user)
    _refused(user, "bank_change_pending", iban=GERMAN_IBAN)
    assert BankDetailsChange.objects.count() == 1


def test_sit8_at_most_three_requests_in_thirty_days(user):
    agent = AgentFactory(back_office=True, fund=user.person.family.fund)
    with time_machine.travel(REQUESTED, tick=False):
        for _ in range(rules.BANK_CHANGE_LIMIT):
            change = bank_change_for(user)
            _held(change, agent)
            services.bank_details_change_decide(
                change_id=change.pk, agent=agent, approve=False, reason="RIB illisible."
            )
        _refused(user, "bank_change_limit")
    with time_machine.travel(REQUESTED + rules.BANK_CHANGE_WINDOW + dt.timedelta(minutes=1)):
        assert bank_change_for(user).pk


def test_sit9_approval_waits_for_the_cooling_off_then_the_new_iban_takes_effect(user):
    agent = AgentFactory(back_office=True, fund=user.person.family.fund)
    with time_machine.travel(REQUESTED, tick=False):
        change = bank_change_for(user)
        case = _held(change, agent)
    with time_machine.travel(AFTER_COOLING_OFF - dt.timedelta(hours=1), tick=False):
        with pytest.raises(Refused) as refused:
            services.bank_details_change_decide(change_id=change.pk, agent=agent, approve=True)
        assert refused.value.code == "bank_change_cooling_off"
        assert "à partir du 04/03/2026 à 10:00" in refused.value.message
        user.person.refresh_from_db()
        assert user.person.iban == OLD_IBAN
    with time_machine.travel(AFTER_COOLING_OFF, tick=False):
        OutboundEmail.objects.all().delete()
        services.bank_details_change_decide(change_id=change.pk, agent=agent, approve=True)
    user.person.refresh_from_db()
    change.refresh_from_db()
    case.refresh_from_db()
    assert user.person.iban == NEW_IBAN
    assert (change.status, change.decided_by, case.status) == ("approved", agent, "closed")
    email = OutboundEmail.objects.get()
    assert email.subject == "Vos nouvelles coordonnées bancaires sont enregistrées"
    assert "vos prochains remboursements y seront versés" in email.body_text


def test_sit9_a_refusal_needs_a_reason_keeps_the_old_iban_and_drops_the_rib(
    user, django_capture_on_commit_callbacks
):
    agent = AgentFactory(back_office=True, fund=user.person.family.fund)
    change = bank_change_for(user)
    _held(change, agent)
    with pytest.raises(Refused) as refused:
        services.bank_details_change_decide(change_id=change.pk, agent=agent, approve=False)
    assert refused.value.code == "reason_required"
    stored, storage = change.rib.name, change.rib.storage
    assert storage.exists(stored)
    OutboundEmail.objects.all().delete()
    with django_capture_on_commit_callbacks(execute=True):
        services.bank_details_change_decide(
            change_id=change.pk, agent=agent, approve=False, reason="Le RIB est au nom d'un tiers."
        )
    change.refresh_from_db()
    user.person.refresh_from_db()
    assert (change.status, change.rib.name, user.person.iban) == ("rejected", "", OLD_IBAN)
    assert not storage.exists(stored)
    (email,) = OutboundEmail.objects.filter(category="bank_change_rejected")
    assert "Le RIB est au nom d'un tiers." in email.body_text


def test_sit9_only_the_agent_holding_the_case_of_the_insureds_fund_decides(user):
    change = bank_change_for(user)
    own = AgentFactory(back_office=True, fund=user.person.family.fund)
    other_fund = AgentFactory(back_office=True, fund=FundFactory(code="691", name="CPAM du Rhône"))
    with pytest.raises(BankDetailsChange.DoesNotExist):
        services.bank_details_change_decide(change_id=change.pk, agent=other_fund, approve=False)
    with pytest.raises(Refused) as refused:  # not claimed yet
        services.bank_details_change_decide(
            change_id=change.pk, agent=own, approve=False, reason="x"
        )
    assert refused.value.code == "case_not_held"


def test_sit9_the_case_closes_with_the_decision_only(user):
    agent = AgentFactory(back_office=True, fund=user.person.family.fund)
    change = bank_change_for(user)
    case = _held(change, agent)
    with pytest.raises(Refused) as refused:
        case_services.case_close(case_id=case.pk, agent=agent)
    assert refused.value.code == "bank_change_undecided"
    case.refresh_from_db()
    assert case.status == CaseStatus.IN_PROGRESS
