"""Only a kiosk enrolled by the IT team opens a kiosk session (issue 13, rules A7 and G1).

docs/decisions/security-kiosk-devices.md: the device credential (a random secret, only its
digest stored, installed once with a one-time enrolment code), its revocation, and the
throttling of card sign-ins per card across devices and per device across cards.
"""

import datetime as dt
import hashlib
import io
import re

import pytest
import time_machine
from django.contrib.admin.sites import site
from django.contrib.messages.storage.cookie import CookieStorage
from django.core.management import call_command
from django.test import Client, RequestFactory
from django.urls import reverse

from guichet.interfaces.kiosk import urls as kiosk_urls
from tests.certificates.helpers import family_user
from tests.factories import AgentFactory, CardFactory
from tests.terminals.helpers import enrol_client, kiosk_cookie_name

pytestmark = pytest.mark.django_db
TODAY = dt.datetime(2026, 3, 10, 10, 0, tzinfo=dt.UTC)
NOT_ENROLLED = "Cette borne n'est pas enregistrée"
BIRTH_DATE = "20/05/1970"

# The only kiosk URL open to a device without a credential: the one that installs it.
OPEN_TO_ANY_DEVICE = {"enrol"}


def _kiosk_urls() -> list[str]:
    urls = []
    for pattern in kiosk_urls.urlpatterns:
        if pattern.name in OPEN_TO_ANY_DEVICE:
            continue
        kwargs = dict.fromkeys(pattern.pattern.converters, "A7-TEST-0001")
        urls.append(reverse(f"kiosk:{pattern.name}", kwargs=kwargs))
    return urls


def _card(**kwargs):
    return CardFactory(person=family_user().person, **kwargs)


def _sign_in(client, serial_number, birth_date=BIRTH_DATE):
    return client.post("/borne/", {"serial_number": serial_number, "birth_date": birth_date})


def _assert_not_enrolled(response):
    assert response.status_code == 403, response
    assert NOT_ENROLLED in response.content.decode()


# -- Every kiosk URL needs an enrolled device ------------------------------------------------


def test_the_sweep_covers_every_kiosk_url_but_the_enrolment():
    names = {pattern.name for pattern in kiosk_urls.urlpatterns}
    assert names >= OPEN_TO_ANY_DEVICE
    assert len(_kiosk_urls()) == len(names) - len(OPEN_TO_ANY_DEVICE) >= 9


@pytest.mark.parametrize("method", ["get", "post"])
def test_every_kiosk_url_refuses_a_device_without_credential(client, method):
    for url in _kiosk_urls():
        _assert_not_enrolled(getattr(client, method)(url))


@pytest.mark.parametrize("method", ["get", "post"])
def test_every_kiosk_url_refuses_an_unknown_credential(client, method):
    client.cookies[kiosk_cookie_name()] = "guessed-or-copied-from-nowhere"
    for url in _kiosk_urls():
        _assert_not_enrolled(getattr(client, method)(url))


@time_machine.travel(TODAY, tick=False)
def test_no_kiosk_session_without_an_enrolled_device(client):
    card = _card()
    _assert_not_enrolled(_sign_in(client, card.serial_number))
    assert "kiosk_person" not in client.session


@time_machine.travel(TODAY, tick=False)
def test_an_enrolled_device_opens_a_session_and_its_use_is_recorded(client):
    device = enrol_client(client)
    assert device.last_used_at is None
    assert _sign_in(client, _card().serial_number).url == "/borne/services/"
    assert client.get("/borne/services/").status_code == 200
    device.refresh_from_db()
    assert device.last_used_at == TODAY


@time_machine.travel(TODAY, tick=False)
def test_a_revoked_device_is_refused_everywhere_and_its_session_ends(client):
    from guichet.terminals import services
    from guichet.terminals.enums import KioskStatus

    device = enrol_client(client)
    _sign_in(client, _card().serial_number)
    assert client.get("/borne/services/").status_code == 200
    agent = AgentFactory(supervisor=True, is_staff=True, is_superuser=True)
    assert services.kiosk_revoke(device_id=device.pk, by=agent)
    _assert_not_enrolled(client.get("/borne/services/"))
    assert "kiosk_person" not in client.session
    for url in _kiosk_urls():
        _assert_not_enrolled(client.get(url))
        _assert_not_enrolled(client.post(url))
    device.refresh_from_db()
    assert device.status == KioskStatus.REVOKED and device.revoked_at == TODAY
    transition = device.transitions.last()
    assert (transition.from_status, transition.to_status, transition.by) == (
        KioskStatus.ACTIVE,
        KioskStatus.REVOKED,
        agent,
    )
    assert not services.kiosk_revoke(device_id=device.pk, by=agent)


# -- Enrolment: a one-time code, a secret known only by its digest -------------------------


