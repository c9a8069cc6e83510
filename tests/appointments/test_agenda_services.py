"""The agents' side of « Mon agenda »: check-in with the proxy's ID check, the front desk's
outcomes, an absence cancelling booked appointments, booking for an insured, the agenda's
reads (rules RDV11–RDV16)."""

import datetime as dt

import pytest
import time_machine
from django.core import mail

from guichet.appointments import rules, selectors, services
from guichet.appointments.enums import AppointmentStatus, Arrival, Channel
from guichet.appointments.models import Appointment, AppointmentTransition
from guichet.core.clock import PARIS
from guichet.core.refusals import Refused
from guichet.powers.models import PowerUse
from tests.appointments.factories import desk, motif_for, opening, place_for
from tests.factories import AgentFactory, FundFactory, InsuredUserFactory
from tests.powers.factories import give_power

pytestmark = pytest.mark.django_db

NOW = dt.datetime(2026, 3, 16, 10, 0, tzinfo=PARIS)  # a Monday
WEDNESDAY_9 = dt.datetime(2026, 3, 18, 9, 0, tzinfo=PARIS)
WEDNESDAY_8 = dt.datetime(2026, 3, 18, 8, 0, tzinfo=PARIS)


@pytest.fixture
def world():
    fund = FundFactory()
    place, motif, slot = desk(fund)
    user = InsuredUserFactory(person__family__fund=fund)
    front_desk = AgentFactory(fund=fund, second_factor=False)
    return fund, place, motif, slot, user, front_desk


def _book(user, place, motif, start=WEDNESDAY_9, **extra):
    with time_machine.travel(NOW, tick=False):
        return services.appointment_book(
            person=user.person,
            by=user,
            motif=motif,
            place=place,
            start=start,
            phone="06 12 34 56 78",
            **extra,
        )


def _log(appointment):
    return list(
        AppointmentTransition.objects.filter(appointment=appointment).values_list(
            "from_status", "to_status"
        )
    )


def test_rdv11_check_in_of_the_insured_on_the_day_then_seen_before_the_start(world):
    _, place, motif, _, user, front_desk = world
    appointment = _book(user, place, motif)
    with time_machine.travel(NOW, tick=False), pytest.raises(Refused) as refused:
        services.appointment_check_in(
            appointment_id=appointment.pk, agent=front_desk, arrival=Arrival.INSURED
        )
    assert refused.value.refusal == rules.CHECK_IN_NOT_TODAY
    with time_machine.travel(WEDNESDAY_8, tick=False):
        services.appointment_check_in(
            appointment_id=appointment.pk, agent=front_desk, arrival=Arrival.INSURED
        )
        with pytest.raises(Refused) as refused:
            services.appointment_check_in(
                appointment_id=appointment.pk, agent=front_desk, arrival=Arrival.INSURED
            )
        assert refused.value.refusal == rules.CHECK_IN_NOT_BOOKED
        # Checked in early: « reçu » before the start, never « absent ».
        with pytest.raises(Refused):
            services.appointment_move(
                appointment_id=appointment.pk, agent=front_desk, target=AppointmentStatus.NO_SHOW
            )
        services.appointment_move(
            appointment_id=appointment.pk, agent=front_desk, target=AppointmentStatus.SEEN
        )
    appointment.refresh_from_db()
    assert appointment.status == AppointmentStatus.SEEN
    assert appointment.power_use is None
    assert _log(appointment) == [("", "booked"), ("booked", "checked_in"), ("checked_in", "seen")]
    check_in = AppointmentTransition.objects.get(appointment=appointment, to_status="checked_in")
    assert (check_in.by, check_in.note) == (front_desk, "Arrivée de l'assuré(e)")


