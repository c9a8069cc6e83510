"""The sandbox's signing key: created once in the database, shared by every process."""

import secrets

from django.db import IntegrityError, transaction
from joserfc.jwk import KeySet, RSAKey

from guichet.interfaces.fcsandbox.models import SigningKey


def signing_key() -> RSAKey:
    row = SigningKey.objects.order_by("pk").first()
    if row is None:
        kid = secrets.token_hex(8)
        key = RSAKey.generate_key(2048, parameters={"kid": kid, "use": "sig", "alg": "RS256"})
        try:
            with transaction.atomic():
                SigningKey.objects.create(kid=kid, private_jwk=key.as_dict(private=True))
        except IntegrityError:
            pass
        row = SigningKey.objects.order_by("pk").first()
        assert row is not None
    return RSAKey.import_key(row.private_jwk)


def public_jwks() -> dict:
    return KeySet([signing_key()]).as_dict(private=False)
