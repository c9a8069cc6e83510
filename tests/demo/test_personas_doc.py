"""docs/personas.md gives what a tester types, and what it gives is true: the values are read
out of the page and typed into the account-creation checks of rule C2 (issue 14)."""

import datetime as dt
import re

import pytest

from guichet.demo import tables
from guichet.demo.personas import PERSONAS
from guichet.enrollment.services import identity_check, proof_check

pytestmark = pytest.mark.django_db

ROW = re.compile(
    r"^\| `(?P<key>[a-z0-9-]+)` \| (?P<name>[^|]+) \| (?P<born>\d\d/\d\d/\d{4}) \| "
    r"`(?P<postal>\d{5})` \| [^|]+ \| (?P<iban>[^|]+) \| (?P<cards>[^|]+) \| [^|]+ \|$",
    flags=re.MULTILINE,
)


def _rows() -> dict[str, dict[str, str]]:
    text = tables.DOCS_PATH.read_text(encoding="utf-8")
    return {m["key"]: m.groupdict() for m in ROW.finditer(text)}


def _typed_name(name: str) -> str:
    """« Mon nom »: the birth name, the upper-case words of the Name column."""
    name = re.sub(r" \(nom d'usage [^)]+\)$", "", name)
    return " ".join(word for word in name.split() if word.isupper())


def _bold(cell: str) -> str:
    return re.search(r"\*\*`([^`]+)`\*\*", cell).group(1)


def test_every_persona_has_a_details_row_with_a_postal_code():
    assert set(_rows()) == {p.key for p in PERSONAS}


@pytest.mark.parametrize("item", PERSONAS, ids=lambda p: p.key)
def test_the_documented_identity_and_proof_are_the_records(seeded, item):
    row = _rows()[item.key]
    checked = identity_check(
        last_name=_typed_name(row["name"]),
        nir=item.nir,
        birth_date=dt.datetime.strptime(row["born"], "%d/%m/%Y").date(),
        postal_code=row["postal"],
        ip="192.0.2.1",
    )
    assert checked.person is not None, checked.error
    active = [c for c in row["cards"].split("<br>") if c.endswith("(active)")]
    if row["iban"] == "—" or not active or not item.active_card.has_photo:
        return  # no proof to type (C4: no bank details, no active card with photo)
    proved = proof_check(
        person=checked.person,
        iban_end=_bold(row["iban"]),
        serial_end=_bold(active[0]),
        ip="192.0.2.1",
    )
    assert proved.person is not None, proved.error
