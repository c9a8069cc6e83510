"""Reads of the « Espace d'échanges »: the insured's threads, the fund's inbox, the backlog.

The insured reaches only the threads of their own account; an agent only those of their own
fund, for back office and supervisors (rule ECH11, docs/decisions/security-agents-scope.md),
every service of it to read, their own services' to act on (ECH16).
Anything else is None or empty: the pages answer 404, as if it did not exist. The fund's
internal notes never leave the agents' selectors (rule ECH8).
"""

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Count, Exists, F, Min, OuterRef, Prefetch, Q, QuerySet, Sum

from guichet.accounts.enums import AgentRole
from guichet.accounts.models import User
from guichet.accounts.rules import BACK_OFFICE_ROLES, agent_fund_id
from guichet.appointments.models import Appointment
from guichet.cards.enums import OrderStatus
from guichet.cards.models import CardOrder
from guichet.ceam.models import CeamOrder
from guichet.complementary.models import Conflict
from guichet.core import clock
from guichet.exchanges import rules
from guichet.exchanges.enums import MessageKind, ThreadStatus, ThreadSubject
from guichet.exchanges.models import Attachment, FundService, SubjectRoute, Thread, ThreadMessage
from guichet.notifications.models import Notification
from guichet.reference.models import Fund, Person
from guichet.situation.models import BankDetailsChange, NewbornDeclaration, UsageNameChange

# --- The insured's démarches a thread may be about ----------------------------------------


@dataclass(frozen=True)
class Demarche:
    """One démarche of the family, as a choice of the form: « <kind>:<id> » and a label."""

    key: str
    label: str
    subject: ThreadSubject
    model: type
    pk: int

    @property
    def ref(self) -> "DemarcheRef":
        return (ContentType.objects.get_for_model(self.model).pk, self.pk)


_DEMARCHE_LIMIT = 20  # the latest of each kind


def demarche_key_of(record: models.Model) -> str:
    """The « <kind>:<id> » of a démarche's record, as « Écrire à ma caisse » names it
    (« ?demarche=… » from the démarche's own page, ECH5)."""
    return f"{record._meta.model_name}:{record.pk}"


def demarches_for(*, person: Person) -> list[Demarche]:
    """The family's démarches a message may be about: carte Vitale orders (not drafts), CEAM
    orders, the complementary overlaps (O1) and the appointments, the latest first."""
    family_id = person.family_id
    found: list[Demarche] = []
    orders = (
        CardOrder.objects.filter(beneficiary__family_id=family_id)
        .exclude(status=OrderStatus.DRAFT)
        .select_related("beneficiary")
        .order_by("-created_at")[:_DEMARCHE_LIMIT]
    )
    for order in orders:
        found.append(
            Demarche(
                demarche_key_of(order),
                f"Commande de carte Vitale {order.reference} pour {order.beneficiary.given_name}"
                f" ({order.get_status_display().lower()})",
                ThreadSubject.CARTE_VITALE,
                CardOrder,
                order.pk,
            )
        )
    ceam_orders = (
        CeamOrder.objects.filter(beneficiary__family_id=family_id)
        .select_related("beneficiary")
        .order_by("-ordered_at", "-pk")[:_DEMARCHE_LIMIT]
    )
    for ceam in ceam_orders:
        found.append(
            Demarche(
                demarche_key_of(ceam),
                f"Commande de CEAM {ceam.reference} pour {ceam.beneficiary.given_name}"
                f" ({ceam.get_status_display().lower()})",
                ThreadSubject.RIGHTS,
                CeamOrder,
                ceam.pk,
            )
        )
    conflicts = (
        Conflict.objects.filter(family_id=family_id)
        .select_related("person")
        .order_by("-pk")[:_DEMARCHE_LIMIT]
    )
    for conflict in conflicts:
        found.append(
            Demarche(
                demarche_key_of(conflict),
                f"Choix de l'organisme complémentaire de {conflict.person.given_name}",
                ThreadSubject.COMPLEMENTARY,
                Conflict,
                conflict.pk,
            )
        )
    appointments = (
        Appointment.objects.filter(person__family_id=family_id)
        .select_related("motif")
        .order_by("-start")[:_DEMARCHE_LIMIT]
    )
    for appointment in appointments:
        start = appointment.start.astimezone(clock.PARIS)
        found.append(
            Demarche(
                demarche_key_of(appointment),
                f"Rendez-vous du {start:%d/%m/%Y} à {start:%H:%M} ({appointment.motif})",
                ThreadSubject.APPOINTMENT,
                Appointment,
                appointment.pk,
            )
        )
    found.extend(_situation_demarches(family_id))
    return found


