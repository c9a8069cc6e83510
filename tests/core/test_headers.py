"""Response headers of issue 13: no caching of personal data, Permissions-Policy, HSTS."""

import pytest
from django.test import override_settings
from django.urls import reverse

from tests.api.conftest import ApiClient, obtain_tokens
from tests.factories import AgentFactory, agent_login

pytestmark = pytest.mark.django_db


def assert_not_stored(response):
    directives = {d.strip() for d in response["Cache-Control"].split(",")}
    assert "no-store" in directives, response["Cache-Control"]


def test_insured_pages_are_never_stored(insured_client):
    for name in ("web:home", "web:information"):
        response = insured_client.get(reverse(name))
        assert response.status_code == 200
        assert_not_stored(response)


def test_public_pages_are_never_stored_either(client):
    # The login page carries a CSRF token tied to the visitor, the verification page a
    # document's holder initials: nothing served by the application is kept by a cache.
    response = client.get(reverse("web:login"))
    assert_not_stored(response)


def test_api_responses_are_never_stored(client, insured):
    api = ApiClient(client, obtain_tokens(client, insured)["access_token"])
    response = api.get("/me")
    assert response.status_code == 200
    assert_not_stored(response)
    token_response = client.post(
        "/api/v1/auth/token", {"nir": "0", "code": "x"}, content_type="application/json"
    )
    assert_not_stored(token_response)


def test_agents_pages_are_never_stored(client):
    agent_login(client, AgentFactory(back_office=True))
    response = client.get("/agents/")
    assert response.status_code == 200
    assert_not_stored(response)


def test_permissions_policy_denies_every_powerful_feature(client):
    policy = client.get(reverse("web:login"))["Permissions-Policy"]
    for feature in ("camera", "microphone", "geolocation", "payment", "usb", "interest-cohort"):
        assert f"{feature}=()" in policy, policy


@override_settings(SECURE_HSTS_SECONDS=31536000)
def test_hsts_covers_the_subdomains_by_default(client):
    response = client.get(reverse("web:login"), secure=True)
    assert response["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains"
