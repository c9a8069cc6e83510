"""« Niveau indicatif de sécurité » of a code personnel (rule C5), computed with zxcvbn."""

import datetime as dt
from dataclasses import dataclass

from zxcvbn import zxcvbn

from guichet.accounts.passwords import MAX_LENGTH

LABELS = ("Très faible", "Faible", "Moyen", "Bon", "Très bon")


@dataclass(frozen=True)
class Strength:
    score: int  # 0 to 4, zxcvbn's scale
    label: str

    @property
    def percent(self) -> int:
        return (self.score + 1) * 20


def code_strength(code: str, *, user_inputs: list[str] | None = None) -> Strength:
    """zxcvbn's score; the user's own data (NIR, names, birth date) count as guessable words."""
    if not code:
        return Strength(0, LABELS[0])
    result = zxcvbn(code[:MAX_LENGTH], user_inputs=[i for i in (user_inputs or []) if i])
    score = int(result["score"])
    return Strength(score, LABELS[score])


def person_inputs(*, nir: str, birth_date: dt.date | None, names: list[str]) -> list[str]:
    inputs = [nir, *names]
    if birth_date:
        inputs += [birth_date.strftime("%d%m%Y"), birth_date.strftime("%Y")]
    return inputs
