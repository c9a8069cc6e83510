"""The fund's records (the « référentiel »): who is insured, where, with which rights.

These are not the online account: an insured person exists here whether or not they ever
open an account (guichet.accounts).
"""

import datetime as dt

from django.db import models
from django.db.models import Q
from django.db.models.functions import Lower

from guichet.core import clock
from guichet.reference.enums import (
    CardStatus,
    Civility,
    ContractKind,
    FamilyRole,
    Gender,
    NirStatus,
    PaymentKind,
    Relationship,
    SolidarityCoverage,
    WorkStoppageKind,
)
from guichet.reference.validators import validate_iban, validate_nir


def first_given_name(first_names: str) -> str:
    """The first of the first names."""
    return first_names.split()[0] if first_names.strip() else ""


def printed_card_name(first_names: str, name_in_use: str) -> str:
    """The name a carte Vitale prints: the first given name and the name in use, in capitals."""
    return f"{first_given_name(first_names)} {name_in_use}".strip().upper()


class Fund(models.Model):
    """A caisse (CPAM or the fund of a partner scheme), with its « code d'organisme »."""

    code = models.CharField("code d'organisme", max_length=9, unique=True)
    name = models.CharField("nom", max_length=120)
    address = models.CharField("adresse", max_length=250, blank=True)
    is_central = models.BooleanField(
        "caisse centrale", default=False, help_text="Traite les affaires complexes."
    )

    class Meta:
        verbose_name = "caisse"
        ordering = ["code"]

    def __str__(self) -> str:
        return f"{self.name} ({self.code})"


class Scheme(models.Model):
    """A régime: the régime général, a partner scheme, or another scheme."""

    code = models.CharField("code", max_length=20, unique=True)
    name = models.CharField("nom", max_length=120)
    is_general = models.BooleanField("régime général", default=False)
    is_partner = models.BooleanField("régime partenaire", default=False)
    issues_carte_vitale = models.BooleanField("délivre la carte Vitale", default=True)

    class Meta:
        verbose_name = "régime"
        ordering = ["code"]
        constraints = [
            models.CheckConstraint(
                condition=~(Q(is_general=True) & Q(is_partner=True)),
                name="scheme_general_or_partner",
            )
        ]

    def __str__(self) -> str:
        return self.name


class Family(models.Model):
    """A household as the fund knows it: the insured who opens rights and their dependants."""

    fund = models.ForeignKey(Fund, on_delete=models.PROTECT, verbose_name="caisse")
    scheme = models.ForeignKey(Scheme, on_delete=models.PROTECT, verbose_name="régime")
    created_at = models.DateTimeField(default=clock.now)

    class Meta:
        verbose_name = "famille"

    def __str__(self) -> str:
        return f"Famille n° {self.pk}"


