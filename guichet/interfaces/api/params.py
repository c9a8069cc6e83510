"""Typed parameters shared by the endpoints."""

from typing import Annotated

from ninja.params import functions

MAX_ID = 2**63 - 1  # a database id: larger numbers cannot exist (and would overflow SQLite)
MAX_PAGE_SIZE = 100

ObjectId = Annotated[int, functions.Path(ge=1, le=MAX_ID, description="Identifiant.")]
PageNumber = Annotated[int, functions.Query(1, ge=1, le=1_000_000, description="Numéro de page.")]
PageSize = Annotated[
    int, functions.Query(20, ge=1, le=MAX_PAGE_SIZE, description="Éléments par page (≤ 100).")
]
BeneficiaryFilter = Annotated[
    int | None,
    functions.Query(None, ge=1, le=MAX_ID, description="Un bénéficiaire de la famille."),
]
