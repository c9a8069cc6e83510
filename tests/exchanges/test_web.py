"""The insured's pages of the « Espace d'échanges » (issue 19, rules ECH1–ECH12)."""

import pytest
from django.urls import reverse

from guichet.exchanges import services
from guichet.exchanges.enums import ThreadSubject
from guichet.exchanges.models import Attachment, Thread
from tests.exchanges.factories import fund_agent, pdf_bytes, start_thread, upload
from tests.factories import DEFAULT_PASSWORD, InsuredUserFactory

pytestmark = pytest.mark.django_db

NEW = "/ma-messagerie/ecrire/"


def test_ech1_write_to_the_fund(insured, insured_client):
    page = insured_client.get(NEW).content.decode()
    assert "Écrire à ma caisse" in page and "Autre" in page and "Pièces jointes" in page
    response = insured_client.post(
        NEW,
        {
            "subject": ThreadSubject.OTHER,
            "subject_other": "Ma cure thermale",
            "body": "Bonjour, voici ma demande.",
            "attachments": [upload("prescription.pdf", pdf_bytes(), "application/pdf")],
        },
    )
    thread = Thread.objects.get()
    assert response.status_code == 302
    assert response.url == reverse("web:exchange_thread", args=[thread.pk])
    assert thread.title == "Ma cure thermale"
    page = insured_client.get(response.url).content.decode()
    assert "Votre message est envoyé à votre caisse" in page
    assert "Bonjour, voici ma demande." in page and "prescription.pdf" in page
    assert "au plus tard le" in page


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"subject": "", "body": "Mon message gardé"}, "Choisissez l&#x27;objet de votre message."),
        (
            {"subject": "other", "subject_other": "", "body": "Mon message gardé"},
            "précisez l&#x27;objet de votre message",
        ),
        ({"subject": "rights", "body": "Mon message gardé" + "x" * 5000}, "5000 caractères"),
        (
            {"subject": "rights", "body": "Mon message gardé", "demarche": "cardorder:99"},
            "ne fait pas partie des vôtres",
        ),
    ],
)
def test_ech1_ech2_bad_input_keeps_what_was_typed(insured_client, data, message):
    response = insured_client.post(NEW, data)
    page = response.content.decode()
    assert response.status_code == 200
    assert message in page
    assert "Mon message gardé" in page
    assert "Le formulaire comporte une ou plusieurs erreurs" in page
    assert not Thread.objects.exists()


def test_ech3_a_refused_file_keeps_the_text_and_asks_for_the_files_again(insured_client):
    response = insured_client.post(
        NEW,
        {
            "subject": "rights",
            "body": "Texte à garder",
            "attachments": [upload("virus.exe", b"MZ not a document")],
        },
    )
    page = response.content.decode()
    assert "Pièce jointe n° 1 : Une pièce jointe doit être un fichier PDF, JPEG ou PNG" in page
    assert "Texte à garder" in page
    assert "joignez-les de nouveau" in page
    assert not Thread.objects.exists() and not Attachment.objects.exists()


def test_ech3_four_files_are_refused_by_the_form(insured_client):
    files = [upload(f"p{i}.pdf", pdf_bytes(), "application/pdf") for i in range(4)]
    response = insured_client.post(
        NEW, {"subject": "rights", "body": "Texte", "attachments": files}
    )
    assert "au plus 3 fichiers" in response.content.decode()
    assert not Thread.objects.exists()


def test_ech4_the_daily_limit_message(insured, insured_client, monkeypatch):
    from guichet.exchanges import rules

    monkeypatch.setattr(rules, "MESSAGES_PER_DAY", 1)
    start_thread(insured)
    response = insured_client.post(NEW, {"subject": "rights", "body": "Deuxième message"})
    page = response.content.decode()
    assert "le maximum par jour" in page and "Deuxième message" in page


