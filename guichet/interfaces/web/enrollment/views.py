"""« Je crée mon compte ameli » (rules C1-C9): way 1 carte Vitale + IBAN, way 2 FranceConnect."""

from django.conf import settings
from django.contrib.auth import login, logout
from django.contrib.auth.hashers import make_password
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from guichet.accounts import services as account_services
from guichet.accounts.backends import BACKEND
from guichet.accounts.models import User
from guichet.core.http import client_ip
from guichet.core.masking import mask_email
from guichet.core.refusals import Refusal, Refused
from guichet.enrollment import franceconnect, rules, selectors
from guichet.enrollment import services as enrollment
from guichet.enrollment.enums import LinkPhase, Way
from guichet.enrollment.matching import iban_hint
from guichet.enrollment.strength import code_strength, person_inputs
from guichet.interfaces.web.enrollment.forms import (
    CodeForm,
    ContactForm,
    IdentityForm,
    NewAddressForm,
    ProofForm,
)
from guichet.reference.models import Person

SESSION_KEY = "enrollment"
ACTIVATION_KEY = "enrollment_activation_user"
FC_KEY = "franceconnect"
FC_ID_TOKEN_KEY = "franceconnect_id_token"  # noqa: S105 (a session key name)


def _state(request: HttpRequest) -> dict:
    return dict(request.session.get(SESSION_KEY, {}))


def _save(request: HttpRequest, **values: object) -> None:
    request.session[SESSION_KEY] = {**_state(request), **values}


def _person(request: HttpRequest, *, proven: bool) -> Person | None:
    state = _state(request)
    if not state.get("person_id") or (proven and not state.get("proven")):
        return None
    return Person.objects.select_related("family__scheme").filter(pk=state["person_id"]).first()


def _fc_available() -> bool:
    return franceconnect.is_configured()


def _page(
    request: HttpRequest, template: str, title: str, *, status: int = 200, **context: object
) -> HttpResponse:
    return render(
        request,
        f"web/enrollment/{template}.html",
        {"title": title, "franceconnect_available": _fc_available(), **context},
        status=status,
    )


def _after_identified(request: HttpRequest, person: Person, way: Way) -> HttpResponse | None:
    """Already an account (C8 / login) or excluded (C4): the page to show, else None."""
    refusal = rules.creation_refusal(person, way=way)
    if refusal is None:
        return None
    return _refused(request, refusal)


def _refused(request: HttpRequest, refusal: Refusal) -> HttpResponse:
    request.session.pop(SESSION_KEY, None)
    if refusal == rules.ACCOUNT_EXISTS:
        return redirect("web:enrollment_existing")
    request.session["enrollment_exclusion"] = refusal.message
    return redirect("web:enrollment_ways_out")


@require_GET
def start(request: HttpRequest) -> HttpResponse:
    request.session.pop(SESSION_KEY, None)
    return _page(request, "start", "Je crée mon compte ameli")


@require_GET
def ways_out(request: HttpRequest) -> HttpResponse:
    """C3: not eligible, or no serial number → contact the caisse, or use FranceConnect."""
    reason = request.session.pop("enrollment_exclusion", "")
    no_match = request.session.pop("enrollment_fc_no_match", "")
    return _page(
        request,
        "ways_out",
        "Je ne peux pas créer mon compte immédiatement",
        reason=reason,
        no_match=no_match,
    )


@require_GET
def existing(request: HttpRequest) -> HttpResponse:
    return _page(request, "existing", "Vous avez déjà un compte")


@require_http_methods(["GET", "POST"])
def identity(request: HttpRequest) -> HttpResponse:
    form = IdentityForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        result = enrollment.identity_check(
            last_name=form.cleaned_data["last_name"],
            nir=form.cleaned_data["nir"],
            birth_date=form.cleaned_data["birth_date"],
            postal_code=form.cleaned_data["postal_code"],
            ip=client_ip(request),
        )
        if result.person is not None:
            stop = _after_identified(request, result.person, Way.CARTE_VITALE)
            if stop:
                return stop
            request.session.cycle_key()
            request.session[SESSION_KEY] = {
                "person_id": result.person.pk,
                "way": Way.CARTE_VITALE.value,
                "proven": False,
            }
            return redirect("web:enrollment_proof")
        form.add_error(None, result.error)
    return _page(request, "identity", "Je crée mon compte ameli — Mon identité", form=form)


