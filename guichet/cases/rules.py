"""Business durations and the status machine of a case."""

import datetime as dt

from guichet.cases.enums import CaseStatus
from guichet.core.transitions import StateMachine

# O6: « traité sous 7 jours ».
CASE_DUE_DELAY = dt.timedelta(days=7)

# Window of the published processing times (G5).
PROCESSING_TIMES_WINDOW = dt.timedelta(days=30)

CASE_MACHINE = StateMachine(
    {
        CaseStatus.OPEN: {CaseStatus.IN_PROGRESS},
        CaseStatus.IN_PROGRESS: {CaseStatus.OPEN, CaseStatus.CLOSED},
        CaseStatus.CLOSED: set(),
    }
)
