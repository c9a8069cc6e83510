"""Writes of the « Espace d'échanges »: the insured writes, the fund answers (issue 19).

Every service checks every rule of its step itself (ECH1–ECH14), whoever calls it (the web
pages, the agents' pages, the API) and raises `Refused` with the rule's refusal; a thread or
attachment outside the caller's scope raises `Thread.DoesNotExist` (the interfaces answer 404).
Status changes go through the one mover, `rules.THREAD_MACHINE` (a conditional UPDATE and a
log row). Files are checked and cleaned as the card uploads are (cards.uploads) and stored
through the storage API.
"""

import re
from collections.abc import Sequence
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction

from guichet.accounts.enums import AgentRole
from guichet.accounts.models import User
from guichet.cards.uploads import JPEG, PNG, CleanFile, UploadRejected, clean_image_or_pdf
from guichet.core import clock
from guichet.core.refusals import Refusal, Refused, refuse
from guichet.exchanges import notifications, rules, selectors, validators
from guichet.exchanges.enums import MessageKind, ThreadStatus, ThreadSubject
from guichet.exchanges.models import (
    Attachment,
    FundService,
    SubjectRoute,
    Thread,
    ThreadMessage,
)
from guichet.reference.models import Fund, Person
from guichet.reference.validators import normalize_text

UNSUPPORTED_ATTACHMENT = (
    "Une pièce jointe doit être un fichier PDF, JPEG ou PNG (le contenu du fichier ne "
    "correspond pas à ces formats)."
)
UNKNOWN_SUBJECT = Refusal(
    "unknown_subject", "Choisissez l'objet de votre message dans la liste.", field="subject"
)
NOT_INSURED = Refusal("not_insured", "Seul un assuré peut écrire à sa caisse.")
_UNSAFE_NAME = re.compile(r"[^A-Za-z0-9À-ÿ _.-]+")


def _field_refusal(error: ValidationError, *, code: str, field: str) -> Refused:
    return Refused(Refusal(code, " ".join(error.messages), field=field))


def _checked_body(body: str) -> str:
    try:
        validators.validate_body(body)
    except ValidationError as error:
        raise _field_refusal(error, code="invalid_body", field="body") from error
    return normalize_text(body)


def _display_name(upload: UploadedFile, index: int, clean: CleanFile) -> str:
    """The name shown for a file: the sender's own, made safe, with the stored extension."""
    stem = (upload.name or "").rsplit("/", 1)[-1].rsplit("\\", 1)[-1].rsplit(".", 1)[0]
    stem = _UNSAFE_NAME.sub("_", normalize_text(stem)).strip(" ._")[:60]
    return f"{stem or f'piece-jointe-{index}'}.{clean.extension}"


def _cleaned(uploads: Sequence[UploadedFile]) -> list[tuple[str, CleanFile]]:
    """ECH3: at most 3 files, 10 Mo in all, each a PDF, JPEG or PNG checked by its content
    and re-encoded (5 Mo and the pixel budget each: cards.uploads)."""
    refuse(
        rules.attachments_refusal(
            count=len(uploads), total_bytes=sum(upload.size or 0 for upload in uploads)
        )
    )
    cleaned = []
    for index, upload in enumerate(uploads, start=1):
        try:
            clean = clean_image_or_pdf(
                upload, images=frozenset({JPEG, PNG}), unsupported=UNSUPPORTED_ATTACHMENT
            )
        except UploadRejected as rejected:
            raise Refused(
                Refusal(
                    "attachment_rejected",
                    f"Pièce jointe n° {index} : {rejected}",
                    field="attachments",
                )
            ) from rejected
        cleaned.append((_display_name(upload, index, clean), clean))
    return cleaned


def _post(
    *,
    thread: Thread,
    kind: MessageKind,
    author: User,
    body: str,
    files: Sequence[tuple[str, CleanFile]] = (),
) -> ThreadMessage:
    now = clock.now()
    message = ThreadMessage.objects.create(
        thread=thread,
        kind=kind,
        author=author,
        recipient=thread.account if kind == MessageKind.FUND else None,
        body=body,
        created_at=now,
    )
    for name, clean in files:
        attachment = Attachment(
            message=message, content_type=clean.content_type, size=len(clean.content), name=name
        )
        attachment.file.save(f"piece.{clean.extension}", ContentFile(clean.content), save=False)
        attachment.save()
    return message


def _insured_person(user: User) -> Person:
    person = getattr(user, "person", None)
    if person is None or getattr(user, "is_agent", False):
        raise Refused(NOT_INSURED)
    return person


