"""The power-of-attorney block of « Mes informations » (rule P7), usable from any template."""

from django import template

from guichet.powers import selectors
from guichet.powers.models import PowerOfAttorney

register = template.Library()


@register.simple_tag
def current_power_of_attorney(user: object) -> PowerOfAttorney | None:
    person = getattr(user, "person", None)
    if person is None:
        return None
    return selectors.current_power(person=person)
