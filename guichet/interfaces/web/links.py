"""The links every page repeats (the account's tabs, the catalogue of démarches), reversed once
per process (issue 16).

A URL without arguments depends only on the URL configuration, loaded once per process, and on
the script prefix the server mounts the site under: remembered by (name, prefix, urlconf), the
same for every person. A name that cannot be reversed raises each time (not remembered).
docs/decisions/pages-per-request-cost.md.
"""

from functools import cache

from django.conf import settings
from django.urls import get_script_prefix, get_urlconf, reverse


@cache
def _reversed(name: str, script_prefix: str, urlconf: str) -> str:
    return reverse(name, urlconf=urlconf)


def link(name: str) -> str:
    """reverse(name), for a URL name that takes no argument."""
    return _reversed(name, get_script_prefix(), get_urlconf() or settings.ROOT_URLCONF)