@require_http_methods(["GET", "POST"])
def proof(request: HttpRequest) -> HttpResponse:
    person = _person(request, proven=False)
    if person is None or _state(request).get("way") != Way.CARTE_VITALE:
        return redirect("web:enrollment_identity")
    form = ProofForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        result = enrollment.proof_check(
            person=person,
            iban_end=form.cleaned_data["iban_end"],
            serial_end=form.cleaned_data["serial_end"],
            ip=client_ip(request),
        )
        if result.person is not None:
            _save(request, proven=True)
            return redirect("web:enrollment_code")
        if result.throttled:
            request.session.pop(SESSION_KEY, None)
        form.add_error(None, result.error)
    return _page(
        request,
        "proof",
        "Je crée mon compte ameli — Ma carte Vitale et mon IBAN",
        form=form,
        masked_iban=iban_hint(person.iban),
    )


def _strength_inputs(person: Person) -> list[str]:
    return person_inputs(
        nir=person.nir or "",
        birth_date=person.birth_date,
        names=[person.last_name, person.usage_name, *person.first_names.split()],
    )


@require_http_methods(["GET", "POST"])
def code(request: HttpRequest) -> HttpResponse:
    person = _person(request, proven=True)
    if person is None:
        return redirect("web:enrollment_start")
    form = CodeForm(request.POST or None, person=person)
    strength = None
    if request.method == "POST":
        strength = code_strength(
            request.POST.get("code1", ""), user_inputs=_strength_inputs(person)
        )
        if form.is_valid():
            _save(request, password_hash=make_password(form.cleaned_data["code1"]))
            return redirect("web:enrollment_contact")
    return _page(
        request, "code", "Je choisis mon code personnel", form=form, strength=strength, step=1
    )


@require_POST
def code_strength_json(request: HttpRequest) -> JsonResponse:
    """The live « Niveau indicatif de sécurité » (JavaScript enhancement of the code page)."""
    person = _person(request, proven=True)
    if person is None:
        return JsonResponse({"error": "Session expirée."}, status=403)
    strength = code_strength(request.POST.get("code", ""), user_inputs=_strength_inputs(person))
    return JsonResponse(
        {"score": strength.score, "label": strength.label, "percent": strength.percent}
    )


@require_http_methods(["GET", "POST"])
def contact(request: HttpRequest) -> HttpResponse:
    person = _person(request, proven=True)
    state = _state(request)
    if person is None or not state.get("password_hash"):
        return redirect("web:enrollment_start")
    initial = {"email": state.get("fc_email", "")}
    form = ContactForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            enrollment.account_create(
                request=enrollment.AccountRequest(
                    person=person,
                    way=Way(state["way"]),
                    password_hash=state["password_hash"],
                    email=form.cleaned_data["email"],
                    mobile_phone=form.cleaned_data["mobile_phone"],
                    landline_phone=form.cleaned_data["landline_phone"],
                    information_consent=form.cleaned_data["information_consent"],
                )
            )
        except enrollment.EmailTaken as exc:
            form.add_error("email", str(exc))
        except enrollment.AccountExists:
            request.session.pop(SESSION_KEY, None)
            return redirect("web:enrollment_existing")
        except enrollment.EnrollmentError as exc:  # a Refused too: before the rules' refusals
            form.add_error(None, str(exc))
        except Refused as refused:
            return _refused(request, refused.refusal)
        else:
            return _logout_to_sent(request, form.cleaned_data["email"])
    return _page(request, "contact", "Mes coordonnées", form=form, step=2)


def _logout_to_sent(request: HttpRequest, email: str) -> HttpResponse:
    """C7: the person is logged out (of FranceConnect too) and told to open their mailbox."""
    id_token = request.session.get(FC_ID_TOKEN_KEY, "")
    logout(request)
    request.session["enrollment_sent_to"] = mask_email(email)
    sent_url = request.build_absolute_uri(reverse("web:enrollment_sent"))
    if id_token:
        try:
            target = franceconnect.logout_url(id_token=id_token, post_logout_redirect_uri=sent_url)
        except franceconnect.FranceConnectError:
            target = None
        if target:
            return redirect(target)
    return redirect("web:enrollment_sent")


