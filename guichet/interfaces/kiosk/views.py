"""Kiosk (borne multi-services) pages, rule A7: card, beneficiary, NON/OUI options, print.

Touch-friendly (large targets, no hover), no account needed: the carte Vitale identifies the
person. Every page needs an enrolled kiosk (device.py; the enrolment page excepted, which
installs the kiosk's credential), and every page but the start screen a live kiosk session
(session.py).
"""

from csp.constants import SELF
from csp.decorators import csp_replace
from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.clickjacking import xframe_options_sameorigin
from django.views.decorators.http import require_http_methods, require_POST

from guichet.certificates import rules, selectors, services
from guichet.certificates.enums import Channel, Outcome
from guichet.certificates.models import Issuance
from guichet.core import clock
from guichet.core.http import client_ip
from guichet.core.refusals import Refused
from guichet.interfaces.kiosk import session
from guichet.interfaces.kiosk.card_reader import card_reader
from guichet.interfaces.kiosk.device import kiosk_device_required, set_device_cookie
from guichet.interfaces.kiosk.forms import BeneficiaryForm, EnrolmentForm, MentionsForm
from guichet.terminals import services as terminals


def _render(request: HttpRequest, template: str, title: str, **extra: object) -> HttpResponse:
    context = {
        "title": title,
        "idle_seconds": settings.KIOSK_IDLE_SECONDS,
        "kiosk_idle_seconds": settings.KIOSK_IDLE_SECONDS,
        **extra,
    }
    response = render(request, f"kiosk/{template}", context)
    response["Cache-Control"] = "no-store"
    return response


@require_http_methods(["GET", "POST"])
def enrol(request: HttpRequest) -> HttpResponse:
    """The IT team installs this kiosk's credential with its one-time enrolment code.

    The only kiosk page open to a device not enrolled. The link printed at enrolment fills the
    code in; only the POST (« Enregistrer cette borne ») uses it, so a link preview does not.
    """
    if request.method == "POST":
        form = EnrolmentForm(request.POST)
    else:
        form = EnrolmentForm(initial={"code": request.GET.get("code", "")[:40]})
    error = ""
    if request.method == "POST" and form.is_valid():
        try:
            installed = terminals.kiosk_install(
                code=form.cleaned_data["code"], ip=client_ip(request)
            )
        except Refused as refusal:
            error = refusal.message
        else:
            response = _render(
                request, "enrol.html", "Borne enregistrée", device=installed.device, idle_seconds=0
            )
            set_device_cookie(response, installed.secret)
            return response
    return _render(
        request, "enrol.html", "Enregistrer cette borne", form=form, error=error, idle_seconds=0
    )


@kiosk_device_required
@require_http_methods(["GET", "POST"])
def start(request: HttpRequest) -> HttpResponse:
    """The start screen: « Insérez votre carte Vitale » (the reader, or its form)."""
    reader = card_reader()
    form = reader.form(request)
    error = ""
    if request.method == "POST" and (form is None or form.is_valid()):
        reading = reader.read(request)
        if reading is not None:
            try:
                person = terminals.kiosk_card_sign_in(
                    device=request.kiosk_device,
                    serial_number=reading.serial_number,
                    birth_date=reading.birth_date,
                )
            except Refused as refused:
                error = refused.message
            else:
                session.start(request, person)
                return redirect("kiosk:services")
    if request.method == "GET" and request.session.get(session.PERSON_KEY):
        session.end(request)
    return _render(
        request,
        "start.html",
        "Borne multi-services",
        form=form,
        error=error,
        expired="expiree" in request.GET,
        idle_seconds=0,
    )


@kiosk_device_required
@session.kiosk_person_required
def services_menu(request: HttpRequest) -> HttpResponse:
    return _render(request, "services.html", "Mes services", person=request.kiosk_person)


@kiosk_device_required
@session.kiosk_person_required
@require_http_methods(["GET", "POST"])
def beneficiary(request: HttpRequest) -> HttpResponse:
    """Step 1/3: « L'ensemble des bénéficiaires » or one person; « Confirmer »."""
    person = request.kiosk_person
    covered = selectors.covered_members(family_id=person.family_id, day=clock.today())
    exclusion = rules.rights_certificate_exclusion(
        person=person, open_rights=selectors.rights_open(covered, person=person)
    )
    if exclusion:
        return _render(
            request, "outcome.html", "Mon attestation de droits", message=exclusion.message
        )
    form = BeneficiaryForm(request.POST if request.method == "POST" else None, covered=covered)
    if request.method == "POST" and form.is_valid():
        beneficiary_id = form.beneficiary_id()
        chosen = selectors.select_beneficiaries(covered, beneficiary_id)
        if not selectors.applicable_mentions(chosen):
            return _issue(request, beneficiary_id=beneficiary_id, mentions=[])
        request.session[session.CHOICE_KEY] = beneficiary_id
        return redirect("kiosk:options")
    return _render(
        request, "beneficiary.html", "Mon attestation de droits — Bénéficiaires", form=form
    )


