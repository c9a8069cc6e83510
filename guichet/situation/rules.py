"""Rules of « Déclarer un changement de situation » (SIT1–SIT27, docs/decisions/
situation-address-change.md, situation-bank-details.md, situation-usage-name.md,
situation-newborn.md, situation-other-parent.md and situation-withdrawal.md), with their
durations."""

import datetime as dt
import re
import unicodedata

from guichet.core.clock import PARIS, add_months
from guichet.core.refusals import Refusal
from guichet.core.transitions import StateMachine
from guichet.reference.enums import Civility, Gender, NirStatus
from guichet.reference.models import Person
from guichet.reference.selectors import BeneficiaryFile
from guichet.situation.enums import (
    BankDetailsChangeStatus,
    NewbornDeclarationStatus,
    OtherParentRegistrationStatus,
    UsageNameChangeStatus,
)
from guichet.situation.models import (
    BankDetailsChangeTransition,
    NewbornDeclarationTransition,
    OtherParentRegistrationTransition,
    UsageNameChangeTransition,
)

# SIT8: at most this many bank-details changes asked in this window, whatever became of them.
BANK_CHANGE_LIMIT = 3
BANK_CHANGE_WINDOW = dt.timedelta(days=30)
# SIT9: an agent may approve a change only once this delay after the request is over, so that
# the insured, told by email at once (SIT10), has time to tell their fund of a change they did
# not ask for before any payment goes to the new account.
BANK_CHANGE_COOLING_OFF = dt.timedelta(days=2)

BANK_CHANGE_MACHINE = StateMachine(
    {
        "": {BankDetailsChangeStatus.PENDING},
        BankDetailsChangeStatus.PENDING: {
            BankDetailsChangeStatus.APPROVED,
            BankDetailsChangeStatus.REJECTED,
            BankDetailsChangeStatus.WITHDRAWN,  # SIT27
        },
        BankDetailsChangeStatus.APPROVED: set(),
        BankDetailsChangeStatus.REJECTED: set(),
        BankDetailsChangeStatus.WITHDRAWN: set(),
    },
    log=BankDetailsChangeTransition,
    stale=Refusal(
        "bank_change_stale",
        "Cette demande de changement de coordonnées bancaires a déjà été traitée.",
    ),
)

NOT_RIGHTS_OPENER = Refusal(
    "not_rights_opener",
    "Seul l'assuré ouvrant droit peut modifier les coordonnées bancaires où sont versés les "
    "remboursements de la famille.",
)
IBAN_NOT_SEPA = Refusal(
    "iban_not_sepa",
    "Les remboursements ne peuvent être versés que sur un compte de la zone SEPA : saisissez "
    "l'IBAN d'un tel compte.",
    field="iban",
)
SAME_IBAN = Refusal(
    "same_iban",
    "Cet IBAN est déjà celui de vos coordonnées bancaires : aucun changement n'est nécessaire.",
    field="iban",
)
HOLDER_MISMATCH = Refusal(
    "holder_mismatch",
    "Le titulaire du compte doit être vous-même : son nom doit comporter votre nom de "
    "naissance ou votre nom d'usage. Les remboursements ne sont pas versés sur le compte "
    "d'un tiers.",
    field="holder_name",
)
ALREADY_PENDING = Refusal(
    "bank_change_pending",
    "Une demande de changement de coordonnées bancaires est déjà en cours de vérification. "
    "Vous recevrez un email dès qu'elle sera traitée.",
)
TOO_MANY_CHANGES = Refusal(
    "bank_change_limit",
    f"Vous avez déjà demandé {BANK_CHANGE_LIMIT} changements de coordonnées bancaires ces "
    f"{BANK_CHANGE_WINDOW.days} derniers jours. Pour un nouveau changement, contactez votre "
    "caisse.",
)
NOT_PENDING = Refusal(
    "bank_change_not_pending",
    "Cette demande de changement de coordonnées bancaires n'est plus en cours.",
)
DECIDE_FIRST = Refusal(
    "bank_change_undecided",
    "Validez ou refusez la demande de coordonnées bancaires : l'affaire se clôture avec la "
    "décision.",
)
IDENTITY_NOT_CHECKED = Refusal(
    "identity_not_checked",
    "Vérifiez la pièce d'identité de l'assuré avant d'enregistrer de nouvelles coordonnées "
    "bancaires, puis cochez la case.",
    field="identity_checked",
)
SAME_AGENT = Refusal(
    "same_agent",
    "Vous avez enregistré cette demande à l'accueil : un autre agent doit la vérifier.",
)
REASON_REQUIRED = Refusal(
    "reason_required", "Indiquez le motif du refus : l'assuré le verra.", field="reason"
)


