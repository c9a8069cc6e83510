"""The account's tabs (rule G2), with the unread counts of « Ma messagerie »."""

from django.http import HttpRequest

from guichet.interfaces.web.links import link
from guichet.notifications import selectors as notification_selectors

TABS = [
    ("home", "Accueil", "web:home"),
    ("payments", "Mes paiements", "web:payments"),
    ("procedures", "Mes démarches", "web:procedures"),
    ("prevention", "Mon espace prévention", "web:prevention"),
    ("information", "Mes informations", "web:information"),
    ("messages", "Ma messagerie", "web:messages"),
]


def account_context(request: HttpRequest, active_tab: str, **extra: object) -> dict:
    counts = notification_selectors.unread_counts(user=request.user)
    tabs = [
        {
            "key": key,
            "label": label,
            "url": link(url_name),
            "badge": counts["inbox"] if key == "messages" and counts["inbox"] else None,
        }
        for key, label, url_name in TABS
    ]
    return {"account_tabs": tabs, "active_tab": active_tab, "unread": counts, **extra}
