"""“to” means two things: the end of a date range (至) and the state a change led to (新状态). Each has its
context, so the draw form's end date no longer reads 新状态 (first-day tester, round 8)."""

from __future__ import annotations

import re

from django.urls import reverse
from django.utils import translation

from filings.models import StateChange


def test_the_draw_forms_end_date_reads_zhi(people, nanning_entry, client_for):
    html = client_for(people.centre).get(reverse("supervision:draws")).content.decode()
    label = re.search(r'<label[^>]*for="id_period_to"[^>]*>(.*?)</label>', html, re.S).group(1)
    assert re.sub(r"<[^>]+>|\s", "", label) == "至"


def test_a_state_change_still_reads_from_and_to_states():
    with translation.override("zh-hans"):
        assert str(StateChange._meta.get_field("from_state").verbose_name) == "原状态"
        assert str(StateChange._meta.get_field("to_state").verbose_name) == "新状态"
