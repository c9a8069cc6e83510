"""Response headers that every page and API response carries (issue 13, docs/security.md)."""

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.utils.cache import add_never_cache_headers


class NoStoreMiddleware:
    """No cache — browser, proxy or shared — keeps what the application serves.

    Nearly every page shows personal data (a NIR, a name, payments) or a CSRF token tied to the
    visitor, so no response is storable unless its view says otherwise by setting its own
    ``Cache-Control`` (static files are served before this middleware runs).
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if not response.has_header("Cache-Control"):
            add_never_cache_headers(response)
        return response
