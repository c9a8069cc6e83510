"""« Mes informations » (rule G4), « Mon code personnel » (C5) and the beneficiary switch."""

import datetime as dt

import pytest
import time_machine
from django.test import override_settings
from django.urls import reverse

from guichet.core.masking import format_nir
from guichet.reference.models import EuropeanHealthCard
from tests.factories import (
    DEFAULT_PASSWORD,
    ComplementaryContractFactory,
    FundFactory,
    InsuredUserFactory,
    PersonFactory,
)
from tests.web.factories import family_account

pytestmark = pytest.mark.django_db


def _login(client, user, code=DEFAULT_PASSWORD):
    response = client.post(reverse("web:login"), {"nir": user.username, "code": code})
    assert response.status_code == 302
    return client


def _page(client, **params):
    response = client.get(reverse("web:information"), params)
    assert response.status_code == 200
    return response.content.decode()


def test_every_block_of_g4(client):
    user = InsuredUserFactory(
        person__family__fund=FundFactory(code="017518954", name="CPAM de Paris"),
        person__mobile_phone="06 12 34 56 78",
        information_consent=True,
    )
    ComplementaryContractFactory(
        person=user.person, insurer__name="ADREA MUTUELLE", member_number="AD123"
    )
    EuropeanHealthCard.objects.create(
        person=user.person, number="80250000000000000001", valid_until=dt.date(2027, 7, 11)
    )
    html = _page(_login(client, user))
    person = user.person
    assert format_nir(person.nir) in html
    assert "Vos droits à l'Assurance Maladie sont ouverts." in html
    assert "CPAM de Paris" in html and "Code d'organisme 017518954" in html
    assert "ADREA MUTUELLE" in html and "N° adhérent : AD123" in html
    assert "Transmission automatique des paiements" in html and "✓ ACTIVÉE" in html
    assert person.attending_doctor in html
    assert "Carte valable jusqu'au 11/07/2027" in html
    assert "FR76 •••• •••• •••• •••• •••7 890 189" in html or "890 189" in html
    assert person.iban not in html
    assert user.email not in html and "@exemple.fr" in html
    assert "12 rue de la Paix" in html
    assert "06 12 34 56 78" in html
    assert "Vous acceptez de recevoir des informations" in html
    assert 'href="/mes-informations/code-personnel/"' in html
    assert 'href="/mes-informations/resilier/">Résilier mon compte ameli</a>' in html


def test_closed_rights_npai_no_transmission_and_no_bank(client):
    user = InsuredUserFactory(person__rights=False, person__npai=True, person__no_bank=True)
    ComplementaryContractFactory(person=user.person, payments_transmitted=False)
    html = _page(_login(client, user))
    assert "ne sont pas ouverts" in html
    assert "NPAI" in html
    assert "NON ACTIVÉE" in html and "✓ ACTIVÉE" not in html
    assert "Aucunes coordonnées bancaires enregistrées." in html


def test_expired_rights_are_closed(client):
    user = InsuredUserFactory(
        person__rights={"start_date": dt.date(2019, 1, 1), "end_date": dt.date(2020, 1, 1)}
    )
    assert "ne sont pas ouverts" in _page(_login(client, user))


def test_switch_to_a_dependant(client):
    """G4: the switch shows a dependant's own records, without the account-holder blocks."""
    user = family_account(dependants=2, payments=0)
    child = user.person.family.members.exclude(pk=user.person.pk).order_by("pk").first()
    ComplementaryContractFactory(person=child, insurer__name="MUTUELLE DE L'ENFANT")
    html = _page(_login(client, user), beneficiaire=child.pk)
    assert child.first_names in html.split('id="titre-beneficiaire"')[1].split("</h2>")[0]
    assert "MUTUELLE DE L&#x27;ENFANT" in html
    assert "Rattaché" in html  # a dependant without a NIR of their own
    assert "Mes coordonnées" not in html and "Paramètres de compte" not in html
    assert 'aria-current="page"' in html.split('id="beneficiary-switch"')[1]


