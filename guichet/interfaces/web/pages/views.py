from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from guichet.interfaces.web.access import insured_required
from guichet.interfaces.web.navigation import account_context


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
            # guichet.interfaces.kiosk.device.COOKIE_NAME (an interface this one does not import).
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
