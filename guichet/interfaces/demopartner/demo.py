"""seed_demo: register the demo partner at the identity provider (idempotent)."""

from typing import TextIO

from django.conf import settings
from oauth2_provider.models import Application

from guichet.interfaces.demopartner import client


def seed(stdout: TextIO) -> None:
    if not settings.GUICHET_DEMO_PARTNER:
        return
    # The same client_id and secret at every run; the addresses follow GUICHET_SITE_URL (PORT).
    application = Application.objects.filter(client_id=client.CLIENT_ID).first()
    if application is None:
        application = Application(client_id=client.CLIENT_ID)
    application.name = client.NAME
    application.client_secret = client.CLIENT_SECRET
    application.client_type = Application.CLIENT_CONFIDENTIAL
    application.authorization_grant_type = Application.GRANT_AUTHORIZATION_CODE
    application.redirect_uris = client.redirect_uri()
    application.post_logout_redirect_uris = client.home_uri()
    application.algorithm = Application.RS256_ALGORITHM
    application.skip_authorization = False
    application.save()
    stdout.write(
        f"\nPartenaire de démonstration (OpenID Connect) : ouvrez {client.home_uri()}\n"
        f"  client_id {client.CLIENT_ID}, secret {client.CLIENT_SECRET}\n"
    )
