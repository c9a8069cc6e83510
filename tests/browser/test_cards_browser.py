"""Issue 7 in the browser: declaration, order with real image files, refusals, exclusions,
back-office review, the maker's files and the tracking page (rules V1-V6); every page audited."""

import datetime as dt

import pytest
from django.core.management import call_command
from django.db.models import F

from guichet.cards.models import CardOrder
from guichet.core.clock import PARIS
from guichet.reference.enums import CardStatus
from tests.browser.conftest import agent_sign_in, audit, login
from tests.cards.factories import jpeg_bytes, pdf_bytes
from tests.factories import (
    AgentFactory,
    CardFactory,
    InsuredUserFactory,
    PersonFactory,
    SchemeFactory,
)

pytestmark = pytest.mark.django_db(transaction=True)


def files(tmp_path):
    paths = {
        "photo": tmp_path / "photo.jpg",
        "fake": tmp_path / "fausse.jpg",
        "small": tmp_path / "petite.jpg",
        "cni": tmp_path / "cni.pdf",
    }
    paths["photo"].write_bytes(jpeg_bytes(600, 800, gps=True))
    paths["fake"].write_text("ceci n'est pas une image")
    paths["small"].write_bytes(jpeg_bytes(100, 100))
    paths["cni"].write_bytes(pdf_bytes())
    return paths


def ordered_yesterday(order):
    """V6: tracking shows from the day after the order (the session would not survive a jump)."""
    CardOrder.objects.filter(pk=order.pk).update(
        submitted_at=F("submitted_at") - dt.timedelta(days=1)
    )


def upload_photo_and_document(page, f, *, document_type="passport", document="cni"):
    """Steps 2 and 3 of V3 without mistakes, ending on step 4."""
    page.get_by_label("Je transmets ma photo").set_input_files(str(f["photo"]))
    page.get_by_role("button", name="Envoyer la photo").click()
    page.get_by_role("link", name="Continuer").click()
    page.get_by_label("Type de pièce d'identité").select_option(document_type)
    page.get_by_label("Fichier de la pièce d'identité").set_input_files(str(f[document]))
    page.get_by_role("button", name="Envoyer la pièce d'identité").click()
    page.get_by_role("link", name="Continuer").wait_for()  # « Continuer » active only now
    audit(page)
    page.get_by_role("link", name="Continuer").click()


def agent_login(page, live_server):
    """A back-office agent in a browser context of their own."""
    agent = AgentFactory(back_office=True)
    context = page.context.browser.new_context(
        base_url=live_server.url, locale="fr-FR", viewport=page.viewport_size
    )
    agent_page = context.new_page()
    agent_sign_in(agent_page, agent.username)
    agent_page.get_by_role("heading", name="Espace agent").wait_for()
    return agent_page


