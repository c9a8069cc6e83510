"""Database sessions that are not rewritten on every request.

Sessions expire when idle (SESSION_SAVE_EVERY_REQUEST pushes the expiry back at each request).
Django then writes the session row on every page view, a database write per request for
nothing but the expiry. This store skips that write when the session is unchanged and was
pushed back less than GUICHET_SESSION_TOUCH_SECONDS ago: the idle timeout then falls between
SESSION_COOKIE_AGE minus that interval and SESSION_COOKIE_AGE after the last request (never
later). docs/decisions/foundation-sessions-touch.md.

A signed-in session also has an absolute lifetime, GUICHET_SESSION_ABSOLUTE_SECONDS (12 h)
from the sign-in, however active it is: the sign-in time is stored in the session when
`login()` runs (user_logged_in), and a signed-in session past its lifetime, or without that
time, is deleted when it is loaded, in whatever process.
docs/decisions/security-credentials-and-sessions.md.
"""

import datetime as dt
from typing import Any

from django.conf import settings
from django.contrib.auth import SESSION_KEY
from django.contrib.sessions.backends import db
from django.http import HttpRequest
from django.utils import timezone

from guichet.core import clock

SIGNED_IN_AT_KEY = "_guichet_signed_in_at"


def session_mark_sign_in(sender: object, request: HttpRequest | None, **kwargs: object) -> None:
    """Receiver of user_logged_in: the start of the absolute lifetime (seconds since the epoch)."""
    if request is not None and hasattr(request, "session"):
        request.session[SIGNED_IN_AT_KEY] = int(clock.now().timestamp())


def _within_lifetime(data: dict[str, Any]) -> bool:
    signed_in_at = data.get(SIGNED_IN_AT_KEY)
    if not isinstance(signed_in_at, int):
        return False
    age = clock.now().timestamp() - signed_in_at
    return age < settings.GUICHET_SESSION_ABSOLUTE_SECONDS


class SessionStore(db.SessionStore):
    _loaded_expiry: dt.datetime | None = None

    def _get_session_from_db(self):  # type: ignore[no-untyped-def]
        session = super()._get_session_from_db()
        self._loaded_expiry = session.expire_date if session is not None else None
        return session

    def load(self) -> dict[str, Any]:
        data: dict[str, Any] = super().load()
        if data.get(SESSION_KEY) is not None and not _within_lifetime(data):
            self.delete()
            self._session_key = None
            return {}
        return data

    def _recently_touched(self) -> bool:
        if self._loaded_expiry is None or self.get_expiry_date() < self._loaded_expiry:
            return False  # not loaded from the database, or a shorter expiry asked for
        remaining = self._loaded_expiry - timezone.now()
        return remaining > dt.timedelta(
            seconds=self.get_session_cookie_age() - settings.GUICHET_SESSION_TOUCH_SECONDS
        )

    def save(self, must_create: bool = False) -> None:
        if not must_create and not self.modified and self._recently_touched():
            return
        super().save(must_create=must_create)
        self._loaded_expiry = self.get_expiry_date()
