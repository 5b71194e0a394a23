"""The one standing (plans.standing) for pages of apps below plans in the layers.

The doctor's record pages belong to the trainees app, which may not import plans; they load
this tag instead, so the record shows exactly what Min plan and the requirement page show."""

from django import template

from ..standing import standing

register = template.Library()


@register.simple_tag
def standing_of(trainee):
    return standing(trainee, with_goals=False)
