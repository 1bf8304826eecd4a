"""What the mutation run of round 3 found the suite did not check in reports/ (bench/README.md, "Mutation run:
supervision, certificates, reports"): each test names the mutant it kills. The figures are the report's own rows
(``section.row.column``) for 南宁 in the second quarter of 2025, counted by hand from the rows each test writes."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from certificates.models import Certificate, Session
from portal.models import Region
from reports.periods import Period
from reports.selectors import figures, report_content
from supervision.models import Complaint, Plan
from tests.certificates.factories import ID_A, ID_B, ID_C, candidates, filed_entry, id_number, session_of

Q2 = Period(2025, 2)
TODAY = dt.date(2025, 6, 30)


def nanning(today: dt.date = TODAY) -> dict:
    return figures(report_content(region=Region.objects.get(code="450100"), period=Q2, today=today))


def at(day: dt.date, hour: int = 10) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour), tzinfo=timezone.get_current_timezone())


def evaluation(entry, by, *, last_day: dt.date, status: str = Plan.Status.ANNOUNCED) -> Session:
    """A session of the agency whose evaluation (保安员 level 5) ran on ``last_day``."""
    session = session_of(entry, by)
    Plan.objects.filter(pk=session.plan_id).update(first_day=last_day, last_day=last_day, status=status)
    session.refresh_from_db()
    return session


@pytest.fixture
def entry(people):
    return filed_entry(people.org_nanning, institution_code="S000045000001")


def test_only_announced_evaluations_count_as_held(entry, people):
    """R17: a withdrawn plan whose days fell in the quarter was never held."""
    evaluation(entry, people.agency_nanning, last_day=dt.date(2025, 5, 20))
    evaluation(entry, people.agency_nanning, last_day=dt.date(2025, 6, 3), status=Plan.Status.WITHDRAWN)
    assert nanning()["evaluations.evaluations.0"] == 1


def test_the_pass_rate_keeps_one_decimal(entry, people):
    """R18: 2 of 3 candidates passed: 66.7 %, not 67 %."""
    session = evaluation(entry, people.agency_nanning, last_day=dt.date(2025, 5, 20))
    candidates(session, [("张小三", ID_A), ("李丽", ID_B)])
    candidates(session, [("王五", ID_C)], passed=False)
    figures_ = nanning()
    assert (figures_["evaluations.level_5.0"], figures_["evaluations.level_5.1"]) == (3, 2)
    assert figures_["evaluations.level_5.2"] == 66.7


def test_certificates_issued_in_the_quarter_count_the_revoked_ones_and_no_others(entry, people):
    """R09, R19: issued in Q2 (revoked ones too, also counted apart); one issued in Q1 is not Q2's."""
    session = evaluation(entry, people.agency_nanning, last_day=dt.date(2025, 3, 20))
    people_ids = [("考生1", id_number(1)), ("考生2", id_number(2)), ("考生3", id_number(3))]
    for serial, (candidate, issued_on) in enumerate(
        zip(
            candidates(session, people_ids),
            (dt.date(2025, 3, 28), dt.date(2025, 4, 15), dt.date(2025, 6, 30)),
            strict=True,
        ),
        start=1,
    ):
        Certificate.objects.create(
            number=f"S000045000001255{serial:06d}",
            candidate=candidate,
            entry=entry,
            holder_name=candidate.name,
            id_hash=candidate.id_hash,
            id_masked=candidate.id_masked,
            occupation=session.plan.occupation,
            level=5,
            issued_on=issued_on,
            status=Certificate.Status.REVOKED if serial == 3 else Certificate.Status.VALID,
        )
    figures_ = nanning()
    assert (figures_["certificates.保安员:5.0"], figures_["certificates.保安员:5.1"]) == (2, 1)


def complaint(entry, *, code: str, received: dt.date, status: str, answered: dt.date | None, deadline: dt.date):
    return Complaint.objects.create(
        entry=entry,
        happened_on=received,
        content="考场秩序混乱。",
        tracking_code=code,
        created=at(received),
        deadline=deadline,
        status=status,
        replied_at=at(answered) if answered else None,
    )


def test_a_declined_complaint_counts_in_the_days_to_reply(entry):
    """R20: declining is answering the complainant (with the reasons): Monday 12 May → Wednesday 14 May is 2
    working days; replied Monday 19 May → Monday 26 May is 5: the mean is 3.5."""
    complaint(
        entry,
        code="T00000001",
        received=dt.date(2025, 5, 12),
        status=Complaint.Status.DECLINED,
        answered=dt.date(2025, 5, 14),
        deadline=dt.date(2025, 6, 3),
    )
    complaint(
        entry,
        code="T00000002",
        received=dt.date(2025, 5, 19),
        status=Complaint.Status.REPLIED,
        answered=dt.date(2025, 5, 26),
        deadline=dt.date(2025, 6, 10),
    )
    figures_ = nanning()
    assert figures_["oversight.complaints_handled.0"] == 2
    assert figures_["oversight.complaints_reply_days.0"] == 3.5


@pytest.mark.parametrize(("today", "overdue"), [(dt.date(2025, 6, 20), 0), (dt.date(2025, 6, 23), 1)])
def test_an_application_is_overdue_after_its_deadline_not_on_it(entry, today, overdue):
    """R07: due on Friday 20 June, an application still in review is overdue from the next day on."""
    from filings.models import Application, State

    application = Application.objects.get(directory_entry=entry)
    application.pk, application.reference, application.directory_entry = None, "GX-WAIT-0602", None
    application.state, application.stage_started_at, application.deadline = (
        State.CITY_REVIEW,
        at(dt.date(2025, 6, 3)),
        dt.date(2025, 6, 20),
    )
    application.save()
    assert nanning(today)["applications.city_review.1"] == overdue


@pytest.fixture
def report(people):
    from reports.models import Report
    from reports.services import report_compute

    report = Report.objects.create(region=Region.objects.get(code="450100"), year=2025, quarter=2, due_on=Q2.due())
    report_compute(report_id=report.pk)
    return report


def test_a_report_with_one_section_empty_is_not_submitted(client, people, report):
    """R12: 典型经验 and 困难问题 are both filled before the report goes upward."""
    from django.urls import reverse

    from reports.models import Report

    client.force_login(people.city_nanning)
    client.post(reverse("reports:text", args=[report.pk]), {"experience": "联合检查。", "difficulties": ""})
    client.post(reverse("reports:submit", args=[report.pk]))
    report.refresh_from_db()
    assert report.status == Report.Status.DRAFT and report.submitted_at is None
    assert not people.centre.notifications.exists()


def test_a_submitted_report_stays_submitted_when_asked_to_regenerate(
    client, people, report, django_capture_on_commit_callbacks
):
    """R14: what was sent upward is final: no new version, and it stays submitted."""
    from django.urls import reverse

    from reports.models import Report

    client.force_login(people.city_nanning)
    client.post(reverse("reports:text", args=[report.pk]), {"experience": "联合检查。", "difficulties": "考评员不足。"})
    client.post(reverse("reports:submit", args=[report.pk]))
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("reports:regenerate", args=[report.pk]))
    report.refresh_from_db()
    assert report.status == Report.Status.SUBMITTED and report.versions.count() == 1
