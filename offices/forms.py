"""Running a service from a view: the service's validation errors land on the form."""

from collections.abc import Callable
from typing import TypeVar

from django.core.exceptions import ValidationError

T = TypeVar("T")


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


def error_text(error: ValidationError) -> str:
    """A service's ValidationError as one line for a message (for actions without a form)."""
    return " ".join(error.messages)
