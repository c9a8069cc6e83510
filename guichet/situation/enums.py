from django.db import models


class BankDetailsChangeStatus(models.TextChoices):
    """« Modifier mes coordonnées bancaires » (rules SIT3–SIT10): asked, then checked."""

    PENDING = "pending", "En cours de vérification"
    APPROVED = "approved", "Validée"
    REJECTED = "rejected", "Refusée"
    WITHDRAWN = "withdrawn", "Annulée à votre demande"


class Decision(models.TextChoices):
    """The back office's answer to a bank-details change (SIT9)."""

    APPROVE = "approve", "Coordonnées conformes : les valider"
    REJECT = "reject", "Refuser la demande"


class UsageNameChangeStatus(models.TextChoices):
    """« Changement de nom d'usage » (rules SIT12–SIT16): asked with its proof, then checked."""

    PENDING = "pending", "En cours de vérification"
    APPROVED = "approved", "Validée"
    REJECTED = "rejected", "Refusée"
    WITHDRAWN = "withdrawn", "Annulée à votre demande"


class UsageNameProof(models.TextChoices):
    """SIT13: the civil-status documents that give a right to a usage name."""

    MARRIAGE_CERTIFICATE = "marriage_certificate", "Acte de mariage"
    DIVORCE_JUDGMENT = "divorce_judgment", "Jugement de divorce"
    BIRTH_CERTIFICATE = "birth_certificate", "Acte de naissance portant le nom d'usage"
    IDENTITY_DOCUMENT = "identity_document", "Pièce d'identité portant le nom d'usage"


class UsageNameDecision(models.TextChoices):
    """The back office's answer to a usage-name change (SIT14)."""

    APPROVE = "approve", "Justificatif conforme : enregistrer le nom d'usage"
    REJECT = "reject", "Refuser la demande"


class NewbornDeclarationStatus(models.TextChoices):
    """« Déclaration du nouveau-né » (rules SIT17–SIT21): the child's NIR provisional, then
    certified by the back office."""

    PENDING = "pending", "NIR en cours de certification"
    CERTIFIED = "certified", "NIR certifié"
    REJECTED = "rejected", "Refusée"
    WITHDRAWN = "withdrawn", "Annulée à votre demande"


class NewbornDecision(models.TextChoices):
    """The back office's answer to a newborn's declaration (SIT20)."""

    CERTIFY = "certify", "Acte de naissance conforme : certifier le NIR"
    REJECT = "reject", "Refuser la déclaration"


class OtherParentRegistrationStatus(models.TextChoices):
    """« Inscrire votre enfant sur la carte Vitale de l'autre parent » (rules SIT22–SIT26)."""

    PENDING = "pending", "En cours de vérification"
    APPROVED = "approved", "Enfant inscrit"
    REJECTED = "rejected", "Refusée"
    WITHDRAWN = "withdrawn", "Annulée à votre demande"


class OtherParentDecision(models.TextChoices):
    """The back office's answer to a registration on the other parent's card (SIT25)."""

    APPROVE = "approve", "Acte conforme : inscrire l'enfant sur la carte de l'autre parent"
    REJECT = "reject", "Refuser la demande"


class WithdrawableKind(models.TextChoices):
    """The situation requests a person may withdraw online while they wait (SIT27)."""

    BANK_DETAILS = "bank-details", "Changement de coordonnées bancaires"
    USAGE_NAME = "usage-name", "Changement de nom d'usage"
    NEWBORN = "newborn", "Déclaration du nouveau-né"
    OTHER_PARENT = "other-parent", "Inscription sur la carte Vitale de l'autre parent"
