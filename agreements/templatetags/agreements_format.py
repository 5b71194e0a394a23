"""Norwegian amounts and months in templates: {{ x|kr }}, {{ x|tall }}, {{ day|maaned }}."""

from django import template

from agreements.formatting import format_kr, format_month, format_number

register = template.Library()


@register.filter
def kr(value):
    return format_kr(value)


@register.filter
def tall(value, decimals=None):
    return format_number(value, None if decimals in (None, "") else int(decimals))


@register.filter
def maaned(value):
    return format_month(value)
