"""/cards over cards.services: declaration, order with multipart uploads, tracking (V1–V6)."""

import pytest

from guichet.cards.models import CardOrder
from guichet.reference.enums import CardStatus
from tests.cards.factories import jpeg_bytes, pdf_bytes, upload
from tests.factories import CardFactory

pytestmark = [pytest.mark.django_db, pytest.mark.urls("tests.api.urls")]


def test_declare_then_order_then_track(api, api_user, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    card = CardFactory(person=api_user.person)
    listing = api.get("/cards").json()
    assert [c["id"] for c in listing["declarable_cards"]] == [card.pk]
    declared = api.post(f"/cards/{card.pk}/declare", {"kind": "lost"})
    assert declared.status_code == 201, declared.content
    card.refresh_from_db()
    assert card.status == CardStatus.LOST
    again = api.post(f"/cards/{card.pk}/declare", {"kind": "lost"})
    assert again.status_code == 404  # no longer declarable
    response = api.post_multipart(
        "/cards/orders",
        {
            "beneficiary_id": api_user.person.pk,
            "document_type": "passport",
            "photo": upload("selfie.jpg", jpeg_bytes()),
            "document": upload("passeport.pdf", pdf_bytes(), "application/pdf"),
        },
    )
    assert response.status_code == 201, response.content
    assert (response.json()["status"], response.json()["reason"]) == ("received", "lost")
    order = CardOrder.objects.get()
    assert order.photo and order.document
    tracked = api.get("/cards/orders").json()
    assert [o["id"] for o in tracked] == [order.pk]


def test_a_rejected_photo_is_a_field_error(api, api_user, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    card = CardFactory(person=api_user.person)
    api.post(f"/cards/{card.pk}/declare", {"kind": "stolen"})
    response = api.post_multipart(
        "/cards/orders",
        {
            "beneficiary_id": api_user.person.pk,
            "document_type": "passport",
            "photo": upload("photo.jpg", b"not an image"),
            "document": upload("passeport.pdf", pdf_bytes(), "application/pdf"),
        },
    )
    assert response.status_code == 422
    assert list(response.json()["fields"]) == ["photo"]
    assert not CardOrder.objects.exclude(status="draft").exists()


def test_v2_outdated_card_offers_a_visual_change_order(api, api_user):
    CardFactory(person=api_user.person, printed_name="ANCIEN NOM")
    (me,) = [
        b
        for b in api.get("/cards").json()["beneficiaries"]
        if b["person"]["id"] == api_user.person.pk
    ]
    assert me["can_order"] and me["reason"] == "visual_change"
    assert me["reason_label"] == "Changement de nom ou de numéro de sécurité sociale"
