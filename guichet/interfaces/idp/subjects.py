"""Pairwise subject identifiers (OpenID Connect Core § 8.1, rule C10): the `sub` of the ID
token and of userinfo, one per (person, relying party). See docs/decisions/oidc-pairwise-sub.md."""

from typing import Any

from guichet.interfaces.idp.models import PairwiseSubject
from guichet.reference.models import Person


def pairwise_subject(*, person: Person, application: Any) -> str:
    """The person's `sub` at this relying party: drawn at random on the first sign-in, then the
    same one. Two first sign-ins at once: the unique constraint keeps one, get_or_create reads it."""
    subject, _ = PairwiseSubject.objects.get_or_create(person=person, application=application)
    return subject.sub
