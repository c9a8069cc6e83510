"""« Espace d'échanges »: threads between an insured person and their fund (issue 19).

A thread (« fil ») is opened by the insured, about a subject and optionally one of their
démarches (linked by content type and id, as cases are, so this app never needs the
procedures' tables), then continues with the fund's answers and the agents' internal notes.
Its status moves through one machine (rules.THREAD_MACHINE) with a log row per change.

Each thread belongs to one service of its fund (« Prestations », « Carte Vitale et droits »…),
routed from its subject by the fund's own routes (rule ECH15); agents are attached to one or
more services of their fund (ECH16) and a thread moves between services by a transfer (ECH17).
"""

import uuid

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import F, Q

from guichet.core import clock
from guichet.core.models import TransitionLog
from guichet.exchanges.enums import MessageKind, ThreadStatus, ThreadSubject
from guichet.reference.models import Fund, Person


class FundService(models.Model):
    """A service of a fund that answers messages (ECH15): data per fund, seeded with
    rules.DEFAULT_SERVICES and editable in the admin, with the agents attached to it (ECH16)."""

    fund = models.ForeignKey(
        Fund, on_delete=models.PROTECT, related_name="exchange_services", verbose_name="caisse"
    )
    code = models.SlugField("code", max_length=40)
    name = models.CharField("nom", max_length=100)
    is_default = models.BooleanField(
        "service par défaut",
        default=False,
        help_text="Reçoit les messages dont l'objet n'a pas de service désigné.",
    )
    agents = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        blank=True,
        related_name="exchange_services",
        verbose_name="agents rattachés",
        limit_choices_to={"kind": "agent"},
    )

    class Meta:
        verbose_name = "service de la caisse"
        verbose_name_plural = "services de la caisse"
        ordering = ["name", "id"]
        constraints = [
            models.UniqueConstraint(fields=["fund", "code"], name="fund_service_code_unique"),
            models.UniqueConstraint(fields=["fund", "name"], name="fund_service_name_unique"),
            models.UniqueConstraint(
                fields=["fund"], condition=Q(is_default=True), name="fund_service_one_default"
            ),
        ]

    def __str__(self) -> str:
        return self.name


class SubjectRoute(models.Model):
    """ECH15: the service of the fund that receives the messages of one subject."""

    fund = models.ForeignKey(Fund, on_delete=models.CASCADE, related_name="+", editable=False)
    subject = models.CharField("objet", max_length=30, choices=ThreadSubject.choices)
    service = models.ForeignKey(
        FundService, on_delete=models.CASCADE, related_name="routes", verbose_name="service"
    )

    class Meta:
        verbose_name = "aiguillage d'un objet"
        verbose_name_plural = "aiguillages des objets"
        ordering = ["subject"]
        constraints = [
            models.UniqueConstraint(fields=["fund", "subject"], name="subject_route_unique"),
            models.CheckConstraint(
                condition=Q(subject__in=ThreadSubject.values), name="subject_route_subject_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_subject_display()} → {self.service}"

    def save(self, *args: object, **kwargs: object) -> None:
        # The route's fund is always its service's: one route per subject and fund.
        self.fund_id = self.service.fund_id
        super().save(*args, **kwargs)  # type: ignore[arg-type]


class Thread(models.Model):
    fund = models.ForeignKey(
        Fund, on_delete=models.PROTECT, related_name="exchange_threads", verbose_name="caisse"
    )
    service = models.ForeignKey(
        FundService,
        on_delete=models.PROTECT,
        related_name="threads",
        verbose_name="service",
    )
    insured = models.ForeignKey(
        Person, on_delete=models.PROTECT, related_name="exchange_threads", verbose_name="assuré"
    )
    account = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="exchange_threads",
        verbose_name="compte",
    )
    subject = models.CharField("objet", max_length=30, choices=ThreadSubject.choices)
    subject_other = models.CharField("objet (autre)", max_length=100, blank=True)
    about_type = models.ForeignKey(
        ContentType,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="type de la démarche",
    )
    about_id = models.PositiveBigIntegerField("identifiant de la démarche", null=True, blank=True)
    about_label = models.CharField("démarche concernée", max_length=150, blank=True)
    status = models.CharField(
        "statut", max_length=12, choices=ThreadStatus.choices, default=ThreadStatus.OPEN
    )
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="assigned_threads",
        verbose_name="agent en charge",
    )
    created_at = models.DateTimeField("ouvert le", default=clock.now)
    last_message_at = models.DateTimeField("dernier message le", default=clock.now)
    # The oldest message of the insured still unanswered, and the date the fund answers by
    # (rule ECH6); both empty once the fund has answered.
    awaiting_since = models.DateTimeField("en attente de réponse depuis", null=True, blank=True)
    due_on = models.DateField("réponse attendue avant le", null=True, blank=True)
    closed_at = models.DateTimeField("clôturé le", null=True, blank=True)

    class Meta:
        verbose_name = "fil d'échanges"
        verbose_name_plural = "fils d'échanges"
        ordering = ["-last_message_at", "-id"]
        indexes = [
            models.Index(fields=["fund", "status", "due_on"]),
            models.Index(fields=["service", "status", "due_on"]),
            models.Index(fields=["account", "last_message_at"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=ThreadStatus.values), name="thread_status_valid"
            ),
            models.CheckConstraint(
                condition=Q(subject__in=ThreadSubject.values), name="thread_subject_valid"
            ),
            models.CheckConstraint(
                condition=~Q(subject=ThreadSubject.OTHER) | ~Q(subject_other=""),
                name="thread_other_subject_has_text",
            ),
            models.CheckConstraint(
                condition=~Q(status=ThreadStatus.IN_PROGRESS) | Q(assignee__isnull=False),
                name="thread_in_progress_has_assignee",
            ),
            models.CheckConstraint(
                condition=~Q(status=ThreadStatus.CLOSED) | Q(closed_at__isnull=False),
                name="thread_closed_has_date",
            ),
            models.CheckConstraint(
                condition=Q(about_type__isnull=True, about_id__isnull=True)
                | Q(about_type__isnull=False, about_id__isnull=False),
                name="thread_about_type_and_id",
            ),
        ]

    def __str__(self) -> str:
        return f"Fil n° {self.pk} — {self.title}"

    @property
    def title(self) -> str:
        """The subject as the insured chose it (« Autre »: their own words)."""
        if self.subject == ThreadSubject.OTHER:
            return self.subject_other
        return self.get_subject_display()

    @property
    def is_overdue(self) -> bool:
        return self.due_on is not None and self.due_on < clock.today()


