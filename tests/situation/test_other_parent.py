"""« Inscrire votre enfant sur la carte Vitale de l'autre parent » (rules SIT22–SIT26;
docs/decisions/situation-other-parent.md): a child under 16 attached to the other parent's
family too, the other parent found in the records by NIR, name and birth date, the back office
of the other parent's fund checking the proof."""

import datetime as dt

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.urls import reverse

from guichet.cards.uploads import UploadRejected
from guichet.cases import services as case_services
from guichet.cases.enums import CaseKind, CaseStatus
from guichet.cases.models import Case
from guichet.core.refusals import Refused
from guichet.notifications.models import Notification, OutboundEmail
from guichet.reference.enums import Relationship
from guichet.reference.models import SecondParentAttachment
from guichet.situation import rules, services
from guichet.situation.enums import OtherParentRegistrationStatus
from guichet.situation.models import OtherParentRegistration
from tests.api.conftest import ApiClient, obtain_tokens
from tests.cards.factories import pdf_bytes, upload
from tests.factories import (
    DEFAULT_PASSWORD,
    AgentFactory,
    InsuredUserFactory,
    PersonFactory,
    agent_login,
)
from tests.situation.factories import child_hugo, father_paul

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen")]
TODAY = dt.datetime(2026, 3, 10, 10, 0, tzinfo=dt.UTC)
URL = "/mes-demarches/carte-autre-parent/"


@pytest.fixture
def frozen():
    with time_machine.travel(TODAY, tick=False):
        yield


@pytest.fixture
def mother():
    return InsuredUserFactory(person__last_name="GIRARD", person__first_names="Julie")


@pytest.fixture
def child(mother):
    return child_hugo(mother)


@pytest.fixture
def father():
    """The other parent: an insured of another fund, with an online account."""
    return InsuredUserFactory(person=father_paul())


def _proof():
    return upload("livret.pdf", pdf_bytes(), "application/pdf")


def _ask(user, child, father, **overrides):
    values = {
        "child_id": child.pk,
        "nir": father.person.nir,
        "last_name": father.person.last_name,
        "birth_date": father.person.birth_date,
        "proof": _proof(),
        **overrides,
    }
    return services.other_parent_registration_request(user=user, **values)


@pytest.fixture
def agent(father):
    return AgentFactory(back_office=True, fund=father.person.family.fund)


def _held(registration, agent):
    case = Case.objects.get(subject_id=registration.pk, kind=CaseKind.OTHER_PARENT_REGISTRATION)
    case_services.case_claim(case_id=case.pk, agent=agent)
    return case


def test_sit23_sit25_a_request_opens_a_case_at_the_other_parents_fund(mother, child, father):
    registration = _ask(mother, child, father, nir=" " + father.person.nir, last_name="moreau")
    assert (registration.child, registration.other_parent, registration.status) == (
        child,
        father.person,
        OtherParentRegistrationStatus.PENDING,
    )
    assert registration.proof.name.startswith("situation/other-parent/")
    case = Case.objects.get(subject_id=registration.pk, kind=CaseKind.OTHER_PARENT_REGISTRATION)
    assert (case.fund, case.insured, case.status) == (
        father.person.family.fund,
        father.person,
        CaseStatus.OPEN,
    )
    assert [(t.from_status, t.to_status) for t in registration.transitions.all()] == [
        ("", "pending")
    ]
    assert not SecondParentAttachment.objects.exists()


def test_sit23_the_usage_name_matches_too(mother, child, father):
    father.person.usage_name = "MOREAU-LEBLANC"
    father.person.save()
    assert _ask(mother, child, father, last_name="Moreau Leblanc").status == "pending"


@pytest.mark.parametrize(
    "overrides",
    [
        {"last_name": "DURAND"},
        {"birth_date": dt.date(1982, 11, 3)},
        {"nir": "184057511101104"[:13] + "93"},
    ],
    ids=["other-name", "other-birth-date", "unknown-nir"],
)
def test_sit23_no_match_gets_one_message_whatever_did_not_match(mother, child, father, overrides):
    if "nir" in overrides:
        from stdnum.fr.nir import calc_check_digits

        base = "1821175056999"
        overrides = {"nir": base + calc_check_digits(base)}
    with pytest.raises(Refused) as refused:
        _ask(mother, child, father, **overrides)
    assert refused.value.refusal == rules.OTHER_PARENT_NOT_FOUND
    assert "Nous ne trouvons pas d'assuré" in refused.value.message
    assert not OtherParentRegistration.objects.exists() and not Case.objects.exists()


