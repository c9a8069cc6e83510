"""The « Espace d'échanges » services: every rule (ECH1–ECH12) whoever calls them (issue 19)."""

import datetime as dt
import io

import pytest
import time_machine
from django.core import mail
from PIL import Image

from guichet.core.refusals import Refused
from guichet.exchanges import rules, selectors, services
from guichet.exchanges.enums import MessageKind, ThreadStatus, ThreadSubject
from guichet.exchanges.models import Attachment, Thread, ThreadMessage, ThreadTransition
from guichet.notifications import selectors as notification_selectors
from guichet.notifications.models import Notification, OutboundEmail
from tests.cards.factories import jpeg_bytes, pdf_bytes, png_bytes, upload
from tests.exchanges.factories import fund_agent, start_thread
from tests.factories import AgentFactory, CardFactory, FundFactory, InsuredUserFactory

pytestmark = pytest.mark.django_db

# A Thursday in Paris, far from any public holiday.
THURSDAY = dt.datetime(2026, 3, 5, 10, 0, tzinfo=dt.UTC)


@pytest.fixture
def user():
    return InsuredUserFactory()


def test_ech1_a_thread_goes_to_the_insureds_fund_with_its_first_message(user):
    thread = start_thread(user, subject=ThreadSubject.RIGHTS)
    assert thread.fund == user.person.family.fund
    assert (thread.insured, thread.account, thread.status) == (user.person, user, "open")
    assert thread.title == "Mes droits et mon attestation"
    (message,) = thread.messages.all()
    assert (message.kind, message.author, message.recipient) == ("insured", user, None)
    log = ThreadTransition.objects.get(thread=thread)
    assert (log.from_status, log.to_status, log.by) == ("", "open", user)


def test_ech1_other_needs_its_own_subject(user):
    with pytest.raises(Refused) as refused:
        start_thread(user, subject=ThreadSubject.OTHER, subject_other="  ")
    assert refused.value.code == "other_subject_missing"
    assert refused.value.field == "subject_other"
    with pytest.raises(Refused) as refused:
        start_thread(user, subject=ThreadSubject.OTHER, subject_other="ab")
    assert "au moins 3" in refused.value.message
    with pytest.raises(Refused):
        start_thread(user, subject=ThreadSubject.OTHER, subject_other="x" * 101)
    thread = start_thread(user, subject=ThreadSubject.OTHER, subject_other="  Ma cure thermale ")
    assert thread.title == "Ma cure thermale"
    # Another subject drops what was typed in « Précisez l'objet ».
    assert start_thread(user, subject_other="ignored").subject_other == ""
    assert Thread.objects.count() == 2


def test_ech1_an_unknown_subject_is_refused(user):
    with pytest.raises(Refused) as refused:
        start_thread(user, subject="weather")
    assert (refused.value.code, refused.value.field) == ("unknown_subject", "subject")


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        ("", "Écrivez votre message."),
        (" a ", "Écrivez votre message."),
        ("x" * 5001, "ne doit pas dépasser 5000 caractères"),
        ("Bonjour\x00", "caractère de contrôle (U+0000)"),
    ],
)
def test_ech2_message_length_and_characters(user, body, expected):
    with pytest.raises(Refused) as refused:
        start_thread(user, body=body)
    assert expected in refused.value.message
    assert refused.value.field == "body"
    assert not Thread.objects.exists()


def test_ech2_a_message_of_the_longest_length_passes(user):
    thread = start_thread(user, body="x" * 5000)
    assert len(thread.messages.get().body) == 5000


