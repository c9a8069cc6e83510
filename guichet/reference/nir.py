"""Building NIRs for demo and test data (the key computed by python-stdnum)."""

import datetime as dt

from stdnum.fr import nir as stdnum_nir


def build_nir(*, sex: int, birth_date: dt.date, department: str, commune: str, order: int) -> str:
    """sex 1 or 2, the birth year and month, department (2 chars), commune (3), order (3 digits)."""
    body = f"{sex}{birth_date:%y}{birth_date:%m}{department}{commune}{order:03d}"
    return body + stdnum_nir.calc_check_digits(body)
