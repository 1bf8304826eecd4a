"""An order to rectify (责令整改) is answered as an inspection's rectification order is (issue sup9 item 2): the
agency sees the order with its deadline and sends its rectification report (text, an optional PDF checked by
content and size); the deciding office sees the report and closes the order or escalates it, and the further
sanction it then decides follows the order."""

from __future__ import annotations

import datetime as dt
from unittest import mock

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation

from filings.examples import sample_pdf
from portal.lib.errors import WorkflowError
from portal.models import AuditEvent, Notification
from supervision.models import Sanction, SanctionReportFile
from supervision.services import sanction_decide
from supervision.services.sanctions import (
    PILOT_EXIT_CLAUSE,
    sanction_report_close,
    sanction_report_escalate,
    sanction_report_submit,
)
from tests.portal.test_uploads import image_bytes
from tests.supervision.factories import today_is

pytestmark = pytest.mark.django_db

MONDAY = dt.date(2026, 3, 2)
FACTS = "2026年2月10日保卫管理员三级认定中，考场视频监控未开启。"


def order(entry, by, kind="rectification"):
    with today_is(MONDAY):
        return sanction_decide(
            entry=entry,
            kind=kind,
            facts=FACTS,
            basis=PILOT_EXIT_CLAUSE,
            by=by,
            rectify_by=dt.date(2026, 3, 31) if kind == "rectification" else None,
        )


def test_an_order_to_rectify_awaits_the_agencys_report_and_the_agency_sees_its_deadline(
    people, nanning_entry, client_for
):
    sanction = order(nanning_entry, people.city_nanning)
    assert sanction.report_status == "open"
    with today_is(MONDAY):
        html = client_for(people.agency_nanning).get(reverse("supervision:sanction_detail", args=[sanction.pk]))
    page = html.content.decode()
    assert "2026-03-31" in page
    assert 'name="action" value="report"' in page and 'type="file"' in page


def test_a_warning_has_no_report_to_send(people, nanning_entry, client_for):
    sanction = order(nanning_entry, people.city_nanning, kind="warning")
    assert sanction.report_status == ""
    page = client_for(people.agency_nanning).get(reverse("supervision:sanction_detail", args=[sanction.pk]))
    assert 'value="report"' not in page.content.decode()
    with pytest.raises(WorkflowError):
        sanction_report_submit(sanction=sanction, by=people.agency_nanning, text="已整改。")


def test_the_agency_reports_with_a_pdf_and_the_office_sees_it_and_closes_the_order(people, nanning_entry, client_for):
    sanction = order(nanning_entry, people.city_nanning)
    response = client_for(people.agency_nanning).post(
        reverse("supervision:sanction_detail", args=[sanction.pk]),
        {"action": "report", "text": "已开启全部考场视频监控并接入管理系统。", "file": sample_pdf("整改报告")},
    )
    assert response.status_code == 302
    sanction.refresh_from_db()
    assert sanction.report_status == "answered" and sanction.reported_by == people.agency_nanning
    stored = SanctionReportFile.objects.get(sanction=sanction)
    assert stored.content_type == "application/pdf"
    # The deciding office is told, and reads the report and its PDF.
    note = Notification.objects.get(recipient=people.city_nanning, link=f"/supervision/sanctions/{sanction.pk}/")
    assert sanction.number in note.subject
    office = client_for(people.city_nanning)
    page = office.get(reverse("supervision:sanction_detail", args=[sanction.pk])).content.decode()
    assert "已开启全部考场视频监控并接入管理系统。" in page and 'value="close"' in page
    pdf = office.get(reverse("supervision:sanction_report_file", args=[sanction.pk, stored.pk]))
    assert pdf.status_code == 200 and b"".join(pdf.streaming_content).startswith(b"%PDF-")
    response = office.post(
        reverse("supervision:sanction_detail", args=[sanction.pk]), {"action": "close", "note": "复查合格。"}
    )
    assert response.status_code == 302
    sanction.refresh_from_db()
    assert sanction.report_status == "closed" and sanction.report_checked_by == people.city_nanning
    assert AuditEvent.objects.filter(action="rectification_close", object_id=str(sanction.pk)).count() == 1
    with pytest.raises(WorkflowError):
        sanction_report_submit(sanction=sanction, by=people.agency_nanning, text="再次报告。")


def test_a_report_without_text_is_refused_beside_the_field(people, nanning_entry, client_for):
    sanction = order(nanning_entry, people.city_nanning)
    response = client_for(people.agency_nanning).post(
        reverse("supervision:sanction_detail", args=[sanction.pk]), {"action": "report", "text": "  "}
    )
    assert response.status_code == 400
    sanction.refresh_from_db()
    assert sanction.report_status == "open"


def test_the_pdf_is_optional(people, nanning_entry):
    sanction = order(nanning_entry, people.city_nanning)
    sanction_report_submit(sanction=sanction, by=people.agency_nanning, text="已整改。")
    sanction.refresh_from_db()
    assert sanction.report_status == "answered" and not sanction.report_files.exists()


@pytest.mark.parametrize(
    ("upload", "words"),
    [
        (SimpleUploadedFile("report.pdf", b"<html><script>alert(1)</script></html>"), "PDF"),
        (SimpleUploadedFile("report.png", image_bytes("PNG")), "PDF"),
    ],
)
def test_a_file_that_is_not_a_pdf_is_refused(people, nanning_entry, client_for, upload, words):
    sanction = order(nanning_entry, people.city_nanning)
    with pytest.raises(ValidationError) as excinfo:
        sanction_report_submit(sanction=sanction, by=people.agency_nanning, text="已整改。", file=upload)
    assert list(excinfo.value.message_dict) == ["file"]
    assert words in " ".join(excinfo.value.message_dict["file"])
    sanction.refresh_from_db()
    assert sanction.report_status == "open" and not SanctionReportFile.objects.exists()


