"""The fund's inbox of the « Espace d'échanges » (issue 19, rules ECH6–ECH11, ECH15–ECH17): an
inbox per fund and service (the agent's services by default, a filter per service),
assignment to oneself, answers with attachments, internal notes, close and reopen, transfer
to another service, the answer delay and due date, a search by NIR or subject, and the
supervisors' backlog per service.

Back office and supervisors only, each within their own fund: another fund's thread or file
answers 404, as if it did not exist (docs/decisions/security-agents-scope.md).
"""

from functools import partial

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_POST

from guichet.accounts.enums import AgentRole
from guichet.core.http import StoredFile, stored_file_response
from guichet.core.masking import format_nir
from guichet.core.refusals import Refused
from guichet.exchanges import rules, selectors, services
from guichet.exchanges.enums import ThreadStatus
from guichet.exchanges.models import Thread
from guichet.interfaces.agents.access import agent_required
from guichet.interfaces.agents.actions import run_action
from guichet.interfaces.agents.exchanges.forms import (
    ALL_SERVICES,
    AnswerForm,
    InboxFilterForm,
    NoteForm,
    TransferForm,
)

ROLES = [AgentRole.BACK_OFFICE]
PER_PAGE = 50


@agent_required(roles=ROLES)
@require_GET
def inbox(request: HttpRequest) -> HttpResponse:
    """The fund's inbox: still to answer first, by due date (ECH6, ECH11)."""
    fund = request.user.fund
    if fund is None:
        raise PermissionDenied("Votre compte n'est rattaché à aucune caisse.")
    services = selectors.services_for_agent(agent=request.user)
    form = InboxFilterForm(request.GET or None, services=services)
    status, query, mine, service = "", "", False, ""
    if form.is_valid():
        status, query = form.cleaned_data["statut"], form.cleaned_data["q"]
        mine, service = form.cleaned_data["mine"], form.cleaned_data["service"]
    shown: list[int] | None
    if service == ALL_SERVICES:
        shown = None
    elif service:
        shown = [int(service)]
    else:
        shown = selectors.default_inbox_services(agent=request.user, services=services)
    threads = selectors.agent_inbox(
        agent=request.user, status=status, mine=mine, query=query, services=shown
    )
    if not status:
        threads = threads.exclude(status=ThreadStatus.CLOSED)
    page = Paginator(threads, PER_PAGE).get_page(request.GET.get("page"))
    for thread in page:
        thread.waiting_days = (
            rules.waiting_working_days(since=thread.awaiting_since)
            if thread.awaiting_since
            else None
        )
    return render(
        request,
        "agents/exchanges/inbox.html",
        {
            "title": f"Espace d'échanges — {fund.name}",
            "fund": fund,
            "form": form,
            "page": page,
            "unread_threads": selectors.unread_threads_for_fund(agent=request.user),
            "filters": _without_page(request),
            "shown_services": [s.name for s in services if shown is None or s.pk in shown],
            "my_services": [s.name for s in services if s.mine],
        },
    )


def _without_page(request: HttpRequest) -> str:
    """The inbox's filters, for the pagination's links."""
    params = request.GET.copy()
    params.pop("page", None)
    return params.urlencode()


@agent_required(roles=[AgentRole.SUPERVISOR])
@require_GET
def backlog(request: HttpRequest) -> HttpResponse:
    """The supervisor's view of the fund's backlog (ECH11)."""
    fund = request.user.fund
    if fund is None:
        raise PermissionDenied("Votre compte n'est rattaché à aucune caisse.")
    summary = selectors.backlog(agent=request.user)
    return render(
        request,
        "agents/exchanges/backlog.html",
        {
            "title": f"Suivi de l'espace d'échanges — {fund.name}",
            "fund": fund,
            "backlog": summary,
            "oldest_days": rules.waiting_working_days(since=summary.oldest_awaiting)
            if summary.oldest_awaiting
            else None,
        },
    )


def _thread_or_404(request: HttpRequest, thread_id: int) -> Thread:
    thread = selectors.thread_for_agent(agent=request.user, thread_id=thread_id)
    if thread is None:
        raise Http404("Fil d'échanges introuvable.")
    return thread


def _detail(
    request: HttpRequest,
    thread: Thread,
    *,
    answer_form: AnswerForm | None = None,
    note_form: NoteForm | None = None,
    transfer_form: TransferForm | None = None,
    files_again: bool = False,
) -> HttpResponse:
    agent = request.user
    in_service = selectors.may_work_on(agent=agent, thread=thread)
    holds = thread.status == ThreadStatus.IN_PROGRESS and thread.assignee_id == agent.pk
    may_act = in_service and (
        thread.status == ThreadStatus.OPEN
        or holds
        or (thread.status == ThreadStatus.IN_PROGRESS and agent.agent_role == AgentRole.SUPERVISOR)
    )
    others = [s for s in selectors.services_for_agent(agent=agent) if s.pk != thread.service_id]
    return render(
        request,
        "agents/exchanges/thread.html",
        {
            "title": f"Échange n° {thread.pk} — {thread.title}",
            "thread": thread,
            "nir_display": format_nir(thread.insured.nir) if thread.insured.nir else "",
            "thread_messages": selectors.messages_for_agent(thread=thread),
            "transitions": thread.transitions.select_related("by", "from_service", "to_service"),
            "waiting_days": rules.waiting_working_days(since=thread.awaiting_since)
            if thread.awaiting_since
            else None,
            "holds": holds,
            "may_act": may_act,
            # A refused answer is shown again with its text, whatever changed meanwhile.
            "show_answer": (may_act and thread.status != ThreadStatus.CLOSED)
            or answer_form is not None,
            "answer_form": answer_form or AnswerForm(),
            "note_form": note_form or NoteForm(),
            "in_service": in_service,
            "transfer_form": transfer_form or TransferForm(services=others),
            "show_transfer": may_act and thread.status != ThreadStatus.CLOSED and bool(others),
            "files_again": (
                "Pour votre sécurité, les fichiers choisis ne sont pas gardés : joignez-les "
                "de nouveau."
            )
            if files_again
            else "",
        },
    )


