"""seed_demo's « Espace d'échanges » (issue 19): two messages of « family-of-four » wait in the
CPAM de Paris's inbox, and a second run gives back the same state."""

import io

import pytest
from django.core.management import call_command

from guichet.accounts.models import User
from guichet.demo.personas import persona
from guichet.exchanges import selectors, services
from guichet.exchanges.models import Thread

pytestmark = pytest.mark.django_db


def test_ech6_seed_demo_leaves_two_messages_waiting_for_the_fund():
    call_command("seed_demo", stdout=io.StringIO())
    user = User.objects.get(username=persona("family-of-four").nir)
    agent = User.objects.get(username="backoffice")
    thread = Thread.objects.filter(account=user).first()
    services.thread_answer(agent=agent, thread_id=thread.pk, body="Une réponse de démonstration")
    call_command("seed_demo", stdout=io.StringIO())
    threads = list(Thread.objects.filter(account=user))
    assert len(threads) == 2
    assert all(t.status == "open" and t.due_on for t in threads)
    assert all(t.messages.count() == 1 for t in threads)
    assert {t.pk for t in selectors.agent_inbox(agent=agent)} == {t.pk for t in threads}
