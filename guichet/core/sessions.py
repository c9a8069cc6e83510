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

A signed-in session that ends by time (idle or absolute) hands its drafts on: its data less the
sign-in keys is kept, with the account it belonged to, in the new anonymous session
(EXPIRED_KEY), and given back only when the same account signs in again with the same code
personnel (session_restore_drafts). The login page can then say that the session had expired.
docs/decisions/sessions-expiry-warning-and-drafts.md (issue 14).
"""

import datetime as dt
from typing import Any

from django.conf import settings
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.contrib.sessions.backends import db
from django.core.exceptions import SuspiciousOperation
from django.http import HttpRequest
from django.utils import timezone

from guichet.core import clock

SIGNED_IN_AT_KEY = "_guichet_signed_in_at"
EXPIRED_KEY = "_guichet_expired"
RESUME_KEY = "_guichet_resume"
_SIGN_IN_KEYS = {SESSION_KEY, BACKEND_SESSION_KEY, HASH_SESSION_KEY, SIGNED_IN_AT_KEY, EXPIRED_KEY}


def _carry(data: dict[str, Any]) -> dict[str, Any] | None:
    """What an ended signed-in session hands to the next one: its account and its drafts."""
    if data.get(SESSION_KEY) is None:
        return None
    return {
        "user": data[SESSION_KEY],
        "hash": data.get(HASH_SESSION_KEY, ""),
        "data": {k: v for k, v in data.items() if k not in _SIGN_IN_KEYS},
    }


def session_restore_drafts(
    sender: object, request: HttpRequest | None, user: Any, **kw: object
) -> None:
    """Receiver of user_logged_in: give back the drafts of the same account's expired session.

    Another account signing in on the same browser gets nothing, and neither does the same
    account after its code personnel changed (the session hash differs).
    """
    if request is None or not hasattr(request, "session"):
        return
    carry = request.session.pop(EXPIRED_KEY, None)
    if not isinstance(carry, dict):
        return
    if carry.get("user") != str(user.pk) or carry.get("hash") != user.get_session_auth_hash():
        request.session.pop(RESUME_KEY, None)
        return
    for key, value in carry.get("data", {}).items():
        request.session.setdefault(key, value)
    if carry.get("post"):
        request.session[RESUME_KEY] = carry["post"]


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

    _ended_carry: dict[str, Any] | None = None

    def _get_session_from_db(self):  # type: ignore[no-untyped-def]
        # Django's own query, without its `expire_date > now` filter: an expired row is read
        # once for the drafts it hands on, then deleted.
        self._ended_carry = None
        try:
            session = self._read_session_row()
        except (self.model.DoesNotExist, SuspiciousOperation):
            session = None
        if session is not None and session.expire_date <= timezone.now():
            self._ended_carry = _carry(self.decode(session.session_data))
            session.delete()
            session = None
        if session is None:
            self._session_key = None
        self._loaded_expiry = session.expire_date if session is not None else None
        return session

    def _read_session_row(self):  # type: ignore[no-untyped-def]
        """The session row of this key, whatever its expiry (a subclass may read it with what
        every request needs); raises DoesNotExist when there is none."""
        return self.model.objects.get(session_key=self.session_key)

    def load(self) -> dict[str, Any]:
        data: dict[str, Any] = super().load()
        if data.get(SESSION_KEY) is not None and not _within_lifetime(data):
            self._ended_carry = _carry(data)
            self.delete()
            self._session_key = None
            data = {}
        if not data and self._ended_carry is not None:
            data = {EXPIRED_KEY: self._ended_carry}
            self.modified = True
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
