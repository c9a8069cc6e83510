"""Business durations and the status machine of a case."""

import datetime as dt

from guichet.cases.enums import CaseStatus
from guichet.cases.models import CaseTransition
from guichet.core.refusals import Refusal
from guichet.core.transitions import StateMachine

# O6: « traité sous 7 jours ».
CASE_DUE_DELAY = dt.timedelta(days=7)

# Window of the published processing times (G5).
PROCESSING_TIMES_WINDOW = dt.timedelta(days=30)

CASE_MACHINE = StateMachine(
    {
        "": {CaseStatus.OPEN},
        # open → closed: only when the person withdraws the request the case is about (SIT27,
        # cases.services.case_close_withdrawn), never an agent's move.
        CaseStatus.OPEN: {CaseStatus.IN_PROGRESS, CaseStatus.CLOSED},
        CaseStatus.IN_PROGRESS: {CaseStatus.OPEN, CaseStatus.CLOSED},
        CaseStatus.CLOSED: set(),
    },
    log=CaseTransition,
    stale=Refusal(
        "case_stale",
        "Cette affaire vient d'être prise en charge par un autre agent ou a changé de statut.",
    ),
)