def test_rdv12_a_desk_appointment_is_seen_only_after_its_check_in(world):
    _, place, motif, _, user, front_desk = world
    appointment = _book(user, place, motif)
    with time_machine.travel(WEDNESDAY_9 + dt.timedelta(minutes=5), tick=False):
        with pytest.raises(Refused) as refused:
            services.appointment_move(
                appointment_id=appointment.pk, agent=front_desk, target=AppointmentStatus.SEEN
            )
        assert refused.value.refusal == rules.NOT_CHECKED_IN
        appointment.refresh_from_db()
        assert appointment.status == AppointmentStatus.BOOKED
        services.appointment_move(
            appointment_id=appointment.pk, agent=front_desk, target=AppointmentStatus.NO_SHOW
        )
    assert _log(appointment)[-1] == ("booked", "no_show")


def test_rdv12_a_phone_appointment_has_no_check_in_and_is_seen_directly(world):
    fund, place, _, _, user, front_desk = world
    phone = motif_for(fund, channel=Channel.PHONE, minutes=20)
    opening(place, phone, start=dt.time(14), end=dt.time(16))
    appointment = _book(user, place, phone, start=dt.datetime(2026, 3, 18, 14, 0, tzinfo=PARIS))
    with time_machine.travel(dt.datetime(2026, 3, 18, 14, 5, tzinfo=PARIS), tick=False):
        with pytest.raises(Refused) as refused:
            services.appointment_check_in(
                appointment_id=appointment.pk, agent=front_desk, arrival=Arrival.INSURED
            )
        assert refused.value.refusal == rules.CHECK_IN_NOT_DESK
        services.appointment_move(
            appointment_id=appointment.pk, agent=front_desk, target=AppointmentStatus.SEEN
        )
    assert _log(appointment)[-1] == ("booked", "seen")


def test_rdv11_the_proxy_is_checked_in_with_the_id_check_of_p8(world):
    _, place, motif, _, user, front_desk = world
    appointment = _book(user, place, motif)
    with time_machine.travel(WEDNESDAY_8, tick=False):
        with pytest.raises(Refused) as refused:
            services.appointment_check_in(
                appointment_id=appointment.pk,
                agent=front_desk,
                arrival=Arrival.PROXY,
                document_type="id_card",
                document_last_digits="4821",
            )
        assert refused.value.refusal == rules.CHECK_IN_NO_POWER
        give_power(user.person, first_name="Nicolas")
        with pytest.raises(Refused) as refused:
            services.appointment_check_in(
                appointment_id=appointment.pk,
                agent=front_desk,
                arrival=Arrival.PROXY,
                document_type="id_card",
                document_last_digits="48 1",
            )
        assert refused.value.field == "document_last_digits"
        assert not PowerUse.objects.exists()
        services.appointment_check_in(
            appointment_id=appointment.pk,
            agent=front_desk,
            arrival=Arrival.PROXY,
            document_type="id_card",
            document_last_digits="ab21",
        )
    appointment.refresh_from_db()
    use = PowerUse.objects.get()
    assert appointment.power_use == use
    assert (use.agent, use.document_type, use.document_last_digits) == (
        front_desk,
        "id_card",
        "AB21",
    )
    assert appointment.status == AppointmentStatus.CHECKED_IN
    note = AppointmentTransition.objects.get(appointment=appointment, to_status="checked_in").note
    assert "Nicolas" in note and "pièce d'identité vérifiée" in note


def test_rdv10_another_funds_agent_cannot_check_in(world):
    _, place, motif, _, user, _ = world
    appointment = _book(user, place, motif)
    stranger = AgentFactory(fund=FundFactory(code="691", name="CPAM du Rhône"), second_factor=False)
    with time_machine.travel(WEDNESDAY_8, tick=False), pytest.raises(Appointment.DoesNotExist):
        services.appointment_check_in(
            appointment_id=appointment.pk, agent=stranger, arrival=Arrival.INSURED
        )
    back_office = AgentFactory(fund=place.fund, back_office=True, second_factor=False)
    with time_machine.travel(WEDNESDAY_8, tick=False), pytest.raises(Appointment.DoesNotExist):
        services.appointment_check_in(
            appointment_id=appointment.pk, agent=back_office, arrival=Arrival.INSURED
        )
    appointment.refresh_from_db()
    assert appointment.status == AppointmentStatus.BOOKED


