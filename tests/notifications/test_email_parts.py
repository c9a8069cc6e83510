"""Every email has a plain-text and an accessible HTML part (issue 14): each kind is sent by its
own service, then the multipart/alternative message is read back as a mail client gets it
(docs/decisions/emails-html.md)."""

import datetime as dt
import re
from collections.abc import Callable
from html.parser import HTMLParser
from pathlib import Path

import pytest
import time_machine
from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.core import mail

from guichet.accounts import recovery
from guichet.accounts import services as account_services
from guichet.accounts.enums import CodeChangeWay
from guichet.ceam import services as ceam_services
from guichet.certificates.enums import Channel
from guichet.complementary.notifications import notify_choice_applied
from guichet.enrollment import services as enrollment_services
from guichet.enrollment.enums import ProofMethod, Way
from guichet.notifications.models import OutboundEmail
from tests.cards.test_order_emails import import_status, in_production_order, reviewed_order
from tests.enrollment.factories import GOOD_CODE, eligible_person
from tests.factories import DEFAULT_PASSWORD, InsuredUserFactory, PersonFactory

pytestmark = pytest.mark.django_db

EMAILS_DIR = Path(settings.BASE_DIR) / "templates" / "emails"
URL = re.compile(r"https?://\S+")
START = dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC)


class _Reader(HTMLParser):
    """What a mail client and a screen reader get out of the HTML part."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.doctype = ""
        self.lang: str | None = None
        self.tags: list[str] = []
        self.title = ""
        self.headings: list[str] = []
        self.links: list[tuple[str, str]] = []
        self.text = ""
        self._open: list[str] = []
        self._href: str | None = None
        self._link_text = ""

    def handle_decl(self, decl: str) -> None:
        self.doctype = decl

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        if tag == "html":
            self.lang = dict(attrs).get("lang")
        if tag == "h1":
            self.headings.append("")
        if tag == "a":
            self._href, self._link_text = dict(attrs).get("href") or "", ""
        if tag not in ("br", "meta"):
            self._open.append(tag)

    def handle_endtag(self, tag: str) -> None:
        if tag == "a" and self._href is not None:
            self.links.append((self._href, " ".join(self._link_text.split())))
            self._href = None
        if self._open and self._open[-1] == tag:
            self._open.pop()

    def handle_data(self, data: str) -> None:
        if "title" in self._open:
            self.title += data
            return
        if "body" not in self._open:
            return
        self.text += data
        if "h1" in self._open:
            self.headings[-1] += data
        if self._href is not None:
            self._link_text += data


def _words(text: str) -> str:
    return " ".join(text.split()).casefold()


def assert_accessible_email(message: mail.EmailMultiAlternatives) -> None:
    """Both parts, and an HTML part with the text part's wording and links (RGAA 6, 8, 9)."""
    assert message.content_subtype == "plain" and message.body.strip()
    html_parts = [content for content, mimetype in message.alternatives if mimetype == "text/html"]
    assert len(html_parts) == 1, message.alternatives
    sent = message.message()
    if message.attachments:  # a calendar file (rule RDV10): the alternative inside a mixed
        assert sent.get_content_type() == "multipart/mixed"
        sent = sent.get_payload()[0]
    assert sent.get_content_type() == "multipart/alternative"
    page = _Reader()
    page.feed(html_parts[0])
    page.close()

    assert page.doctype.casefold() == "doctype html"
    assert page.lang == "fr"
    assert " ".join(page.title.split()) == message.subject
    assert len(page.headings) == 1 and page.headings[0].strip()
    assert not {"table", "img", "script", "style"} & set(page.tags), page.tags

    text_urls = URL.findall(message.body)
    hrefs = [href for href, _label in page.links]
    assert sorted(hrefs) == sorted(text_urls), (hrefs, text_urls)
    for href, label in page.links:
        assert href.startswith(("https://", "http://")), href
        assert label and not URL.fullmatch(label), f"« {label} » ne dit pas où mène le lien"

    # The same wording: every line of the text part, but its URLs, is in the HTML part.
    html_text = _words(page.text)
    for line in message.body.splitlines():
        line = URL.sub("", line).strip()
        if line:
            assert _words(line) in html_text, line


