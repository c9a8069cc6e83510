from django.conf import settings
from django.core import checks


@checks.register()
def email_lease_outlasts_the_smtp_timeout(**kwargs: object) -> list[checks.CheckMessage]:
    """A claim must outlast a send, or a second worker would send a live worker's email."""
    if settings.EMAIL_LEASE_SECONDS >= 2 * settings.EMAIL_TIMEOUT:
        return []
    return [
        checks.Error(
            "GUICHET_EMAIL_LEASE_SECONDS doit valoir au moins deux fois EMAIL_TIMEOUT.",
            hint="Par défaut : EMAIL_TIMEOUT=15, GUICHET_EMAIL_LEASE_SECONDS=120.",
            id="notifications.E001",
        )
    ]
