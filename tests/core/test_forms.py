"""The one form base of the interfaces: django-dsfr's rendering with aria-describedby on every
field, its hint escaped (issue 14, docs/decisions/forms-dsfr-rendering.md)."""

import importlib
import inspect
import pkgutil
import re
from html.parser import HTMLParser

import pytest
from django import forms
from django.utils.safestring import mark_safe

import guichet.interfaces
from guichet.core.forms import GuichetForm
from guichet.enrollment.services import OWNER_PROOF_REQUIRED
from guichet.interfaces.agents.frontdesk.forms import IdentityCheckForm
from guichet.interfaces.web.account.forms import AccountCloseForm
from guichet.interfaces.web.enrollment.forms import (
    CodeForm,
    ContactForm,
    IdentityForm,
    NewAddressForm,
)
from guichet.interfaces.web.powers.forms import ProxyForm
from tests.factories import PersonFactory


class Elements(HTMLParser):
    """Every element's attributes, and the text inside each element that has an id."""

    def __init__(self, html: str) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str]]] = []
        self.text_by_id: dict[str, str] = {}
        self._open: list[str | None] = []
        self.feed(html)

    def handle_starttag(self, tag: str, attrs: list) -> None:
        attributes = {name: value or "" for name, value in attrs}
        self.tags.append((tag, attributes))
        if tag not in {"input", "br", "img", "meta", "link"}:
            self._open.append(attributes.get("id"))
            if attributes.get("id"):
                self.text_by_id[attributes["id"]] = ""

    def handle_endtag(self, tag: str) -> None:
        if self._open:
            self._open.pop()

    def handle_data(self, data: str) -> None:
        for element_id in filter(None, self._open):
            self.text_by_id[element_id] += data

    def controls(self) -> list[dict[str, str]]:
        return [
            attributes
            for tag, attributes in self.tags
            if tag in {"input", "select", "textarea"}
            and attributes.get("type") != "hidden"
            and attributes.get("name")
        ]


def render(form: forms.Form) -> Elements:
    return Elements("".join(form[name].as_field_group() for name in form.fields))


def interface_form_classes() -> list[type[forms.BaseForm]]:
    found = set()
    for module_info in pkgutil.walk_packages(guichet.interfaces.__path__, "guichet.interfaces."):
        if module_info.name.rsplit(".", 1)[-1] not in {"forms", "card_reader"}:
            continue
        module = importlib.import_module(module_info.name)
        for _, cls in inspect.getmembers(module, inspect.isclass):
            if issubclass(cls, forms.BaseForm) and cls.__module__ == module.__name__:
                found.add(cls)
    return sorted(found, key=lambda cls: cls.__qualname__)


def test_every_form_of_the_interfaces_renders_through_the_dsfr_base():
    classes = interface_form_classes()
    assert len(classes) > 20
    assert [cls.__qualname__ for cls in classes if not issubclass(cls, GuichetForm)] == []


@pytest.mark.django_db
@pytest.mark.parametrize(
    "form",
    [
        lambda: IdentityForm(data={"nir": "12", "birth_date": "31/02/1980", "postal_code": "7"}),
        lambda: ContactForm(data={"email": "pas-une-adresse", "mobile_phone": "12"}),
        lambda: CodeForm(data={"code1": "court", "code2": "autre"}, person=PersonFactory()),
        lambda: AccountCloseForm(data={}),
        lambda: ProxyForm(data={"civility": "X"}),
        lambda: IdentityCheckForm(data={}),
    ],
    ids=["identity", "contact", "code", "account-close", "proxy", "identity-check"],
)
def test_each_invalid_field_is_described_by_its_error_and_its_hint(form):
    form = form()
    assert not form.is_valid()
    page = render(form)
    for control in page.controls():
        name = control["name"]
        if name not in form.errors:
            assert "aria-invalid" not in control
            continue
        described_by = control["aria-describedby"].split()
        assert control["aria-invalid"] == "true"
        error_id = f"{control['id']}_error"
        assert error_id in described_by, name
        for message in form.errors[name]:
            assert message in page.text_by_id[error_id]
        if form[name].help_text:
            assert f"{control['id']}_helptext" in described_by
        for described in described_by:
            assert described in page.text_by_id or described in form.described_by.get(name, ())


