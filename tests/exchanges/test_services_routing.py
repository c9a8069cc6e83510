"""The fund's services of the « Espace d'échanges »: routing, agents' services, transfers
(issue 19, rules ECH15–ECH17)."""

import datetime as dt

import pytest
import time_machine
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from guichet.core.refusals import Refused
from guichet.exchanges import rules, selectors, services
from guichet.exchanges.admin import FundServiceForm
from guichet.exchanges.enums import MessageKind, ThreadStatus, ThreadSubject
from guichet.exchanges.models import FundService, SubjectRoute, ThreadTransition
from tests.exchanges.factories import fund_agent, start_thread
from tests.factories import AgentFactory, FundFactory, InsuredUserFactory, agent_login

pytestmark = pytest.mark.django_db

THURSDAY = dt.datetime(2026, 3, 5, 10, 0, tzinfo=dt.UTC)


def _service(fund, code: str) -> FundService:
    return FundService.objects.get(fund=fund, code=code)


@pytest.fixture
def thread():
    """A reimbursement question: the « Prestations » service's."""
    with time_machine.travel(THURSDAY, tick=False):
        return start_thread(InsuredUserFactory(person__last_name="Martinez"))


@pytest.fixture
def benefits_agent(thread):
    agent = fund_agent(thread, first_name="Paul", last_name="Prestations")
    _service(thread.fund, "prestations").agents.add(agent)
    return agent


@pytest.fixture
def rights_agent(thread):
    agent = fund_agent(thread, first_name="Rita", last_name="Droits")
    _service(thread.fund, "carte-vitale-droits").agents.add(agent)
    return agent


def _client(agent) -> Client:
    return agent_login(Client(), agent)


# --- ECH15: each subject is routed to a service of the fund ------------------------------------


@pytest.mark.parametrize(
    ("subject", "code"),
    [
        (ThreadSubject.REIMBURSEMENT, "prestations"),
        (ThreadSubject.COMPLEMENTARY, "prestations"),
        (ThreadSubject.DAILY_ALLOWANCE, "indemnites-journalieres"),
        (ThreadSubject.RIGHTS, "carte-vitale-droits"),
        (ThreadSubject.CARTE_VITALE, "carte-vitale-droits"),
        (ThreadSubject.PERSONAL_DETAILS, "carte-vitale-droits"),
        (ThreadSubject.APPOINTMENT, "relations-assures"),
        (ThreadSubject.OTHER, "relations-assures"),
    ],
)
def test_ech15_a_new_thread_goes_to_the_service_of_its_subject(subject, code):
    extra = {"subject_other": "Mon dossier"} if subject == ThreadSubject.OTHER else {}
    thread = start_thread(InsuredUserFactory(), subject=subject, **extra)
    assert thread.service.code == code
    assert thread.service.fund_id == thread.fund_id


def test_ech15_a_fund_gets_the_default_services_once_and_keeps_its_own_routes():
    user = InsuredUserFactory()
    fund = user.person.family.fund
    assert not FundService.objects.filter(fund=fund).exists()
    start_thread(user)
    assert FundService.objects.filter(fund=fund).count() == len(rules.DEFAULT_SERVICES)
    assert SubjectRoute.objects.filter(fund=fund).count() == len(ThreadSubject.values)
    assert FundService.objects.get(fund=fund, is_default=True).code == rules.DEFAULT_SERVICE_CODE
    # The fund routes reimbursements to its own new service: the next thread goes there.
    own = FundService.objects.create(fund=fund, code="remboursements", name="Remboursements")
    SubjectRoute.objects.filter(fund=fund, subject=ThreadSubject.REIMBURSEMENT).update(service=own)
    services.fund_services_seed(fund=fund)
    assert FundService.objects.filter(fund=fund).count() == len(rules.DEFAULT_SERVICES) + 1
    assert start_thread(user).service == own
    # A subject whose route was removed goes to the default service.
    SubjectRoute.objects.filter(fund=fund, subject=ThreadSubject.RIGHTS).delete()
    assert start_thread(user, subject=ThreadSubject.RIGHTS).service.code == "relations-assures"


