"""« Espace d'échanges »: threads between an insured person and their fund (issue 19).

A thread (« fil ») is opened by the insured, about a subject and optionally one of their
démarches (linked by content type and id, as cases are, so this app never needs the
procedures' tables), then continues with the fund's answers and the agents' internal notes.
Its status moves through one machine (rules.THREAD_MACHINE) with a log row per change.
"""

import uuid

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Q

from guichet.core import clock
from guichet.core.models import TransitionLog
from guichet.exchanges.enums import MessageKind, ThreadStatus, ThreadSubject
from guichet.reference.models import Fund, Person


class Thread(models.Model):
    fund = models.ForeignKey(
        Fund, on_delete=models.PROTECT, related_name="exchange_threads", verbose_name="caisse"
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
    """One change of a thread's status: the audit trail (who, when, from, to)."""

    subject_field = "thread"

    thread = models.ForeignKey(Thread, on_delete=models.CASCADE, related_name="transitions")
    from_status = models.CharField("de", max_length=20, choices=ThreadStatus.choices, blank=True)
    to_status = models.CharField("vers", max_length=20, choices=ThreadStatus.choices)

    class Meta(TransitionLog.Meta):
        verbose_name = "changement de statut d'un fil"
        verbose_name_plural = "changements de statut des fils"

    def __str__(self) -> str:
        return f"{self.thread_id} : {self.from_status or '∅'} → {self.to_status}"
