"""Rule C5: the code personnel must not contain the NIR, the birth date or a part of them,
written with or without separators."""

import datetime as dt

import pytest

from guichet.accounts.passwords import code_errors

NIR = "184057505600121"
BIRTH = dt.date(1983, 11, 15)
PERSONAL = (
    "Le code ne doit pas contenir votre numéro de sécurité sociale, votre date de naissance "
    "ou une partie de ceux-ci."
)


@pytest.mark.parametrize(
    "code",
    [
        "Abc-1511-xyz",  # without separators, refused before
        "Abc-15/11-xyz",
        "Abc-11.83-xyz",
        "Abc-15-11-1983",
        "Abc-15.11.83",
        "Abc-1983/11/15",
        "Abc-15_11-xyz",
        "Abc-15 11-xyz",
        "Abc 1 8 4 0 5",
    ],
)
def test_birth_date_parts_are_refused_with_or_without_separators(code):
    assert PERSONAL in code_errors(code, nir=NIR, birth_date=BIRTH)


@pytest.mark.parametrize("code", ["Abc-12/34-xyz", "Abc-15/12-xyz", "Guichet-Demo-2026!"])
def test_other_digit_groups_with_separators_are_accepted(code):
    assert code_errors(code, nir=NIR, birth_date=BIRTH) == []