def _sent(category: str) -> mail.EmailMultiAlternatives:
    email = OutboundEmail.objects.filter(category=category).latest("pk")
    assert email.status == "sent"
    [message] = [m for m in mail.outbox if m.extra_headers["Message-ID"] == email.message_id]
    return message


def _create_account(email: str = "marie@exemple.fr"):
    return enrollment_services.account_create(
        request=enrollment_services.AccountRequest(
            person=eligible_person(),
            way=Way.CARTE_VITALE,
            password_hash=make_password(GOOD_CODE),
            email=email,
        )
    )


def _enrollment_confirm(capture, tmp_path):
    with capture(execute=True):
        _create_account()
    return _sent("enrollment")


def _email_changed(capture, tmp_path):
    with time_machine.travel(START, tick=False):
        user = _create_account()
    proof = enrollment_services.OwnerProof(method=ProofMethod.CODE, code=GOOD_CODE)
    with time_machine.travel(START + dt.timedelta(days=8), tick=False), capture(execute=True):
        enrollment_services.confirmation_resend(
            user=user, email="nouvelle@exemple.fr", proof=proof, ip=""
        )
    return _sent("email_changed")


def _code_reset(capture, tmp_path):
    user = InsuredUserFactory()
    with capture(execute=True):
        recovery.code_reset_request(
            nir=user.username, birth_date=user.person.birth_date, ip="203.0.113.7"
        )
    return _sent("code_reset")


def _code_changed(capture, tmp_path):
    user = InsuredUserFactory()
    with capture(execute=True):
        account_services.code_set(user=user, code="Autre-Code-2027", way=CodeChangeWay.CHANGE)
    return _sent("code_changed")


def _account_closed(capture, tmp_path):
    user = InsuredUserFactory()
    with capture(execute=True):
        account_services.account_close(user=user, code=DEFAULT_PASSWORD, ip="203.0.113.7")
    return _sent("account_closed")


def _avis_de_depot(capture, tmp_path):
    user = InsuredUserFactory(person__first_names="Zoé", person__last_name="L'Hôte & Fils")
    with capture(execute=True):
        notify_choice_applied(user=user)
    message = _sent("avis_de_depot")
    assert "L&#x27;Hôte &amp; Fils" in message.alternatives[0][0]  # escaped in the HTML only
    assert "L'Hôte & Fils" in message.body
    return message


def _card_order_rejected(capture, tmp_path):
    user = InsuredUserFactory()
    child = PersonFactory(
        dependant=True, family=user.person.family, first_names="Léa", birth_date=dt.date(2010, 3, 1)
    )
    with capture(execute=True):
        reviewed_order(user, accept=False, beneficiary=child)
    return _sent("card_order_rejected")


def _card_order_sent(capture, tmp_path):
    user = InsuredUserFactory()
    order = in_production_order(user, tmp_path)
    with capture(execute=True):
        import_status(order, "envoyee")
    return _sent("card_order_sent")


def _ceam_order_received(capture, tmp_path):
    user = InsuredUserFactory()
    with time_machine.travel(START, tick=False), capture(execute=True):
        ceam_services.ceam_order(
            user=user,
            beneficiary=user.person,
            departure_on=dt.date(2026, 3, 5),
            channel=Channel.WEB,
        )
    message = _sent("ceam_order_received")
    assert "certificat provisoire de remplacement" in message.body  # CEAM7, CEAM8
    return message


def _ceam_order_sent(capture, tmp_path):
    user = InsuredUserFactory()
    with time_machine.travel(START, tick=False):
        ceam_services.ceam_order(
            user=user, beneficiary=user.person, departure_on=None, channel=Channel.WEB
        )
    with time_machine.travel(START + dt.timedelta(days=10), tick=False), capture(execute=True):
        ceam_services.ceam_orders_dispatch()
    return _sent("ceam_order_sent")


def _card_order_delivered(capture, tmp_path):
    user = InsuredUserFactory()
    order = in_production_order(user, tmp_path)
    with capture(execute=True):
        import_status(order, "remise", "12345678901234567890")
    return _sent("card_order_delivered")


