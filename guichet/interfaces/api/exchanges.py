"""/exchanges: the « Espace d'échanges » — threads with the fund, messages, attachments
(issue 19, rules ECH1–ECH12), over exchanges.services and exchanges.selectors.

The same services as the web pages, so the same rules and French messages: a refusal on one
input answers 422 with it in ``fields`` (its field's name), the daily limit 429 with
``Retry-After``, any other refusal 409; anyone else's thread or file 404. Notes never appear.
"""

import datetime as dt
import math
from typing import Annotated

from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.urls import reverse
from ninja import Router, Schema, Status, UploadedFile
from ninja.params import functions
from pydantic import Field

from guichet.core.http import StoredFile, stored_file_response
from guichet.core.refusals import Refused
from guichet.exchanges import rules, selectors, services
from guichet.exchanges.enums import ThreadSubject
from guichet.exchanges.models import Attachment, Thread, ThreadMessage
from guichet.interfaces.api.errors import INVALID_INPUT, ApiError, responses
from guichet.interfaces.api.params import ObjectId, PageNumber, PageSize
from guichet.interfaces.api.schemas import PageInfo
from guichet.interfaces.api.security import current_user

router = Router(tags=["Espace d'échanges"])

# The form fields of a refusal, as the API names them.
_FIELDS = {"subject", "subject_other", "demarche", "body", "attachments"}


class ChoiceOut(Schema):
    value: str
    label: str


class OptionsOut(Schema):
    subjects: list[ChoiceOut] = Field(description="Objets proposés (ECH1) ; « other » : Autre.")
    demarches: list[ChoiceOut] = Field(description="Démarches de la famille (ECH5).")
    max_attachments: int
    max_attachment_bytes: int
    max_total_attachment_bytes: int
    attachment_bytes_per_day: int = Field(description="Pièces jointes par jour (ECH13).")
    attachment_bytes_per_thread: int = Field(description="Pièces jointes par fil (ECH14).")
    body_max_length: int
    messages_per_day: int


class AttachmentOut(Schema):
    id: int
    name: str
    content_type: str
    size: int
    url: str = Field(description="Téléchargement (même authentification).")


class ThreadMessageOut(Schema):
    id: int
    kind: str = Field(description="insured : votre message ; fund : réponse de la caisse.")
    body: str
    created_at: dt.datetime
    read_at: dt.datetime | None = Field(description="« Lu » par l'autre partie (ECH10).")
    attachments: list[AttachmentOut]


class ThreadOut(Schema):
    id: int
    subject: str
    title: str
    status: str
    status_label: str
    about: str = Field(description="La démarche concernée, telle qu'écrite, ou vide.")
    created_at: dt.datetime
    last_message_at: dt.datetime
    answer_due_on: dt.date | None = Field(description="Réponse attendue avant le (ECH6).")
    unread: int = Field(description="Réponses de la caisse non lues.")


class ThreadDetailOut(ThreadOut):
    messages: list[ThreadMessageOut]


class ThreadPageOut(PageInfo):
    unread: int
    items: list[ThreadOut]


def _thread_out(thread: Thread, *, unread: int) -> ThreadOut:
    return ThreadOut(
        id=thread.pk,
        subject=thread.subject,
        title=thread.title,
        status=thread.status,
        status_label=thread.get_status_display(),
        about=thread.about_label,
        created_at=thread.created_at,
        last_message_at=thread.last_message_at,
        answer_due_on=thread.due_on,
        unread=unread,
    )


def _attachment_out(thread: Thread, attachment: Attachment) -> AttachmentOut:
    return AttachmentOut(
        id=attachment.pk,
        name=attachment.name,
        content_type=attachment.content_type,
        size=attachment.size,
        url=reverse(
            "api-v1:guichet_api_exchanges_attachment",
            kwargs={"thread_id": thread.pk, "attachment_id": attachment.pk},
        ),
    )


def _message_out(thread: Thread, message: ThreadMessage) -> ThreadMessageOut:
    return ThreadMessageOut(
        id=message.pk,
        kind=message.kind,
        body=message.body,
        created_at=message.created_at,
        read_at=message.read_at,
        attachments=[_attachment_out(thread, a) for a in message.attachments.all()],
    )


def _detail(thread: Thread, *, unread: int = 0) -> ThreadDetailOut:
    return ThreadDetailOut(
        **_thread_out(thread, unread=unread).dict(),
        messages=[_message_out(thread, m) for m in selectors.messages_for_insured(thread=thread)],
    )


def _refused(refused: Refused) -> ApiError:
    if refused.code == "daily_limit":
        seconds = math.ceil(refused.retry_after.total_seconds()) if refused.retry_after else 3600
        return ApiError(429, "daily_limit", refused.message, headers={"Retry-After": str(seconds)})
    if refused.field in _FIELDS:
        return ApiError(422, refused.code, INVALID_INPUT, fields={refused.field: [refused.message]})
    return ApiError(409, refused.code, refused.message)


