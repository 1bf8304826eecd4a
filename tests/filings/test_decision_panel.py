"""The officials' decision panel on the application page: one tab open, the one that needs attention, and the
irreversible decisions ask before they are sent."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from filings.models import State
from tests.filings.factories import nanning_submission


@pytest.fixture(autouse=True)
def _english(settings):
    settings.LANGUAGE_CODE = "en"


def open_panes(html: str) -> list[str]:
    return re.findall(r'class="tab-pane show active" id="action-([a-z_]+)"', html)


def test_a_refused_decision_opens_only_its_own_tab_with_the_error_and_the_text_kept(people, client_for):
    application = nanning_submission(people)
    client = client_for(people.city_nanning)
    assert open_panes(client.get(reverse("filings:application_detail", args=[application.pk])).content.decode()) == [
        "request_correction"
    ]
    url = reverse("filings:act", args=[application.pk, "not_recommend"])
    response = client.post(url, {"action": "not_recommend", "text": "   "})
    assert response.status_code == 400
    html = response.content.decode()
    assert open_panes(html) == ["not_recommend"]
    assert html.count('class="nav-link active"') == 1
    application.refresh_from_db()
    assert application.state == State.CITY_REVIEW


def test_irreversible_decisions_ask_for_confirmation_and_a_correction_request_does_not(people, client_for):
    application = nanning_submission(people)
    html = client_for(people.city_nanning).get(reverse("filings:application_detail", args=[application.pk]))
    forms = dict(re.findall(r'action="/filings/\d+/act/([a-z_]+)/".*?<button([^>]*)>', html.content.decode(), re.S))
    assert "data-confirm" in forms["recommend"] and "data-confirm" in forms["not_recommend"]
    assert "data-confirm" not in forms["request_correction"]
    assert "js/confirm.js" in html.content.decode()
