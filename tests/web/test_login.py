import pytest
from django.urls import reverse

from guichet.accounts.services import GENERIC_LOGIN_ERROR
from tests.factories import DEFAULT_PASSWORD, InsuredUserFactory

pytestmark = pytest.mark.django_db


def test_login_with_nir_and_code_opens_the_home_page(client, insured):
    """G1: the NIR and the code personnel open the account."""
    response = client.post(
        reverse("web:login"), {"nir": insured.username, "code": DEFAULT_PASSWORD}, follow=True
    )
    assert response.status_code == 200
    assert "Mes derniers paiements" in response.content.decode()


def test_wrong_code_gives_a_generic_message(client, insured):
    response = client.post(reverse("web:login"), {"nir": insured.username, "code": "Mauvais-1"})
    assert GENERIC_LOGIN_ERROR in response.content.decode()


def test_other_person_pages_need_login(client):
    response = client.get(reverse("web:home"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("web:login"))


def test_previous_login_is_shown(client):
    user = InsuredUserFactory()
    for _ in range(2):
        client.post(reverse("web:login"), {"nir": user.username, "code": DEFAULT_PASSWORD})
        client.post(reverse("web:logout"))
    client.post(reverse("web:login"), {"nir": user.username, "code": DEFAULT_PASSWORD})
    assert "Dernière connexion le" in client.get(reverse("web:home")).content.decode()
