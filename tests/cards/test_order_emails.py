"""Emails queued when a carte Vitale order is rejected, sent or delivered (V6)."""

import datetime as dt

import pytest
from django.conf import settings
from django.urls import reverse

from guichet.accounts import services as account_services
from guichet.cards import services
from guichet.cards.notifications import DELIVERED_SUBJECT, REJECTED_SUBJECT, SENT_SUBJECT
from guichet.notifications.models import Notification, OutboundEmail
from tests.cards.factories import jpeg_bytes, pdf_bytes, upload
from tests.factories import (
    DEFAULT_PASSWORD,
    AgentFactory,
    CardFactory,
    InsuredUserFactory,
    PersonFactory,
)

pytestmark = pytest.mark.django_db

REASON = "La pièce d'identité n° 12AB34567 est illisible."


def tracking_url() -> str:
    return settings.SITE_URL.rstrip("/") + reverse("web:card_tracking")


def submitted_order(user, beneficiary=None):
    beneficiary = beneficiary or user.person
    old = CardFactory(person=beneficiary)
    services.card_declare(user=user, card=old, kind="lost")
    order = services.card_order_start(user=user, beneficiary=beneficiary)
    services.card_order_attach_photo(order=order, upload=upload("p.jpg", jpeg_bytes()))
    services.card_order_attach_document(
        order=order, document_type="passport", upload=upload("d.pdf", pdf_bytes())
    )
    order.refresh_from_db()
    return services.card_order_submit(order=order, user=user)


def reviewed_order(user, *, accept: bool, beneficiary=None):
    order = submitted_order(user, beneficiary)
    agent = AgentFactory(back_office=True)
    services.card_order_claim(order_id=order.pk, agent=agent)
    return services.card_order_review(
        order=order, agent=agent, accept=accept, reason="" if accept else REASON
    )


def in_production_order(user, tmp_path, beneficiary=None):
    order = reviewed_order(user, accept=True, beneficiary=beneficiary)
    services.card_orders_export(out_dir=tmp_path)
    order.refresh_from_db()
    return order


def import_status(order, status: str, serial: str = "") -> None:
    today = dt.date.today().isoformat()
    result = services.card_statuses_import(
        text=f"reference;statut;date;numero_serie\n{order.reference};{status};{today};{serial}\n"
    )
    assert not result.errors


def assert_no_private_data(email: OutboundEmail, *people) -> None:
    body = email.subject + email.body_text + email.body_html
    for person in people:
        if person.nir:
            assert person.nir not in body
            assert person.nir[:13] not in body
    assert REASON not in body
    assert "12AB34567" not in body


def test_rejection_queues_one_email_without_the_reason(django_capture_on_commit_callbacks):
    """Rule V6: the refusal is emailed with a link to the tracking
    page; the reason, which may describe an ID document, stays in the account."""
    user = InsuredUserFactory()
    with django_capture_on_commit_callbacks(execute=True):
        reviewed_order(user, accept=False)
    email = OutboundEmail.objects.get()
    assert email.to == user.email
    assert email.subject == REJECTED_SUBJECT == "Votre commande de carte Vitale a été refusée"
    assert "a été refusée" in email.body_text
    assert "motif du refus est indiqué dans votre compte" in email.body_text
    assert tracking_url() in email.body_text
    assert email.status == "sent"
    assert_no_private_data(email, user.person)
    assert user.notifications.filter(body__contains=REASON).exists()


def test_sent_queues_one_email(tmp_path):
    """Rule V6: the maker's « envoyee » line emails the insured a
    link to the tracking of the order, and reading the file again emails nothing more."""
    user = InsuredUserFactory()
    order = in_production_order(user, tmp_path)
    assert not OutboundEmail.objects.exists()
    import_status(order, "envoyee")
    email = OutboundEmail.objects.get()
    assert email.to == user.email
    assert email.subject == SENT_SUBJECT == "Votre commande de carte Vitale a été envoyée"
    assert "Votre carte Vitale vous a été envoyée par courrier." in email.body_text
    assert tracking_url() in email.body_text
    assert_no_private_data(email, user.person)
    import_status(order, "envoyee")
    assert OutboundEmail.objects.count() == 1


def test_delivered_queues_one_email(tmp_path):
    """Rule V6: the maker's « remise » line emails the insured that
    the new card is active, with a link to the tracking page and no NIR or card number."""
    user = InsuredUserFactory()
    order = in_production_order(user, tmp_path)
    import_status(order, "envoyee")
    import_status(order, "remise", "12345678901234567890")
    emails = OutboundEmail.objects.filter(subject=DELIVERED_SUBJECT)
    assert emails.count() == 1
    email = emails.get()
    assert OutboundEmail.objects.count() == 2  # « envoyée », then « remise »
    assert email.to == user.email
    assert email.subject == "Votre commande de carte Vitale a été remise"
    assert "Votre nouvelle carte Vitale a été remise : elle est active." in email.body_text
    assert tracking_url() in email.body_text
    assert "12345678901234567890" not in email.body_text
    assert_no_private_data(email, user.person)


