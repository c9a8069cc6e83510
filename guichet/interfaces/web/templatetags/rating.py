"""Template helpers of the « Notez votre démarche ! » partial (rule G5)."""

from django import template

from guichet.feedback.enums import Score

register = template.Library()


@register.simple_tag
def rating_score_choices() -> list[tuple[int, str]]:
    """The scores 1 to 5 with their French labels, so the partial needs no view context."""
    return list(Score.choices)
