"""The API's one error shape: ``{"code", "message", "fields"}`` for every failure.

``code`` is a stable English identifier the app may branch on; ``message`` is the French
sentence the web shows in the same situation; ``fields`` maps an input field to its French
messages (validation errors only, empty otherwise). docs/api.md lists the codes.
"""

from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from ninja import NinjaAPI, Schema
from ninja.errors import AuthenticationError, AuthorizationError, HttpError, ValidationError
from pydantic import Field


class ErrorOut(Schema):
    code: str = Field(
        description="Code stable, en anglais, sur lequel l'application peut brancher."
    )
    message: str = Field(description="Message en français, le même que sur le site.")
    fields: dict[str, list[str]] = Field(
        default_factory=dict, description="Erreurs par champ (erreurs de saisie seulement)."
    )


class ApiError(Exception):
    """Raised by an endpoint to answer with the error shape."""

    def __init__(
        self,
        status: int,
        code: str,
        message: str,
        *,
        fields: dict[str, list[str]] | None = None,
        headers: dict[str, str] | None = None,
    ) -> None:
        super().__init__(message)
        self.status, self.code, self.message = status, code, message
        self.fields = fields or {}
        self.headers = headers or {}


NOT_AUTHENTICATED = "Votre session a expiré ou n'est pas valide. Reconnectez-vous."
FORBIDDEN = "Cet accès est réservé aux assurés."
NOT_FOUND = "La page ou l'élément demandé n'existe pas."
INVALID_INPUT = "Le formulaire comporte une ou plusieurs erreurs. Merci de vérifier votre saisie."
DEFAULT_CODES = {
    400: "bad_request",
    401: "not_authenticated",
    403: "forbidden",
    404: "not_found",
    405: "method_not_allowed",
    409: "conflict",
    413: "payload_too_large",
    422: "invalid_input",
    429: "too_many_requests",
}

# ninja's own HttpErrors carry English text: answer in French.
DEFAULT_MESSAGES = {
    400: "Le corps de la requête n'est pas un JSON valide.",
    405: "Cette opération n'accepte pas cette méthode HTTP.",
    413: "Le fichier envoyé est trop volumineux.",
    429: "Trop de requêtes. Réessayez dans quelques instants.",
}

# Pydantic's error types, answered with the web forms' French messages.
_MESSAGES = {
    "missing": "Ce champ est obligatoire.",
    "int_parsing": "Saisissez un nombre entier.",
    "int_type": "Saisissez un nombre entier.",
    "int_from_float": "Saisissez un nombre entier.",
    "string_type": "Saisissez un texte.",
    "bool_parsing": "Saisissez vrai ou faux.",
    "bool_type": "Saisissez vrai ou faux.",
    "date_parsing": "Saisissez une date valide, au format AAAA-MM-JJ.",
    "date_from_datetime_parsing": "Saisissez une date valide, au format AAAA-MM-JJ.",
    "date_type": "Saisissez une date valide, au format AAAA-MM-JJ.",
    "json_invalid": "Le corps de la requête n'est pas un JSON valide.",
    "model_attributes_type": "Le corps de la requête doit être un objet JSON.",
    "dict_type": "Le corps de la requête doit être un objet JSON.",
    "list_type": "Saisissez une liste.",
    "extra_forbidden": "Ce champ n'est pas attendu.",
    "url_parsing": "Saisissez une adresse valide.",
}
_STRUCTURAL = {"body", "query", "path", "form", "file", "header", "cookie", "payload", "data"}


def _message(error: dict[str, Any]) -> str:
    kind = error.get("type", "")
    ctx = error.get("ctx") or {}
    if kind == "value_error" and "error" in ctx:
        return str(ctx["error"])
    if kind in _MESSAGES:
        return _MESSAGES[kind]
    if kind == "string_too_short":
        return f"Saisissez au moins {ctx.get('min_length')} caractère(s)."
    if kind == "string_too_long":
        return f"Saisissez au plus {ctx.get('max_length')} caractères."
    if kind == "greater_than_equal":
        return f"La valeur doit être supérieure ou égale à {ctx.get('ge')}."
    if kind == "less_than_equal":
        return f"La valeur doit être inférieure ou égale à {ctx.get('le')}."
    if kind in {"enum", "literal_error"}:
        return f"Choisissez une valeur parmi : {ctx.get('expected', '')}."
    if kind == "string_pattern_mismatch":
        return "Le format de ce champ n'est pas valide."
    return "Valeur invalide."


def _field(loc: list[Any] | tuple[Any, ...]) -> str:
    parts = [str(p) for p in loc if str(p) not in _STRUCTURAL]
    return ".".join(parts) or "__all__"


def validation_fields(errors: list[dict[str, Any]]) -> dict[str, list[str]]:
    fields: dict[str, list[str]] = {}
    for error in errors:
        fields.setdefault(_field(error.get("loc", ())), []).append(_message(error))
    return fields


def error_response(
    api: NinjaAPI,
    request: HttpRequest,
    *,
    status: int,
    code: str,
    message: str,
    fields: dict[str, list[str]] | None = None,
    headers: dict[str, str] | None = None,
) -> HttpResponse:
    body = {"code": code, "message": message, "fields": fields or {}}
    response = api.create_response(request, body, status=status)
    for name, value in (headers or {}).items():
        response[name] = value
    return response


def install_handlers(api: NinjaAPI) -> None:
    """Replace ninja's default handlers so that every error has the documented shape."""

    def on_api_error(request: HttpRequest, exc: ApiError) -> HttpResponse:
        return error_response(
            api,
            request,
            status=exc.status,
            code=exc.code,
            message=exc.message,
            fields=exc.fields,
            headers=exc.headers,
        )

    def on_validation(request: HttpRequest, exc: ValidationError) -> HttpResponse:
        return error_response(
            api,
            request,
            status=422,
            code="invalid_input",
            message=INVALID_INPUT,
            fields=validation_fields(exc.errors),
        )

    def on_authentication(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
        return error_response(
            api,
            request,
            status=401,
            code="not_authenticated",
            message=NOT_AUTHENTICATED,
            headers={"WWW-Authenticate": 'Bearer realm="guichet"'},
        )

    def on_authorization(request: HttpRequest, exc: AuthorizationError) -> HttpResponse:
        return error_response(api, request, status=403, code="forbidden", message=FORBIDDEN)

    def on_404(request: HttpRequest, exc: Http404) -> HttpResponse:
        return error_response(api, request, status=404, code="not_found", message=NOT_FOUND)

    def on_http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
        return error_response(
            api,
            request,
            status=exc.status_code,
            code=DEFAULT_CODES.get(exc.status_code, "error"),
            message=DEFAULT_MESSAGES.get(exc.status_code, str(exc)),
        )

    api.add_exception_handler(ApiError, on_api_error)
    api.add_exception_handler(ValidationError, on_validation)
    api.add_exception_handler(AuthenticationError, on_authentication)
    api.add_exception_handler(AuthorizationError, on_authorization)
    api.add_exception_handler(Http404, on_404)
    api.add_exception_handler(HttpError, on_http_error)


def responses(ok: dict[int, Any], *statuses: int) -> dict[int, Any]:
    """An operation's response table: its success schemas and ErrorOut for each error status."""
    return {**ok, **dict.fromkeys(statuses, ErrorOut)}


def invalid_fields(invalid: Any) -> ApiError:
    """A service's field errors (Django's ValidationError by field, the same French messages as
    the web form's) as the 422 ``invalid_input`` answer."""
    return ApiError(422, "invalid_input", INVALID_INPUT, fields=invalid.message_dict)
