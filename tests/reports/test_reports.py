"""The report's numbers (one selector for the report and the dashboard), its scope, its constant number of
queries, its workflow (generate → free text → submit) with refusals tested by effect, and its two formats."""

from __future__ import annotations

import datetime as dt
import io
import re
import shutil
import subprocess
from itertools import count

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from portal.models import AuditEvent, Region
from reports.models import Report
from reports.periods import Period
from reports.selectors import figures, report_content
from reports.services import report_compute
from supervision.models import Complaint
from tests.browser.conftest import SCREENSHOTS
from tests.filings.factories import directory_entry

pytestmark = pytest.mark.django_db
Q2 = Period(2025, 2)
TODAY = dt.date(2025, 6, 30)
_codes = count(1)


def at(day: dt.date, hour: int = 10) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour), tzinfo=timezone.get_current_timezone())


def complaint(entry, *, received: dt.date, replied: dt.date | None = None) -> Complaint:
    return Complaint.objects.create(
        entry=entry,
        happened_on=received,
        content="考场秩序混乱。",
        tracking_code=f"T{next(_codes):08d}",
        created=at(received),
        deadline=received + dt.timedelta(days=21),
        status=Complaint.Status.REPLIED if replied else Complaint.Status.RECEIVED,
        replied_at=at(replied) if replied else None,
    )


@pytest.fixture
def data(people):
    nanning = directory_entry(people.org_nanning, filed_on=dt.date(2025, 5, 10))
    liuzhou = directory_entry(
        people.org_liuzhou, status="suspended", filed_on=dt.date(2024, 6, 3), institution_code="S452024LZ001"
    )
    complaint(nanning, received=dt.date(2025, 5, 12), replied=dt.date(2025, 5, 19))  # Mon → Mon: 5 working days
    complaint(nanning, received=dt.date(2025, 7, 1))  # the next quarter: not in Q2
    complaint(liuzhou, received=dt.date(2025, 4, 1))  # received, never replied; due 22 April: overdue on 30 June
    return nanning, liuzhou


def content(code: str, period: Period = Q2) -> dict:
    return figures(report_content(region=Region.objects.get(code=code), period=period, today=TODAY))


def test_a_city_report_counts_its_city_only(data):
    nanning = content("450100")
    assert nanning["agencies.active.0"] == 1
    assert nanning["agencies.active.1"] == 1  # filed on 10 May 2025, in Q2
    assert nanning["agencies.suspended.0"] == 0
    assert nanning["applications.filed.0"] == 1
    assert nanning["oversight.complaints_received.0"] == 1
    assert nanning["oversight.complaints_handled.0"] == 1
    assert nanning["oversight.complaints_overdue.0"] == 0
    assert nanning["oversight.complaints_reply_days.0"] == 5.0
    liuzhou = content("450200")
    assert liuzhou["agencies.suspended.0"] == 1
    assert liuzhou["agencies.suspended.1"] == 0  # filed in 2024
    assert liuzhou["oversight.complaints_received.0"] == 1
    assert liuzhou["oversight.complaints_overdue.0"] == 1


def test_the_province_report_adds_its_cities(data):
    province = content("450000")
    assert province["agencies.active.0"] == 1
    assert province["agencies.suspended.0"] == 1
    assert province["oversight.complaints_received.0"] == 2
    assert province["applications.filed.0"] == 2


def test_another_province_sees_nothing_of_guangxi(data):
    shaanxi = content("610000")
    assert shaanxi["agencies.active.0"] == 0
    assert shaanxi["oversight.complaints_received.0"] == 0


def test_missing_data_shows_zero_and_says_so(people):
    report = report_content(region=Region.objects.get(code="450100"), period=Q2, today=TODAY)
    sections = {section["key"]: section for section in report["sections"]}
    assert set(sections) == {
        "agencies",
        "applications",
        "notices",
        "plans",
        "oversight",
        "evaluations",
        "certificates",
        "key_units",
    }
    assert sections["certificates"]["rows"] == []
    assert sections["certificates"]["empty"] and sections["certificates"]["note"]
    assert sections["evaluations"]["empty"]
    assert [row["values"] for row in sections["key_units"]["rows"]] == [[0], [0], [0]]
    assert sections["key_units"]["empty"] and sections["key_units"]["note"]


