"""seed_scale: the expected rows, valid and unique identifiers, and few queries per batch."""

import io

import pytest
from django.core.management import call_command
from django.db.models import Count
from schwifty import IBAN

from guichet.accounts.models import User
from guichet.accounts.services import insured_authenticate
from guichet.core import clock
from guichet.demo import scale, services
from guichet.demo.personas import PERSONAS
from guichet.reference.enums import FamilyRole
from guichet.reference.models import Card, ComplementaryContract, Family, Person, RightsPeriod
from guichet.reference.validators import validate_nir

pytestmark = pytest.mark.django_db


def test_seed_scale_creates_valid_families(frozen):
    report = scale.scale_seed(insured=200, batch_size=80, pipeline=False)
    assert report.families == Family.objects.count() == 200
    openers = Person.objects.filter(role=FamilyRole.RIGHTS_OPENER)
    assert openers.count() == 200
    assert not Family.objects.annotate(n=Count("members")).filter(n=0).exists()
    assert report.persons == Person.objects.count() > 200  # spouses and children too
    assert report.rights_periods == RightsPeriod.objects.count() == report.persons
    assert report.cards == Card.objects.count() > 0
    assert report.accounts == User.objects.count() > 0
    nirs = list(Person.objects.values_list("nir", flat=True))
    assert len(set(nirs)) == len(nirs)
    for nir in nirs:
        validate_nir(nir)
    for iban in openers.exclude(iban="").values_list("iban", flat=True):
        IBAN(iban)
    serials = list(Card.objects.values_list("serial_number", flat=True))
    assert all(len(s) == 20 for s in serials)


def test_seed_scale_has_some_overlaps(frozen):
    scale.scale_seed(insured=400, pipeline=False)
    today = clock.today()
    overlapping = {
        c.person_id
        for c in ComplementaryContract.objects.all()
        if c.is_in_force_on(today)
        and ComplementaryContract.objects.filter(person_id=c.person_id).exclude(pk=c.pk).exists()
    }
    assert 0 < len(overlapping) < 0.1 * Person.objects.count()


def test_scale_accounts_log_in(frozen):
    scale.scale_seed(insured=20, pipeline=False)
    user = User.objects.select_related("person").first()
    assert user is not None
    result = insured_authenticate(nir=user.username, code=scale.SCALE_CODE, ip="127.0.0.1")
    assert result.user == user


def test_seed_scale_queries_do_not_grow_with_rows(frozen, django_assert_max_num_queries):
    services.reference_data_seed()
    # 200 insured make ~370 persons and ~2,000 rows in all. PostgreSQL needs ~12 queries (COPY);
    # SQLite ~45, as bulk_create splits inserts at 999 parameters. A query per row: ~2,000.
    with django_assert_max_num_queries(60):
        scale.scale_seed(insured=200, batch_size=200, pipeline=False)


def test_seed_scale_runs_again_and_beside_the_demo(frozen):
    services.demo_seed()
    demo_persons = Person.objects.count()
    out = io.StringIO()
    call_command("seed_scale", "--insured", "30", "--no-pipeline", stdout=out)
    call_command("seed_scale", "--insured", "30", "--batch-size", "7", "--no-pipeline", stdout=out)
    assert Person.objects.filter(role=FamilyRole.RIGHTS_OPENER).count() == 60 + len(PERSONAS)
    assert Person.objects.count() > demo_persons + 60
    assert "30 assurés ajoutés" in out.getvalue()


@pytest.mark.django_db(transaction=True)
def test_seed_scale_pipeline_commits_every_batch(frozen):
    """The default path: on PostgreSQL a second thread writes while the next batch is built."""
    report = scale.scale_seed(insured=50, batch_size=20)
    assert Family.objects.count() == report.families == 50
    assert Person.objects.count() == report.persons
    assert User.objects.count() == report.accounts