def test_rdv14_an_absence_cancels_and_notifies_every_booked_person(
    world, django_capture_on_commit_callbacks
):
    fund, place, motif, slot, user, front_desk = world
    holder = slot.agent
    other = InsuredUserFactory(person__family__fund=fund)
    outside = InsuredUserFactory(person__family__fund=fund)
    first = _book(user, place, motif)
    second = _book(other, place, motif, start=WEDNESDAY_9 + dt.timedelta(minutes=30))
    kept = _book(outside, place, motif, start=dt.datetime(2026, 3, 19, 9, 0, tzinfo=PARIS))
    mail.outbox.clear()
    with pytest.raises(Refused) as refused, time_machine.travel(NOW, tick=False):
        services.absence_record(
            by=front_desk,
            agent=holder,
            start=dt.datetime(2026, 3, 18, 0, 0, tzinfo=PARIS),
            end=dt.datetime(2026, 3, 19, 0, 0, tzinfo=PARIS),
        )
    assert refused.value.refusal == rules.ABSENCE_NOT_ALLOWED  # another front-desk agent
    supervisor = AgentFactory(fund=fund, supervisor=True, second_factor=False)
    with (
        django_capture_on_commit_callbacks(execute=True),
        time_machine.travel(NOW, tick=False),
    ):
        absence, cancelled = services.absence_record(
            by=supervisor,
            agent=holder,
            start=dt.datetime(2026, 3, 18, 0, 0, tzinfo=PARIS),
            end=dt.datetime(2026, 3, 19, 0, 0, tzinfo=PARIS),
            reason="Formation",
        )
    assert [a.pk for a in cancelled] == [first.pk, second.pk]
    for appointment in (first, second):
        appointment.refresh_from_db()
        assert appointment.status == AppointmentStatus.CANCELLED_BY_FUND
        last = AppointmentTransition.objects.filter(appointment=appointment).last()
        assert (last.by, last.note) == (supervisor, "Absence de l'agent : Formation")
    kept.refresh_from_db()
    assert kept.status == AppointmentStatus.BOOKED
    assert sorted(email.to[0] for email in mail.outbox) == sorted([user.email, other.email])
    assert all("annulé par votre caisse" in email.body for email in mail.outbox)
    assert user.notifications.filter(title="Rendez-vous annulé").exists()
    # The slots of the absence are no longer offered.
    with time_machine.travel(NOW, tick=False):
        assert not selectors.free_slots(
            place=place, motif=motif, first_day=WEDNESDAY_9.date(), last_day=WEDNESDAY_9.date()
        )
    assert absence.reason == "Formation"


def test_rdv14_an_agent_declares_their_own_absence_but_not_another_funds(world):
    _, place, motif, slot, user, _ = world
    holder = slot.agent
    appointment = _book(user, place, motif)
    foreign = AgentFactory(fund=FundFactory(code="691"), supervisor=True, second_factor=False)
    start, end = WEDNESDAY_8, WEDNESDAY_9 + dt.timedelta(hours=1)
    with time_machine.travel(NOW, tick=False):
        with pytest.raises(Refused):
            services.absence_record(by=foreign, agent=holder, start=start, end=end)
        with pytest.raises(Refused) as refused:
            services.absence_record(by=holder, agent=holder, start=end, end=start)
        assert refused.value.refusal == rules.ABSENCE_ORDER
        services.absence_record(by=holder, agent=holder, start=start, end=end)
    appointment.refresh_from_db()
    assert appointment.status == AppointmentStatus.CANCELLED_BY_FUND


