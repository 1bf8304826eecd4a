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


def test_beat_installs_the_reports_schedule_in_the_database_where_the_admin_edits_it(db, settings):
    from django_celery_beat.models import PeriodicTask
    from django_celery_beat.schedulers import DatabaseScheduler

    from portal.celery import app

    assert settings.CELERY_BEAT_SCHEDULER == "django_celery_beat.schedulers:DatabaseScheduler"
    # What beat does with each entry of CELERY_BEAT_SCHEDULE when it starts (DatabaseScheduler.update_from_dict).
    entry = settings.CELERY_BEAT_SCHEDULE["generate-due-reports"]
    DatabaseScheduler.Entry.from_entry("generate-due-reports", app=app, **entry)
    task = PeriodicTask.objects.get(name="generate-due-reports")
    assert task.task == "reports.tasks.generate_due_reports" and task.enabled
    assert (task.crontab.hour, task.crontab.minute) == ("7", "30")


def test_the_progress_of_a_report_being_generated(client, people):
    from django.urls import reverse

    from portal.models import Region
    from reports.periods import Period

    report = Report.objects.create(
        region=Region.objects.get(code="450100"), year=2025, quarter=2, due_on=Period(2025, 2).due(), progress=40
    )
    client.force_login(people.police_nanning)
    assert client.get(reverse("reports:progress", args=[report.pk])).json() == {"status": "pending", "progress": 40}
    page = client.get(reverse("reports:detail", args=[report.pk])).content.decode()
    assert 'aria-valuenow="40"' in page and "reports/progress.js" in page
