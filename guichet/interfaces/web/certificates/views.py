"""Certificates on the web (rules A1–A6): attestation de droits, IJ, relevés, and verification.

Each request ends with one outcome of rule A4: the document (result page + PDF in a new tab),
the address form first, or the rejection message. Exclusions (A3) come before any step.
"""

import datetime as dt

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from guichet.certificates import rules, selectors, services
from guichet.certificates.enums import Channel, DocumentKind, Outcome
from guichet.core import clock
from guichet.interfaces.web.access import insured_required
from guichet.interfaces.web.certificates.forms import (
    DailyAllowancePeriodForm,
    MonthForm,
    RightsCertificateForm,
    VerifyForm,
)
from guichet.interfaces.web.navigation import account_context
from guichet.interfaces.web.situation.forms import AddressForm
from guichet.situation import services as situation_services

PENDING_KEY = "certificate_pending"


def _page(request: HttpRequest, template: str, title: str, **extra: object) -> HttpResponse:
    return render(
        request,
        f"web/certificates/{template}",
        account_context(request, "procedures", title=title, **extra),
    )


def _issue(
    request: HttpRequest, pending: dict, covered: list[selectors.Covered] | None
) -> services.Result:
    """Run the service of a request (kept in the session while the address is asked)."""
    person, user = request.user.person, request.user
    kind = pending["kind"]
    if kind == DocumentKind.RIGHTS:
        return services.rights_certificate_issue(
            person=person,
            user=user,
            channel=Channel.WEB,
            beneficiary_id=pending["beneficiary"],
            mentions=pending["mentions"],
            covered=covered,
        )
    if kind == DocumentKind.DAILY_ALLOWANCE:
        return services.daily_allowance_certificate_issue(
            person=person,
            user=user,
            channel=Channel.WEB,
            start=dt.date.fromisoformat(pending["start"]),
            end=dt.date.fromisoformat(pending["end"]),
        )
    if kind == DocumentKind.MONTHLY_STATEMENT:
        return services.monthly_statement_issue(
            person=person,
            user=user,
            channel=Channel.WEB,
            month=dt.date.fromisoformat(pending["month"]),
        )
    return services.tax_statement_issue(person=person, user=user, channel=Channel.WEB)


def _conclude(
    request: HttpRequest, pending: dict, covered: list[selectors.Covered] | None = None
) -> HttpResponse:
    """A4: show the outcome of a request. `covered`: the family's covered members when the
    page has just read them (the attestation de droits form), so the service does not."""
    title = DocumentKind(pending["kind"]).label
    try:
        result = _issue(request, pending, covered)
    except services.NotOffered as refusal:
        request.session.pop(PENDING_KEY, None)
        return _page(request, "outcome.html", title, outcome="not_offered", message=refusal.message)
    if result.outcome == Outcome.ISSUED:
        request.session.pop(PENDING_KEY, None)
        return redirect("web:certificate_document", reference=result.issuance.reference)
    if result.outcome == Outcome.ADDRESS_UNKNOWN:
        request.session[PENDING_KEY] = pending
        return _page(
            request, "outcome.html", title, outcome="address_unknown", message=result.message
        )
    request.session.pop(PENDING_KEY, None)
    return _page(request, "outcome.html", title, outcome="cannot_issue", message=result.message)


@insured_required
@require_http_methods(["GET", "POST"])
def rights(request: HttpRequest) -> HttpResponse:
    person = request.user.person
    title = "Attestation de droits"
    covered = selectors.covered_members(family_id=person.family_id, day=clock.today())
    exclusion = rules.rights_certificate_exclusion(
        person=person, open_rights=selectors.rights_open(covered, person=person)
    )
    if exclusion:
        return _page(request, "outcome.html", title, outcome="excluded", message=exclusion.message)
    form = RightsCertificateForm(
        request.POST if request.method == "POST" else None,
        covered=covered,
        mentions=selectors.applicable_mentions(covered),
    )
    if request.method == "POST" and form.is_valid():
        return _conclude(
            request,
            {
                "kind": DocumentKind.RIGHTS.value,
                "beneficiary": form.beneficiary_id(),
                "mentions": form.cleaned_data.get("mentions", []),
            },
            covered,
        )
    return _page(
        request,
        "rights.html",
        title,
        form=form,
        person=person,
        student_notice=rules.STUDENT_MESSAGE,
    )