def test_rdv15_an_agent_books_for_an_insured_of_their_fund_with_the_same_rules(
    world, django_capture_on_commit_callbacks
):
    _, place, motif, _, user, front_desk = world
    give_power(user.person, first_name="Nicolas")
    mail.outbox.clear()
    with (
        time_machine.travel(NOW, tick=False),
        django_capture_on_commit_callbacks(execute=True),
    ):
        appointment = services.appointment_book_by_agent(
            agent=front_desk,
            person=user.person,
            motif=motif,
            place=place,
            start=WEDNESDAY_9,
            phone="0612345678",
            represented_by_proxy=True,
        )
        with pytest.raises(Refused) as refused:  # RDV2 holds for the agent too
            services.appointment_book_by_agent(
                agent=front_desk,
                person=user.person,
                motif=motif,
                place=place,
                start=WEDNESDAY_9 + dt.timedelta(minutes=30),
                phone="0612345678",
            )
        assert refused.value.refusal == rules.ALREADY_BOOKED
        stranger = InsuredUserFactory(person__family__fund=FundFactory(code="691"))
        with pytest.raises(Refused) as refused:
            services.appointment_book_by_agent(
                agent=front_desk,
                person=stranger.person,
                motif=motif,
                place=place,
                start=WEDNESDAY_9 + dt.timedelta(minutes=30),
                phone="0612345678",
            )
        assert refused.value.refusal == rules.NOT_IN_FUND
    assert (appointment.booked_by, appointment.represented_by_proxy) == (front_desk, True)
    assert appointment.phone == "06 12 34 56 78"
    (email,) = mail.outbox
    assert email.to == [user.email]  # to the insured, never the proxy (P8)


@time_machine.travel(NOW, tick=False)
def test_rdv16_the_agenda_per_place_and_agent_and_a_persons_appointments(world):
    fund, place, motif, slot, user, front_desk = world
    second_agent = AgentFactory(fund=fund, second_factor=False, last_name="Martin")
    opening(place, motif, agent=second_agent)
    first = _book(user, place, motif)
    other = InsuredUserFactory(person__family__fund=fund)
    second = _book(other, place, motif, start=dt.datetime(2026, 3, 20, 9, 0, tzinfo=PARIS))
    elsewhere = place_for(fund, name="Accueil annexe")
    week = selectors.agenda(
        agent=front_desk,
        place=place,
        first_day=dt.date(2026, 3, 16),
        last_day=dt.date(2026, 3, 22),
    )
    assert week == [first, second]
    assert selectors.agenda(
        agent=front_desk, place=place, first_day=WEDNESDAY_9.date(), last_day=WEDNESDAY_9.date()
    ) == [first]
    assert selectors.agenda(
        agent=front_desk,
        place=place,
        first_day=dt.date(2026, 3, 16),
        last_day=dt.date(2026, 3, 22),
        of_agent_id=first.agent_id,
    ) == [a for a in (first, second) if a.agent_id == first.agent_id]
    assert not selectors.agenda(
        agent=front_desk,
        place=elsewhere,
        first_day=dt.date(2026, 3, 16),
        last_day=dt.date(2026, 3, 22),
    )
    assert set(selectors.place_agents(agent=front_desk, place=place)) == {slot.agent, second_agent}
    assert selectors.person_appointments_for_agent(agent=front_desk, person=user.person) == [first]
    stranger = AgentFactory(fund=FundFactory(code="691"), second_factor=False)
    assert not selectors.agenda(
        agent=stranger, place=place, first_day=dt.date(2026, 3, 16), last_day=dt.date(2026, 3, 22)
    )
    assert not selectors.place_agents(agent=stranger, place=place)
    assert not selectors.person_appointments_for_agent(agent=stranger, person=user.person)
    assert selectors.person_for_agent(agent=stranger, person_id=user.person.pk) is None


def test_rdv13_a_no_show_sends_nothing_and_the_person_books_again(
    world, django_capture_on_commit_callbacks
):
    _, place, motif, _, user, front_desk = world
    appointment = _book(user, place, motif)
    mail.outbox.clear()
    notices = user.notifications.count()
    with (
        time_machine.travel(WEDNESDAY_9 + dt.timedelta(minutes=15), tick=False),
        django_capture_on_commit_callbacks(execute=True),
    ):
        services.appointment_move(
            appointment_id=appointment.pk, agent=front_desk, target=AppointmentStatus.NO_SHOW
        )
        assert not mail.outbox and user.notifications.count() == notices
        again = services.appointment_book(
            person=user.person,
            by=user,
            motif=motif,
            place=place,
            start=dt.datetime(2026, 3, 20, 9, 0, tzinfo=PARIS),
            phone="06 12 34 56 78",
        )
    assert again.status == AppointmentStatus.BOOKED
