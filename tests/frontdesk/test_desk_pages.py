"""Front-desk pages (rule P8): lookup with a logged reason, the proxy, the ID check; roles."""

import datetime as dt

import pytest
import time_machine
from django.urls import reverse

from guichet.accounts import services as account_services
from guichet.core.clock import PARIS
from guichet.core.masking import format_nir
from guichet.frontdesk.enums import ConsultationReason
from guichet.frontdesk.models import FileConsultation
from guichet.powers import services as power_services
from guichet.powers.enums import IdentityDocument
from guichet.powers.models import PowerUse
from tests.factories import (
    DEFAULT_PASSWORD,
    AgentFactory,
    InsuredUserFactory,
    PersonFactory,
    agent_login,
)
from tests.powers.factories import give_power

pytestmark = pytest.mark.django_db

NOW = dt.datetime(2026, 11, 23, 14, 0, tzinfo=PARIS)


@pytest.fixture(autouse=True)
def _frozen_clock():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def agent_client(client):
    agent = AgentFactory()
    agent_login(client, agent)
    client.agent = agent
    return client


def _open_file(client, person, reason=ConsultationReason.PROXY_AT_DESK, detail=""):
    return client.post(
        reverse("agents:frontdesk_lookup"),
        {"nir": person.nir, "reason": reason, "detail": detail},
    )


def test_home_links_to_the_front_desk(agent_client):
    text = agent_client.get(reverse("agents:home")).content.decode()
    assert reverse("agents:frontdesk_lookup") in text


def test_lookup_logs_the_consultation_then_shows_the_file_and_proxy(agent_client):
    person = PersonFactory()
    give_power(person, at=NOW - dt.timedelta(days=2), usage_name="Durand")
    response = _open_file(agent_client, person)
    consultation = FileConsultation.objects.get()
    assert response.url == reverse("agents:frontdesk_file", args=[consultation.pk])
    assert (consultation.agent, consultation.person, consultation.at) == (
        agent_client.agent,
        person,
        NOW,
    )
    text = agent_client.get(response.url).content.decode()
    assert format_nir(person.nir) in text
    assert "Procuration en cours" in text
    for shown in (
        "21/11/2026",
        "21/12/2026",
        "Monsieur",
        "DUPONT",
        "DURAND",
        "Martin",
        "16/04/1991",
    ):
        assert shown in text
    assert "Identité vérifiée : recevoir le mandataire" in text


def test_nir_is_validated_and_reason_required(agent_client):
    text = agent_client.post(
        reverse("agents:frontdesk_lookup"), {"nir": "123", "reason": ""}
    ).content.decode()
    assert "13 caractères suivis d&#x27;une clé" in text
    assert "Choisissez le motif de la consultation." in text
    text = agent_client.post(
        reverse("agents:frontdesk_lookup"), {"nir": "184127512345678", "reason": "mail"}
    ).content.decode()
    assert "n&#x27;est pas valide" in text
    assert not FileConsultation.objects.exists()


def test_unknown_insured(agent_client):
    person = PersonFactory.build()
    text = _open_file(agent_client, person).content.decode()
    assert "Aucun assuré de votre caisse ne correspond" in text
    assert not FileConsultation.objects.exists()


def test_other_reason_needs_detail(agent_client):
    person = PersonFactory()
    text = _open_file(agent_client, person, reason=ConsultationReason.OTHER).content.decode()
    assert "Précisez le motif de la consultation." in text
    assert not FileConsultation.objects.exists()


def test_identity_check_records_a_use(agent_client):
    person = PersonFactory()
    power = give_power(person, at=NOW - dt.timedelta(days=2))
    file_url = _open_file(agent_client, person).url
    consultation = FileConsultation.objects.get()
    use_url = reverse("agents:frontdesk_power_use", args=[consultation.pk])
    bad = agent_client.post(use_url, {"document_type": "", "document_last_digits": "12"})
    assert bad.status_code == 400
    assert not PowerUse.objects.exists()
    response = agent_client.post(
        use_url,
        {
            "document_type": IdentityDocument.ID_CARD,
            "document_last_digits": "a1b2",
            "identity_matches": "on",
        },
    )
    assert response.url == file_url
    use = PowerUse.objects.get()
    assert (use.power, use.agent, use.document_last_digits, use.used_at) == (
        power,
        agent_client.agent,
        "A1B2",
        NOW,
    )


