"""Overdue results reports: a daily beat task tells the agency and the HR bureau, once per report, when a report
is past its due day — 10 working days after the publicity ended (桂人社函〔2020〕203号 三（五）), counted on the
holiday calendar.

The publicity runs Monday 22 to Friday 26 September 2025. The ten working days after it cross the National Day
holiday (1–8 October 2025, with Sunday 28 September and Saturday 11 October worked): 28, 29, 30 September, 9, 10,
11, 13, 14, 15, 16 October — the report is due Thursday 16 October 2025, overdue from Friday 17 October. Counted
without the holiday calendar it would have been due Friday 10 October."""

from __future__ import annotations

import datetime as dt

import pytest
from django.conf import settings

from certificates.models import Session
from certificates.services import results_decide, results_publicise, results_report
from certificates.tasks import notify_overdue_reports
from portal.models import AuditEvent, Notification
from publicity.models import Notice
from publicity.services import notice_close
from tests.certificates.factories import ID_A, ID_B, candidates, filed_entry, session_of
from tests.supervision.factories import today_is

PUBLISHED = dt.date(2025, 9, 22)
CLOSES = dt.date(2025, 9, 26)
DUE = dt.date(2025, 10, 16)
SUBJECT = "成绩上报已超期"


@pytest.fixture
def publicised(people):
    entry = filed_entry(people.org_nanning, institution_code="S000045000001")
    session = session_of(entry, people.agency_nanning)
    candidates(session, [("张小三", ID_A), ("李丽", ID_B)])
    with today_is(PUBLISHED):
        session = results_publicise(session=session, by=people.agency_nanning, window_days=5)
    notice_close(notice=Notice.objects.get(pk=session.notice_id), by=people.agency_nanning, today=dt.date(2025, 9, 28))
    session.refresh_from_db()
    return session


def told(person) -> int:
    return Notification.objects.filter(recipient=person, subject__contains=SUBJECT).count()


def run(day: dt.date) -> int:
    return notify_overdue_reports.delay(day.isoformat()).get()


def test_the_report_is_due_ten_working_days_after_the_publicity_across_the_holiday(publicised):
    assert (publicised.publicised_on, publicised.report_due) == (CLOSES, DUE)


@pytest.mark.parametrize(
    ("day", "overdue"),
    [
        (dt.date(2025, 10, 10), False),  # ten weekdays, but only five working days
        (dt.date(2025, 10, 15), False),  # the day before the due day
        (DUE, False),  # the due day itself
        (dt.date(2025, 10, 17), True),  # the day after
    ],
)
def test_the_agency_and_the_hr_bureau_are_told_only_after_the_due_day(publicised, people, day, overdue):
    assert run(day) == (1 if overdue else 0)
    assert told(people.agency_nanning) == told(people.city_nanning) == (1 if overdue else 0)
    assert told(people.city_liuzhou) == 0 and told(people.agency_liuzhou) == 0


def test_they_are_told_once_per_report_however_often_the_task_runs(publicised, people):
    for day in (dt.date(2025, 10, 17), dt.date(2025, 10, 17), dt.date(2025, 10, 20), dt.date(2025, 11, 3)):
        run(day)
    assert told(people.agency_nanning) == told(people.city_nanning) == 1
    publicised.refresh_from_db()
    assert publicised.overdue_notified_for == DUE
    event = AuditEvent.objects.get(action="results_report_overdue")
    assert event.detail == "应报日期 2025-10-16"


def test_a_reported_session_is_not_told(publicised, people):
    results_report(session=publicised, by=people.agency_nanning)
    assert run(dt.date(2025, 10, 20)) == 0
    assert told(people.agency_nanning) == 0


def test_a_report_due_again_after_a_corrected_publicity_is_told_again_when_late(publicised, people):
    run(dt.date(2025, 10, 17))
    session = results_report(session=publicised, by=people.agency_nanning)
    session = results_decide(session=session, by=people.city_nanning, approve=False, reasons="李丽技能成绩有误。")
    # A corrected row publicised again (the correction itself is tested in test_corrections.py).
    session.candidates.filter(name="李丽").update(corrected=True)
    with today_is(dt.date(2025, 11, 3)):
        session = results_publicise(session=session, by=people.agency_nanning, window_days=5)
    notice_close(notice=Notice.objects.get(pk=session.notice_id), by=people.agency_nanning, today=dt.date(2025, 11, 8))
    session.refresh_from_db()
    assert session.status == Session.Status.PUBLICISED and session.report_due == dt.date(2025, 11, 21)
    assert run(dt.date(2025, 11, 21)) == 0
    assert run(dt.date(2025, 11, 24)) == 1
    assert told(people.agency_nanning) == 2


def test_the_task_is_in_the_beat_schedule_daily():
    entries = [e for e in settings.CELERY_BEAT_SCHEDULE.values() if e["task"] == notify_overdue_reports.name]
    assert len(entries) == 1
    assert entries[0]["schedule"].hour == {8}


def test_the_audit_log_names_the_new_actions_in_chinese():
    from django.utils import translation

    with translation.override("zh-hans"):
        labels = {
            action: AuditEvent(action=action).action_label
            for action in ("results_report_overdue", "results_correct", "results_resubmit", "candidate_photo")
        }
    assert labels == {
        "results_report_overdue": "成绩上报超期，已提醒机构和人社部门",
        "results_correct": "退回后更正成绩",
        "results_resubmit": "成绩未变更，重新上报",
        "candidate_photo": "上传考生照片",
    }
