"""404, 403 (CSRF included) and 500 pages: French, lang="fr", the DSFR layout, a way back."""

import pytest
from django.test import Client
from django.urls import reverse

from tests.factories import DEFAULT_PASSWORD

pytestmark = pytest.mark.django_db


def assert_french_page(response, status, heading):
    html = response.content.decode()
    assert response.status_code == status
    assert '<html lang="fr"' in html
    assert 'class="fr-header"' in html and 'class="fr-footer"' in html
    assert f"<h1>{heading}</h1>" in html
    assert "DEBUG" not in html and "Forbidden" not in html and "Not Found" not in html
    return html


def test_unknown_page_is_a_french_404_with_a_way_home(client):
    html = assert_french_page(client.get("/cette-page-n-existe-pas/"), 404, "Page non trouvée")
    assert 'href="/"' in html and "Retour à l'accueil" in html


def test_an_agents_404_leads_back_to_the_agents_home(client):
    html = assert_french_page(client.get("/agents/rien-ici/"), 404, "Page non trouvée")
    assert 'href="/agents/"' in html


def test_csrf_failure_is_a_french_403_that_does_not_mention_debug(insured):
    client = Client(enforce_csrf_checks=True)
    response = client.post(
        reverse("web:login"), {"nir": insured.username, "code": DEFAULT_PASSWORD}
    )
    html = assert_french_page(response, 403, "Formulaire expiré")
    assert "rechargez-la" in html


@pytest.mark.urls("tests.core.urls_errors")
def test_a_crash_gives_the_french_500_page(client):
    client.raise_request_exception = False
    html = assert_french_page(client.get("/panne/"), 500, "Erreur inattendue")
    assert "Erreur 500" in html
