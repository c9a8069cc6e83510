"""« Notez votre démarche ! » (rule G5): the reusable partial and the view that stores it."""

import pytest
from django.template import Context, RequestContext, Template
from django.test import RequestFactory
from django.urls import reverse

from guichet.feedback.enums import Procedure
from guichet.feedback.models import Rating

pytestmark = pytest.mark.django_db


def test_partial_renders_without_view_context(insured):
    request = RequestFactory().get("/")
    request.user = insured
    html = Template(
        '{% include "web/partials/rating.html" with procedure="power_of_attorney" %}'
    ).render(RequestContext(request, {}))
    assert "Notez votre démarche !" in html
    assert "Êtes-vous satisfait de ce service ?" in html
    assert 'name="procedure" value="power_of_attorney"' in html
    assert html.count('type="radio"') == 5
    assert "csrfmiddlewaretoken" in html
    assert (
        Template("{% load rating %}{% rating_score_choices as c %}{{ c|length }}").render(
            Context({})
        )
        == "5"
    )


def test_rating_is_stored_per_procedure(insured_client, insured):
    response = insured_client.post(
        reverse("web:rating"),
        {"procedure": Procedure.POWER_OF_ATTORNEY, "score": "4", "comment": "  Simple.  "},
    )
    assert response.status_code == 302 and response["Location"] == reverse("web:home")
    rating = Rating.objects.get()
    assert (rating.user, rating.procedure, rating.score, rating.comment) == (
        insured,
        Procedure.POWER_OF_ATTORNEY,
        4,
        "Simple.",
    )


def test_rating_goes_back_to_a_local_next_only(insured_client):
    data = {"procedure": Procedure.CARD_ORDER, "score": "5"}
    local = insured_client.post(reverse("web:rating"), {**data, "next": "/mes-demarches/"})
    assert local["Location"] == "/mes-demarches/"
    external = insured_client.post(reverse("web:rating"), {**data, "next": "//evil.example/"})
    assert external["Location"] == reverse("web:home")


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"procedure": "power_of_attorney"}, "Choisissez une note de 1 à 5."),
        ({"procedure": "power_of_attorney", "score": "0"}, "Choisissez une note de 1 à 5."),
        ({"procedure": "power_of_attorney", "score": "6"}, "Choisissez une note de 1 à 5."),
        ({"procedure": "power_of_attorney", "score": "abc"}, "Choisissez une note de 1 à 5."),
        ({"procedure": "inconnue", "score": "3"}, "Cette démarche est inconnue."),
        (
            {"procedure": "power_of_attorney", "score": "3", "comment": "x" * 1001},
            "ne doit pas dépasser 1000 caractères",
        ),
    ],
)
def test_invalid_rating_is_refused_and_redisplayed(insured_client, data, message):
    response = insured_client.post(reverse("web:rating"), data)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not Rating.objects.exists()


def test_redisplayed_form_keeps_the_entry(insured_client):
    response = insured_client.post(
        reverse("web:rating"),
        {"procedure": "card_order", "score": "2", "comment": "x" * 1001},
    )
    html = response.content.decode()
    assert 'value="2" checked' in html
    assert "x" * 1001 in html


def test_rating_needs_an_insured_login(client):
    response = client.post(reverse("web:rating"), {"procedure": "card_order", "score": "5"})
    assert response.status_code == 302
    assert not Rating.objects.exists()
