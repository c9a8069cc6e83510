"""Property-based run of schemathesis against the API's OpenAPI description.

No server error and no response that breaks its documented schema, status or content type.
The description is the one /api/v1/openapi.json serves (the same call builds both; the
lazy `schemathesis.pytest.from_fixture` loader does not work with pytest 9, so it is loaded
at import), and requests go through Django's WSGI application.
"""

import pytest
import schemathesis
from django.core.handlers.wsgi import WSGIHandler
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from guichet.interfaces.api.api import api as ninja_api
from guichet.notifications.models import Message, Notification
from tests.api.conftest import obtain_tokens
from tests.factories import InsuredUserFactory, PaymentFactory, PersonFactory

# Real transactions: the WSGI handler checks its connection at the end of each request, like
# in production, and PostgreSQL's would be closed inside a test transaction.
pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.urls("tests.api.urls")]

CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
]


@pytest.fixture
def bearer(client):
    user = InsuredUserFactory()
    dependant = PersonFactory(family=user.person.family, dependant=True)
    PaymentFactory(beneficiary=user.person)
    PaymentFactory(beneficiary=dependant, daily_allowance=True)
    Notification.objects.create(recipient=user, title="Titre", body="Texte", link_url="/")
    Message.objects.create(recipient=user, subject="Objet", body="Texte")
    return {"Authorization": f"Bearer {obtain_tokens(client, user)['access_token']}"}


schema = schemathesis.openapi.from_dict(ninja_api.get_openapi_schema(path_prefix="/api/v1/"))
schema.app = WSGIHandler()


@schema.parametrize()
@settings(
    max_examples=4,
    deadline=None,
    database=None,
    suppress_health_check=list(HealthCheck),
)
def test_api_conforms_to_its_description(case, bearer):
    # Schemathesis may send a random Host header: Django refuses it (ALLOWED_HOSTS) before any
    # API code runs, with its own 400 page; that is the host check, not the API's contract.
    if case.headers:
        case.headers = {k: v for k, v in case.headers.items() if k.lower() != "host"}
    case.call_and_validate(headers=bearer, checks=CHECKS)
