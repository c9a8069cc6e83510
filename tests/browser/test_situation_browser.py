"""« Déclarer un changement de situation » in a browser (rules SIT1–SIT10), audited by axe-core
at 1280 and 320 px: the NPAI person fixes the address then gets the attestation and starts a
card order; a new IBAN is asked with the code personnel, then approved by the back office."""

import datetime as dt

import pytest
from django.db.models import F
from stdnum.fr.nir import calc_check_digits

from guichet.core import clock
from guichet.situation.models import BankDetailsChange
from tests.browser.conftest import agent_sign_in, audit, claim_case, header, login
from tests.cards.factories import png_bytes
from tests.factories import AgentFactory, CardFactory, InsuredUserFactory, PersonFactory
from tests.situation.factories import NEW_IBAN

pytestmark = pytest.mark.django_db(transaction=True)


def _procedure(page, name):
    header(page).get_by_role("link", name="Mes démarches", exact=True).first.click()
    page.get_by_role("link", name=name).first.click()
    page.get_by_role("heading", name=name, level=1).wait_for()


def test_npai_fixes_the_address_then_gets_the_attestation_and_orders_a_card(page):
    user = InsuredUserFactory(person__npai=True)
    login(page, user.username)
    _procedure(page, "Changement d'adresse postale")
    page.get_by_text("Le courrier envoyé à votre adresse nous est revenu").wait_for()
    audit(page)

    # SIT1: a commune that the postal code does not serve, then corrected; typed text kept.
    page.get_by_label("Numéro et libellé de la voie").fill("3 rue d'Echallon")
    page.get_by_label("Code postal").fill("01100")
    page.get_by_label("Commune").fill("Lyon")
    page.get_by_role("button", name="Enregistrer mon adresse").click()
    page.get_by_text("La commune ne correspond pas au code postal 01100.").first.wait_for()
    audit(page)
    assert page.get_by_label("Numéro et libellé de la voie").input_value() == "3 rue d'Echallon"
    page.get_by_label("Commune").fill("Oyonnax")
    page.get_by_role("button", name="Enregistrer mon adresse").click()
    page.get_by_role("heading", name="Votre adresse est enregistrée").wait_for()
    audit(page)

    # SIT2: the attestation is issued at once with the new address (A4 no longer asks it).
    page.get_by_role("link", name="Télécharger mon attestation de droits").click()
    with page.context.expect_page() as opened:
        page.get_by_role("button", name="Valider").click()
    opened.value.close()
    page.get_by_text("s'est affichée dans une nouvelle fenêtre").wait_for()
    audit(page)

    # SIT2: the card order no longer refuses the person for NPAI (V4).
    _procedure(page, "Commander une carte Vitale")
    assert page.get_by_text("Le courrier envoyé à votre adresse nous est revenu").count() == 0
    page.get_by_role("radio").first.check(force=True)
    page.get_by_role("button", name="Continuer").click()
    page.get_by_label("Je transmets ma photo").wait_for()
    audit(page)


