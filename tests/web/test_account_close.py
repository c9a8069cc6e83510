"""The pages of « Résilier mon compte ameli » (rule G4)."""

import re

import pytest
from django.urls import reverse

from guichet.accounts.models import User
from guichet.powers.enums import PowerStatus
from tests.factories import DEFAULT_PASSWORD
from tests.powers.factories import give_power

pytestmark = pytest.mark.django_db

URL = reverse("web:account_close")


def test_mes_informations_links_to_the_closure_page(insured_client):
    page = insured_client.get(reverse("web:information")).content.decode()
    assert f'href="{URL}">Résilier mon compte ameli</a>' in page


def test_the_page_says_what_ends_and_names_the_power_to_be_revoked(insured_client, insured):
    give_power(insured.person, by=insured)
    page = insured_client.get(URL).content.decode()
    assert "Elle ne change rien à vos droits à l'Assurance Maladie" in page
    assert "Votre procuration accordée à M. DUPONT" in page
    assert "un email vous confirme la résiliation" in page


def test_empty_form_gives_a_french_message_per_field(insured_client, insured):
    page = insured_client.post(URL, {}).content.decode()
    assert "Le formulaire comporte une ou plusieurs erreurs." in page
    assert "Saisissez votre code personnel." in page
    assert "Cochez « Je confirme vouloir résilier mon compte ameli » pour résilier." in page
    insured.refresh_from_db()
    assert insured.closed_at is None


def test_a_wrong_code_is_refused_and_the_box_stays_checked(insured_client, insured):
    page = insured_client.post(URL, {"code": "Mauvais-Code1", "confirm": "on"}).content.decode()
    assert "Le code personnel saisi est incorrect." in page
    assert re.search(r'<input type="checkbox" name="confirm"[^>]* checked>', page)
    insured.refresh_from_db()
    assert insured.closed_at is None and insured.is_active


def test_closing_signs_out_and_shows_the_public_confirmation(insured_client, insured):
    power = give_power(insured.person, by=insured)
    response = insured_client.post(URL, {"code": DEFAULT_PASSWORD, "confirm": "on"})
    assert response.url == reverse("web:account_closed")
    done = insured_client.get(response.url).content.decode()
    assert "Votre compte est résilié" in done
    assert reverse("web:enrollment_start") in done
    # Signed out: the account's pages ask for a login again, which the old code cannot pass.
    again = insured_client.get(reverse("web:information"))
    assert again.status_code == 302 and reverse("web:login") in again.url
    login = insured_client.post(
        reverse("web:login"), {"nir": insured.person.nir, "code": DEFAULT_PASSWORD}
    )
    assert login.status_code == 200
    assert User.objects.get(pk=insured.pk).closed_at is not None
    power.refresh_from_db()
    assert power.status == PowerStatus.REVOKED


def test_the_page_is_for_signed_in_insured_people_only(client):
    response = client.get(URL)
    assert response.status_code == 302 and reverse("web:login") in response.url