def test_revoked_power_is_shown_as_such_and_cannot_be_used(agent_client):
    person = PersonFactory()
    power = give_power(person, at=NOW - dt.timedelta(days=2))
    power_services.power_revoke(power_id=power.pk, grantor=person, by=None)
    file_url = _open_file(agent_client, person).url
    text = agent_client.get(file_url).content.decode()
    assert "Procuration révoquée" in text
    assert "Cette procuration a été révoquée par l'assuré" in text
    assert "Identité vérifiée : recevoir le mandataire" not in text
    consultation = FileConsultation.objects.get()
    agent_client.post(
        reverse("agents:frontdesk_power_use", args=[consultation.pk]),
        {"document_type": "passport", "document_last_digits": "1234", "identity_matches": "on"},
    )
    assert not PowerUse.objects.exists()


def test_expired_power_is_shown_as_such(agent_client):
    person = PersonFactory()
    give_power(person, at=NOW - dt.timedelta(days=40))
    text = agent_client.get(_open_file(agent_client, person).url).content.decode()
    assert "Procuration expirée" in text
    assert "Cette procuration a expiré" in text


def test_no_power(agent_client):
    text = agent_client.get(_open_file(agent_client, PersonFactory()).url).content.decode()
    assert "Aucun mandataire enregistré" in text


def test_an_agent_cannot_open_another_agents_consultation(agent_client, client):
    person = PersonFactory()
    _open_file(agent_client, person)
    consultation = FileConsultation.objects.get()
    other = AgentFactory()
    agent_login(agent_client, other)
    url = reverse("agents:frontdesk_file", args=[consultation.pk])
    assert agent_client.get(url).status_code == 404


def test_supervisor_may_use_the_front_desk(client):
    agent_login(client, AgentFactory(supervisor=True))
    assert client.get(reverse("agents:frontdesk_lookup")).status_code == 200


@pytest.mark.parametrize("who", ["back_office", "insured"])
def test_back_office_and_insured_accounts_are_refused(client, who):
    person = PersonFactory()
    user = AgentFactory(back_office=True) if who == "back_office" else InsuredUserFactory()
    if user.is_agent:
        agent_login(client, user)
    else:
        client.force_login(user)
    assert client.get(reverse("agents:frontdesk_lookup")).status_code == 403
    response = _open_file(client, person)
    assert response.status_code == 403
    assert not FileConsultation.objects.exists()
    if who == "back_office":
        assert (
            reverse("agents:frontdesk_lookup")
            not in client.get(reverse("agents:home")).content.decode()
        )


def test_anonymous_is_sent_to_agent_login(client):
    response = client.get(reverse("agents:frontdesk_lookup"))
    assert response.url.startswith("/agents/connexion/")


def _online_account_cell(text: str) -> str:
    start = text.index('id="online-account">') + len('id="online-account">')
    return text[start : text.index("</td>", start)]


def test_the_file_says_whether_the_person_has_an_online_account(agent_client):
    """The agent sees the account's state and dates, never its email or code."""
    nobody = PersonFactory()
    text = agent_client.get(_open_file(agent_client, nobody).url).content.decode()
    assert _online_account_cell(text) == "Aucun compte en ligne"

    user = InsuredUserFactory(
        email="visible-nulle-part@exemple.fr",
        date_joined=dt.datetime(2025, 3, 2, 9, 0, tzinfo=PARIS),
        last_login=dt.datetime(2026, 11, 20, 18, 5, tzinfo=PARIS),
    )
    text = agent_client.get(_open_file(agent_client, user.person).url).content.decode()
    assert _online_account_cell(text) == (
        "Compte actif depuis le 02/03/2025, dernière connexion le 20/11/2026 à 18:05"
    )
    assert "visible-nulle-part@exemple.fr" not in text

    pending = InsuredUserFactory(is_active=False, email_confirmed_at=None)
    text = agent_client.get(_open_file(agent_client, pending.person).url).content.decode()
    assert _online_account_cell(text) == (
        f"Compte créé le {pending.date_joined.astimezone(PARIS):%d/%m/%Y}, "
        "adresse email pas encore confirmée"
    )


def test_the_file_shows_a_closed_account_and_its_date(agent_client):
    user = InsuredUserFactory()
    person = user.person
    account_services.account_close(user=user, code=DEFAULT_PASSWORD, ip="203.0.113.7")
    text = agent_client.get(_open_file(agent_client, person).url).content.decode()
    assert _online_account_cell(text) == (
        "Compte résilié le 23/11/2026 (il peut en créer un nouveau)"
    )
