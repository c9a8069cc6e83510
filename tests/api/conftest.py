import pytest

from tests.factories import DEFAULT_PASSWORD, InsuredUserFactory

pytestmark = pytest.mark.urls("tests.api.urls")


class ApiClient:
    """Django's test client speaking JSON, with an optional bearer token."""

    def __init__(self, client, token: str = "") -> None:
        self.client, self.token = client, token

    def _headers(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.token}"} if self.token else {}

    def get(self, path: str, **params):
        return self.client.get(f"/api/v1{path}", params, headers=self._headers())

    def post(self, path: str, body: dict | None = None):
        return self.client.post(
            f"/api/v1{path}", body or {}, content_type="application/json", headers=self._headers()
        )

    def post_multipart(self, path: str, data: dict):
        return self.client.post(f"/api/v1{path}", data, headers=self._headers())


def obtain_tokens(client, user) -> dict:
    response = client.post(
        "/api/v1/auth/token",
        {"nir": user.username, "code": DEFAULT_PASSWORD},
        content_type="application/json",
    )
    assert response.status_code == 200, response.content
    return response.json()


@pytest.fixture
def api_anonymous(client):
    return ApiClient(client)


@pytest.fixture
def api_user(db):
    return InsuredUserFactory()


@pytest.fixture
def api(client, api_user):
    return ApiClient(client, obtain_tokens(client, api_user)["access_token"])