@time_machine.travel(TODAY, tick=False)
def test_enrolment_installs_the_credential_in_a_strict_long_lived_cookie(client, settings):
    from guichet.terminals import services
    from guichet.terminals.enums import KioskStatus

    settings.SECURE_COOKIES = True
    enrolment = services.kiosk_enrol(name="Accueil Paris 11", by=None)
    device = enrolment.device
    assert device.status == KioskStatus.PENDING
    assert (
        device.enrolment_code_digest
        == hashlib.sha256(services.normalize_code(enrolment.code).encode()).hexdigest()
    )
    assert len(services.normalize_code(enrolment.code)) == 16
    _assert_not_enrolled(client.get("/borne/"))

    # Opening the link shows the code in a form: a GET (a link preview) never uses it.
    page = client.get(f"/borne/enregistrement/?code={enrolment.code}")
    assert page.status_code == 200
    assert f'value="{enrolment.code}"' in page.content.decode()
    device.refresh_from_db()
    assert device.status == KioskStatus.PENDING

    response = client.post("/borne/enregistrement/", {"code": enrolment.code.lower()})
    assert response.status_code == 200
    assert "Cette borne est enregistrée" in response.content.decode()
    cookie = response.cookies[kiosk_cookie_name()]
    secret = cookie.value
    assert cookie["httponly"] and cookie["secure"] and cookie["samesite"] == "Strict"
    assert int(cookie["max-age"]) >= 365 * 24 * 3600
    device.refresh_from_db()
    assert device.status == KioskStatus.ACTIVE and device.installed_at == TODAY
    # Only digests are stored: a copy of the database does not make a kiosk.
    assert device.secret_digest == hashlib.sha256(secret.encode()).hexdigest()
    assert device.enrolment_code_digest == ""
    assert secret not in str(vars(device))
    assert client.get("/borne/").status_code == 200


@time_machine.travel(TODAY, tick=False)
def test_an_enrolment_code_works_once_and_not_after_it_expires(client):
    from guichet.terminals import services

    enrolment = services.kiosk_enrol(name="Accueil Lyon", by=None)
    assert client.post("/borne/enregistrement/", {"code": enrolment.code}).status_code == 200
    other = Client()
    page = other.post("/borne/enregistrement/", {"code": enrolment.code})
    assert "Ce code d&#x27;enregistrement n&#x27;est pas valide" in page.content.decode()
    assert kiosk_cookie_name() not in page.cookies

    late = services.kiosk_enrol(name="Accueil Nantes", by=None)
    with time_machine.travel(TODAY + services.ENROLMENT_CODE_LIFETIME + dt.timedelta(seconds=1)):
        page = other.post("/borne/enregistrement/", {"code": late.code})
        assert "n&#x27;est pas valide ou a expiré" in page.content.decode()
        assert kiosk_cookie_name() not in page.cookies
    page = other.post("/borne/enregistrement/", {"code": ""})
    assert "Saisissez le code d&#x27;enregistrement" in page.content.decode()


@time_machine.travel(TODAY, tick=False)
def test_wrong_enrolment_codes_are_throttled_per_address_for_a_cool_off_only(client):
    from guichet.terminals import services

    enrolment = services.kiosk_enrol(name="Accueil Lille", by=None)
    for _ in range(services.ENROLMENT_FAILURE_LIMIT):
        page = client.post("/borne/enregistrement/", {"code": "AAAA-BBBB-CCCC-DDDD"})
        assert "n&#x27;est pas valide" in page.content.decode()
    page = client.post("/borne/enregistrement/", {"code": "AAAA-BBBB-CCCC-DDDD"})
    assert "Trop de tentatives" in page.content.decode()
    page = client.post("/borne/enregistrement/", {"code": enrolment.code})
    assert "Trop de tentatives" in page.content.decode()
    assert kiosk_cookie_name() not in page.cookies
    with time_machine.travel(TODAY + services.ENROLMENT_COOL_OFF + dt.timedelta(seconds=1)):
        page = client.post("/borne/enregistrement/", {"code": enrolment.code})
        assert kiosk_cookie_name() in page.cookies


# -- Card sign-ins throttled per card across devices and per device across cards ------------


@time_machine.travel(TODAY, tick=False)
def test_card_failures_are_counted_per_card_across_devices(client):
    from guichet.terminals import services

    card = _card()
    devices = [Client(), Client(), Client()]
    for index, kiosk in enumerate(devices):
        enrol_client(kiosk, f"Borne {index}")
    for attempt in range(services.CARD_FAILURE_LIMIT):
        page = _sign_in(devices[attempt % 2], card.serial_number, "01/01/1971")
        assert "La carte Vitale n&#x27;a pas pu être lue" in page.content.decode()
    # At the limit the card still signs in (its holder typed the right date)...
    assert _sign_in(devices[2], card.serial_number).url == "/borne/services/"
    for attempt in range(services.CARD_FAILURE_LIMIT):
        _sign_in(devices[attempt % 2], card.serial_number, "01/01/1971")
    # ...one failure more, on a third device, and the card waits for the cool-off everywhere.
    page = _sign_in(devices[2], card.serial_number, "01/01/1971").content.decode()
    assert "Trop de tentatives avec cette carte" in page
    for kiosk in devices:
        page = _sign_in(kiosk, card.serial_number)
        assert page.status_code == 200
        assert "Trop de tentatives avec cette carte" in page.content.decode()
    # Another card on the same devices is not blocked.
    assert _sign_in(devices[0], _card().serial_number).url == "/borne/services/"
    with time_machine.travel(TODAY + services.CARD_COOL_OFF + dt.timedelta(seconds=1)):
        assert _sign_in(devices[1], card.serial_number).url == "/borne/services/"


