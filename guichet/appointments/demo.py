"""Demo state of « Mon agenda » (called by `manage.py seed_demo`, issue 17).

The CPAM de Paris (fund 751, that of most personas) has one front desk open to appointments,
two motifs (« Rendez-vous à l'accueil », 30 minutes; « Rendez-vous téléphonique », 20 minutes)
and the agent « accueil » holding its agenda, Monday to Friday 9:00–12:00 and 13:30–16:30,
so that a newcomer signed in as a persona of that fund finds free slots at once. Idempotent:
the place, the motifs and the openings are created only when missing (looked up by name and
agent). The demo funds without an agent account (131, 331, 441, 691) get no agenda yet.
"""

import datetime as dt
from typing import TextIO

from guichet.accounts.models import User
from guichet.appointments import services
from guichet.appointments.enums import Channel
from guichet.appointments.models import Motif, OpeningSlot, Place
from guichet.core import clock
from guichet.reference.models import Fund

FUND_CODE = "751"
AGENT = "accueil"
PLACE = {
    "name": "Accueil de la CPAM de Paris",
    "address": "21 rue Georges Auric, 75019 Paris",
    "opening_hours": "Du lundi au vendredi, de 8 h 30 à 17 h",
}
MOTIFS = (
    ("Rendez-vous à l'accueil", Channel.DESK, 30),
    ("Rendez-vous téléphonique", Channel.PHONE, 20),
)
OPENINGS = ((dt.time(9), dt.time(12)), (dt.time(13, 30), dt.time(16, 30)))
WEEKDAYS = [0, 1, 2, 3, 4]  # Monday to Friday


def seed(stdout: TextIO) -> None:
    fund = Fund.objects.filter(code=FUND_CODE).first()
    agent = User.objects.filter(username=AGENT).first()
    if fund is None or agent is None:
        stdout.write("Agenda : caisse 751 ou agent « accueil » absent, rien à faire.\n")
        return
    place, _ = Place.objects.get_or_create(
        fund=fund, name=PLACE["name"], defaults={k: v for k, v in PLACE.items() if k != "name"}
    )
    motifs = [
        Motif.objects.get_or_create(
            fund=fund, name=name, defaults={"channel": channel, "duration_minutes": minutes}
        )[0]
        for name, channel, minutes in MOTIFS
    ]
    created = 0
    for start, end in OPENINGS:
        if OpeningSlot.objects.filter(agent=agent, place=place, start_time=start).exists():
            continue
        services.opening_slot_create(
            agent=agent,
            place=place,
            motifs=motifs,
            weekdays=WEEKDAYS,
            start_time=start,
            end_time=end,
            first_day=clock.today(),
        )
        created += 1
    stdout.write(
        f"Agenda : « {place.name} », {len(motifs)} motifs, "
        f"{created} plage(s) d'ouverture créée(s) pour « {AGENT} ».\n"
    )