def cooling_off_refusal(*, requested_at: dt.datetime, now: dt.datetime) -> Refusal | None:
    """SIT9: not approved before BANK_CHANGE_COOLING_OFF has passed since the request."""
    ends = requested_at + BANK_CHANGE_COOLING_OFF
    if now >= ends:
        return None
    return Refusal(
        "bank_change_cooling_off",
        "Le nouvel IBAN ne peut être validé qu'après un délai de "
        f"{BANK_CHANGE_COOLING_OFF.days} jours, laissé à l'assuré pour signaler une demande "
        f"qu'il n'aurait pas faite : à partir du {ends.astimezone(PARIS):%d/%m/%Y à %H:%M}.",
    )


def bank_change_refusal(*, person: Person) -> Refusal | None:
    """Who may ask for a bank-details change (SIT3): the rights opener, whose IBAN it is."""
    if not person.is_rights_opener:
        return NOT_RIGHTS_OPENER
    return None


def name_words(name: str) -> list[str]:
    """A name's words, upper-case without accents: how two names are compared."""
    plain = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode().upper()
    return re.sub(r"[^A-Z]+", " ", plain).split()


def holder_matches(*, person: Person, holder_name: str) -> bool:
    """SIT5: the holder's name holds the insured's birth name or usage name, whole words in
    order, whatever the case, accents and hyphens (« Mme Julie GIRARD », « GIRARD-PETIT J. »)."""
    holder = name_words(holder_name)
    for name in (person.last_name, person.usage_name):
        wanted = name_words(name)
        if wanted and any(
            holder[i : i + len(wanted)] == wanted for i in range(len(holder) - len(wanted) + 1)
        ):
            return True
    return False


USAGE_NAME_MACHINE = StateMachine(
    {
        "": {UsageNameChangeStatus.PENDING},
        UsageNameChangeStatus.PENDING: {
            UsageNameChangeStatus.APPROVED,
            UsageNameChangeStatus.REJECTED,
            UsageNameChangeStatus.WITHDRAWN,  # SIT27
        },
        UsageNameChangeStatus.APPROVED: set(),
        UsageNameChangeStatus.REJECTED: set(),
        UsageNameChangeStatus.WITHDRAWN: set(),
    },
    log=UsageNameChangeTransition,
    stale=Refusal(
        "usage_name_change_stale",
        "Cette demande de changement de nom d'usage a déjà été traitée.",
    ),
)

SAME_USAGE_NAME = Refusal(
    "same_usage_name",
    "Ce nom est déjà celui que nous connaissons pour vous : aucun changement n'est nécessaire.",
    field="usage_name",
)
USAGE_NAME_PENDING = Refusal(
    "usage_name_change_pending",
    "Une demande de changement de nom d'usage est déjà en cours de vérification. Vous "
    "recevrez un email dès qu'elle sera traitée.",
)
USAGE_NAME_NOT_PENDING = Refusal(
    "usage_name_change_not_pending",
    "Cette demande de changement de nom d'usage n'est plus en cours.",
)
USAGE_NAME_DECIDE_FIRST = Refusal(
    "usage_name_change_undecided",
    "Validez ou refusez la demande de nom d'usage : l'affaire se clôture avec la décision.",
)


def usage_name_is_current(*, person: Person, usage_name: str) -> bool:
    """SIT12: the name typed is the one the person already goes by (case, accents, hyphens
    aside): the usage name on file or, without one, the birth name."""
    return name_words(usage_name) == name_words(person.display_last_name)


def usage_name_is_birth_name(*, person: Person, usage_name: str) -> bool:
    """SIT12: a return to the birth name (after a divorce): the usage name is then cleared."""
    return name_words(usage_name) == name_words(person.last_name)


