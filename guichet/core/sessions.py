"""Database sessions that are not rewritten on every request.

Sessions expire when idle (SESSION_SAVE_EVERY_REQUEST pushes the expiry back at each request).
Django then writes the session row on every page view, a database write per request for
nothing but the expiry. This store skips that write when the session is unchanged and was
pushed back less than GUICHET_SESSION_TOUCH_SECONDS ago: the idle timeout then falls between
SESSION_COOKIE_AGE minus that interval and SESSION_COOKIE_AGE after the last request (never
later). docs/decisions/foundation-sessions-touch.md.
"""

import datetime as dt

from django.conf import settings
from django.contrib.sessions.backends import db
from django.utils import timezone


class SessionStore(db.SessionStore):
    _loaded_expiry: dt.datetime | None = None

    def _get_session_from_db(self):  # type: ignore[no-untyped-def]
        session = super()._get_session_from_db()
        self._loaded_expiry = session.expire_date if session is not None else None
        return session

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
