import pytest

from tests.factories import DEFAULT_PASSWORD, InsuredUserFactory


@pytest.fixture(autouse=True)
def _immediate_tasks(settings):
    """Tests run tasks at once; the database backend itself is exercised in test_outbox."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def insured(db):
    return InsuredUserFactory()


@pytest.fixture
def insured_client(client, insured):
    response = client.post("/connexion/", {"nir": insured.username, "code": DEFAULT_PASSWORD})
    assert response.status_code == 302, response.content[:500]
    return client


@pytest.fixture
def password():
    return DEFAULT_PASSWORD