# SIT17: a child is declared online within this many months of the birth (later: the fund).
NEWBORN_DECLARATION_MONTHS = 12

NEWBORN_MACHINE = StateMachine(
    {
        "": {NewbornDeclarationStatus.PENDING},
        NewbornDeclarationStatus.PENDING: {
            NewbornDeclarationStatus.CERTIFIED,
            NewbornDeclarationStatus.REJECTED,
            NewbornDeclarationStatus.WITHDRAWN,  # SIT27
        },
        NewbornDeclarationStatus.CERTIFIED: set(),
        NewbornDeclarationStatus.REJECTED: set(),
        NewbornDeclarationStatus.WITHDRAWN: set(),
    },
    log=NewbornDeclarationTransition,
    stale=Refusal(
        "newborn_declaration_stale", "Cette déclaration de nouveau-né a déjà été traitée."
    ),
)

# SIT28: a declaration creates a person with rights, a case, an email and a stored file, so a
# family declares online at most NEWBORN_PENDING_MAX children waiting for the back office at once
# (triplets) and NEWBORN_YEARLY_MAX in NEWBORN_YEARLY_DAYS days, every status counted (a withdrawn
# or refused one too, so that withdrawing does not reset the count); beyond: the fund.
NEWBORN_PENDING_MAX = 3
NEWBORN_YEARLY_MAX = 4
NEWBORN_YEARLY_DAYS = 365

NEWBORN_TOO_MANY_PENDING = Refusal(
    "newborn_too_many_pending",
    f"Votre famille a déjà {NEWBORN_PENDING_MAX} déclarations de naissance en cours de "
    "vérification : attendez la réponse de votre caisse, ou contactez-la pour déclarer un "
    "autre enfant.",
)
NEWBORN_TOO_MANY_THIS_YEAR = Refusal(
    "newborn_too_many_this_year",
    f"Votre famille a déjà fait {NEWBORN_YEARLY_MAX} déclarations de naissance en ligne ces "
    "12 derniers mois : pour déclarer un autre enfant, contactez votre caisse.",
)


def newborn_quota_refusal(*, pending: int, this_year: int) -> Refusal | None:
    """SIT28: the family's declarations waiting for the back office, and of the last
    NEWBORN_YEARLY_DAYS days whatever their status."""
    if pending >= NEWBORN_PENDING_MAX:
        return NEWBORN_TOO_MANY_PENDING
    if this_year >= NEWBORN_YEARLY_MAX:
        return NEWBORN_TOO_MANY_THIS_YEAR
    return None


NEWBORN_ALREADY_DECLARED = Refusal(
    "newborn_already_declared",
    "Cet enfant fait déjà partie de votre famille : il n'est pas nécessaire de le déclarer à "
    "nouveau.",
)
NEWBORN_NO_RIGHTS = Refusal(
    "newborn_no_rights",
    "Vos droits à l'Assurance Maladie ne sont pas ouverts : votre enfant ne peut pas vous être "
    "rattaché en ligne. Contactez votre caisse.",
)
NEWBORN_NOT_PENDING = Refusal(
    "newborn_declaration_not_pending", "Cette déclaration de nouveau-né n'est plus en cours."
)
NEWBORN_DECIDE_FIRST = Refusal(
    "newborn_declaration_undecided",
    "Certifiez le NIR de l'enfant ou refusez la déclaration : l'affaire se clôture avec la "
    "décision.",
)
NIR_REQUIRED = Refusal(
    "nir_required",
    "Saisissez le numéro de sécurité sociale de l'enfant attribué par l'Insee.",
    field="nir",
)
NIR_NOT_THE_CHILDS = Refusal(
    "nir_not_the_childs",
    "Ce numéro ne correspond pas à l'enfant : le 1er chiffre donne le sexe, les 2 suivants "
    "l'année et les 2 suivants le mois de naissance.",
    field="nir",
)
NIR_TAKEN = Refusal(
    "nir_taken", "Ce numéro de sécurité sociale est déjà celui d'une autre personne.", field="nir"
)