def test_ech15_another_funds_services_are_never_used():
    paris, rhone = InsuredUserFactory(), InsuredUserFactory()
    rhone.person.family.fund = FundFactory(code="691", name="Rhône")
    rhone.person.family.save()
    first, second = start_thread(paris), start_thread(rhone)
    assert first.service != second.service
    assert second.service.fund.code == "691"


# --- ECH16: agents attached to services; read within the fund, act within one's services ------


def test_ech16_an_agent_acts_only_on_the_threads_of_their_services(thread, rights_agent):
    for action in (
        lambda: services.thread_claim(agent=rights_agent, thread_id=thread.pk),
        lambda: services.thread_answer(agent=rights_agent, thread_id=thread.pk, body="Voici"),
        lambda: services.thread_note(agent=rights_agent, thread_id=thread.pk, body="Note"),
        lambda: services.thread_close(agent=rights_agent, thread_id=thread.pk),
        lambda: services.thread_transfer(
            agent=rights_agent,
            thread_id=thread.pk,
            service_id=_service(thread.fund, "carte-vitale-droits").pk,
        ),
    ):
        with pytest.raises(Refused) as refused:
            action()
        assert refused.value.code == "thread_other_service"
        assert "« Prestations »" in refused.value.message
    thread.refresh_from_db()
    assert thread.status == ThreadStatus.OPEN
    assert thread.assignee is None
    assert list(thread.messages.values_list("kind", flat=True)) == [MessageKind.INSURED]


def test_ech16_reopening_another_services_thread_is_refused(thread, benefits_agent, rights_agent):
    services.thread_close(agent=benefits_agent, thread_id=thread.pk)
    with pytest.raises(Refused) as refused:
        services.thread_reopen(agent=rights_agent, thread_id=thread.pk)
    assert refused.value.code == "thread_other_service"
    thread.refresh_from_db()
    assert thread.status == ThreadStatus.CLOSED


def test_ech16_the_services_agent_a_supervisor_and_an_unattached_agent_may_act(
    thread, benefits_agent
):
    supervisor = fund_agent(thread, agent_role="supervisor")
    unattached = fund_agent(thread)
    assert selectors.may_work_on(agent=benefits_agent, thread=thread)
    assert selectors.may_work_on(agent=supervisor, thread=thread)
    assert selectors.may_work_on(agent=unattached, thread=thread)
    services.thread_note(agent=unattached, thread_id=thread.pk, body="Vu")
    services.thread_note(agent=supervisor, thread_id=thread.pk, body="Vu aussi")
    services.thread_answer(agent=benefits_agent, thread_id=thread.pk, body="Voici")
    assert thread.messages.count() == 4


def test_ech16_another_services_thread_is_readable_not_actionable_on_the_page(thread, rights_agent):
    client = _client(rights_agent)
    page = client.get(reverse("agents:exchange_thread", args=[thread.pk]))
    assert page.status_code == 200
    text = page.content.decode()
    assert 'id="thread-other-service"' in text
    assert "Me l'attribuer" not in text
    assert 'id="exchange-note"' not in text
    assert 'id="exchange-answer"' not in text
    assert 'id="exchange-transfer"' not in text
    answer = client.post(reverse("agents:exchange_answer", args=[thread.pk]), {"body": "Voici"})
    assert "auquel vous n'êtes pas rattaché" in answer.content.decode()
    claim = client.post(reverse("agents:exchange_claim", args=[thread.pk]), follow=True)
    assert "auquel vous n'êtes pas rattaché" in claim.content.decode()
    thread.refresh_from_db()
    assert thread.status == ThreadStatus.OPEN
    assert not thread.messages.filter(kind=MessageKind.FUND).exists()


def test_ech16_the_inbox_shows_the_agents_services_by_default_and_filters_by_service(
    thread, benefits_agent, rights_agent
):
    rights = start_thread(InsuredUserFactory(person__last_name="Dubois"), subject="rights")
    client = _client(rights_agent)
    url = reverse("agents:exchange_inbox")
    page = client.get(url).content.decode()
    assert f"N° {rights.pk}<" in page
    assert f"N° {thread.pk}<" not in page
    assert "Vos services : Carte Vitale et droits." in page
    benefits = _service(thread.fund, "prestations")
    page = client.get(url, {"service": benefits.pk}).content.decode()
    assert f"N° {thread.pk}<" in page
    assert f"N° {rights.pk}<" not in page
    page = client.get(url, {"service": "tous"}).content.decode()
    assert f"N° {thread.pk}<" in page and f"N° {rights.pk}<" in page
    # A supervisor sees every service of the fund by default.
    supervisor = fund_agent(thread, agent_role="supervisor")
    page = _client(supervisor).get(url).content.decode()
    assert f"N° {thread.pk}<" in page and f"N° {rights.pk}<" in page