@require_GET
def sent(request: HttpRequest) -> HttpResponse:
    return _page(
        request,
        "sent",
        "Validation de mon email",
        sent_to=request.session.get("enrollment_sent_to", ""),
        step=3,
    )


@require_GET
def confirm(request: HttpRequest, token: str) -> HttpResponse:
    """The emailed link: only confirms the address and activates the account (never logs in)."""
    confirmation = enrollment.confirmation_from_token(token)
    if confirmation is None:
        return _page(request, "link_invalid", "Lien non valide", status=400)
    phase = enrollment.confirmation_use(confirmation_id=confirmation.pk)
    if phase == LinkPhase.ACTIVE:
        return _page(request, "confirmed", "Mon compte est activé")
    if phase in (LinkPhase.CONFIRMED, LinkPhase.SUPERSEDED):
        return _page(request, "link_used", "Ce lien n'est plus utilisable", phase=phase)
    request.session[ACTIVATION_KEY] = confirmation.user_id
    return redirect("web:enrollment_activation")


def _activation_user(request: HttpRequest) -> User | None:
    user_id = request.session.get(ACTIVATION_KEY)
    if not user_id:
        return None
    return User.objects.filter(pk=user_id, email_confirmed_at__isnull=True).first()


@require_http_methods(["GET", "POST"])
def activation(request: HttpRequest) -> HttpResponse:
    """C8 after the link's 7 days, or at login before activation: resend or give a new address.

    A new address comes with the holder's proof (issue 13), checked by confirmation_resend.
    """
    user = _activation_user(request)
    if user is None:
        return redirect("web:login")
    latest = selectors.latest_confirmation(user=user)
    phase = enrollment.link_phase(latest) if latest else LinkPhase.ADDRESS_DELETED
    form = NewAddressForm(request.POST or None)
    if request.method == "POST":
        action = request.POST.get("action", "")
        email, proof = "", None
        if action in ("other", "new"):
            if not form.is_valid():
                return _activation_page(request, phase, latest, form, action)
            email, proof = form.cleaned_data["email"], form.proof()
        elif action != "same" or phase == LinkPhase.ADDRESS_DELETED:
            return redirect("web:enrollment_activation")
        try:
            confirmation = enrollment.confirmation_resend(
                user=user, email=email, proof=proof, ip=client_ip(request)
            )
        except enrollment.ProofRefused as exc:
            form.add_error(exc.field, str(exc))
            return _activation_page(request, phase, latest, form, action)
        except enrollment.EnrollmentError as exc:
            if not email:  # « même adresse »: the new-address form stays blank
                return _activation_page(
                    request, phase, latest, NewAddressForm(), action, error=str(exc)
                )
            about_address = not isinstance(exc, enrollment.ResendLimited)
            form.add_error("email" if about_address else None, str(exc))
            return _activation_page(request, phase, latest, form, action)
        request.session.pop(ACTIVATION_KEY, None)
        request.session["enrollment_sent_to"] = mask_email(confirmation.email)
        return redirect("web:enrollment_sent")
    return _activation_page(request, phase, latest, NewAddressForm(), "")


def _activation_page(
    request: HttpRequest,
    phase: LinkPhase,
    latest: object,
    form: NewAddressForm,
    action: str,
    *,
    error: str = "",
) -> HttpResponse:
    titles = {
        LinkPhase.ACTIVE: "Validation de mon email",
        LinkPhase.EXPIRED: "Le lien n'est plus actif",
        LinkPhase.ADDRESS_DELETED: "Je saisis une adresse email valide",
    }
    email = getattr(latest, "email", "") if phase != LinkPhase.ADDRESS_DELETED else ""
    return _page(
        request,
        "activation",
        titles.get(phase, "Validation de mon email"),
        phase=phase,
        masked_email=mask_email(email) if email else "",
        form=form,
        action=action,
        error=error,
    )