def test_ech3_attachments_are_cleaned_and_stored_with_a_safe_name(user):
    files = [
        upload("Ordonnance du 12-03 <script>.pdf", pdf_bytes(), "application/pdf"),
        upload("photo.JPG", jpeg_bytes(gps=True)),
        upload("scan.png", png_bytes()),
    ]
    thread = start_thread(user, uploads=files)
    stored = list(Attachment.objects.filter(message__thread=thread))
    assert [a.content_type for a in stored] == ["application/pdf", "image/jpeg", "image/jpeg"]
    assert stored[0].name == "Ordonnance du 12-03 _script.pdf"
    assert stored[1].name == "photo.jpg" and stored[2].name == "scan.jpg"
    with stored[1].file.open("rb") as handle:
        image = Image.open(io.BytesIO(handle.read()))
        assert not image.getexif()  # the GPS position is gone
    with stored[0].file.open("rb") as handle:
        assert b"Jean Secret" not in handle.read()  # the PDF's metadata is gone
    assert all(a.file.name.startswith("exchanges/") for a in stored)
    assert all(a.size > 0 for a in stored)


def test_ech3_at_most_three_attachments(user):
    files = [upload(f"p{i}.pdf", pdf_bytes(), "application/pdf") for i in range(4)]
    with pytest.raises(Refused) as refused:
        start_thread(user, uploads=files)
    assert refused.value.code == "too_many_attachments"
    assert not Thread.objects.exists()


def test_ech3_ten_megabytes_in_all(user, monkeypatch):
    monkeypatch.setattr(rules, "MAX_TOTAL_ATTACHMENT_BYTES", 2000)
    files = [upload("a.pdf", pdf_bytes(), "application/pdf"), upload("b.jpg", jpeg_bytes())]
    with pytest.raises(Refused) as refused:
        start_thread(user, uploads=files)
    assert refused.value.code == "attachments_too_large"
    assert "10 Mo" in refused.value.message


@pytest.mark.parametrize(
    ("name", "content", "expected"),
    [
        ("virus.exe", b"MZ\x90\x00 not a document", "PDF, JPEG ou PNG"),
        ("heic.heic", b"\x00\x00\x00\x18ftypheic" + b"\x00" * 40, "PDF, JPEG ou PNG"),
        ("tiny.jpg", jpeg_bytes(50, 50), "trop petite"),
        ("empty.pdf", b"", "vide"),
        ("broken.pdf", b"%PDF-1.4 broken", "PDF lisible"),
    ],
)
def test_ech3_each_file_is_checked_by_its_content(user, name, content, expected):
    with pytest.raises(Refused) as refused:
        start_thread(user, uploads=[upload("ok.pdf", pdf_bytes()), upload(name, content)])
    assert refused.value.field == "attachments"
    assert refused.value.message.startswith("Pièce jointe n° 2 : ")
    assert expected in refused.value.message
    assert not Attachment.objects.exists()


def test_ech3_too_many_pixels(user):
    with pytest.raises(Refused) as refused:
        start_thread(user, uploads=[upload("big.png", png_bytes(8000, 7000))])
    assert "millions de pixels" in refused.value.message


def test_ech4_ten_messages_a_day_then_tomorrow(user):
    with time_machine.travel(THURSDAY, tick=False):
        thread = start_thread(user)
        for _ in range(rules.MESSAGES_PER_DAY - 1):
            services.thread_reply_by_insured(user=user, thread_id=thread.pk, body="Encore moi")
        with pytest.raises(Refused) as refused:
            services.thread_reply_by_insured(user=user, thread_id=thread.pk, body="Un de plus")
        assert refused.value.code == "daily_limit"
        assert "demain" in refused.value.message
        assert refused.value.retry_after == dt.timedelta(hours=13)  # until midnight in Paris
        with pytest.raises(Refused):
            start_thread(user)
    assert ThreadMessage.objects.count() == rules.MESSAGES_PER_DAY
    with time_machine.travel(THURSDAY + dt.timedelta(days=1), tick=False):
        services.thread_reply_by_insured(user=user, thread_id=thread.pk, body="Le lendemain")


def test_ech4_a_refused_message_does_not_count(user):
    with time_machine.travel(THURSDAY, tick=False):
        for _ in range(5):
            with pytest.raises(Refused):
                start_thread(user, body="")
        assert selectors.sent_today(person=user.person) == 0


def _pdf(name: str = "piece.pdf"):
    return upload(name, pdf_bytes(), "application/pdf")


