"""The rules of the « Espace d'échanges » (ECH1–ECH17, docs/decisions/exchanges.md): limits,
the answer delay, the status machine, the fund's services, and the refusals every interface
shows as they are."""

import datetime as dt

from guichet.cards.uploads import MAX_UPLOAD_BYTES
from guichet.core import clock, workdays
from guichet.core.refusals import Refusal
from guichet.core.transitions import StateMachine
from guichet.exchanges.enums import ThreadStatus, ThreadSubject
from guichet.exchanges.models import ThreadTransition

# ECH2: a message's length.
BODY_MIN_LENGTH = 2
BODY_MAX_LENGTH = 5000
# ECH1: the free subject of « Autre ».
OTHER_SUBJECT_MIN_LENGTH = 3
OTHER_SUBJECT_MAX_LENGTH = 100
# ECH3: up to 3 attachments of 5 Mo each (the card uploads' limit), 10 Mo in all per message.
MAX_ATTACHMENTS = 3
MAX_ATTACHMENT_BYTES = MAX_UPLOAD_BYTES
MAX_TOTAL_ATTACHMENT_BYTES = 10 * 1024 * 1024
# ECH13: the insured's attachments per person and calendar day (Europe/Paris), and ECH14 per
# thread, counted in the database from the stored (cleaned) files.
ATTACHMENT_BYTES_PER_DAY = 30 * 1024 * 1024
ATTACHMENT_BYTES_PER_THREAD = 50 * 1024 * 1024
# ECH4: messages an insured person writes to the fund per calendar day (Europe/Paris).
MESSAGES_PER_DAY = 10
# ECH6: the fund answers within 10 working days of the oldest unanswered message.
ANSWER_DELAY_WORKING_DAYS = 10

# ECH15: the services a fund gets when it has none yet (code, name, subjects routed to it);
# the default service (the last one) receives every subject without a route. Each fund then
# edits its own in the admin.
DEFAULT_SERVICES: tuple[tuple[str, str, tuple[ThreadSubject, ...]], ...] = (
    ("prestations", "Prestations", (ThreadSubject.REIMBURSEMENT, ThreadSubject.COMPLEMENTARY)),
    ("indemnites-journalieres", "Indemnités journalières", (ThreadSubject.DAILY_ALLOWANCE,)),
    (
        "carte-vitale-droits",
        "Carte Vitale et droits",
        (ThreadSubject.RIGHTS, ThreadSubject.CARTE_VITALE, ThreadSubject.PERSONAL_DETAILS),
    ),
    (
        "relations-assures",
        "Relations avec les assurés",
        (ThreadSubject.APPOINTMENT, ThreadSubject.OTHER),
    ),
)
DEFAULT_SERVICE_CODE = "relations-assures"
# ECH17: the reason an agent may give for a transfer.
TRANSFER_REASON_MAX_LENGTH = 300

# ECH7, ECH17: OPEN → OPEN is a transfer to another service, the only move that keeps the
# status (release and reopen check their own source state).
THREAD_MACHINE = StateMachine(
    {
        "": {ThreadStatus.OPEN},
        ThreadStatus.OPEN: {ThreadStatus.OPEN, ThreadStatus.IN_PROGRESS, ThreadStatus.CLOSED},
        ThreadStatus.IN_PROGRESS: {ThreadStatus.OPEN, ThreadStatus.CLOSED},
        ThreadStatus.CLOSED: {ThreadStatus.OPEN},
    },
    log=ThreadTransition,
    stale=Refusal(
        "thread_stale",
        "Ce fil d'échanges vient d'être pris en charge par un autre agent ou a changé de "
        "statut. Rechargez la page pour le voir.",
    ),
)

OTHER_SUBJECT_MISSING = Refusal(
    "other_subject_missing",
    "Vous avez choisi « Autre » : précisez l'objet de votre message.",
    field="subject_other",
)
TOO_MANY_ATTACHMENTS = Refusal(
    "too_many_attachments",
    f"Vous pouvez joindre au plus {MAX_ATTACHMENTS} fichiers à un message.",
    field="attachments",
)
ATTACHMENTS_TOO_LARGE = Refusal(
    "attachments_too_large",
    "Les pièces jointes d'un message ne doivent pas dépasser 10 Mo en tout : retirez-en une "
    "ou réduisez leur taille.",
    field="attachments",
)
UNKNOWN_DEMARCHE = Refusal(
    "unknown_demarche",
    "Cette démarche ne fait pas partie des vôtres : choisissez-en une dans la liste.",
    field="demarche",
)
NOT_HELD = Refusal(
    "thread_held_by_other",
    "Ce fil d'échanges est pris en charge par un autre agent : lui seul peut y répondre.",
)
CLOSED_FOR_AGENT = Refusal(
    "thread_closed",
    "Ce fil d'échanges est clôturé : rouvrez-le pour y répondre.",
)
NOT_ALLOWED = Refusal(
    "thread_move_not_allowed",
    "Ce fil d'échanges ne peut pas changer ainsi de statut.",
)


