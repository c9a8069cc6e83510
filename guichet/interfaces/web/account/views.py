"""The insured person's dashboard: home, payments, démarches, information, messages (G2-G5).

Every page reads only the signed-in person's family; an id that belongs to anyone else answers
404 (never 403: the page does not confirm that the id exists).
"""

from django.contrib import messages
from django.contrib.auth import logout, update_session_auth_hash
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from guichet.accounts import services as account_services
from guichet.appointments import selectors as appointment_selectors
from guichet.core import clock
from guichet.core.http import client_ip
from guichet.core.masking import format_nir, mask_email, mask_iban
from guichet.core.refusals import Refused
from guichet.exchanges import selectors as exchange_selectors
from guichet.feedback import services as feedback_services
from guichet.feedback.enums import Procedure
from guichet.interfaces.web.access import insured_required
from guichet.interfaces.web.account.forms import (
    AccountCloseForm,
    CodeChangeForm,
    PaymentFilterForm,
    RatingForm,
)
from guichet.interfaces.web.catalogue import procedure_groups, quick_procedures
from guichet.interfaces.web.navigation import account_context
from guichet.notifications import selectors as notification_selectors
from guichet.notifications import services as notification_services
from guichet.powers import selectors as powers_selectors
from guichet.reference import selectors as reference_selectors
from guichet.situation.rules import second_parent_message

PAYMENTS_PER_PAGE = 20
HOME_PAYMENTS = 5
HOME_NOTIFICATIONS = 5
HOME_MESSAGES = 3
INBOX_SIZE = 50