class Person(models.Model):
    """An insured person or a dependant in the fund's records."""

    family = models.ForeignKey(
        Family, on_delete=models.CASCADE, related_name="members", verbose_name="famille"
    )
    role = models.CharField("rôle", max_length=12, choices=FamilyRole.choices)
    relationship = models.CharField(
        "lien", max_length=10, choices=Relationship.choices, default=Relationship.SELF
    )
    nir = models.CharField(
        "numéro de sécurité sociale",
        max_length=15,
        unique=True,
        null=True,
        blank=True,
        validators=[validate_nir],
    )
    nir_status = models.CharField(
        "statut du NIR", max_length=12, choices=NirStatus.choices, default=NirStatus.CERTIFIED
    )
    civility = models.CharField("civilité", max_length=3, choices=Civility.choices)
    gender = models.CharField("sexe", max_length=6, choices=Gender.choices)
    last_name = models.CharField("nom de naissance", max_length=100)
    usage_name = models.CharField("nom d'usage", max_length=100, blank=True)
    first_names = models.CharField("prénoms", max_length=150)
    birth_date = models.DateField("date de naissance")
    birth_place_insee = models.CharField(
        "commune de naissance (code INSEE)", max_length=5, blank=True
    )
    birth_country_insee = models.CharField(
        "pays de naissance (code INSEE)", max_length=5, default="99100"
    )
    is_student = models.BooleanField("étudiant", default=False)

    address_line1 = models.CharField("adresse", max_length=200, blank=True)
    address_line2 = models.CharField("complément d'adresse", max_length=200, blank=True)
    postal_code = models.CharField("code postal", max_length=5, blank=True)
    city = models.CharField("commune", max_length=100, blank=True)
    address_npai = models.BooleanField(
        "NPAI (n'habite pas à l'adresse indiquée)",
        default=False,
        help_text="Courrier revenu : adresse inconnue.",
    )

    email = models.EmailField("adresse électronique", blank=True)
    mobile_phone = models.CharField("téléphone portable", max_length=20, blank=True)
    landline_phone = models.CharField("téléphone fixe", max_length=20, blank=True)
    iban = models.CharField("IBAN", max_length=34, blank=True, validators=[validate_iban])
    attending_doctor = models.CharField("médecin traitant", max_length=150, blank=True)

    class Meta:
        verbose_name = "personne"
        ordering = ["family_id", "birth_date"]
        indexes = [
            models.Index(Lower("last_name"), "birth_date", name="person_name_birth_idx"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["family"],
                condition=Q(role=FamilyRole.RIGHTS_OPENER),
                name="one_rights_opener_per_family",
            ),
            models.CheckConstraint(
                condition=Q(role__in=FamilyRole.values), name="person_role_valid"
            ),
            models.CheckConstraint(
                condition=Q(role=FamilyRole.DEPENDANT) | Q(nir__isnull=False),
                name="rights_opener_has_nir",
            ),
        ]

    def __str__(self) -> str:
        return self.full_name

    @property
    def display_last_name(self) -> str:
        return self.usage_name or self.last_name

    @property
    def given_name(self) -> str:
        """The first of the first names (« Sophie » for « Sophie Anne »)."""
        return first_given_name(self.first_names)

    @property
    def full_name(self) -> str:
        return f"{self.given_name} {self.display_last_name}".strip()

    @property
    def card_name(self) -> str:
        """The name as a carte Vitale prints it (rule V2)."""
        return printed_card_name(self.first_names, self.display_last_name)

    @property
    def is_rights_opener(self) -> bool:
        return self.role == FamilyRole.RIGHTS_OPENER

    def age_on(self, day: dt.date) -> int:
        return clock.age_on(self.birth_date, day)

    @property
    def has_address(self) -> bool:
        return bool(self.address_line1 and self.postal_code and self.city) and not self.address_npai


class SecondParentAttachment(models.Model):
    """« Rattachement aux deux parents » (rule SIT25): a child, a member of one family, is
    also a beneficiary of their other parent's family, so that the other parent's carte Vitale
    and attestation carry them too. A child has one family and at most one such attachment."""

    child = models.OneToOneField(
        Person,
        on_delete=models.CASCADE,
        related_name="second_parent_attachment",
        verbose_name="enfant",
    )
    family = models.ForeignKey(
        Family,
        on_delete=models.CASCADE,
        related_name="attached_children",
        verbose_name="famille de l'autre parent",
    )
    parent = models.ForeignKey(
        Person,
        on_delete=models.CASCADE,
        related_name="children_attached",
        verbose_name="autre parent",
    )
    start_date = models.DateField("depuis le", default=clock.today)

    class Meta:
        verbose_name = "rattachement d'un enfant à son autre parent"
        verbose_name_plural = "rattachements d'enfants à leur autre parent"

    def __str__(self) -> str:
        return f"{self.child} — rattaché(e) aussi à {self.parent}"