def test_ech13_attachments_per_person_and_day_counted_in_the_database(user, monkeypatch):
    with time_machine.travel(THURSDAY, tick=False):
        thread = start_thread(user, uploads=[_pdf()])
        size = Attachment.objects.get().size
        assert selectors.attachment_bytes_today(person=user.person) == size
        monkeypatch.setattr(rules, "ATTACHMENT_BYTES_PER_DAY", size * 2)
        services.thread_reply_by_insured(
            user=user, thread_id=thread.pk, body="Le second", uploads=[_pdf()]
        )
        with pytest.raises(Refused) as refused:
            start_thread(user, uploads=[_pdf()])
        assert (refused.value.code, refused.value.field) == (
            "daily_attachments_limit",
            "attachments",
        )
        assert "de pièces jointes aujourd'hui" in refused.value.message
        assert "demain" in refused.value.message
        assert Attachment.objects.count() == 2 and Thread.objects.count() == 1
        # the refused files counted nothing; a message without any is still welcome
        assert selectors.attachment_bytes_today(person=user.person) == size * 2
        services.thread_reply_by_insured(user=user, thread_id=thread.pk, body="Sans fichier")
    with time_machine.travel(THURSDAY + dt.timedelta(days=1), tick=False):
        assert selectors.attachment_bytes_today(person=user.person) == 0
        services.thread_reply_by_insured(
            user=user, thread_id=thread.pk, body="Le lendemain", uploads=[_pdf()]
        )


def test_ech14_the_insureds_attachments_per_thread(user, monkeypatch):
    thread = start_thread(user, uploads=[_pdf()])
    size = Attachment.objects.get().size
    monkeypatch.setattr(rules, "ATTACHMENT_BYTES_PER_THREAD", size)
    # the fund's own files do not count against the insured
    services.thread_answer(
        agent=fund_agent(thread), thread_id=thread.pk, body="Voici", uploads=[_pdf()]
    )
    assert selectors.attachment_bytes_in_thread(thread=thread) == size
    with pytest.raises(Refused) as refused:
        services.thread_reply_by_insured(
            user=user, thread_id=thread.pk, body="Encore un", uploads=[_pdf()]
        )
    assert (refused.value.code, refused.value.field) == ("thread_attachments_limit", "attachments")
    assert "dans ce fil d'échanges" in refused.value.message
    services.thread_reply_by_insured(user=user, thread_id=thread.pk, body="Sans fichier")
    start_thread(user, uploads=[_pdf()])  # a new thread has its own 50 Mo
    assert Attachment.objects.count() == 3


def test_ech13_ech14_messages_say_what_is_left_in_mo():
    mib = 1024 * 1024
    assert rules.daily_attachments_refusal(sent_today_bytes=20 * mib, new_bytes=10 * mib) is None
    daily = rules.daily_attachments_refusal(sent_today_bytes=int(25.5 * mib), new_bytes=6 * mib)
    assert daily is not None
    assert "déjà envoyé 25,5 Mo" in daily.message and "sur 30 Mo" in daily.message
    assert "il vous reste 4,5 Mo" in daily.message
    per_thread = rules.thread_attachments_refusal(thread_bytes=48 * mib, new_bytes=3 * mib)
    assert per_thread is not None
    assert "atteignent déjà 48 Mo, sur 50 Mo" in per_thread.message
    assert "il vous reste 2 Mo" in per_thread.message
    assert rules.thread_attachments_refusal(thread_bytes=60 * mib, new_bytes=0) is None


def test_ech5_a_thread_about_one_of_the_familys_demarches(user):
    from guichet.cards import services as card_services

    card_services.card_declare(user=user, card=CardFactory(person=user.person), kind="lost")
    order = card_services.card_order_start(user=user, beneficiary=user.person)
    card_services.card_order_attach_photo(order=order, upload=upload("p.jpg", jpeg_bytes()))
    card_services.card_order_attach_document(
        order=order, document_type="passport", upload=upload("d.pdf", pdf_bytes())
    )
    order.refresh_from_db()
    card_services.card_order_submit(order=order, user=user)
    (demarche,) = selectors.demarches_for(person=user.person)
    assert demarche.key == f"cardorder:{order.pk}" == selectors.demarche_key_of(order)
    thread = start_thread(user, subject=ThreadSubject.CARTE_VITALE, demarche=demarche.key)
    assert thread.about_id == order.pk
    assert order.reference in thread.about_label
    assert selectors.demarche_key(thread=thread) == demarche.key
    stranger = InsuredUserFactory()
    with pytest.raises(Refused) as refused:
        start_thread(stranger, demarche=demarche.key)
    assert (refused.value.code, refused.value.field) == ("unknown_demarche", "demarche")
    with pytest.raises(Refused):
        start_thread(user, demarche="cardorder:notanumber")


