"""The evaluations chart draws candidates on its Candidates axis: the number of evaluations held (plans, not
candidates) stays in the table and is not a bar on that axis (a first-day tester's finding)."""

from __future__ import annotations

import json
import re

import pytest
from django.core.cache import cache
from django.urls import reverse
from django.utils import translation

from tests.certificates.factories import ID_A, candidates, filed_entry, session_of

pytestmark = pytest.mark.django_db


def _chart(html: str, key: str) -> dict:
    found = re.search(rf'<script id="chart-{key}" type="application/json">(.*?)</script>', html, re.S)
    assert found, f"no chart {key}"
    return json.loads(found.group(1))


def test_the_candidates_axis_draws_no_evaluations_held_bar(client, people):
    session = session_of(filed_entry(people.org_nanning, institution_code="S000045000001"), people.agency_nanning)
    candidates(session, [("张小三", ID_A)])  # level 5 (the factory's plan): one candidate, one evaluation held
    cache.clear()
    client.force_login(people.city_nanning)
    client.cookies["django_language"] = "en"
    with translation.override("en"):  # the request activates English: the tests after this one keep their language
        html = client.get(reverse("home")).content.decode()
    chart = _chart(html, "evaluations")
    assert chart["axis"] == "Candidates"
    assert "Evaluations held" not in chart["labels"]
    assert chart["labels"][0] == "Level 1 / Senior technician"
    assert chart["values"] == [0, 0, 0, 0, 1]
    assert '<th scope="row" class="fw-normal">Evaluations held</th>' in html  # still counted in the table
    assert 'class="mt-4 report-dashboard"' in html  # the tables' wrapping headings (static/css/portal.css)