def _check_daily_limit(person: Person) -> None:
    """ECH4, counted in the database with the person's row locked, so that two requests at
    once cannot both pass the limit (and a refused or failed message counts nothing)."""
    Person.objects.select_for_update().filter(pk=person.pk).first()
    refuse(rules.daily_limit_refusal(sent_today=selectors.sent_today(person=person)))


def _check_attachment_totals(
    person: Person, files: Sequence[tuple[str, CleanFile]], thread: Thread | None = None
) -> None:
    """ECH13 and ECH14, on the cleaned files' sizes (what is stored), counted in the database
    under the person's lock taken by _check_daily_limit: two messages at once cannot both
    pass, and a refused message counts nothing."""
    new_bytes = sum(len(clean.content) for _, clean in files)
    if not new_bytes:
        return
    refuse(
        rules.daily_attachments_refusal(
            sent_today_bytes=selectors.attachment_bytes_today(person=person), new_bytes=new_bytes
        )
    )
    if thread is not None:
        refuse(
            rules.thread_attachments_refusal(
                thread_bytes=selectors.attachment_bytes_in_thread(thread=thread),
                new_bytes=new_bytes,
            )
        )


def _await_answer(thread: Thread, since) -> None:
    """ECH6: the oldest unanswered message of the insured starts the delay."""
    if thread.awaiting_since is None:
        thread.awaiting_since = since
        thread.due_on = rules.answer_due_on(since=since)


# --- The fund's services (ECH15, ECH16) ------------------------------------------------------


@transaction.atomic
def fund_services_seed(*, fund: Fund) -> list[FundService]:
    """Give a fund the default services and routes it lacks (rules.DEFAULT_SERVICES), without
    changing what the fund already set: idempotent, and run for every fund by the migration."""
    services = []
    has_default = FundService.objects.filter(fund=fund, is_default=True).exists()
    for code, name, subjects in rules.DEFAULT_SERVICES:
        service, _ = FundService.objects.get_or_create(
            fund=fund,
            code=code,
            defaults={
                "name": name,
                "is_default": not has_default and code == rules.DEFAULT_SERVICE_CODE,
            },
        )
        routed = set(SubjectRoute.objects.filter(fund=fund).values_list("subject", flat=True))
        for subject in subjects:
            if subject not in routed:
                SubjectRoute.objects.create(fund=fund, subject=subject, service=service)
        services.append(service)
    return services


def _routed_service(fund: Fund, subject: str) -> FundService:
    """ECH15: the fund's service for the subject, else its default service; a fund without
    any service yet gets the default ones first."""
    service = selectors.service_for(fund=fund, subject=subject)
    if service is None:
        fund_services_seed(fund=fund)
        service = selectors.service_for(fund=fund, subject=subject)
    if service is None:  # a fund that removed its default service and this subject's route
        service = FundService.objects.filter(fund=fund).order_by("pk").first()
    if service is None:
        raise FundService.DoesNotExist("La caisse n'a aucun service.")
    return service


@transaction.atomic
def service_agents_set(*, service: FundService, agents: Sequence[User]) -> None:
    """ECH16: the agents attached to a service are agents of the service's fund only."""
    for agent in agents:
        if not getattr(agent, "is_agent", False) or agent.fund_id != service.fund_id:
            raise Refused(
                Refusal(
                    "agent_of_another_fund",
                    f"{agent} n'est pas un agent de la caisse de ce service.",
                    field="agents",
                )
            )
    service.agents.set(agents)


@transaction.atomic
def thread_start(
    *,
    user: User,
    subject: str,
    body: str,
    subject_other: str = "",
    demarche: str = "",
    uploads: Sequence[UploadedFile] = (),
) -> Thread:
    """« Écrire à ma caisse » (ECH1–ECH5, ECH13): a new thread with its first message."""
    person = _insured_person(user)
    if subject not in ThreadSubject.values:
        raise Refused(UNKNOWN_SUBJECT)
    other = ""
    if subject == ThreadSubject.OTHER:
        if not normalize_text(subject_other):
            raise Refused(rules.OTHER_SUBJECT_MISSING)
        try:
            validators.validate_subject_other(subject_other)
        except ValidationError as error:
            raise _field_refusal(error, code="invalid_subject", field="subject_other") from error
        other = normalize_text(subject_other)
    text = _checked_body(body)
    about = None
    if demarche:
        about = selectors.demarche_for(person=person, key=demarche)
        if about is None:
            raise Refused(rules.UNKNOWN_DEMARCHE)
    files = _cleaned(uploads)
    _check_daily_limit(person)
    _check_attachment_totals(person, files)
    fund = person.family.fund
    now = clock.now()
    thread = Thread(
        fund=fund,
        service=_routed_service(fund, subject),
        insured=person,
        account=user,
        subject=subject,
        subject_other=other,
        about_type=ContentType.objects.get_for_model(about.model) if about else None,
        about_id=about.pk if about else None,
        about_label=about.label[:150] if about else "",
        created_at=now,
        last_message_at=now,
    )
    _await_answer(thread, now)
    thread.save()
    rules.THREAD_MACHINE.record(thread, source="", target=ThreadStatus.OPEN, by=user)
    _post(thread=thread, kind=MessageKind.INSURED, author=user, body=text, files=files)
    return thread


