"""The one form base of every interface: django-dsfr's, with what the project adds (issue 14).

django-dsfr gives the classes (`fr-input`, `fr-select`…) and picks each field's snippet template
(templates/dsfr/form_field_snippets/). This module adds two things its bound field does not do:
- `aria-describedby` names the hint, the error messages and any text the form declares in
  `described_by` (for instance the C5 rules and the strength text of a code personnel), with
  Django's own ids `<id>_helptext` and `<id>_error`, which the project's snippets give those
  elements;
- a password field renders with the DSFR password component (« Afficher »);
- a group of radios or checkboxes is a fieldset described by its hint and its errors.
See docs/decisions/forms-dsfr-rendering.md.
"""

from typing import Any, ClassVar

from django import forms
from dsfr.forms import DsfrBaseForm, DsfrBoundField


class GuichetBoundField(DsfrBoundField):
    @property
    def template_name(self) -> str:
        if self.widget_type == "password" and not self.field.template_name:
            return "dsfr/form_field_snippets/password_snippet.html"
        return super().template_name

    @property
    def aria_describedby(self) -> str:
        ids = []
        if self.auto_id and not self.is_hidden:
            if self.help_text:
                ids.append(f"{self.auto_id}_helptext")
            if self.errors:
                ids.append(f"{self.auto_id}_error")
        ids.extend(getattr(self.form, "described_by", {}).get(self.name, ()))
        return " ".join(ids)


class GuichetForm(DsfrBaseForm):
    """Inherit from it (first, before a Django form such as SetPasswordForm) in every interface."""

    bound_field_class = GuichetBoundField
    # Ids of elements of the page, outside the field, that also describe it: {field name: ids}.
    described_by: ClassVar[dict[str, tuple[str, ...]]] = {}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # DsfrBaseForm built the bound fields to set their classes, and a bound field copies its
        # field's label and help text: drop them, so that what a subclass's __init__ changes
        # (the code personnel's labels, choices) is what renders.
        self._bound_fields_cache.clear()
        for field in self.fields.values():
            if isinstance(field.widget, forms.PasswordInput):
                field.widget.attrs["class"] = "fr-password__input fr-input"
            elif isinstance(field.widget, forms.RadioSelect | forms.CheckboxSelectMultiple):
                # django-dsfr's marker for its checkbox options, printed as is on each input.
                field.widget.attrs.pop("dsfr", None)
