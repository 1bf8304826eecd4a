"""Tests written in the mutation round (r6) for what the suite did not notice: each states what a user sees."""

from __future__ import annotations

import pytest
from django.urls import reverse

from filings.models import State
from filings.services import selection_mark
from tests.portal.test_first_day_findings_qa4 import _assessed, _call_page

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("selected", [True, False], ids=["selected", "not-selected"])
def test_the_centre_still_finds_the_selection_once_an_application_is_marked(people, client_for, selected):
    """Ranked is assessed, selected or not selected (DESIGN: the centre ranks and selects): once the centre has
    marked the only assessed application, the call's page still leads it to the ranking and selection."""
    application = _assessed(people)
    selection_mark(application=application, by=people.centre, selected=selected, reason="按得分排序确定。")
    application.refresh_from_db()
    assert application.state == (State.SELECTED if selected else State.NOT_SELECTED)
    selection = reverse("filings:selection", args=[application.call_id])
    html = _call_page(client_for(people.centre), application.call)
    assert f'<a class="list-group-item list-group-item-action" href="{selection}">' in html
    assert "排名与遴选" in html
