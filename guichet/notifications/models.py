from email.utils import make_msgid
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Q

from guichet.core import clock
from guichet.notifications.enums import EmailStatus


class Notification(models.Model):
    """A short notice on the account's home page (for example O7's activation notice).

    ``about_type``/``about_id`` name the démarche the notice is about (a carte Vitale order, a
    complementary overlap, an appointment…), as a thread of the « Espace d'échanges » does, so
    the page can link the notice to the thread about the same démarche (rule ECH5).
    """

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications"
    )
    title = models.CharField("titre", max_length=200)
    body = models.TextField("texte")
    link_url = models.CharField("lien", max_length=300, blank=True)
    link_label = models.CharField("libellé du lien", max_length=100, blank=True)
    about_type = models.ForeignKey(
        ContentType,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="type de la démarche",
    )
    about_id = models.PositiveBigIntegerField("identifiant de la démarche", null=True, blank=True)
    created_at = models.DateTimeField(default=clock.now)
    read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["recipient", "read_at"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(about_type__isnull=True, about_id__isnull=True)
                | Q(about_type__isnull=False, about_id__isnull=False),
                name="notification_about_type_and_id",
            ),
        ]

    def __str__(self) -> str:
        return self.title


class Message(models.Model):
    """A message from the fund in « Ma messagerie »."""

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="messages"
    )
    sender = models.CharField(
        "expéditeur", max_length=150, default="Votre caisse d'assurance maladie"
    )
    subject = models.CharField("objet", max_length=200)
    body = models.TextField("message")
    created_at = models.DateTimeField(default=clock.now)
    read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["recipient", "read_at"])]

    def __str__(self) -> str:
        return self.subject


def new_message_id() -> str:
    """A Message-ID in the site's domain, made once per outbox row: every attempt to send the
    row sends the same message, so a receiver keeps one copy of a re-sent email."""
    return make_msgid(idstring="guichet", domain=urlsplit(settings.SITE_URL).hostname)


class OutboundEmail(models.Model):
    """The email outbox: a row per email, sent by the task worker after the commit.

    A worker claims a row (queued → sending) for a lease (``lease_until``); a row still in
    ``sending`` once its lease has passed belongs to a dead worker and may be claimed again.
    """

    MAX_ATTEMPTS = 5

    to = models.EmailField("destinataire")
    subject = models.CharField("objet", max_length=200)
    body_text = models.TextField("texte")
    body_html = models.TextField("HTML", blank=True)
    status = models.CharField(max_length=8, choices=EmailStatus.choices, default=EmailStatus.QUEUED)
    attempts = models.PositiveSmallIntegerField(default=0)
    last_error = models.TextField(blank=True)
    created_at = models.DateTimeField(default=clock.now)
    next_attempt_at = models.DateTimeField(default=clock.now)
    sent_at = models.DateTimeField(null=True, blank=True)
    category = models.CharField("catégorie", max_length=40, blank=True)
    message_id = models.CharField("Message-ID", max_length=255, unique=True, default=new_message_id)
    lease_until = models.DateTimeField("réservé jusqu'à", null=True, blank=True)
    # One text attachment at most, such as an appointment's calendar file (ICS, rule RDV10).
    attachment_name = models.CharField("pièce jointe", max_length=100, blank=True)
    attachment_type = models.CharField("type de la pièce jointe", max_length=100, blank=True)
    attachment_text = models.TextField("contenu de la pièce jointe", blank=True)

    class Meta:
        verbose_name = "courriel"
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["status", "next_attempt_at"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=EmailStatus.values), name="outbound_email_status_valid"
            )
        ]

    def __str__(self) -> str:
        return f"{self.subject} → {self.to}"