class RightsPeriod(models.Model):
    """A period of open rights, with the optional mentions of an attestation (rule A1)."""

    person = models.ForeignKey(
        Person, on_delete=models.CASCADE, related_name="rights_periods", verbose_name="personne"
    )
    scheme = models.ForeignKey(Scheme, on_delete=models.PROTECT, verbose_name="régime")
    start_date = models.DateField("début")
    end_date = models.DateField("fin", null=True, blank=True)
    ticket_moderateur_exemption = models.BooleanField(
        "exonération du ticket modérateur (ETM)", default=False
    )
    exemption_reason = models.CharField("motif d'exonération", max_length=120, blank=True)
    solidarity_coverage = models.CharField(
        "CMU / Complémentaire santé solidaire",
        max_length=4,
        choices=SolidarityCoverage.choices,
        default=SolidarityCoverage.NONE,
        blank=True,
    )

    class Meta:
        verbose_name = "période de droits"
        verbose_name_plural = "périodes de droits"
        ordering = ["-start_date"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__isnull=True) | Q(end_date__gte=models.F("start_date")),
                name="rights_period_dates_ordered",
            )
        ]

    def __str__(self) -> str:
        return f"{self.person} du {self.start_date:%d/%m/%Y}"

    def is_open_on(self, day: dt.date) -> bool:
        return self.start_date <= day and (self.end_date is None or day <= self.end_date)


