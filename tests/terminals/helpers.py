"""An enrolled kiosk for the tests: the device credential a kiosk's browser holds."""

from django.test import Client


def enrolled_kiosk(name: str = "Accueil Paris 11"):
    """A kiosk enrolled by the IT team and installed: (device, the secret of its cookie)."""
    from guichet.terminals import services

    enrolment = services.kiosk_enrol(name=name, by=None)
    installed = services.kiosk_install(code=enrolment.code, ip="127.0.0.1")
    return installed.device, installed.secret


def kiosk_cookie_name() -> str:
    from guichet.interfaces.kiosk.device import COOKIE_NAME

    return COOKIE_NAME


def enrol_client(client: Client, name: str = "Accueil Paris 11"):
    """Give a test client the cookie of a newly enrolled kiosk; returns the device."""
    device, secret = enrolled_kiosk(name)
    client.cookies[kiosk_cookie_name()] = secret
    return device
