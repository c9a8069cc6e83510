from django.db import models


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
