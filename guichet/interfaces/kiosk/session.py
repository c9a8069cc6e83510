"""The kiosk session: who inserted their card, and the idle timeout (rule A7).

The server checks the last activity on every kiosk page: past ``KIOSK_IDLE_SECONDS`` the
session is cleared and the start screen comes back. A small script does the same in the
browser when nobody touches the screen (an enhancement: the server check is the rule).
"""

from collections.abc import Callable
from functools import wraps

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect

from guichet.core import clock
from guichet.reference.models import Person

PERSON_KEY = "kiosk_person"
SEEN_KEY = "kiosk_seen"
CHOICE_KEY = "kiosk_choice"


def start(request: HttpRequest, person: Person) -> None:
    request.session.cycle_key()
    request.session[PERSON_KEY] = person.pk
    touch(request)


def touch(request: HttpRequest) -> None:
    request.session[SEEN_KEY] = clock.now().timestamp()


def end(request: HttpRequest) -> None:
    request.session.flush()


def expired(request: HttpRequest) -> bool:
    seen = request.session.get(SEEN_KEY)
    return seen is None or clock.now().timestamp() - seen > settings.KIOSK_IDLE_SECONDS


def kiosk_person_required(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """The card holder of this kiosk session, or back to the start screen."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args: object, **kwargs: object) -> HttpResponse:
        person_id = request.session.get(PERSON_KEY)
        if person_id is None:
            return redirect("kiosk:start")
        if expired(request):
            end(request)
            return redirect("/borne/?expiree=1")
        person = (
            Person.objects.select_related("family__fund", "family__scheme")
            .filter(pk=person_id)
            .first()
        )
        if person is None:
            end(request)
            return redirect("kiosk:start")
        touch(request)
        request.kiosk_person = person
        return view(request, *args, **kwargs)

    return wrapper