def _safe_next(request: HttpRequest, default: str) -> str:
    """A local URL from the form's « next » field, or the default (no open redirect)."""
    candidate = request.POST.get("next", "")
    if candidate and url_has_allowed_host_and_scheme(
        candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return candidate
    return default


def _int_or_404(value: str | None) -> int:
    try:
        return int(value or "")
    except ValueError:
        raise Http404 from None


@insured_required
def home(request: HttpRequest) -> HttpResponse:
    """« Accueil » (rule G2)."""
    person = request.user.person
    context = account_context(
        request,
        "home",
        title="Accueil",
        person=person,
        latest_payments=reference_selectors.latest_family_payments(
            family_id=person.family_id, limit=HOME_PAYMENTS
        ),
        quick_procedures=quick_procedures(),
        notifications=exchange_selectors.notices_with_threads(
            user=request.user,
            notices=notification_selectors.latest_notifications(
                user=request.user, limit=HOME_NOTIFICATIONS
            ),
        ),
        latest_messages=notification_selectors.latest_messages(
            user=request.user, limit=HOME_MESSAGES
        ),
        next_appointment=appointment_selectors.next_appointment(person=person),
    )
    return render(request, "web/home.html", context)


@insured_required
def payments(request: HttpRequest) -> HttpResponse:
    """« Mes paiements »: the family's payments, paginated, filtered by beneficiary."""
    person = request.user.person
    members = reference_selectors.family_members(family_id=person.family_id)
    form = PaymentFilterForm(request.GET or None, members=members)
    beneficiary_id = form.cleaned_data["beneficiaire"] if form.is_valid() else None
    page = Paginator(
        reference_selectors.family_payments_for(
            family_id=person.family_id, beneficiary_id=beneficiary_id
        ),
        PAYMENTS_PER_PAGE,
    ).get_page(request.GET.get("page"))
    return render(
        request,
        "web/payments.html",
        account_context(
            request,
            "payments",
            title="Mes paiements",
            page=page,
            form=form,
            beneficiary_id=beneficiary_id,
        ),
    )


@insured_required
def procedures(request: HttpRequest) -> HttpResponse:
    """« Mes démarches » (rule G3): every démarche, the ones not built yet marked as such."""
    return render(
        request,
        "web/procedures.html",
        account_context(request, "procedures", title="Mes démarches", groups=procedure_groups()),
    )


@insured_required
def information(request: HttpRequest) -> HttpResponse:
    """« Mes informations » (rule G4), for the account holder or one of the family (?beneficiaire=)."""
    person = request.user.person
    raw = request.GET.get("beneficiaire")
    selected_id = person.pk if raw is None else _int_or_404(raw)
    today = clock.today()
    file = reference_selectors.beneficiary_file(
        family_id=person.family_id, person_id=selected_id, day=today
    )
    if file is None:
        raise Http404
    is_holder = file.person.pk == person.pk
    return render(
        request,
        "web/information.html",
        account_context(
            request,
            "information",
            title="Mes informations",
            holder=person,
            today=today,
            file=file,
            beneficiary=file.person,
            is_holder=is_holder,
            second_parent=second_parent_message(file),  # SIT29
            members=file.members,
            nir_display=format_nir(file.person.nir) if file.person.nir else "",
            iban_display=mask_iban(person.iban) if person.iban else "",
            email_display=mask_email(request.user.email) if request.user.email else "",
        ),
    )


@insured_required
@require_http_methods(["GET", "POST"])
def code_change(request: HttpRequest) -> HttpResponse:
    """« Mon code personnel »: the current code, then the new one twice (rule C5)."""
    form = CodeChangeForm(request.user, request.POST if request.method == "POST" else None)
    if request.method == "POST":
        valid = form.is_valid()
        # The current code is checked whenever it is typed, the new one refused or not (G1).
        if "old_password" in form.cleaned_data:
            try:
                account_services.code_change(
                    user=request.user,
                    current_code=form.cleaned_data["old_password"],
                    new_code=form.cleaned_data["new_password1"] if valid else None,
                    ip=client_ip(request),
                )
            except Refused as refused:
                form.add_error(refused.field, refused.message)
            else:
                if valid:
                    update_session_auth_hash(request, request.user)  # this one stays
                    messages.success(request, "Votre nouveau code personnel est enregistré.")
                    return redirect("web:information")
    return render(
        request,
        "web/code_change.html",
        account_context(request, "information", title="Mon code personnel", form=form),
    )


@insured_required
@require_http_methods(["GET", "POST"])
def account_close(request: HttpRequest) -> HttpResponse:
    """« Résilier mon compte ameli » (G4): what ends and what stays, then the code personnel
    and a confirmation box. Closed, the session ends and the public page confirms it."""
    form = AccountCloseForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            account_services.account_close(
                user=request.user, code=form.cleaned_data["code"], ip=client_ip(request)
            )
        except Refused as refused:
            form.add_error(refused.field, refused.message)
        else:
            logout(request)
            return redirect("web:account_closed")
    person = request.user.person
    return render(
        request,
        "web/account_close.html",
        account_context(
            request,
            "information",
            title="Résilier mon compte ameli",
            form=form,
            power=powers_selectors.current_power(person=person),
            has_email=bool(request.user.confirmed_email),
        ),
    )


@require_GET
def account_closed(request: HttpRequest) -> HttpResponse:
    """The public page shown once the account is closed (the session has ended)."""
    return render(request, "web/account_closed.html", {"title": "Votre compte est résilié"})


@insured_required
def messages_list(request: HttpRequest) -> HttpResponse:
    """« Ma messagerie »: the threads with the fund (« Espace d'échanges », issue 19) and the
    fund's messages, unread ones in bold."""
    return render(
        request,
        "web/messages.html",
        account_context(
            request,
            "messages",
            title="Ma messagerie",
            threads=exchange_selectors.threads_for_insured(user=request.user)[:INBOX_SIZE],
            inbox=notification_selectors.messages_for(user=request.user)[:INBOX_SIZE],
        ),
    )


@insured_required
def message_detail(request: HttpRequest, message_id: int) -> HttpResponse:
    """One message; opening it marks it read."""
    message = notification_selectors.message_for(user=request.user, message_id=message_id)
    if message is None:
        raise Http404
    if message.read_at is None:
        notification_services.message_mark_read(recipient=request.user, message_id=message.pk)
    return render(
        request,
        "web/message_detail.html",
        account_context(request, "messages", title=message.subject, message=message),
    )


@insured_required
@require_POST
def notification_read(request: HttpRequest, notification_id: int) -> HttpResponse:
    notification = notification_selectors.notification_for(
        user=request.user, notification_id=notification_id
    )
    if notification is None:
        raise Http404
    notification_services.notification_mark_read(
        recipient=request.user, notification_id=notification.pk
    )
    return redirect(_safe_next(request, "web:home"))


@insured_required
@require_POST
def notifications_read_all(request: HttpRequest) -> HttpResponse:
    notification_services.notifications_mark_all_read(recipient=request.user)
    messages.success(request, "Toutes vos notifications sont marquées comme lues.")
    return redirect(_safe_next(request, "web:home"))


@insured_required
@require_POST
def rating(request: HttpRequest) -> HttpResponse:
    """Store a « Notez votre démarche ! » answer (rule G5), posted by web/partials/rating.html."""
    form = RatingForm(request.POST)
    if form.is_valid():
        feedback_services.rating_record(
            user=request.user,
            procedure=Procedure(form.cleaned_data["procedure"]),
            score=form.cleaned_data["score"],
            comment=form.cleaned_data["comment"],
        )
        messages.success(request, "Merci, votre avis a bien été enregistré.")
        return redirect(_safe_next(request, "web:home"))
    return render(
        request,
        "web/rating.html",
        account_context(
            request,
            "procedures",
            title="Notez votre démarche !",
            rating_form=form,
            procedure=form.data.get("procedure", ""),
            next=_safe_next(request, ""),
        ),
        status=400,
    )