@transaction.atomic
def thread_reply_by_insured(
    *, user: User, thread_id: int, body: str, uploads: Sequence[UploadedFile] = ()
) -> ThreadMessage:
    """The insured continues their thread (ECH2–ECH4, ECH13, ECH14); a closed thread opens
    again (ECH7)."""
    person = _insured_person(user)
    text = _checked_body(body)
    files = _cleaned(uploads)
    _check_daily_limit(person)
    thread = Thread.objects.select_for_update().get(pk=thread_id, account=user)
    _check_attachment_totals(person, files, thread)
    now = clock.now()
    if thread.status == ThreadStatus.CLOSED:
        rules.THREAD_MACHINE.move(
            thread, ThreadStatus.OPEN, by=user, note="Nouveau message de l'assuré", closed_at=None
        )
    _await_answer(thread, now)
    thread.last_message_at = now
    thread.save(update_fields=["awaiting_since", "due_on", "last_message_at"])
    return _post(thread=thread, kind=MessageKind.INSURED, author=user, body=text, files=files)


def thread_mark_read_by_insured(*, user: User, thread: Thread) -> int:
    """ECH10: the insured opened the thread; the fund's answers are « lues »."""
    return ThreadMessage.objects.filter(
        thread=thread, recipient=user, kind=MessageKind.FUND, read_at__isnull=True
    ).update(read_at=clock.now(), read_by=user)


# --- The fund's side ------------------------------------------------------------------------


def _scope(agent: User):
    return selectors.threads_for_agent(agent=agent)


def _locked(agent: User, thread_id: int) -> Thread:
    """The thread of the agent's fund, locked (raises Thread.DoesNotExist outside it), that
    the agent may act on: one of their services' (ECH16), else a refusal."""
    thread = _scope(agent).select_for_update().get(pk=thread_id)
    if not selectors.may_work_on(agent=agent, thread=thread):
        raise Refused(rules.other_service_refusal(service_name=thread.service.name))
    return thread


def _is_supervisor(agent: User) -> bool:
    return agent.agent_role == AgentRole.SUPERVISOR


def _move(thread: Thread, target: str, *, agent: User, **fields: Any) -> None:
    if not rules.THREAD_MACHINE.can(thread.status, target):
        raise Refused(rules.NOT_ALLOWED)
    rules.THREAD_MACHINE.move(thread, target, by=agent, queryset=_scope(agent), **fields)


def _check_holder(thread: Thread, agent: User) -> None:
    """ECH7: a thread in progress is worked on by its holder (a supervisor may step in)."""
    if (
        thread.status == ThreadStatus.IN_PROGRESS
        and thread.assignee_id != agent.pk
        and not _is_supervisor(agent)
    ):
        raise Refused(rules.NOT_HELD)


@transaction.atomic
def thread_claim(*, agent: User, thread_id: int) -> Thread:
    """« Me l'attribuer »: an open thread is then in progress, held by this agent."""
    thread = _locked(agent, thread_id)
    _move(thread, ThreadStatus.IN_PROGRESS, agent=agent, assignee=agent)
    return thread


@transaction.atomic
def thread_release(*, agent: User, thread_id: int) -> Thread:
    """Put a thread one holds back in the fund's inbox."""
    thread = _locked(agent, thread_id)
    if thread.status != ThreadStatus.IN_PROGRESS:
        raise Refused(rules.NOT_ALLOWED)
    _check_holder(thread, agent)
    _move(thread, ThreadStatus.OPEN, agent=agent, assignee=None)
    return thread