@pytest.mark.parametrize(
    ("limit", "expected"),
    [
        (
            "ATTACHMENT_BYTES_PER_DAY",
            "de pièces jointes aujourd&#x27;hui, sur 0 Mo au plus par jour",
        ),
        ("ATTACHMENT_BYTES_PER_THREAD", "dans ce fil d&#x27;échanges atteignent déjà"),
    ],
)
def test_ech13_ech14_the_attachment_totals_keep_the_text(
    insured, insured_client, monkeypatch, limit, expected
):
    from django.utils.html import escape

    from guichet.exchanges import rules

    thread = start_thread(insured)
    monkeypatch.setattr(rules, limit, 0)
    response = insured_client.post(
        reverse("web:exchange_thread", args=[thread.pk]),
        {
            "body": "Texte à garder",
            "attachments": [upload("p.pdf", pdf_bytes(), "application/pdf")],
        },
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert expected in page and "Texte à garder" in page
    assert escape("Retirez ou réduisez vos fichiers") in page
    assert not Attachment.objects.exists() and thread.messages.count() == 1


def test_ech5_a_demarche_preselected_from_its_page(insured, insured_client):
    from guichet.complementary.detection import conflicts_detect
    from guichet.complementary.models import Conflict
    from tests.complementary.factories import overlap_for

    overlap_for(insured.person)
    conflicts_detect()
    conflict = Conflict.objects.get()
    page = insured_client.get(f"{NEW}?demarche=conflict:{conflict.pk}").content.decode()
    assert f'<option value="conflict:{conflict.pk}" selected>' in page
    assert '<option value="complementary" selected>' in page
    # Another family's démarche in the address is not offered.
    other = InsuredUserFactory()
    overlap_for(other.person)
    conflicts_detect()
    foreign = Conflict.objects.exclude(pk=conflict.pk).get()
    page = insured_client.get(f"{NEW}?demarche=conflict:{foreign.pk}").content.decode()
    assert f"conflict:{foreign.pk}" not in page


def test_ech10_opening_a_thread_marks_the_answers_read(insured, insured_client):
    thread = start_thread(insured)
    agent = fund_agent(thread)
    services.thread_answer(agent=agent, thread_id=thread.pk, body="Notre réponse")
    note = services.thread_note(agent=agent, thread_id=thread.pk, body="Note secrète")
    inbox = insured_client.get("/ma-messagerie/").content.decode()
    assert "1 réponse non lue" in inbox
    page = insured_client.get(reverse("web:exchange_thread", args=[thread.pk])).content.decode()
    assert "Notre réponse" in page
    assert "Note secrète" not in page and f"message-{note.pk}" not in page  # ECH8
    assert (
        "Vous n'avez aucune réponse non lue."
        in insured_client.get("/ma-messagerie/").content.decode()
    )


def test_ech7_reply_in_the_thread(insured, insured_client):
    thread = start_thread(insured)
    url = reverse("web:exchange_thread", args=[thread.pk])
    response = insured_client.post(url, {"body": ""})
    assert "Écrivez votre message." in response.content.decode()
    response = insured_client.post(url, {"body": "Une précision"})
    assert response.status_code == 302
    assert thread.messages.count() == 2


def test_ech12_another_accounts_thread_and_files_answer_404(insured, client):
    other = InsuredUserFactory()
    thread = start_thread(other, uploads=[upload("a.pdf", pdf_bytes(), "application/pdf")])
    attachment = Attachment.objects.get()
    client.post("/connexion/", {"nir": insured.username, "code": DEFAULT_PASSWORD})
    thread_url = reverse("web:exchange_thread", args=[thread.pk])
    file_url = reverse("web:exchange_attachment", args=[thread.pk, attachment.pk])
    assert client.get(thread_url).status_code == 404
    assert client.post(thread_url, {"body": "Intrus"}).status_code == 404
    assert client.get(file_url).status_code == 404
    assert thread.messages.count() == 1
    mine = start_thread(insured)
    wrong_pair = reverse("web:exchange_attachment", args=[mine.pk, attachment.pk])
    assert client.get(wrong_pair).status_code == 404


def test_ech12_a_file_downloads_as_an_attachment(insured, insured_client):
    thread = start_thread(insured, uploads=[upload("a.pdf", pdf_bytes(), "application/pdf")])
    attachment = Attachment.objects.get()
    response = insured_client.get(
        reverse("web:exchange_attachment", args=[thread.pk, attachment.pk])
    )
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response.content.startswith(b"%PDF-")


def test_ech10_the_thread_list_costs_the_same_whatever_the_history(
    insured, insured_client, django_assert_max_num_queries
):
    def load() -> int:
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as queries:
            assert insured_client.get("/ma-messagerie/").status_code == 200
        return len(queries)

    thread = start_thread(insured)
    agent = fund_agent(thread)
    services.thread_answer(agent=agent, thread_id=thread.pk, body="Réponse")
    small = load()
    for _ in range(4):
        extra = start_thread(insured)
        for _ in range(3):
            services.thread_answer(agent=agent, thread_id=extra.pk, body="Réponse")
    with django_assert_max_num_queries(small):
        assert insured_client.get("/ma-messagerie/").status_code == 200


def test_ech10_the_tab_badge_counts_unread_answers(insured, insured_client):
    thread = start_thread(insured)
    services.thread_answer(agent=fund_agent(thread), thread_id=thread.pk, body="Réponse")
    response = insured_client.get("/mes-paiements/")
    tabs = response.context["account_tabs"]
    assert next(tab for tab in tabs if tab["key"] == "messages")["badge"] == 1


def _web_exchange_urls() -> dict[str, set[str]]:
    """Every « web » URL of the « Espace d'échanges » with the names of its parameters."""
    from django.urls import URLPattern, URLResolver, get_resolver

    found: dict[str, set[str]] = {}

    def walk(patterns, params: set[str]) -> None:
        for entry in patterns:
            names = params | set(entry.pattern.converters)
            if isinstance(entry, URLResolver):
                walk(entry.url_patterns, names)
            elif isinstance(entry, URLPattern) and (entry.name or "").startswith("exchange_"):
                found[entry.name] = names

    web = [e for e in get_resolver().url_patterns if getattr(e, "namespace", None) == "web"]
    walk(web[0].url_patterns, set())
    return found


def test_ech12_every_thread_and_file_url_of_another_account_answers_404(insured, client):
    """The sweep: every exchange URL with an object, GET and POST, on another account's
    thread and file, answers 404 and changes nothing (a new URL fails until it is swept)."""
    other = InsuredUserFactory()
    thread = start_thread(other, uploads=[upload("a.pdf", pdf_bytes(), "application/pdf")])
    services.thread_answer(agent=fund_agent(thread), thread_id=thread.pk, body="Réponse")
    attachment = Attachment.objects.get()
    objects = {
        "exchange_thread": {"thread_id": thread.pk},
        "exchange_attachment": {"thread_id": thread.pk, "attachment_id": attachment.pk},
    }
    with_params = {name for name, params in _web_exchange_urls().items() if params}
    assert with_params == set(objects)
    client.post("/connexion/", {"nir": insured.username, "code": DEFAULT_PASSWORD})
    before = sorted(thread.messages.values_list("pk", "read_at"))
    for name, kwargs in objects.items():
        url = reverse(f"web:{name}", kwargs=kwargs)
        assert client.get(url).status_code == 404, url
        assert client.post(url, {"body": "Intrus"}).status_code in {404, 405}, url
    assert sorted(thread.messages.values_list("pk", "read_at")) == before


def test_ech5_the_overlap_page_links_to_its_thread_else_to_write(client):
    """The excluded overlap page (O4) says « contactez votre caisse … dans Ma messagerie »:
    its link opens « Écrire à ma caisse » about that démarche."""
    from guichet.complementary.detection import conflicts_detect
    from guichet.complementary.models import Conflict
    from tests.complementary.factories import family_with_overlaps
    from tests.factories import SchemeFactory

    user, _, _ = family_with_overlaps(beneficiaries=1, scheme=SchemeFactory(partner=True))
    conflicts_detect()
    client.post("/connexion/", {"nir": user.username, "code": DEFAULT_PASSWORD})
    page = client.get("/mes-demarches/organisme-complementaire/").content.decode()
    conflict = Conflict.objects.get()
    link = f"/ma-messagerie/ecrire/?demarche=conflict%3A{conflict.pk}"
    assert f'href="{link}"' in page and "Écrire à ma caisse à propos de ce choix" in page
    form = client.get(link).content.decode()
    assert f'<option value="conflict:{conflict.pk}" selected>' in form
    response = client.post(
        "/ma-messagerie/ecrire/",
        {"subject": "complementary", "demarche": f"conflict:{conflict.pk}", "body": "Bonjour"},
    )
    assert response.status_code == 302
    thread = Thread.objects.get()
    assert thread.about_id == conflict.pk
    page = client.get("/mes-demarches/organisme-complementaire/").content.decode()
    assert f'href="/ma-messagerie/echanges/{thread.pk}/"' in page and "Voir l'échange" in page
    assert f'href="{link}"' not in page


def test_ech1_a_subject_preselected_from_the_address(insured_client):
    page = insured_client.get("/ma-messagerie/ecrire/?objet=carte_vitale").content.decode()
    assert '<option value="carte_vitale" selected>' in page
    page = insured_client.get("/ma-messagerie/ecrire/?objet=nonsense").content.decode()
    assert '<option value="" selected>' in page.split('id="id_subject"')[1]


def test_ech10_accueil_tells_of_unread_answers(insured, insured_client):
    page = insured_client.get("/").content.decode()
    assert 'href="/ma-messagerie/ecrire/"' in page and "home-exchanges" not in page
    thread = start_thread(insured)
    services.thread_answer(agent=fund_agent(thread), thread_id=thread.pk, body="Réponse")
    page = insured_client.get("/").content.decode()
    assert "Votre caisse a répondu à vos messages : 1 réponse non lue." in page


def test_ech5_the_card_tracking_page_links_to_its_thread_else_to_write(insured, insured_client):
    from guichet.cards import services as card_services
    from tests.cards.factories import jpeg_bytes
    from tests.factories import CardFactory

    card_services.card_declare(user=insured, card=CardFactory(person=insured.person), kind="lost")
    order = card_services.card_order_start(user=insured, beneficiary=insured.person)
    card_services.card_order_attach_photo(order=order, upload=upload("p.jpg", jpeg_bytes()))
    card_services.card_order_attach_document(
        order=order, document_type="passport", upload=upload("d.pdf", pdf_bytes())
    )
    order.refresh_from_db()
    card_services.card_order_submit(order=order, user=insured)
    page = insured_client.get("/mes-demarches/carte-vitale/suivi/").content.decode()
    link = f"/ma-messagerie/ecrire/?demarche=cardorder%3A{order.pk}"
    assert f'href="{link}"' in page
    form = insured_client.get(link).content.decode()
    assert f'<option value="cardorder:{order.pk}" selected>' in form
    thread = start_thread(
        insured, subject=ThreadSubject.CARTE_VITALE, demarche=f"cardorder:{order.pk}"
    )
    page = insured_client.get("/mes-demarches/carte-vitale/suivi/").content.decode()
    assert f'href="/ma-messagerie/echanges/{thread.pk}/"' in page
    assert "Voir l'échange « Carte Vitale »" in page and f'href="{link}"' not in page
