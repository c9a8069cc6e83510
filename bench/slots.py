"""Benchmark: the free slots of one place over 6 weeks with 20 agents (issue 17, rule RDV9).

Builds one place, one 30-minute motif, 20 agents each open Monday to Friday 09:00–12:00 and
13:30–17:00 for 6 weeks, two absences per agent (a whole day and an afternoon) and about
60 % of the slots booked, then times `appointments.selectors.free_slots` over the 6 weeks
(what the API answers for `days=42`) and over one week (what the booking page shows).
Production settings (DEBUG off), a temporary SQLite database unless DATABASE_URL is set.
The goal: under 50 ms for the 6 weeks.

    .venv/bin/python bench/slots.py [iterations]
"""

import datetime as dt
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("GUICHET_DEBUG", "false")
os.environ.setdefault("GUICHET_SECRET_KEY", "bench-only-" + os.urandom(24).hex())
os.environ.setdefault("GUICHET_ALLOWED_HOSTS", "testserver")
os.environ.setdefault("GUICHET_VAR_DIR", tempfile.mkdtemp(prefix="guichet-bench-"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

import django

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402

from guichet.accounts.enums import AgentRole, UserKind  # noqa: E402
from guichet.accounts.models import User  # noqa: E402
from guichet.appointments import selectors, services  # noqa: E402
from guichet.appointments.enums import Channel  # noqa: E402
from guichet.appointments.models import Absence, Appointment, Motif, Place  # noqa: E402
from guichet.core.clock import PARIS  # noqa: E402
from guichet.reference.enums import Civility, FamilyRole, Gender  # noqa: E402
from guichet.reference.models import Family, Fund, Person, Scheme  # noqa: E402

AGENTS = 20
WEEKS = 6
NOW = dt.datetime(2026, 3, 13, 18, 0, tzinfo=PARIS)  # a Friday evening: 6 weeks from Monday
FIRST_DAY = dt.date(2026, 3, 16)
LAST_DAY = FIRST_DAY + dt.timedelta(weeks=WEEKS, days=-1)  # includes the spring change


def build() -> tuple[Place, Motif]:
    fund = Fund.objects.create(code="751", name="CPAM de Paris")
    scheme = Scheme.objects.create(code="01", name="Régime général")
    place = Place.objects.create(
        fund=fund, name="Accueil Paris 12", address="1 rue de Lyon", opening_hours="9 h – 17 h"
    )
    motif = Motif.objects.create(
        fund=fund, name="Rendez-vous à l'accueil", channel=Channel.DESK, duration_minutes=30
    )
    family = Family.objects.create(fund=fund, scheme=scheme)
    person = Person.objects.create(
        family=family,
        role=FamilyRole.RIGHTS_OPENER,
        nir="284057505600123",
        civility=Civility.MRS,
        gender=Gender.FEMALE,
        last_name="BENCH",
        first_names="Anne",
        birth_date=dt.date(1984, 5, 12),
    )
    agents = []
    for i in range(AGENTS):
        agent = User.objects.create(
            username=f"agent{i}",
            kind=UserKind.AGENT,
            agent_role=AgentRole.FRONT_DESK,
            fund=fund,
            first_name=f"Agent {i}",
        )
        agents.append(agent)
        for start, end in ((dt.time(9), dt.time(12)), (dt.time(13, 30), dt.time(17))):
            services.opening_slot_create(
                agent=agent,
                place=place,
                motifs=[motif],
                weekdays=[0, 1, 2, 3, 4],
                start_time=start,
                end_time=end,
                first_day=FIRST_DAY,
                last_day=LAST_DAY,
            )
        day = FIRST_DAY + dt.timedelta(days=7 + i % 20)
        Absence.objects.create(
            agent=agent,
            start=dt.datetime.combine(day, dt.time.min, tzinfo=PARIS),
            end=dt.datetime.combine(day + dt.timedelta(days=1), dt.time.min, tzinfo=PARIS),
        )
        other = FIRST_DAY + dt.timedelta(days=21 + i % 10)
        Absence.objects.create(
            agent=agent,
            start=dt.datetime.combine(other, dt.time(13), tzinfo=PARIS),
            end=dt.datetime.combine(other, dt.time(18), tzinfo=PARIS),
        )
    free = selectors.free_slots(
        place=place, motif=motif, first_day=FIRST_DAY, last_day=LAST_DAY, now=NOW
    )
    rows = [
        Appointment(
            person=person,
            motif=motif,
            place=place,
            agent_id=slot.agent_id,
            start=slot.start,
            end=slot.end,
            phone="0612345678",
        )
        for n, slot in enumerate(free)
        if n % 5 < 3  # 60 % booked
    ]
    Appointment.objects.bulk_create(rows, batch_size=1000)
    return place, motif


def timed(place: Place, motif: Motif, last_day: dt.date, iterations: int) -> tuple[float, ...]:
    """Median and 95th percentile of the wall-clock time, median CPU time of this process
    (what the machine's load does not change; the database's own time is not in it on
    PostgreSQL), in ms, and the number of free slots."""
    times, cpu, count = [], [], 0
    for _ in range(iterations):
        started, cpu_started = time.perf_counter(), time.process_time()
        count = len(
            selectors.free_slots(
                place=place, motif=motif, first_day=FIRST_DAY, last_day=last_day, now=NOW
            )
        )
        times.append((time.perf_counter() - started) * 1000)
        cpu.append((time.process_time() - cpu_started) * 1000)
    times.sort()
    return (
        statistics.median(times),
        times[int(len(times) * 0.95) - 1],
        statistics.median(cpu),
        float(count),
    )


def main() -> None:
    iterations = int(sys.argv[1]) if len(sys.argv) > 1 else 50
    call_command("migrate", verbosity=0)
    place, motif = build()
    print(
        f"{connection.vendor}: 1 place, {AGENTS} agents, {WEEKS} weeks, "
        f"{Absence.objects.count()} absences, {Appointment.objects.count()} appointments"
    )
    timed(place, motif, LAST_DAY, 5)  # warm-up
    for label, last_day in (("6 weeks", LAST_DAY), ("1 week", FIRST_DAY + dt.timedelta(6))):
        median, p95, cpu, count = timed(place, motif, last_day, iterations)
        print(
            f"free_slots over {label}: median {median:.1f} ms, p95 {p95:.1f} ms, "
            f"CPU {cpu:.1f} ms ({int(count)} free slots, {iterations} runs)"
        )


if __name__ == "__main__":
    main()