def _own(request: HttpRequest, thread_id: int) -> Thread:
    thread = selectors.thread_for_insured(user=current_user(request), thread_id=thread_id)
    if thread is None:
        raise Http404
    return thread


Attachments = Annotated[
    list[UploadedFile] | None,
    functions.File(None, description="Jusqu'à 3 fichiers PDF, JPEG ou PNG (ECH3)."),
]
Body = Annotated[str, functions.Form(max_length=rules.BODY_MAX_LENGTH * 2)]


@router.get(
    "/exchanges/options",
    response=responses({200: OptionsOut}, 401),
    summary="Objets, démarches et limites de « Écrire à ma caisse »",
)
def options(request: HttpRequest) -> OptionsOut:
    person = current_user(request).person
    return OptionsOut(
        subjects=[ChoiceOut(value=v, label=label) for v, label in ThreadSubject.choices],
        demarches=[
            ChoiceOut(value=d.key, label=d.label) for d in selectors.demarches_for(person=person)
        ],
        max_attachments=rules.MAX_ATTACHMENTS,
        max_attachment_bytes=rules.MAX_ATTACHMENT_BYTES,
        max_total_attachment_bytes=rules.MAX_TOTAL_ATTACHMENT_BYTES,
        attachment_bytes_per_day=rules.ATTACHMENT_BYTES_PER_DAY,
        attachment_bytes_per_thread=rules.ATTACHMENT_BYTES_PER_THREAD,
        body_max_length=rules.BODY_MAX_LENGTH,
        messages_per_day=rules.MESSAGES_PER_DAY,
    )


@router.get(
    "/exchanges/threads",
    response=responses({200: ThreadPageOut}, 401, 422),
    summary="Mes échanges avec ma caisse",
)
def threads(request: HttpRequest, page: PageNumber = 1, page_size: PageSize = 20) -> ThreadPageOut:
    user = current_user(request)
    paginator = Paginator(selectors.threads_for_insured(user=user), page_size)
    current = paginator.get_page(page)
    items = [_thread_out(t, unread=t.unread) for t in current]
    return ThreadPageOut(
        page=current.number,
        page_size=page_size,
        pages=paginator.num_pages,
        count=paginator.count,
        unread=sum(1 for t in items if t.unread),
        items=items,
    )


@router.post(
    "/exchanges/threads",
    response=responses({201: ThreadDetailOut}, 401, 409, 422, 429),
    summary="Écrire à ma caisse",
)
def thread_start(
    request: HttpRequest,
    subject: Annotated[str, functions.Form(max_length=30)],
    body: Body,
    subject_other: Annotated[str, functions.Form("", max_length=200)] = "",
    demarche: Annotated[str, functions.Form("", max_length=40)] = "",
    attachments: Attachments = None,
) -> Status:
    """One multipart request: subject (and « Autre »'s text), message, optional démarche
    (a value of /exchanges/options) and attachments (ECH1–ECH5)."""
    try:
        thread = services.thread_start(
            user=current_user(request),
            subject=subject,
            subject_other=subject_other,
            body=body,
            demarche=demarche,
            uploads=attachments or [],
        )
    except Refused as refused:
        raise _refused(refused) from None
    return Status(201, _detail(thread))


@router.get(
    "/exchanges/threads/{thread_id}",
    response=responses({200: ThreadDetailOut}, 401, 404, 422),
    summary="Un échange ; l'ouvrir marque les réponses lues",
)
def thread(request: HttpRequest, thread_id: ObjectId) -> ThreadDetailOut:
    found = _own(request, thread_id)
    services.thread_mark_read_by_insured(user=current_user(request), thread=found)
    return _detail(found)


@router.post(
    "/exchanges/threads/{thread_id}/messages",
    response=responses({201: ThreadMessageOut}, 401, 404, 409, 422, 429),
    summary="Répondre dans un échange",
)
def thread_reply(
    request: HttpRequest, thread_id: ObjectId, body: Body, attachments: Attachments = None
) -> Status:
    found = _own(request, thread_id)
    try:
        message = services.thread_reply_by_insured(
            user=current_user(request), thread_id=found.pk, body=body, uploads=attachments or []
        )
    except Thread.DoesNotExist:
        raise Http404 from None
    except Refused as refused:
        raise _refused(refused) from None
    return Status(201, _message_out(found, message))


@router.get(
    "/exchanges/threads/{thread_id}/attachments/{attachment_id}",
    response=responses({200: None}, 401, 404, 422),
    summary="Télécharger une pièce jointe",
    url_name="guichet_api_exchanges_attachment",
)
def attachment(request: HttpRequest, thread_id: ObjectId, attachment_id: ObjectId) -> HttpResponse:
    found = selectors.attachment_for_insured(
        user=current_user(request), attachment_id=attachment_id
    )
    if found is None or found.message.thread_id != thread_id:
        raise Http404
    return stored_file_response(StoredFile(found.file, found.content_type, found.name))
