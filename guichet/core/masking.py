"""How personal data is shown partly hidden on screens (rules G4, C2)."""


def mask_iban(iban: str) -> str:
    """FR76 **** **** **** **** **12 345 : the country, the key and the last 7 characters."""
    compact = "".join(iban.split()).upper()
    if len(compact) < 11:
        return "•" * len(compact)
    hidden = compact[:4] + "•" * (len(compact) - 11) + compact[-7:]
    return " ".join(hidden[i : i + 4] for i in range(0, len(hidden), 4))


def mask_email(email: str) -> str:
    """j•••••@exemple.fr : the first letter of the local part and the whole domain."""
    local, _, domain = email.partition("@")
    if not domain:
        return "•" * len(email)
    return f"{local[:1]}{'•' * max(len(local) - 1, 3)}@{domain}"


def mask_nir(nir: str) -> str:
    """1 84 12 •• ••• ••• 45 : sex, year and month of birth and the key stay visible."""
    compact = "".join(nir.split())
    if len(compact) != 15:
        return "•" * len(compact)
    return f"{compact[0]} {compact[1:3]} {compact[3:5]} •• ••• ••• {compact[13:]}"


def format_nir(nir: str) -> str:
    compact = "".join(nir.split())
    if len(compact) != 15:
        return compact
    parts = (compact[0], compact[1:3], compact[3:5], compact[5:7], compact[7:10], compact[10:13])
    return " ".join(parts) + " " + compact[13:]
