"""The portal's own words for a required field left empty: "请填写{field}。" beside the field (请选择 for a choice or a
file, 请勾选 for a box to tick), never Django's "这个字段是必须的。", on every form of the portal, the admin included.

A form that words a field's message itself (``error_messages={"required": ...}``) keeps it; only Django's default
is replaced, when the form is made (``install``, from ``PortalConfig.ready``): one place for every form, instead
of a message to remember on each of some sixty forms."""

from __future__ import annotations

from django import forms
from django.utils.functional import lazy
from django.utils.translation import gettext

DJANGO_REQUIRED = forms.Field.default_error_messages["required"]
CHOSEN = (forms.ChoiceField, forms.ModelChoiceField, forms.FileField, forms.DateField, forms.TimeField)


def _required_text(field: forms.Field) -> str:
    label = str(field.label or "").strip().rstrip(":：")
    if isinstance(field, forms.BooleanField):
        return gettext("Tick %(field)s.") % {"field": label} if label else gettext("Tick this box.")
    if isinstance(field, CHOSEN):
        return gettext("Choose %(field)s.") % {"field": label} if label else gettext("Choose an option.")
    return gettext("Fill in %(field)s.") % {"field": label} if label else gettext("Fill in this field.")


required_text = lazy(_required_text, str)


def name_required(form: forms.BaseForm) -> None:
    """Each field of the form still worded by Django's default gets the portal's message, naming the field (in
    the language of the request that shows it: the text is computed when the error is shown)."""
    for field in form.fields.values():
        if field.error_messages.get("required") is DJANGO_REQUIRED:
            field.error_messages["required"] = required_text(field)


def install() -> None:
    """Every form names its required fields in the portal's words once built (idempotent)."""
    original = forms.BaseForm.__init__
    if getattr(original, "portal_required_messages", False):
        return

    def __init__(self, *args, **kwargs):
        original(self, *args, **kwargs)
        name_required(self)

    __init__.portal_required_messages = True
    forms.BaseForm.__init__ = __init__
