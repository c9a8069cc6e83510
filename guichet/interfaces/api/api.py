"""The mobile app's JSON API, version 1 (issue 8), mounted at /api/v1/."""

from ninja import NinjaAPI

from guichet.interfaces.api import (
    account,
    appointments,
    cards,
    ceam,
    complementary,
    documents,
    enrollment,
    exchanges,
    inbox,
    powers,
    situation,
    tokens,
    work_stoppages,
)
from guichet.interfaces.api.errors import install_handlers
from guichet.interfaces.api.security import AccessTokenAuth


class GuichetApi(NinjaAPI):
    def get_openapi_operation_id(self, operation) -> str:
        """The operation ids the app's generated client knows, whatever the package's path:
        `guichet_api_<module>_<function>`, as published with version 1 (before the interfaces
        moved under guichet/interfaces/). Renaming a module must not break the client."""
        module = operation.view_func.__module__.rsplit(".", 1)[-1]
        return f"guichet_api_{module}_{operation.view_func.__name__}"


api = GuichetApi(
    title="Guichet — API de l'application mobile",
    version="1",
    description=(
        "API JSON de l'application mobile, sur les mêmes services que le site. "
        "Authentification : POST /api/v1/auth/token, puis `Authorization: Bearer <jeton>`. "
        'Toute erreur a la forme `{"code", "message", "fields"}` (voir docs/api.md).'
    ),
    urls_namespace="api-v1",
    auth=AccessTokenAuth(),
)
install_handlers(api)

api.add_router("/auth", tokens.router)
api.add_router("/", enrollment.router)
api.add_router("/", account.router)
api.add_router("/", inbox.router)
api.add_router("/", powers.router)
api.add_router("/", documents.router)
api.add_router("/", complementary.router)
api.add_router("/", cards.router)
api.add_router("/", ceam.router)
api.add_router("/", work_stoppages.router)
api.add_router("/", situation.router)
api.add_router("/", appointments.router)
api.add_router("/", exchanges.router)