def test_a_new_iban_asked_with_the_code_then_approved_by_the_back_office(
    page, live_server, tmp_path
):
    user = InsuredUserFactory(person__last_name="GIRARD", person__first_names="Julie")
    rib = tmp_path / "rib.png"
    rib.write_bytes(png_bytes())
    login(page, user.username)
    _procedure(page, "Modifier mes coordonnées bancaires")
    audit(page)

    # SIT4: a wrong code personnel is refused on its field, the IBAN and holder kept.
    page.get_by_label("IBAN du nouveau compte").fill(
        "FR76 2004 1010 0505 0001 3026 052"
    )  # as on a RIB
    page.get_by_label("Titulaire du compte").fill("Mme Julie GIRARD")
    page.get_by_label("Relevé d'identité bancaire (RIB)").set_input_files(str(rib))
    page.get_by_label("Mon code personnel").fill("pas-le-bon-code")
    page.get_by_role("button", name="Envoyer ma demande").click()
    page.get_by_text("Le code personnel saisi est incorrect.").first.wait_for()
    audit(page)
    typed_iban = "FR76 2004 1010 0505 0001 3026 052"
    assert page.get_by_label("IBAN du nouveau compte").input_value() == typed_iban
    assert page.get_by_label("Titulaire du compte").input_value() == "Mme Julie GIRARD"

    page.get_by_label("Relevé d'identité bancaire (RIB)").set_input_files(str(rib))
    page.get_by_label("Mon code personnel").fill("Guichet-Demo-2026!")
    page.get_by_role("button", name="Envoyer ma demande").click()
    page.get_by_text("Votre demande est envoyée : votre caisse la vérifie.").wait_for()
    page.get_by_text("En cours de vérification", exact=True).wait_for()
    audit(page)
    user.person.refresh_from_db()
    assert user.person.iban != NEW_IBAN  # SIT9: the old IBAN until the check

    # SIT9: past the cooling-off, the back office of the fund checks the RIB and approves.
    BankDetailsChange.objects.update(requested_at=F("requested_at") - dt.timedelta(days=3))
    agent = AgentFactory(back_office=True, fund=user.person.family.fund)
    context = page.context.browser.new_context(
        base_url=live_server.url, locale="fr-FR", viewport=page.viewport_size
    )
    desk = context.new_page()
    agent_sign_in(desk, agent.username)
    desk.get_by_role("link", name="Back-office : affaires à traiter").click()
    audit(desk)
    desk.get_by_role("link", name="N° ").first.click()
    desk.get_by_role("img", name="RIB envoyé par l'assuré").wait_for()
    audit(desk)
    claim_case(desk)
    desk.get_by_role("radio", name="Coordonnées conformes : les valider").check(force=True)
    audit(desk)
    desk.get_by_role("button", name="Enregistrer la décision").click()
    desk.get_by_text("Le nouvel IBAN est enregistré ; l'assuré en est averti.").wait_for()
    audit(desk)
    context.close()

    user.person.refresh_from_db()
    assert user.person.iban == NEW_IBAN
    page.reload()
    page.get_by_text("Validée").first.wait_for()
    audit(page)


def test_the_front_desk_records_a_rib_for_a_person_without_bank_details(
    page, live_server, tmp_path
):
    """SIT11: the agent « accueil » records the RIB after checking the ID; another agent of the
    back office refuses a first time without reason (asked again), then approves."""
    person = PersonFactory(no_bank=True, last_name="GIRARD", first_names="Julie")
    CardFactory(person=person)
    rib = tmp_path / "rib.png"
    rib.write_bytes(png_bytes())
    desk = AgentFactory(fund=person.family.fund)
    agent_sign_in(page, desk.username)
    page.get_by_role("link", name="Accueil : fiche client et procuration").click()
    page.locator("#id_nir").fill(person.nir)
    page.locator("#id_reason").select_option("insured_at_desk")
    page.get_by_role("button", name="Consulter la fiche client").click()
    page.get_by_role("link", name="Enregistrer de nouvelles coordonnées bancaires").click()
    page.get_by_role("heading", name="Nouvelles coordonnées bancaires").wait_for()
    audit(page)
    page.get_by_label("IBAN du nouveau compte").fill(NEW_IBAN)
    page.get_by_label("Titulaire du compte").fill("Julie GIRARD")
    page.get_by_label("RIB numérisé").set_input_files(str(rib))
    page.get_by_role("button", name="Transmettre au back-office").click()
    page.get_by_text("Vérifiez la pièce d'identité de l'assuré").first.wait_for()
    audit(page)
    assert page.get_by_label("Titulaire du compte").input_value() == "Julie GIRARD"
    page.get_by_label("RIB numérisé").set_input_files(str(rib))
    page.get_by_label("J'ai vérifié la pièce d'identité de l'assuré et le RIB est à son nom").check(
        force=True
    )
    page.get_by_role("button", name="Transmettre au back-office").click()
    page.get_by_text(
        "Les nouvelles coordonnées bancaires sont transmises au back-office"
    ).wait_for()
    audit(page)

    BankDetailsChange.objects.update(requested_at=F("requested_at") - dt.timedelta(days=3))
    back_office = AgentFactory(back_office=True, fund=person.family.fund)
    context = page.context.browser.new_context(
        base_url=live_server.url, locale="fr-FR", viewport=page.viewport_size
    )
    office = context.new_page()
    agent_sign_in(office, back_office.username)
    office.get_by_role("link", name="Back-office : affaires à traiter").click()
    office.get_by_role("link", name="N° ").first.click()
    claim_case(office)
    office.get_by_role("radio", name="Refuser la demande").check(force=True)
    office.get_by_role("button", name="Enregistrer la décision").click()
    office.get_by_text("Indiquez le motif du refus : l'assuré le verra.").first.wait_for()
    audit(office)
    office.get_by_role("radio", name="Coordonnées conformes : les valider").check(force=True)
    office.get_by_role("button", name="Enregistrer la décision").click()
    office.get_by_text("Le nouvel IBAN est enregistré ; l'assuré en est averti.").wait_for()
    context.close()
    person.refresh_from_db()
    assert person.iban == NEW_IBAN


