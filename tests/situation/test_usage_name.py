"""« Changement de nom d'usage » (rules SIT12–SIT16; docs/decisions/situation-usage-name.md):
the name and its proof, the back office's check, the records and the card order after it."""

import pytest
from django.core.exceptions import ValidationError

from guichet.cards import selectors as card_selectors
from guichet.cards.enums import OrderReason
from guichet.cards.uploads import UploadRejected
from guichet.cases import services as case_services
from guichet.cases.enums import CaseKind, CaseStatus
from guichet.cases.models import Case
from guichet.core.refusals import Refused
from guichet.notifications.models import Notification, OutboundEmail
from guichet.reference.enums import CardStatus
from guichet.situation import rules, services
from guichet.situation.enums import UsageNameChangeStatus, UsageNameProof
from guichet.situation.models import UsageNameChange
from tests.cards.factories import jpeg_bytes, upload
from tests.factories import AgentFactory, CardFactory, FundFactory, InsuredUserFactory
from tests.situation.factories import usage_name_change_for

pytestmark = pytest.mark.django_db


@pytest.fixture
def user():
    return InsuredUserFactory(person__last_name="GIRARD", person__first_names="Julie Anne")


@pytest.fixture
def agent(user):
    return AgentFactory(back_office=True, fund=user.person.family.fund)


def _held(change, agent):
    case = Case.objects.get(subject_id=change.pk, kind=CaseKind.USAGE_NAME_CHANGE)
    case_services.case_claim(case_id=case.pk, agent=agent)
    return case


def _nothing_asked():
    assert not UsageNameChange.objects.exists() and not Case.objects.exists()
    assert not OutboundEmail.objects.exists()


def test_sit14_a_request_keeps_the_name_on_file_and_opens_a_case_in_the_persons_fund(user):
    change = usage_name_change_for(user, usage_name="  Martin-Durand ")
    user.person.refresh_from_db()
    assert user.person.usage_name == ""  # nothing changes before the back office's check
    assert (change.usage_name, change.status, change.proof_kind) == (
        "Martin-Durand",
        UsageNameChangeStatus.PENDING,
        UsageNameProof.MARRIAGE_CERTIFICATE,
    )
    assert change.proof.name.startswith("situation/usage-name/")
    assert "GIRARD" not in change.proof.name
    case = Case.objects.get()
    assert (case.kind, case.fund, case.insured, case.status) == (
        CaseKind.USAGE_NAME_CHANGE,
        user.person.family.fund,
        user.person,
        CaseStatus.OPEN,
    )
    assert [(t.from_status, t.to_status) for t in change.transitions.all()] == [
        ("", UsageNameChangeStatus.PENDING)
    ]


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("", "Saisissez votre nouveau nom d'usage."),
        ("   ", "Saisissez votre nouveau nom d'usage."),
        ("MARTIN2", "« 2 »"),
        ("--", "Un nom comporte au moins une lettre."),
        ("MAR\x00TIN", "caractère de contrôle"),
        ("M" * 101, "ne doit pas dépasser 100 caractères"),
    ],
)
def test_sit12_the_name_is_a_civil_status_name(user, typed, message):
    with pytest.raises(ValidationError) as invalid:
        usage_name_change_for(user, usage_name=typed)
    assert message in " ".join(invalid.value.message_dict["usage_name"])
    _nothing_asked()


def test_sit13_the_proof_kind_is_one_of_the_list(user):
    with pytest.raises(ValidationError) as invalid:
        usage_name_change_for(user, proof_kind="passeport")
    assert invalid.value.message_dict["proof_kind"] == [
        "Choisissez le justificatif que vous joignez."
    ]
    _nothing_asked()


@pytest.mark.parametrize("typed", ["GIRARD", "girard", "Girard "])
def test_sit12_the_name_already_on_file_is_refused(user, typed):
    with pytest.raises(Refused) as refused:
        usage_name_change_for(user, usage_name=typed)
    assert (refused.value.code, refused.value.field) == ("same_usage_name", "usage_name")
    _nothing_asked()


def test_sit13_a_proof_that_is_not_pdf_jpeg_or_png_is_rejected(user):
    with pytest.raises(UploadRejected, match="PDF, JPEG ou PNG"):
        usage_name_change_for(user, proof=upload("acte.pdf", b"GIF89a" + b"\0" * 50, "image/gif"))
    _nothing_asked()


def test_sit13_an_image_proof_is_reencoded(user):
    change = usage_name_change_for(user, proof=upload("acte.jpg", jpeg_bytes(), "image/jpeg"))
    assert change.proof_content_type == "image/jpeg"


def test_sit14_one_pending_change_at_a_time(user):
    usage_name_change_for(user)
    assert services.usage_name_change_refusal(person=user.person) == rules.USAGE_NAME_PENDING
    with pytest.raises(Refused) as refused:
        usage_name_change_for(user, usage_name="DURAND")
    assert refused.value.code == "usage_name_change_pending"
    assert UsageNameChange.objects.count() == 1


def test_sit16_the_person_is_told_at_the_request(user):
    usage_name_change_for(user)
    email = OutboundEmail.objects.get()
    assert email.subject == "Votre demande de changement de nom d'usage"
    assert "MARTIN" in email.body_text and "Acte de mariage" in email.body_text
    assert Notification.objects.get(recipient=user).title == "Changement de nom d'usage demandé"


