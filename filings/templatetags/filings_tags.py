from django import template
from django.utils.translation import gettext as _

register = template.Library()


def _control(bound_field, labelled_by: str = ""):
    """A field's widget as a small Bootstrap control. Named by its own label, or by the table headers given
    (``aria-labelledby``: a screen reader says the row and the column). When it has errors Django marks it
    ``aria-invalid`` and describes it by ``<auto_id>_error``, the id the template gives the message beside it."""
    widget = bound_field.field.widget
    is_select = getattr(widget, "input_type", "") == "select"
    base = "form-select form-select-sm" if is_select else "form-control form-control-sm"
    attrs = {"class": base + (" is-invalid" if bound_field.errors else "")}
    if labelled_by:
        attrs["aria-labelledby"] = labelled_by
    else:
        attrs["aria-label"] = str(bound_field.label)
    return bound_field.as_widget(attrs=attrs)


@register.filter
def compact_field(bound_field):
    """A field's widget for a form laid out by hand, labelled by its own label."""
    return _control(bound_field)


@register.filter
def cell_field(bound_field):
    """A field in a cell of a repeating table (``<section>-<row>-<name>``): labelled by its row's header
    (``<section>-<row>-rowhead``) and its column's header (``<section>-col-<name>``)."""
    section, row, name = bound_field.html_name.rsplit("-", 2)
    return _control(bound_field, labelled_by=f"{section}-{row}-rowhead {section}-col-{name}")


@register.filter
def row_field(bound_field, row: str):
    """A field of a table with one row per item and fixed columns (the management systems): labelled by the
    row's header (``<row>-rowhead``) and its column's header (``<prefix>-col-<last part of its name>``)."""
    prefix, _sep, name = bound_field.html_name.partition("-")
    column = name.rsplit("_", 1)[-1]
    return _control(bound_field, labelled_by=f"{row}-rowhead {prefix}-col-{column}")


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