def _appointment(capture, then: str = ""):
    """A booked appointment (rule RDV10) at a place open tomorrow and after; then cancelled,
    moved (RDV18) or reminded (RDV20)."""
    import datetime as dt

    import time_machine

    from guichet.appointments import services as appointment_services
    from guichet.core.clock import PARIS
    from tests.appointments.factories import desk

    user = InsuredUserFactory()
    place, motif, _ = desk(user.person.family.fund)
    with time_machine.travel(dt.datetime(2026, 3, 16, 10, tzinfo=PARIS), tick=False):
        with capture(execute=True):
            appointment = appointment_services.appointment_book(
                person=user.person,
                by=user,
                motif=motif,
                place=place,
                start=dt.datetime(2026, 3, 18, 9, tzinfo=PARIS),
                phone="06 12 34 56 78",
            )
        with capture(execute=True):
            if then == "cancelled":
                appointment_services.appointment_cancel_by_person(
                    person=user.person, appointment_id=appointment.pk, by=user
                )
            elif then == "moved":
                appointment_services.appointment_reschedule(
                    person=user.person,
                    appointment_id=appointment.pk,
                    by=user,
                    start=dt.datetime(2026, 3, 18, 10, tzinfo=PARIS),
                )
    if then == "reminder":
        with (
            time_machine.travel(dt.datetime(2026, 3, 16, 10, tzinfo=PARIS), tick=False),
            capture(execute=True),
        ):
            assert appointment_services.appointment_reminders_send() == 0  # booked late
        with time_machine.travel(dt.datetime(2026, 3, 16, 9, tzinfo=PARIS), tick=False):
            type(appointment).objects.filter(pk=appointment.pk).update(
                created_at=dt.datetime(2026, 3, 1, tzinfo=PARIS)
            )
            with capture(execute=True):
                assert appointment_services.appointment_reminders_send() == 1
    return _sent(f"appointment_{then or 'booked'}")


def _appointment_booked(capture, tmp_path):
    return _appointment(capture)


def _appointment_cancelled(capture, tmp_path):
    return _appointment(capture, "cancelled")


def _appointment_moved(capture, tmp_path):
    return _appointment(capture, "moved")


def _appointment_reminder(capture, tmp_path):
    return _appointment(capture, "reminder")


def _address_changed(capture, tmp_path):
    from guichet.situation import services as situation_services

    user = InsuredUserFactory(person__npai=True)
    with capture(execute=True):
        situation_services.person_address_change(
            person=user.person,
            user=user,
            line1="3 rue d'Echallon",
            line2="",
            postal_code="01100",
            city="Oyonnax",
        )
    return _sent("address_changed")


def _bank_change(capture, *, decision: bool | None):
    """A bank-details change asked (SIT10), then approved or refused by the back office."""
    from guichet.cases import services as case_services
    from guichet.cases.models import Case
    from guichet.situation import services as situation_services
    from tests.factories import AgentFactory
    from tests.situation.factories import AFTER_COOLING_OFF, REQUESTED, bank_change_for

    user = InsuredUserFactory(person__last_name="GIRARD")
    with time_machine.travel(REQUESTED, tick=False), capture(execute=True):
        change = bank_change_for(user)
    if decision is None:
        return _sent("bank_change_requested")
    agent = AgentFactory(back_office=True, fund=user.person.family.fund)
    case_services.case_claim(case_id=Case.objects.get(subject_id=change.pk).pk, agent=agent)
    with time_machine.travel(AFTER_COOLING_OFF, tick=False), capture(execute=True):
        situation_services.bank_details_change_decide(
            change_id=change.pk, agent=agent, approve=decision, reason="RIB illisible."
        )
    return _sent("bank_change_approved" if decision else "bank_change_rejected")