@insured_required
@require_http_methods(["GET", "POST"])
def daily_allowance(request: HttpRequest) -> HttpResponse:
    form = DailyAllowancePeriodForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        return _conclude(
            request,
            {
                "kind": DocumentKind.DAILY_ALLOWANCE.value,
                "start": form.cleaned_data["start"].isoformat(),
                "end": form.cleaned_data["end"].isoformat(),
            },
        )
    return _page(
        request,
        "daily_allowance.html",
        "Attestation de paiement d'indemnités journalières",
        form=form,
    )


@insured_required
@require_http_methods(["GET", "POST"])
def monthly(request: HttpRequest) -> HttpResponse:
    person = request.user.person
    months = selectors.months_with_payments(
        family_id=person.family_id, months=rules.offered_months(day=clock.today())
    )
    form = MonthForm(request.POST if request.method == "POST" else None, months=months)
    if request.method == "POST" and form.is_valid():
        return _conclude(
            request,
            {
                "kind": DocumentKind.MONTHLY_STATEMENT.value,
                "month": form.cleaned_data["month"].isoformat(),
            },
        )
    return _page(request, "monthly.html", "Mes relevés mensuels", form=form, months=months)


@insured_required
@require_http_methods(["GET", "POST"])
def tax(request: HttpRequest) -> HttpResponse:
    if request.method == "POST":
        return _conclude(request, {"kind": DocumentKind.TAX_STATEMENT.value})
    return _page(
        request, "tax.html", "Relevé fiscal", year=rules.tax_statement_year(day=clock.today())
    )


@insured_required
@require_http_methods(["GET", "POST"])
def address(request: HttpRequest) -> HttpResponse:
    """« Modifier mon adresse » / « Je renseigne ma nouvelle adresse » (A4): the same service
    as « Changement d'adresse postale » (SIT1, SIT2), then the pending document is issued."""
    person = request.user.person
    initial = (
        {}
        if person.address_npai
        else {
            "line1": person.address_line1,
            "line2": person.address_line2,
            "postal_code": person.postal_code,
            "city": person.city,
        }
    )
    form = AddressForm(request.POST if request.method == "POST" else None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            situation_services.person_address_change(
                person=person, user=request.user, **form.cleaned_data
            )
        except ValidationError as invalid:
            form.add_error(None, invalid)
        else:
            pending = request.session.get(PENDING_KEY)
            if pending:
                return _conclude(request, pending)
            messages.success(request, "Votre nouvelle adresse est enregistrée.")
            return redirect("web:certificate_rights")
    return _page(
        request,
        "address.html",
        "Mon adresse postale",
        form=form,
        pending=bool(request.session.get(PENDING_KEY)),
    )


@insured_required
def document(request: HttpRequest, reference: str) -> HttpResponse:
    """A4 success: « … s'est affichée dans une nouvelle fenêtre » with the fallback link."""
    issuance = selectors.issuance_for_owner(reference=reference, person=request.user.person)
    if issuance is None:
        raise Http404
    return _page(request, "document.html", issuance.get_kind_display(), issuance=issuance)


@insured_required
def document_pdf(request: HttpRequest, reference: str) -> HttpResponse:
    """The PDF, for the insured who asked for it only (others: 404). Each download recorded."""
    issuance = selectors.issuance_for_owner(reference=reference, person=request.user.person)
    if issuance is None:
        raise Http404
    content = services.document_download(
        issuance=issuance, person=request.user.person, user=request.user, channel=Channel.WEB
    )
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{issuance.reference}.pdf"'
    response["Cache-Control"] = "private, no-store"
    return response


@insured_required
def documents(request: HttpRequest) -> HttpResponse:
    """A5: any document can be downloaded again."""
    return _page(
        request,
        "documents.html",
        "Mes documents",
        issuances=selectors.issuances_of(person=request.user.person)[:50],
    )


def verify(request: HttpRequest, code: str = "") -> HttpResponse:
    """Public page: is this document genuine? Nothing personal beyond the holder's initials.

    Reached from the QR code (/verifier/<signed code>/) or by typing the printed reference.
    """
    form = VerifyForm(request.GET if "reference" in request.GET else None)
    result = None
    if code:
        result = selectors.verify(code=code, day=clock.today())
    elif form.is_bound and form.is_valid():
        result = selectors.verify(reference=form.cleaned_data["reference"], day=clock.today())
    response = render(
        request,
        "web/certificates/verify.html",
        {"title": "Vérifier un document", "form": form, "result": result},
    )
    response["Cache-Control"] = "no-store"
    response["X-Robots-Tag"] = "noindex"
    return response
