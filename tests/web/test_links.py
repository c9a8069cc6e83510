"""Links reversed once per process, by name, script prefix and URL configuration (issue 16)."""

import pytest
from django.urls import NoReverseMatch, reverse, set_script_prefix

from guichet.interfaces.web.catalogue import procedure_groups, quick_procedures
from guichet.interfaces.web.links import link


def test_a_link_is_what_reverse_gives():
    for name in ("web:home", "web:payments", "web:information", "web:card_order_start"):
        assert link(name) == reverse(name)


def test_a_link_follows_the_script_prefix():
    try:
        set_script_prefix("/guichet/")
        assert link("web:payments") == "/guichet/mes-paiements/"
        assert {e["url"] for e in quick_procedures() if e["url"]} <= {
            e["url"] for g in procedure_groups() for e in g["entries"]
        }
        assert all(
            e["url"].startswith("/guichet/")
            for g in procedure_groups()
            for e in g["entries"]
            if e["url"]
        )
    finally:
        set_script_prefix("/")
    assert link("web:payments") == "/mes-paiements/"


def test_a_link_follows_the_url_configuration(settings):
    home = link("web:home")
    settings.ROOT_URLCONF = "tests.web.urls_mounted"
    assert link("web:home") == "/autre/"
    settings.ROOT_URLCONF = "config.urls"
    assert link("web:home") == home


def test_an_unknown_name_raises_every_time():
    for _ in range(2):
        with pytest.raises(NoReverseMatch):
            link("web:nothing_of_the_sort")
