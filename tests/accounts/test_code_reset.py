"""« Code oublié ? »: an emailed single-use link through the outbox, C5 rules on the new code."""

import re

import pytest
from django.core import mail
from django.urls import reverse

from guichet.notifications.enums import EmailStatus
from guichet.notifications.models import OutboundEmail
from tests.factories import DEFAULT_PASSWORD, InsuredUserFactory

pytestmark = pytest.mark.django_db

NEW_CODE = "Autre-Code-2027"


def _request_link(client, user, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("web:password_reset"),
            {"nir": user.username, "birth_date": user.person.birth_date.strftime("%d/%m/%Y")},
        )
    assert response.status_code == 200
    assert "Consultez votre messagerie" in response.content.decode()


def test_full_reset_flow(client, django_capture_on_commit_callbacks):
    user = InsuredUserFactory()
    _request_link(client, user, django_capture_on_commit_callbacks)
    email = OutboundEmail.objects.get()
    assert email.status == EmailStatus.SENT and email.category == "code_reset"
    assert len(mail.outbox) == 1 and mail.outbox[0].to == [user.email]
    link = re.search(r"https?://\S+", mail.outbox[0].body).group(0)
    path = "/" + link.split("/", 3)[3]
    assert "Choisir un nouveau code personnel" in client.get(path).content.decode()

    weak = client.post(path, {"new_password1": "motdepasse", "new_password2": "motdepasse"})
    assert "au moins une lettre majuscule" in weak.content.decode()
    birth = user.person.birth_date.strftime("%d%m%Y")
    personal = client.post(path, {"new_password1": f"Abc-{birth}", "new_password2": f"Abc-{birth}"})
    assert "date de naissance" in personal.content.decode()

    done = client.post(path, {"new_password1": NEW_CODE, "new_password2": NEW_CODE})
    assert done.status_code == 302 and done["Location"] == reverse("web:login")
    # The link works once: the code changed, so the token no longer matches.
    again = client.get(path)
    assert again.status_code == 400 and "plus valable" in again.content.decode()
    login = client.post(reverse("web:login"), {"nir": user.username, "code": NEW_CODE})
    assert login.status_code == 302
    client.post(reverse("web:logout"))
    old = client.post(reverse("web:login"), {"nir": user.username, "code": DEFAULT_PASSWORD})
    assert old.status_code == 200


def test_wrong_birth_date_sends_nothing_but_answers_the_same(
    client, django_capture_on_commit_callbacks
):
    user = InsuredUserFactory()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("web:password_reset"), {"nir": user.username, "birth_date": "01/01/1950"}
        )
    assert "Consultez votre messagerie" in response.content.decode()
    assert not OutboundEmail.objects.exists() and not mail.outbox


def test_forged_link_is_refused(client):
    user = InsuredUserFactory()
    response = client.get(reverse("web:password_reset_confirm", args=["MQ", "faux-jeton"]))
    assert response.status_code == 400
    user.refresh_from_db()
    assert user.check_password(DEFAULT_PASSWORD)
