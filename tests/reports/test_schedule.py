"""The scheduled generation: each due report opened a configurable number of working days before its due date,
generated, and its departments reminded (inbox and e-mail) once."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core import mail

from reports.models import Report
from reports.services import reports_generate_due

pytestmark = pytest.mark.django_db


def test_nothing_is_due_six_working_days_ahead(people, settings):
    settings.REPORT_LEAD_WORKDAYS = 5
    # Q2 2025 is due Friday 20 June; Thursday 12 June is six working days before it.
    assert reports_generate_due(dt.date(2025, 6, 12)) == []
    assert Report.objects.count() == 0


def test_due_reports_are_generated_and_their_departments_reminded_once(
    people, settings, django_capture_on_commit_callbacks
):
    settings.REPORT_LEAD_WORKDAYS = 5
    people.city_nanning.email = "nanning@example.gov.cn"
    people.city_nanning.save()
    with django_capture_on_commit_callbacks(execute=True):
        opened = reports_generate_due(dt.date(2025, 6, 13))
    # The province (the centre) and the two cities of the test people, for Q2 2025.
    assert sorted(r.region.code for r in opened) == ["450000", "450100", "450200"]
    for report in Report.objects.all():
        assert (report.year, report.quarter, report.due_on) == (2025, 2, dt.date(2025, 6, 20))
        assert report.status == Report.Status.DRAFT and report.versions.get().generated_by is None
    nanning = Report.objects.get(region__code="450100")
    for name in ("city_nanning", "police_nanning"):
        reminder = getattr(people, name).notifications.get()
        assert "2025-06-20" in reminder.subject and reminder.link.endswith(f"/reports/{nanning.pk}/")
    assert not people.city_liuzhou.notifications.filter(link__endswith=f"/reports/{nanning.pk}/").exists()
    assert any("nanning@example.gov.cn" in message.to for message in mail.outbox)
    # The next morning: nothing opened twice, nobody reminded twice.
    with django_capture_on_commit_callbacks(execute=True):
        assert reports_generate_due(dt.date(2025, 6, 16)) == []
    assert people.city_nanning.notifications.count() == 1