def test_sit14_an_agent_must_hold_the_case(user, agent):
    change = usage_name_change_for(user)
    with pytest.raises(Refused) as refused:
        services.usage_name_change_decide(change_id=change.pk, agent=agent, approve=True)
    assert refused.value.code == "case_not_held"


def test_sit14_an_agent_of_another_fund_does_not_see_the_change(user):
    change = usage_name_change_for(user)
    other = AgentFactory(back_office=True, fund=FundFactory(code="691", name="CPAM du Rhône"))
    with pytest.raises(UsageNameChange.DoesNotExist):
        services.usage_name_change_decide(change_id=change.pk, agent=other, approve=True)
    user.person.refresh_from_db()
    assert user.person.usage_name == ""


def test_sit15_approval_puts_the_name_on_the_records_and_the_card_order_offers_the_change(
    user, agent
):
    card = CardFactory(person=user.person)
    assert card_selectors.beneficiary_choices(user=user)[0].exclusion is not None  # card valid
    change = usage_name_change_for(user)
    case = _held(change, agent)
    change = services.usage_name_change_decide(change_id=change.pk, agent=agent, approve=True)
    user.person.refresh_from_db()
    assert (user.person.usage_name, user.person.full_name) == ("MARTIN", "Julie MARTIN")
    assert (change.status, change.decided_by) == (UsageNameChangeStatus.APPROVED, agent)
    case.refresh_from_db()
    assert case.status == CaseStatus.CLOSED
    choice = card_selectors.beneficiary_choices(user=user)[0]
    assert (choice.exclusion, choice.reason) == (None, OrderReason.VISUAL_CHANGE)
    card.refresh_from_db()
    assert card.status == CardStatus.ACTIVE  # the old card works until the new one comes
    email = OutboundEmail.objects.filter(subject="Votre nom d'usage est enregistré").get()
    assert "Commander une nouvelle carte Vitale" in email.body_html
    notice = Notification.objects.get(title="Nom d'usage enregistré")
    assert notice.link_label == "Commander une nouvelle carte Vitale"


def test_sit15_a_card_whose_printed_name_was_not_recorded_keeps_the_old_one(user, agent):
    card = CardFactory(person=user.person, printed_name="")
    printed_before = user.person.card_name
    change = usage_name_change_for(user)
    _held(change, agent)
    services.usage_name_change_decide(change_id=change.pk, agent=agent, approve=True)
    card.refresh_from_db()
    assert card.printed_name == printed_before and "GIRARD" in printed_before
    choice = card_selectors.beneficiary_choices(user=user)[0]
    assert choice.reason == OrderReason.VISUAL_CHANGE


def test_sit12_a_return_to_the_birth_name_clears_the_usage_name(user, agent):
    user.person.usage_name = "MARTIN"
    user.person.save()
    change = usage_name_change_for(user, usage_name="Girard", proof_kind="divorce_judgment")
    assert change.previous_usage_name == "MARTIN"
    _held(change, agent)
    services.usage_name_change_decide(change_id=change.pk, agent=agent, approve=True)
    user.person.refresh_from_db()
    assert (user.person.usage_name, user.person.display_last_name) == ("", "GIRARD")


def test_sit14_a_refusal_needs_a_reason_keeps_the_name_and_deletes_the_proof(user, agent):
    change = usage_name_change_for(user)
    _held(change, agent)
    with pytest.raises(Refused) as refused:
        services.usage_name_change_decide(change_id=change.pk, agent=agent, approve=False)
    assert refused.value.code == "reason_required"
    change = services.usage_name_change_decide(
        change_id=change.pk, agent=agent, approve=False, reason="L'acte de mariage est illisible."
    )
    user.person.refresh_from_db()
    assert user.person.usage_name == ""
    assert (change.status, change.rejection_reason) == (
        UsageNameChangeStatus.REJECTED,
        "L'acte de mariage est illisible.",
    )
    assert not UsageNameChange.objects.get(pk=change.pk).proof
    email = OutboundEmail.objects.filter(
        subject="Votre demande de changement de nom d'usage est refusée"
    ).get()
    assert "L'acte de mariage est illisible." in email.body_text
    # A new request is possible once the first one is decided.
    assert services.usage_name_change_refusal(person=user.person) is None


def test_sit14_a_decided_change_cannot_be_decided_again(user, agent):
    change = usage_name_change_for(user)
    case = _held(change, agent)
    services.usage_name_change_decide(change_id=change.pk, agent=agent, approve=True)
    Case.objects.filter(pk=case.pk).update(status=CaseStatus.IN_PROGRESS, assignee=agent)
    with pytest.raises(Refused) as refused:
        services.usage_name_change_decide(
            change_id=change.pk, agent=agent, approve=False, reason="x"
        )
    assert refused.value.code == "usage_name_change_not_pending"


def test_sit14_the_case_closes_with_the_decision_only(user, agent):
    change = usage_name_change_for(user)
    case = _held(change, agent)
    with pytest.raises(Refused) as refused:
        case_services.case_close(case_id=case.pk, agent=agent)
    assert refused.value.code == "usage_name_change_undecided"
