"""The portal's own words for a required field left empty: "请填写{field}。" beside the field (请选择 for a choice or a
file, 请勾选 for a box to tick), never Django's "这个字段是必须的。", on every form of the portal, the admin included.

A form that words a field's message itself (``error_messages={"required": ...}``) keeps it; only Django's default
is replaced, when the form is made.

Why a patch of ``forms.BaseForm.__init__`` (``install``, from ``PortalConfig.ready``), and not a supported hook
(looked at again in issue qa4, with every form of the portal listed):

- **A base form class** (a ``PortalForm``/``PortalModelForm`` whose ``__init__`` calls ``name_required``) would
  cover the portal's own forms — 56 classes in ``<app>/forms.py``, views, admin and ``portal/lib``, 38 of them
  direct subclasses of ``forms.Form`` or ``forms.ModelForm``, the others of one another or of Django's sign-in
  forms — but not the forms Django and the installed packages build themselves, which users meet too: the
  password change (``PasswordChangeForm``, the officials' 90-day change), every admin page's form (``ModelAdmin``
  builds its own with ``modelform_factory``; the admins of django-celery-beat, django-otp and guardian bring
  their own form classes), the admin's action bar (``ActionForm``), formsets' management forms. Each would have
  to be subclassed or swapped one by one, and a form added later by a package would silently speak Django's
  words again.
- **A form renderer** (``FORM_RENDERER``) only renders: the text of an error is fixed in ``full_clean`` before
  any rendering, and it is read without a renderer too — the JSON API answers a form's errors as its ``detail``
  text, and crispy-forms draws fields with its own templates.
- **Field error messages set in one place** (``forms.Field.default_error_messages``) are shared by every field
  of a class: they cannot name the field, and naming it ("请填写退回理由。") is the point.

So the behaviour stays a patch, kept to this module: one wrapper around ``BaseForm.__init__`` that only fills in
the ``required`` message of fields still holding Django's default (``name_required``), applied once (idempotent),
marked, and reversible (``uninstall``, for the tests that show what it covers). Nothing else of Django is touched.
"""

from __future__ import annotations

import functools

from django import forms
from django.utils.functional import lazy
from django.utils.translation import gettext

DJANGO_REQUIRED = forms.Field.default_error_messages["required"]
CHOSEN = (forms.ChoiceField, forms.ModelChoiceField, forms.FileField, forms.DateField, forms.TimeField)
# The attribute marking the portal's wrapper, holding Django's own ``__init__``.
MARK = "portal_required_messages_of"


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


def installed() -> bool:
    return hasattr(forms.BaseForm.__init__, MARK)


def install() -> None:
    """Every form names its required fields in the portal's words once built (idempotent)."""
    if installed():
        return
    original = forms.BaseForm.__init__

    @functools.wraps(original)
    def __init__(self, *args, **kwargs):
        original(self, *args, **kwargs)
        name_required(self)

    setattr(__init__, MARK, original)
    forms.BaseForm.__init__ = __init__


def uninstall() -> None:
    """Django's own ``__init__`` back (the tests that show what the patch covers, then ``install`` again)."""
    if installed():
        forms.BaseForm.__init__ = getattr(forms.BaseForm.__init__, MARK)