def test_dependant_named_by_first_name_only(tmp_path):
    """Rule V6: for a dependant's card the email names the
    beneficiary by first name only, and carries neither their NIR nor the holder's."""
    user = InsuredUserFactory(person__last_name="Durand")
    child = PersonFactory(
        dependant=True,
        family=user.person.family,
        last_name="Durand",
        first_names="Léa Marie",
        birth_date=dt.date(2010, 3, 1),
        nir="210037505600142",
    )
    order = in_production_order(user, tmp_path, beneficiary=child)
    import_status(order, "envoyee")
    email = OutboundEmail.objects.get()
    assert email.to == user.email
    assert "La carte Vitale de Léa vous a été envoyée par courrier." in email.body_text
    assert "Marie" not in email.body_text
    assert "Durand" not in email.body_text
    assert_no_private_data(email, user.person, child)


@pytest.mark.parametrize(
    "account", [{"email": ""}, {"email_confirmed_at": None}], ids=["no-email", "unconfirmed"]
)
def test_no_email_without_a_confirmed_address(account):
    """Rule V6: without a confirmed address the insured still gets
    the account notification, and nothing is queued in the outbox."""
    user = InsuredUserFactory(**account)
    reviewed_order(user, accept=False)
    assert user.notifications.filter(title="Commande de carte Vitale refusée").exists()
    assert not OutboundEmail.objects.exists()


def test_a_first_card_delivered_speaks_of_no_old_card(tmp_path):
    """Rule V2/V6: a first card replaces nothing, so neither the
    notification nor the email says that an old card is opposed."""
    from guichet.notifications.models import Notification

    user = InsuredUserFactory()
    order = services.card_order_start(user=user, beneficiary=user.person)
    assert order.replaced_card is None
    services.card_order_attach_photo(order=order, upload=upload("p.jpg", jpeg_bytes()))
    services.card_order_attach_document(
        order=order, document_type="passport", upload=upload("d.pdf", pdf_bytes())
    )
    order.refresh_from_db()
    order = services.card_order_submit(order=order, user=user)
    agent = AgentFactory(back_office=True)
    services.card_order_claim(order_id=order.pk, agent=agent)
    services.card_order_review(order=order, agent=agent, accept=True)
    services.card_orders_export(out_dir=tmp_path)
    order.refresh_from_db()
    import_status(order, "remise", "12345678901234567899")
    email = OutboundEmail.objects.get(subject=DELIVERED_SUBJECT)
    assert "Votre nouvelle carte Vitale a été remise : elle est active." in email.body_text
    assert "ancienne carte" not in email.body_text
    notice = Notification.objects.get(recipient=user, title="Nouvelle carte Vitale active")
    assert "ancienne carte" not in notice.body
    assert (notice.about_type.model, notice.about_id) == ("cardorder", order.pk)  # ECH5


def test_a_replacement_delivered_says_the_old_card_is_opposed(tmp_path):
    """Rule V6: after a loss, the delivery says the old card is opposed."""
    from guichet.notifications.models import Notification

    user = InsuredUserFactory()
    order = in_production_order(user, tmp_path)
    import_status(order, "remise", "12345678901234567898")
    email = OutboundEmail.objects.get(subject=DELIVERED_SUBJECT)
    assert "L'ancienne carte est en opposition" in email.body_text
    notice = Notification.objects.get(recipient=user, title="Nouvelle carte Vitale active")
    assert "L'ancienne carte est en opposition" in notice.body


def test_after_closing_the_account_notices_go_to_the_new_account_or_nowhere(tmp_path):
    """docs/decisions/accounts-closure.md: an order placed before the account was closed goes
    on; its notice and email go to the account the person opened since, else to nobody."""
    user = InsuredUserFactory(email="ancien@exemple.fr")
    person = user.person
    order = in_production_order(user, tmp_path)
    account_services.account_close(user=user, code=DEFAULT_PASSWORD, ip="203.0.113.7")
    OutboundEmail.objects.all().delete()
    import_status(order, "envoyee")
    assert not OutboundEmail.objects.filter(subject=SENT_SUBJECT).exists()
    assert not Notification.objects.exists()

    new = InsuredUserFactory(person=person, email="nouveau@exemple.fr")
    import_status(order, "remise", serial="12345678901")
    email = OutboundEmail.objects.get(subject=DELIVERED_SUBJECT)
    assert email.to == "nouveau@exemple.fr"
    assert Notification.objects.get().recipient == new


def test_an_order_sent_on_its_own_day_is_tracked_at_once(client, tmp_path):
    """V6 shows tracking from the day after the order; an order that has already moved on (here
    sent on the same day, whose email links to the tracking) is shown at once (issue 14)."""
    user = InsuredUserFactory()
    order = in_production_order(user, tmp_path)
    import_status(order, "envoyee")
    client.post(reverse("web:login"), {"nir": user.username, "code": DEFAULT_PASSWORD})
    page = client.get(reverse("web:card_tracking")).content.decode()
    assert "sera disponible à partir du" not in page
    assert "Envoyée" in page
    assert "Motif : Remplacement après une perte." in page


def test_a_received_order_is_tracked_from_the_next_day(client):
    user = InsuredUserFactory()
    submitted_order(user)
    client.post(reverse("web:login"), {"nir": user.username, "code": DEFAULT_PASSWORD})
    page = client.get(reverse("web:card_tracking")).content.decode()
    assert "sera disponible à partir du" in page
