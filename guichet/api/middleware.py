"""One error shape for the API's 405 too: ninja answers a wrong method before any handler.

Django-ninja returns a plain-text « Method not allowed » when no operation of a path takes the
request's method; the app expects ``{"code", "message", "fields"}`` for every failure.
"""

import json
from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

from guichet.api.errors import DEFAULT_CODES

NAMESPACE = "api-v1"
METHOD_NOT_ALLOWED = "Cette opération n'accepte pas cette méthode HTTP."


class ApiErrorShapeMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        match = getattr(request, "resolver_match", None)
        if (
            response.status_code == 405
            and match is not None
            and NAMESPACE in match.namespaces
            and not response.get("Content-Type", "").startswith("application/json")
        ):
            response.content = json.dumps(
                {"code": DEFAULT_CODES[405], "message": METHOD_NOT_ALLOWED, "fields": {}},
                ensure_ascii=False,
            ).encode()
            response["Content-Type"] = "application/json; charset=utf-8"
        return response
