"""The error summary and the page title while errors are shown (issue 14, RGAA 8.6 and 11.10)."""

import re

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def title(html: str) -> str:
    return re.search(r"<title>(.*?)</title>", html, re.S).group(1)


def test_errors_put_erreur_first_in_the_title_and_link_each_field(client):
    response = client.post(reverse("web:password_reset"), {"nir": "", "birth_date": "31/02/1980"})
    html = response.content.decode()
    assert title(html).startswith("Erreur : ")
    summary = html.split('id="form-errors"', 1)[1].split("</div>", 1)[0]
    assert "autofocus" in html.split('id="form-errors"', 1)[1].split(">", 1)[0]
    links = re.findall(r'<a href="#([^"]+)">', summary)
    assert "id_nir" in links and "id_birth_date" in links
    for field_id in links:
        assert f'id="{field_id}"' in html


def test_without_errors_the_title_is_plain(client):
    html = client.get(reverse("web:password_reset")).content.decode()
    assert not title(html).startswith("Erreur")
    assert 'id="form-errors"' not in html


def test_code_oublie_speaks_of_the_code_personnel_and_autofills_the_birth_date(client, insured):
    """Issue 14: `autocomplete="bday"`, and never « mot de passe » on the reset pages."""
    from django.contrib.auth.tokens import default_token_generator
    from django.utils.encoding import force_bytes
    from django.utils.http import urlsafe_base64_encode

    html = client.get(reverse("web:password_reset")).content.decode()
    assert 'autocomplete="bday"' in html
    uidb64 = urlsafe_base64_encode(force_bytes(insured.pk))
    token = default_token_generator.make_token(insured)
    page = client.get(reverse("web:password_reset_confirm", args=[uidb64, token]))
    assert "mot de passe" not in page.content.decode().lower()