def test_ech16_another_funds_service_is_not_a_filter_choice(thread, benefits_agent):
    other = InsuredUserFactory()
    other.person.family.fund = FundFactory(code="691", name="Rhône")
    other.person.family.save()
    foreign = start_thread(other)
    page = _client(benefits_agent).get(
        reverse("agents:exchange_inbox"), {"service": foreign.service.pk}
    )
    text = page.content.decode()
    assert f"N° {foreign.pk}<" not in text
    assert f"N° {thread.pk}<" in text  # an invalid choice falls back to « Mes services »


def test_ech16_only_agents_of_the_services_fund_are_attached(thread):
    service = _service(thread.fund, "prestations")
    stranger = AgentFactory(agent_role="back_office", fund=FundFactory(code="691", name="Rhône"))
    colleague = fund_agent(thread)
    with pytest.raises(Refused) as refused:
        services.service_agents_set(service=service, agents=[colleague, stranger])
    assert refused.value.code == "agent_of_another_fund"
    assert not service.agents.exists()
    services.service_agents_set(service=service, agents=[colleague])
    assert list(service.agents.all()) == [colleague]
    form = FundServiceForm(
        {
            "fund": thread.fund.pk,
            "code": service.code,
            "name": service.name,
            "agents": [stranger.pk],
        },
        instance=service,
    )
    assert not form.is_valid()
    assert "pas de la caisse de ce service" in form.errors["agents"][0]


def test_ech16_an_agent_of_another_fund_attached_anyway_reaches_nothing(thread):
    """Even written to the table behind the admin's back, another fund's agent stays out."""
    stranger = AgentFactory(agent_role="back_office", fund=FundFactory(code="691", name="Rhône"))
    _service(thread.fund, "prestations").agents.add(stranger)
    with pytest.raises(type(thread).DoesNotExist):
        services.thread_claim(agent=stranger, thread_id=thread.pk)
    assert (
        f"N° {thread.pk}<"
        not in _client(stranger)
        .get(reverse("agents:exchange_inbox"), {"service": "tous"})
        .content.decode()
    )


# --- ECH17: transfer to another service --------------------------------------------------------


def test_ech17_a_transfer_moves_the_thread_keeps_the_due_date_and_leaves_a_trace(
    thread, benefits_agent, rights_agent
):
    due = thread.due_on
    services.thread_claim(agent=benefits_agent, thread_id=thread.pk)
    target = _service(thread.fund, "carte-vitale-droits")
    with time_machine.travel(THURSDAY + dt.timedelta(days=3), tick=False):
        services.thread_transfer(
            agent=benefits_agent,
            thread_id=thread.pk,
            service_id=target.pk,
            reason="Question sur l'attestation de droits",
        )
    thread.refresh_from_db()
    assert thread.service == target
    assert thread.status == ThreadStatus.OPEN
    assert thread.assignee is None
    assert thread.due_on == due
    log = thread.transitions.order_by("pk").last()
    assert (log.from_status, log.to_status) == (ThreadStatus.IN_PROGRESS, ThreadStatus.OPEN)
    assert log.from_service.code == "prestations"
    assert log.to_service == target
    assert log.by == benefits_agent
    note = thread.messages.get(kind=MessageKind.NOTE)
    assert note.body == (
        "Transfert du service « Prestations » au service « Carte Vitale et droits ». "
        "Motif : Question sur l'attestation de droits"
    )
    assert note.pk not in {m.pk for m in selectors.messages_for_insured(thread=thread)}
    # The new service's agent now works on it; the former one may only read it.
    services.thread_claim(agent=rights_agent, thread_id=thread.pk)
    with pytest.raises(Refused):
        services.thread_note(agent=benefits_agent, thread_id=thread.pk, body="Encore moi")


