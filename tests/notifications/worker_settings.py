"""Settings of the worker processes started by test_worker_process.py (never used otherwise).

The process works on the test's own database (a file copy on SQLite, the test database on
PostgreSQL), sends through the test's SMTP server, and gives up on a lock after one second so
that a locked database shows quickly.
"""

import os

from config.settings import *  # noqa: F403
from config.settings import DATABASES as _DATABASES

_db = {**_DATABASES["default"], "NAME": os.environ["WORKER_TEST_DB_NAME"], "TEST": {}}
if _db["ENGINE"].endswith("sqlite3"):
    _db["OPTIONS"] = {**_db.get("OPTIONS", {}), "timeout": 1}
else:
    _db["OPTIONS"] = {**_db.get("OPTIONS", {}), "options": "-c lock_timeout=1000"}
DATABASES = {"default": _db}

TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
EMAIL_HOST = "127.0.0.1"
EMAIL_PORT = int(os.environ["WORKER_TEST_SMTP_PORT"])
EMAIL_USE_TLS = EMAIL_USE_SSL = False
EMAIL_TIMEOUT = 2
EMAIL_LEASE_SECONDS = 4