def _situation_demarches(family_id: int) -> list[Demarche]:
    """The family's « Déclarer un changement de situation » requests that an agent checks
    (bank details, usage name, newborn): the postal address is changed at once (SIT2) and
    leaves no request to be about."""
    found: list[Demarche] = []
    for change in BankDetailsChange.objects.filter(person__family_id=family_id).order_by(
        "-requested_at", "-pk"
    )[:_DEMARCHE_LIMIT]:
        found.append(
            Demarche(
                demarche_key_of(change),
                f"Changement de coordonnées bancaires du {_day(change.requested_at)}"
                f" ({change.get_status_display().lower()})",
                ThreadSubject.PERSONAL_DETAILS,
                BankDetailsChange,
                change.pk,
            )
        )
    for name_change in (
        UsageNameChange.objects.filter(person__family_id=family_id)
        .select_related("person")
        .order_by("-requested_at", "-pk")[:_DEMARCHE_LIMIT]
    ):
        found.append(
            Demarche(
                demarche_key_of(name_change),
                f"Changement de nom d'usage de {name_change.person.given_name} du "
                f"{_day(name_change.requested_at)} ({name_change.get_status_display().lower()})",
                ThreadSubject.PERSONAL_DETAILS,
                UsageNameChange,
                name_change.pk,
            )
        )
    for declaration in NewbornDeclaration.objects.filter(parent__family_id=family_id).order_by(
        "-requested_at", "-pk"
    )[:_DEMARCHE_LIMIT]:
        found.append(
            Demarche(
                demarche_key_of(declaration),
                f"Déclaration de naissance de {declaration.first_names.split()[0]} du "
                f"{_day(declaration.requested_at)} ({declaration.get_status_display().lower()})",
                ThreadSubject.PERSONAL_DETAILS,
                NewbornDeclaration,
                declaration.pk,
            )
        )
    return found


def _day(moment: dt.datetime) -> str:
    return f"{moment.astimezone(clock.PARIS):%d/%m/%Y}"


def demarche_for(*, person: Person, key: str) -> Demarche | None:
    """The family's démarche of that key, or None (another family's, or none at all)."""
    return next((d for d in demarches_for(person=person) if d.key == key), None)


def latest_demarche(*, person: Person, subject: ThreadSubject) -> Demarche | None:
    """The family's latest démarche of one subject, to write about it from its own page (the
    complementary overlap's « contactez votre caisse dans Ma messagerie »)."""
    return next((d for d in demarches_for(person=person) if d.subject == subject), None)


def demarche_key(*, thread: Thread) -> str:
    if thread.about_type_id is None:
        return ""
    return f"{ContentType.objects.get_for_id(thread.about_type_id).model}:{thread.about_id}"


DemarcheRef = tuple[int, int]  # (content type id, record id)


def demarche_ref_of(record: models.Model) -> DemarcheRef:
    return (ContentType.objects.get_for_model(record).pk, record.pk)


def threads_about(*, user: User, refs: Iterable[DemarcheRef]) -> dict[DemarcheRef, list[Thread]]:
    """The account's threads about each of these démarches, the latest activity first (ECH5):
    one query whatever the number of démarches, for a tracking page or the notices of Accueil.
    A démarche without a thread is not in the result."""
    wanted = set(refs)
    found: dict[DemarcheRef, list[Thread]] = {}
    if not wanted:
        return found
    matches = Q()
    for type_id, record_id in sorted(wanted):
        matches |= Q(about_type_id=type_id, about_id=record_id)
    for thread in Thread.objects.filter(matches, account=user).order_by("-last_message_at", "-id"):
        found.setdefault((thread.about_type_id, thread.about_id), []).append(thread)
    return found


def notices_with_threads(
    *, user: User, notices: Sequence[Notification]
) -> list[tuple[Notification, Thread | None]]:
    """Each notice with the latest thread about its démarche, if any (« Voir l'échange »)."""
    refs = [(n.about_type_id, n.about_id) for n in notices if n.about_type_id and n.about_id]
    threads = threads_about(user=user, refs=refs)
    return [
        (notice, next(iter(threads.get((notice.about_type_id, notice.about_id), [])), None))
        for notice in notices
    ]


# --- The insured's side ---------------------------------------------------------------------


def threads_for_insured(*, user: User) -> QuerySet[Thread]:
    """The account's threads, the latest activity first, each with its unread answers counted
    (one query whatever the number of threads and messages)."""
    return (
        Thread.objects.filter(account=user)
        .annotate(
            unread=Count(
                "messages",
                filter=Q(messages__kind=MessageKind.FUND, messages__read_at__isnull=True),
            )
        )
        .order_by("-last_message_at", "-id")
    )


def thread_for_insured(*, user: User, thread_id: int) -> Thread | None:
    return Thread.objects.filter(account=user, pk=thread_id).select_related("fund").first()


