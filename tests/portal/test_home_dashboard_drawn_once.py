"""The home page's report dashboard is drawn once per computation of its figures (issue 16 item 4): what a user
reads on it is what a fresh drawing shows — new figures as soon as they are computed again, each department's own
jurisdiction and each agency's own work even when two are computed in the same instant, in the reader's
language. These pass on the code before the change too (which drew it on every view)."""

from __future__ import annotations

import datetime as dt
import re
from itertools import count
from unittest import mock

import pytest
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone

from supervision.models import Complaint
from tests.filings.factories import directory_entry

_codes = count(1)
# One instant for every computation: two dashboards computed in it carry the same time.
INSTANT = dt.datetime(2026, 11, 16, 2, 0, tzinfo=dt.UTC)


def figures(client, user) -> dict[str, str]:
    client.force_login(user)
    html = client.get(reverse("home")).content.decode()
    return dict(re.findall(r'data-figure="([^"]+)">([^<]*)<', html))


def heading(client, user) -> str:
    client.force_login(user)
    html = client.get(reverse("home")).content.decode()
    return re.search(r'<h2 class="h5 mb-0" id="report-dashboard-title">(.*?)</h2>', html, re.S).group(1)


def complaint(entry) -> Complaint:
    today = timezone.localdate()
    return Complaint.objects.create(
        entry=entry,
        happened_on=today,
        content="考场秩序混乱。",
        tracking_code=f"D{next(_codes):08d}",
        deadline=today + dt.timedelta(days=21),
        status=Complaint.Status.RECEIVED,
    )


@pytest.fixture
def entries(people):
    return directory_entry(people.org_nanning), directory_entry(people.org_liuzhou, institution_code="S452024LZ001")


@override_settings(REPORT_DASHBOARD_SECONDS=0)
def test_a_new_complaint_shows_on_the_next_view_once_the_figures_are_computed_again(client, people, entries):
    nanning, _liuzhou = entries
    assert figures(client, people.city_nanning)["oversight.complaints_received.0"] == "0"
    complaint(nanning)
    assert figures(client, people.city_nanning)["oversight.complaints_received.0"] == "1"
    complaint(nanning)
    assert figures(client, people.city_nanning)["oversight.complaints_received.0"] == "2"


def test_within_the_window_the_page_keeps_the_figures_it_says_it_is_as_of(client, people, entries):
    nanning, _liuzhou = entries
    assert figures(client, people.city_nanning)["oversight.complaints_received.0"] == "0"
    complaint(nanning)
    # The figures are the report's, kept REPORT_DASHBOARD_SECONDS (the page says as of when): as before.
    assert figures(client, people.city_nanning)["oversight.complaints_received.0"] == "0"


def test_two_bureaus_computed_in_the_same_instant_each_see_their_own_city(client, people, entries):
    nanning, _liuzhou = entries
    complaint(nanning)
    with mock.patch("django.utils.timezone.now", return_value=INSTANT):
        assert figures(client, people.city_nanning)["oversight.complaints_received.0"] == "1"
        assert "南宁市" in heading(client, people.city_nanning)
        assert figures(client, people.city_liuzhou)["oversight.complaints_received.0"] == "0"
        assert "柳州市" in heading(client, people.city_liuzhou)
        assert "南宁市" not in heading(client, people.city_liuzhou)
        # The police of the same city read the same jurisdiction's figures.
        assert figures(client, people.police_nanning)["oversight.complaints_received.0"] == "1"


def test_two_agencies_computed_in_the_same_instant_each_see_their_own_work(client, people, entries):
    nanning, _liuzhou = entries
    complaint(nanning)
    with mock.patch("django.utils.timezone.now", return_value=INSTANT):
        assert figures(client, people.agency_nanning)["oversight.complaints_received.0"] == "1"
        assert figures(client, people.agency_liuzhou)["oversight.complaints_received.0"] == "0"
        assert people.org_liuzhou.name in heading(client, people.agency_liuzhou)


def test_the_dashboard_is_in_the_readers_language(client, people, entries):
    with mock.patch("django.utils.timezone.now", return_value=INSTANT):
        client.force_login(people.centre)
        chinese = client.get(reverse("home")).content.decode()
        client.post(reverse("set_language"), {"language": "en", "next": "/"})
        english = client.get(reverse("home")).content.decode()
    assert "工作报告" in chinese and "Work reports" not in chinese
    assert "Work reports" in english and "工作报告" not in english
    assert "Figures as of" in english


def test_a_new_days_figures_show_although_the_day_befores_were_drawn_a_minute_ago(client, people, entries):
    nanning, _liuzhou = entries
    before_midnight = dt.datetime(2026, 11, 16, 15, 59, tzinfo=dt.UTC)  # 23:59 in Guangxi
    with mock.patch("django.utils.timezone.now", return_value=before_midnight):
        assert figures(client, people.city_nanning)["oversight.complaints_received.0"] == "0"
    after_midnight = before_midnight + dt.timedelta(minutes=2)
    with mock.patch("django.utils.timezone.now", return_value=after_midnight):
        complaint(nanning)
        # The figures are computed again for the new day (the report's cache is kept per day): the page draws them.
        assert figures(client, people.city_nanning)["oversight.complaints_received.0"] == "1"
