"""« Suivre mes démarches › Arrêts de travail »: the periods of the fund's records and their
daily-allowance payments, read-only."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from guichet.interfaces.web.access import insured_required
from guichet.interfaces.web.navigation import account_context
from guichet.reference import selectors as reference_selectors


@insured_required
def work_stoppages(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "web/work_stoppages/list.html",
        account_context(
            request,
            "procedures",
            title="Arrêts de travail",
            stoppages=reference_selectors.work_stoppages(person=request.user.person),
        ),
    )
