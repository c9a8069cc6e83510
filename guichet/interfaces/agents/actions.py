"""One shape for the back office's small POST actions (claim, release, close, apply…): call
ONE service, turn a vanished object into a 404, the service's refusal (``Refused``) into its
French message, success into the given message, then redirect to the object's page.

Shared by the cases and exchanges views (docs/decisions/agents-action-helper.md).
"""

from collections.abc import Callable

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect

from guichet.core.refusals import Refused


def run_action(
    request: HttpRequest,
    action: Callable[[], object],
    *,
    success: str,
    gone: tuple[type[Exception], ...],
    gone_message: str,
    redirect_to: str,
    **redirect_kwargs: object,
) -> HttpResponse:
    """Run ``action``; a ``gone`` exception is a 404 with ``gone_message``."""
    try:
        action()
    except gone as missing:
        raise Http404(gone_message) from missing
    except Refused as refused:
        messages.error(request, refused.message)
    else:
        messages.success(request, success)
    return redirect(redirect_to, **redirect_kwargs)