def _queries(code: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        report_content(region=Region.objects.get(code=code), period=Q2, today=TODAY)
    return len(queries)


def test_the_report_takes_the_same_number_of_queries_whatever_the_data(people, data):
    nanning, _liuzhou = data
    before = _queries("450000")
    for day in range(1, 20):
        complaint(nanning, received=dt.date(2025, 5, day), replied=dt.date(2025, 6, day))
    assert _queries("450000") == before
    assert before <= 20


def _dashboard_figures(client, user) -> dict[str, str]:
    client.force_login(user)
    html = client.get(reverse("home")).content.decode()
    return dict(re.findall(r'data-figure="([^"]+)">([^<]*)<', html))


def test_every_dashboard_number_equals_the_report_for_the_same_quarter(
    client, people, data, django_capture_on_commit_callbacks
):
    nanning, _liuzhou = data
    today = timezone.localdate()
    complaint(nanning, received=today)
    shown = _dashboard_figures(client, people.city_nanning)
    period = Period.quarter_of(today)
    report = Report.objects.create(
        region=Region.objects.get(code="450100"), year=period.year, quarter=period.quarter, due_on=period.due()
    )
    report_compute(report_id=report.pk)
    numbers = figures(report.latest.content)
    assert shown and set(shown) == set(numbers)
    # A rate over no candidate is None in the report and "—" on the dashboard (qa5b item 7).
    assert {key: "—" if value is None else str(value) for key, value in numbers.items()} == shown
    assert shown["oversight.complaints_received.0"] == "1"


def test_the_provincial_dashboard_shows_the_province(client, people, data):
    shown = _dashboard_figures(client, people.centre)
    assert 'href="/reports/"' in client.get(reverse("home")).content.decode()
    assert shown["agencies.suspended.0"] == "1"
    assert shown["agencies.active.0"] == "1"


def test_an_expert_gets_no_report_dashboard(client, people):
    assert _dashboard_figures(client, people.expert_assigned) == {}


def test_an_agency_dashboard_counts_its_own_work_only(client, people, data):
    nanning, _liuzhou = data
    other = directory_entry(
        people.org_liuzhou.__class__.objects.create(
            name="南宁市另一职业技能培训学校",
            uscc="52450100MJA7K3Q8Y1",
            region=people.org_nanning.region,
            nature=people.org_nanning.nature,
            legal_representative="甲",
            contact_name="乙",
            contact_phone="0771-1234567",
        ),
        institution_code="S452024NN099",
    )
    today = timezone.localdate()
    complaint(nanning, received=today)
    complaint(other, received=today)
    shown = _dashboard_figures(client, people.agency_nanning)
    assert 'href="/reports/"' not in client.get(reverse("home")).content.decode()  # no link it may not open
    assert shown["oversight.complaints_received.0"] == "1"
    assert shown["agencies.active.0"] == "1"
    assert shown["notices.notices.0"] == "0"
    client.force_login(people.city_nanning)
    assert _dashboard_figures(client, people.city_nanning)["oversight.complaints_received.0"] == "2"
    assert _dashboard_figures(client, people.agency_liuzhou)["oversight.complaints_received.0"] == "0"


@pytest.fixture
def report(people, data):
    report = Report.objects.create(region=Region.objects.get(code="450100"), year=2025, quarter=2, due_on=Q2.due())
    report_compute(report_id=report.pk)
    return report


def test_generating_on_demand_adds_a_version_by_the_user(client, people, report, django_capture_on_commit_callbacks):
    client.force_login(people.city_nanning)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("reports:generate"), {"year": "2025", "quarter": "2"})
    assert response.status_code == 302
    report.refresh_from_db()
    assert report.status == Report.Status.DRAFT and report.progress == 100
    assert [(v.number, v.generated_by) for v in report.versions.order_by("number")] == [
        (1, None),
        (2, people.city_nanning),
    ]


@pytest.mark.parametrize(("year", "quarter"), [("2024", "1"), ("2023", ""), ("abc", "2"), ("2025", "7")])
def test_a_period_outside_the_reports_is_refused_beside_its_field(client, people, year, quarter):
    client.force_login(people.city_nanning)
    response = client.post(reverse("reports:generate"), {"year": year, "quarter": quarter})
    assert response.status_code == 400
    assert Report.objects.count() == 0
    page = response.content.decode()
    assert "invalid-feedback" in page and "is-invalid" in page
    if year.isdigit():
        assert f'value="{year}"' in page  # what was typed is kept