def test_ech6_due_in_ten_working_days_public_holidays_excluded(user):
    # Wednesday 29 April 2026: 1 May, 8 May (Fridays) and Ascension Day (Thursday 14 May) are
    # public holidays.
    with time_machine.travel(dt.datetime(2026, 4, 29, 9, 0, tzinfo=dt.UTC), tick=False):
        thread = start_thread(user)
    assert thread.due_on == dt.date(2026, 5, 18)
    with time_machine.travel(dt.datetime(2026, 5, 18, 20, 0, tzinfo=dt.UTC), tick=False):
        assert not thread.is_overdue
    with time_machine.travel(dt.datetime(2026, 5, 19, 9, 0, tzinfo=dt.UTC), tick=False):
        assert thread.is_overdue
        assert rules.waiting_working_days(since=thread.awaiting_since) == 11


def test_ech6_the_oldest_unanswered_message_keeps_the_due_date(user):
    with time_machine.travel(THURSDAY, tick=False):
        thread = start_thread(user)
    due = thread.due_on
    with time_machine.travel(THURSDAY + dt.timedelta(days=6), tick=False):
        services.thread_reply_by_insured(user=user, thread_id=thread.pk, body="Une précision")
    thread.refresh_from_db()
    assert thread.due_on == due
    agent = fund_agent(thread)
    services.thread_answer(agent=agent, thread_id=thread.pk, body="Voici notre réponse.")
    thread.refresh_from_db()
    assert (thread.awaiting_since, thread.due_on) == (None, None)
    with time_machine.travel(THURSDAY + dt.timedelta(days=8), tick=False):
        services.thread_reply_by_insured(user=user, thread_id=thread.pk, body="Merci, mais…")
    thread.refresh_from_db()
    assert thread.due_on == dt.date(2026, 3, 27)


def test_ech7_claim_release_close_reopen_each_logged(user):
    thread = start_thread(user)
    agent, other = fund_agent(thread), fund_agent(thread)
    services.thread_claim(agent=agent, thread_id=thread.pk)
    with pytest.raises(Refused) as refused:
        services.thread_claim(agent=other, thread_id=thread.pk)
    assert refused.value.code == "thread_move_not_allowed"
    with pytest.raises(Refused) as refused:
        services.thread_release(agent=other, thread_id=thread.pk)
    assert refused.value.code == "thread_held_by_other"
    with pytest.raises(Refused):
        services.thread_close(agent=other, thread_id=thread.pk)
    services.thread_release(agent=agent, thread_id=thread.pk)
    services.thread_close(agent=other, thread_id=thread.pk)
    thread.refresh_from_db()
    assert thread.status == ThreadStatus.CLOSED and thread.closed_at is not None
    services.thread_reopen(agent=agent, thread_id=thread.pk)
    thread.refresh_from_db()
    assert (thread.status, thread.assignee, thread.closed_at) == ("open", None, None)
    moves = list(thread.transitions.values_list("from_status", "to_status", "by"))
    assert moves == [
        ("", "open", user.pk),
        ("open", "in_progress", agent.pk),
        ("in_progress", "open", agent.pk),
        ("open", "closed", other.pk),
        ("closed", "open", agent.pk),
    ]


