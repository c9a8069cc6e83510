"""A button a guide makes inactive says, next to it, what it waits for (issue 14)."""

import re

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def assert_described(html: str, label: str) -> None:
    button = re.search(rf"<button[^>]*>{label}</button>", html).group(0)
    described_by = re.search(r'aria-describedby="([^"]+)"', button).group(1)
    hint = re.search(rf'id="{described_by}">([^<]+)<', html).group(1)
    assert "devient actif" in hint, hint


def test_the_proxys_suivant_says_what_it_waits_for(insured_client):
    assert_described(insured_client.get(reverse("web:power_proxy")).content.decode(), "Suivant")


def test_the_card_orders_continuer_says_what_it_waits_for(insured_client, insured):
    from tests.cards.test_views import draft_with_photo

    order = draft_with_photo(insured)
    html = insured_client.get(reverse("web:card_order_document", args=[order.pk])).content.decode()
    assert_described(html, "Continuer")