@transaction.atomic
def thread_answer(
    *, agent: User, thread_id: int, body: str, uploads: Sequence[UploadedFile] = ()
) -> ThreadMessage:
    """The fund's answer (ECH2, ECH3, ECH7, ECH9): an open thread is first taken by the agent;
    the insured gets a notification and an « avis de dépôt » email, never the answer's text."""
    text = _checked_body(body)
    files = _cleaned(uploads)
    thread = _locked(agent, thread_id)
    if thread.status == ThreadStatus.CLOSED:
        raise Refused(rules.CLOSED_FOR_AGENT)
    _check_holder(thread, agent)
    if thread.status == ThreadStatus.OPEN:
        _move(thread, ThreadStatus.IN_PROGRESS, agent=agent, assignee=agent)
    now = clock.now()
    ThreadMessage.objects.filter(
        thread=thread, kind=MessageKind.INSURED, read_at__isnull=True
    ).update(read_at=now, read_by=agent)
    thread.awaiting_since = None
    thread.due_on = None
    thread.last_message_at = now
    thread.save(update_fields=["awaiting_since", "due_on", "last_message_at"])
    message = _post(thread=thread, kind=MessageKind.FUND, author=agent, body=text, files=files)
    notifications.answer_posted(thread=thread)
    return message


@transaction.atomic
def thread_note(*, agent: User, thread_id: int, body: str) -> ThreadMessage:
    """An internal note (ECH8): for the fund's agents only, whatever the thread's status."""
    text = _checked_body(body)
    thread = _locked(agent, thread_id)
    return _post(thread=thread, kind=MessageKind.NOTE, author=agent, body=text)


@transaction.atomic
def thread_close(*, agent: User, thread_id: int) -> Thread:
    """Close a thread (ECH7): open, or in progress and held by the agent (or a supervisor)."""
    thread = _locked(agent, thread_id)
    _check_holder(thread, agent)
    _move(
        thread,
        ThreadStatus.CLOSED,
        agent=agent,
        closed_at=clock.now(),
        awaiting_since=None,
        due_on=None,
    )
    return thread


@transaction.atomic
def thread_reopen(*, agent: User, thread_id: int) -> Thread:
    """Reopen a closed thread (ECH7): back in the fund's inbox, held by nobody."""
    thread = _locked(agent, thread_id)
    if thread.status != ThreadStatus.CLOSED:
        raise Refused(rules.NOT_ALLOWED)
    _move(thread, ThreadStatus.OPEN, agent=agent, assignee=None, closed_at=None)
    return thread


@transaction.atomic
def thread_transfer(*, agent: User, thread_id: int, service_id: int, reason: str = "") -> Thread:
    """« Transférer à un autre service » (ECH17): a thread of the agent's service (held by
    them if in progress, or any for a supervisor), not closed, goes to another service of the
    same fund, « À traiter » and held by nobody; the answer's due date does not change. The
    move is logged with both services and an internal note keeps the trace and the reason."""
    thread = _locked(agent, thread_id)
    if thread.status == ThreadStatus.CLOSED:
        raise Refused(rules.TRANSFER_CLOSED)
    _check_holder(thread, agent)
    target = (
        FundService.objects.filter(fund_id=thread.fund_id, pk=service_id)
        .exclude(pk=thread.service_id)
        .first()
    )
    if target is None:
        raise Refused(rules.UNKNOWN_SERVICE)
    why = normalize_text(reason)
    if why:
        try:
            validators.validate_transfer_reason(reason)
        except ValidationError as error:
            raise _field_refusal(error, code="invalid_reason", field="reason") from error
    source = thread.service
    trace = f"Transfert du service « {source.name} » au service « {target.name} »."
    rules.THREAD_MACHINE.move(
        thread,
        ThreadStatus.OPEN,
        by=agent,
        note=trace,
        queryset=_scope(agent).filter(service_id=source.pk),
        log_fields={"from_service": source, "to_service": target},
        service=target,
        assignee=None,
    )
    _post(
        thread=thread,
        kind=MessageKind.NOTE,
        author=agent,
        body=f"{trace} Motif : {why}" if why else trace,
    )
    return thread


def thread_mark_read_by_fund(*, agent: User, thread: Thread) -> int:
    """ECH10: an agent of the fund opened the thread; the insured's messages are « lus »."""
    if not _scope(agent).filter(pk=thread.pk).exists():
        return 0
    return ThreadMessage.objects.filter(
        thread=thread, kind=MessageKind.INSURED, read_at__isnull=True
    ).update(read_at=clock.now(), read_by=agent)