def test_ech7_a_supervisor_may_step_in(user):
    thread = start_thread(user)
    agent = fund_agent(thread)
    supervisor = fund_agent(thread, agent_role="supervisor")
    services.thread_claim(agent=agent, thread_id=thread.pk)
    services.thread_answer(agent=supervisor, thread_id=thread.pk, body="Réponse du superviseur")
    services.thread_close(agent=supervisor, thread_id=thread.pk)
    thread.refresh_from_db()
    assert thread.status == "closed"


def test_ech7_answering_an_open_thread_takes_it_and_a_closed_one_is_refused(user):
    thread = start_thread(user)
    agent = fund_agent(thread)
    services.thread_answer(agent=agent, thread_id=thread.pk, body="Bonjour, c'est noté.")
    thread.refresh_from_db()
    assert (thread.status, thread.assignee) == ("in_progress", agent)
    services.thread_close(agent=agent, thread_id=thread.pk)
    with pytest.raises(Refused) as refused:
        services.thread_answer(agent=agent, thread_id=thread.pk, body="Encore ?")
    assert refused.value.code == "thread_closed"


def test_ech7_the_insured_writing_again_reopens_a_closed_thread(user):
    thread = start_thread(user)
    agent = fund_agent(thread)
    services.thread_close(agent=agent, thread_id=thread.pk)
    services.thread_reply_by_insured(user=user, thread_id=thread.pk, body="Je reviens vers vous")
    thread.refresh_from_db()
    assert thread.status == "open" and thread.closed_at is None and thread.due_on
    last = thread.transitions.last()
    assert (last.from_status, last.to_status, last.by) == ("closed", "open", user)


def test_ech7_a_stale_claim_is_refused():
    user = InsuredUserFactory()
    thread = start_thread(user)
    first, second = fund_agent(thread), fund_agent(thread)
    stale = Thread.objects.get(pk=thread.pk)
    services.thread_claim(agent=first, thread_id=thread.pk)
    with pytest.raises(Refused) as refused:
        rules.THREAD_MACHINE.move(stale, "in_progress", by=second, assignee=second)
    assert refused.value.code == "thread_stale"


def test_ech8_notes_stay_inside_the_fund(user):
    thread = start_thread(user)
    agent = fund_agent(thread)
    note = services.thread_note(agent=agent, thread_id=thread.pk, body="Dossier vu avec le service")
    assert note.kind == MessageKind.NOTE and note.recipient is None
    assert note not in selectors.messages_for_insured(thread=thread)
    assert note in selectors.messages_for_agent(thread=thread)
    assert notification_selectors.unread_counts(user=user)["exchanges"] == 0
    assert not Notification.objects.filter(recipient=user).exists()


def test_ech9_an_answer_posts_a_notification_and_an_avis_de_depot(
    user, django_capture_on_commit_callbacks
):
    thread = start_thread(user)
    agent = fund_agent(thread)
    secret = "Votre dossier de soins dentaires est validé"
    with django_capture_on_commit_callbacks(execute=True):
        services.thread_answer(agent=agent, thread_id=thread.pk, body=secret)
    notification = Notification.objects.get(recipient=user)
    assert notification.link_url == f"/ma-messagerie/echanges/{thread.pk}/"
    assert secret not in notification.body
    email = OutboundEmail.objects.get(to=user.confirmed_email)
    assert email.category == "avis_de_depot"
    assert secret not in email.body_text and secret not in email.body_html
    assert thread.title not in email.body_text
    assert len(mail.outbox) == 1 and secret not in mail.outbox[0].body


def test_ech10_lu_on_both_sides_and_the_unread_counts(user):
    thread = start_thread(user)
    agent = fund_agent(thread)
    assert selectors.unread_threads_for_fund(agent=agent) == 1
    services.thread_mark_read_by_fund(agent=agent, thread=thread)
    first = thread.messages.get()
    assert first.read_at is not None and first.read_by == agent
    assert selectors.unread_threads_for_fund(agent=agent) == 0
    services.thread_answer(agent=agent, thread_id=thread.pk, body="Réponse une")
    services.thread_answer(agent=agent, thread_id=thread.pk, body="Réponse deux")
    assert notification_selectors.unread_counts(user=user)["exchanges"] == 2
    assert selectors.threads_for_insured(user=user).get().unread == 2
    services.thread_mark_read_by_insured(user=user, thread=thread)
    assert notification_selectors.unread_counts(user=user)["exchanges"] == 0
    assert thread.messages.filter(kind="fund", read_at__isnull=True).count() == 0


