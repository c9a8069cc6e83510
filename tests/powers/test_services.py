"""Services of the power of attorney: give (P4–P6), one active, revoke (P7), expiry, use (P8)."""

import datetime as dt
import io
import uuid

import pytest
import time_machine
from django.core.management import call_command
from django.db import IntegrityError, transaction

from guichet.core.clock import PARIS
from guichet.powers import selectors, services
from guichet.powers.enums import EndReason, IdentityDocument, PowerStatus
from guichet.powers.models import PowerOfAttorney, PowerTransition, PowerUse
from tests.factories import AgentFactory, InsuredUserFactory, PersonFactory
from tests.powers.factories import give_power, proxy_identity

pytestmark = pytest.mark.django_db

CREATED = dt.datetime(2026, 11, 23, 10, 0, tzinfo=PARIS)
LAST_INSTANT = dt.datetime(2026, 12, 23, 23, 59, 59, 999999, tzinfo=PARIS)


def test_give_creates_an_active_power_for_one_month_with_its_log():
    user = InsuredUserFactory()
    power = give_power(user.person, at=CREATED, by=user)
    assert power.status == PowerStatus.ACTIVE
    assert power.created_at == CREATED
    assert power.valid_until == LAST_INSTANT
    log = list(power.transitions.values_list("from_status", "to_status", "reason", "by"))
    assert log == [("", PowerStatus.ACTIVE, EndReason.CREATED, user.pk)]


def test_give_refuses_a_minor_proxy_with_the_guides_message():
    person = PersonFactory()
    with time_machine.travel(CREATED, tick=False), pytest.raises(services.PowerRefused) as error:
        give_power(person, birth_date=dt.date(2008, 11, 24))
    assert error.value.message == (
        "Le mandataire doit avoir 18 ans révolus pour pouvoir vous représenter"
    )
    assert not PowerOfAttorney.objects.exists()


def test_give_accepts_a_proxy_on_their_18th_birthday():
    power = give_power(PersonFactory(), at=CREATED, birth_date=dt.date(2008, 11, 23))
    assert power.status == PowerStatus.ACTIVE


def test_same_token_twice_gives_one_power():
    person = PersonFactory()
    token = uuid.uuid4()
    first = services.power_give(
        grantor=person, by=None, proxy=proxy_identity(), idempotency_key=token
    )
    second = services.power_give(
        grantor=person, by=None, proxy=proxy_identity(first_name="Autre"), idempotency_key=token
    )
    assert first.pk == second.pk
    assert PowerOfAttorney.objects.count() == 1


def test_a_token_of_another_insured_is_refused():
    token = uuid.uuid4()
    services.power_give(
        grantor=PersonFactory(), by=None, proxy=proxy_identity(), idempotency_key=token
    )
    with pytest.raises(services.PowerRefused):
        services.power_give(
            grantor=PersonFactory(), by=None, proxy=proxy_identity(), idempotency_key=token
        )


def test_a_new_power_revokes_the_previous_one_and_logs_it():
    user = InsuredUserFactory()
    first = give_power(user.person, at=CREATED, by=user)
    second = give_power(user.person, at=CREATED + dt.timedelta(days=3), by=user, first_name="Léa")
    first.refresh_from_db()
    assert first.status == PowerStatus.REVOKED
    assert first.ended_at == CREATED + dt.timedelta(days=3)
    assert second.status == PowerStatus.ACTIVE
    last = first.transitions.last()
    assert (last.from_status, last.to_status, last.reason) == (
        PowerStatus.ACTIVE,
        PowerStatus.REVOKED,
        EndReason.REPLACED,
    )


def test_a_new_power_after_the_month_stores_the_previous_one_as_expired():
    person = PersonFactory()
    first = give_power(person, at=CREATED)
    give_power(person, at=dt.datetime(2027, 2, 1, 9, tzinfo=PARIS))
    first.refresh_from_db()
    assert first.status == PowerStatus.EXPIRED
    assert first.ended_at == LAST_INSTANT
    assert first.transitions.last().reason == EndReason.VALIDITY_ENDED


def test_database_allows_one_active_power_per_insured():
    person = PersonFactory()
    power = give_power(person, at=CREATED)
    with pytest.raises(IntegrityError), transaction.atomic():
        PowerOfAttorney.objects.create(
            grantor=person,
            proxy_civility="M",
            proxy_last_name="Autre",
            proxy_first_name="Paul",
            proxy_birth_date=dt.date(1980, 1, 1),
            created_at=power.created_at,
            valid_until=power.valid_until,
            idempotency_key=uuid.uuid4(),
        )


def test_database_refuses_an_unknown_status():
    power = give_power(PersonFactory(), at=CREATED)
    with pytest.raises(IntegrityError), transaction.atomic():
        PowerOfAttorney.objects.filter(pk=power.pk).update(status="lost")


