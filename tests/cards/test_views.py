"""Web pages of issue 7: files readable only by their owner and back-office agents; a refused
upload keeps the draft; the catalogue links the three entries."""

import pytest
from django.urls import reverse

from guichet.cards import services
from guichet.cards.models import CardOrder
from tests.cards.factories import jpeg_bytes, upload
from tests.factories import (
    DEFAULT_PASSWORD,
    AgentFactory,
    CardFactory,
    InsuredUserFactory,
    agent_login,
)

pytestmark = pytest.mark.django_db


def draft_with_photo(user):
    order = services.card_order_start(user=user, beneficiary=user.person)
    return services.card_order_attach_photo(order=order, upload=upload("p.jpg", jpeg_bytes()))


def test_photo_served_to_owner_only(client, insured_client, insured):
    order = draft_with_photo(insured)
    url = f"/mes-demarches/carte-vitale/commande/{order.pk}/fichier/photo/"
    response = insured_client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "image/jpeg"
    assert response["Cache-Control"] == "private, no-store"

    other = InsuredUserFactory()
    client.logout()
    client.post("/connexion/", {"nir": other.username, "code": DEFAULT_PASSWORD})
    assert client.get(url).status_code == 404


@pytest.mark.parametrize(("back_office", "status"), [(True, 200), (False, 403)])
def test_agent_file_access_needs_back_office(client, insured, back_office, status):
    order = draft_with_photo(insured)
    services.card_order_attach_document(
        order=order, document_type="passport", upload=upload("d.jpg", jpeg_bytes())
    )
    order.refresh_from_db()
    services.card_order_submit(order=order, user=insured)
    agent = AgentFactory(back_office=back_office)
    agent_login(client, agent)
    response = client.get(f"/agents/cartes-vitale/{order.pk}/fichier/photo/")
    assert response.status_code == status


def test_the_back_office_does_not_see_a_draft(client, insured):
    """A draft is the insured's own business until « Valider » (security-agents-scope.md)."""
    order = draft_with_photo(insured)
    agent_login(client, AgentFactory(back_office=True))
    assert client.get(f"/agents/cartes-vitale/{order.pk}/fichier/photo/").status_code == 404
    assert client.get(f"/agents/cartes-vitale/{order.pk}/").status_code == 404


def test_refused_upload_keeps_the_draft_and_its_photo(insured_client, insured):
    order = draft_with_photo(insured)
    response = insured_client.post(
        f"/mes-demarches/carte-vitale/commande/{order.pk}/photo/",
        {"photo": upload("p.jpg", b"texte")},
    )
    assert "ne correspond pas à ces formats" in response.content.decode()
    order.refresh_from_db()
    assert order.photo
    assert CardOrder.objects.filter(pk=order.pk).exists()


def test_catalogue_links_the_card_entries(insured_client):
    html = insured_client.get("/mes-demarches/").content.decode()
    for url in ("carte-vitale/commander/", "carte-vitale/declarer/", "carte-vitale/suivi/"):
        assert f"/mes-demarches/{url}" in html


def test_v1_order_from_mes_demarches_or_straight_after_a_declaration(insured_client, insured):
    """V1: « Mes démarches › Commander une carte Vitale », or straight after declaring a loss:
    « Commander une nouvelle carte Vitale », for the holder of the declared card."""
    order_url = reverse("web:card_order_start")
    demarches = insured_client.get(reverse("web:procedures")).content.decode()
    assert "Commander une carte Vitale" in demarches and f'href="{order_url}"' in demarches
    card = CardFactory(person=insured.person)
    declared = insured_client.post(
        reverse("web:card_declare"), {"card": card.pk, "kind": "lost"}, follow=True
    ).content.decode()
    assert "Commander une nouvelle carte Vitale" in declared
    assert f"{order_url}?beneficiaire={insured.person.pk}" in declared


def test_abandoning_a_draft_deletes_it_and_its_photo(
    insured_client, insured, django_capture_on_commit_callbacks
):
    order = draft_with_photo(insured)
    storage, name = order.photo.storage, order.photo.name
    with django_capture_on_commit_callbacks(execute=True):
        response = insured_client.post(f"/mes-demarches/carte-vitale/commande/{order.pk}/abandon/")
    assert response.status_code == 302
    assert not CardOrder.objects.filter(pk=order.pk).exists()
    assert not storage.exists(name)


def test_v2_outdated_card_is_pointed_to_the_order_not_the_declaration(insured_client, insured):
    """V2: a card with the former name needs no declaration; the pages say so and why."""
    person = insured.person
    card = CardFactory(person=person, printed_name="ANCIEN NOM")
    declare = insured_client.get(reverse("web:card_declare")).content.decode()
    assert "porte encore le nom ANCIEN NOM" in declare
    assert f"{reverse('web:card_order_start')}?beneficiaire={person.pk}" in declare
    order_page = insured_client.get(reverse("web:card_order_start")).content.decode()
    assert "Changement de nom ou de numéro de sécurité sociale" in order_page
    assert f'value="{person.pk}" disabled' not in order_page
    card.printed_name = person.card_name
    card.save()
    assert "porte encore" not in insured_client.get(reverse("web:card_declare")).content.decode()


@pytest.mark.parametrize("route", ["web", "desk"])
def test_stored_file_is_served_as_an_attachment_never_sniffed(client, insured, route):
    """Issue 13: an uploaded file never opens as a page of the site (a PDF with scripts, an
    image a browser might sniff as HTML): it is a download, with nosniff, from both routes."""
    order = draft_with_photo(insured)
    if route == "web":
        client.force_login(insured)
        url = f"/mes-demarches/carte-vitale/commande/{order.pk}/fichier/photo/"
    else:
        # The back office sees an order once it is submitted (security-agents-scope.md).
        services.card_order_attach_document(
            order=order, document_type="passport", upload=upload("d.jpg", jpeg_bytes())
        )
        order.refresh_from_db()
        services.card_order_submit(order=order, user=insured)
        agent_login(client, AgentFactory(back_office=True))
        url = f"/agents/cartes-vitale/{order.pk}/fichier/photo/"
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Disposition"] == (
        f'attachment; filename="{order.reference}-photo.jpg"'
    )
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Type"] == "image/jpeg"


def test_each_step_of_the_order_has_its_own_title(insured_client, insured):
    """Issue 14 (RGAA 8.6): the five steps of V3 no longer share one <title>."""
    import re

    def title(url):
        html = insured_client.get(url).content.decode()
        return re.search(r"<title>(.*?)</title>", html, re.S).group(1)

    order = draft_with_photo(insured)
    titles = [
        title(reverse("web:card_order_start")),
        title(reverse("web:card_order_photo", args=[order.pk])),
        title(reverse("web:card_order_document", args=[order.pk])),
    ]
    services.card_order_attach_document(
        order=order, document_type="passport", upload=upload("d.jpg", jpeg_bytes())
    )
    titles.append(title(reverse("web:card_order_validate", args=[order.pk])))
    order.refresh_from_db()
    services.card_order_submit(order=order, user=insured)
    titles.append(title(reverse("web:card_order_confirmation", args=[order.pk])))
    assert len(set(titles)) == 5, titles
    assert titles[1].startswith(
        "Commander une carte Vitale — Étape 2 sur 5 : Photo d&#x27;identité"
    )
