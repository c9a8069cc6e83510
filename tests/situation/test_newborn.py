"""« Déclaration du nouveau-né » (rules SIT17–SIT21; docs/decisions/situation-newborn.md): the
child joins the family with a provisional NIR, which blocks the family's attestation (A4) until
the back office certifies the NIR from the birth certificate."""

import datetime as dt

import pytest
import time_machine
from django.core.exceptions import ValidationError

from guichet.cards.uploads import UploadRejected
from guichet.cases import services as case_services
from guichet.cases.enums import CaseKind, CaseStatus
from guichet.cases.models import Case
from guichet.certificates import services as certificate_services
from guichet.certificates.enums import Channel, Outcome
from guichet.core.refusals import Refused
from guichet.notifications.models import Notification, OutboundEmail
from guichet.reference.enums import FamilyRole, NirStatus, Relationship
from guichet.reference.models import Person
from guichet.situation import services
from guichet.situation.enums import NewbornDeclarationStatus
from guichet.situation.models import NewbornDeclaration
from tests.cards.factories import upload
from tests.factories import AgentFactory, FundFactory, InsuredUserFactory
from tests.situation.factories import NEWBORN_DAY, NEWBORN_TODAY, girls_nir, newborn_for

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen")]


@pytest.fixture
def frozen():
    with time_machine.travel(NEWBORN_TODAY, tick=False):
        yield


@pytest.fixture
def user():
    return InsuredUserFactory(person__last_name="GIRARD", person__first_names="Julie")


@pytest.fixture
def agent(user):
    return AgentFactory(back_office=True, fund=user.person.family.fund)


def _held(declaration, agent):
    case = Case.objects.get(subject_id=declaration.pk, kind=CaseKind.NEWBORN_DECLARATION)
    case_services.case_claim(case_id=case.pk, agent=agent)
    return case


def _attestation(user):
    return certificate_services.rights_certificate_issue(
        person=user.person, user=user, channel=Channel.WEB, beneficiary_id=None, mentions=()
    )


def _nothing_declared(user):
    assert not NewbornDeclaration.objects.exists() and not Case.objects.exists()
    assert Person.objects.filter(family=user.person.family).count() == 1


def test_sit19_the_child_joins_the_family_at_once_with_a_provisional_nir(user):
    declaration = newborn_for(user, first_names=" Léa  Marie ")
    child = declaration.child
    assert (child.role, child.relationship, child.nir, child.nir_status) == (
        FamilyRole.DEPENDANT,
        Relationship.CHILD,
        None,
        NirStatus.PROVISIONAL,
    )
    assert (child.family, child.first_names, child.birth_date) == (
        user.person.family,
        "Léa  Marie",
        NEWBORN_DAY,
    )
    period = child.rights_periods.get()
    assert period.start_date == NEWBORN_DAY
    assert declaration.birth_certificate.name.startswith("situation/newborn/")
    case = Case.objects.get()
    assert (case.kind, case.fund, case.insured, case.status) == (
        CaseKind.NEWBORN_DECLARATION,
        user.person.family.fund,
        user.person,
        CaseStatus.OPEN,
    )


def test_sit19_a4_the_family_attestation_waits_for_the_certified_nir(user, agent):
    assert _attestation(user).outcome == Outcome.ISSUED
    declaration = newborn_for(user)
    assert _attestation(user).outcome == Outcome.CANNOT_ISSUE
    _held(declaration, agent)
    services.newborn_decide(
        declaration_id=declaration.pk, agent=agent, certify=True, nir=girls_nir()
    )
    child = Person.objects.get(pk=declaration.child_id)
    assert (child.nir, child.nir_status) == (girls_nir(), NirStatus.CERTIFIED)
    assert _attestation(user).outcome == Outcome.ISSUED


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"last_name": ""}, "last_name", "Saisissez le nom de l'enfant."),
        ({"last_name": "GIRARD3"}, "last_name", "« 3 »"),
        ({"first_names": "  "}, "first_names", "Saisissez le prénom de l'enfant."),
        ({"first_names": "Léa\x07"}, "first_names", "caractère de contrôle"),
        ({"first_names": "L" * 151}, "first_names", "ne doit pas dépasser 150"),
        ({"gender": "x"}, "gender", "Indiquez le sexe de l'enfant."),
        ({"birth_date": None}, "birth_date", "Saisissez la date de naissance"),
        ({"birth_date": dt.date(2026, 3, 11)}, "birth_date", "ne peut pas être dans le futur"),
        ({"birth_date": dt.date(2025, 3, 9)}, "birth_date", "dans les 12 mois"),
    ],
)
def test_sit17_each_bad_field_gets_its_french_message(user, overrides, field, message):
    with pytest.raises(ValidationError) as invalid:
        newborn_for(user, **overrides)
    assert message in " ".join(invalid.value.message_dict[field])
    _nothing_declared(user)


