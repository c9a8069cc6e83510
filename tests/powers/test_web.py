"""Insured pages of the power of attorney (rules P1–P7) and their authorisation."""

import datetime as dt
import re

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from guichet.core.clock import PARIS
from guichet.powers.enums import IdentityDocument, PowerStatus
from guichet.powers.models import PowerOfAttorney
from guichet.powers.services import power_use_record
from tests.factories import AgentFactory, InsuredUserFactory, agent_login
from tests.powers.factories import give_power

pytestmark = pytest.mark.django_db

NOW = dt.datetime(2026, 11, 23, 10, 0, tzinfo=PARIS)
PROXY = {
    "civility": "M",
    "last_name": "Dupont",
    "usage_name": "Durand",
    "first_name": "Martin",
    "birth_date": "16/04/1991",
}


@pytest.fixture(autouse=True)
def _frozen_clock():
    with time_machine.travel(NOW, tick=False):
        yield


def _token(response) -> str:
    return re.search(rb'name="token" value="([0-9a-f-]+)"', response.content).group(1).decode()


def test_p1_entry_from_mes_demarches(insured_client):
    page = insured_client.get(reverse("web:procedures")).content.decode()
    assert f'href="{reverse("web:power_start")}"' in page
    start = insured_client.get(reverse("web:power_start")).content.decode()
    assert "Je démarre ma demande" in start
    assert "valable 1 mois maximum" in start


def test_p2_pages_say_where_the_power_applies(insured_client):
    """P2: any administrative démarche at the fund's reception desk; the medical service's
    summons are excluded, and it does not apply on the phone (3646)."""
    start = insured_client.get(reverse("web:power_start")).content.decode()
    assert "La procuration vaut uniquement à l'accueil de votre caisse" in start
    assert "les convocations du Service Médical sont exclues" in start
    assert "elle ne s'applique pas au téléphone (3646)" in start
    proxy = insured_client.get(reverse("web:power_proxy")).content.decode()
    assert "pour toute démarche administrative" in proxy


def test_whole_journey_creates_one_power_and_double_submit_does_not_duplicate(
    insured_client, insured
):
    response = insured_client.post(reverse("web:power_proxy"), PROXY)
    assert response.status_code == 302
    recap = insured_client.get(reverse("web:power_recap"))
    text = recap.content.decode()
    assert "Récapitulatif des éléments déclarés" in text
    assert "M. Martin DUPONT" in text
    assert "16/04/1991" in text
    assert "Pendant 1 mois." in text
    assert "313-1 à 313-3, 433-19, 441-1" in text
    token = _token(recap)
    first = insured_client.post(reverse("web:power_recap"), {"certify": "on", "token": token})
    again = insured_client.post(reverse("web:power_recap"), {"certify": "on", "token": token})
    power = PowerOfAttorney.objects.get(grantor=insured.person)
    done_url = reverse("web:power_done", args=[power.pk])
    assert first.url == again.url == done_url
    assert insured_client.get(done_url).content.decode().count("Ma procuration est validée !") >= 1
    assert power.proxy_usage_name == "Durand"
    assert power.valid_until.astimezone(PARIS).date() == dt.date(2026, 12, 23)


def test_certification_is_required(insured_client):
    """P5: « Je valide ma demande » needs « Je certifie l'exactitude des éléments déclarés »."""
    insured_client.post(reverse("web:power_proxy"), PROXY)
    token = _token(insured_client.get(reverse("web:power_recap")))
    response = insured_client.post(reverse("web:power_recap"), {"token": token})
    assert response.status_code == 200
    assert "Cochez « Je certifie l&#x27;exactitude" in response.content.decode()
    assert not PowerOfAttorney.objects.exists()


def test_minor_proxy_is_refused_with_the_guides_message(insured_client):
    response = insured_client.post(
        reverse("web:power_proxy"), {**PROXY, "birth_date": "24/11/2008"}
    )
    text = response.content.decode()
    assert response.status_code == 200
    assert (
        "Le formulaire comporte une ou plusieurs erreurs. Merci de vérifier votre saisie." in text
    )
    assert "Le mandataire doit avoir 18 ans révolus pour pouvoir vous représenter" in text
    assert 'value="Dupont"' in text


def test_required_fields_have_french_messages(insured_client):
    """P3: « Civilité* », « Nom* », « Prénom* », « Date de naissance* » are mandatory."""
    text = insured_client.post(reverse("web:power_proxy"), {}).content.decode()
    for message in (
        "Sélectionnez la civilité du mandataire.",
        "Indiquez le nom du mandataire.",
        "Indiquez le prénom du mandataire.",
        "Indiquez la date de naissance du mandataire.",
    ):
        assert message in text


def test_retour_keeps_every_value(insured_client):
    """P5: « Retour » from the recap keeps the entered data."""
    insured_client.post(reverse("web:power_proxy"), PROXY)
    token = _token(insured_client.get(reverse("web:power_recap")))
    text = insured_client.get(reverse("web:power_proxy")).content.decode()
    assert '<option value="M" selected>' in text
    for value in ("Dupont", "Durand", "Martin", "16/04/1991"):
        assert f'value="{value}"' in text
    # Changing a value keeps the same submission token.
    insured_client.post(reverse("web:power_proxy"), {**PROXY, "first_name": "Paul"})
    recap = insured_client.get(reverse("web:power_recap"))
    assert _token(recap) == token
    assert "M. Paul DUPONT" in recap.content.decode()


def test_recap_without_draft_goes_back_to_step_one(insured_client):
    response = insured_client.get(reverse("web:power_recap"))
    assert response.url == reverse("web:power_proxy")


