"""French postal codes and their communes, from La Poste's « base officielle des codes postaux »
(shipped as data/postal_codes.tsv.gz, rebuilt by bin/postal-codes-import; rule SIT1).

A postal address is accepted when its commune is one of those its postal code serves, by the
commune's name or by La Poste's « libellé d'acheminement » (« Paris » for 75011), whatever the
case, accents, hyphens and « Saint »/« St » (docs/decisions/situation-address-change.md).
"""

import gzip
import re
import unicodedata
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from django.core.exceptions import ValidationError

DATA = Path(__file__).resolve().parent / "data" / "postal_codes.tsv.gz"
UNKNOWN_POSTAL_CODE = "Ce code postal n'existe pas : vérifiez-le."
CITY_MISMATCH = "La commune ne correspond pas au code postal {postal_code}. {known}"
SHOWN_COMMUNES = 8


@dataclass(frozen=True)
class Commune:
    insee_code: str
    name: str
    delivery_name: str  # « libellé d'acheminement »


@cache
def _communes_by_postal_code() -> dict[str, tuple[Commune, ...]]:
    table: dict[str, list[Commune]] = {}
    with gzip.open(DATA, "rt", encoding="utf-8") as lines:
        for line in lines:
            postal_code, insee_code, name, delivery_name = line.rstrip("\n").split("\t")
            table.setdefault(postal_code, []).append(Commune(insee_code, name, delivery_name))
    return {code: tuple(communes) for code, communes in table.items()}


def communes(postal_code: str) -> tuple[Commune, ...]:
    """The communes a postal code serves (empty: no such postal code)."""
    return _communes_by_postal_code().get(postal_code, ())


_ABBREVIATIONS = {"ST": "SAINT", "STE": "SAINTE"}


def _key(name: str) -> str:
    """« Saint-Étienne », « ST ETIENNE », « saint étienne » → « SAINT ETIENNE »."""
    plain = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode().upper()
    words = re.sub(r"[^A-Z0-9]+", " ", plain).split()
    return " ".join(_ABBREVIATIONS.get(word, word) for word in words)


def matching_commune(*, postal_code: str, city: str) -> Commune | None:
    typed = _key(city)
    for commune in communes(postal_code):
        if typed in (_key(commune.name), _key(commune.delivery_name)):
            return commune
    return None


def validate_postal_code_and_city(*, postal_code: str, city: str) -> None:
    """SIT1: the postal code exists and serves the commune typed. Raises ValidationError on
    the field at fault (« postal_code » or « city ») with its French message."""
    served = communes(postal_code)
    if not served:
        raise ValidationError({"postal_code": [UNKNOWN_POSTAL_CODE]})
    if matching_commune(postal_code=postal_code, city=city) is None:
        names = sorted(
            {c.delivery_name.title() if _is_arrondissement(c) else c.name for c in served}, key=_key
        )
        shown = ", ".join(names[:SHOWN_COMMUNES]) + (" …" if len(names) > SHOWN_COMMUNES else "")
        label = "Commune desservie" if len(names) == 1 else "Communes desservies"
        raise ValidationError(
            {"city": [CITY_MISMATCH.format(postal_code=postal_code, known=f"{label} : {shown}.")]}
        )


def _is_arrondissement(commune: Commune) -> bool:
    """Paris, Lyon and Marseille: « Paris 11e Arrondissement » is written « Paris »."""
    return "Arrondissement" in commune.name
