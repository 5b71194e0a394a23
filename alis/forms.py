"""Project-wide form rendering in Designsystemet's markup.

Every form, ours and allauth's, renders through these templates: labels on every field, help
and error texts tied to the input with aria-describedby (Django 5.2 does the wiring), and the
`ds-input` class on inputs so the theme styles them.
"""

from collections.abc import Callable
from typing import TypeVar

from django.core.exceptions import ValidationError
from django.forms import BoundField, RadioSelect
from django.forms.renderers import TemplatesSetting

T = TypeVar("T")


class DsBoundField(BoundField):
    def build_widget_attrs(self, attrs, widget=None):
        attrs = super().build_widget_attrs(attrs, widget)
        widget = widget or self.field.widget
        if not widget.is_hidden and not isinstance(widget, RadioSelect):
            css = attrs.get("class", widget.attrs.get("class", ""))
            if "ds-input" not in css:
                attrs["class"] = f"{css} ds-input".strip()
        return attrs


class FormRenderer(TemplatesSetting):
    form_template_name = "forms/div.html"
    field_template_name = "forms/field.html"
    bound_field_class = DsBoundField


def add_service_errors(form, error: ValidationError) -> None:
    """Show a service's ValidationError on the form: on the field when the form has it."""
    if hasattr(error, "error_dict"):
        for name, errors in error.error_dict.items():
            form.add_error(name if name in form.fields else None, errors)
    else:
        form.add_error(None, error)


def run_service(form, call: Callable[[], T]) -> tuple[bool, T | None]:
    """Run the write for a valid form. A ValidationError from the service lands on the form
    (which keeps what the user typed); returns (saved, the service's result)."""
    try:
        return True, call()
    except ValidationError as error:
        add_service_errors(form, error)
        return False, None