def newborn_birth_date_errors(*, birth_date: dt.date, today: dt.date) -> list[str]:
    """SIT17: born, and within NEWBORN_DECLARATION_MONTHS."""
    if birth_date > today:
        return ["La date de naissance ne peut pas être dans le futur."]
    if add_months(birth_date, NEWBORN_DECLARATION_MONTHS) < today:
        return [
            f"Un enfant se déclare en ligne dans les {NEWBORN_DECLARATION_MONTHS} mois qui "
            "suivent sa naissance : pour un enfant plus âgé, contactez votre caisse."
        ]
    return []


def nir_matches_child(*, nir: str, gender: str, birth_date: dt.date) -> bool:
    """SIT20: the NIR's sex digit, year and month are the child's (« 1 » a boy, « 2 » a girl)."""
    sex = "1" if gender == Gender.MALE else "2"
    return (
        nir[:1] == sex
        and nir[1:3] == f"{birth_date.year % 100:02d}"
        and nir[3:5] == (f"{birth_date.month:02d}")
    )


# SIT22: a child under this age may be attached to both parents (« rattachement aux deux
# parents »); from 16 a child may have their own carte Vitale and rights as an insured.
TWO_PARENTS_MAX_AGE = 16

OTHER_PARENT_MACHINE = StateMachine(
    {
        "": {OtherParentRegistrationStatus.PENDING},
        OtherParentRegistrationStatus.PENDING: {
            OtherParentRegistrationStatus.APPROVED,
            OtherParentRegistrationStatus.REJECTED,
            OtherParentRegistrationStatus.WITHDRAWN,  # SIT27
        },
        OtherParentRegistrationStatus.APPROVED: set(),
        OtherParentRegistrationStatus.REJECTED: set(),
        OtherParentRegistrationStatus.WITHDRAWN: set(),
    },
    log=OtherParentRegistrationTransition,
    stale=Refusal(
        "other_parent_registration_stale",
        "Cette demande d'inscription sur la carte Vitale de l'autre parent a déjà été traitée.",
    ),
)

CHILD_NOT_FOUND = Refusal(
    "child_not_in_family",
    "Choisissez un de vos enfants rattachés à votre famille.",
    field="child",
)
NOT_A_PARENT = Refusal(
    "not_a_parent",
    "Seul un parent de l'enfant (l'assuré ou son conjoint) peut demander son inscription sur "
    "la carte Vitale de l'autre parent.",
)
CHILD_TOO_OLD = Refusal(
    "child_too_old",
    f"Un enfant peut être rattaché à ses deux parents jusqu'à ses {TWO_PARENTS_MAX_AGE} ans : "
    "à partir de cet âge, il peut demander sa propre carte Vitale.",
    field="child",
)
CHILD_NIR_NOT_CERTIFIED = Refusal(
    "child_nir_not_certified",
    "Le numéro de sécurité sociale de votre enfant est en cours de certification : vous "
    "pourrez l'inscrire sur la carte Vitale de l'autre parent dès qu'il sera certifié (vous "
    "recevrez un email).",
    field="child",
)
CHILD_ALREADY_ATTACHED = Refusal(
    "child_already_attached",
    "Votre enfant est déjà inscrit sur la carte Vitale de son autre parent.",
    field="child",
)
OTHER_PARENT_PENDING = Refusal(
    "other_parent_registration_pending",
    "Une demande d'inscription de cet enfant sur la carte Vitale de l'autre parent est déjà en "
    "cours de vérification. Vous recevrez un email dès qu'elle sera traitée.",
    field="child",
)
# SIT23: one message whatever did not match (the NIR unknown, the name or the birth date not
# that person's, not an insured opening rights): the form tells nobody whose NIR it is.
OTHER_PARENT_NOT_FOUND = Refusal(
    "other_parent_not_found",
    "Nous ne trouvons pas d'assuré de l'Assurance Maladie avec ce numéro de sécurité sociale, "
    "ce nom et cette date de naissance. Vérifiez ces trois informations, telles qu'elles "
    "figurent sur l'attestation de droits ou la carte Vitale de l'autre parent. S'il relève "
    "d'un autre régime (MSA, régime étranger…), la demande se fait auprès de son organisme.",
)
OTHER_PARENT_IS_YOU = Refusal(
    "other_parent_is_you",
    "Saisissez les informations de l'autre parent de l'enfant, pas les vôtres.",
    field="nir",
)
OTHER_PARENT_SAME_FAMILY = Refusal(
    "other_parent_same_family",
    "Cette personne fait déjà partie de votre famille : votre enfant est déjà rattaché à elle.",
)
OTHER_PARENT_NO_RIGHTS = Refusal(
    "other_parent_no_rights",
    "Les droits à l'Assurance Maladie de l'autre parent ne sont pas ouverts : votre enfant ne "
    "peut pas lui être rattaché. L'autre parent peut contacter sa caisse.",
)
# Every back-office decision (SIT9, SIT14, SIT20, SIT25) on a case already closed.
CASE_CLOSED = Refusal(
    "case_closed",
    "Cette affaire est close : la demande a déjà été traitée ou annulée. Rien n'a été modifié.",
)
OTHER_PARENT_NOT_PENDING = Refusal(
    "other_parent_registration_not_pending",
    "Cette demande d'inscription sur la carte Vitale de l'autre parent n'est plus en cours.",
)
OTHER_PARENT_DECIDE_FIRST = Refusal(
    "other_parent_registration_undecided",
    "Validez ou refusez l'inscription de l'enfant : l'affaire se clôture avec la décision.",
)
PARENTS_PROOF_UNSUPPORTED = (
    "Le justificatif doit être un fichier PDF, JPEG ou PNG (le contenu du fichier ne "
    "correspond pas à ces formats)."
)

