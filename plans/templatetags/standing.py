"""The one standing (plans.standing) for pages of apps below plans in the layers.

The doctor's record pages belong to the trainees app, which may not import plans; they load
this tag instead, so the record shows exactly what Min plan and the requirement page show.
Wording follows the reader: "du" when the doctor reads about themselves, the doctor's name
for the leader, the office and the veileder."""

from django import template

from ..standing import standing

register = template.Library()


@register.simple_tag
def standing_of(trainee):
    return standing(trainee, with_goals=False)


def reader_is_doctor(context, trainee) -> bool:
    request = context.get("request")
    user = getattr(request, "user", None)
    return bool(trainee.user_id) and getattr(user, "pk", None) == trainee.user_id


@register.simple_tag(takes_context=True)
def standing_headline(context, current):
    """The finish date, what decides it and what is behind, in the reader's words."""
    return current.headline(own=reader_is_doctor(context, current.trainee))


@register.simple_tag(takes_context=True)
def standing_actions(context, current):
    """The next three things to do, in the reader's words."""
    return current.actions(own=reader_is_doctor(context, current.trainee))