class ThreadMessage(models.Model):
    """One message of a thread: the insured's, the fund's answer, or an internal note.

    ``recipient`` is the insured's account on the fund's answers only, so that the account's
    unread count is the same indexed count as its notifications' (notifications.selectors).
    ``read_at`` is « lu »: when the other side first opened it (rule ECH10).
    """

    thread = models.ForeignKey(
        Thread, on_delete=models.CASCADE, related_name="messages", verbose_name="fil"
    )
    kind = models.CharField("nature", max_length=10, choices=MessageKind.choices)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="auteur",
    )
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="exchange_messages",
        verbose_name="destinataire",
    )
    body = models.TextField("message")
    created_at = models.DateTimeField("envoyé le", default=clock.now)
    read_at = models.DateTimeField("lu le", null=True, blank=True)
    read_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="lu par",
    )

    class Meta:
        verbose_name = "message d'un fil"
        verbose_name_plural = "messages des fils"
        ordering = ["created_at", "id"]
        indexes = [
            models.Index(fields=["recipient", "read_at"]),
            models.Index(fields=["thread", "kind", "read_at"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=MessageKind.values), name="thread_message_kind_valid"
            ),
            models.CheckConstraint(
                condition=Q(kind=MessageKind.FUND) | Q(recipient__isnull=True),
                name="thread_message_recipient_on_answers_only",
            ),
            models.CheckConstraint(
                condition=~Q(kind=MessageKind.NOTE) | Q(read_at__isnull=True),
                name="thread_note_never_read_by_insured",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} du {self.created_at:%d/%m/%Y %H:%M}"


def _attachment_path(instance: "Attachment", filename: str) -> str:
    """Random names: nothing of the person or of the file's own name in a path."""
    extension = filename.rsplit(".", 1)[-1].lower() if "." in filename else "bin"
    return f"exchanges/{uuid.uuid4().hex}.{extension}"


class Attachment(models.Model):
    """A file sent with a message: checked by content, cleaned and re-encoded (rule ECH3)."""

    message = models.ForeignKey(
        ThreadMessage, on_delete=models.CASCADE, related_name="attachments", verbose_name="message"
    )
    file = models.FileField("fichier", upload_to=_attachment_path, max_length=200)
    content_type = models.CharField("type", max_length=40)
    size = models.PositiveIntegerField("taille (octets)")
    name = models.CharField("nom", max_length=100)

    class Meta:
        verbose_name = "pièce jointe"
        verbose_name_plural = "pièces jointes"
        ordering = ["id"]

    def __str__(self) -> str:
        return self.name


class ThreadTransition(TransitionLog):
    """One change of a thread's status: the audit trail (who, when, from, to); a transfer to
    another service (ECH17) also names the two services."""

    subject_field = "thread"

    thread = models.ForeignKey(Thread, on_delete=models.CASCADE, related_name="transitions")
    from_status = models.CharField("de", max_length=20, choices=ThreadStatus.choices, blank=True)
    to_status = models.CharField("vers", max_length=20, choices=ThreadStatus.choices)
    from_service = models.ForeignKey(
        FundService,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="transféré du service",
    )
    to_service = models.ForeignKey(
        FundService,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="vers le service",
    )

    class Meta(TransitionLog.Meta):
        verbose_name = "changement de statut d'un fil"
        verbose_name_plural = "changements de statut des fils"
        constraints = [
            models.CheckConstraint(
                condition=Q(from_service__isnull=True, to_service__isnull=True)
                | (
                    Q(from_service__isnull=False, to_service__isnull=False)
                    & ~Q(from_service=F("to_service"))
                ),
                name="thread_transfer_names_two_services",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.thread_id} : {self.from_status or '∅'} → {self.to_status}"