def test_sit17_a_child_born_12_months_ago_today_is_still_declared(user):
    assert newborn_for(user, birth_date=dt.date(2025, 3, 10)).status == "pending"


def test_sit17_the_same_child_twice_is_refused(user):
    newborn_for(user)
    with pytest.raises(Refused) as refused:
        newborn_for(user, first_names="lea marie")
    assert refused.value.code == "newborn_already_declared"
    assert NewbornDeclaration.objects.count() == 1


def test_sit17_twins_are_two_declarations(user):
    newborn_for(user)
    newborn_for(user, first_names="Paul", gender="male")
    assert Person.objects.filter(family=user.person.family).count() == 3


def test_sit17_a_parent_without_open_rights_is_refused(user):
    user.person.rights_periods.update(end_date=dt.date(2026, 1, 31))
    with pytest.raises(Refused) as refused:
        newborn_for(user)
    assert refused.value.code == "newborn_no_rights"
    _nothing_declared(user)


def test_sit18_a_birth_certificate_that_is_not_pdf_jpeg_or_png_is_rejected(user):
    with pytest.raises(UploadRejected, match="L'acte de naissance doit être"):
        newborn_for(user, birth_certificate=upload("a.pdf", b"GIF89a" + b"\0" * 40, "image/gif"))
    _nothing_declared(user)


def test_sit21_the_parent_is_told_at_the_declaration(user):
    newborn_for(user)
    email = OutboundEmail.objects.get()
    assert email.subject == "Votre déclaration de nouveau-né"
    assert "Léa Marie GIRARD" in email.body_text and "01/03/2026" in email.body_text
    assert Notification.objects.get(recipient=user).title == "Nouveau-né déclaré"


@pytest.mark.parametrize(
    ("nir", "code"),
    [
        ("", "nir_required"),
        ("2260375056", "nir_invalid"),
        (girls_nir()[:13] + "00", "nir_invalid"),
    ],
)
def test_sit20_the_nir_typed_must_be_valid(user, agent, nir, code):
    declaration = newborn_for(user)
    _held(declaration, agent)
    with pytest.raises(Refused) as refused:
        services.newborn_decide(declaration_id=declaration.pk, agent=agent, certify=True, nir=nir)
    assert (refused.value.code, refused.value.field) == (code, "nir")
    assert Person.objects.get(pk=declaration.child_id).nir_status == NirStatus.PROVISIONAL


def test_sit20_the_nir_must_be_the_childs_sex_year_and_month(user, agent):
    declaration = newborn_for(user, first_names="Paul", gender="male")
    _held(declaration, agent)
    with pytest.raises(Refused) as refused:  # a girl's NIR for a boy
        services.newborn_decide(
            declaration_id=declaration.pk, agent=agent, certify=True, nir=girls_nir()
        )
    assert refused.value.code == "nir_not_the_childs"


def test_sit20_a_nir_already_someone_elses_is_refused(user, agent):
    InsuredUserFactory(person__nir=girls_nir())
    declaration = newborn_for(user)
    _held(declaration, agent)
    with pytest.raises(Refused) as refused:
        services.newborn_decide(
            declaration_id=declaration.pk, agent=agent, certify=True, nir=girls_nir()
        )
    assert refused.value.code == "nir_taken"


def test_sit20_only_the_agent_holding_the_case_of_the_funds_queue_decides(user, agent):
    declaration = newborn_for(user)
    with pytest.raises(Refused) as refused:
        services.newborn_decide(
            declaration_id=declaration.pk, agent=agent, certify=True, nir=girls_nir()
        )
    assert refused.value.code == "case_not_held"
    other = AgentFactory(back_office=True, fund=FundFactory(code="691", name="CPAM du Rhône"))
    with pytest.raises(NewbornDeclaration.DoesNotExist):
        services.newborn_decide(
            declaration_id=declaration.pk, agent=other, certify=True, nir=girls_nir()
        )


