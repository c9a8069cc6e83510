"""Every démarche of the guides, grouped as in « Mes démarches » (rule G3).

An entry whose ``url_name`` is None is not built yet: it is shown as unavailable, never hidden.
"""

from dataclasses import dataclass

from django.urls import NoReverseMatch

from guichet.interfaces.web.links import link


@dataclass(frozen=True)
class Entry:
    label: str
    url_name: str | None = None

    @property
    def url(self) -> str | None:
        if self.url_name is None:
            return None
        try:
            return link(self.url_name)
        except NoReverseMatch:
            return None


GROUPS: list[tuple[str, list[Entry]]] = [
    (
        "Effectuer une démarche",
        [
            Entry("Commander une carte Vitale", "web:card_order_start"),
            Entry("Commander une carte européenne d'assurance maladie (CEAM)", "web:ceam_order"),
            Entry("Déclarer la perte ou le vol de carte Vitale", "web:card_declare"),
            Entry("Déclarer un accident causé par un tiers"),
            Entry("Faire une demande de Complémentaire santé solidaire"),
            Entry("Inscrire votre enfant sur la carte Vitale de l'autre parent"),
            Entry("Demander le remboursement d'un transport personnel"),
            Entry("Demander l'aide du médiateur"),
            Entry("Demander une pension d'invalidité"),
            Entry("Faire ou révoquer une procuration en ligne", "web:power_start"),
            Entry("Demander un remboursement de soins à l'étranger"),
            Entry("Choisir mon organisme complémentaire", "web:complementary_choose"),
        ],
    ),
    (
        "Télécharger",
        [
            Entry("Attestation de droits", "web:certificate_rights"),
            Entry(
                "Attestation de paiement d'indemnités journalières",
                "web:certificate_daily_allowance",
            ),
            Entry("Mes relevés mensuels", "web:certificate_monthly"),
            Entry("Relevé fiscal", "web:certificate_tax"),
        ],
    ),
    (
        "Déclarer un changement de situation",
        [
            Entry("Changement d'adresse postale", "web:situation_address"),
            Entry("Déclaration du nouveau-né", "web:situation_newborn"),
            Entry(
                "Inscrire votre enfant sur la carte Vitale de l'autre parent",
                "web:situation_other_parent",
            ),
            Entry("Modifier mes coordonnées bancaires", "web:situation_bank_details"),
            Entry("Changement de nom d'usage", "web:situation_usage_name"),
        ],
    ),
    (
        "Suivre mes démarches",
        [
            Entry("Commande de carte Vitale", "web:card_tracking"),
            Entry("Commande de CEAM", "web:ceam_tracking"),
            Entry("Arrêts de travail", "web:work_stoppages"),
            Entry("Consulter les délais de traitement de ma CPAM", "web:processing_times"),
        ],
    ),
    ("Espace d'échanges", [Entry("Ma messagerie", "web:messages")]),
]


def procedure_groups() -> list[dict]:
    return [
        {"title": title, "entries": [{"label": e.label, "url": e.url} for e in entries]}
        for title, entries in GROUPS
    ]


# « Mes démarches en 2 clics » on the home page (rules G2, A2): the most used démarches.
QUICK_LABELS = (
    "Attestation de droits",
    "Attestation de paiement d'indemnités journalières",
    "Commander une carte européenne d'assurance maladie (CEAM)",
    "Consulter les délais de traitement de ma CPAM",
)


def quick_procedures() -> list[dict]:
    """The entries of QUICK_LABELS, taken from GROUPS so that a built démarche gets its link."""
    by_label = {e.label: e for _, entries in GROUPS for e in entries}
    return [{"label": label, "url": by_label[label].url} for label in QUICK_LABELS]