def test_submitting_needs_both_texts_then_freezes_the_report(client, people, report):
    client.force_login(people.city_nanning)
    client.post(reverse("reports:submit", args=[report.pk]))
    report.refresh_from_db()
    assert report.status == Report.Status.DRAFT
    client.post(reverse("reports:text", args=[report.pk]), {"experience": "联合检查。", "difficulties": "考评员不足。"})
    client.post(reverse("reports:submit", args=[report.pk]))
    report.refresh_from_db()
    assert report.status == Report.Status.SUBMITTED and report.submitted_by == people.city_nanning
    # The centre of the province is told.
    assert people.centre.notifications.filter(subject__contains="南宁").exists()
    client.post(reverse("reports:text", args=[report.pk]), {"experience": "改", "difficulties": "改"})
    client.post(reverse("reports:regenerate", args=[report.pk]))
    report.refresh_from_db()
    assert report.experience == "联合检查。" and report.versions.count() == 1


@pytest.mark.parametrize(
    ("name", "status"), [("city_liuzhou", 404), ("police_liuzhou", 404), ("centre", 403), ("agency_nanning", 403)]
)
def test_outsiders_change_nothing(client, people, report, name, status):
    client.force_login(getattr(people, name))
    for url in ("reports:text", "reports:submit", "reports:regenerate"):
        response = client.post(reverse(url, args=[report.pk]), {"experience": "x", "difficulties": "y"})
        assert response.status_code == status
    report.refresh_from_db()
    assert (report.experience, report.status, report.versions.count()) == ("", Report.Status.DRAFT, 1)


def test_the_workbook_has_a_sheet_per_section_frozen_headers_and_charts(client, people, report):
    client.force_login(people.police_nanning)
    response = client.get(reverse("reports:xlsx", args=[report.pk]))
    assert response.status_code == 200
    workbook = load_workbook(io.BytesIO(response.content))
    assert len(workbook.sheetnames) == 1 + 8
    agencies = workbook.worksheets[1]
    assert agencies.freeze_panes == "A2"
    assert agencies["B2"].value == 1 and agencies["B2"].number_format == "#,##0"
    assert agencies.column_dimensions["A"].width >= 10
    charted = [sheet.title for sheet in workbook.worksheets if sheet._charts]
    assert len(charted) >= 6
    assert AuditEvent.objects.filter(action="report_download", actor=people.police_nanning).count() == 1


@pytest.mark.skipif(not shutil.which("pdffonts"), reason="poppler-utils not installed")
def test_the_pdf_has_chinese_text_in_an_embedded_cjk_font(client, people, report):
    client.force_login(people.centre)
    response = client.get(reverse("reports:pdf", args=[report.pk]))
    assert response.status_code == 200
    path = SCREENSHOTS / "report-nanning-2025Q2.pdf"  # kept to look at (pdftoppm -png -r 60)
    SCREENSHOTS.mkdir(exist_ok=True)
    path.write_bytes(response.content)
    fonts = subprocess.run(["pdffonts", str(path)], capture_output=True, text=True, check=True).stdout
    assert re.search(r"(CJK|Noto|Source Han|WenQuanYi).*\byes\b", fonts)
    text = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True).stdout
    assert "南宁" in text
    assert AuditEvent.objects.filter(action="report_download", actor=people.centre).count() == 1


def test_applications_waiting_count_their_working_days_and_overdue(people, data):
    from filings.models import Application, State

    filed = Application.objects.get(region__code="450100")
    for started, deadline in ((dt.date(2025, 6, 2), dt.date(2025, 6, 20)), (dt.date(2025, 6, 16), dt.date(2025, 7, 4))):
        filed.pk = None
        filed.reference = f"GX-WAIT-{started:%m%d}"
        filed.state = State.CITY_REVIEW
        filed.directory_entry = None
        filed.stage_started_at = at(started)
        filed.deadline = deadline
        filed.save()
    nanning = content("450100")
    assert nanning["applications.city_review.0"] == 2
    # 30 June 2025: 20 working days after Monday 2 June (itself the Dragon Boat holiday), 10 after 16 June.
    assert nanning["applications.city_review.2"] == 15.0
    # Due 20 June: overdue on 30 June; due 4 July: not yet.
    assert nanning["applications.city_review.1"] == 1
    # A draft is the agency's own: not counted (not even as a row).
    filed.pk, filed.reference, filed.state = None, "GX-DRAFT", State.DRAFT
    filed.save()
    assert not any(key.startswith("applications.draft.") for key in content("450100"))
    # A filed application is settled: no working days, never overdue.
    assert (nanning["applications.filed.1"], nanning["applications.filed.2"]) == (0, 0.0)