def test_ech17_an_open_thread_is_transferred_open_to_open(thread, benefits_agent):
    target = _service(thread.fund, "indemnites-journalieres")
    services.thread_transfer(agent=benefits_agent, thread_id=thread.pk, service_id=target.pk)
    log = thread.transitions.order_by("pk").last()
    assert (log.from_status, log.to_status) == (ThreadStatus.OPEN, ThreadStatus.OPEN)
    assert thread.messages.get(kind=MessageKind.NOTE).body.endswith("« Indemnités journalières ».")


def test_ech17_bad_transfers_are_refused_and_change_nothing(thread, benefits_agent):
    other_fund_user = InsuredUserFactory()
    other_fund_user.person.family.fund = FundFactory(code="691", name="Rhône")
    other_fund_user.person.family.save()
    foreign_service = start_thread(other_fund_user).service
    same = thread.service
    for service_id in (same.pk, foreign_service.pk, 999_999):
        with pytest.raises(Refused) as refused:
            services.thread_transfer(
                agent=benefits_agent, thread_id=thread.pk, service_id=service_id
            )
        assert refused.value.code == "unknown_service"
    with pytest.raises(Refused) as refused:
        services.thread_transfer(
            agent=benefits_agent,
            thread_id=thread.pk,
            service_id=_service(thread.fund, "carte-vitale-droits").pk,
            reason="x" * (rules.TRANSFER_REASON_MAX_LENGTH + 1),
        )
    assert refused.value.field == "reason"
    holder = fund_agent(thread)
    services.thread_claim(agent=holder, thread_id=thread.pk)
    with pytest.raises(Refused) as refused:
        services.thread_transfer(
            agent=benefits_agent,
            thread_id=thread.pk,
            service_id=_service(thread.fund, "carte-vitale-droits").pk,
        )
    assert refused.value.code == "thread_held_by_other"
    services.thread_close(agent=holder, thread_id=thread.pk)
    with pytest.raises(Refused) as refused:
        services.thread_transfer(
            agent=holder,
            thread_id=thread.pk,
            service_id=_service(thread.fund, "carte-vitale-droits").pk,
        )
    assert refused.value.code == "thread_transfer_closed"
    thread.refresh_from_db()
    assert thread.service == same
    assert not ThreadTransition.objects.filter(thread=thread, to_service__isnull=False).exists()
    assert not thread.messages.filter(kind=MessageKind.NOTE).exists()


def test_ech17_transfer_through_the_page_keeps_the_reason_on_error(thread, benefits_agent):
    client = _client(benefits_agent)
    url = reverse("agents:exchange_transfer", args=[thread.pk])
    page = client.get(reverse("agents:exchange_thread", args=[thread.pk])).content.decode()
    assert "Transférer à un autre service" in page
    assert ">Prestations<" not in page.split('id="exchange-transfer"')[1].split("</form>")[0]
    refused = client.post(url, {"service": "", "reason": "Pour les droits"})
    assert "Choisissez le service auquel transférer ce fil." in refused.content.decode()
    assert 'value="Pour les droits"' in refused.content.decode()
    target = _service(thread.fund, "carte-vitale-droits")
    done = client.post(url, {"service": target.pk, "reason": "Pour les droits"}, follow=True)
    text = done.content.decode()
    assert "transféré au service « Carte Vitale et droits »" in text
    assert "transféré de « Prestations » à « Carte Vitale et droits »" in text
    thread.refresh_from_db()
    assert thread.service == target


def test_ech17_the_supervisor_sees_the_backlog_per_service(thread, benefits_agent):
    start_thread(InsuredUserFactory(), subject="rights")
    services.thread_claim(agent=benefits_agent, thread_id=thread.pk)
    supervisor = fund_agent(thread, agent_role="supervisor")
    summary = selectors.backlog(agent=supervisor)
    loads = {
        row.service.code: (row.open, row.in_progress, row.overdue) for row in summary.by_service
    }
    assert loads == {
        "prestations": (0, 1, 1),  # written on THURSDAY: overdue today
        "carte-vitale-droits": (1, 0, 0),
        "indemnites-journalieres": (0, 0, 0),
        "relations-assures": (0, 0, 0),
    }
    page = _client(supervisor).get(reverse("agents:exchange_backlog")).content.decode()
    assert 'id="backlog-services"' in page
    assert "Carte Vitale et droits" in page


