"""Text inputs of the API (issue 13): no control character anywhere, names and addresses as
the web forms accept them.

``ControlCharacterMiddleware`` reads every input of an API request (query string, JSON body
at any depth, form fields) before the operation runs, and answers 422 in the API's error shape
when a string holds a control character (NUL, which PostgreSQL cannot store, C0, DEL, C1) or a
lone surrogate: so does every endpoint, present and future, with no field forgotten. Tab and
line breaks are kept. ``PersonName`` and ``AddressLine``, the pydantic types of the fields
printed on documents, live in guichet/interfaces/api/schemas.py with the other checked input fields.
"""

import json
from collections.abc import Callable, Iterator
from typing import Any

from django.http import HttpRequest, HttpResponse

from guichet.interfaces.api.errors import INVALID_INPUT, error_response
from guichet.reference.validators import control_character, control_character_message


def _strings(value: Any, path: tuple[str, ...] = ()) -> Iterator[tuple[tuple[str, ...], str]]:
    if isinstance(value, str):
        yield path, value
    elif isinstance(value, dict):
        for key, item in value.items():
            yield (), str(key)
            yield from _strings(item, (*path, str(key)))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _strings(item, (*path, str(index)))


def _request_strings(request: HttpRequest) -> Iterator[tuple[tuple[str, ...], str]]:
    for key, values in request.GET.lists():
        yield (), key
        for value in values:
            yield (key,), value
    content_type = request.content_type or ""
    if content_type == "application/json" and request.body:
        try:
            body = json.loads(request.body)
        except ValueError:
            return  # ninja answers 400, « Le corps de la requête n'est pas un JSON valide. »
        yield from _strings(body)
    elif content_type in {"multipart/form-data", "application/x-www-form-urlencoded"}:
        for key, values in request.POST.lists():
            yield (), key
            for value in values:
                yield (key,), value
        for key, upload in request.FILES.items():
            yield (key,), upload.name or ""


class ControlCharacterMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_view(
        self, request: HttpRequest, view_func: object, view_args: object, view_kwargs: object
    ) -> HttpResponse | None:
        from guichet.interfaces.api.api import (
            api,  # the API imports its routers, which import this module
        )

        match = request.resolver_match
        if match is None or api.urls_namespace not in match.namespaces:
            return None
        for path, value in _request_strings(request):
            char = control_character(value)
            if char is not None:
                return error_response(
                    api,
                    request,
                    status=422,
                    code="invalid_input",
                    message=INVALID_INPUT,
                    fields={".".join(path) or "__all__": [control_character_message(char)]},
                )
        return None
