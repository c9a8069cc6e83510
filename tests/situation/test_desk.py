"""New bank details recorded at the front desk for an insured of the fund (rule SIT11): the
identity checked instead of the code personnel, the same rules and the same back-office check
by another agent; a person with no bank details can then create an account by way 1 (C4)."""

import pytest
import time_machine
from django.urls import reverse

from guichet.cases import services as case_services
from guichet.cases.models import Case
from guichet.core.refusals import Refused
from guichet.enrollment import rules as enrollment_rules
from guichet.enrollment.enums import Exclusion, Way
from guichet.frontdesk import services as frontdesk_services
from guichet.frontdesk.enums import ConsultationReason
from guichet.frontdesk.models import FileConsultation
from guichet.notifications.models import OutboundEmail
from guichet.situation import services
from tests.cards.factories import upload
from tests.factories import (
    AgentFactory,
    CardFactory,
    FundFactory,
    PersonFactory,
    agent_login,
)
from tests.situation.factories import AFTER_COOLING_OFF, NEW_IBAN, REQUESTED, rib_pdf

pytestmark = pytest.mark.django_db


@pytest.fixture
def person():
    """An insured with no bank details and no online account (the « no-bank-details » persona)."""
    person = PersonFactory(no_bank=True, last_name="GIRARD", first_names="Julie")
    CardFactory(person=person)
    return person


@pytest.fixture
def desk(person):
    return AgentFactory(fund=person.family.fund)


def _consultation(agent, person) -> FileConsultation:
    return frontdesk_services.consultation_record(
        agent=agent, person=person, reason=ConsultationReason.INSURED_AT_DESK
    )


def _record(agent, person, **overrides):
    values = {
        "iban": NEW_IBAN,
        "holder_name": "MME GIRARD JULIE",
        "rib": rib_pdf(),
        "identity_checked": True,
        **overrides,
    }
    consultation = _consultation(agent, person)
    return services.bank_details_change_record_at_desk(
        agent=agent, consultation_id=consultation.pk, **values
    )


def test_sit11_recorded_at_the_desk_then_approved_by_the_back_office_opens_way_1(desk, person):
    assert enrollment_rules.exclusion_reason(person, way=Way.CARTE_VITALE).code == (
        Exclusion.NO_BANK_DETAILS.value
    )
    with time_machine.travel(REQUESTED, tick=False):
        change = _record(desk, person)
    assert change.requested_by == desk and change.previous_iban == ""
    assert not OutboundEmail.objects.exists()  # no online account to write to
    person.refresh_from_db()
    assert person.iban == ""  # SIT9: nothing before the back office's check
    back_office = AgentFactory(back_office=True, fund=person.family.fund)
    case = Case.objects.get()
    case_services.case_claim(case_id=case.pk, agent=back_office)
    with time_machine.travel(AFTER_COOLING_OFF, tick=False):
        services.bank_details_change_decide(change_id=change.pk, agent=back_office, approve=True)
    person.refresh_from_db()
    assert person.iban == NEW_IBAN
    assert enrollment_rules.exclusion_reason(person, way=Way.CARTE_VITALE) is None


def test_sit11_the_identity_check_is_required(desk, person):
    with pytest.raises(Refused) as refused:
        _record(desk, person, identity_checked=False)
    assert (refused.value.code, refused.value.field) == ("identity_not_checked", "identity_checked")
    assert not Case.objects.exists()


def test_sit11_the_same_rules_apply_as_online(desk, person):
    with pytest.raises(Refused) as refused:
        _record(desk, person, holder_name="Marc Dupont")
    assert refused.value.code == "holder_mismatch"


def test_sit11_the_agent_who_recorded_it_cannot_approve_it(person):
    supervisor = AgentFactory(supervisor=True, fund=person.family.fund)
    with time_machine.travel(REQUESTED, tick=False):
        change = _record(supervisor, person)
    case_services.case_claim(case_id=Case.objects.get().pk, agent=supervisor)
    with time_machine.travel(AFTER_COOLING_OFF, tick=False), pytest.raises(Refused) as refused:
        services.bank_details_change_decide(change_id=change.pk, agent=supervisor, approve=True)
    assert refused.value.code == "same_agent"


def test_sit11_another_funds_file_cannot_be_used(desk, person):
    other = AgentFactory(fund=FundFactory(code="691", name="CPAM du Rhône"))
    consultation = _consultation(desk, person)
    with pytest.raises(FileConsultation.DoesNotExist):
        services.bank_details_change_record_at_desk(
            agent=other,
            consultation_id=consultation.pk,
            iban=NEW_IBAN,
            holder_name="Julie GIRARD",
            rib=rib_pdf(),
            identity_checked=True,
        )


def test_sit11_the_desk_page_keeps_what_was_typed_and_sends_the_request(client, desk, person):
    consultation = _consultation(desk, person)
    url = reverse("agents:frontdesk_bank_details", args=[consultation.pk])
    agent_login(client, desk)
    file_page = client.get(reverse("agents:frontdesk_file", args=[consultation.pk])).content
    assert url.encode() in file_page
    page = client.post(url, {"iban": NEW_IBAN, "holder_name": "Julie GIRARD"}).content.decode()
    assert "Joignez le RIB numérisé." in page and f'value="{NEW_IBAN}"' in page
    page = client.post(
        url,
        {
            "iban": NEW_IBAN,
            "holder_name": "Julie GIRARD",
            "rib": upload("rib.gif", b"GIF89a....", "image/gif"),
            "identity_checked": "on",
        },
    ).content.decode()
    assert "Le RIB doit être un fichier PDF, JPEG ou PNG" in page
    page = client.post(
        url, {"iban": NEW_IBAN, "holder_name": "Julie GIRARD", "rib": rib_pdf()}
    ).content.decode()
    assert "Vérifiez la pièce d&#x27;identité de l&#x27;assuré" in page
    response = client.post(
        url,
        {
            "iban": NEW_IBAN,
            "holder_name": "Julie GIRARD",
            "rib": rib_pdf(),
            "identity_checked": "on",
        },
    )
    assert response.url == reverse("agents:frontdesk_file", args=[consultation.pk])
    assert Case.objects.get().insured == person
    assert "déjà en cours de vérification" in client.get(url).content.decode()
