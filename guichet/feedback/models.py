from django.conf import settings
from django.db import models
from django.db.models import Q

from guichet.core import clock
from guichet.feedback.enums import Procedure, Score


class Rating(models.Model):
    """« Notez votre démarche ! » — one answer per démarche done (rule G5)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="ratings"
    )
    procedure = models.CharField("démarche", max_length=40, choices=Procedure.choices)
    score = models.PositiveSmallIntegerField("note", choices=Score.choices)
    comment = models.TextField("commentaire", blank=True, max_length=1000)
    created_at = models.DateTimeField(default=clock.now)

    class Meta:
        verbose_name = "avis"
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(score__gte=1) & Q(score__lte=5), name="rating_score_1_5"
            ),
            models.CheckConstraint(
                condition=Q(procedure__in=Procedure.values), name="rating_procedure_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_procedure_display()} : {self.score}/5"