def test_sit23_a_dependant_is_not_an_insured_opening_rights(mother, child, father):
    other_child = PersonFactory(
        family=father.person.family, dependant=True, birth_date=dt.date(1990, 1, 1)
    )
    from tests.factories import _nir_for

    other_child.nir = _nir_for(other_child)
    other_child.save()
    with pytest.raises(Refused) as refused:
        _ask(
            mother,
            child,
            father,
            nir=other_child.nir,
            last_name=other_child.last_name,
            birth_date=other_child.birth_date,
        )
    assert refused.value.refusal == rules.OTHER_PARENT_NOT_FOUND


@pytest.mark.parametrize(
    ("overrides", "field", "start"),
    [
        ({"nir": ""}, "nir", "Saisissez le numéro de sécurité sociale"),
        ({"nir": "284057511101199"}, "nir", ""),
        ({"last_name": ""}, "last_name", "Saisissez le nom de l'autre parent."),
        ({"last_name": "MOREAU!"}, "last_name", ""),
        ({"birth_date": None}, "birth_date", "Saisissez la date de naissance"),
    ],
)
def test_sit23_bad_input_is_answered_on_its_field(mother, child, father, overrides, field, start):
    with pytest.raises(ValidationError) as invalid:
        _ask(mother, child, father, **overrides)
    messages = invalid.value.message_dict[field]
    assert messages and messages[0].startswith(start)


def test_sit23_not_oneself_nor_a_member_of_the_family(mother, child, father):
    with pytest.raises(Refused) as refused:
        _ask(
            mother,
            child,
            father,
            nir=mother.person.nir,
            last_name=mother.person.last_name,
            birth_date=mother.person.birth_date,
        )
    assert refused.value.refusal == rules.OTHER_PARENT_IS_YOU
    father.person.family = mother.person.family
    father.person.role = "dependant"
    father.person.relationship = Relationship.SPOUSE
    father.person.save()
    with pytest.raises(Refused) as refused:
        _ask(mother, child, father)
    # a dependant spouse does not open rights: not an insured the child can be attached to
    assert refused.value.refusal == rules.OTHER_PARENT_NOT_FOUND


def test_sit23_the_other_parent_needs_open_rights(mother, child, father):
    father.person.rights_periods.update(end_date=dt.date(2025, 12, 31))
    with pytest.raises(Refused) as refused:
        _ask(mother, child, father)
    assert refused.value.refusal == rules.OTHER_PARENT_NO_RIGHTS


def test_sit22_only_a_child_of_ones_family_under_16_with_a_certified_nir(mother, child, father):
    stranger = PersonFactory(dependant=True, birth_date=dt.date(2019, 1, 1))
    for child_id in (stranger.pk, None, mother.person.pk):
        with pytest.raises(Refused) as refused:
            _ask(mother, child, father, child_id=child_id)
        assert refused.value.refusal == rules.CHILD_NOT_FOUND
    child.birth_date = dt.date(2010, 3, 10)  # 16 today
    child.save()
    with pytest.raises(Refused) as refused:
        _ask(mother, child, father)
    assert refused.value.refusal == rules.CHILD_TOO_OLD
    child.birth_date = dt.date(2010, 3, 11)  # 15 until tomorrow
    child.nir_status = "provisional"
    child.save()
    with pytest.raises(Refused) as refused:
        _ask(mother, child, father)
    assert refused.value.refusal == rules.CHILD_NIR_NOT_CERTIFIED


def test_sit22_a_dependant_child_cannot_ask(mother, child, father):
    teen = InsuredUserFactory(
        person=PersonFactory(family=mother.person.family, role="dependant", relationship="child")
    )
    with pytest.raises(Refused) as refused:
        _ask(teen, child, father)
    assert refused.value.refusal == rules.NOT_A_PARENT


def test_sit22_one_pending_request_per_child_then_attached_once(mother, child, father, agent):
    registration = _ask(mother, child, father)
    with pytest.raises(Refused) as refused:
        _ask(mother, child, father)
    assert refused.value.refusal == rules.OTHER_PARENT_PENDING
    _held(registration, agent)
    services.other_parent_registration_decide(
        registration_id=registration.pk, agent=agent, approve=True
    )
    with pytest.raises(Refused) as refused:
        _ask(mother, child, father)
    assert refused.value.refusal == rules.CHILD_ALREADY_ATTACHED


def test_sit24_the_proof_is_a_pdf_jpeg_or_png(mother, child, father):
    with pytest.raises(UploadRejected):
        _ask(mother, child, father, proof=upload("a.gif", b"GIF89a....", "image/gif"))
    assert not OtherParentRegistration.objects.exists()


