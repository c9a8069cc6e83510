"""Comparing what a person types with the fund's records, without telling which field differs."""

import unicodedata


def normalize_name(value: str) -> str:
    """DUBOIS, Dubois, dubois, « Dubois  » and Dùbois compare equal; hyphens count as spaces."""
    decomposed = unicodedata.normalize("NFKD", value)
    letters = "".join(c for c in decomposed if not unicodedata.combining(c))
    for separator in "-'’":
        letters = letters.replace(separator, " ")
    return " ".join(letters.casefold().split())


def first_given_name(value: str) -> str:
    parts = normalize_name(value).split()
    return parts[0] if parts else ""


def digits_only(value: str) -> str:
    return "".join(c for c in value if c.isdigit())


def compact_upper(value: str) -> str:
    return "".join(value.split()).upper()


IBAN_SHOWN_START = 9  # country, check digits and bank code (FR76 30006)


def iban_hint(iban: str) -> str:
    """The IBAN's start with the rest hidden, the last 7 characters included (they are the proof).

    « FR76 3000 6••• •••• •••• •••• ••• »: unlike masking.mask_iban, which shows the end.
    """
    compact = compact_upper(iban)
    hidden = compact[:IBAN_SHOWN_START] + "•" * max(len(compact) - IBAN_SHOWN_START, 0)
    return " ".join(hidden[i : i + 4] for i in range(0, len(hidden), 4))
