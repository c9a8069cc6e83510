from django.db import models


class Civility(models.TextChoices):
    MR = "M", "Monsieur"
    MRS = "MME", "Madame"


class Gender(models.TextChoices):
    MALE = "male", "Masculin"
    FEMALE = "female", "Féminin"


class NirStatus(models.TextChoices):
    CERTIFIED = "certified", "Certifié"
    PROVISIONAL = "provisional", "Provisoire"
    WAITING = "waiting", "Numéro d'attente non certifié"


class FamilyRole(models.TextChoices):
    RIGHTS_OPENER = "opener", "Ouvreur de droits"
    DEPENDANT = "dependant", "Ayant droit"


class Relationship(models.TextChoices):
    SELF = "self", "Assuré"
    SPOUSE = "spouse", "Conjoint"
    CHILD = "child", "Enfant"
    OTHER = "other", "Autre"


class CardStatus(models.TextChoices):
    ACTIVE = "active", "Active"
    LOST = "lost", "Perdue"
    STOLEN = "stolen", "Volée"
    FAULTY = "faulty", "Défectueuse"
    IN_TRANSFER = "in_transfer", "En cours de mutation"
    TRANSFER_FAILED = "transfer_failed", "Mutation en échec"
    OPPOSED = "opposed", "En opposition"


class SolidarityCoverage(models.TextChoices):
    NONE = "", "Aucune"
    CSS = "css", "Complémentaire santé solidaire"
    CMU = "cmu", "CMU"


class ContractKind(models.TextChoices):
    ORDINARY = "ordinary", "Contrat ordinaire"
    CSS = "css", "Complémentaire santé solidaire"
    CMUC = "cmuc", "CMU complémentaire"
    ACS = "acs", "Aide au paiement d'une complémentaire santé (ACS)"

    @classmethod
    def precarity(cls) -> frozenset[str]:
        """The « contrats de précarité » of rule O4."""
        return frozenset({cls.CSS, cls.CMUC, cls.ACS})


class PaymentKind(models.TextChoices):
    REIMBURSEMENT = "reimbursement", "Remboursement de soins"
    THIRD_PARTY = "third_party", "Paiement à un professionnel de santé"
    DAILY_ALLOWANCE = "daily_allowance", "Indemnités journalières"


class WorkStoppageKind(models.TextChoices):
    """Why a person stopped working, as the fund's records say (« Arrêts de travail »)."""

    SICKNESS = "sickness", "Maladie"
    WORK_ACCIDENT = "work_accident", "Accident du travail"
    OCCUPATIONAL_DISEASE = "occupational_disease", "Maladie professionnelle"
    MATERNITY = "maternity", "Congé maternité"
    PATERNITY = "paternity", "Congé paternité et d'accueil de l'enfant"