def test_a_usage_name_declared_then_approved_and_the_card_order_offers_the_change_of_name(
    page, live_server, tmp_path
):
    """SIT12–SIT15: a bad name refused with the proof kind kept, the request sent with its
    proof, approved by the back office, then « Commander une nouvelle carte Vitale » offers
    the order for the change of name (V2)."""
    user = InsuredUserFactory(person__last_name="GIRARD", person__first_names="Julie")
    CardFactory(person=user.person)
    proof = tmp_path / "acte.png"
    proof.write_bytes(png_bytes())
    login(page, user.username)
    _procedure(page, "Changement de nom d'usage")
    audit(page)

    page.get_by_label("Mon nouveau nom d'usage").fill("Martin2")
    page.get_by_label("Justificatif joint").select_option("marriage_certificate")
    page.get_by_label("Fichier du justificatif").set_input_files(str(proof))
    page.get_by_role("button", name="Envoyer ma demande").click()
    page.get_by_text("Ce champ contient un caractère qui n'est pas accepté").first.wait_for()
    audit(page)
    assert page.get_by_label("Mon nouveau nom d'usage").input_value() == "Martin2"
    assert page.get_by_label("Justificatif joint").input_value() == "marriage_certificate"

    page.get_by_label("Mon nouveau nom d'usage").fill("MARTIN")
    page.get_by_label("Fichier du justificatif").set_input_files(str(proof))
    page.get_by_role("button", name="Envoyer ma demande").click()
    page.get_by_text("Votre demande est envoyée : votre caisse vérifie le justificatif.").wait_for()
    page.get_by_text("En cours de vérification", exact=True).wait_for()
    audit(page)

    agent = AgentFactory(back_office=True, fund=user.person.family.fund)
    context = page.context.browser.new_context(
        base_url=live_server.url, locale="fr-FR", viewport=page.viewport_size
    )
    desk = context.new_page()
    agent_sign_in(desk, agent.username)
    desk.get_by_role("link", name="Back-office : affaires à traiter").click()
    desk.get_by_text("Changement de nom d'usage").first.wait_for()
    audit(desk)
    desk.get_by_role("link", name="N° ").first.click()
    desk.get_by_role("img", name="Justificatif envoyé par l'assuré").wait_for()
    claim_case(desk)
    desk.get_by_role("radio", name="Justificatif conforme : enregistrer le nom d'usage").check(
        force=True
    )
    audit(desk)
    desk.get_by_role("button", name="Enregistrer la décision").click()
    desk.get_by_text("Le nom d'usage est enregistré ; l'assuré en est averti.").wait_for()
    audit(desk)
    context.close()

    page.reload()
    page.get_by_text("Votre nom d'usage enregistré est MARTIN").wait_for()
    audit(page)
    page.get_by_role("link", name="Commander une nouvelle carte Vitale").click()
    page.get_by_text("Changement de nom ou de numéro de sécurité sociale").first.wait_for()
    audit(page)
    page.get_by_role("radio").first.check(force=True)
    page.get_by_role("button", name="Continuer").click()
    page.get_by_label("Je transmets ma photo").wait_for()


