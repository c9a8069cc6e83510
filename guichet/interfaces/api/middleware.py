"""One error shape for the API's 405 too: ninja answers a wrong method before any handler.

Django-ninja returns a plain-text « Method not allowed » when no operation of a path takes the
request's method; the app expects ``{"code", "message", "fields"}`` for every failure, so the
response is rebuilt by the same `error_response` as every other error (its Allow header kept).
"""

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

from guichet.interfaces.api.api import api
from guichet.interfaces.api.errors import DEFAULT_CODES, DEFAULT_MESSAGES, error_response


class ApiErrorShapeMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        match = getattr(request, "resolver_match", None)
        if (
            response.status_code != 405
            or match is None
            or api.urls_namespace not in match.namespaces
            or response.get("Content-Type", "").startswith("application/json")
        ):
            return response
        return error_response(
            api,
            request,
            status=405,
            code=DEFAULT_CODES[405],
            message=DEFAULT_MESSAGES[405],
            headers={"Allow": response["Allow"]},
        )