# SIT27: a request is withdrawn online only while it waits; once checked, the answer stands.
NOT_WITHDRAWABLE = Refusal(
    "request_not_withdrawable",
    "Cette demande a déjà été traitée par votre caisse : elle ne peut plus être annulée. Pour "
    "revenir sur sa décision, faites une nouvelle demande ou contactez votre caisse.",
)
REQUEST_NOT_FOUND = Refusal("request_not_found", "Demande introuvable.")


def two_parents_child_refusal(*, child: Person, today: dt.date) -> Refusal | None:
    """SIT22: the child may be attached to a second parent: under TWO_PARENTS_MAX_AGE, their
    NIR certified, not already attached."""
    if child.age_on(today) >= TWO_PARENTS_MAX_AGE:
        return CHILD_TOO_OLD
    if child.nir_status != NirStatus.CERTIFIED or not child.nir:
        return CHILD_NIR_NOT_CERTIFIED
    if hasattr(child, "second_parent_attachment"):
        return CHILD_ALREADY_ATTACHED
    return None


def other_parent_matches(*, candidate: Person, last_name: str, birth_date: dt.date) -> bool:
    """SIT23: the name typed is the candidate's birth name or usage name (case, accents and
    hyphens aside) and the birth date is theirs."""
    wanted = name_words(last_name)
    return candidate.birth_date == birth_date and wanted in (
        name_words(candidate.last_name),
        name_words(candidate.usage_name) or None,
    )


def second_parent_message(file: BeneficiaryFile) -> str:
    """SIT29: what « Mes informations » (web and app) says of a child on both parents' cards,
    "" for anyone else. The family where the child is recorded keeps the child's démarches
    (card, CEAM, complementary, address); the other parent's family sees the child, their
    rights and NIR, and names them on its attestation de droits, never the other household's
    address."""
    attachment, child = file.second_parent, file.person
    if attachment is None:
        return ""
    since = attachment.start_date.strftime("%d/%m/%Y")
    e = "e" if child.civility == Civility.MRS else ""
    if file.attached_here:
        return (
            f"{child.given_name} est inscrit{e} sur votre carte Vitale depuis le {since} et "
            "figure sur votre attestation de droits. Ses démarches (carte Vitale, carte "
            "européenne, complémentaire santé, adresse) se font depuis le compte de la famille "
            f"où {'elle' if e else 'il'} est enregistré{e}."
        )
    return (
        f"{child.given_name} est inscrit{e} aussi sur la carte Vitale de son autre parent, "
        f"{attachment.parent.full_name}, depuis le {since}."
    )
