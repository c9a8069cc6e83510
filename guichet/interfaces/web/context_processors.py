from django.conf import settings
from django.http import HttpRequest


def site(request: HttpRequest) -> dict:
    """The DSFR site settings, without django-dsfr's database-backed configuration."""
    return {
        "SITE_CONFIG": {
            "site_title": settings.GUICHET_SERVICE_NAME,
            "site_tagline": settings.GUICHET_SERVICE_TAGLINE,
        },
        "STATE_BRAND": settings.GUICHET_STATE_BRAND,
        "SESSION_TIMEOUT": {
            "idle": settings.SESSION_COOKIE_AGE,
            "touch": settings.GUICHET_SESSION_TOUCH_SECONDS,
        },
    }
