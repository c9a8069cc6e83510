"""Statements compiled once per process (guichet.core.prepared, issue 16,
docs/decisions/prepared-statements.md): the same objects as the queryset, each call with its own
values, the SQL compiled once, and the querysets whose SQL depends on the values refused."""

import datetime as dt

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.db.models.sql.compiler import SQLCompiler
from django.forms.models import model_to_dict

from guichet.core import clock
from guichet.core.prepared import PreparedRead
from guichet.notifications.models import Notification
from guichet.reference import selectors
from guichet.reference.models import Person, RightsPeriod
from tests.factories import InsuredUserFactory, PaymentFactory, PersonFactory

pytestmark = pytest.mark.django_db

DAY = dt.date(2026, 12, 1)


def _family_of_three() -> Person:
    opener = PersonFactory()
    PersonFactory(dependant=True, family=opener.family, birth_date=dt.date(2015, 3, 4))
    PersonFactory(dependant=True, family=opener.family, birth_date=dt.date(2012, 7, 8))
    return opener


def _fields(rows: list) -> list[dict]:
    return [model_to_dict(row) | {"pk": row.pk} for row in rows]


def test_a_prepared_read_gives_what_its_queryset_gives(django_assert_num_queries) -> None:
    opener = _family_of_three()
    PersonFactory()  # another family
    expected = list(
        selectors.family_open_rights_periods(family_id=opener.family_id, day=DAY).order_by(
            "person_id", "id"
        )
    )
    with django_assert_num_queries(1):
        periods = selectors.family_open_rights_periods_by_person(
            family_id=opener.family_id, day=DAY
        )
    assert len(periods) == 3
    assert _fields(periods) == _fields(expected)
    # select_related's objects come with the rows, as from the queryset.
    with django_assert_num_queries(0):
        people = [(p.person.nir, p.person.family_id, p.scheme.code) for p in periods]
    assert people == [(p.person.nir, p.person.family_id, p.scheme.code) for p in expected]
    assert all(isinstance(p, RightsPeriod) and p._state.db == "default" for p in periods)


def test_each_call_reads_with_its_own_values(django_assert_num_queries) -> None:
    first, second = _family_of_three(), PersonFactory()
    with django_assert_num_queries(2):
        of_first = selectors.family_open_rights_periods_by_person(
            family_id=first.family_id, day=DAY
        )
        of_second = selectors.family_open_rights_periods_by_person(
            family_id=second.family_id, day=DAY
        )
    assert {p.person.family_id for p in of_first} == {first.family_id}
    assert [p.person_id for p in of_second] == [second.pk]
    # The day is a value too: before the rights opened, nobody.
    assert (
        selectors.family_open_rights_periods_by_person(
            family_id=first.family_id, day=dt.date(2019, 1, 1)
        )
        == []
    )


def test_the_statement_is_compiled_once(monkeypatch: pytest.MonkeyPatch) -> None:
    first, second = PersonFactory(), PersonFactory()
    read = PreparedRead(
        "test.people_of_family",
        lambda family_id: Person.objects.filter(family_id=family_id).select_related("family"),
        family_id=int,
    )
    calls = []
    as_sql = SQLCompiler.as_sql

    def counted(self, *args, **kwargs):
        calls.append(self.query.model)
        return as_sql(self, *args, **kwargs)

    monkeypatch.setattr(SQLCompiler, "as_sql", counted)
    assert [p.pk for p in read(family_id=first.family_id)] == [first.pk]
    assert calls == [Person, Person]  # the two builds with stand-ins that check its shape
    assert [p.pk for p in read(family_id=second.family_id)] == [second.pk]
    assert [p.pk for p in read(family_id=first.family_id)] == [first.pk]
    assert calls == [Person, Person]  # later calls: no compiling


def test_datetimes_values_lists_and_slices() -> None:
    user, other = InsuredUserFactory(), InsuredUserFactory()
    now = clock.now()
    for days in (3, 2, 1):
        Notification.objects.create(recipient=user, title=f"il y a {days} j", body="…")
    Notification.objects.create(recipient=other, title="autre", body="…")
    Notification.objects.filter(recipient=user, title="il y a 3 j").update(
        created_at=now - dt.timedelta(days=3)
    )
    since = now - dt.timedelta(days=2)
    read = PreparedRead(
        "test.titles_since",
        lambda user_id, since: (
            Notification.objects.filter(recipient_id=user_id, created_at__gte=since)
            .order_by("title")
            .values_list("title", "created_at")[:5]
        ),
        user_id=int,
        since=dt.datetime,
    )
    expected = list(
        Notification.objects.filter(recipient_id=user.pk, created_at__gte=since)
        .order_by("title")
        .values_list("title", "created_at")[:5]
    )
    rows = read(user_id=user.pk, since=since)
    assert rows == expected and len(rows) == 2
    assert all(created.tzinfo is not None for _, created in rows)  # the converters applied


def test_the_heavy_reads_alias_is_asked_at_each_call() -> None:
    opener = PersonFactory()
    PaymentFactory.create_batch(3, family=opener.family, beneficiary=opener)
    aliases = []

    def using() -> str:
        aliases.append("default")
        return "default"

    read = PreparedRead(
        "test.payments",
        lambda family_id: selectors.Payment.objects.filter(family_id=family_id)[:2],
        using=using,
        family_id=int,
    )
    assert len(read(family_id=opener.family_id)) == 2
    assert len(read(family_id=opener.family_id)) == 2
    assert aliases == ["default", "default"]
    latest = selectors.latest_family_payments(family_id=opener.family_id, limit=2)
    assert [p.pk for p in latest] == [
        p.pk for p in selectors.family_payments(family_id=opener.family_id)[:2]
    ]


def test_a_statement_that_depends_on_its_values_is_refused() -> None:
    shape_changes = PreparedRead(
        "test.shape", lambda n: Person.objects.filter(pk=n)[: n % 2 + 1], n=int
    )
    with pytest.raises(ImproperlyConfigured):
        shape_changes(n=1)
    unused = PreparedRead("test.unused", lambda n: Person.objects.all(), n=int)
    with pytest.raises(ImproperlyConfigured):
        unused(n=1)
    read = PreparedRead("test.by_pk", lambda n: Person.objects.filter(pk=n), n=int)
    with pytest.raises(ValueError):
        read(n=None)  # IS NULL would be another statement
    with pytest.raises(TypeError):
        read(m=1)
    day = PreparedRead(
        "test.day", lambda day: RightsPeriod.objects.filter(start_date__lte=day), day=dt.date
    )
    with pytest.raises(TypeError):
        day(day=clock.now())  # a datetime is not a date
