"""The production start-up checks (`manage.py check --deploy`, docs/operations.md): they refuse a
production configuration that would publish the demo partner's secret, or let each machine sign
/oidc/ tokens with its own key."""

import pytest
from django.core.management import call_command
from django.core.management.base import SystemCheckError

from guichet.core import checks

PRODUCTION = {"debug": False, "demo_partner": False, "oidc_key_from_env": True}


def _ids(**overrides: bool) -> list[str]:
    return [m.id for m in checks.production_configuration(**{**PRODUCTION, **overrides})]


def test_a_production_configuration_passes():
    assert _ids() == []


def test_the_demo_partner_is_refused_in_production():
    """Its client secret is published in the code and printed by seed_demo: with it anyone can
    act as a relying party of /oidc/ and receive the accounts' identities."""
    assert _ids(demo_partner=True) == ["core.E001"]


def test_a_key_created_by_each_machine_is_refused_in_production():
    """Without GUICHET_OIDC_RSA_PRIVATE_KEY every machine creates its own key in its var/: the
    tokens one signs do not verify against the keys another publishes."""
    assert _ids(oidc_key_from_env=False) == ["core.E002"]


def test_development_keeps_the_demo_partner_and_its_key_file():
    assert _ids(debug=True, demo_partner=True, oidc_key_from_env=False) == []


def test_check_deploy_refuses_to_run(settings):
    settings.DEBUG = False
    settings.GUICHET_DEMO_PARTNER = True
    settings.GUICHET_OIDC_KEY_FROM_ENV = False
    with pytest.raises(SystemCheckError, match=r"core\.E001(.|\n)*core\.E002"):
        call_command("check", "--deploy", "--fail-level", "ERROR", "--tag", "security")


def test_the_checks_run_only_with_deploy(settings):
    """A developer's `manage.py runserver` with GUICHET_DEBUG off is not refused."""
    settings.DEBUG = False
    settings.GUICHET_DEMO_PARTNER = True
    settings.GUICHET_OIDC_KEY_FROM_ENV = False
    call_command("check", "--fail-level", "ERROR", "--tag", "security")