def messages_for_insured(*, thread: Thread) -> list[ThreadMessage]:
    """What the insured sees of a thread: their messages and the fund's answers, never the
    internal notes (ECH8), with their attachments."""
    return list(
        thread.messages.exclude(kind=MessageKind.NOTE).prefetch_related(
            Prefetch("attachments", queryset=Attachment.objects.order_by("id"))
        )
    )


def attachment_for_insured(*, user: User, attachment_id: int) -> Attachment | None:
    """An attachment of one of the account's threads, never one of a note (ECH12)."""
    return (
        Attachment.objects.filter(pk=attachment_id, message__thread__account=user)
        .exclude(message__kind=MessageKind.NOTE)
        .first()
    )


def sent_today(*, person: Person) -> int:
    """ECH4: the messages the person wrote to the fund today (Europe/Paris)."""
    start = clock.end_of_day(clock.today() - dt.timedelta(days=1))
    return ThreadMessage.objects.filter(
        thread__insured=person, kind=MessageKind.INSURED, created_at__gt=start
    ).count()


def _insured_attachment_bytes(**filters: object) -> int:
    return (
        Attachment.objects.filter(message__kind=MessageKind.INSURED, **filters).aggregate(
            total=Sum("size")
        )["total"]
        or 0
    )


def attachment_bytes_today(*, person: Person) -> int:
    """ECH13: the size of the attachments the person sent today (Europe/Paris), stored sizes."""
    start = clock.end_of_day(clock.today() - dt.timedelta(days=1))
    return _insured_attachment_bytes(message__thread__insured=person, message__created_at__gt=start)


def attachment_bytes_in_thread(*, thread: Thread) -> int:
    """ECH14: the size of the insured's attachments in the thread."""
    return _insured_attachment_bytes(message__thread=thread)


# --- The fund's services (ECH15, ECH16) ------------------------------------------------------


def service_for(*, fund: Fund, subject: str) -> FundService | None:
    """ECH15: the service the fund routes the subject to, else its default service."""
    route = SubjectRoute.objects.filter(fund=fund, subject=subject).select_related("service")
    found = route.first()
    if found is not None:
        return found.service
    return FundService.objects.filter(fund=fund, is_default=True).first()


def agent_service_ids(*, agent: User) -> frozenset[int]:
    """The services of their own fund the agent is attached to (ECH16)."""
    return frozenset(
        FundService.objects.filter(agents=agent, fund_id=agent.fund_id).values_list("pk", flat=True)
    )


def may_work_on(*, agent: User, thread: Thread) -> bool:
    """ECH16: may the agent act on this thread of their fund (its service is theirs)?"""
    return rules.may_work_in(
        is_supervisor=agent.agent_role == AgentRole.SUPERVISOR,
        agent_services=agent_service_ids(agent=agent),
        service_id=thread.service_id,
    )


def services_for_agent(*, agent: User) -> list[FundService]:
    """The services of the agent's fund, each with ``mine`` (the agent is attached to it), in
    one query: the inbox's filter and its default (ECH16)."""
    fund_id = agent_fund_id(agent, roles=BACK_OFFICE_ROLES)
    if fund_id is None:
        return []
    attached = FundService.agents.through.objects.filter(
        fundservice_id=OuterRef("pk"), user_id=agent.pk
    )
    return list(FundService.objects.filter(fund_id=fund_id).annotate(mine=Exists(attached)))


def default_inbox_services(*, agent: User, services: Sequence[FundService]) -> list[int] | None:
    """ECH16: the services an agent's inbox shows unless filtered: their own, or every one
    (None) for a supervisor or an agent attached to none."""
    if agent.agent_role == AgentRole.SUPERVISOR:
        return None
    mine = [service.pk for service in services if getattr(service, "mine", False)]
    return mine or None


# --- The fund's side ------------------------------------------------------------------------


def threads_for_agent(*, agent: User) -> QuerySet[Thread]:
    """The threads of the agent's fund (back office and supervisors only), else none."""
    fund_id = agent_fund_id(agent, roles=BACK_OFFICE_ROLES)
    if fund_id is None:
        return Thread.objects.none()
    return Thread.objects.filter(fund_id=fund_id)


def _unread_by_fund() -> Exists:
    return Exists(
        ThreadMessage.objects.filter(
            thread=OuterRef("pk"), kind=MessageKind.INSURED, read_at__isnull=True
        )
    )


def _matching_subjects(query: str) -> list[str]:
    lowered = query.lower()
    return [value for value, label in ThreadSubject.choices if lowered in label.lower()]


