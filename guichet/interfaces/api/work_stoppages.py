"""/work-stoppages: « Suivre mes démarches › Arrêts de travail », the periods of the fund's
records and their daily-allowance payments, read-only (reference.selectors.work_stoppages)."""

import datetime as dt
from decimal import Decimal

from django.http import HttpRequest
from ninja import Router, Schema

from guichet.interfaces.api.errors import responses
from guichet.interfaces.api.security import current_user
from guichet.reference import selectors as reference_selectors

router = Router(tags=["Arrêts de travail"])


class AllowanceOut(Schema):
    id: int
    label: str
    period_start: dt.date
    period_end: dt.date | None
    paid_on: dt.date
    amount: Decimal


class WorkStoppageOut(Schema):
    id: int
    kind: str
    kind_label: str
    start_date: dt.date
    end_date: dt.date
    is_extension: bool
    employer: str
    received_on: dt.date
    payments: list[AllowanceOut]


@router.get(
    "/work-stoppages",
    response=responses({200: list[WorkStoppageOut]}, 401),
    summary="Mes arrêts de travail et leurs indemnités journalières",
)
def work_stoppages(request: HttpRequest) -> list[WorkStoppageOut]:
    return [
        WorkStoppageOut(
            id=s.pk,
            kind=s.kind,
            kind_label=s.get_kind_display(),
            start_date=s.start_date,
            end_date=s.end_date,
            is_extension=s.is_extension,
            employer=s.employer,
            received_on=s.received_on,
            payments=[
                AllowanceOut(
                    id=p.pk,
                    label=p.label,
                    period_start=p.care_date,
                    period_end=p.period_end,
                    paid_on=p.paid_on,
                    amount=p.amount,
                )
                for p in s.payments.all()
            ],
        )
        for s in reference_selectors.work_stoppages(person=current_user(request).person)
    ]
