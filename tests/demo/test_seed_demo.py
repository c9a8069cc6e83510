"""seed_demo: idempotent, prints the personas and agents, calls every app's demo module."""

import io
import types

import pytest
from django.apps import apps
from django.core.management import call_command

from guichet.demo import services, tables
from guichet.demo.personas import AGENTS, PERSONAS

pytestmark = pytest.mark.django_db


def _counts() -> dict[str, int]:
    return {
        model._meta.label: model.objects.count()
        for model in apps.get_models()
        if model._meta.app_label not in {"sessions", "contenttypes", "auth", "admin"}
    }


def test_seed_demo_twice_gives_the_same_data(frozen):
    first_out = io.StringIO()
    call_command("seed_demo", stdout=first_out)
    first = _counts()
    frozen.shift(3600)
    call_command("seed_demo", stdout=io.StringIO())
    assert _counts() == first
    assert first["reference.Person"] == sum(1 + len(p.members) for p in PERSONAS)
    output = first_out.getvalue()
    for item in PERSONAS:
        assert item.nir in output
    for agent in AGENTS:
        assert agent.username in output


def test_seed_demo_calls_every_app_demo_module(frozen, monkeypatch):
    calls = []
    fake = types.ModuleType("guichet.fake.demo")
    fake.seed = lambda stdout: calls.append(stdout)
    monkeypatch.setattr(services, "app_demo_modules", lambda: [fake])
    out = io.StringIO()
    call_command("seed_demo", stdout=out)
    assert len(calls) == 1
    assert "guichet.fake.demo" in out.getvalue()


def test_app_demo_modules_have_a_seed_function():
    for module in services.app_demo_modules():
        assert callable(module.seed), module.__name__


def test_write_docs(frozen, tmp_path, monkeypatch):
    target = tmp_path / "personas.md"
    monkeypatch.setattr(tables, "DOCS_PATH", target)
    call_command("seed_demo", "--write-docs", stdout=io.StringIO())
    text = target.read_text()
    for item in PERSONAS:
        assert f"`{item.nir}`" in text


def test_committed_personas_doc_is_up_to_date():
    """docs/personas.md is generated: regenerate it with `manage.py seed_demo --write-docs`."""
    committed = (tables.DOCS_PATH).read_text(encoding="utf-8")
    assert committed == tables.markdown()