def test_mes_informations_and_mes_demarches_show_the_current_power(insured_client, insured):
    power = give_power(insured.person, by=insured)
    info = insured_client.get(reverse("web:information")).content.decode()
    assert "Accordée à M. DUPONT - jusqu'au 23/12/2026" in info
    assert f"{reverse('web:power_revoke', args=[power.pk])}?depuis=informations" in info
    start = insured_client.get(reverse("web:power_start")).content.decode()
    assert "Vous avez actuellement une procuration en cours." in start
    assert "Elle est valable jusqu'au 23/12/2026." in start
    assert "Je souhaite révoquer ma procuration" in start


@pytest.mark.parametrize(
    ("url_name", "origin"), [("web:information", "informations"), ("web:power_start", "demarches")]
)
def test_each_revoke_link_has_the_dialog_with_the_same_form(
    insured_client, insured, url_name, origin
):
    """P7: the link opens the confirmation page; the DSFR dialog (for JavaScript) posts the
    same form, with the page it was opened from."""
    power = give_power(insured.person, by=insured)
    page = insured_client.get(reverse(url_name)).content.decode()
    revoke_url = reverse("web:power_revoke", args=[power.pk])
    assert f'{revoke_url}?depuis={origin}" data-guichet-modal="revocation-modale"' in page
    dialog = page[
        page.index('<dialog aria-labelledby="revocation-titre"') : page.index("</dialog>")
    ]
    assert "Révocation de procuration" in dialog
    assert "le mandaté que j'ai choisi ne pourra plus me représenter" in dialog
    assert f'<form method="post" action="{revoke_url}">' in dialog
    assert f'name="depuis" value="{origin}"' in dialog
    assert "js/modal-links.js" in page


@pytest.mark.parametrize(
    ("origin", "back"), [("informations", "web:information"), ("demarches", "web:power_start")]
)
def test_revoke_asks_for_confirmation_then_revokes(insured_client, insured, origin, back):
    power = give_power(insured.person, by=insured)
    url = reverse("web:power_revoke", args=[power.pk])
    confirm = insured_client.get(f"{url}?depuis={origin}").content.decode()
    assert "Révocation de procuration" in confirm
    assert "ne pourra plus me représenter" in confirm
    assert f'href="{reverse(back)}">Retour</a>' in confirm
    power.refresh_from_db()
    assert power.status == PowerStatus.ACTIVE  # GET changes nothing
    response = insured_client.post(url, {"depuis": origin})
    assert response.url == reverse(back)
    power.refresh_from_db()
    assert power.status == PowerStatus.REVOKED
    info = insured_client.get(reverse("web:information")).content.decode()
    assert "Aucune procuration en cours." in info


def test_history_shows_revoked_expired_and_each_agent_use(insured_client, insured):
    old = give_power(insured.person, at=NOW - dt.timedelta(days=90), last_name="Ancien")
    current = give_power(insured.person, by=insured)
    agent = AgentFactory()
    power_use_record(
        power_id=current.pk,
        grantor=insured.person,
        agent=agent,
        document_type=IdentityDocument.ID_CARD,
        document_last_digits="1234",
    )
    text = insured_client.get(reverse("web:power_start")).content.decode()
    assert "Procuration accordée à M. ANCIEN" in text
    assert "Expirée" in text
    assert f"le 23/11/2026 à 10:00 — Accueil de la {agent.fund.name}" in text
    assert old.pk != current.pk


def test_an_insured_cannot_see_or_revoke_anothers_power(insured_client):
    other = InsuredUserFactory()
    power = give_power(other.person, by=other)
    assert insured_client.get(reverse("web:power_done", args=[power.pk])).status_code == 404
    url = reverse("web:power_revoke", args=[power.pk])
    assert insured_client.get(url).status_code == 404
    assert insured_client.post(url).status_code == 404
    power.refresh_from_db()
    assert power.status == PowerStatus.ACTIVE
    assert "DUPONT" not in insured_client.get(reverse("web:power_start")).content.decode()


def test_another_insureds_token_does_not_reveal_their_power(insured_client):
    other = InsuredUserFactory()
    power = give_power(other.person, by=other)
    response = insured_client.post(
        reverse("web:power_recap"), {"certify": "on", "token": str(power.idempotency_key)}
    )
    assert response.url == reverse("web:power_proxy")


def test_pages_need_an_insured_login(client):
    response = client.get(reverse("web:power_start"))
    assert response.status_code == 302
    assert "/connexion/" in response.url


def test_agents_cannot_open_insured_pages(client):
    agent = AgentFactory()
    agent_login(client, agent)
    assert client.get(reverse("web:power_start")).status_code == 403


def test_history_page_query_count_does_not_grow_with_the_history(
    insured_client, insured, django_assert_max_num_queries
):
    agent = AgentFactory()

    def add_power_with_use(days_ago: int) -> None:
        power = give_power(insured.person, at=NOW - dt.timedelta(days=days_ago))
        with time_machine.travel(NOW - dt.timedelta(days=days_ago - 1), tick=False):
            power_use_record(
                power_id=power.pk,
                grantor=insured.person,
                agent=agent,
                document_type=IdentityDocument.PASSPORT,
                document_last_digits="9876",
            )

    add_power_with_use(200)
    with CaptureQueriesContext(connection) as one:
        insured_client.get(reverse("web:power_start"))
    for days_ago in (150, 100, 60, 20):
        add_power_with_use(days_ago)
    with django_assert_max_num_queries(len(one.captured_queries)):
        text = insured_client.get(reverse("web:power_start")).content.decode()
    assert text.count("Utilisations à l'accueil :") == 5
