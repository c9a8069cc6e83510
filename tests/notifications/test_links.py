"""Links written by the domain (notices, emails) come from the site's own URLs whatever the
request's URLconf: an API call or a worker writes them too (guichet.notifications.links)."""

import re
from pathlib import Path

from django.conf import settings

DOMAIN = Path(settings.BASE_DIR) / "guichet"
BARE_REVERSE = re.compile(r"(?<![\w.])reverse\(")


def test_the_domain_never_reverses_in_the_requests_urlconf():
    offenders = [
        f"{path.relative_to(DOMAIN)}:{number}"
        for path in DOMAIN.rglob("*.py")
        if "interfaces" not in path.parts and path.name != "links.py"
        for number, line in enumerate(path.read_text().splitlines(), 1)
        if BARE_REVERSE.search(line) and "urlconf=" not in line
    ]
    assert offenders == [], "utiliser guichet.notifications.links : " + ", ".join(offenders)
