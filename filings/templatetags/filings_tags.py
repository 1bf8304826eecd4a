from django import template
from django.utils.translation import gettext as _

register = template.Library()


@register.filter
def compact_field(bound_field):
    """A field's widget for a table cell: small Bootstrap control, marked invalid when it has errors."""
    widget = bound_field.field.widget
    is_select = getattr(widget, "input_type", "") == "select"
    base = "form-select form-select-sm" if is_select else "form-control form-control-sm"
    attrs = {
        "class": base + (" is-invalid" if bound_field.errors else ""),
        "aria-label": str(bound_field.label),
    }
    return bound_field.as_widget(attrs=attrs)


@register.filter
def status_badge(check_status: str) -> str:
    return {"passed": "success", "failed": "warning", "not_applicable": "secondary"}.get(check_status, "secondary")


@register.filter
def status_label(check_status: str) -> str:
    return {"passed": _("Met"), "failed": _("Not met"), "not_applicable": _("Not applicable")}.get(
        check_status, check_status
    )


@register.filter
def get_item(mapping: dict, key):
    return mapping.get(key) if mapping else None