def _usage_name_change(capture, *, decision: bool | None):
    """A usage-name change asked (SIT16), then approved or refused by the back office."""
    from guichet.cases import services as case_services
    from guichet.cases.models import Case
    from guichet.situation import services as situation_services
    from tests.factories import AgentFactory
    from tests.situation.factories import usage_name_change_for

    user = InsuredUserFactory(person__last_name="GIRARD")
    with capture(execute=True):
        change = usage_name_change_for(user)
    if decision is None:
        return _sent("usage_name_requested")
    agent = AgentFactory(back_office=True, fund=user.person.family.fund)
    case_services.case_claim(case_id=Case.objects.get(subject_id=change.pk).pk, agent=agent)
    with capture(execute=True):
        situation_services.usage_name_change_decide(
            change_id=change.pk, agent=agent, approve=decision, reason="Acte illisible."
        )
    return _sent("usage_name_approved" if decision else "usage_name_rejected")


def _newborn(capture, *, decision: bool | None):
    """A newborn declared (SIT21), then certified or refused by the back office."""
    from guichet.cases import services as case_services
    from guichet.cases.models import Case
    from guichet.situation import services as situation_services
    from tests.factories import AgentFactory
    from tests.situation.factories import NEWBORN_TODAY, girls_nir, newborn_for

    user = InsuredUserFactory(person__last_name="GIRARD")
    with time_machine.travel(NEWBORN_TODAY, tick=False):
        with capture(execute=True):
            declaration = newborn_for(user)
        if decision is None:
            return _sent("newborn_declared")
        agent = AgentFactory(back_office=True, fund=user.person.family.fund)
        case = Case.objects.get(subject_id=declaration.pk, kind="newborn_declaration")
        case_services.case_claim(case_id=case.pk, agent=agent)
        with capture(execute=True):
            situation_services.newborn_decide(
                declaration_id=declaration.pk,
                agent=agent,
                certify=decision,
                nir=girls_nir(),
                reason="Acte illisible.",
            )
    return _sent("newborn_certified" if decision else "newborn_rejected")


def _other_parent(capture, *, decision: bool | None, tell: str = ""):
    """A child put on the other parent's card (SIT23), then approved or refused by the back
    office of the other parent's fund (SIT25): the requester is told, and so is the other
    parent's account once the child is attached."""
    from guichet.cases import services as case_services
    from guichet.cases.models import Case
    from guichet.situation import services as situation_services
    from tests.cards.factories import pdf_bytes, upload
    from tests.factories import AgentFactory
    from tests.situation.factories import child_hugo, father_paul

    mother = InsuredUserFactory(person__last_name="GIRARD", person__first_names="Julie")
    child = child_hugo(mother)
    father = InsuredUserFactory(person=father_paul())
    with time_machine.travel(dt.datetime(2026, 3, 10, 10, 0, tzinfo=dt.UTC), tick=False):
        with capture(execute=True):
            registration = situation_services.other_parent_registration_request(
                user=mother,
                child_id=child.pk,
                nir=father.person.nir,
                last_name=father.person.last_name,
                birth_date=father.person.birth_date,
                proof=upload("livret.pdf", pdf_bytes(), "application/pdf"),
            )
        if decision is None:
            return _sent("other_parent_requested")
        agent = AgentFactory(back_office=True, fund=father.person.family.fund)
        case = Case.objects.get(subject_id=registration.pk, kind="other_parent_registration")
        case_services.case_claim(case_id=case.pk, agent=agent)
        with capture(execute=True):
            situation_services.other_parent_registration_decide(
                registration_id=registration.pk,
                agent=agent,
                approve=decision,
                reason="Livret de famille illisible.",
            )
    if tell:
        return _sent(tell)
    return _sent("other_parent_approved" if decision else "other_parent_rejected")


def _request_withdrawn(capture, tmp_path):
    """A usage-name change withdrawn while it waits (SIT27)."""
    from guichet.situation import services as situation_services
    from tests.situation.factories import usage_name_change_for

    user = InsuredUserFactory(person__last_name="GIRARD")
    change = usage_name_change_for(user)
    with capture(execute=True):
        situation_services.situation_request_withdraw(
            user=user, kind="usage-name", request_id=change.pk
        )
    return _sent("request_withdrawn")


