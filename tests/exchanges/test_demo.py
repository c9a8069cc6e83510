"""seed_demo's « Espace d'échanges » (issue 19): two messages of « family-of-four » wait in the
CPAM de Paris's inbox, and a second run gives back the same state."""

import io

import pytest
from django.core.management import call_command

from guichet.accounts.models import User
from guichet.demo.personas import persona
from guichet.exchanges import selectors, services
from guichet.exchanges.models import FundService, Thread

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


def test_ech16_seed_demo_attaches_the_demo_agents_to_their_services():
    call_command("seed_demo", stdout=io.StringIO())
    backoffice = User.objects.get(username="backoffice")
    rights = User.objects.get(username="backoffice-droits")
    # Someone attached « backoffice » elsewhere meanwhile: a second run restores the demo.
    FundService.objects.get(fund=backoffice.fund, code="indemnites-journalieres").agents.add(
        backoffice
    )
    call_command("seed_demo", stdout=io.StringIO())
    assert set(backoffice.exchange_services.values_list("code", flat=True)) == {
        "prestations",
        "relations-assures",
    }
    assert set(rights.exchange_services.values_list("code", flat=True)) == {
        "carte-vitale-droits",
        "indemnites-journalieres",
    }
    assert not User.objects.get(username="superviseur").exchange_services.exists()
    user = User.objects.get(username=persona("family-of-four").nir)
    threads = Thread.objects.filter(account=user).select_related("service")
    assert {t.service.code for t in threads} == {"prestations", "relations-assures"}
    assert not selectors.agent_inbox(
        agent=rights, services=list(rights.exchange_services.values_list("pk", flat=True))
    ).exists()
    other = next(t for t in threads if t.subject == "other")
    services.thread_transfer(
        agent=backoffice,
        thread_id=other.pk,
        service_id=FundService.objects.get(fund=backoffice.fund, code="carte-vitale-droits").pk,
    )
    services.thread_claim(agent=rights, thread_id=other.pk)