def test_sit20_certified_closes_the_case_and_tells_the_parent(user, agent):
    declaration = newborn_for(user)
    case = _held(declaration, agent)
    declaration = services.newborn_decide(
        declaration_id=declaration.pk, agent=agent, certify=True, nir=girls_nir()
    )
    assert (declaration.status, declaration.decided_by) == (
        NewbornDeclarationStatus.CERTIFIED,
        agent,
    )
    case.refresh_from_db()
    assert case.status == CaseStatus.CLOSED
    email = OutboundEmail.objects.filter(
        subject="Le numéro de sécurité sociale de votre enfant est certifié"
    ).get()
    assert girls_nir() not in email.body_text  # the NIR never in an email
    with pytest.raises(Refused) as refused:
        Case.objects.filter(pk=case.pk).update(status=CaseStatus.IN_PROGRESS, assignee=agent)
        services.newborn_decide(declaration_id=declaration.pk, agent=agent, certify=False)
    assert refused.value.code == "newborn_declaration_not_pending"


def test_sit20_a_refusal_needs_a_reason_and_takes_the_child_out_of_the_family(user, agent):
    declaration = newborn_for(user)
    case = _held(declaration, agent)
    with pytest.raises(Refused) as refused:
        services.newborn_decide(declaration_id=declaration.pk, agent=agent, certify=False)
    assert refused.value.code == "reason_required"
    with pytest.raises(Refused) as refused:
        case_services.case_close(case_id=case.pk, agent=agent)
    assert refused.value.code == "newborn_declaration_undecided"
    declaration = services.newborn_decide(
        declaration_id=declaration.pk,
        agent=agent,
        certify=False,
        reason="L'acte de naissance joint est celui d'un autre enfant.",
    )
    assert declaration.status == NewbornDeclarationStatus.REJECTED
    assert declaration.child is None and not declaration.birth_certificate
    assert Person.objects.filter(family=user.person.family).count() == 1
    assert _attestation(user).outcome == Outcome.ISSUED
    email = OutboundEmail.objects.filter(
        subject="Votre déclaration de nouveau-né est refusée"
    ).get()
    assert "celui d'un autre enfant" in email.body_text


# --- SIT28: the family's quota of declarations online -----------------------------------------


def _declare(user, n):
    return newborn_for(user, first_names=f"Enfant{chr(ord('a') + n)}")


def test_sit28_a_fourth_declaration_waiting_is_refused_nothing_is_created(user):
    for n in range(3):  # triplets: three waiting at once are accepted
        _declare(user, n)
    with pytest.raises(Refused) as refused:
        _declare(user, 3)
    assert refused.value.refusal.code == "newborn_too_many_pending"
    assert "déjà 3 déclarations de naissance en cours" in refused.value.refusal.message
    assert NewbornDeclaration.objects.count() == 3
    assert Case.objects.filter(kind=CaseKind.NEWBORN_DECLARATION).count() == 3
    assert Person.objects.filter(family=user.person.family).count() == 4


def test_sit28_withdrawn_declarations_still_count_in_the_year(user):
    for n in range(4):
        declaration = _declare(user, n)
        services.situation_request_withdraw(user=user, kind="newborn", request_id=declaration.pk)
    with pytest.raises(Refused) as refused:
        _declare(user, 4)
    assert refused.value.refusal.code == "newborn_too_many_this_year"
    assert "contactez votre caisse" in refused.value.refusal.message
    assert NewbornDeclaration.objects.count() == 4


def test_sit28_the_year_is_counted_back_from_today(user):
    with time_machine.travel(NEWBORN_TODAY - dt.timedelta(days=366), tick=False):
        for n in range(4):
            declaration = newborn_for(
                user,
                first_names=f"Aîné{chr(ord('a') + n)}",
                birth_date=NEWBORN_DAY - dt.timedelta(days=370),
            )
            services.situation_request_withdraw(
                user=user, kind="newborn", request_id=declaration.pk
            )
    assert _declare(user, 0).status == NewbornDeclarationStatus.PENDING
