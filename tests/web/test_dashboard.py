"""The insured person's dashboard: home (G2), payments, démarches (G3), messages."""

import datetime as dt

import pytest
from django.urls import reverse

from guichet.interfaces.web.catalogue import GROUPS, QUICK_LABELS
from guichet.notifications.models import Message, Notification
from guichet.notifications.services import message_post, notification_post
from tests.factories import DEFAULT_PASSWORD, PaymentFactory, PersonFactory
from tests.web.factories import family_account

pytestmark = pytest.mark.django_db


def _login(client, user):
    response = client.post(reverse("web:login"), {"nir": user.username, "code": DEFAULT_PASSWORD})
    assert response.status_code == 302
    return client


def test_home_shows_every_block_of_g2(insured_client, insured):
    """G2: payments, démarches en 2 clics, notifications, messages, agenda."""
    PaymentFactory(beneficiary=insured.person, label="Consultation", paid_on=dt.date(2026, 10, 6))
    html = insured_client.get(reverse("web:home")).content.decode()
    for heading in (
        "Mes derniers paiements",
        "Mes démarches en 2 clics",
        "Mes notifications",
        "Mes messages",
        "Mon agenda",
    ):
        assert heading in html
    assert "06/10/2026" in html
    for label in QUICK_LABELS:
        assert label.replace("'", "&#x27;") in html
    assert "Voir toutes les démarches" in html


def test_home_shows_only_the_five_latest_payments(client):
    user = family_account(dependants=0, payments=8)
    html = _login(client, user).get(reverse("web:home")).content.decode()
    section = html.split('id="latest-payments"')[1].split("</ul>")[0]
    assert section.count("<li") == 5
    assert "08/01/2026" in section  # the newest
    assert "01/01/2026" not in section


def test_agenda_links_to_the_appointments(insured_client):
    """G2 « Mon agenda » (issue 17): « Mes rendez-vous » and « Prendre un rendez-vous » work."""
    html = insured_client.get(reverse("web:home")).content.decode()
    agenda = html.split('id="agenda"')[1].split("</ul>")[0]
    assert f'href="{reverse("web:appointments")}">Mes rendez-vous</a>' in agenda
    assert f'href="{reverse("web:appointment_book")}">Prendre un rendez-vous</a>' in agenda
    assert "Pas encore disponible" not in agenda


def test_notification_can_be_marked_read(insured_client, insured):
    notification = notification_post(recipient=insured, title="Mes paiements", body="À transmettre")
    html = insured_client.get(reverse("web:home")).content.decode()
    assert "1 non lue" in html and "Marquer comme lue" in html
    response = insured_client.post(reverse("web:notification_read", args=[notification.pk]))
    assert response.status_code == 302
    notification.refresh_from_db()
    assert notification.read_at is not None
    assert "non lue" not in insured_client.get(reverse("web:home")).content.decode()


def test_mark_read_is_post_only(insured_client, insured):
    notification = notification_post(recipient=insured, title="T", body="B")
    response = insured_client.get(reverse("web:notification_read", args=[notification.pk]))
    assert response.status_code == 405


def test_mark_all_notifications_read(insured_client, insured):
    for i in range(3):
        notification_post(recipient=insured, title=f"N{i}", body="B")
    insured_client.post(reverse("web:notifications_read_all"))
    assert not Notification.objects.filter(recipient=insured, read_at__isnull=True).exists()


def test_mark_read_ignores_an_external_next(insured_client, insured):
    notification = notification_post(recipient=insured, title="T", body="B")
    response = insured_client.post(
        reverse("web:notification_read", args=[notification.pk]),
        {"next": "https://malveillant.example/"},
    )
    assert response["Location"] == reverse("web:home")


def test_messages_unread_badge_and_detail_marks_read(insured_client, insured):
    message = message_post(recipient=insured, subject="Vaccinez-vous", body="Ligne 1\nLigne 2")
    html = insured_client.get(reverse("web:messages")).content.decode()
    assert "Vaccinez-vous" in html and "Non lu" in html
    assert "non lu(s)" in html  # the tab's badge
    detail = insured_client.get(reverse("web:message", args=[message.pk]))
    assert detail.status_code == 200
    assert "Ligne 1<br>Ligne 2" in detail.content.decode()
    message.refresh_from_db()
    assert message.read_at is not None
    html = insured_client.get(reverse("web:messages")).content.decode()
    assert "non lu(s)" not in html
    assert "aucun message non lu" in html


def test_home_lists_latest_messages(insured_client, insured):
    message_post(recipient=insured, subject="Ancien", body="x")
    message_post(recipient=insured, subject="Récent", body="y")
    html = insured_client.get(reverse("web:home")).content.decode()
    assert "Récent" in html and "1 nouveau message" not in html
    assert "2 nouveaux messages" in html
    Message.objects.update(read_at=dt.datetime(2026, 1, 1, tzinfo=dt.UTC))
    assert (
        "nouveau"
        not in insured_client.get(reverse("web:home"))
        .content.decode()
        .split('id="titre-messages"')[1]
        .split("</h2>")[0]
    )


def test_payments_are_paginated(client):
    user = family_account(dependants=1, payments=45)
    _login(client, user)
    first = client.get(reverse("web:payments")).content.decode()
    assert "page 1 sur 3 (45 paiements)" in first
    third = client.get(reverse("web:payments"), {"page": 3}).content.decode()
    assert "page 3 sur 3" in third
    assert third.count("<tr>") == 1 + 5  # header + the 5 oldest
    assert client.get(reverse("web:payments"), {"page": "abc"}).status_code == 200


def test_payments_filter_by_beneficiary(client):
    user = family_account(dependants=2, payments=9)
    _login(client, user)
    child = user.person.family.members.exclude(pk=user.person.pk).first()
    html = client.get(reverse("web:payments"), {"beneficiaire": child.pk}).content.decode()
    assert "(3 paiements)" in html
    assert f"beneficiaire={child.pk}" in html or "page 1 sur 1" in html


def test_payments_filter_refuses_another_familys_beneficiary(client):
    user = family_account(dependants=1, payments=4)
    stranger = PersonFactory()
    PaymentFactory(beneficiary=stranger, label="Paiement d'un autre assuré")
    _login(client, user)
    html = client.get(reverse("web:payments"), {"beneficiaire": stranger.pk}).content.decode()
    assert "Choisissez un bénéficiaire de votre famille." in html
    assert "Paiement d&#x27;un autre assuré" not in html
    assert "(4 paiements)" in html
    html = client.get(reverse("web:payments"), {"beneficiaire": "x"}).content.decode()
    assert "Choisissez un bénéficiaire de votre famille." in html


def test_procedures_lists_every_group_and_marks_unavailable_ones(insured_client):
    """G3: the five groups, every démarche listed; not built ones carry a badge."""
    html = insured_client.get(reverse("web:procedures")).content.decode()
    for title, entries in GROUPS:
        assert title.replace("'", "&#x27;") in html
        for entry in entries:
            assert entry.label.replace("'", "&#x27;") in html
    unavailable = sum(1 for _, entries in GROUPS for e in entries if e.url is None)
    assert html.count("Pas encore disponible") == unavailable
    assert f'href="{reverse("web:messages")}"' in html