# One entry per email template pair: the sweep below fails when a pair has no entry here.
SENDERS: dict[str, Callable] = {
    "enrollment_confirm": _enrollment_confirm,
    "email_changed": _email_changed,
    "code_reset": _code_reset,
    "code_changed": _code_changed,
    "account_closed": _account_closed,
    "avis_de_depot": _avis_de_depot,
    "card_order_rejected": _card_order_rejected,
    "card_order_sent": _card_order_sent,
    "card_order_delivered": _card_order_delivered,
    "ceam_order_received": _ceam_order_received,
    "ceam_order_sent": _ceam_order_sent,
    "appointment_booked": _appointment_booked,
    "appointment_cancelled": _appointment_cancelled,
    "address_changed": _address_changed,
    "bank_change_requested": lambda capture, tmp_path: _bank_change(capture, decision=None),
    "bank_change_approved": lambda capture, tmp_path: _bank_change(capture, decision=True),
    "bank_change_rejected": lambda capture, tmp_path: _bank_change(capture, decision=False),
    "usage_name_requested": lambda capture, tmp_path: _usage_name_change(capture, decision=None),
    "usage_name_approved": lambda capture, tmp_path: _usage_name_change(capture, decision=True),
    "usage_name_rejected": lambda capture, tmp_path: _usage_name_change(capture, decision=False),
    "newborn_declared": lambda capture, tmp_path: _newborn(capture, decision=None),
    "newborn_certified": lambda capture, tmp_path: _newborn(capture, decision=True),
    "newborn_rejected": lambda capture, tmp_path: _newborn(capture, decision=False),
    "appointment_moved": _appointment_moved,
    "appointment_reminder": _appointment_reminder,
    "other_parent_requested": lambda capture, tmp_path: _other_parent(capture, decision=None),
    "other_parent_approved": lambda capture, tmp_path: _other_parent(capture, decision=True),
    "other_parent_attached": lambda capture, tmp_path: _other_parent(
        capture, decision=True, tell="other_parent_attached"
    ),
    "other_parent_rejected": lambda capture, tmp_path: _other_parent(capture, decision=False),
    "request_withdrawn": _request_withdrawn,
}


@pytest.mark.parametrize("kind", SENDERS)
def test_every_email_has_an_accessible_html_part(
    kind, django_capture_on_commit_callbacks, tmp_path
):
    message = SENDERS[kind](django_capture_on_commit_callbacks, tmp_path)
    assert_accessible_email(message)


def _email_templates() -> tuple[set[str], set[str]]:
    """The email templates on disk; a name starting with « _ » is a layout, not an email."""
    names = [p for p in EMAILS_DIR.iterdir() if p.is_file() and not p.name.startswith("_")]
    return (
        {p.stem for p in names if p.suffix == ".txt"},
        {p.stem for p in names if p.suffix == ".html"},
    )


def test_every_email_template_has_its_other_half_and_a_test():
    texts, htmls = _email_templates()
    assert texts, EMAILS_DIR
    assert not texts - htmls, f"sans partie HTML : {sorted(texts - htmls)}"
    assert not htmls - texts, f"sans partie texte : {sorted(htmls - texts)}"
    assert texts == set(SENDERS), f"email sans test : {sorted(texts - set(SENDERS))}"


def test_the_sweep_sees_a_missing_half(tmp_path, monkeypatch):
    """The sweep above can fail: a text part alone is reported."""
    (tmp_path / "lonely.txt").write_text("Bonjour,")
    (tmp_path / "_layout.html").write_text("<!doctype html>")
    monkeypatch.setattr(f"{__name__}.EMAILS_DIR", tmp_path)
    texts, htmls = _email_templates()
    assert texts == {"lonely"} and htmls == set()


def test_an_html_part_cannot_be_left_out(settings, tmp_path):
    """email_queue renders both halves: a template with only a text part is an error, not a
    text-only email."""
    from django.template import TemplateDoesNotExist

    from guichet.notifications.services import email_queue

    (tmp_path / "emails").mkdir()
    (tmp_path / "emails" / "lonely.txt").write_text("Bonjour,")
    settings.TEMPLATES = [
        {**settings.TEMPLATES[0], "DIRS": [tmp_path, *settings.TEMPLATES[0]["DIRS"]]}
    ]
    with pytest.raises(TemplateDoesNotExist):
        email_queue(to="a@exemple.fr", subject="Objet", template="emails/lonely", context={})
    assert not OutboundEmail.objects.exists()