def _issue(
    request: HttpRequest, *, beneficiary_id: int | None, mentions: list[str]
) -> HttpResponse:
    request.session.pop(session.CHOICE_KEY, None)
    try:
        result = services.rights_certificate_issue(
            person=request.kiosk_person,
            user=None,
            channel=Channel.KIOSK,
            beneficiary_id=beneficiary_id,
            mentions=mentions,
        )
    except services.NotOffered as refusal:
        return _render(
            request, "outcome.html", "Mon attestation de droits", message=refusal.message
        )
    if result.outcome == Outcome.ISSUED:
        return redirect("kiosk:document", reference=result.issuance.reference)
    return _render(
        request,
        "outcome.html",
        "Mon attestation de droits",
        message=result.message,
        address_unknown=result.outcome == Outcome.ADDRESS_UNKNOWN,
    )


@kiosk_device_required
@session.kiosk_person_required
@require_http_methods(["GET", "POST"])
def options(request: HttpRequest) -> HttpResponse:
    """Step 2/3: each option answered « NON » or « OUI »; then the attestation is issued."""
    if session.CHOICE_KEY not in request.session:
        return redirect("kiosk:beneficiary")
    person = request.kiosk_person
    beneficiary_id = request.session[session.CHOICE_KEY]
    covered = selectors.covered_members(family_id=person.family_id, day=clock.today())
    chosen = selectors.select_beneficiaries(covered, beneficiary_id)
    mentions = selectors.applicable_mentions(chosen)
    form = MentionsForm(request.POST if request.method == "POST" else None, mentions=mentions)
    if request.method == "POST" and form.is_valid():
        return _issue(request, beneficiary_id=beneficiary_id, mentions=form.chosen())
    names = ", ".join(f"{c.person.display_last_name} {c.person.first_names}" for c in chosen)
    return _render(
        request, "options.html", "Mon attestation de droits — Mentions", form=form, names=names
    )


def _own_issuance(request: HttpRequest, reference: str) -> Issuance:
    """A document of this session's card holder, else 404 (nobody else's, whatever the link)."""
    issuance = selectors.issuance_for_owner(reference=reference, person=request.kiosk_person)
    if issuance is None:
        raise Http404
    return issuance


@kiosk_device_required
@session.kiosk_person_required
def document(request: HttpRequest, reference: str) -> HttpResponse:
    """Step 3/3: view and print."""
    issuance = _own_issuance(request, reference)
    return _render(
        request, "document.html", "Mon attestation de droits — Document prêt", issuance=issuance
    )


@kiosk_device_required
@session.kiosk_person_required
def viewer(request: HttpRequest, reference: str) -> HttpResponse:
    """The document inside a kiosk page, so that the idle timeout and « Terminer » stay on screen.

    Opened on its own, the PDF would fill the browser with its viewer: no idle timer, no way
    back, the attestation left for the next person (docs/decisions/certificates-kiosk.md).
    """
    issuance = _own_issuance(request, reference)
    return _render(
        request, "viewer.html", "Mon attestation de droits — Affichage", issuance=issuance
    )


# Only this response may be framed, and only by the kiosk's own pages (the viewer above).
@xframe_options_sameorigin
@csp_replace({"frame-ancestors": [SELF]})
@kiosk_device_required
@session.kiosk_person_required
def document_pdf(request: HttpRequest, reference: str) -> HttpResponse:
    issuance = _own_issuance(request, reference)
    content = services.document_download(
        issuance=issuance, person=request.kiosk_person, user=None, channel=Channel.KIOSK
    )
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{issuance.reference}.pdf"'
    response["Cache-Control"] = "no-store"
    return response


@kiosk_device_required
@require_POST
@session.kiosk_person_required
def activity(request: HttpRequest) -> HttpResponse:
    """The screen was touched: the kiosk session lives on (the idle script calls this).

    Without it the server would end a session that the person is still using on one page
    (answering the options, reading the document). An ended session answers with the
    decorator's redirect to the start screen.
    """
    return HttpResponse(status=204)


@kiosk_device_required
@require_POST
def finish(request: HttpRequest) -> HttpResponse:
    """« Terminer »: the session is cleared and the start screen comes back."""
    session.end(request)
    return redirect("kiosk:start")
