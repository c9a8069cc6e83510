"""pytest plugin (-p config.pytest_env): test defaults set before Django reads its settings."""

import os
import tempfile

os.environ.setdefault("GUICHET_DEBUG", "true")
os.environ.setdefault("GUICHET_VAR_DIR", tempfile.mkdtemp(prefix="guichet-tests-"))
# Playwright's sync API keeps an event loop running in the test thread; the ORM calls made by
# the same test are still synchronous, so Django's async-safety check does not apply to them.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
