"""The reminder that a report is due leaves the to-do part of the inbox of its departments once one of them has
submitted it (first-day tester, round 8)."""

from __future__ import annotations

import datetime as dt

import pytest

from reports.models import Report
from reports.services import report_fill, report_submit, reports_generate_due
from tests.portal.inbox_page import todo_subjects

pytestmark = pytest.mark.django_db


def test_a_submitted_report_is_no_longer_due_for_the_bureau_nor_the_police_of_the_city(
    people, settings, client_for, django_capture_on_commit_callbacks
):
    settings.REPORT_LEAD_WORKDAYS = 5
    with django_capture_on_commit_callbacks(execute=True):  # generated, as the worker does
        reports_generate_due(dt.date(2025, 6, 13))
    nanning = Report.objects.get(region__code="450100")
    liuzhou = Report.objects.get(region__code="450200")
    for user in (people.city_nanning, people.police_nanning):
        assert any("2025-06-20" in subject for subject in todo_subjects(client_for, user)), user
    report_fill(report=nanning, experience="经验。", difficulties="困难。", by=people.city_nanning)
    report_submit(report=nanning, by=people.city_nanning)
    for user in (people.city_nanning, people.police_nanning):
        assert not any(str(nanning) in subject for subject in todo_subjects(client_for, user)), user
    # 柳州's report is not submitted: still due for 柳州.
    assert any(str(liuzhou) in subject for subject in todo_subjects(client_for, people.city_liuzhou))