TRANSFER_CLOSED = Refusal(
    "thread_transfer_closed",
    "Ce fil d'échanges est clôturé : rouvrez-le avant de le transférer.",
)
UNKNOWN_SERVICE = Refusal(
    "unknown_service",
    "Choisissez un autre service de votre caisse dans la liste.",
    field="service",
)


def other_service_refusal(*, service_name: str) -> Refusal:
    """ECH16: an agent reads every thread of their fund but acts only on their services'."""
    return Refusal(
        "thread_other_service",
        f"Ce fil d'échanges relève du service « {service_name} », auquel vous n'êtes pas "
        "rattaché : vous pouvez le lire, pas y agir. Demandez à un agent de ce service ou à "
        "votre superviseur.",
    )


def may_work_in(*, is_supervisor: bool, agent_services: frozenset[int], service_id: int) -> bool:
    """ECH16: supervisors work in every service of their fund; an agent attached to services
    works in those only; an agent attached to none works in the whole fund (a small fund, or
    a newcomer not attached yet)."""
    return is_supervisor or not agent_services or service_id in agent_services


def daily_limit_refusal(*, sent_today: int) -> Refusal | None:
    """ECH4: at most MESSAGES_PER_DAY messages per insured person and calendar day."""
    if sent_today < MESSAGES_PER_DAY:
        return None
    tomorrow = clock.end_of_day(clock.today()) + dt.timedelta(microseconds=1)
    return Refusal(
        "daily_limit",
        f"Vous avez déjà envoyé {MESSAGES_PER_DAY} messages aujourd'hui, le maximum par jour. "
        "Vous pourrez écrire de nouveau à votre caisse demain ; en cas d'urgence, appelez le "
        "3646.",
        retry_after=tomorrow - clock.now(),
    )


def attachments_refusal(*, count: int, total_bytes: int) -> Refusal | None:
    """ECH3: how many files, and their size in all (each file's own size, type and pixels
    are checked when it is cleaned: cards.uploads)."""
    if count > MAX_ATTACHMENTS:
        return TOO_MANY_ATTACHMENTS
    if total_bytes > MAX_TOTAL_ATTACHMENT_BYTES:
        return ATTACHMENTS_TOO_LARGE
    return None


def _megabytes(size: int) -> str:
    """A size in Mo as a French reader writes it: « 12,5 Mo »."""
    return f"{size / (1024 * 1024):.1f}".replace(".", ",").removesuffix(",0") + " Mo"


def daily_attachments_refusal(*, sent_today_bytes: int, new_bytes: int) -> Refusal | None:
    """ECH13: at most 30 Mo of attachments per insured person and calendar day."""
    if not new_bytes or sent_today_bytes + new_bytes <= ATTACHMENT_BYTES_PER_DAY:
        return None
    left = max(ATTACHMENT_BYTES_PER_DAY - sent_today_bytes, 0)
    return Refusal(
        "daily_attachments_limit",
        f"Vous avez déjà envoyé {_megabytes(sent_today_bytes)} de pièces jointes aujourd'hui, "
        f"sur {_megabytes(ATTACHMENT_BYTES_PER_DAY)} au plus par jour : il vous reste "
        f"{_megabytes(left)}. Retirez ou réduisez vos fichiers, ou joignez-les demain.",
        field="attachments",
    )


def thread_attachments_refusal(*, thread_bytes: int, new_bytes: int) -> Refusal | None:
    """ECH14: at most 50 Mo of the insured's attachments in one thread."""
    if not new_bytes or thread_bytes + new_bytes <= ATTACHMENT_BYTES_PER_THREAD:
        return None
    left = max(ATTACHMENT_BYTES_PER_THREAD - thread_bytes, 0)
    return Refusal(
        "thread_attachments_limit",
        f"Vos pièces jointes dans ce fil d'échanges atteignent déjà {_megabytes(thread_bytes)}, "
        f"sur {_megabytes(ATTACHMENT_BYTES_PER_THREAD)} au plus par fil : il vous reste "
        f"{_megabytes(left)}. Retirez ou réduisez vos fichiers, ou envoyez-les dans un nouveau "
        "message depuis « Écrire à ma caisse ».",
        field="attachments",
    )


def answer_due_on(*, since: dt.datetime) -> dt.date:
    """ECH6: the date the fund answers by, 10 working days after the day of the message."""
    day = since.astimezone(clock.PARIS).date()
    return workdays.add_working_days(day, ANSWER_DELAY_WORKING_DAYS)


def waiting_working_days(*, since: dt.datetime) -> int:
    """ECH6: the answer delay shown to agents, in working days since the message."""
    return workdays.working_days_between(since.astimezone(clock.PARIS).date(), clock.today())
