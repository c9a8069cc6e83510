"""Sandbox state kept in the database so that every process of the server shares it."""

from django.db import models

from guichet.core import clock


class SigningKey(models.Model):
    """The sandbox's RS256 private key, generated on first use."""

    kid = models.CharField(max_length=64, unique=True)
    private_jwk = models.JSONField()
    created_at = models.DateTimeField(default=clock.now)

    class Meta:
        verbose_name = "clé de signature du bac à sable"

    def __str__(self) -> str:
        return self.kid


class Grant(models.Model):
    """One authorization: its code (single use, 60 s) then its access token (short-lived)."""

    code = models.CharField(max_length=64, unique=True)
    identity = models.CharField(max_length=40)
    client_id = models.CharField(max_length=100)
    redirect_uri = models.URLField(max_length=500)
    nonce = models.CharField(max_length=200)
    acr = models.CharField(max_length=20)
    created_at = models.DateTimeField(default=clock.now)
    code_used_at = models.DateTimeField(null=True, blank=True)
    access_token = models.CharField(max_length=64, unique=True, null=True, blank=True)
    token_expires_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = "autorisation du bac à sable"

    def __str__(self) -> str:
        return f"{self.identity} ({self.created_at:%d/%m/%Y %H:%M})"