def agent_inbox(
    *,
    agent: User,
    status: str = "",
    mine: bool = False,
    query: str = "",
    services: Sequence[int] | None = None,
) -> QuerySet[Thread]:
    """The fund's inbox: threads still to answer first by due date, then the others by latest
    activity; filtered by service (None: every service of the fund, ECH16), by status, by
    « mine », and searched by NIR or subject (ECH11)."""
    threads = threads_for_agent(agent=agent)
    if services is not None:
        threads = threads.filter(service_id__in=services)
    if status in ThreadStatus.values:
        threads = threads.filter(status=status)
    if mine:
        threads = threads.filter(assignee=agent)
    query = query.strip()
    if query:
        digits = query.replace(" ", "")
        if digits.isdigit():
            threads = threads.filter(insured__nir__startswith=digits)
        else:
            threads = threads.filter(
                Q(subject_other__icontains=query)
                | Q(subject__in=_matching_subjects(query), subject_other="")
            )
    return (
        threads.select_related("insured", "assignee", "service")
        .annotate(unread=_unread_by_fund())
        .order_by(F("due_on").asc(nulls_last=True), "-last_message_at", "-id")
    )


def thread_for_agent(*, agent: User, thread_id: int) -> Thread | None:
    return (
        threads_for_agent(agent=agent)
        .select_related("insured", "assignee", "fund", "account", "service")
        .filter(pk=thread_id)
        .first()
    )


def messages_for_agent(*, thread: Thread) -> list[ThreadMessage]:
    """Every message of the thread, notes included, with authors and attachments."""
    return list(
        thread.messages.select_related("author", "read_by").prefetch_related(
            Prefetch("attachments", queryset=Attachment.objects.order_by("id"))
        )
    )


def attachment_for_agent(*, agent: User, attachment_id: int) -> Attachment | None:
    fund_id = agent_fund_id(agent, roles=BACK_OFFICE_ROLES)
    if fund_id is None:
        return None
    return Attachment.objects.filter(pk=attachment_id, message__thread__fund_id=fund_id).first()


def unread_threads_for_fund(*, agent: User) -> int:
    """The fund's side of « lu » (ECH10): threads with a message of the insured no agent has
    opened yet."""
    return (
        threads_for_agent(agent=agent)
        .exclude(status=ThreadStatus.CLOSED)
        .filter(_unread_by_fund())
        .count()
    )


@dataclass(frozen=True)
class AssigneeLoad:
    agent: User | None
    in_progress: int
    overdue: int


@dataclass(frozen=True)
class ServiceLoad:
    service: FundService
    open: int
    in_progress: int
    overdue: int


@dataclass(frozen=True)
class Backlog:
    open: int
    in_progress: int
    awaiting: int
    overdue: int
    oldest_awaiting: dt.datetime | None
    by_assignee: list[AssigneeLoad]
    by_service: list[ServiceLoad]


def backlog(*, agent: User) -> Backlog:
    """The supervisor's view of the fund's backlog (ECH11, ECH16): counts by status, threads
    waiting for an answer and overdue, each agent's load and each service's, in three grouped
    queries (and one for the agents' names)."""
    today = clock.today()
    live = threads_for_agent(agent=agent).exclude(status=ThreadStatus.CLOSED)
    totals = live.aggregate(
        open=Count("pk", filter=Q(status=ThreadStatus.OPEN)),
        in_progress=Count("pk", filter=Q(status=ThreadStatus.IN_PROGRESS)),
        awaiting=Count("pk", filter=Q(awaiting_since__isnull=False)),
        overdue=Count("pk", filter=Q(due_on__lt=today)),
        oldest=Min("awaiting_since"),
    )
    rows = (
        live.filter(status=ThreadStatus.IN_PROGRESS)
        .values("assignee")
        .annotate(n=Count("pk"), late=Count("pk", filter=Q(due_on__lt=today)))
        .order_by("-n")
    )
    rows = list(rows)
    agents = User.objects.in_bulk([row["assignee"] for row in rows])
    live_in = Q(threads__status__in=[ThreadStatus.OPEN, ThreadStatus.IN_PROGRESS])
    services = FundService.objects.filter(fund_id=agent_fund_id(agent, roles=BACK_OFFICE_ROLES))
    services = services.annotate(
        n_open=Count("threads", filter=Q(threads__status=ThreadStatus.OPEN)),
        n_in_progress=Count("threads", filter=Q(threads__status=ThreadStatus.IN_PROGRESS)),
        n_overdue=Count("threads", filter=live_in & Q(threads__due_on__lt=today)),
    )
    return Backlog(
        open=totals["open"],
        in_progress=totals["in_progress"],
        awaiting=totals["awaiting"],
        overdue=totals["overdue"],
        oldest_awaiting=totals["oldest"],
        by_assignee=[
            AssigneeLoad(agents.get(row["assignee"]), row["n"], row["late"]) for row in rows
        ],
        by_service=[
            ServiceLoad(service, service.n_open, service.n_in_progress, service.n_overdue)
            for service in services
        ],
    )
