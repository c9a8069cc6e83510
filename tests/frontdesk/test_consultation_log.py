"""The client-file consultation log: who, when, why; append-only (issue 4)."""

import datetime as dt

import pytest
import time_machine
from django.contrib.admin.sites import site
from django.test import RequestFactory

from guichet.core.clock import PARIS
from guichet.frontdesk import services
from guichet.frontdesk.enums import ConsultationReason
from guichet.frontdesk.models import FileConsultation, ImmutableRecord
from tests.factories import AgentFactory, InsuredUserFactory, PersonFactory

pytestmark = pytest.mark.django_db

NOW = dt.datetime(2026, 11, 23, 14, 5, tzinfo=PARIS)


@pytest.fixture
def consultation():
    with time_machine.travel(NOW, tick=False):
        return services.consultation_record(
            agent=AgentFactory(),
            person=PersonFactory(),
            reason=ConsultationReason.PROXY_AT_DESK,
        )


def test_records_who_when_why(consultation):
    stored = FileConsultation.objects.get()
    assert (stored.agent, stored.person, stored.at, stored.reason) == (
        consultation.agent,
        consultation.person,
        NOW,
        ConsultationReason.PROXY_AT_DESK,
    )


def test_other_reason_needs_a_detail():
    with pytest.raises(services.ConsultationRefused, match="Précisez"):
        services.consultation_record(
            agent=AgentFactory(), person=PersonFactory(), reason=ConsultationReason.OTHER
        )
    stored = services.consultation_record(
        agent=AgentFactory(),
        person=PersonFactory(),
        reason=ConsultationReason.OTHER,
        detail="  Réclamation écrite  ",
    )
    assert stored.detail == "Réclamation écrite"


def test_an_insured_account_cannot_log_a_consultation():
    user = InsuredUserFactory()
    with pytest.raises(services.ConsultationRefused):
        services.consultation_record(agent=user, person=user.person, reason=ConsultationReason.MAIL)


def test_a_consultation_cannot_be_changed_or_deleted(consultation):
    consultation.reason = ConsultationReason.MAIL
    with pytest.raises(ImmutableRecord):
        consultation.save()
    with pytest.raises(ImmutableRecord):
        consultation.delete()
    with pytest.raises(ImmutableRecord):
        FileConsultation.objects.filter(pk=consultation.pk).update(reason=ConsultationReason.MAIL)
    with pytest.raises(ImmutableRecord):
        FileConsultation.objects.all().delete()
    with pytest.raises(ImmutableRecord):
        FileConsultation.objects.bulk_update([consultation], ["reason"])
    stored = FileConsultation.objects.get()
    assert stored.reason == ConsultationReason.PROXY_AT_DESK


def test_admin_is_read_only(consultation):
    request = RequestFactory().get("/admin/")
    request.user = AgentFactory(supervisor=True, is_superuser=True, is_staff=True)
    model_admin = site._registry[FileConsultation]
    assert not model_admin.has_add_permission(request)
    assert not model_admin.has_change_permission(request, consultation)
    assert not model_admin.has_delete_permission(request, consultation)