def test_sit25_approval_attaches_the_child_to_both_families(mother, child, father, agent):
    registration = _ask(mother, child, father)
    case = _held(registration, agent)
    OutboundEmail.objects.all().delete()
    decided = services.other_parent_registration_decide(
        registration_id=registration.pk, agent=agent, approve=True
    )
    attachment = SecondParentAttachment.objects.get()
    assert (attachment.child, attachment.family, attachment.parent) == (
        child,
        father.person.family,
        father.person,
    )
    child.refresh_from_db()
    assert child.family == mother.person.family  # still a member of their own family
    case.refresh_from_db()
    assert (decided.status, decided.decided_by, case.status) == ("approved", agent, "closed")
    # SIT26: both parents told, no NIR in any email
    assert {e.to for e in OutboundEmail.objects.all()} == {mother.email, father.email}
    assert all(child.nir not in e.body_text for e in OutboundEmail.objects.all())
    assert Notification.objects.filter(recipient=father).count() == 1


def test_sit25_a_refusal_needs_a_reason_and_deletes_the_proof(mother, child, father, agent):
    registration = _ask(mother, child, father)
    _held(registration, agent)
    with pytest.raises(Refused) as refused:
        services.other_parent_registration_decide(
            registration_id=registration.pk, agent=agent, approve=False, reason="  "
        )
    assert refused.value.refusal == rules.REASON_REQUIRED
    with pytest.raises(Refused) as refused:
        case_services.case_close(
            case_id=Case.objects.get(
                subject_id=registration.pk, kind="other_parent_registration"
            ).pk,
            agent=agent,
        )
    assert refused.value.refusal == rules.OTHER_PARENT_DECIDE_FIRST
    decided = services.other_parent_registration_decide(
        registration_id=registration.pk,
        agent=agent,
        approve=False,
        reason="Le livret de famille ne nomme pas M. MOREAU.",
    )
    decided.refresh_from_db()
    assert (decided.status, decided.proof.name) == ("rejected", "")
    assert not SecondParentAttachment.objects.exists()
    email = OutboundEmail.objects.filter(to=mother.email).latest("id")
    assert "ne nomme pas M. MOREAU" in email.body_text


def test_sit25_only_the_other_parents_fund_decides(mother, child, father):
    registration = _ask(mother, child, father)
    mothers_agent = AgentFactory(back_office=True, fund=mother.person.family.fund)
    with pytest.raises(OtherParentRegistration.DoesNotExist):
        services.other_parent_registration_decide(
            registration_id=registration.pk, agent=mothers_agent, approve=True
        )
    assert not SecondParentAttachment.objects.exists()


def test_sit26_the_parent_is_told_when_asking(mother, child, father):
    _ask(mother, child, father)
    [email] = OutboundEmail.objects.filter(to=mother.email)
    assert "Hugo GIRARD" in email.body_text and "Paul MOREAU" in email.body_text
    assert father.person.nir not in email.body_text
    assert not OutboundEmail.objects.filter(to=father.email).exists()


# The pages: the parent's form and the other fund's agent.


def _login(client, user):
    response = client.post("/connexion/", {"nir": user.username, "code": DEFAULT_PASSWORD})
    assert response.status_code == 302
    return client


def _form(child, father, **overrides):
    return {
        "child": str(child.pk),
        "nir": father.person.nir,
        "last_name": father.person.last_name,
        "birth_date": father.person.birth_date.strftime("%d/%m/%Y"),
        "proof": _proof(),
        **overrides,
    }


def test_every_mistake_is_told_at_once_and_what_was_typed_is_kept(client, mother, child, father):
    """A NIR with a wrong key and an impossible date: both messages in one answer (G1)."""
    wrong_key = father.person.nir[:13] + f"{(int(father.person.nir[13:]) % 97) + 1:02d}"
    page = (
        _login(client, mother)
        .post(URL, _form(child, father, nir=wrong_key, birth_date="31/02/1982"))
        .content.decode()
    )
    assert "vérifiez les chiffres et la clé" in page
    assert "Saisissez une date au format JJ/MM/AAAA" in page
    assert 'value="MOREAU"' in page
    assert not OtherParentRegistration.objects.exists()


def test_g3_the_demarche_is_in_mes_demarches(client, mother, child):
    page = _login(client, mother).get(reverse("web:procedures")).content.decode()
    assert "Inscrire votre enfant sur la carte Vitale de l&#x27;autre parent" in page
    page = client.get(URL).content.decode()
    assert f'<option value="{child.pk}">Hugo GIRARD</option>' in page


