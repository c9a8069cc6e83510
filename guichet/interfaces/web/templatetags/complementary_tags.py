"""« Mes informations »: the complementary-insurer status of one beneficiary (rule O6)."""

from django import template

from guichet.complementary import selectors
from guichet.reference.models import Person

register = template.Library()


@register.simple_tag
def complementary_status(person: Person) -> selectors.BeneficiaryStatus:
    return selectors.beneficiary_status(person=person)
