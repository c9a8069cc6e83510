"""Production start-up checks, run by `manage.py check --deploy` before each release
(docs/operations.md): a configuration that is safe on a developer's machine only is refused."""

from django.conf import settings
from django.core import checks


def production_configuration(
    *, debug: bool, demo_partner: bool, oidc_key_from_env: bool
) -> list[checks.CheckMessage]:
    """The errors of a production configuration (GUICHET_DEBUG off); none in development."""
    if debug:
        return []
    errors = []
    if demo_partner:
        errors.append(
            checks.Error(
                "GUICHET_DEMO_PARTNER est activé alors que GUICHET_DEBUG est désactivé : le "
                "partenaire de démonstration et son secret publié ne doivent pas exister en "
                "production (n'importe qui pourrait se faire passer pour lui auprès de /oidc/).",
                hint="Retirez GUICHET_DEMO_PARTNER de l'environnement de production.",
                id="core.E001",
            )
        )
    if not oidc_key_from_env:
        errors.append(
            checks.Error(
                "GUICHET_OIDC_RSA_PRIVATE_KEY n'est pas défini : chaque machine créerait sa "
                "propre clé de signature des jetons /oidc/, et les jetons signés par l'une ne se "
                "vérifieraient pas avec les clés publiées par l'autre.",
                hint="Générez une clé (openssl genpkey -algorithm RSA -pkeyopt "
                "rsa_keygen_bits:2048) et donnez-la, la même, à chaque machine.",
                id="core.E002",
            )
        )
    return errors


@checks.register(checks.Tags.security, deploy=True)
def production_settings(**kwargs: object) -> list[checks.CheckMessage]:
    return production_configuration(
        debug=settings.DEBUG,
        demo_partner=settings.GUICHET_DEMO_PARTNER,
        oidc_key_from_env=settings.GUICHET_OIDC_KEY_FROM_ENV,
    )
