"""Forms of the fund's inbox (rules ECH2, ECH3, ECH11): they read what was sent with the
domain's validators; the services check every rule again."""

from collections.abc import Sequence

from django import forms

from guichet.cards.uploads import JPEG, PDF, PNG
from guichet.core.forms import GuichetForm
from guichet.exchanges import rules, validators
from guichet.exchanges.enums import ThreadStatus
from guichet.exchanges.models import FundService
from guichet.reference.validators import normalize_text, validate_no_control_characters

ATTACHMENTS_HELP = (
    f"Jusqu'à {rules.MAX_ATTACHMENTS} fichiers PDF, JPEG ou PNG, 5 Mo chacun et 10 Mo en tout."
)


ALL_SERVICES = "tous"


class InboxFilterForm(GuichetForm):
    """ECH16: « Mes services » by default (every service for a supervisor), one service of the
    fund, or all of them."""

    service = forms.ChoiceField(label="Service", required=False)
    statut = forms.ChoiceField(
        label="Statut",
        required=False,
        choices=[("", "Non clôturés"), *ThreadStatus.choices, ("tous", "Tous")],
    )
    q = forms.CharField(
        label="Rechercher par NIR ou objet",
        required=False,
        max_length=100,
        validators=[validate_no_control_characters],
    )
    mine = forms.BooleanField(label="Seulement les miens", required=False)

    def __init__(self, *args: object, services: Sequence[FundService] = (), **kwargs: object):
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["service"].choices = [
            ("", "Mes services"),
            *((str(service.pk), service.name) for service in services),
            (ALL_SERVICES, "Tous les services"),
        ]


class TransferForm(GuichetForm):
    """« Transférer à un autre service » (ECH17)."""

    service = forms.TypedChoiceField(
        label="Service destinataire",
        coerce=int,
        error_messages={
            "required": "Choisissez le service auquel transférer ce fil.",
            "invalid_choice": rules.UNKNOWN_SERVICE.message,
        },
    )
    reason = forms.CharField(
        label="Motif du transfert (facultatif)",
        help_text="Le transfert et son motif restent écrits dans le fil, pour les seuls agents.",
        required=False,
        max_length=rules.TRANSFER_REASON_MAX_LENGTH,
        validators=[validators.validate_transfer_reason],
        widget=forms.TextInput(attrs={"maxlength": rules.TRANSFER_REASON_MAX_LENGTH}),
    )

    def __init__(self, *args: object, services: Sequence[FundService] = (), **kwargs: object):
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["service"].choices = [
            ("", "Choisir un service"),
            *((service.pk, service.name) for service in services),
        ]


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    def __init__(self, *args: object, **kwargs: object) -> None:
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": f"{PDF},{JPEG},{PNG}"}))
        kwargs.setdefault("required", False)
        super().__init__(*args, **kwargs)

    def clean(self, data: object, initial: object = None) -> list:
        files = data if isinstance(data, list | tuple) else [data] if data else []
        cleaned = [super(MultipleFileField, self).clean(item, initial) for item in files]
        if len(cleaned) > rules.MAX_ATTACHMENTS:
            raise forms.ValidationError(rules.TOO_MANY_ATTACHMENTS.message)
        return cleaned


class BodyField(forms.CharField):
    default_validators = [validators.validate_body]

    def to_python(self, value: object) -> str:
        return normalize_text(super().to_python(value))


class AnswerForm(GuichetForm):
    body = BodyField(
        label="Réponse à l'assuré",
        help_text=f"{rules.BODY_MAX_LENGTH} caractères au maximum. L'assuré la lit dans son compte.",
        widget=forms.Textarea(attrs={"rows": 8, "maxlength": rules.BODY_MAX_LENGTH}),
        error_messages={"required": "Écrivez votre réponse."},
        strip=False,
    )
    attachments = MultipleFileField(label="Pièces jointes", help_text=ATTACHMENTS_HELP)


class NoteForm(GuichetForm):
    note = BodyField(
        label="Note interne",
        help_text="Visible des seuls agents de la caisse, jamais de l'assuré.",
        widget=forms.Textarea(attrs={"rows": 3, "maxlength": rules.BODY_MAX_LENGTH}),
        error_messages={"required": "Écrivez la note."},
        strip=False,
    )