# --- Query budgets: exact, whatever the number of threads and services ------------------------

INBOX_QUERIES = 7
THREAD_QUERIES = 10


def test_the_inbox_costs_the_same_whatever_the_threads(
    thread, benefits_agent, django_assert_num_queries
):
    client = _client(benefits_agent)
    url = reverse("agents:exchange_inbox")
    with django_assert_num_queries(INBOX_QUERIES):
        assert client.get(url).status_code == 200
    for index, subject in enumerate(ThreadSubject.values * 2):
        extra = {"subject_other": "Mon dossier"} if subject == ThreadSubject.OTHER else {}
        more = start_thread(InsuredUserFactory(), subject=subject, **extra)
        supervisor = fund_agent(thread, agent_role="supervisor")
        services.thread_answer(agent=supervisor, thread_id=more.pk, body=f"Réponse {index}")
    for params in ({}, {"service": "tous"}, {"service": thread.service_id, "q": "rembours"}):
        with django_assert_num_queries(INBOX_QUERIES):
            assert client.get(url, params).status_code == 200


def test_a_thread_page_costs_the_same_after_transfers(
    thread, benefits_agent, django_assert_num_queries
):
    client = _client(benefits_agent)
    url = reverse("agents:exchange_thread", args=[thread.pk])
    with CaptureQueriesContext(connection) as first:
        assert client.get(url).status_code == 200
    supervisor = fund_agent(thread, agent_role="supervisor")
    for code in ("carte-vitale-droits", "relations-assures", "prestations"):
        services.thread_transfer(
            agent=supervisor, thread_id=thread.pk, service_id=_service(thread.fund, code).pk
        )
    with django_assert_num_queries(len(first)):
        assert client.get(url).status_code == 200
    assert len(first) == THREAD_QUERIES


def test_ech15_the_admin_edits_services_routes_and_agents(client, thread):
    admin_user = AgentFactory(supervisor=True, is_staff=True, is_superuser=True, fund=thread.fund)
    agent_login(client, admin_user)
    benefits = _service(thread.fund, "prestations")
    listing = client.get("/admin/exchanges/fundservice/")
    assert listing.status_code == 200 and "Carte Vitale et droits" in listing.content.decode()
    url = f"/admin/exchanges/fundservice/{benefits.pk}/change/"
    assert client.get(url).status_code == 200
    colleague = fund_agent(thread)
    stranger = AgentFactory(agent_role="back_office", fund=FundFactory(code="691", name="Rhône"))
    routes = list(benefits.routes.all())
    form = {
        "fund": thread.fund.pk,
        "code": benefits.code,
        "name": benefits.name,
        "agents": [colleague.pk, stranger.pk],
        "routes-TOTAL_FORMS": str(len(routes) + 1),
        "routes-INITIAL_FORMS": str(len(routes)),
        "routes-MIN_NUM_FORMS": "0",
        "routes-MAX_NUM_FORMS": "1000",
    }
    for index, route in enumerate(routes):
        form |= {
            f"routes-{index}-id": route.pk,
            f"routes-{index}-service": benefits.pk,
            f"routes-{index}-subject": route.subject,
        }
    # « Carte Vitale » is « Carte Vitale et droits »'s: refused, as is the other fund's agent.
    form |= {
        f"routes-{len(routes)}-service": benefits.pk,
        f"routes-{len(routes)}-subject": ThreadSubject.CARTE_VITALE,
    }
    refused = client.post(url, form)
    assert refused.status_code == 200
    text = refused.content.decode()
    assert "est déjà aiguillé vers un autre service" in text
    assert "pas de la caisse de ce service" in text
    form["agents"] = [colleague.pk]
    form[f"routes-{len(routes)}-subject"] = ThreadSubject.APPOINTMENT
    SubjectRoute.objects.filter(fund=thread.fund, subject=ThreadSubject.APPOINTMENT).delete()
    assert client.post(url, form).status_code == 302
    assert list(benefits.agents.all()) == [colleague]
    assert (
        SubjectRoute.objects.get(fund=thread.fund, subject=ThreadSubject.APPOINTMENT).service
        == benefits
    )
