"""Online accounts: an insured person's « compte », or a fund agent's account."""

from django.contrib.auth.base_user import AbstractBaseUser, BaseUserManager
from django.contrib.auth.models import PermissionsMixin
from django.contrib.sessions.base_session import AbstractBaseSession
from django.db import models
from django.db.models import Q
from django.db.models.functions import Lower

from guichet.accounts.enums import AgentRole, UserKind
from guichet.core import clock
from guichet.reference.models import Fund, Person


class UserManager(BaseUserManager["User"]):
    use_in_migrations = True

    def create_user(self, username: str, password: str | None = None, **extra: object) -> "User":
        user = self.model(username=username, **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_superuser(
        self, username: str, password: str | None = None, **extra: object
    ) -> "User":
        extra.setdefault("kind", UserKind.AGENT)
        extra.setdefault("agent_role", AgentRole.SUPERVISOR)
        extra.setdefault("is_staff", True)
        extra.setdefault("is_superuser", True)
        return self.create_user(username, password, **extra)


class User(AbstractBaseUser, PermissionsMixin):
    """One login. Insured people sign in with their NIR; agents with their agent identifier."""

    username = models.CharField("identifiant", max_length=40, unique=True)
    kind = models.CharField("type de compte", max_length=8, choices=UserKind.choices)
    person = models.OneToOneField(
        Person,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="account",
        verbose_name="assuré",
    )
    first_name = models.CharField("prénom", max_length=100, blank=True)
    last_name = models.CharField("nom", max_length=100, blank=True)
    agent_role = models.CharField(
        "rôle de l'agent", max_length=12, choices=AgentRole.choices, blank=True
    )
    fund = models.ForeignKey(
        Fund, on_delete=models.PROTECT, null=True, blank=True, verbose_name="caisse de l'agent"
    )
    email = models.EmailField("adresse électronique", blank=True)
    email_confirmed_at = models.DateTimeField("adresse confirmée le", null=True, blank=True)
    information_consent = models.BooleanField(
        "accepte les informations de l'Assurance Maladie", default=False
    )
    information_consent_at = models.DateTimeField("consentement donné le", null=True, blank=True)
    is_active = models.BooleanField("actif", default=True)
    is_staff = models.BooleanField("accès à l'administration", default=False)
    date_joined = models.DateTimeField("créé le", default=clock.now)
    previous_login_at = models.DateTimeField("connexion précédente", null=True, blank=True)
    # « Résilier mon compte ameli »: the row stays (the logs that name it keep their meaning)
    # but loses its login, its person and its contact data; the person can open a new account.
    closed_at = models.DateTimeField("résilié le", null=True, blank=True)
    closed_person = models.ForeignKey(
        Person,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="closed_accounts",
        verbose_name="assuré (compte résilié)",
    )

    objects = UserManager()

    USERNAME_FIELD = "username"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS: list[str] = []

    class Meta:
        verbose_name = "compte"
        constraints = [
            models.CheckConstraint(condition=Q(kind__in=UserKind.values), name="user_kind_valid"),
            models.CheckConstraint(
                condition=(
                    Q(kind=UserKind.INSURED)
                    & (Q(person__isnull=False) | Q(closed_at__isnull=False))
                    & Q(agent_role="")
                )
                | (Q(kind=UserKind.AGENT) & Q(person__isnull=True) & ~Q(agent_role="")),
                name="user_insured_has_person_agent_has_role",
            ),
            models.CheckConstraint(
                condition=(Q(closed_at__isnull=True) & Q(closed_person__isnull=True))
                | (
                    Q(closed_at__isnull=False)
                    & Q(closed_person__isnull=False)
                    & Q(kind=UserKind.INSURED)
                    & Q(person__isnull=True)
                    & Q(is_active=False)
                ),
                name="user_closed_account_consistent",
            ),
            models.UniqueConstraint(
                Lower("email"),
                condition=Q(kind=UserKind.INSURED) & ~Q(email=""),
                name="unique_insured_email_ci",
            ),
        ]

    def __str__(self) -> str:
        if self.person_id:
            return str(self.person)
        return f"{self.first_name} {self.last_name}".strip() or self.username

    @property
    def is_insured(self) -> bool:
        return self.kind == UserKind.INSURED

    @property
    def confirmed_email(self) -> str:
        """The address to write to: only one confirmed by its link (rule C7), else ""."""
        return self.email if self.email and self.email_confirmed_at else ""

    @property
    def is_closed(self) -> bool:
        return self.closed_at is not None

    @property
    def is_agent(self) -> bool:
        return self.kind == UserKind.AGENT


class LoginEvent(models.Model):
    """One sign-in or failed attempt: the account's security history."""

    class Outcome(models.TextChoices):
        SUCCESS = "success", "Connexion réussie"
        FAILURE = "failure", "Échec"
        THROTTLED = "throttled", "Refusée (trop de tentatives)"

    user = models.ForeignKey(
        User, on_delete=models.CASCADE, null=True, blank=True, related_name="login_events"
    )
    outcome = models.CharField(max_length=10, choices=Outcome.choices)
    ip_address = models.GenericIPAddressField(null=True, blank=True)
    created_at = models.DateTimeField(default=clock.now, db_index=True)

    class Meta:
        verbose_name = "événement de connexion"
        verbose_name_plural = "événements de connexion"
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.get_outcome_display()} — {self.created_at:%d/%m/%Y %H:%M}"


class Session(AbstractBaseSession):
    """A web session (the SESSION_ENGINE's row), with the account signed in to it, if any.

    The account's id is also inside the signed session data, where Django reads it; this column
    repeats it so that the row, the account and its person are read in one statement on every
    request (guichet.accounts.sessions, docs/decisions/sessions-with-the-account.md). Deleting
    an account deletes its sessions.
    """

    user = models.ForeignKey(
        User,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="compte",
    )

    class Meta(AbstractBaseSession.Meta):
        verbose_name = "session"
        verbose_name_plural = "sessions"

    @classmethod
    def get_session_store_class(cls):  # type: ignore[no-untyped-def]
        from guichet.accounts.sessions import SessionStore

        return SessionStore