def test_revoke_ends_the_power_and_logs_who():
    user = InsuredUserFactory()
    power = give_power(user.person, at=CREATED, by=user)
    with time_machine.travel(CREATED + dt.timedelta(days=1), tick=False):
        services.power_revoke(power_id=power.pk, grantor=user.person, by=user)
    power.refresh_from_db()
    assert power.status == PowerStatus.REVOKED
    assert selectors.current_power(person=user.person) is None
    last = power.transitions.last()
    assert (last.to_status, last.reason, last.by_id) == (
        PowerStatus.REVOKED,
        EndReason.REVOKED_BY_INSURED,
        user.pk,
    )
    with pytest.raises(services.PowerNotUsable):
        services.power_revoke(power_id=power.pk, grantor=user.person, by=user)
    assert power.transitions.count() == 2


def test_revoke_refuses_another_insureds_power():
    power = give_power(PersonFactory(), at=CREATED)
    with pytest.raises(PowerOfAttorney.DoesNotExist):
        services.power_revoke(power_id=power.pk, grantor=PersonFactory(), by=None)
    power.refresh_from_db()
    assert power.status == PowerStatus.ACTIVE


def test_power_is_current_until_the_last_microsecond_then_expired():
    """P6: valid one month from creation, to the last instant of the day shown."""
    person = PersonFactory()
    power = give_power(person, at=CREATED)
    with time_machine.travel(LAST_INSTANT, tick=False):
        assert selectors.current_power(person=person) == power
        assert power.effective_status == PowerStatus.ACTIVE
        assert services.powers_expire_due() == 0
    with time_machine.travel(LAST_INSTANT + dt.timedelta(microseconds=1), tick=False):
        assert selectors.current_power(person=person) is None
        assert power.effective_status == PowerStatus.EXPIRED


def test_expire_command_is_idempotent():
    person = PersonFactory()
    power = give_power(person, at=CREATED)
    other = give_power(PersonFactory(), at=CREATED + dt.timedelta(days=20))
    with time_machine.travel(dt.datetime(2026, 12, 24, 0, 0, tzinfo=PARIS), tick=False):
        out = io.StringIO()
        call_command("powers_expire", stdout=out)
        assert out.getvalue() == "1 procuration(s) expirée(s).\n"
        assert services.powers_expire_due() == 0
    power.refresh_from_db()
    other.refresh_from_db()
    assert power.status == PowerStatus.EXPIRED
    assert power.ended_at == LAST_INSTANT
    assert other.status == PowerStatus.ACTIVE
    assert PowerTransition.objects.filter(power=power, to_status=PowerStatus.EXPIRED).count() == 1


def test_record_use_of_an_active_power():
    agent = AgentFactory()
    person = PersonFactory()
    power = give_power(person, at=CREATED)
    with time_machine.travel(CREATED + dt.timedelta(days=2), tick=False):
        use = services.power_use_record(
            power_id=power.pk,
            grantor=person,
            agent=agent,
            document_type=IdentityDocument.ID_CARD,
            document_last_digits="1234",
        )
    assert (use.agent, use.fund, use.used_at) == (
        agent,
        agent.fund,
        CREATED + dt.timedelta(days=2),
    )


def test_p2_only_the_reception_desk_receives_the_proxy():
    """P2: the power is for the fund's reception desk: a back-office agent of the same fund
    cannot record a use (for them the power does not exist); a front-desk agent can."""
    person = PersonFactory()
    power = give_power(person, at=CREATED)
    use = {
        "power_id": power.pk,
        "grantor": person,
        "document_type": IdentityDocument.ID_CARD,
        "document_last_digits": "1234",
    }
    back_office = AgentFactory(back_office=True)
    assert back_office.fund_id == person.family.fund_id
    with time_machine.travel(CREATED + dt.timedelta(days=1), tick=False):
        with pytest.raises(PowerOfAttorney.DoesNotExist):
            services.power_use_record(agent=back_office, **use)
        assert not PowerUse.objects.exists()
        services.power_use_record(agent=AgentFactory(), **use)
    assert PowerUse.objects.get().agent.agent_role == "front_desk"


@pytest.mark.parametrize("ended", ["revoked", "expired"])
def test_a_revoked_or_expired_power_cannot_be_used(ended):
    person = PersonFactory()
    power = give_power(person, at=CREATED)
    moment = CREATED + dt.timedelta(days=1)
    if ended == "revoked":
        with time_machine.travel(moment, tick=False):
            services.power_revoke(power_id=power.pk, grantor=person, by=None)
    else:
        moment = LAST_INSTANT + dt.timedelta(seconds=1)
    with time_machine.travel(moment, tick=False), pytest.raises(services.PowerNotUsable):
        services.power_use_record(
            power_id=power.pk,
            grantor=person,
            agent=AgentFactory(),
            document_type=IdentityDocument.PASSPORT,
            document_last_digits="12AB",
        )
    assert not PowerUse.objects.exists()