def test_declare_order_review_produce_and_track(page, tmp_path, live_server):
    user = InsuredUserFactory()
    CardFactory(person=user.person)
    f = files(tmp_path)
    login(page, user.username)

    page.goto("/mes-demarches/")
    page.get_by_role("link", name="Commander une carte Vitale").click()
    page.get_by_text("Déclarez d'abord sa perte").wait_for()  # V4: declaration needed
    audit(page)

    page.goto("/mes-demarches/")
    page.get_by_role("link", name="Déclarer la perte ou le vol de carte Vitale").click()
    audit(page)
    page.get_by_role("button", name="Déclarer").click()
    page.get_by_text("Choisissez la carte Vitale concernée.").first.wait_for()
    audit(page)
    page.get_by_label(user.person.first_names.split()[0], exact=False).check(force=True)
    page.get_by_role("radio", name="Vol").check(force=True)
    page.get_by_role("button", name="Déclarer").click()
    page.get_by_role("heading", name="Déclaration enregistrée").wait_for()
    audit(page)
    page.get_by_role("link", name="Commander une nouvelle carte Vitale").click()

    page.get_by_text("Étape 1 sur 5").wait_for()
    audit(page)
    page.get_by_role("button", name="Continuer").click()
    page.get_by_text("Étape 2 sur 5").wait_for()
    page.get_by_role("heading", name="Conditions de conformité de la photo d'identité").wait_for()
    assert page.get_by_role("button", name="Continuer").is_disabled()
    audit(page)

    page.get_by_role("button", name="Envoyer la photo").click()  # no file
    page.get_by_text("Choisissez le fichier de votre photo d'identité.").first.wait_for()
    audit(page)
    page.get_by_label("Je transmets ma photo").set_input_files(str(f["fake"]))
    page.get_by_role("button", name="Envoyer la photo").click()
    page.get_by_text("le contenu du fichier ne correspond pas").first.wait_for()
    page.get_by_label("Je transmets ma photo").set_input_files(str(f["small"]))
    page.get_by_role("button", name="Envoyer la photo").click()
    page.get_by_text("L'image est trop petite").first.wait_for()
    audit(page)
    page.get_by_label("Je transmets ma photo").set_input_files(str(f["photo"]))
    page.get_by_role("button", name="Envoyer la photo").click()
    page.get_by_role("img", name="Aperçu de la photo d'identité envoyée").wait_for()
    audit(page)
    page.get_by_role("link", name="Continuer").click()

    page.get_by_text("Étape 3 sur 5").wait_for()
    assert page.get_by_role("button", name="Continuer").is_disabled()
    page.get_by_label("Fichier de la pièce d'identité").set_input_files(str(f["cni"]))
    page.get_by_role("button", name="Envoyer la pièce d'identité").click()
    page.get_by_text("Choisissez le type de votre pièce d'identité.").first.wait_for()
    audit(page)
    # The file was kept: only the type is missing now.
    page.get_by_role("link", name="Télécharger le PDF envoyé").wait_for()
    page.get_by_label("Type de pièce d'identité").select_option("passport")
    page.get_by_role("button", name="Envoyer la pièce d'identité").click()
    page.get_by_role("link", name="Continuer").click()

    page.get_by_text("Étape 4 sur 5").wait_for()
    audit(page)
    page.get_by_role("button", name="Valider").click()
    page.get_by_text("Votre demande de carte Vitale est bien prise en compte.").wait_for()
    audit(page)
    order = CardOrder.objects.get(beneficiary=user.person)

    page.goto("/mes-demarches/carte-vitale/suivi/")
    page.get_by_text("sera disponible à partir du").wait_for()  # V6: from the next day
    audit(page)

    # Back office: claim, then accept.
    insured_page, page = page, agent_login(page, live_server)
    page.get_by_role("link", name="Back-office : commandes de carte Vitale à vérifier").click()
    audit(page)
    page.get_by_role("button", name=f"Traiter la commande {order.reference}").click()
    page.get_by_role("img", name="Photo d'identité envoyée par l'assuré").wait_for()
    audit(page)
    page.get_by_role("radio", name="Pièces conformes").check(force=True)
    page.get_by_role("button", name="Enregistrer la décision").click()
    page.get_by_text(f"Commande {order.reference} traitée.").wait_for()

    call_command("export_card_orders", "--out", str(tmp_path / "export"))
    today = dt.date.today().isoformat()
    status_file = tmp_path / "etats.csv"
    status_file.write_text(
        "reference;statut;date;numero_serie\n"
        f"{order.reference};remise;{today};80250000000000000001\n"
    )
    call_command("import_card_statuses", str(status_file))

    page = insured_page
    ordered_yesterday(order)
    page.goto("/mes-demarches/carte-vitale/suivi/")
    page.get_by_text("Votre nouvelle carte Vitale est active").wait_for()
    audit(page)
    assert user.person.cards.get(status=CardStatus.ACTIVE).serial_number.endswith("0001")


def test_agent_rejection_shows_the_reason_in_tracking(page, tmp_path, live_server):
    user = InsuredUserFactory()
    f = files(tmp_path)
    login(page, user.username)
    page.goto("/mes-demarches/carte-vitale/commander/")
    page.get_by_role("button", name="Continuer").click()  # first card, the only choice
    upload_photo_and_document(page, f, document_type="identity_card", document="photo")
    page.get_by_role("button", name="Valider").click()
    order = CardOrder.objects.get(beneficiary=user.person)

    insured_page, page = page, agent_login(page, live_server)
    page.goto("/agents/cartes-vitale/")
    page.get_by_role("button", name=f"Traiter la commande {order.reference}").click()
    page.get_by_role("radio", name="Refuser la commande").check(force=True)
    page.get_by_role("button", name="Enregistrer la décision").click()
    page.get_by_text("Indiquez le motif du refus").first.wait_for()
    audit(page)
    page.get_by_label("Motif du refus").fill("La photo ne montre pas le visage en entier.")
    page.get_by_role("button", name="Enregistrer la décision").click()

    page = insured_page
    ordered_yesterday(order)
    page.goto("/mes-demarches/carte-vitale/suivi/")
    page.get_by_text("La photo ne montre pas le visage en entier.").wait_for()
    audit(page)


