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
    agent = AgentFactory(back_office=back_office)
    agent_login(client, agent)
    response = client.get(f"/agents/cartes-vitale/{order.pk}/fichier/photo/")
    assert response.status_code == status


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
