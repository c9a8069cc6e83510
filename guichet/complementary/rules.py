"""Rule O4 (who may choose online), the routing of the resulting case (O6), and the refusals of
the choice and of its case (O3, O6, O7), each a core `Refusal`."""

from guichet.complementary.enums import ConflictStatus, Exclusion, RequestStatus
from guichet.complementary.models import ChoiceRequestTransition, ConflictTransition
from guichet.core.refusals import Refusal
from guichet.core.transitions import StateMachine

# O1, O3, O7: a conflict waits for the insured's choice, then for the agent who applies it;
# one whose contracts stop overlapping resolves itself (the periodic detection).
CONFLICT_MACHINE = StateMachine(
    {
        ConflictStatus.PENDING: {ConflictStatus.REQUESTED, ConflictStatus.RESOLVED},
        ConflictStatus.REQUESTED: {ConflictStatus.RESOLVED},
    },
    log=ConflictTransition,
)
# O6, O7: the request is pending (« DEMANDE EN COURS ») until its case is closed.
REQUEST_MACHINE = StateMachine(
    {
        "": {RequestStatus.PENDING},
        RequestStatus.PENDING: {RequestStatus.APPLIED},
        RequestStatus.APPLIED: {RequestStatus.CLOSED},
    },
    log=ChoiceRequestTransition,
)

# O4: « dès lors que 5 bénéficiaires (et plus) sont concernés par un chevauchement ».
EXCLUDED_FROM_BENEFICIARIES = 5

# O6: complex cases go to the central fund. A request is complex when it concerns 3 or 4
# beneficiaries, or when a beneficiary has more than two contracts in force at once
# (docs/decisions/complementary-complex-cases.md).
COMPLEX_FROM_BENEFICIARIES = 3
CONTRACTS_PER_ORDINARY_CONFLICT = 2

# O4: the refusal of each exclusion the detection stores on a conflict (its code is the
# stored value).
EXCLUSIONS = {
    Exclusion.PRECARITY: Refusal(
        Exclusion.PRECARITY.value,
        "Un contrat de Complémentaire santé solidaire (ou CMU complémentaire, ou ACS) est "
        "concerné par ce chevauchement : le choix ne peut pas se faire en ligne.",
    ),
    Exclusion.TOO_MANY_BENEFICIARIES: Refusal(
        Exclusion.TOO_MANY_BENEFICIARIES.value,
        "5 bénéficiaires ou plus sont concernés par ce chevauchement : le choix ne peut pas "
        "se faire en ligne.",
    ),
    Exclusion.PARTNER_SCHEME: Refusal(
        Exclusion.PARTNER_SCHEME.value,
        "Ce service n'est pas proposé aux assurés des régimes partenaires.",
    ),
}

EXCLUSION_ADVICE = (
    "Pour choisir l'organisme complémentaire à conserver, contactez votre caisse "
    "d'assurance maladie (par téléphone au 3646 ou dans « Ma messagerie »)."
)


def is_complex(*, contracts_per_beneficiary: list[int]) -> bool:
    return len(contracts_per_beneficiary) >= COMPLEX_FROM_BENEFICIARIES or any(
        count > CONTRACTS_PER_ORDINARY_CONFLICT for count in contracts_per_beneficiary
    )


def exclusion_refusal(exclusion: str) -> Refusal | None:
    """O4: why a conflict with this stored exclusion cannot be chosen online, or None."""
    return EXCLUSIONS.get(Exclusion(exclusion)) if exclusion else None


NOT_INSURED = Refusal("not_insured", "Seul un assuré peut choisir son organisme complémentaire.")
REQUEST_PENDING = Refusal("request_pending", "Une demande est déjà en cours de traitement.")
NO_CONFLICT = Refusal(
    "no_conflict", "Aucun chevauchement d'organismes complémentaires n'est à traiter."
)
CHOICE_MISSING = Refusal(
    "choice_missing", "Choisissez un organisme complémentaire pour chaque bénéficiaire."
)
CHOICE_UNKNOWN = Refusal(
    "choice_unknown", "Ce choix ne correspond pas à vos contrats : recommencez."
)
CASE_NOT_HELD = Refusal("case_not_held", "Prenez d'abord cette affaire en charge.")
ALREADY_APPLIED = Refusal("choices_applied", "Les choix de cette demande sont déjà appliqués.")
NOT_APPLIED = Refusal("choices_not_applied", "Appliquez les choix avant de clôturer l'affaire.")