@agent_required(roles=ROLES)
@require_GET
def detail(request: HttpRequest, thread_id: int) -> HttpResponse:
    """A thread, notes included; opening it marks the insured's messages « lus » (ECH10)."""
    thread = _thread_or_404(request, thread_id)
    services.thread_mark_read_by_fund(agent=request.user, thread=thread)
    return _detail(request, thread)


_run = partial(
    run_action,
    gone=(Thread.DoesNotExist,),
    gone_message="Fil d'échanges introuvable.",
    redirect_to="agents:exchange_thread",
)


@agent_required(roles=ROLES)
@require_POST
def claim(request: HttpRequest, thread_id: int) -> HttpResponse:
    _thread_or_404(request, thread_id)
    return _run(
        request,
        lambda: services.thread_claim(agent=request.user, thread_id=thread_id),
        success="Ce fil d'échanges vous est attribué.",
        thread_id=thread_id,
    )


@agent_required(roles=ROLES)
@require_POST
def release(request: HttpRequest, thread_id: int) -> HttpResponse:
    _thread_or_404(request, thread_id)
    return _run(
        request,
        lambda: services.thread_release(agent=request.user, thread_id=thread_id),
        success="Ce fil d'échanges est remis dans la boîte de la caisse.",
        thread_id=thread_id,
    )


@agent_required(roles=ROLES)
@require_POST
def close(request: HttpRequest, thread_id: int) -> HttpResponse:
    _thread_or_404(request, thread_id)
    return _run(
        request,
        lambda: services.thread_close(agent=request.user, thread_id=thread_id),
        success="Ce fil d'échanges est clôturé.",
        thread_id=thread_id,
    )


@agent_required(roles=ROLES)
@require_POST
def reopen(request: HttpRequest, thread_id: int) -> HttpResponse:
    _thread_or_404(request, thread_id)
    return _run(
        request,
        lambda: services.thread_reopen(agent=request.user, thread_id=thread_id),
        success="Ce fil d'échanges est rouvert.",
        thread_id=thread_id,
    )


@agent_required(roles=ROLES)
@require_POST
def transfer(request: HttpRequest, thread_id: int) -> HttpResponse:
    """« Transférer à un autre service » (ECH17): the due date stays, a note keeps the trace."""
    thread = _thread_or_404(request, thread_id)
    others = [
        s for s in selectors.services_for_agent(agent=request.user) if s.pk != thread.service_id
    ]
    form = TransferForm(request.POST, services=others)
    if form.is_valid():
        try:
            moved = services.thread_transfer(
                agent=request.user,
                thread_id=thread.pk,
                service_id=form.cleaned_data["service"],
                reason=form.cleaned_data["reason"],
            )
        except Thread.DoesNotExist as gone:
            raise Http404("Fil d'échanges introuvable.") from gone
        except Refused as refused:
            form.add_error(refused.field if refused.field in form.fields else None, refused.message)
        else:
            messages.success(
                request, f"Ce fil d'échanges est transféré au service « {moved.service.name} »."
            )
            return redirect("agents:exchange_thread", thread_id=thread.pk)
    thread.refresh_from_db()
    return _detail(request, thread, transfer_form=form)


@agent_required(roles=ROLES)
@require_POST
def answer(request: HttpRequest, thread_id: int) -> HttpResponse:
    """The fund's answer (ECH9): the insured is notified, the text stays in the account."""
    thread = _thread_or_404(request, thread_id)
    form = AnswerForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            services.thread_answer(
                agent=request.user,
                thread_id=thread.pk,
                body=form.cleaned_data["body"],
                uploads=form.cleaned_data["attachments"],
            )
        except Thread.DoesNotExist as gone:
            raise Http404("Fil d'échanges introuvable.") from gone
        except Refused as refused:
            form.add_error(refused.field if refused.field in form.fields else None, refused.message)
        else:
            messages.success(request, "Votre réponse est envoyée ; l'assuré en est averti.")
            return redirect("agents:exchange_thread", thread_id=thread.pk)
    thread.refresh_from_db()
    return _detail(request, thread, answer_form=form, files_again=bool(request.FILES))


@agent_required(roles=ROLES)
@require_POST
def note(request: HttpRequest, thread_id: int) -> HttpResponse:
    """An internal note (ECH8), never shown to the insured."""
    thread = _thread_or_404(request, thread_id)
    form = NoteForm(request.POST)
    if form.is_valid():
        try:
            services.thread_note(
                agent=request.user, thread_id=thread.pk, body=form.cleaned_data["note"]
            )
        except Thread.DoesNotExist as gone:
            raise Http404("Fil d'échanges introuvable.") from gone
        except Refused as refused:
            form.add_error("note" if refused.field == "body" else None, refused.message)
        else:
            messages.success(request, "La note interne est enregistrée.")
            return redirect("agents:exchange_thread", thread_id=thread.pk)
    return _detail(request, thread, note_form=form)


@agent_required(roles=ROLES)
@require_GET
def attachment(request: HttpRequest, thread_id: int, attachment_id: int) -> HttpResponse:
    """A file of a thread of the agent's fund (ECH12), always as a download."""
    found = selectors.attachment_for_agent(agent=request.user, attachment_id=attachment_id)
    if found is None or found.message.thread_id != thread_id:
        raise Http404("Fichier introuvable.")
    return stored_file_response(StoredFile(found.file, found.content_type, found.name))