def test_a_newborn_declared_blocks_the_attestation_until_the_back_office_certifies_the_nir(
    page, live_server, tmp_path
):
    """SIT17–SIT20 and A4: a birth date in the future refused with the names kept; the child
    declared with the birth certificate; the family's attestation refused until an agent of
    the fund certifies the NIR from the certificate, then issued."""
    user = InsuredUserFactory(person__last_name="GIRARD", person__first_names="Julie")
    born = clock.today() - dt.timedelta(days=5)
    base = f"2{born.year % 100:02d}{born.month:02d}75056123"
    nir = base + calc_check_digits(base)
    certificate = tmp_path / "acte.png"
    certificate.write_bytes(png_bytes())
    login(page, user.username)
    _procedure(page, "Déclaration du nouveau-né")
    audit(page)

    page.get_by_label("Prénoms de l'enfant").fill("Léa")
    page.get_by_label("Sexe").select_option("female")
    tomorrow = clock.today() + dt.timedelta(days=1)
    page.get_by_label("Date de naissance").fill(f"{tomorrow:%d/%m/%Y}")
    page.locator("#id_birth_certificate").set_input_files(str(certificate))
    page.get_by_role("button", name="Déclarer mon enfant").click()
    page.get_by_text("La date de naissance ne peut pas être dans le futur.").first.wait_for()
    audit(page)
    assert page.get_by_label("Prénoms de l'enfant").input_value() == "Léa"
    assert page.get_by_label("Nom de l'enfant").input_value() == "GIRARD"
    page.get_by_label("Date de naissance").fill(f"{born:%d/%m/%Y}")
    page.locator("#id_birth_certificate").set_input_files(str(certificate))
    page.get_by_role("button", name="Déclarer mon enfant").click()
    page.get_by_text("Votre enfant est rattaché à votre famille. Votre caisse certifie").wait_for()
    page.get_by_text("NIR en cours de certification").wait_for()
    audit(page)

    _procedure(page, "Attestation de droits")
    page.get_by_role("button", name="Valider").click()
    page.get_by_text("les informations vous concernant doivent être mises à jour").wait_for()
    audit(page)

    agent = AgentFactory(back_office=True, fund=user.person.family.fund)
    context = page.context.browser.new_context(
        base_url=live_server.url, locale="fr-FR", viewport=page.viewport_size
    )
    desk = context.new_page()
    agent_sign_in(desk, agent.username)
    desk.get_by_role("link", name="Back-office : affaires à traiter").click()
    desk.get_by_role("link", name="N° ").first.click()
    desk.get_by_role("img", name="Acte de naissance envoyé par l'assuré").wait_for()
    claim_case(desk)
    desk.get_by_role("radio", name="Acte de naissance conforme : certifier le NIR").check(
        force=True
    )
    desk.get_by_label("Numéro de sécurité sociale de l'enfant (Insee)").fill(nir)
    audit(desk)
    desk.get_by_role("button", name="Enregistrer la décision").click()
    desk.get_by_text("Le NIR de l'enfant est certifié ; l'assuré en est averti.").wait_for()
    audit(desk)
    context.close()

    _procedure(page, "Attestation de droits")
    with page.context.expect_page() as opened:
        page.get_by_role("button", name="Valider").click()
    opened.value.close()
    page.get_by_text("s'est affichée dans une nouvelle fenêtre").wait_for()
    audit(page)


