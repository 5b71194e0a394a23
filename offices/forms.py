"""Running a service from a view: the service's validation errors land on the form. Also the
amount field that reads numbers the way Norwegians write them."""

import re
from collections.abc import Callable
from decimal import Decimal
from typing import TypeVar

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

T = TypeVar("T")


def call_service(call: Callable[[], T]) -> tuple[T | None, ValidationError | None]:
    """Run a service: (its result, None), or (None, the ValidationError it raised). The one
    place that catches a service's ValidationError; the helpers below show it to the user."""
    try:
        return call(), None
    except ValidationError as error:
        return None, error


def add_service_errors(form, error: ValidationError, field: str | None = None) -> None:
    """Show a service's ValidationError on the form: on the field when the form has it, else
    on `field` (None: above the form)."""
    if hasattr(error, "error_dict"):
        for name, errors in error.error_dict.items():
            form.add_error(name if name in form.fields else field, errors)
    else:
        form.add_error(field, error)


def run_service(form, call: Callable[[], T], field: str | None = None) -> tuple[bool, T | None]:
    """Run the write for a valid form. A ValidationError from the service lands on the form
    (which keeps what the user typed; `field` names where an error without a field goes);
    returns (saved, the service's result)."""
    result, error = call_service(call)
    if error is not None:
        add_service_errors(form, error, field)
        return False, None
    return True, result


def error_text(error: ValidationError) -> str:
    """A service's ValidationError as one line for a message (for actions without a form)."""
    return " ".join(error.messages)


def run_action(request, call: Callable[[], T], success: str | None = None) -> tuple[bool, T | None]:
    """Run the write behind a button (no form): a ValidationError from the service becomes one
    error message, otherwise `success` (when given) is shown. Returns (done, the result)."""
    result, error = call_service(call)
    if error is not None:
        messages.error(request, error_text(error))
        return False, None
    if success:
        messages.success(request, success)
    return True, result


def form_error_texts(form) -> list[str]:
    """Every error of a bound form as text, the form's own first (for a message when the
    form itself is not shown again)."""
    texts = [str(e) for e in form.non_field_errors()]
    for name, errors in form.errors.items():
        if name != "__all__":
            texts += [str(e) for e in errors]
    return texts


def error_summary(*forms) -> list[tuple[str, str]]:
    """(link target, text) of every error in the forms and formsets given, in page order, for
    an error summary at the top of a long form (Designsystemet's ErrorSummary): each field's
    error links to its input, the form's own errors to the form."""
    entries = []
    for item in forms:
        if item is None:
            continue
        if hasattr(item, "management_form"):
            entries += [("", str(e)) for e in item.non_form_errors()]
            entries += error_summary(*item.forms)
            continue
        if not item.is_bound:
            continue
        entries += [("", str(e)) for e in item.non_field_errors()]
        for name, errors in item.errors.items():
            if name == "__all__" or name not in item.fields:
                continue
            field = item[name]
            # Radio buttons and checkbox lists have no one input: link to the first.
            target = field.id_for_label or (f"{field.auto_id}_0" if field.auto_id else "")
            for error in errors:
                entries.append((target, f"{field.label}: {error}"))
    return entries


# Spaces people (and programs) put between thousands: space, no-break space, narrow no-break.
_GROUP_SPACES = re.compile(r"[ \u00a0\u202f]")
_PLAIN_NUMBER = re.compile(r"^-?\d+(\.\d+)?$")
_DOTTED_THOUSANDS = re.compile(r"^-?\d{1,3}(\.\d{3})+$")


def parse_norwegian_decimal(text: str) -> str | None:
    """'12 345,50' → '12345.50' (also '12.345,50', '12345.50', '1 500 kr', '1 500,-');
    None when it is not a number."""
    value = _GROUP_SPACES.sub("", text.strip())
    value = re.sub(r"(?i)(kr\.?|,-)$", "", value)
    if "," in value:
        # The comma is the decimal sign; dots before it group the thousands ("12.345,50").
        whole, _comma, fraction = value.rpartition(",")
        if "," in whole or not re.fullmatch(r"-?\d{1,3}(\.\d{3})*|-?\d+", whole):
            return None
        value = f"{whole.replace('.', '')}.{fraction}"
    elif _DOTTED_THOUSANDS.match(value):
        value = value.replace(".", "")  # "12.345" is twelve thousand, as written in Norway
    return value if _PLAIN_NUMBER.match(value) else None


def format_norwegian_decimal(value: Decimal, decimal_places: int = 2) -> str:
    """Decimal('14500') → '14 500,00': what the field shows and reads back."""
    text = f"{Decimal(value):,.{decimal_places}f}"
    return text.replace(",", " ").replace(".", ",")


class NorwegianDecimalField(forms.DecimalField):
    """An amount typed as Norwegians write it: '12 345,50' (spaces between thousands, a comma
    before the øre). A text input with a decimal keyboard on phones (a number input refuses
    spaces and, in some browsers, the comma); the value is a Decimal."""

    widget = forms.TextInput
    default_error_messages = {
        "invalid": _("Skriv beløpet med tall, for eksempel 12 345,50."),
    }

    def widget_attrs(self, widget):
        attrs = super().widget_attrs(widget)
        attrs.update({"inputmode": "decimal", "autocomplete": "off"})
        return attrs

    def to_python(self, value):
        if isinstance(value, str) and value.strip():
            parsed = parse_norwegian_decimal(value)
            if parsed is None:
                raise ValidationError(self.error_messages["invalid"], code="invalid")
            value = parsed
        return super().to_python(value)

    def prepare_value(self, value):
        if isinstance(value, (Decimal, int)) and not isinstance(value, bool):
            return format_norwegian_decimal(value, self.decimal_places or 0)
        return value


# C0 and C1 control characters (CR, LF, TAB, NUL, ESC, NEL …), DEL and the Unicode line and
# paragraph separators: none belongs in a one-line field such as a title or a place.
_LINE_BREAKERS = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]")


def single_line(value: str) -> str:
    """A one-line text: every control character and line break becomes a space, runs of
    spaces they leave become one, and the ends are trimmed. For titles and other one-line
    fields that end up in headers, calendar files (.ics) or e-mail subjects."""
    if not value:
        return value
    if not _LINE_BREAKERS.search(value):
        return value
    return " ".join(_LINE_BREAKERS.sub(" ", value).split())


class SingleLineMixin:
    """A form whose `single_line_fields` are made one line (see single_line) when cleaned,
    silently: a line break typed or pasted into a title is a space."""

    single_line_fields: tuple[str, ...] = ()

    def clean(self):
        data = super().clean()
        for name in self.single_line_fields:
            if isinstance(data.get(name), str):
                data[name] = single_line(data[name])
        return data
