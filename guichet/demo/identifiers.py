"""Valid identifiers built fast and deterministically: IBANs, carte Vitale serials, NIRs.

The demo personas and the scale generator share these helpers; each uses its own ranges so
that both data sets can live in the same database without a collision.
"""

import datetime as dt

from guichet.reference.nir import build_nir

# Departments of birth reserved to the demo personas; the scale data uses the others.
DEMO_DEPARTMENTS = frozenset({"13", "33", "44", "59", "69", "75", "99"})
SCALE_DEPARTMENTS = tuple(
    f"{n:02d}" for n in range(1, 96) if n != 20 and f"{n:02d}" not in DEMO_DEPARTMENTS
)
NIR_ORDERS = 999
NIR_COMMUNES = 990
DEMO_SERIAL_PREFIX = "80250"
SCALE_SERIAL_PREFIX = "90250"
_SERIAL_BODY = 10**15
# Multiplying by a number prime to 10 permutes the 15-digit bodies: unique, random-looking.
_SERIAL_MIX = 7_368_787


_FR_DIGITS = "1527"  # "FR" with A=10 … Z=35, as the IBAN check (ISO 13616) reads letters


def rib_key(bank: str, branch: str, account: str) -> str:
    """The 2-digit key of a French RIB (« clé RIB »), for an all-digit account number."""
    return f"{97 - (89 * int(bank) + 15 * int(branch) + 3 * int(account)) % 97:02d}"


def french_iban(*, bank: str, branch: str, account: str) -> str:
    """A valid French IBAN (FR + 2 check digits + the 23-character BBAN), computed in-line."""
    bban = f"{bank}{branch}{account}{rib_key(bank, branch, account)}"
    check = 98 - int(bban + _FR_DIGITS + "00") % 97
    return f"FR{check:02d}{bban}"


def account_number(n: int) -> str:
    """An 11-digit account number, random-looking but unique per n."""
    return f"{(n * 48_271 + 12_345) % 10**11:011d}"


def card_serial(prefix: str, n: int) -> str:
    """A 20-digit carte Vitale serial: 5-digit prefix, then a unique 15-digit body."""
    return f"{prefix}{(n * _SERIAL_MIX + 104_729) % _SERIAL_BODY:015d}"


def scale_nir(*, person_index: int, sex: int, birth_date: dt.date) -> str:
    """A unique NIR for the scale data: the index picks (department, commune, order)."""
    order = person_index % NIR_ORDERS + 1
    commune = (person_index // NIR_ORDERS) % NIR_COMMUNES + 1
    department = SCALE_DEPARTMENTS[person_index // (NIR_ORDERS * NIR_COMMUNES)]
    return build_nir(
        sex=sex, birth_date=birth_date, department=department, commune=f"{commune:03d}", order=order
    )
