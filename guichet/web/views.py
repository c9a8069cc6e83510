from django.conf import settings
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from guichet.accounts import recovery
from guichet.core.http import client_ip
from guichet.web.access import insured_required
from guichet.web.forms_reset import CodeResetRequestForm, CodeSetForm
from guichet.web.navigation import account_context


@insured_required
def after_login(request: HttpRequest) -> HttpResponse:
    """Where a fresh login lands: the home page, unless a procedure needs the person first."""
    from guichet.web.views_complementary import interstitial_due

    if interstitial_due(request):
        return redirect("web:complementary_alert")
    return redirect("web:home")


def nir_help(request: HttpRequest) -> HttpResponse:
    return render(
        request, "web/nir_help.html", {"title": "Où trouver mon numéro de sécurité sociale ?"}
    )


@require_http_methods(["GET", "POST"])
def password_reset(request: HttpRequest) -> HttpResponse:
    form = CodeResetRequestForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        answer = recovery.code_reset_request(
            nir=form.cleaned_data["nir"],
            birth_date=form.cleaned_data["birth_date"],
            ip=client_ip(request),
        )
        if not answer.message:
            return render(request, "web/password_reset_sent.html", {"title": "Code oublié"})
        form.add_error(None, answer.message)
    return render(request, "web/password_reset.html", {"form": form, "title": "Code oublié"})


@require_http_methods(["GET", "POST"])
def password_reset_confirm(request: HttpRequest, uidb64: str, token: str) -> HttpResponse:
    user = recovery.code_reset_user(uidb64=uidb64, token=token)
    if user is None:
        return render(
            request, "web/password_reset_invalid.html", {"title": "Lien expiré"}, status=400
        )
    form = CodeSetForm(user, request.POST or None)
    if request.method == "POST" and form.is_valid():
        recovery.code_reset_complete(
            user=user, code=form.cleaned_data["new_password1"], ip=client_ip(request)
        )
        messages.success(
            request, "Votre nouveau code personnel est enregistré. Vous pouvez vous connecter."
        )
        return redirect("web:login")
    return render(
        request,
        "web/password_reset_confirm.html",
        {"form": form, "title": "Nouveau code personnel"},
    )


@insured_required
def prevention(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "web/prevention.html",
        account_context(request, "prevention", title="Mon espace prévention"),
    )


# The accessibility statement's list of what is known not to conform (RGAA 4.1); an item goes
# when the fix lands, with the test that shows it.
ACCESSIBILITY_KNOWN_ISSUES: tuple[str, ...] = ()


def _legal_context(title: str, **extra: object) -> dict:
    return {
        "title": title,
        "operator": settings.GUICHET_OPERATOR_NAME,
        **extra,
    }


def accessibility(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "web/legal/accessibility.html",
        _legal_context(
            "Déclaration d'accessibilité",
            known_issues=ACCESSIBILITY_KNOWN_ISSUES,
            contact_email=settings.GUICHET_ACCESSIBILITY_EMAIL,
        ),
    )


def legal_notice(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "web/legal/legal_notice.html",
        _legal_context("Mentions légales", hosting=settings.GUICHET_HOSTING),
    )


def personal_data(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "web/legal/personal_data.html",
        _legal_context("Données personnelles", dpo_email=settings.GUICHET_DPO_EMAIL),
    )


def cookies(request: HttpRequest) -> HttpResponse:
    idle_minutes = settings.SESSION_COOKIE_AGE // 60
    rows = [
        (
            settings.SESSION_COOKIE_NAME,
            "Garde votre connexion et les étapes d'une démarche en cours.",
            f"Jusqu'à la fermeture du navigateur, ou {idle_minutes} minutes sans activité.",
        ),
        (
            settings.CSRF_COOKIE_NAME,
            "Protège les formulaires contre les envois frauduleux depuis un autre site.",
            "Un an.",
        ),
        (
            # guichet.kiosk.device.COOKIE_NAME (an interface this one does not import).
            "guichet_borne",
            "Sur les bornes de l'accueil seulement : identifie la borne installée par la caisse.",
            "400 jours, renouvelés tant que la borne sert.",
        ),
        (
            "messages",
            "Affiche une seule fois un message de confirmation après une action.",
            "Jusqu'à l'affichage du message.",
        ),
    ]
    return render(
        request, "web/legal/cookies.html", _legal_context("Gestion des cookies", cookies=rows)
    )