def test_not_found_is_answered_with_what_was_typed_kept(client, mother, child, father):
    page = (
        _login(client, mother).post(URL, _form(child, father, last_name="DURAND")).content.decode()
    )
    assert "Nous ne trouvons pas d&#x27;assuré" in page
    assert 'value="DURAND"' in page and f'value="{father.person.nir}"' in page
    assert f'<option value="{child.pk}" selected>' in page


def test_a_bad_date_is_answered_on_its_field(client, mother, child, father):
    page = (
        _login(client, mother)
        .post(URL, _form(child, father, birth_date="31/02/1982"))
        .content.decode()
    )
    assert "Saisissez une date au format JJ/MM/AAAA" in page and 'value="31/02/1982"' in page


def test_the_request_is_sent_then_listed_then_decided_by_the_other_fund(
    client, mother, child, father, agent
):
    response = _login(client, mother).post(URL, _form(child, father))
    assert response.status_code == 302
    page = client.get(URL).content.decode()
    assert "la caisse de l&#x27;autre parent vérifie le justificatif" in page
    assert "En cours de vérification" in page and "Annuler ma demande" in page
    registration = OtherParentRegistration.objects.get()
    case = Case.objects.get(subject_id=registration.pk, kind="other_parent_registration")
    client.logout()
    agent_login(client, agent).post(reverse("agents:case_claim", args=[case.pk]))
    page = client.get(reverse("agents:case_detail", args=[case.pk])).content.decode()
    assert "Hugo GIRARD" in page and "Paul MOREAU" in page
    proof = client.get(reverse("agents:other_parent_proof", args=[case.pk]))
    assert proof.status_code == 200 and proof["Cache-Control"] == "private, no-store"
    refused = client.post(
        reverse("agents:other_parent_decide", args=[case.pk]), {"decision": "reject"}
    )
    assert "Indiquez le motif du refus" in refused.content.decode()
    response = client.post(
        reverse("agents:other_parent_decide", args=[case.pk]), {"decision": "approve"}
    )
    assert response.url == reverse("agents:case_detail", args=[case.pk])
    assert SecondParentAttachment.objects.get().child == child


def test_another_funds_agent_gets_404(client, mother, child, father):
    registration = _ask(mother, child, father)
    case = Case.objects.get(subject_id=registration.pk, kind="other_parent_registration")
    other = AgentFactory(back_office=True, fund=mother.person.family.fund)
    agent_login(client, other)
    assert client.get(reverse("agents:other_parent_proof", args=[case.pk])).status_code == 404
    decide = reverse("agents:other_parent_decide", args=[case.pk])
    assert client.post(decide, {"decision": "approve"}).status_code == 404
    assert not SecondParentAttachment.objects.exists()


# The API: the same service and messages.


@pytest.mark.urls("config.urls")
def test_api_lists_children_then_asks(client, mother, child, father):
    api = ApiClient(client, obtain_tokens(client, mother)["access_token"])
    body = api.get("/situation/other-parent").json()
    assert body["children"][0]["id"] == child.pk and body["registrations"] == []
    data = {
        "child_id": child.pk,
        "nir": father.person.nir,
        "last_name": "DURAND",
        "birth_date": "1982-11-02",
        "proof": _proof(),
    }
    response = api.post_multipart("/situation/other-parent", data)
    assert response.status_code == 409 and response.json()["code"] == "other_parent_not_found"
    response = api.post_multipart(
        "/situation/other-parent", {**data, "last_name": "MOREAU", "proof": _proof()}
    )
    assert response.status_code == 201, response.content
    assert response.json()["other_parent"] == "Paul MOREAU"
    assert api.get("/situation/other-parent").json()["registrations"][0]["status"] == "pending"


# SIT29: once attached, the child is a beneficiary of both families for what they read.


@pytest.fixture
def attached(mother, child, father, agent):
    registration = _ask(mother, child, father)
    _held(registration, agent)
    services.other_parent_registration_decide(
        registration_id=registration.pk, agent=agent, approve=True
    )
    return child


def _information(client, user, person=None):
    url = reverse("web:information") + (f"?beneficiaire={person.pk}" if person else "")
    return client.get(url)


def test_sit29_the_other_parents_information_shows_the_child(client, attached, father, mother):
    _login(client, father)
    page = _information(client, father).content.decode()
    assert f"?beneficiaire={attached.pk}" in page  # in the beneficiaries' switch
    response = _information(client, father, attached)
    assert response.status_code == 200
    page = response.content.decode()
    assert "Hugo GIRARD" in page and 'id="second-parent"' in page
    assert "Hugo est inscrit sur votre carte Vitale depuis le 10/03/2026" in page
    # the other household's address is never shown
    assert mother.person.address_line1 and mother.person.address_line1 not in page
    assert 'id="complementary-request"' not in page and "complementary_choose" not in page