# --- Way 2: FranceConnect (C9) -------------------------------------------------------------


def _fc_redirect_uri(request: HttpRequest) -> str:
    return request.build_absolute_uri(reverse("web:franceconnect_callback"))


@require_POST
def franceconnect_start(request: HttpRequest) -> HttpResponse:
    if not _fc_available():
        return redirect("web:enrollment_start")
    try:
        auth = franceconnect.authorization_request(redirect_uri=_fc_redirect_uri(request))
    except franceconnect.FranceConnectError as exc:
        return _page(
            request, "franceconnect_error", "Connexion FranceConnect impossible", error=str(exc)
        )
    request.session[FC_KEY] = {"state": auth.state, "nonce": auth.nonce}
    return redirect(auth.url)


@require_GET
def franceconnect_callback(request: HttpRequest) -> HttpResponse:
    pending = request.session.pop(FC_KEY, None) or {}
    if request.GET.get("error") or not request.GET.get("code"):
        return _page(
            request,
            "franceconnect_error",
            "Connexion FranceConnect impossible",
            error="La connexion avec FranceConnect a été interrompue.",
        )
    try:
        identity_ = franceconnect.identity_from_callback(
            code=request.GET["code"],
            state=request.GET.get("state", ""),
            expected_state=pending.get("state", ""),
            nonce=pending.get("nonce", ""),
            redirect_uri=_fc_redirect_uri(request),
        )
    except franceconnect.FranceConnectError as exc:
        return _page(
            request, "franceconnect_error", "Connexion FranceConnect impossible", error=str(exc)
        )
    match = enrollment.franceconnect_match(
        given_name=identity_.given_name,
        family_name=identity_.family_name,
        birthdate=identity_.birthdate,
        gender=identity_.gender,
        birthplace=identity_.birthplace,
    )
    if match.person is None:
        request.session["enrollment_fc_no_match"] = "several" if match.several else "none"
        return _fc_logout(request, reverse("web:enrollment_ways_out"), identity_.id_token)
    person = match.person
    account = User.objects.filter(person=person).first()
    if account is not None and account.is_active:
        request.session.cycle_key()
        account_services.user_record_login(user=account, ip=client_ip(request))
        login(request, account, backend=BACKEND)
        request.session[FC_ID_TOKEN_KEY] = identity_.id_token
        return redirect("web:after_login")
    if account is not None and selectors.latest_confirmation(user=account) is not None:
        request.session[ACTIVATION_KEY] = account.pk
        return _fc_logout(request, reverse("web:enrollment_activation"), identity_.id_token)
    stop = _after_identified(request, person, Way.FRANCECONNECT)
    if stop:
        return stop
    request.session.cycle_key()
    request.session[SESSION_KEY] = {
        "person_id": person.pk,
        "way": Way.FRANCECONNECT.value,
        "proven": True,
        "fc_email": identity_.email,
    }
    request.session[FC_ID_TOKEN_KEY] = identity_.id_token
    return redirect("web:enrollment_code")


def _fc_logout(request: HttpRequest, next_path: str, id_token: str) -> HttpResponse:
    """Leave FranceConnect's session at once when the identity is not used here."""
    try:
        target = franceconnect.logout_url(
            id_token=id_token, post_logout_redirect_uri=request.build_absolute_uri(next_path)
        )
    except franceconnect.FranceConnectError:
        target = None
    return redirect(target or next_path)


def franceconnect_logout_url(request: HttpRequest) -> str | None:
    """The provider's end-session URL when the session was opened through FranceConnect."""
    id_token = request.session.get(FC_ID_TOKEN_KEY, "")
    if not id_token:
        return None
    try:
        return franceconnect.logout_url(
            id_token=id_token,
            post_logout_redirect_uri=request.build_absolute_uri(reverse("web:login")),
        )
    except franceconnect.FranceConnectError:
        return None


def login_context() -> dict:
    """The links the login page shows (rule G1): FranceConnect and account creation."""
    return {
        "franceconnect_url": reverse("web:franceconnect_start") if _fc_available() else "",
        "signup_url": reverse("web:enrollment_start"),
        "fc_sandbox": settings.GUICHET_FC_SANDBOX,
    }
