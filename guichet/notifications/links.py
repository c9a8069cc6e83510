"""Links in notices and emails to the web account's pages, from the site's own URLs
(`settings.SITE_URLCONF`) whatever URLconf serves the request: a démarche made through the
app's API served alone still points the person to the web page (`reverse` alone would look in
the request's URLconf and fail there)."""

from collections.abc import Sequence

from django.conf import settings
from django.urls import reverse


def web_path(name: str, args: Sequence[object] = ()) -> str:
    """The path of a web page, e.g. « /mes-demarches/ceam/suivi/ »."""
    return reverse(name, args=list(args), urlconf=settings.SITE_URLCONF)


def web_url(name: str, args: Sequence[object] = ()) -> str:
    """The absolute address of a web page, for an email."""
    return settings.SITE_URL.rstrip("/") + web_path(name, args)