@pytest.mark.parametrize("value", ["abc", "", "99999999", "-1", "1.5"])
def test_switch_refuses_bad_ids(client, value):
    user = family_account(dependants=1, payments=0)
    response = _login(client, user).get(reverse("web:information"), {"beneficiaire": value})
    assert response.status_code == 404


def test_switch_refuses_another_familys_member(client):
    user = family_account(dependants=1, payments=0)
    stranger = PersonFactory(dependant=True)
    response = _login(client, user).get(reverse("web:information"), {"beneficiaire": stranger.pk})
    assert response.status_code == 404


@override_settings(LOGIN_FAILURE_LIMIT=2)
def test_code_change_wrong_current_codes_are_throttled_like_logins(client):
    """G1: the current code of « Mon code personnel » cannot be guessed from an open session:
    wrong codes count as failed logins, then even the right one waits for the cool-off."""
    user = InsuredUserFactory()
    _login(client, user)
    url = reverse("web:code_change")
    wrong = {"old_password": "Mauvais-123", "new_password1": "x", "new_password2": "x"}
    for _ in range(2):
        assert "Le code personnel actuel est incorrect." in client.post(url, wrong).content.decode()
    assert "Trop de tentatives de connexion ont échoué." in client.post(url, wrong).content.decode()
    right = {
        "old_password": DEFAULT_PASSWORD,
        "new_password1": "Nouveau-Code-77",
        "new_password2": "Nouveau-Code-77",
    }
    assert "Trop de tentatives de connexion ont échoué." in client.post(url, right).content.decode()
    user.refresh_from_db()
    assert user.check_password(DEFAULT_PASSWORD)


def test_code_change_applies_c5_and_keeps_the_session(client):
    user = InsuredUserFactory()
    _login(client, user)
    url = reverse("web:code_change")
    assert "Code personnel actuel" in client.get(url).content.decode()
    wrong = client.post(
        url,
        {"old_password": "Mauvais-123", "new_password1": "x", "new_password2": "x"},
    ).content.decode()
    assert "Le code personnel actuel est incorrect." in wrong
    weak = client.post(
        url,
        {
            "old_password": DEFAULT_PASSWORD,
            "new_password1": "abcdefgh",
            "new_password2": "abcdefgh",
        },
    ).content.decode()
    assert "au moins une lettre majuscule" in weak
    nir_inside = "Ab-" + user.person.nir
    response = client.post(
        url,
        {
            "old_password": DEFAULT_PASSWORD,
            "new_password1": nir_inside,
            "new_password2": nir_inside,
        },
    )
    assert "numéro de sécurité sociale" in response.content.decode()
    mismatch = client.post(
        url,
        {
            "old_password": DEFAULT_PASSWORD,
            "new_password1": "Nouveau-Code-77",
            "new_password2": "Nouveau-Code-78",
        },
    ).content.decode()
    assert "Les deux codes saisis ne sont pas identiques." in mismatch
    response = client.post(
        url,
        {
            "old_password": DEFAULT_PASSWORD,
            "new_password1": "Nouveau-Code-77",
            "new_password2": "Nouveau-Code-77",
        },
    )
    assert response.status_code == 302
    assert client.get(reverse("web:information")).status_code == 200  # still signed in
    user.refresh_from_db()
    assert user.check_password("Nouveau-Code-77")
    client.post(reverse("web:logout"))
    _login(client, user, "Nouveau-Code-77")


def test_expired_european_card_is_said_so(client):
    user = InsuredUserFactory()
    EuropeanHealthCard.objects.create(
        person=user.person, number="80250000000000000002", valid_until=dt.date(2021, 7, 11)
    )
    with time_machine.travel(dt.datetime(2026, 11, 23, 10, tzinfo=dt.UTC), tick=False):
        html = _page(_login(client, user))
    assert "Carte expirée depuis le 11/07/2021" in html
