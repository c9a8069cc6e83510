from typing import ClassVar

from django.conf import settings
from django.db import models

from guichet.core import clock


class ThrottleCounter(models.Model):
    """Attempts counted per key in a fixed window, shared by every process (database row)."""

    key = models.CharField(max_length=200, unique=True)
    window_start = models.DateTimeField()
    count = models.PositiveIntegerField(default=0)
    blocked_until = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = "compteur de tentatives"
        verbose_name_plural = "compteurs de tentatives"

    def __str__(self) -> str:
        return f"{self.key}: {self.count}"


class TransitionLog(models.Model):
    """The one shape of every procedure's audit trail: from, to, at, by, note.

    Each procedure's log subclasses it, adds the key to its object (named by ``subject_field``)
    and may give ``from_status``/``to_status`` its own choices; ``StateMachine.move`` writes
    it (guichet.core.transitions). ``by`` is empty for a change made by the system (a periodic
    job, the card maker's file, a device at install); ``note`` says why, when there is a why.
    """

    subject_field: ClassVar[str]

    from_status = models.CharField("de", max_length=20, blank=True)
    to_status = models.CharField("vers", max_length=20)
    at = models.DateTimeField("le", default=clock.now)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="par",
        help_text="Vide : changement fait par le système.",
    )
    note = models.CharField("note", max_length=300, blank=True)

    class Meta:
        abstract = True
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.from_status or '∅'} → {self.to_status}"


class WorkerHeartbeat(models.Model):
    """The last sign of life of each task worker (manage.py run_worker), in the database so that
    the readiness check of every web process, on every machine, reads the same rows
    (guichet.core.health, docs/operations.md)."""

    worker_id = models.CharField("identifiant du worker", max_length=64, unique=True)
    host = models.CharField("machine", max_length=255)
    pid = models.PositiveIntegerField("processus")
    started_at = models.DateTimeField("démarré le")
    beat_at = models.DateTimeField("dernier signe de vie", db_index=True)

    class Meta:
        verbose_name = "signe de vie d'un worker"
        verbose_name_plural = "signes de vie des workers"

    def __str__(self) -> str:
        return f"{self.worker_id} ({self.host}, {self.beat_at:%Y-%m-%d %H:%M:%S})"
