"""On-site quality supervision: who inspects, the checklist, photos checked by content, findings into the
credit record, rectification orders due in working days, the agency's answer with evidence, close or escalate
to a sanction; and the chain page that links them."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from filings.examples import sample_pdf
from portal.lib.errors import WorkflowError
from supervision.models import CHECKLIST, CreditRecord, Inspection, Rectification
from supervision.services import complaint_act, complaint_submit, sanction_decide, sanction_lift
from supervision.services.inspections import (
    finding_add,
    inspection_checklist_save,
    inspection_complete,
    inspection_open,
    inspection_photos_add,
    rectification_answer,
    rectification_close,
    rectification_escalate,
)
from supervision.services.sanctions import PILOT_EXIT_CLAUSE
from tests.supervision.factories import issued, today_is

WEDNESDAY = dt.date(2026, 9, 30)  # the last working day before the 2026 National Day holiday
ALL_OK = {code: {"result": "ok", "note": ""} for code, _label in CHECKLIST}


def _png() -> SimpleUploadedFile:
    import base64

    pixel = base64.b64decode(
        "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg=="
    )
    return SimpleUploadedFile("现场.png", pixel, content_type="image/png")


@pytest.mark.parametrize("name", ["city_nanning", "police_nanning", "centre"])
def test_the_officials_of_the_agencys_city_inspect(people, nanning_entry, name):
    inspection = inspection_open(entry=nanning_entry, by=getattr(people, name))
    assert inspection.department == getattr(people, name).department and inspection.status == "open"


@pytest.mark.parametrize("name", ["city_liuzhou", "police_liuzhou", "agency_nanning", "expert_assigned", "admin"])
def test_others_do_not(people, nanning_entry, name):
    with pytest.raises(PermissionDenied):
        inspection_open(entry=nanning_entry, by=getattr(people, name))
    assert not Inspection.objects.exists()


def test_a_failed_item_needs_its_note_and_completion_needs_every_item_and_a_rating(people, nanning_entry):
    inspection = inspection_open(entry=nanning_entry, by=people.police_nanning)
    with pytest.raises(ValidationError) as raised:
        inspection_checklist_save(
            inspection=inspection, by=people.police_nanning, results={"video": {"result": "fail"}}
        )
    assert "video" in raised.value.message_dict
    partial = {**ALL_OK}
    partial.pop("papers")
    inspection_checklist_save(inspection=inspection, by=people.police_nanning, results=partial)
    with pytest.raises(ValidationError) as raised:
        inspection_complete(inspection=inspection, by=people.police_nanning, rating="good", summary="")
    assert "checklist" in raised.value.message_dict
    inspection_checklist_save(inspection=inspection, by=people.police_nanning, results=ALL_OK)
    with pytest.raises(ValidationError) as raised:
        inspection_complete(inspection=inspection, by=people.police_nanning, rating="", summary="")
    assert "rating" in raised.value.message_dict
    inspection_complete(inspection=inspection, by=people.police_nanning, rating="good", summary="规范。")
    with pytest.raises(WorkflowError):
        inspection_checklist_save(inspection=inspection, by=people.police_nanning, results=ALL_OK)


def test_photos_are_checked_by_their_content(people, nanning_entry):
    inspection = inspection_open(entry=nanning_entry, by=people.city_nanning)
    inspection_photos_add(inspection=inspection, by=people.city_nanning, files=[_png()], caption="考场")
    fake = SimpleUploadedFile("照片.jpg", b"<html>not a photo</html>", content_type="image/jpeg")
    with pytest.raises(ValidationError):
        inspection_photos_add(inspection=inspection, by=people.city_nanning, files=[fake])
    assert inspection.photos.count() == 1


@pytest.mark.parametrize(
    ("workdays", "due"),
    [
        # From Wednesday 30 September 2026: 8, 9, 10 (Saturday, worked) October are the first three working days.
        (1, dt.date(2026, 10, 8)),
        (3, dt.date(2026, 10, 10)),
        # 10: 8, 9, 10, 12–16, 19, 20 October.
        (10, dt.date(2026, 10, 20)),
        (None, dt.date(2026, 10, 20)),  # the default, RECTIFICATION_WORKDAYS = 10
    ],
)
def test_a_rectification_order_is_due_in_working_days(people, nanning_entry, workdays, due):
    with today_is(WEDNESDAY):
        inspection = inspection_open(entry=nanning_entry, by=people.city_nanning)
        finding_add(
            inspection=inspection,
            by=people.city_nanning,
            text="视频监控未开启。",
            requirement="开启并接入系统。",
            workdays=workdays,
        )
    assert Rectification.objects.get().deadline == due


@pytest.mark.parametrize("workdays", [0, 61])
def test_the_working_days_stay_within_bounds(people, nanning_entry, workdays):
    inspection = inspection_open(entry=nanning_entry, by=people.city_nanning)
    with pytest.raises(ValidationError) as raised:
        finding_add(inspection=inspection, by=people.city_nanning, text="问题", requirement="整改", workdays=workdays)
    assert "workdays" in raised.value.message_dict
    assert not inspection.findings.exists()


def test_the_chain_complaint_inspection_finding_rectification_suspension_lifted(people, nanning_entry, client_for):
    with today_is(WEDNESDAY):
        complaint = complaint_submit(
            entry=nanning_entry, happened_on=WEDNESDAY, content="考场无视频监控。", anonymous=True
        )
        complaint_act(complaint=complaint, step="accept", by=people.city_nanning)
        inspection = inspection_open(entry=nanning_entry, by=people.city_nanning, complaint=complaint)
        complaint.refresh_from_db()
        assert complaint.status == "investigating" and inspection.source == "complaint"
        finding = finding_add(
            inspection=inspection,
            by=people.city_nanning,
            text="3号考场视频监控未开启。",
            requirement="恢复监控并提交记录。",
        )
        assert CreditRecord.objects.filter(finding=finding, kind="finding").count() == 1
        order = finding.rectification
        issued(inspection, people.city_nanning)
        with pytest.raises(PermissionDenied):
            rectification_answer(rectification=order, by=people.agency_liuzhou, answer="x", files=[sample_pdf("x")])
        with pytest.raises(ValidationError) as raised:
            rectification_answer(rectification=order, by=people.agency_nanning, answer="已整改。")
        assert "evidence" in raised.value.message_dict
        rectification_answer(rectification=order, by=people.agency_nanning, answer="已整改。", files=[_png()])
        order.refresh_from_db()
        assert order.status == "answered" and order.evidence.count() == 1
        with pytest.raises(ValidationError):
            rectification_escalate(rectification=order, by=people.city_nanning, note="")
        rectification_escalate(rectification=order, by=people.city_nanning, note="复查仍未开启。")
        with pytest.raises(WorkflowError):
            rectification_close(rectification=order, by=people.city_nanning)
        suspension = sanction_decide(
            entry=nanning_entry,
            kind="suspension",
            facts="整改不到位。",
            basis=PILOT_EXIT_CLAUSE,
            until=dt.date(2026, 11, 30),
            rectification=order,
            by=people.city_nanning,
        )
        sanction_lift(sanction=suspension, reason="复查合格。", by=people.city_nanning)
    page = client_for(people.city_nanning).get(reverse("supervision:agency_file", args=[nanning_entry.pk]))
    html = page.content.decode()
    for url in (
        reverse("supervision:complaint_detail", args=[complaint.pk]),
        reverse("supervision:inspection_detail", args=[inspection.pk]),
        reverse("supervision:rectification_detail", args=[order.pk]),
        reverse("supervision:sanction_detail", args=[suspension.pk]),
    ):
        assert url in html, url
    # The agency's own file shows the chain from the inspection on, never the complaint.
    own = client_for(people.agency_nanning).get(reverse("supervision:agency_file", args=[nanning_entry.pk]))
    assert reverse("supervision:complaint_detail", args=[complaint.pk]) not in own.content.decode()
    assert reverse("supervision:sanction_detail", args=[suspension.pk]) in own.content.decode()


def test_a_closed_order_is_verified_by_an_inspector(people, nanning_entry):
    inspection = inspection_open(entry=nanning_entry, by=people.police_nanning)
    finding = finding_add(
        inspection=inspection, by=people.police_nanning, text="未张贴考场规则。", requirement="张贴。"
    )
    order = finding.rectification
    issued(inspection, people.police_nanning)
    with pytest.raises(WorkflowError):
        rectification_close(rectification=order, by=people.police_nanning)  # not answered yet
    rectification_answer(rectification=order, by=people.agency_nanning, answer="已张贴。", files=[sample_pdf("照片")])
    with pytest.raises(PermissionDenied):
        rectification_close(rectification=order, by=people.police_liuzhou)
    rectification_close(rectification=order, by=people.police_nanning, note="核实。")
    order.refresh_from_db()
    assert order.status == "closed" and order.decided_by == people.police_nanning


def test_the_inspection_page_offers_the_camera(people, nanning_entry, client_for):
    inspection = inspection_open(entry=nanning_entry, by=people.police_nanning)
    html = client_for(people.police_nanning).get(reverse("supervision:inspection_detail", args=[inspection.pk]))
    assert 'capture="environment"' in html.content.decode()


def test_an_upheld_objection_shows_in_the_credit_record(people, nanning_entry, client_for):
    from publicity.services import objection_handle
    from tests.test_access_effects import objection_to, published_notice, submission

    notice = published_notice(people, submission(people, people.org_nanning, "credit-objection"))
    objection = objection_to(notice)
    url = reverse("supervision:agency_file", args=[nanning_entry.pk])
    assert "经核查属实，场地不符" not in client_for(people.city_nanning).get(url).content.decode()
    objection_handle(objection=objection, by=people.centre, upheld=True, reply="经核查属实，场地不符。")
    assert "经核查属实，场地不符" in client_for(people.city_nanning).get(url).content.decode()
