"""Project-wide form rendering in Designsystemet's markup.

Every form, ours and allauth's, renders through these templates: labels on every field, help
and error texts tied to the input with aria-describedby (Django 5.2 does the wiring), and the
`ds-input` class on inputs so the theme styles them.
"""

from django.forms import BoundField, RadioSelect
from django.forms.renderers import TemplatesSetting


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