@time_machine.travel(TODAY, tick=False)
def test_card_failures_are_counted_per_device_across_cards(client):
    from guichet.terminals import services

    enrol_client(client, "Accueil Paris 11")
    other_device = Client()
    enrol_client(other_device, "Accueil Paris 12")
    cards = [_card() for _ in range(services.DEVICE_FAILURE_LIMIT + 1)]
    for card in cards[:-1]:
        page = _sign_in(client, card.serial_number, "01/01/1971")
        assert "La carte Vitale n&#x27;a pas pu être lue" in page.content.decode()
    holder = _card()
    assert _sign_in(client, holder.serial_number).url == "/borne/services/"
    client.post("/borne/terminer/")
    # One failure more on this device, with a card never tried before: the device waits.
    page = _sign_in(client, cards[-1].serial_number, "01/01/1971").content.decode()
    assert "Trop de tentatives sur cette borne" in page
    page = _sign_in(client, holder.serial_number).content.decode()
    assert "Trop de tentatives sur cette borne" in page
    assert "kiosk_person" not in client.session
    # The same cards sign in on another device: only this device is slowed down.
    assert _sign_in(other_device, holder.serial_number).url == "/borne/services/"
    with time_machine.travel(TODAY + services.DEVICE_COOL_OFF + dt.timedelta(seconds=1)):
        assert _sign_in(client, holder.serial_number).url == "/borne/services/"


# -- The IT team's tools: the command, the admin, the demo ---------------------------------


@time_machine.travel(TODAY, tick=False)
def test_kiosk_enrol_command_prints_a_one_time_enrolment_link(client):
    out = io.StringIO()
    call_command("kiosk_enrol", "Accueil Paris 11", stdout=out)
    link = re.search(r"http\S+/borne/enregistrement/\?code=(\S+)", out.getvalue())
    assert link, out.getvalue()
    assert client.post("/borne/enregistrement/", {"code": link.group(1)}).status_code == 200
    assert client.get("/borne/").status_code == 200


@time_machine.travel(TODAY, tick=False)
def test_admin_lists_devices_with_last_use_and_revokes_them(client):
    from guichet.terminals.enums import KioskStatus
    from guichet.terminals.models import KioskDevice

    device = enrol_client(client)
    client.get("/borne/")
    model_admin = site._registry[KioskDevice]
    assert "last_used_at" in model_admin.list_display
    request = RequestFactory().post("/admin/terminals/kioskdevice/")
    request.user = AgentFactory(supervisor=True, is_staff=True, is_superuser=True)
    request._messages = CookieStorage(request)
    model_admin.revoke_selected(request, KioskDevice.objects.filter(pk=device.pk))
    device.refresh_from_db()
    assert device.status == KioskStatus.REVOKED
    assert device.transitions.last().by == request.user
    _assert_not_enrolled(client.get("/borne/"))


@time_machine.travel(TODAY, tick=False)
def test_the_demo_prints_a_working_enrolment_link_each_time(client):
    from guichet.terminals import demo
    from guichet.terminals.models import KioskDevice

    links = []
    for _ in range(2):
        out = io.StringIO()
        demo.seed(out)
        links.append(re.search(r"/borne/enregistrement/\?code=(\S+)", out.getvalue()).group(1))
    assert KioskDevice.objects.count() == 1
    page = client.post("/borne/enregistrement/", {"code": links[0]})
    assert kiosk_cookie_name() not in page.cookies
    client.post("/borne/enregistrement/", {"code": links[1]})
    assert client.get("/borne/").status_code == 200


@time_machine.travel(TODAY, tick=False)
def test_adding_a_kiosk_in_the_admin_shows_its_one_time_code_once(client):
    from guichet.terminals.enums import KioskStatus
    from guichet.terminals.models import KioskDevice

    agent = AgentFactory(supervisor=True, is_staff=True, is_superuser=True)
    request = RequestFactory().post("/admin/terminals/kioskdevice/add/", {"name": "Accueil Lyon"})
    request.user = agent
    agent.is_verified = lambda: True  # what OTPMiddleware sets after the second factor
    request._dont_enforce_csrf_checks = True
    request._messages = CookieStorage(request)
    response = site._registry[KioskDevice].add_view(request)
    response.render()
    page = response.content.decode()
    assert response["Cache-Control"] == "no-store"
    code = re.search(r"<code>([A-Z2-9]{4}(?:-[A-Z2-9]{4}){3})</code>", page).group(1)
    assert f"/borne/enregistrement/?code={code}" in page
    device = KioskDevice.objects.get()
    assert (device.name, device.status, device.created_by) == (
        "Accueil Lyon",
        KioskStatus.PENDING,
        agent,
    )
    assert code not in str(vars(device))
    client.post("/borne/enregistrement/", {"code": code})
    assert client.get("/borne/").status_code == 200