@pytest.mark.django_db
def test_a_valid_field_is_described_by_its_hint_only():
    page = render(IdentityForm())
    nir = next(control for control in page.controls() if control["name"] == "nir")
    assert nir["aria-describedby"] == "id_nir_helptext"
    assert page.text_by_id["id_nir_helptext"].startswith("13 chiffres")
    assert "aria-invalid" not in nir


@pytest.mark.django_db
def test_the_code_personnel_is_also_described_by_the_c5_rules_and_its_strength():
    form = CodeForm(data={"code1": "court", "code2": "court"}, person=PersonFactory())
    form.is_valid()
    html = form["code1"].as_field_group()
    assert 'aria-describedby="id_code1_error code-rules strength-label"' in html
    assert 'class="fr-password__input fr-input"' in html
    assert re.search(
        r'<label class="fr-password__checkbox fr-label" for="id_code1-afficher">\s*Afficher', html
    )


class HintedForm(GuichetForm):
    name = forms.CharField(
        label="Nom <i>d'usage</i>", help_text="<script>alert(1)</script> 5 <b>mots</b>"
    )
    agree = forms.BooleanField(label="J'accepte", help_text=mark_safe("<em>obligatoire</em>"))


def test_the_hint_and_the_label_are_escaped_and_what_was_typed_is_kept():
    form = HintedForm(data={"name": '"><script>x</script>'})
    assert not form.is_valid()
    html = form["name"].as_field_group() + form["agree"].as_field_group()
    assert "<script>" not in html and "<b>" not in html and "<em>" not in html and "<i>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt; 5 &lt;b&gt;mots&lt;/b&gt;" in html
    assert "&lt;em&gt;obligatoire&lt;/em&gt;" in html
    assert 'value="&quot;&gt;&lt;script&gt;x&lt;/script&gt;"' in html
    assert 'aria-describedby="id_agree_helptext id_agree_error"' in html


def test_a_radio_group_is_a_fieldset_described_by_its_hint_and_its_error():
    form = NewAddressForm(data={"method": "autre"})
    assert not form.is_valid()
    html = form["method"].as_field_group()
    page = Elements(html)
    fieldset = next(attributes for tag, attributes in page.tags if tag == "fieldset")
    assert fieldset["aria-labelledby"] == "id_method_legend"
    assert fieldset["aria-describedby"] == "id_method_helptext id_method_error"
    assert OWNER_PROOF_REQUIRED in page.text_by_id["id_method_error"]
    assert page.text_by_id["id_method_helptext"].startswith("Pour protéger votre compte")
    radios = [control for control in page.controls() if control["type"] == "radio"]
    # The error summary (web/partials/form_errors.html) links a radio group to <auto_id>_0.
    assert radios[0]["id"] == f"{form['method'].auto_id}_0"
    assert all("dsfr" not in radio for radio in radios)


class MentionsForm(GuichetForm):
    mentions = forms.MultipleChoiceField(
        label="Informations complémentaires",
        help_text=mark_safe("Cochez <b>la case</b>."),
        choices=[("etm", "Exonération du ticket modérateur"), ("cmu", "CMU")],
        widget=forms.CheckboxSelectMultiple,
    )


def test_a_checkbox_group_is_a_dsfr_fieldset_that_keeps_the_boxes_ticked():
    form = MentionsForm(data={"mentions": ["cmu", "autre"]})
    assert not form.is_valid()
    html = form["mentions"].as_field_group()
    page = Elements(html)
    fieldset = next(attributes for tag, attributes in page.tags if tag == "fieldset")
    assert fieldset["aria-describedby"] == "id_mentions_helptext id_mentions_error"
    assert "autre" in page.text_by_id["id_mentions_error"]
    assert "Cochez &lt;b&gt;la case&lt;/b&gt;." in html
    boxes = [control for control in page.controls() if control["type"] == "checkbox"]
    assert [(box["value"], "checked" in box) for box in boxes] == [("etm", False), ("cmu", True)]
    assert all("dsfr" not in box for box in boxes)
    assert html.count('<div class="fr-checkbox-group">') == 2
