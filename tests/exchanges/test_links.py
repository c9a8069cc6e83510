"""Notices and tracking pages link to the thread about their démarche (issue 19, rule ECH5)."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from guichet.appointments import notifications as appointment_notifications
from guichet.core import clock
from guichet.exchanges import selectors
from guichet.exchanges.enums import ThreadSubject
from guichet.notifications.models import Notification
from guichet.notifications.services import notification_post
from tests.appointments.factories import appointment_at, desk
from tests.exchanges.factories import start_thread
from tests.factories import AgentFactory

pytestmark = pytest.mark.django_db


def _appointment(user, days: int = 3):
    fund = user.person.family.fund
    place, motif, _ = desk(fund)
    start = clock.now().replace(microsecond=0) + dt.timedelta(days=days)
    return appointment_at(place, motif, user.person, AgentFactory(fund=fund), start)


def _noticed_appointment(user, days: int = 3):
    appointment = _appointment(user, days)
    appointment_notifications.appointment_booked(appointment=appointment)
    return appointment


def _thread_about(user, record):
    return start_thread(
        user, subject=ThreadSubject.APPOINTMENT, demarche=selectors.demarche_key_of(record)
    )


def test_ech5_a_notice_names_the_demarche_it_is_about(insured):
    appointment = _noticed_appointment(insured)
    notice = Notification.objects.get(recipient=insured)
    assert (notice.about_type.model, notice.about_id) == ("appointment", appointment.pk)
    plain = notification_post(recipient=insured, title="Bienvenue", body="Bonjour.")
    assert plain is not None and plain.about_type_id is None and plain.about_id is None


def test_ech5_the_notice_links_to_the_thread_about_its_demarche(insured, insured_client):
    with_thread = _noticed_appointment(insured, days=3)
    _noticed_appointment(insured, days=4)
    thread = _thread_about(insured, with_thread)
    page = insured_client.get("/").content.decode()
    assert page.count("Voir l'échange") == 1
    assert f'href="/ma-messagerie/echanges/{thread.pk}/"' in page


def test_ech5_another_accounts_thread_is_never_linked(insured, insured_client):
    from django.contrib.contenttypes.models import ContentType

    from guichet.exchanges.models import Thread
    from tests.factories import InsuredUserFactory

    appointment = _noticed_appointment(insured)
    stranger = start_thread(InsuredUserFactory())
    Thread.objects.filter(pk=stranger.pk).update(
        about_type=ContentType.objects.get_for_model(appointment), about_id=appointment.pk
    )
    ref = selectors.demarche_ref_of(appointment)
    assert selectors.threads_about(user=insured, refs=[ref]) == {}
    assert "Voir l'échange" not in insured_client.get("/").content.decode()


def test_ech5_the_home_page_costs_the_same_whatever_the_notices_threads(
    insured, insured_client, django_assert_max_num_queries
):
    _thread_about(insured, _noticed_appointment(insured, days=3))
    with CaptureQueriesContext(connection) as queries:
        assert insured_client.get("/").status_code == 200
    for days in (4, 5, 6, 7):
        _thread_about(insured, _noticed_appointment(insured, days=days))
    with django_assert_max_num_queries(len(queries)):
        page = insured_client.get("/").content.decode()
    assert page.count("Voir l'échange") == 5


def test_ech5_threads_about_several_demarches_in_one_query(insured, django_assert_num_queries):
    first, second, alone = (_appointment(insured, days) for days in (3, 4, 5))
    older = _thread_about(insured, first)
    newer = _thread_about(insured, first)
    other = _thread_about(insured, second)
    refs = [selectors.demarche_ref_of(record) for record in (first, second, alone)]
    with django_assert_num_queries(1):
        found = selectors.threads_about(user=insured, refs=refs)
    assert found == {refs[0]: [newer, older], refs[1]: [other]}
    with django_assert_num_queries(0):
        assert selectors.threads_about(user=insured, refs=[]) == {}


def test_ech5_a_ceam_order_is_a_demarche_its_notice_and_tracking_link_to_its_thread(
    insured, insured_client
):
    from guichet.ceam import services as ceam_services
    from guichet.certificates.enums import Channel

    order = ceam_services.ceam_order(
        user=insured, beneficiary=insured.person, departure_on=None, channel=Channel.WEB
    )
    key = selectors.demarche_key_of(order)
    demarche = selectors.demarche_for(person=insured.person, key=key)
    assert demarche is not None and demarche.subject == ThreadSubject.RIGHTS
    assert order.reference in demarche.label
    tracking = insured_client.get("/mes-demarches/ceam/suivi/").content.decode()
    assert f'href="/ma-messagerie/ecrire/?demarche=ceamorder%3A{order.pk}"' in tracking
    thread = start_thread(insured, subject=ThreadSubject.RIGHTS, demarche=key)
    tracking = insured_client.get("/mes-demarches/ceam/suivi/").content.decode()
    assert f'href="/ma-messagerie/echanges/{thread.pk}/"' in tracking
    assert "?demarche=ceamorder" not in tracking
    # the order's notice (« Commande de CEAM enregistrée ») links to that thread
    home = insured_client.get("/").content.decode()
    assert "Commande de CEAM enregistrée" in home
    assert f'href="/ma-messagerie/echanges/{thread.pk}/"' in home


def test_ech5_the_situation_requests_are_demarches_a_thread_can_be_about(insured, insured_client):
    from tests.situation.factories import bank_change_for, newborn_for, usage_name_change_for

    bank = bank_change_for(insured)
    name = usage_name_change_for(insured)
    newborn = newborn_for(insured, birth_date=clock.today() - dt.timedelta(days=3))
    found = {d.key: d for d in selectors.demarches_for(person=insured.person)}
    for record, words in (
        (bank, "Changement de coordonnées bancaires du"),
        (name, "Changement de nom d'usage de"),
        (newborn, "Déclaration de naissance de Léa du"),
    ):
        demarche = found[selectors.demarche_key_of(record)]
        assert demarche.subject == ThreadSubject.PERSONAL_DETAILS
        assert demarche.label.startswith(words)
        assert "(en cours de vérification)" in demarche.label or "(nir en cours" in demarche.label
    thread = start_thread(
        insured,
        subject=ThreadSubject.PERSONAL_DETAILS,
        demarche=selectors.demarche_key_of(bank),
    )
    assert (thread.about_type.model, thread.about_id) == ("bankdetailschange", bank.pk)
    assert thread.about_label.startswith("Changement de coordonnées bancaires du")
    # The request's notice (posted by situation.notifications) links to the thread.
    home = insured_client.get("/").content.decode()
    assert f'href="/ma-messagerie/echanges/{thread.pk}/"' in home
    form = insured_client.get("/ma-messagerie/ecrire/").content.decode()
    assert f'value="bankdetailschange:{bank.pk}"' in form


def test_ech5_another_familys_situation_request_is_refused(insured):
    from guichet.core.refusals import Refused
    from tests.factories import InsuredUserFactory
    from tests.situation.factories import bank_change_for

    other = bank_change_for(InsuredUserFactory())
    with pytest.raises(Refused) as refused:
        start_thread(
            insured,
            subject=ThreadSubject.PERSONAL_DETAILS,
            demarche=selectors.demarche_key_of(other),
        )
    assert refused.value.code == "unknown_demarche"
