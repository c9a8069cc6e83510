"""« Déclarer un changement de situation » on the web: « Changement d'adresse postale » and
« Modifier mes coordonnées bancaires » (rules SIT1–SIT10), « Changement de nom d'usage »
(SIT12–SIT16), « Déclaration du nouveau-né » (SIT17–SIT21), « Inscrire votre enfant sur la carte
Vitale de l'autre parent » (SIT22–SIT26) and « Annuler ma demande » (SIT27). Views validate, call one service of
guichet.situation, render."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from guichet.cards.uploads import UploadRejected
from guichet.core.http import client_ip
from guichet.core.masking import mask_iban
from guichet.core.refusals import Refused
from guichet.interfaces.web.access import insured_required
from guichet.interfaces.web.navigation import account_context
from guichet.interfaces.web.situation.forms import (
    AddressForm,
    BankDetailsForm,
    NewbornForm,
    OtherParentForm,
    UsageNameForm,
)
from guichet.situation import rules, selectors, services
from guichet.situation.enums import BankDetailsChangeStatus, UsageNameChangeStatus, WithdrawableKind

ADDRESS_SAVED = "Votre nouvelle adresse est enregistrée."


def _page(request: HttpRequest, template: str, title: str, **extra: object) -> HttpResponse:
    return render(
        request,
        f"web/situation/{template}",
        account_context(request, "procedures", title=title, **extra),
    )


def address_initial(person) -> dict:
    """The known address in the form, unless mail came back from it (NPAI: start empty)."""
    if person.address_npai:
        return {}
    return {
        "line1": person.address_line1,
        "line2": person.address_line2,
        "postal_code": person.postal_code,
        "city": person.city,
    }


def address_save(request: HttpRequest, form: AddressForm) -> bool:
    """Call the one address service (SIT1, SIT2) with a valid form; its field errors go back
    on the form, with everything typed kept."""
    try:
        services.person_address_change(
            person=request.user.person, user=request.user, **form.cleaned_data
        )
    except ValidationError as invalid:
        form.add_error(None, invalid)
        return False
    return True


@insured_required
@require_http_methods(["GET", "POST"])
def address(request: HttpRequest) -> HttpResponse:
    """« Changement d'adresse postale »: the new address replaces the old one at once."""
    person = request.user.person
    form = AddressForm(
        request.POST if request.method == "POST" else None, initial=address_initial(person)
    )
    if request.method == "POST" and form.is_valid() and address_save(request, form):
        messages.success(request, ADDRESS_SAVED)
        return redirect("web:situation_address_done")
    return _page(request, "address.html", "Changement d'adresse postale", form=form, person=person)


@insured_required
def address_done(request: HttpRequest) -> HttpResponse:
    return _page(
        request, "address_done.html", "Votre adresse est enregistrée", person=request.user.person
    )


@insured_required
@require_http_methods(["GET", "POST"])
def bank_details(request: HttpRequest) -> HttpResponse:
    """« Modifier mes coordonnées bancaires »: the IBAN, its holder, the RIB and the code
    personnel; then the back office checks it, and the old IBAN stays until then (SIT3–SIT10)."""
    person = request.user.person
    refusal = services.bank_details_change_refusal(person=person)
    form = None
    if refusal is None:
        form = BankDetailsForm(
            request.POST if request.method == "POST" else None,
            request.FILES if request.method == "POST" else None,
        )
        if request.method == "POST" and form.is_valid():
            try:
                services.bank_details_change_request(
                    user=request.user,
                    iban=form.cleaned_data["iban"],
                    holder_name=form.cleaned_data["holder_name"],
                    rib=form.cleaned_data["rib"],
                    code=form.cleaned_data["code"],
                    ip=client_ip(request),
                )
            except ValidationError as invalid:
                form.add_error(None, invalid)
            except UploadRejected as rejected:
                form.add_error("rib", str(rejected))
            except Refused as refused:
                form.add_error(refused.field, refused.message)
            else:
                messages.success(
                    request,
                    "Votre demande est envoyée : votre caisse la vérifie. Un email vous a été "
                    "envoyé.",
                )
                return redirect("web:situation_bank_details")
    latest = selectors.latest_bank_change(person=person)
    return _page(
        request,
        "bank_details.html",
        "Modifier mes coordonnées bancaires",
        form=form,
        refusal=refusal,
        current_iban=mask_iban(person.iban) if person.iban else "",
        latest=latest,
        latest_iban=mask_iban(latest.iban) if latest else "",
        pending=latest is not None and latest.status == BankDetailsChangeStatus.PENDING,
        cooling_off_days=rules.BANK_CHANGE_COOLING_OFF.days,
    )


