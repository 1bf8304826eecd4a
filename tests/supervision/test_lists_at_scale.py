"""The officials' complaints list as the data grows (issue 16): the same number of queries for 2 complaints and
for 40 (more than a page of 25), complaints naming an evaluation included, and still what a handler reads on it:
the evaluation named (its day and occupation), the bureau handling it, the reply due with the overdue mark, and
a filter kept from one page to the next.

The load harness found it (``bench.load.run --officials`` with the supervision data of ``bench.load.populate``):
each complaint naming an evaluation asked the database once more for the evaluation's occupation."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from portal.models import Department
from supervision.models import Complaint
from tests.certificates.factories import MANAGER, announced_plan, filed_entry

pytestmark = pytest.mark.django_db

URL = reverse("supervision:complaints")


def _count(client, url: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(captured.captured_queries)


class Complaints:
    """Complaints about a filed agency of 南宁, every other one naming one of its evaluations (each its own)."""

    def __init__(self, people):
        self.people = people
        self.entry = filed_entry(people.org_nanning)
        self.bureau = Department.objects.get(name="南宁市人力资源和社会保障局")
        self.made = 0

    def add(self, count: int, *, status: str = Complaint.Status.RECEIVED, deadline: dt.date | None = None) -> None:
        today = timezone.localdate()
        for _ in range(count):
            n = self.made
            self.made += 1
            plan = None
            if n % 2 == 0:
                plan = announced_plan(self.entry, self.people.agency_nanning, code=MANAGER, level=3, days_ago=20 + n)
            Complaint.objects.create(
                entry=self.entry,
                plan=plan,
                happened_on=today - dt.timedelta(days=20 + n),
                content="考场未核验考生身份证件。",
                tracking_code=f"SCALE{n:07d}",
                department=self.bureau,
                deadline=deadline or today + dt.timedelta(days=10 + n),
                status=status,
            )


def test_the_complaints_list_asks_as_many_queries_for_40_complaints_as_for_2(people, client_for):
    complaints = Complaints(people)
    complaints.add(2)
    client = client_for(people.city_nanning)
    client.get(URL)  # the session's first save is a write of its own
    few = _count(client, URL)
    complaints.add(38)
    assert _count(client, URL) == few
    assert _count(client, URL + "?page=2") == few
    assert _count(client, URL + "?status=received") == few


def test_the_complaints_list_shows_the_evaluation_named_the_bureau_and_the_overdue_mark(people, client_for):
    complaints = Complaints(people)
    today = timezone.localdate()
    complaints.add(1, deadline=today - dt.timedelta(days=1))  # names an evaluation 20 days ago; reply overdue
    complaints.add(1, status=Complaint.Status.REPLIED, deadline=today - dt.timedelta(days=1))  # no evaluation
    page = client_for(people.city_nanning).get(URL).content.decode()
    named = f"{today - dt.timedelta(days=20):%Y-%m-%d} · 保卫管理员"
    assert page.count(named) == 1
    assert page.count("南宁市人力资源和社会保障局") >= 2
    assert page.count("text-bg-danger") == 1  # the open one is overdue, the replied one is not


def test_a_filter_is_kept_on_the_next_page(people, client_for):
    complaints = Complaints(people)
    complaints.add(26, status=Complaint.Status.ACCEPTED)
    complaints.add(3, status=Complaint.Status.REPLIED)
    client = client_for(people.city_nanning)
    first = client.get(URL + "?status=accepted")
    assert len(first.context["page"]) == 25
    assert 'href="?status=accepted&amp;page=2"' in first.content.decode()
    second = client.get(URL + "?status=accepted&page=2")
    assert [c.status for c in second.context["page"]] == ["accepted"]
    # Unfiltered, the 29 complaints fill a page and 4 rows of the next, with a plain link to it.
    unfiltered = client.get(URL)
    assert 'href="?page=2"' in unfiltered.content.decode()
    assert len(client.get(URL + "?page=2").context["page"]) == 4
