"""The « bank-change » persona's request waits for the back office, as docs/personas.md says;
seed_demo again puts it back (issue 18, rule SIT9)."""

import datetime as dt
import io

import pytest
import time_machine

from guichet.accounts.models import User
from guichet.cases import services as case_services
from guichet.cases.models import Case
from guichet.certificates import services as certificate_services
from guichet.certificates.enums import Channel, Outcome
from guichet.demo import services as demo_services
from guichet.demo.personas import persona
from guichet.reference.models import Person
from guichet.situation import demo, rules, services
from guichet.situation.models import BankDetailsChange, NewbornDeclaration, UsageNameChange
from tests.factories import AgentFactory

pytestmark = pytest.mark.django_db
SEEDED = dt.datetime(2026, 11, 23, 9, 30, tzinfo=dt.UTC)


def test_seed_gives_one_pending_request_past_its_cooling_off_and_is_idempotent(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    with time_machine.travel(SEEDED, tick=False):
        demo_services.demo_seed()
        demo.seed(io.StringIO())
        demo.seed(io.StringIO())
        change = BankDetailsChange.objects.get()
        person = Person.objects.get(nir=persona("bank-change").nir)
        assert change.person == person and change.status == "pending"
        assert change.iban == demo.NEW_IBAN != person.iban == change.previous_iban
        assert rules.holder_matches(person=person, holder_name=change.holder_name)
        assert change.rib and change.rib_content_type == "image/jpeg"
        assert rules.cooling_off_refusal(requested_at=change.requested_at, now=SEEDED) is None
        case = Case.objects.get(kind="bank_details_change")
        assert case.fund.code == "751" and case.status == "open"

        # A demo approves it; seed_demo puts the request back.
        agent = AgentFactory(back_office=True, fund=case.fund)
        case_services.case_claim(case_id=case.pk, agent=agent)
        services.bank_details_change_decide(change_id=change.pk, agent=agent, approve=True)
        demo_services.demo_seed()
        demo.seed(io.StringIO())
        again = BankDetailsChange.objects.get()
        assert again.status == "pending" and again.pk != change.pk
        assert Case.objects.get(kind="bank_details_change").status == "open"
        person.refresh_from_db()
        assert person.iban == change.previous_iban


def test_seed_gives_the_approved_usage_name_and_the_pending_newborn_declaration(settings):
    """SIT15: « name-changed » is offered a new card for her approved usage name; SIT20, A4:
    Gabriel's declaration waits in the CPAM de Paris's queue, the family's attestation refused."""

    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    with time_machine.travel(SEEDED, tick=False):
        demo_services.demo_seed()
        demo.seed(io.StringIO())
        demo.seed(io.StringIO())
        change = UsageNameChange.objects.get()
        assert (change.person.nir, change.status, change.usage_name) == (
            persona("name-changed").nir,
            "approved",
            "DUMAS",
        )
        declaration = NewbornDeclaration.objects.get()
        parent = Person.objects.get(nir=persona("newborn-provisional-nir").nir)
        assert (declaration.parent, declaration.status) == (parent, "pending")
        assert declaration.child.nir_status == "provisional"
        case = Case.objects.get(kind="newborn_declaration")
        assert (case.fund.code, case.status) == ("751", "open")
        user = User.objects.get(person=parent)
        issued = certificate_services.rights_certificate_issue(
            person=parent, user=user, channel=Channel.WEB, beneficiary_id=None, mentions=()
        )
        assert issued.outcome == Outcome.CANNOT_ISSUE


def test_two_parents_personas_walk_the_other_parent_registration_then_seed_restores(settings):
    """« two-parents » puts Léa on the card of « other-parent » with the details docs/personas.md
    gives (SIT22–SIT25); Léa then appears on his attestation (SIT29); seed_demo puts the
    families back apart, so the next demo can start again."""
    from guichet.certificates import selectors as certificate_selectors
    from guichet.reference.models import SecondParentAttachment
    from tests.cards.factories import pdf_bytes, upload

    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    with time_machine.travel(SEEDED, tick=False):
        demo_services.demo_seed()
        demo.seed(io.StringIO())
        mother = User.objects.get(person__nir=persona("two-parents").nir)
        father = Person.objects.get(nir=persona("other-parent").nir)
        lea = Person.objects.get(family=mother.person.family, first_names="Léa")

        def ask():
            return services.other_parent_registration_request(
                user=mother,
                child_id=lea.pk,
                nir=persona("other-parent").nir,
                last_name="Perrin",
                birth_date=dt.date(1987, 9, 3),
                proof=upload("livret.pdf", pdf_bytes(), "application/pdf"),
            )

        registration = ask()
        case = Case.objects.get(kind="other_parent_registration", subject_id=registration.pk)
        assert case.fund.code == "751"  # the queue of the agent « backoffice »
        agent = AgentFactory(back_office=True, fund=case.fund)
        case_services.case_claim(case_id=case.pk, agent=agent)
        services.other_parent_registration_decide(
            registration_id=registration.pk, agent=agent, approve=True
        )
        covered = certificate_selectors.covered_members(
            family_id=father.family_id, day=SEEDED.date()
        )
        assert [c.person for c in covered] == [father, lea]

        demo_services.demo_seed()
        demo.seed(io.StringIO())
        assert not SecondParentAttachment.objects.exists()
        assert ask().status == "pending"
