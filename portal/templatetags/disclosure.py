"""``{% load disclosure %}``: ``{{ record.author|name_for:user }}`` (``portal.lib.disclosure``)."""

from django import template

from portal.lib.disclosure import name_for as _name_for

register = template.Library()


@register.filter
def name_for(person, viewer) -> str:
    return _name_for(person, viewer)
