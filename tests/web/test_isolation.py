"""No page of one insured person is reachable by another; agents and insured stay apart."""

import pytest
from django.urls import reverse

from guichet.notifications.models import Message, Notification
from guichet.notifications.services import message_post, notification_post
from tests.factories import DEFAULT_PASSWORD, AgentFactory, PaymentFactory, agent_login
from tests.web.factories import family_account

pytestmark = pytest.mark.django_db

INSURED_PAGES = [
    "web:home",
    "web:payments",
    "web:procedures",
    "web:prevention",
    "web:information",
    "web:code_change",
    "web:messages",
]


@pytest.fixture
def two_families():
    alice = family_account(dependants=2, payments=4, last_name="ALICEDOM")
    bob = family_account(dependants=1, payments=2, last_name="BOBINSKY")
    return alice, bob


def _login(client, user):
    assert (
        client.post(
            reverse("web:login"), {"nir": user.username, "code": DEFAULT_PASSWORD}
        ).status_code
        == 302
    )
    return client


def test_pages_show_only_the_own_family(client, two_families):
    alice, bob = two_families
    PaymentFactory(beneficiary=bob.person, label="Soins de Bob")
    _login(client, alice)
    for name in INSURED_PAGES:
        html = client.get(reverse(name)).content.decode()
        assert bob.person.display_last_name not in html, name
        assert "Soins de Bob" not in html, name


def test_beneficiary_switch_to_another_family_is_404(client, two_families):
    alice, bob = two_families
    _login(client, alice)
    for member in bob.person.family.members.all():
        response = client.get(reverse("web:information"), {"beneficiaire": member.pk})
        assert response.status_code == 404


def test_messages_of_another_user_are_404_and_stay_unread(client, two_families):
    alice, bob = two_families
    message = message_post(recipient=bob, subject="Secret de Bob", body="…")
    _login(client, alice)
    assert client.get(reverse("web:message", args=[message.pk])).status_code == 404
    assert Message.objects.get(pk=message.pk).read_at is None


def test_notifications_of_another_user_are_404_and_stay_unread(client, two_families):
    alice, bob = two_families
    notification = notification_post(recipient=bob, title="Pour Bob", body="…")
    notification_post(recipient=alice, title="Pour Alice", body="…")
    _login(client, alice)
    response = client.post(reverse("web:notification_read", args=[notification.pk]))
    assert response.status_code == 404
    client.post(reverse("web:notifications_read_all"))
    assert Notification.objects.get(pk=notification.pk).read_at is None
    assert not Notification.objects.filter(recipient=alice, read_at__isnull=True).exists()


@pytest.mark.parametrize("name", INSURED_PAGES)
def test_anonymous_is_sent_to_login(client, name):
    response = client.get(reverse(name))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("web:login"))


@pytest.mark.parametrize("name", INSURED_PAGES)
def test_agents_cannot_open_insured_pages(client, name):
    agent = AgentFactory()
    agent_login(client, agent)
    assert client.get(reverse(name)).status_code == 403


def test_insured_cannot_open_agent_pages(client, two_families):
    alice, _ = two_families
    _login(client, alice)
    assert client.get(reverse("agents:home")).status_code == 403
