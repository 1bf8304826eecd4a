"""``{% load punctuation %}``: the punctuation beside translated words, in the page's language.

A label followed by "：" or wrapped in "（…）" in a template printed Chinese full-width punctuation inside English
pages ("Institution code：S45…"). ``{% colon %}``, ``{% lparen %}``, ``{% rparen %}`` and ``{% listsep %}`` print
"：", "（", "）", "、" in Chinese and ": ", " (", ")", ", " otherwise. Chinese data (an occupation's name, a
clause) keeps its own punctuation.
"""

from __future__ import annotations

from django import template
from django.utils.translation import get_language

register = template.Library()


def _chinese() -> bool:
    return (get_language() or "zh-hans").startswith("zh")


@register.simple_tag
def colon() -> str:
    return "：" if _chinese() else ": "


@register.simple_tag
def lparen() -> str:
    return "（" if _chinese() else " ("


@register.simple_tag
def rparen() -> str:
    return "）" if _chinese() else ")"


@register.simple_tag
def listsep() -> str:
    """Between the items of a list of translated words: "三级/高级工、二级/技师", "Level 3, Level 2"."""
    return "、" if _chinese() else ", "