@insured_required
@require_http_methods(["GET", "POST"])
def usage_name(request: HttpRequest) -> HttpResponse:
    """« Changement de nom d'usage »: the new name and its proof, checked by the back office
    (SIT12–SIT14); once approved, « Commander une nouvelle carte Vitale » (SIT15)."""
    person = request.user.person
    refusal = services.usage_name_change_refusal(person=person)
    form = None
    if refusal is None:
        form = UsageNameForm(
            request.POST if request.method == "POST" else None,
            request.FILES if request.method == "POST" else None,
        )
        if request.method == "POST" and form.is_valid():
            try:
                services.usage_name_change_request(
                    user=request.user,
                    usage_name=form.cleaned_data["usage_name"],
                    proof_kind=form.cleaned_data["proof_kind"],
                    proof=form.cleaned_data["proof"],
                )
            except ValidationError as invalid:
                form.add_error(None, invalid)
            except UploadRejected as rejected:
                form.add_error("proof", str(rejected))
            except Refused as refused:
                form.add_error(refused.field, refused.message)
            else:
                messages.success(
                    request,
                    "Votre demande est envoyée : votre caisse vérifie le justificatif. Un email "
                    "vous a été envoyé.",
                )
                return redirect("web:situation_usage_name")
    latest = selectors.latest_usage_name_change(person=person)
    return _page(
        request,
        "usage_name.html",
        "Changement de nom d'usage",
        form=form,
        refusal=refusal,
        person=person,
        latest=latest,
        pending=latest is not None and latest.status == UsageNameChangeStatus.PENDING,
    )


@insured_required
@require_http_methods(["GET", "POST"])
def newborn(request: HttpRequest) -> HttpResponse:
    """« Déclaration du nouveau-né »: the child joins the family at once, their NIR certified
    later by the back office from the birth certificate (SIT17–SIT20)."""
    person = request.user.person
    form = NewbornForm(
        request.POST if request.method == "POST" else None,
        request.FILES if request.method == "POST" else None,
        initial={"last_name": person.last_name},
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.newborn_declare(user=request.user, **form.cleaned_data)
        except ValidationError as invalid:
            form.add_error(None, invalid)
        except UploadRejected as rejected:
            form.add_error("birth_certificate", str(rejected))
        except Refused as refused:
            form.add_error(refused.field, refused.message)
        else:
            messages.success(
                request,
                "Votre enfant est rattaché à votre famille. Votre caisse certifie son numéro de "
                "sécurité sociale ; un email vous a été envoyé.",
            )
            return redirect("web:situation_newborn")
    return _page(
        request,
        "newborn.html",
        "Déclaration du nouveau-né",
        form=form,
        declarations=selectors.newborn_declarations(person=person),
    )


@insured_required
@require_http_methods(["GET", "POST"])
def other_parent(request: HttpRequest) -> HttpResponse:
    """« Inscrire votre enfant sur la carte Vitale de l'autre parent »: the child, the other
    parent found in the records, the proof naming both parents; the other parent's fund checks
    it (SIT22–SIT25)."""
    person = request.user.person
    children = services.other_parent_children(person=person)
    form = OtherParentForm(
        request.POST if request.method == "POST" else None,
        request.FILES if request.method == "POST" else None,
        children=[c for c in children if not hasattr(c, "second_parent_attachment")],
        initial={"child": request.GET.get("enfant", "")},
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.other_parent_registration_request(
                user=request.user,
                child_id=form.cleaned_data["child"],
                nir=form.cleaned_data["nir"],
                last_name=form.cleaned_data["last_name"],
                birth_date=form.cleaned_data["birth_date"],
                proof=form.cleaned_data["proof"],
            )
        except ValidationError as invalid:
            form.add_error(None, invalid)
        except UploadRejected as rejected:
            form.add_error("proof", str(rejected))
        except Refused as refused:
            form.add_error(refused.field, refused.message)
        else:
            messages.success(
                request,
                "Votre demande est envoyée : la caisse de l'autre parent vérifie le justificatif. "
                "Un email vous a été envoyé.",
            )
            return redirect("web:situation_other_parent")
    return _page(
        request,
        "other_parent.html",
        "Inscrire votre enfant sur la carte Vitale de l'autre parent",
        form=form,
        children=children,
        registrations=selectors.other_parent_registrations(person=person),
        max_age=rules.TWO_PARENTS_MAX_AGE,
    )


WITHDRAWN_PAGES = {
    WithdrawableKind.BANK_DETAILS: "web:situation_bank_details",
    WithdrawableKind.USAGE_NAME: "web:situation_usage_name",
    WithdrawableKind.NEWBORN: "web:situation_newborn",
    WithdrawableKind.OTHER_PARENT: "web:situation_other_parent",
}


@insured_required
@require_http_methods(["GET", "POST"])
def withdraw(request: HttpRequest, kind: str, request_id: int) -> HttpResponse:
    """« Annuler ma demande » (SIT27): a confirmation page (no JavaScript needed), then the
    one withdrawal service; refused with its message once the request is checked."""
    try:
        pending = services.withdrawable_request(user=request.user, kind=kind, request_id=request_id)
    except Refused as refused:
        raise Http404(refused.message) from None
    back = WITHDRAWN_PAGES[WithdrawableKind(kind)]
    if request.method == "POST":
        try:
            services.situation_request_withdraw(user=request.user, kind=kind, request_id=request_id)
        except Refused as refused:
            messages.error(request, refused.message)
        else:
            messages.success(
                request, "Votre demande est annulée : votre caisse ne la traitera pas."
            )
        return redirect(back)
    return _page(
        request,
        "withdraw.html",
        "Annuler ma demande",
        what=WithdrawableKind(kind).label,
        pending=pending,
        back=back,
    )
