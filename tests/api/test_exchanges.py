"""/exchanges over exchanges.services: the same rules and messages as the web (ECH1–ECH12)."""

import pytest
from django.test import override_settings

from guichet.exchanges import rules, services
from guichet.exchanges.models import Attachment, Thread
from tests.cards.factories import jpeg_bytes, pdf_bytes, upload
from tests.exchanges.factories import fund_agent, start_thread
from tests.factories import InsuredUserFactory

pytestmark = [pytest.mark.django_db, pytest.mark.urls("tests.api.urls")]


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def _answer(thread: Thread, body: str):
    """The fund answers (its notification links to the web pages, absent from the API's urls)."""
    with override_settings(ROOT_URLCONF="config.urls"):
        return services.thread_answer(agent=fund_agent(thread), thread_id=thread.pk, body=body)


def test_ech3_write_with_attachments_then_read_the_answer(api, api_user):
    options = api.get("/exchanges/options").json()
    assert {"value": "other", "label": "Autre"} in options["subjects"]
    assert options["max_attachments"] == 3
    assert options["attachment_bytes_per_day"] == 30 * 1024 * 1024  # ECH13
    assert options["attachment_bytes_per_thread"] == 50 * 1024 * 1024  # ECH14
    response = api.post_multipart(
        "/exchanges/threads",
        {
            "subject": "rights",
            "body": "Bonjour, voici mon attestation.",
            "attachments": [
                upload("attestation.pdf", pdf_bytes(), "application/pdf"),
                upload("photo.jpg", jpeg_bytes()),
            ],
        },
    )
    assert response.status_code == 201, response.content
    created = response.json()
    assert created["title"] == "Mes droits et mon attestation"
    (first,) = created["messages"]
    assert [a["name"] for a in first["attachments"]] == ["attestation.pdf", "photo.jpg"]
    thread = Thread.objects.get()
    _answer(thread, "Voici notre réponse.")
    services.thread_note(agent=fund_agent(thread), thread_id=thread.pk, body="Note secrète")
    listing = api.get("/exchanges/threads").json()
    assert (listing["count"], listing["unread"], listing["items"][0]["unread"]) == (1, 1, 1)
    detail = api.get(f"/exchanges/threads/{thread.pk}").json()
    assert [m["kind"] for m in detail["messages"]] == ["insured", "fund"]  # ECH8: no note
    assert "Note secrète" not in str(detail)
    assert api.get("/exchanges/threads").json()["items"][0]["unread"] == 0
    download = api.client.get(
        first["attachments"][0]["url"], headers={"Authorization": f"Bearer {api.token}"}
    )
    assert download.status_code == 200 and download.content.startswith(b"%PDF-")
    assert download["Content-Disposition"].startswith("attachment")


def test_ech2_refusals_are_field_errors_with_the_webs_messages(api):
    response = api.post_multipart("/exchanges/threads", {"subject": "rights", "body": "x"})
    assert response.status_code == 422
    assert response.json()["fields"] == {"body": ["Écrivez votre message."]}
    response = api.post_multipart(
        "/exchanges/threads", {"subject": "other", "subject_other": "", "body": "Bonjour"}
    )
    assert list(response.json()["fields"]) == ["subject_other"]
    response = api.post_multipart(
        "/exchanges/threads",
        {"subject": "rights", "body": "Bonjour", "attachments": [upload("x.exe", b"MZ no")]},
    )
    assert response.status_code == 422
    assert "PDF, JPEG ou PNG" in response.json()["fields"]["attachments"][0]
    response = api.post_multipart(
        "/exchanges/threads", {"subject": "rights", "body": "Bonjour", "demarche": "conflict:1"}
    )
    assert response.json()["code"] == "unknown_demarche"
    assert not Thread.objects.exists() and not Attachment.objects.exists()


def test_ech4_the_daily_limit_answers_429(api, api_user, monkeypatch):
    monkeypatch.setattr(rules, "MESSAGES_PER_DAY", 1)
    thread = start_thread(api_user)
    response = api.post_multipart(f"/exchanges/threads/{thread.pk}/messages", {"body": "Encore"})
    assert response.status_code == 429
    assert response.json()["code"] == "daily_limit"
    assert int(response["Retry-After"]) > 0


@pytest.mark.parametrize(
    ("limit", "code"),
    [
        ("ATTACHMENT_BYTES_PER_DAY", "daily_attachments_limit"),
        ("ATTACHMENT_BYTES_PER_THREAD", "thread_attachments_limit"),
    ],
)
def test_ech13_ech14_attachment_totals_are_field_errors_with_the_webs_message(
    api, api_user, monkeypatch, limit, code
):
    from guichet.core.refusals import Refused

    thread = start_thread(api_user)
    monkeypatch.setattr(rules, limit, 0)
    response = api.post_multipart(
        f"/exchanges/threads/{thread.pk}/messages",
        {"body": "Encore", "attachments": [upload("p.pdf", pdf_bytes(), "application/pdf")]},
    )
    assert response.status_code == 422
    assert response.json()["code"] == code
    with pytest.raises(Refused) as refused:  # what the web page shows, from the same service
        services.thread_reply_by_insured(
            user=api_user,
            thread_id=thread.pk,
            body="Encore",
            uploads=[upload("p.pdf", pdf_bytes())],
        )
    assert response.json()["fields"] == {"attachments": [refused.value.message]}
    assert not Attachment.objects.exists()


def test_ech7_reply_in_a_thread(api, api_user):
    thread = start_thread(api_user)
    response = api.post_multipart(f"/exchanges/threads/{thread.pk}/messages", {"body": "Précision"})
    assert response.status_code == 201
    assert response.json()["kind"] == "insured"
    assert thread.messages.count() == 2


def test_ech12_anyone_elses_thread_and_file_answer_404(api):
    other = InsuredUserFactory()
    thread = start_thread(other, uploads=[upload("a.pdf", pdf_bytes(), "application/pdf")])
    attachment = Attachment.objects.get()
    assert api.get(f"/exchanges/threads/{thread.pk}").status_code == 404
    response = api.post_multipart(f"/exchanges/threads/{thread.pk}/messages", {"body": "Intrus"})
    assert response.status_code == 404
    url = f"/exchanges/threads/{thread.pk}/attachments/{attachment.pk}"
    assert api.get(url).status_code == 404
    assert thread.messages.count() == 1 and thread.messages.get().read_at is None
