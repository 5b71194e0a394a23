"""Figures of the doctor's record, written the same way on the page and in the package PDF."""

from django import template
from django.utils.translation import ngettext

from plans.rules import format_hours

register = template.Library()


@register.filter
def hours(value) -> str:
    """Decimal hours as the requirement pages write them: '87,6 t', '20 t'."""
    return format_hours(value or 0)


@register.simple_tag
def individual_supervision(sessions: int, hours_done, hours_required) -> str:
    """'Individuell veiledning: 26 økter, 45,5 t i alt mot 87,6 t som kreves så langt.'
    (the number of sessions, then the hours: two different figures)."""
    return ngettext(
        "Individuell veiledning: %(n)s økt, %(hours)s i alt mot %(required)s som kreves så langt.",
        "Individuell veiledning: %(n)s økter, %(hours)s i alt mot %(required)s som kreves så "
        "langt.",
        sessions,
    ) % {"n": sessions, "hours": hours(hours_done), "required": hours(hours_required)}
