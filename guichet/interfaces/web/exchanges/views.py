"""« Espace d'échanges » on the insured's side: « Écrire à ma caisse », a thread and its
answers, the attachments (issue 19, rules ECH1–ECH12).

Every page reads only the signed-in account's threads: another account's thread or file
answers 404. A refused message keeps everything typed (only files are chosen again: no
browser lets a page fill a file input).
"""

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods

from guichet.core.http import StoredFile, stored_file_response
from guichet.core.refusals import Refused
from guichet.exchanges import rules, selectors, services
from guichet.exchanges.enums import ThreadSubject
from guichet.interfaces.web.access import insured_required
from guichet.interfaces.web.exchanges.forms import NewThreadForm, ReplyForm
from guichet.interfaces.web.navigation import account_context

NEW_TITLE = "Écrire à ma caisse"
FILES_AGAIN = (
    "Pour votre sécurité, les fichiers choisis ne sont pas gardés : joignez-les de nouveau."
)


def _refused_on(form, refused: Refused) -> None:
    field = refused.field if refused.field in form.fields else None
    form.add_error(field, refused.message)


@insured_required
@require_http_methods(["GET", "POST"])
def thread_new(request: HttpRequest) -> HttpResponse:
    """ECH1–ECH5: subject, message, attachments, optionally one of the family's démarches
    (« ?demarche=… » from a démarche's page preselects it and its subject, « ?objet=… » a
    subject alone)."""
    demarches = selectors.demarches_for(person=request.user.person)
    if request.method == "POST":
        form = NewThreadForm(request.POST, request.FILES, demarches=demarches)
        if form.is_valid():
            data = form.cleaned_data
            try:
                thread = services.thread_start(
                    user=request.user,
                    subject=data["subject"],
                    subject_other=data["subject_other"],
                    body=data["body"],
                    demarche=data["demarche"],
                    uploads=data["attachments"],
                )
            except Refused as refused:
                _refused_on(form, refused)
            else:
                messages.success(
                    request,
                    "Votre message est envoyé à votre caisse. Elle vous répond sous "
                    f"{rules.ANSWER_DELAY_WORKING_DAYS} jours ouvrés ; vous serez averti par "
                    "email.",
                )
                return redirect("web:exchange_thread", thread_id=thread.pk)
    else:
        key = request.GET.get("demarche", "")
        chosen = next((d for d in demarches if d.key == key), None)
        subject = request.GET.get("objet", "")
        initial = {"subject": subject} if subject in ThreadSubject.values else {}
        if chosen:
            initial = {"demarche": chosen.key, "subject": chosen.subject}
        form = NewThreadForm(initial=initial, demarches=demarches)
    return render(
        request,
        "web/exchanges/new.html",
        account_context(
            request,
            "messages",
            title=NEW_TITLE,
            form=form,
            other=ThreadSubject.OTHER.value,
            files_again=FILES_AGAIN if request.method == "POST" and request.FILES else "",
        ),
    )


@insured_required
@require_http_methods(["GET", "POST"])
def thread_detail(request: HttpRequest, thread_id: int) -> HttpResponse:
    """A thread: the messages and the fund's answers (never its notes, ECH8); opening it marks
    the answers « lues » (ECH10); the reply form continues it."""
    thread = selectors.thread_for_insured(user=request.user, thread_id=thread_id)
    if thread is None:
        raise Http404
    form = ReplyForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.thread_reply_by_insured(
                user=request.user,
                thread_id=thread.pk,
                body=form.cleaned_data["body"],
                uploads=form.cleaned_data["attachments"],
            )
        except Refused as refused:
            _refused_on(form, refused)
        else:
            messages.success(request, "Votre message est envoyé à votre caisse.")
            return redirect("web:exchange_thread", thread_id=thread.pk)
    if request.method == "GET":
        services.thread_mark_read_by_insured(user=request.user, thread=thread)
    return render(
        request,
        "web/exchanges/thread.html",
        account_context(
            request,
            "messages",
            title=thread.title,
            thread=thread,
            thread_messages=selectors.messages_for_insured(thread=thread),
            form=form,
            files_again=FILES_AGAIN if request.method == "POST" and request.FILES else "",
        ),
    )


@insured_required
@require_GET
def attachment(request: HttpRequest, thread_id: int, attachment_id: int) -> HttpResponse:
    """A file of the account's thread (ECH12), always as a download."""
    found = selectors.attachment_for_insured(user=request.user, attachment_id=attachment_id)
    if found is None or found.message.thread_id != thread_id:
        raise Http404
    return stored_file_response(StoredFile(found.file, found.content_type, found.name))