def test_ech11_services_refuse_another_funds_thread(user):
    thread = start_thread(user)
    stranger = AgentFactory(
        agent_role="back_office", fund=FundFactory(code="691", name="CPAM du Rhône")
    )
    front_desk = fund_agent(thread, agent_role="front_desk")
    for agent in (stranger, front_desk):
        for call in (
            services.thread_claim,
            services.thread_close,
            services.thread_reopen,
            services.thread_release,
        ):
            with pytest.raises(Thread.DoesNotExist):
                call(agent=agent, thread_id=thread.pk)
        with pytest.raises(Thread.DoesNotExist):
            services.thread_answer(agent=agent, thread_id=thread.pk, body="Intrus")
        with pytest.raises(Thread.DoesNotExist):
            services.thread_note(agent=agent, thread_id=thread.pk, body="Intrus")
        assert services.thread_mark_read_by_fund(agent=agent, thread=thread) == 0
        assert selectors.thread_for_agent(agent=agent, thread_id=thread.pk) is None
    assert thread.messages.count() == 1 and thread.transitions.count() == 1


def test_ech11_an_insured_cannot_write_in_another_accounts_thread(user):
    thread = start_thread(user)
    other = InsuredUserFactory()
    with pytest.raises(Thread.DoesNotExist):
        services.thread_reply_by_insured(user=other, thread_id=thread.pk, body="Intrus")
    assert selectors.thread_for_insured(user=other, thread_id=thread.pk) is None


def test_ech11_only_an_insured_writes_to_the_fund():
    agent = AgentFactory()
    with pytest.raises(Refused) as refused:
        start_thread(agent)
    assert refused.value.code == "not_insured"


def test_ech11_the_backlog_counts_by_status_and_agent(user):
    with time_machine.travel(THURSDAY, tick=False):
        first = start_thread(user)
        second = start_thread(user)
        start_thread(user)
    agent = fund_agent(first)
    supervisor = fund_agent(first, agent_role="supervisor")
    services.thread_claim(agent=agent, thread_id=first.pk)
    services.thread_close(agent=supervisor, thread_id=second.pk)
    with time_machine.travel(THURSDAY + dt.timedelta(days=30), tick=False):
        summary = selectors.backlog(agent=supervisor)
    assert (summary.open, summary.in_progress, summary.awaiting, summary.overdue) == (1, 1, 2, 2)
    (load,) = summary.by_assignee
    assert (load.agent, load.in_progress, load.overdue) == (agent, 1, 1)
    assert (
        selectors.backlog(
            agent=AgentFactory(agent_role="supervisor", fund=FundFactory(code="691"))
        ).open
        == 0
    )


def test_ech12_attachments_reach_only_their_account_and_fund(user):
    thread = start_thread(user, uploads=[upload("a.pdf", pdf_bytes(), "application/pdf")])
    attachment = Attachment.objects.get()
    agent = fund_agent(thread)
    note = services.thread_note(agent=agent, thread_id=thread.pk, body="Pièce interne")
    internal = Attachment.objects.create(
        message=note, file=attachment.file.name, content_type="application/pdf", size=1, name="x"
    )
    assert selectors.attachment_for_insured(user=user, attachment_id=attachment.pk) == attachment
    assert selectors.attachment_for_insured(user=user, attachment_id=internal.pk) is None
    assert (
        selectors.attachment_for_insured(user=InsuredUserFactory(), attachment_id=attachment.pk)
        is None
    )
    assert selectors.attachment_for_agent(agent=agent, attachment_id=attachment.pk) == attachment
    stranger = AgentFactory(
        agent_role="back_office", fund=FundFactory(code="691", name="CPAM du Rhône")
    )
    assert selectors.attachment_for_agent(agent=stranger, attachment_id=attachment.pk) is None
