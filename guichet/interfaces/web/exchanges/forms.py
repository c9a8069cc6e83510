"""Forms of « Écrire à ma caisse » and of a thread's reply (rules ECH1–ECH5): they read what
was sent with the domain's validators; the service checks every rule again."""

from django import forms

from guichet.cards.uploads import JPEG, PDF, PNG
from guichet.core.forms import GuichetForm
from guichet.exchanges import rules, validators
from guichet.exchanges.enums import ThreadSubject
from guichet.reference.validators import normalize_text

ATTACHMENTS_HELP = (
    f"Jusqu'à {rules.MAX_ATTACHMENTS} fichiers PDF, JPEG ou PNG, 5 Mo chacun et 10 Mo en tout ; "
    f"{rules.ATTACHMENT_BYTES_PER_DAY // 2**20} Mo de pièces jointes par jour et "
    f"{rules.ATTACHMENT_BYTES_PER_THREAD // 2**20} Mo par fil d'échanges."
)


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Zero to several files under one name (« Pièces jointes »)."""

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


def _body_field() -> BodyField:
    return BodyField(
        label="Votre message",
        help_text=f"{rules.BODY_MAX_LENGTH} caractères au maximum.",
        widget=forms.Textarea(attrs={"rows": 8, "maxlength": rules.BODY_MAX_LENGTH}),
        error_messages={"required": "Écrivez votre message."},
        strip=False,
    )


class ReplyForm(GuichetForm):
    body = _body_field()
    attachments = MultipleFileField(label="Pièces jointes", help_text=ATTACHMENTS_HELP)


class NewThreadForm(ReplyForm):
    subject = forms.ChoiceField(
        label="Objet de votre message",
        choices=[("", "Choisissez un objet"), *ThreadSubject.choices],
        error_messages={
            "required": "Choisissez l'objet de votre message.",
            "invalid_choice": "Choisissez l'objet de votre message dans la liste.",
        },
    )
    subject_other = forms.CharField(
        label="Précisez l'objet",
        help_text=(
            f"Si vous avez choisi « Autre » : {rules.OTHER_SUBJECT_MAX_LENGTH} caractères au "
            "maximum."
        ),
        required=False,
        max_length=rules.OTHER_SUBJECT_MAX_LENGTH * 2,
        error_messages={"max_length": "L'objet ne doit pas dépasser 100 caractères."},
    )
    demarche = forms.ChoiceField(
        label="Démarche concernée (facultatif)",
        required=False,
        error_messages={"invalid_choice": rules.UNKNOWN_DEMARCHE.message},
    )
    field_order = ["subject", "subject_other", "demarche", "body", "attachments"]

    def __init__(self, *args: object, demarches: list, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.fields["demarche"].choices = [("", "Aucune démarche en particulier")] + [
            (demarche.key, demarche.label) for demarche in demarches
        ]

    def clean_subject_other(self) -> str:
        value = normalize_text(self.cleaned_data.get("subject_other", ""))
        if self.data.get(self.add_prefix("subject")) != ThreadSubject.OTHER:
            return ""
        if not value:
            raise forms.ValidationError(rules.OTHER_SUBJECT_MISSING.message)
        validators.validate_subject_other(value)
        return value