@pytest.mark.parametrize(
    ("situation", "message"),
    [
        ("npai", "nous est revenu"),
        ("withheld", "Vous ne pouvez pas commander de carte Vitale en ligne"),
        ("scheme_without_card", "Vous ne pouvez pas commander de carte Vitale en ligne"),
        ("in_transfer", "en cours de mutation"),
        ("declaration_needed", "Déclarez d'abord sa perte"),
        ("blocked_day", "un formulaire papier vous est envoyé"),
        ("open_order", "Une commande de carte Vitale est déjà en cours"),
        ("under_12", "Un enfant de moins de 12 ans n'a pas sa propre carte Vitale"),
    ],
)
def test_each_exclusion_is_shown_before_any_upload(page, situation, message):
    """V2, V4, V5: each exclusion is said at step 1, on a disabled choice, before any upload."""
    from tests.cards.factories import DeclarationFactory

    scheme = (
        SchemeFactory(code="SANSCV", name="Régime sans carte", issues_carte_vitale=False)
        if situation == "scheme_without_card"
        else SchemeFactory()
    )
    user = InsuredUserFactory(
        person__address_npai=situation == "npai", person__family__scheme=scheme
    )
    excluded = user.person
    if situation == "withheld":
        CardFactory(person=user.person, status=CardStatus.LOST, withheld=True)
    if situation == "in_transfer":
        CardFactory(person=user.person, status=CardStatus.IN_TRANSFER)
    if situation == "declaration_needed":
        CardFactory(person=user.person)
    if situation == "blocked_day":
        card = CardFactory(person=user.person, status=CardStatus.LOST)
        DeclarationFactory(card=card, declared_at=dt.datetime.now(PARIS) - dt.timedelta(days=5))
    if situation == "open_order":
        CardOrder.objects.create(
            beneficiary=user.person,
            ordered_by=InsuredUserFactory(),
            status="received",
            submitted_at=dt.datetime.now(PARIS),
        )
    if situation == "under_12":
        excluded = PersonFactory(
            dependant=True,
            family=user.person.family,
            birth_date=dt.date.today() - dt.timedelta(days=365 * 11),
        )
    login(page, user.username)
    page.goto("/mes-demarches/carte-vitale/commander/")
    page.get_by_text(message).wait_for()
    assert page.locator(f"#beneficiary-{excluded.pk}").is_disabled()
    audit(page)


def test_v2_outdated_card_goes_straight_to_the_order(page, tmp_path):
    """V2: a card that still shows the former name: no declaration, the order says why."""
    user = InsuredUserFactory()
    old = CardFactory(person=user.person, printed_name="ANCIEN NOM")
    f = files(tmp_path)
    login(page, user.username)
    page.goto("/mes-demarches/")
    page.get_by_role("link", name="Déclarer la perte ou le vol de carte Vitale").click()
    page.get_by_text("porte encore le nom ANCIEN NOM").wait_for()
    audit(page)
    page.get_by_role("link", name="commandez une nouvelle carte Vitale").click()
    page.get_by_text("Étape 1 sur 5").wait_for()
    page.get_by_text("Changement de nom ou de numéro de sécurité sociale").wait_for()
    audit(page)
    page.get_by_role("button", name="Continuer").click()
    upload_photo_and_document(page, f)
    page.get_by_role("button", name="Valider").click()
    page.get_by_text("Votre demande de carte Vitale est bien prise en compte.").wait_for()
    order = CardOrder.objects.get(beneficiary=user.person)
    assert (order.reason, order.replaced_card_id) == ("visual_change", old.pk)
    old.refresh_from_db()
    assert old.status == CardStatus.ACTIVE  # usable until the new card is delivered
    ordered_yesterday(order)
    page.goto("/mes-demarches/carte-vitale/suivi/")
    page.get_by_text("Motif : changement de nom ou de numéro de sécurité sociale").wait_for()
    audit(page)


@pytest.mark.parametrize("days_ago", [4, 6])
def test_v5_window_open_on_the_last_day_and_again_after_the_blocked_day(page, days_ago):
    """V5: J+4 is the last online day, J+5 is blocked (above), J+6 is open again."""
    from tests.cards.factories import DeclarationFactory

    user = InsuredUserFactory()
    card = CardFactory(person=user.person, status=CardStatus.LOST)
    DeclarationFactory(card=card, declared_at=dt.datetime.now(PARIS) - dt.timedelta(days=days_ago))
    login(page, user.username)
    page.goto("/mes-demarches/carte-vitale/commander/")
    page.get_by_text("Remplacement après une perte").wait_for()
    assert page.locator(f"#beneficiary-{user.person.pk}").is_enabled()
    assert page.get_by_text("un formulaire papier vous est envoyé").count() == 0
    audit(page)