def test_sit29_the_family_of_record_sees_the_second_card(client, attached, mother):
    _login(client, mother)
    page = _information(client, mother, attached).content.decode()
    assert "Hugo est inscrit aussi sur la carte Vitale de son autre parent, Paul MOREAU" in page


def test_sit29_nothing_before_approval_nor_for_anyone_else(client, mother, child, father, agent):
    registration = _ask(mother, child, father)
    _login(client, father)
    assert _information(client, father, child).status_code == 404
    _held(registration, agent)
    services.other_parent_registration_decide(
        registration_id=registration.pk, agent=agent, approve=False, reason="Acte illisible."
    )
    assert _information(client, father, child).status_code == 404
    stranger = InsuredUserFactory()
    client.logout()
    _login(client, stranger)
    assert _information(client, stranger, child).status_code == 404


def test_sit29_the_other_parents_attestation_names_the_child(attached, father):
    from guichet.certificates import services as certificate_services
    from guichet.certificates.enums import Channel, Outcome

    def issue(beneficiary_id):
        return certificate_services.rights_certificate_issue(
            person=father.person,
            user=father,
            channel=Channel.WEB,
            beneficiary_id=beneficiary_id,
            mentions=(),
        )

    family = issue(None)
    assert family.outcome == Outcome.ISSUED
    names = [b["name"] for b in family.issuance.data["beneficiaries"]]
    assert names == ["Paul MOREAU", "Hugo GIRARD"]
    alone = issue(attached.pk)
    assert [b["name"] for b in alone.issuance.data["beneficiaries"]] == ["Hugo GIRARD"]
    assert alone.issuance.beneficiary == attached


def test_sit29_one_statement_for_the_members_whatever_the_attachments(
    client, mother, child, father, agent
):
    """The switch of « Mes informations » reads the family and the attached children in the
    same statement: the other parent's page costs the same before and after the attachment."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    _login(client, father)
    _information(client, father)
    with CaptureQueriesContext(connection) as before:
        _information(client, father)
    registration = _ask(mother, child, father)
    _held(registration, agent)
    services.other_parent_registration_decide(
        registration_id=registration.pk, agent=agent, approve=True
    )
    with CaptureQueriesContext(connection) as after:
        page = _information(client, father).content.decode()
    assert f"?beneficiaire={child.pk}" in page
    assert len(after) == len(before)


@pytest.mark.urls("config.urls")
def test_sit29_api_family_file_and_attestation(client, attached, father, mother):
    api = ApiClient(client, obtain_tokens(client, father)["access_token"])
    members = api.get("/family").json()["members"]
    assert [m["id"] for m in members] == [father.person.pk, attached.pk]
    file = api.get(f"/family/{attached.pk}").json()
    assert file["address"] is None
    assert file["second_parent"]["attached_to_this_account"] is True
    assert file["second_parent"]["since"] == "2026-03-10"
    response = api.post("/documents/rights", {"beneficiary_id": attached.pk, "mentions": []})
    assert response.status_code == 201, response.content
    # a démarche of the child stays with the family of record: not the payments filter here
    assert api.get("/payments", beneficiary_id=attached.pk).status_code == 404
    own = ApiClient(client, obtain_tokens(client, mother)["access_token"])
    file = own.get(f"/family/{attached.pk}").json()
    assert file["address"] is not None
    assert file["second_parent"]["attached_to_this_account"] is False


def test_sit25_a_replayed_decision_changes_nothing(client, attached, agent):
    """The decision form posted again (a second tab, a replayed request) once the child is
    attached: refused with its message, the attachment kept, no second email."""
    registration = OtherParentRegistration.objects.get()
    case = Case.objects.get(subject_id=registration.pk, kind=CaseKind.OTHER_PARENT_REGISTRATION)
    sent = OutboundEmail.objects.count()
    with pytest.raises(Refused) as refused:
        services.other_parent_registration_decide(
            registration_id=registration.pk, agent=agent, approve=False, reason="Rejoué."
        )
    assert refused.value.refusal == rules.CASE_CLOSED
    agent_login(client, agent)
    page = client.post(
        reverse("agents:other_parent_decide", args=[case.pk]),
        {"decision": "reject", "reason": "Rejoué."},
    ).content.decode()
    assert rules.CASE_CLOSED.message.replace("'", "&#x27;") in page
    registration.refresh_from_db()
    assert registration.status == OtherParentRegistrationStatus.APPROVED
    assert SecondParentAttachment.objects.filter(child=attached).exists()
    assert OutboundEmail.objects.count() == sent
