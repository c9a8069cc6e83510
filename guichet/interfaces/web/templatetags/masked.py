"""Partly hidden data with a text alternative (issue 14, RGAA 1.3): a screen reader would read
the bullets one by one; it hears what is visible instead."""

from django import template
from django.utils.html import format_html

register = template.Library()

BULLET = "•"


def _spelled(text: str) -> str:
    return " ".join(ch for ch in text if not ch.isspace())


@register.simple_tag
def masked_iban(display: str) -> str:
    visible_tail = display.rsplit(BULLET, 1)[-1].strip()
    spoken = f"IBAN masqué, se terminant par {_spelled(visible_tail)}"
    return format_html(
        '<span class="guichet-masked" aria-hidden="true">{}</span><span class="fr-sr-only">{}</span>',
        display,
        spoken,
    )


@register.simple_tag
def masked_email(display: str) -> str:
    local, _, domain = display.partition("@")
    first = local.replace(BULLET, "")[:1]
    spoken = f"adresse email masquée, commençant par {first}, chez {domain}"
    return format_html(
        '<span class="guichet-masked" aria-hidden="true">{}</span><span class="fr-sr-only">{}</span>',
        display,
        spoken,
    )
