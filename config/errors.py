"""The error pages (400, 403 and CSRF, 404, 500), in French in the DSFR layout (issue 14).

They live beside the root URLconf because they serve every interface: the way back they offer
follows the part of the site the request was for (agents, kiosk or the insured's pages).
"""

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.template import loader

_HOMES = (
    ("/agents/", "/agents/", "Retour à l'accueil de l'espace agents"),
    ("/borne/", "/borne/", "Retour à l'accueil de la borne"),
)


def _home(path: str) -> tuple[str, str]:
    for prefix, url, label in _HOMES:
        if path.startswith(prefix):
            return url, label
    return "/", "Retour à l'accueil"


def _render(request: HttpRequest, status: int, title: str, lead: str, text: str) -> HttpResponse:
    home_url, home_label = _home(request.path)
    # An explicit context and no context processors: the 500 page must render even when the
    # database, the session or the user behind the error is what failed.
    context = {
        "request": request,
        "title": title,
        "lead": lead,
        "text": text,
        "status": status,
        "home_url": home_url,
        "home_label": home_label,
        "SITE_CONFIG": {
            "site_title": settings.GUICHET_SERVICE_NAME,
            "site_tagline": settings.GUICHET_SERVICE_TAGLINE,
        },
        "STATE_BRAND": settings.GUICHET_STATE_BRAND,
    }
    body = loader.get_template("errors/error.html").render(context)
    return HttpResponse(body, status=status)


def bad_request(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return _render(
        request,
        400,
        "Requête incorrecte",
        "La demande envoyée au service n'a pas pu être comprise.",
        "Revenez à la page précédente et recommencez. Si le problème persiste, "
        "fermez votre navigateur puis reconnectez-vous.",
    )


def permission_denied(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return _render(
        request,
        403,
        "Accès refusé",
        "Vous n'avez pas accès à cette page.",
        "Si vous pensez qu'il s'agit d'une erreur, reconnectez-vous avec le bon compte.",
    )


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    return _render(
        request,
        403,
        "Formulaire expiré",
        "Le formulaire envoyé n'a pas pu être vérifié.",
        "Cela arrive quand la page est restée ouverte longtemps ou quand les cookies sont "
        "bloqués. Revenez à la page précédente, rechargez-la, puis envoyez le formulaire à "
        "nouveau. Ce service a besoin des cookies strictement nécessaires pour fonctionner.",
    )


def page_not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return _render(
        request,
        404,
        "Page non trouvée",
        "La page que vous cherchez est introuvable.",
        "L'adresse a peut-être été mal saisie, ou la page n'existe plus. Vérifiez l'adresse "
        "ou revenez à l'accueil.",
    )


def server_error(request: HttpRequest) -> HttpResponse:
    return _render(
        request,
        500,
        "Erreur inattendue",
        "Le service a rencontré un problème.",
        "L'équipe technique en est informée. Rien de ce que vous avez déjà enregistré n'est "
        "perdu : réessayez dans quelques instants.",
    )