def test_a_pdf_above_the_size_limit_is_refused_and_one_at_the_limit_accepted(people, nanning_entry):
    sanction = order(nanning_entry, people.city_nanning)
    pdf = sample_pdf("整改报告")
    size = pdf.size
    with mock.patch("portal.lib.uploads.MAX_UPLOAD_BYTES", size - 1), pytest.raises(ValidationError) as excinfo:
        sanction_report_submit(sanction=sanction, by=people.agency_nanning, text="已整改。", file=pdf)
    assert list(excinfo.value.message_dict) == ["file"]
    pdf.seek(0)
    with mock.patch("portal.lib.uploads.MAX_UPLOAD_BYTES", size):
        sanction_report_submit(sanction=sanction, by=people.agency_nanning, text="已整改。", file=pdf)
    assert SanctionReportFile.objects.get(sanction=sanction).size == size


def test_another_agency_cannot_report_nor_the_police_close(people, nanning_entry):
    sanction = order(nanning_entry, people.city_nanning)
    with pytest.raises(PermissionDenied):
        sanction_report_submit(sanction=sanction, by=people.agency_liuzhou, text="已整改。")
    sanction_report_submit(sanction=sanction, by=people.agency_nanning, text="已整改。")
    with pytest.raises(PermissionDenied):
        sanction_report_close(sanction=sanction, by=people.police_nanning)
    sanction.refresh_from_db()
    assert sanction.report_status == "answered"


def test_escalating_needs_a_reason_and_the_further_sanction_follows_the_order(people, nanning_entry, client_for):
    sanction = order(nanning_entry, people.city_nanning)
    with pytest.raises(ValidationError):
        sanction_report_escalate(sanction=sanction, by=people.city_nanning, note=" ")
    with today_is(dt.date(2026, 4, 1)):
        sanction_report_escalate(sanction=sanction, by=people.city_nanning, note="逾期未报告整改情况。")
    sanction.refresh_from_db()
    assert sanction.report_status == "escalated"
    with pytest.raises(WorkflowError):
        sanction_report_submit(sanction=sanction, by=people.agency_nanning, text="迟到的报告。")
    office = client_for(people.city_nanning)
    page = office.get(reverse("supervision:sanction_detail", args=[sanction.pk])).content.decode()
    assert f"?follows={sanction.pk}" in page
    form = office.get(reverse("supervision:sanction_new", args=[nanning_entry.pk]) + f"?follows={sanction.pk}")
    assert "逾期未报告整改情况。" in form.content.decode()
    with today_is(dt.date(2026, 4, 1)):
        further = sanction_decide(
            entry=nanning_entry,
            kind="warning",
            facts=FACTS,
            basis=PILOT_EXIT_CLAUSE,
            by=people.city_nanning,
            follows=sanction,
        )
    assert further.follows == sanction
    page = office.get(reverse("supervision:sanction_detail", args=[sanction.pk])).content.decode()
    assert further.number in page and f"?follows={sanction.pk}" not in page


def test_only_an_escalated_order_can_be_followed(people, nanning_entry):
    sanction = order(nanning_entry, people.city_nanning)
    with pytest.raises(WorkflowError):
        sanction_decide(
            entry=nanning_entry,
            kind="warning",
            facts=FACTS,
            basis=PILOT_EXIT_CLAUSE,
            by=people.city_nanning,
            follows=sanction,
        )
    assert Sanction.objects.count() == 1


def test_the_agencys_home_lists_the_order_to_report_on(people, nanning_entry, client_for):
    sanction = order(nanning_entry, people.city_nanning)
    todo = _todo(people.agency_nanning)
    assert todo["Orders to rectify to report on"].count == 1
    assert todo["Orders to rectify to report on"].url == f"/supervision/sanctions/{sanction.pk}/"
    sanction_report_submit(sanction=sanction, by=people.agency_nanning, text="已整改。")
    assert _todo(people.agency_nanning)["Orders to rectify to report on"].count == 0
    office = _todo(people.city_nanning)
    assert office["Rectification reports on orders to rectify, to check"].count == 1


def _todo(user) -> dict:
    from supervision.selectors import home_panel

    with translation.override("en"):
        return {str(t.label): t for t in home_panel(user)["todo"]}


def test_a_report_pdf_is_read_only_through_its_own_order(people, nanning_entry, client_for):
    """A PDF of one order's report, asked for under another order the same office can read, is not found."""
    reported, other = order(nanning_entry, people.city_nanning), order(nanning_entry, people.city_nanning, "warning")
    sanction_report_submit(sanction=reported, by=people.agency_nanning, text="已整改。", file=sample_pdf("整改报告"))
    stored = SanctionReportFile.objects.get(sanction=reported)
    office = client_for(people.city_nanning)
    assert office.get(reverse("supervision:sanction_detail", args=[other.pk])).status_code == 200
    assert office.get(reverse("supervision:sanction_report_file", args=[other.pk, stored.pk])).status_code == 404
    own = office.get(reverse("supervision:sanction_report_file", args=[reported.pk, stored.pk]))
    assert own.status_code == 200
