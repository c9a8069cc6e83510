"""The footer's mandatory links and the honest statements behind them (issue 14)."""

import re

import pytest
from django.conf import settings
from django.urls import reverse

from tests.factories import DEFAULT_PASSWORD

pytestmark = pytest.mark.django_db


def footer_links(html: str) -> list[str]:
    footer = html.split('id="footer"', 1)[1]
    return re.findall(r'class="fr-footer__bottom-link" href="([^"]+)"', footer)


def test_every_footer_link_leads_to_a_page(client):
    links = footer_links(client.get(reverse("web:login")).content.decode())
    assert links == [
        "/accessibilite/",
        "/mentions-legales/",
        "/donnees-personnelles/",
        "/gestion-des-cookies/",
    ]
    for link in links:
        response = client.get(link)
        assert response.status_code == 200, link
        assert "<h1>" in response.content.decode()


def test_the_footer_states_partial_conformity_not_full(client):
    html = client.get(reverse("web:login")).content.decode()
    assert "Accessibilité : partiellement conforme" in html
    assert "conforme au RGAA visé" not in html


def test_the_statement_follows_the_rgaa_model(insured_client):
    html = insured_client.get(reverse("web:accessibility")).content.decode()
    for heading in (
        "État de conformité",
        "Résultats des tests",
        "Contenus non accessibles",
        "Dérogations pour charge disproportionnée",
        "Retour d'information et contact",
        "Voies de recours",
    ):
        assert heading in html, heading
    assert "<strong>partiellement conforme</strong>" in html
    assert "Défenseur des droits" in html
    assert settings.GUICHET_ACCESSIBILITY_EMAIL in html


def test_the_known_non_conformities_are_listed_or_said_to_be_none(client, monkeypatch):
    """The emails have their HTML part (tests/notifications/test_email_parts.py): they are no
    longer listed; an empty list says so instead of showing an empty bullet list."""
    from guichet.interfaces.web.pages import views

    html = client.get(reverse("web:accessibility")).content.decode()
    assert "texte brut" not in html
    assert "Aucune non-conformité n'est connue à ce jour" in html
    monkeypatch.setattr(views, "ACCESSIBILITY_KNOWN_ISSUES", ("Un défaut connu.",))
    html = client.get(reverse("web:accessibility")).content.decode()
    assert "<li>Un défaut connu.</li>" in html
    assert "Aucune non-conformité" not in html


def test_the_cookie_page_lists_every_cookie_the_service_sets(client, insured):
    client.get(reverse("web:login"))
    client.post(reverse("web:login"), {"nir": insured.username, "code": DEFAULT_PASSWORD})
    client.get(reverse("web:home"))
    html = client.get(reverse("web:cookies")).content.decode()
    listed = set(re.findall(r"<tr><td>([^<]+)</td>", html))
    assert set(client.cookies.keys()) <= listed, (client.cookies.keys(), listed)
    assert "strictement nécessaires" in html


def test_masked_iban_and_email_have_a_text_alternative(insured_client, insured):
    """Issue 14 (RGAA 1.3): the bullets are hidden from screen readers, which hear the rest."""
    html = insured_client.get(reverse("web:information")).content.decode()
    email_cell = html.split('id="email"', 1)[1].split("</td>", 1)[0]
    assert 'aria-hidden="true"' in email_cell
    domain = insured.email.split("@")[1]
    assert f"adresse email masquée, commençant par {insured.email[0]}, chez {domain}" in email_cell
