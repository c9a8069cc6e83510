"""Bearer authentication: a live access token of an active insured account."""

from django.http import HttpRequest
from ninja.security import HttpBearer

from guichet.accounts.models import User
from guichet.apitokens import selectors as token_selectors


class AccessTokenAuth(HttpBearer):
    """``Authorization: Bearer gat_…``; the account is then ``request.auth``."""

    openapi_description = "Jeton d'accès obtenu par POST /api/v1/auth/token (valable 15 minutes)."

    def authenticate(self, request: HttpRequest, token: str) -> User | None:
        return token_selectors.user_for_access_token(token=token)


def current_user(request: HttpRequest) -> User:
    user = request.auth  # type: ignore[attr-defined]
    assert isinstance(user, User)
    return user