class Card(models.Model):
    """A carte Vitale. At most one active card per person (database constraint)."""

    person = models.ForeignKey(
        Person, on_delete=models.CASCADE, related_name="cards", verbose_name="titulaire"
    )
    serial_number = models.CharField("numéro de série", max_length=22, unique=True)
    status = models.CharField(
        "statut", max_length=16, choices=CardStatus.choices, default=CardStatus.ACTIVE
    )
    has_photo = models.BooleanField("avec photo", default=True)
    issued_on = models.DateField("date d'émission")
    status_changed_at = models.DateTimeField("statut modifié le", default=clock.now)
    withheld = models.BooleanField(
        "carte refusée",
        default=False,
        help_text="Usage abusif de la carte précédente : pas de nouvelle carte.",
    )
    # What the card shows (rule V2: a change of name or NIR calls for a new card). Blank for
    # a card whose visual is not known; such a card is never considered outdated.
    printed_name = models.CharField("nom imprimé", max_length=120, blank=True)
    printed_nir = models.CharField("NIR imprimé", max_length=15, blank=True)

    class Meta:
        verbose_name = "carte Vitale"
        verbose_name_plural = "cartes Vitale"
        ordering = ["-issued_on"]
        constraints = [
            models.UniqueConstraint(
                fields=["person"],
                condition=Q(status=CardStatus.ACTIVE),
                name="one_active_card_per_person",
            ),
            models.CheckConstraint(
                condition=Q(status__in=CardStatus.values), name="card_status_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"Carte Vitale {self.serial_number}"


class ComplementaryInsurer(models.Model):
    """An organisme complémentaire (OC): mutual, insurer or provident institution."""

    code = models.CharField("numéro d'organisme", max_length=12, unique=True)
    name = models.CharField("nom", max_length=150)

    class Meta:
        verbose_name = "organisme complémentaire"
        verbose_name_plural = "organismes complémentaires"
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class ComplementaryContract(models.Model):
    """A beneficiary's complementary-insurance contract, as recorded by the fund."""

    person = models.ForeignKey(
        Person,
        on_delete=models.CASCADE,
        related_name="complementary_contracts",
        verbose_name="bénéficiaire",
    )
    insurer = models.ForeignKey(
        ComplementaryInsurer, on_delete=models.PROTECT, verbose_name="organisme"
    )
    member_number = models.CharField("n° adhérent", max_length=30)
    start_date = models.DateField("début du contrat")
    end_date = models.DateField("fin du contrat", null=True, blank=True)
    kind = models.CharField(
        "type", max_length=10, choices=ContractKind.choices, default=ContractKind.ORDINARY
    )
    payments_transmitted = models.BooleanField(
        "transmission automatique des paiements", default=True
    )

    class Meta:
        verbose_name = "contrat complémentaire"
        verbose_name_plural = "contrats complémentaires"
        ordering = ["start_date"]
        # The detection of overlaps (O1) reads the contracts in force per person with their
        # id from this index alone, an index-only scan as the bare GROUP BY's (issue 16,
        # docs/decisions/complementary-detection-sql.md). `include` is PostgreSQL's; SQLite
        # creates the index without it.
        indexes = [
            models.Index(
                fields=["person", "start_date", "end_date"],
                include=["id"],
                name="contract_person_in_force_idx",
            )
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__isnull=True) | Q(end_date__gte=models.F("start_date")),
                name="contract_dates_ordered",
            ),
            models.CheckConstraint(
                condition=Q(kind__in=ContractKind.values), name="contract_kind_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.insurer} — {self.member_number}"

    @property
    def is_precarity(self) -> bool:
        return self.kind in ContractKind.precarity()

    def is_in_force_on(self, day: dt.date) -> bool:
        return self.start_date <= day and (self.end_date is None or day <= self.end_date)


class WorkStoppage(models.Model):
    """A period of sick leave (or work accident, maternity…) as the fund recorded it, from the
    prescription and the employer's certificate; its daily allowances are Payment rows."""

    person = models.ForeignKey(
        Person, on_delete=models.CASCADE, related_name="work_stoppages", verbose_name="assuré"
    )
    kind = models.CharField("nature", max_length=24, choices=WorkStoppageKind.choices)
    start_date = models.DateField("début de l'arrêt")
    end_date = models.DateField("fin de l'arrêt (prévue ou effective)")
    is_extension = models.BooleanField("prolongation", default=False)
    employer = models.CharField("employeur", max_length=150, blank=True)
    received_on = models.DateField("avis d'arrêt reçu le")

    class Meta:
        verbose_name = "arrêt de travail"
        verbose_name_plural = "arrêts de travail"
        ordering = ["-start_date", "-id"]
        indexes = [models.Index(fields=["person", "-start_date"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__gte=models.F("start_date")),
                name="work_stoppage_dates_ordered",
            ),
            models.CheckConstraint(
                condition=Q(kind__in=WorkStoppageKind.values), name="work_stoppage_kind_valid"
            ),
        ]

    def __str__(self) -> str:
        return (
            f"{self.get_kind_display()} du {self.start_date:%d/%m/%Y} au {self.end_date:%d/%m/%Y}"
        )


class Payment(models.Model):
    """A payment made by the fund: a reimbursement, a payment to a professional, an IJ."""

    family = models.ForeignKey(
        Family, on_delete=models.CASCADE, related_name="payments", verbose_name="famille"
    )
    beneficiary = models.ForeignKey(
        Person, on_delete=models.CASCADE, related_name="payments", verbose_name="bénéficiaire"
    )
    kind = models.CharField("nature", max_length=16, choices=PaymentKind.choices)
    label = models.CharField("libellé", max_length=150)
    care_date = models.DateField("date des soins ou de début de période")
    period_end = models.DateField("fin de période (indemnités)", null=True, blank=True)
    paid_on = models.DateField("date de paiement")
    amount = models.DecimalField("montant versé", max_digits=10, decimal_places=2)
    paid_to = models.CharField("versé à", max_length=150)
    transmitted_to_complementary = models.BooleanField(
        "transmis à la complémentaire", default=False
    )
    work_stoppage = models.ForeignKey(
        WorkStoppage,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="payments",
        verbose_name="arrêt de travail (indemnités journalières)",
    )

    class Meta:
        verbose_name = "paiement"
        ordering = ["-paid_on", "-id"]
        indexes = [models.Index(fields=["family", "-paid_on"])]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="payment_amount_positive"),
            models.CheckConstraint(
                condition=Q(kind__in=PaymentKind.values), name="payment_kind_valid"
            ),
            models.CheckConstraint(
                condition=Q(work_stoppage__isnull=True) | Q(kind=PaymentKind.DAILY_ALLOWANCE),
                name="payment_work_stoppage_is_daily_allowance",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.label} — {self.amount} €"


class EuropeanHealthCard(models.Model):
    """The CEAM (carte européenne d'assurance maladie)."""

    person = models.ForeignKey(
        Person, on_delete=models.CASCADE, related_name="european_cards", verbose_name="titulaire"
    )
    number = models.CharField("numéro", max_length=20, unique=True)
    valid_until = models.DateField("valable jusqu'au")

    class Meta:
        verbose_name = "carte européenne d'assurance maladie"
        verbose_name_plural = "cartes européennes d'assurance maladie"
        ordering = ["-valid_until"]

    def __str__(self) -> str:
        return f"CEAM {self.number}"
