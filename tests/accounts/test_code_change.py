"""« Mon code personnel » as a service (G4, C5, G1): whoever calls it, the current code is
checked like a login before the new one is written (issue 15)."""

import pytest
from django.core.exceptions import ValidationError
from django.test import override_settings

from guichet.accounts import services
from guichet.accounts.models import LoginEvent
from guichet.core.refusals import Refused
from tests.factories import DEFAULT_PASSWORD, InsuredUserFactory

pytestmark = pytest.mark.django_db

NEW_CODE = "Nouveau-Code-77"


def _change(user, current, new=NEW_CODE):
    services.code_change(user=user, current_code=current, new_code=new, ip="203.0.113.9")


@override_settings(LOGIN_FAILURE_LIMIT=2)
def test_g1_a_wrong_current_code_is_refused_counted_then_throttled():
    user = InsuredUserFactory()
    for _ in range(2):
        with pytest.raises(Refused) as wrong:
            _change(user, "Mauvais-123", new=None)  # the form refused the new code
        assert (wrong.value.code, wrong.value.field) == ("wrong_code", "old_password")
        assert wrong.value.message == "Le code personnel actuel est incorrect."
    assert LoginEvent.objects.filter(user=user, outcome=LoginEvent.Outcome.FAILURE).count() == 2
    for current in ("Mauvais-123", DEFAULT_PASSWORD):  # past the limit, even the right one
        with pytest.raises(Refused) as throttled:
            _change(user, current)
        assert throttled.value.code == "throttled" and throttled.value.retry_after is not None
        assert throttled.value.field == "old_password"
        assert throttled.value.message.startswith("Trop de tentatives de connexion ont échoué.")
    user.refresh_from_db()
    assert user.check_password(DEFAULT_PASSWORD)


def test_c5_the_right_current_code_writes_the_new_one_only_if_valid():
    user = InsuredUserFactory()
    with pytest.raises(ValidationError):
        _change(user, DEFAULT_PASSWORD, new="abcdefgh")
    _change(user, DEFAULT_PASSWORD, new=None)
    user.refresh_from_db()
    assert user.check_password(DEFAULT_PASSWORD)
    _change(user, DEFAULT_PASSWORD)
    user.refresh_from_db()
    assert user.check_password(NEW_CODE)
