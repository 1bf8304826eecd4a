"""How a service refuses, and the one place a view turns a refusal into what the user reads.

A service raises ``WorkflowError`` when the step cannot be taken now (the state moved on, the window closed):
the view shows the message and goes back to the object's page. It raises Django's ``ValidationError`` (with a
dict of field → messages) when what was typed is wrong: the view redraws the form with each message beside its
field and everything typed kept. ``refusal`` is that translation, so a view has no ``except`` block of its own::

    with refusal(request) as refused:
        notice_publish(notice=notice, by=request.user, request=request)
    if refused.errors:    # field errors: redraw the form
        ...
    elif refused:         # a workflow refusal: the message is queued
        return redirect(...)
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

from django.contrib import messages
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.forms import Form
from django.http import HttpRequest


class WorkflowError(Exception):
    """The step is not possible in the object's current state; the message says why, for the user."""


@dataclass
class Refused:
    """What a refused service call left for the view: field errors, or a workflow message (already queued)."""

    errors: dict[str, list[str]] = field(default_factory=dict)
    message: str = ""

    def __bool__(self) -> bool:
        return bool(self.errors or self.message)

    @property
    def text(self) -> str:
        """Everything refused as one sentence (for answers that have no form, such as JSON)."""
        return self.message or " ".join(m for messages_ in self.errors.values() for m in messages_)


def error_dict(error: ValidationError) -> dict[str, list[str]]:
    if hasattr(error, "error_dict"):
        return error.message_dict
    return {NON_FIELD_ERRORS: error.messages}


@contextmanager
def refusal(
    request: HttpRequest | None = None, *, queue_message: bool = True, errors_as_message: bool = False
) -> Iterator[Refused]:
    """Catch a service's refusal: field errors are kept for the form, a workflow error becomes a message.
    ``errors_as_message``: the page has no form to show them beside (a button), so they become the message."""
    refused = Refused()
    try:
        yield refused
    except WorkflowError as error:
        refused.message = str(error)
    except ValidationError as error:
        refused.errors = error_dict(error)
        if errors_as_message:
            refused.message = refused.text
    if refused.message and request is not None and queue_message:
        messages.error(request, refused.message)


def add_to_form(form: Form, errors: dict[str, list[str]]) -> None:
    """Put a service's field errors beside the form's fields (those it has no field for at the top)."""
    for name, messages_ in errors.items():
        form.add_error(name if name in form.fields else None, messages_)
