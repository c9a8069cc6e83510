"""The sandbox compares redirect URIs exactly (issue 13): tests register the URIs of the host
they run on, as the service's URIs are registered at FranceConnect."""

POST_LOGOUT_PATHS = (
    "/connexion/",
    "/creer-mon-compte/validation-email/",
    "/creer-mon-compte/autres-solutions/",
    "/creer-mon-compte/activation/",
)


def register_sandbox_client(settings, base_url: str) -> None:
    base = base_url.rstrip("/")
    settings.FC_SANDBOX_REDIRECT_URIS = [f"{base}/franceconnect/retour/"]
    settings.FC_SANDBOX_POST_LOGOUT_REDIRECT_URIS = [f"{base}{path}" for path in POST_LOGOUT_PATHS]