def test_a_child_registered_on_the_other_parents_card_checked_by_the_other_fund(
    page, live_server, tmp_path
):
    """SIT22–SIT25: the other parent not found (the names kept), then found; the other
    parent's fund, not the requester's, attaches the child; axe at each step."""
    from guichet.reference.models import SecondParentAttachment
    from tests.situation.factories import child_hugo, father_paul

    user = InsuredUserFactory(person__last_name="GIRARD", person__first_names="Julie")
    child = child_hugo(user, birth_date=clock.today() - dt.timedelta(days=6 * 365))
    father = father_paul()
    proof = tmp_path / "livret.png"
    proof.write_bytes(png_bytes())
    login(page, user.username)
    _procedure(page, "Inscrire votre enfant sur la carte Vitale de l'autre parent")
    audit(page)

    page.get_by_label("Enfant à inscrire").select_option(str(child.pk))
    page.get_by_label("Numéro de sécurité sociale de l'autre parent").fill(father.nir)
    page.get_by_label("Nom de l'autre parent").fill("DURAND")
    page.get_by_label("Date de naissance de l'autre parent").fill("02/11/1982")
    page.locator("#id_proof").set_input_files(str(proof))
    page.get_by_role("button", name="Envoyer ma demande").click()
    page.get_by_text("Nous ne trouvons pas d'assuré").first.wait_for()
    audit(page)
    assert page.get_by_label("Nom de l'autre parent").input_value() == "DURAND"
    page.get_by_label("Nom de l'autre parent").fill("Moreau")
    page.locator("#id_proof").set_input_files(str(proof))
    page.get_by_role("button", name="Envoyer ma demande").click()
    page.get_by_text("la caisse de l'autre parent vérifie le justificatif").wait_for()
    page.get_by_text("En cours de vérification").wait_for()
    audit(page)

    agent = AgentFactory(back_office=True, fund=father.family.fund)
    context = page.context.browser.new_context(
        base_url=live_server.url, locale="fr-FR", viewport=page.viewport_size
    )
    desk = context.new_page()
    agent_sign_in(desk, agent.username)
    desk.get_by_role("link", name="Back-office : affaires à traiter").click()
    desk.get_by_role("link", name="N° ").first.click()
    desk.get_by_role("img", name="Justificatif envoyé par le parent demandeur").wait_for()
    claim_case(desk)
    # The label, as a person taps it (at 320 px it wraps over two lines).
    desk.get_by_text("Acte conforme : inscrire l'enfant sur la carte de l'autre parent").click()
    assert desk.locator("#decision-approve").is_checked()
    audit(desk)
    desk.get_by_role("button", name="Enregistrer la décision").click()
    desk.get_by_text("L'enfant est inscrit sur la carte Vitale de l'autre parent").wait_for()
    audit(desk)
    context.close()
    assert SecondParentAttachment.objects.get().parent == father

    page.reload()
    page.get_by_text("Enfant inscrit").wait_for()
    audit(page)

    # SIT29: the other parent's account now shows Hugo, without the other household's address.
    InsuredUserFactory(person=father)
    context = page.context.browser.new_context(
        base_url=live_server.url, locale="fr-FR", viewport=page.viewport_size
    )
    other = context.new_page()
    login(other, father.nir)
    header(other).get_by_role("link", name="Mes informations").first.click()
    other.get_by_role("navigation", name="Bénéficiaires de la famille").get_by_role(
        "link", name="Hugo"
    ).click()
    other.get_by_role("heading", name="Hugo GIRARD", level=2).wait_for()
    assert (
        "Hugo est inscrit sur votre carte Vitale depuis le"
        in other.locator("#second-parent").inner_text()
    )
    assert user.person.address_line1 not in other.content()
    audit(other)
    context.close()


def test_a_pending_request_withdrawn_online_then_its_case_is_closed(page, tmp_path):
    """SIT27: « Annuler ma demande » asks for confirmation (« Retour » keeps it), then
    withdraws the usage-name change; its case leaves the back office's queue."""
    from guichet.cases.models import Case
    from tests.situation.factories import usage_name_change_for

    user = InsuredUserFactory(person__last_name="GIRARD", person__first_names="Julie")
    change = usage_name_change_for(user)
    login(page, user.username)
    _procedure(page, "Changement de nom d'usage")
    page.get_by_role("link", name="Annuler ma demande").click()
    page.get_by_role("heading", name="Annuler ma demande", level=1).wait_for()
    audit(page)
    page.get_by_role("link", name="Retour").click()
    page.get_by_text("Demande en cours").wait_for()
    page.get_by_role("link", name="Annuler ma demande").click()
    page.get_by_role("button", name="Annuler ma demande").click()
    page.get_by_text("Votre demande est annulée : votre caisse ne la traitera pas.").wait_for()
    page.get_by_text("Annulée à votre demande").wait_for()
    audit(page)
    change.refresh_from_db()
    assert change.status == "withdrawn"
    assert Case.objects.get(subject_id=change.pk, kind="usage_name_change").status == "closed"
