"""/notifications and /messages: list, read, mark read."""

import pytest

from guichet.notifications.models import Message, Notification

pytestmark = [pytest.mark.django_db, pytest.mark.urls("tests.api.urls")]


def test_notifications_list_and_mark_read(api, api_user):
    first = Notification.objects.create(recipient=api_user, title="Un", body="1")
    Notification.objects.create(recipient=api_user, title="Deux", body="2")
    listing = api.get("/notifications").json()
    assert (listing["count"], listing["unread"]) == (2, 2)
    response = api.post(f"/notifications/{first.pk}/read")
    assert response.status_code == 200
    assert response.json()["read_at"] is not None
    assert api.get("/notifications").json()["unread"] == 1
    assert api.post("/notifications/read-all").json() == {"marked_read": 1}
    assert api.get("/notifications").json()["unread"] == 0


def test_marking_twice_is_harmless(api, api_user):
    notification = Notification.objects.create(recipient=api_user, title="Un", body="1")
    api.post(f"/notifications/{notification.pk}/read")
    assert api.post(f"/notifications/{notification.pk}/read").status_code == 200


def test_messages_open_marks_read(api, api_user):
    message = Message.objects.create(recipient=api_user, subject="Objet", body="Texte")
    assert api.get("/messages").json()["unread"] == 1
    body = api.get(f"/messages/{message.pk}").json()
    assert body["subject"] == "Objet" and body["read_at"] is not None
    assert api.get("/messages").json()["unread"] == 0


def test_message_mark_read(api, api_user):
    message = Message.objects.create(recipient=api_user, subject="Objet", body="Texte")
    assert api.post(f"/messages/{message.pk}/read").json()["read_at"] is not None


def test_unknown_id_is_404_with_the_error_shape(api):
    response = api.get("/messages/999999")
    assert response.status_code == 404
    assert response.json() == {
        "code": "not_found",
        "message": "La page ou l'élément demandé n'existe pas.",
        "fields": {},
    }
