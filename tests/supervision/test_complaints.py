"""Complaints (投诉举报): the reply deadline on the holiday calendar, routing to the agency's city, what the form
needs, the public form's protections, the handler's steps, an upheld complaint in the credit record, and the
tracking code read in any case."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from filings.examples import sample_pdf
from portal.lib.errors import WorkflowError
from portal.lib.tracking import TRACKING_ALPHABET
from supervision.models import Complaint, CreditRecord
from supervision.services import complaint_act, complaint_deadline, complaint_submit
from supervision.services.complaints import complaints_overdue_notify
from tests.conftest import captcha_on, captcha_solved
from tests.supervision.factories import today_is

CONTENT = "2026年9月20日保卫管理员三级考试中，监考人员离开考场二十分钟，考生互相传递答案。"


def submit(entry, **extra):
    fields = {"happened_on": dt.date(2026, 9, 20), "content": CONTENT, "name": "李明", "contact": "13877112345"}
    return complaint_submit(entry=entry, **{**fields, **extra})


# ---------------------------------------------------------------- the deadline: 15 working days


@pytest.mark.parametrize(
    ("received", "due"),
    [
        # 2026: Mid-Autumn Festival Friday 25 September off; National Day 1–7 October off; Saturday 10 October
        # worked (国务院办公厅 2026 holiday schedule). Received Wednesday 30 September, the last working day before
        # the holiday: 8, 9, 10 (Saturday, worked) October (3), 12–16 (8), 19–23 (13), 26, 27 (15).
        (dt.date(2026, 9, 30), dt.date(2026, 10, 27)),
        # Received on the Mid-Autumn holiday: 28, 29, 30 September (3), 8, 9, 10 October (6), 12–16 (11),
        # 19–22 (15).
        (dt.date(2026, 9, 25), dt.date(2026, 10, 22)),
        # Received Friday 9 October: 10 (Saturday, worked) (1), 12–16 (6), 19–23 (11), 26–29 (15).
        (dt.date(2026, 10, 9), dt.date(2026, 10, 29)),
        # An ordinary month without holidays: Monday 2 March → Monday 23 March.
        (dt.date(2026, 3, 2), dt.date(2026, 3, 23)),
    ],
)
def test_the_reply_is_due_fifteen_working_days_later_on_the_holiday_calendar(db, received, due):
    assert complaint_deadline(received) == due


def test_the_number_of_working_days_is_a_setting(db, settings):
    settings.COMPLAINT_REPLY_WORKDAYS = 5
    # From Wednesday 30 September 2026: 8, 9, 10 (Saturday, worked), 12, 13 October.
    assert complaint_deadline(dt.date(2026, 9, 30)) == dt.date(2026, 10, 13)


# ---------------------------------------------------------------- routing and submission


def test_a_complaint_goes_to_the_bureau_of_the_agencys_city_and_is_notified(people, nanning_entry):
    with today_is(dt.date(2026, 9, 25)):
        complaint = submit(nanning_entry, files=[sample_pdf("现场照片")])
    assert complaint.department == people.city_nanning.department
    assert complaint.deadline == dt.date(2026, 10, 22)
    assert complaint.status == "received" and complaint.attachments.count() == 1
    assert len(complaint.tracking_code) == 12 and set(complaint.tracking_code) <= set(TRACKING_ALPHABET)
    assert people.city_nanning.notifications.count() == 1
    assert people.city_liuzhou.notifications.count() == 0


def test_anonymous_complaints_need_no_contact_and_keep_no_name(people, nanning_entry):
    with today_is(dt.date(2026, 9, 25)):
        complaint = submit(nanning_entry, anonymous=True, contact="", name="李明")
    assert complaint.anonymous and complaint.name == "" and complaint.contact == ""


@pytest.mark.parametrize(
    ("extra", "field"),
    [
        ({"content": "  "}, "content"),
        ({"happened_on": None}, "happened_on"),
        ({"happened_on": dt.date(2026, 9, 26)}, "happened_on"),  # tomorrow
        ({"contact": ""}, "contact"),  # not anonymous: a contact is needed
        ({"contact": "12345"}, "contact"),
        ({"contact": "1387711234"}, "contact"),  # ten digits
        ({"anonymous": True, "contact": "not-an-address"}, "contact"),  # given, so checked
        ({"files": [sample_pdf("x")] * 6}, "files"),
    ],
)
def test_what_a_complaint_needs(people, nanning_entry, extra, field):
    with today_is(dt.date(2026, 9, 25)), pytest.raises(ValidationError) as raised:
        submit(nanning_entry, **extra)
    assert field in raised.value.message_dict
    assert not Complaint.objects.exists()


@pytest.mark.parametrize("contact", ["13877112345", "0771-5832198", "li.ming@example.cn"])
def test_a_mobile_a_landline_or_an_e_mail_is_a_contact(people, nanning_entry, contact):
    with today_is(dt.date(2026, 9, 25)):
        assert submit(nanning_entry, contact=contact, happened_on=dt.date(2026, 9, 25)).contact == contact


def test_an_attachment_is_checked_by_its_content(people, nanning_entry):
    from django.core.files.uploadedfile import SimpleUploadedFile

    fake = SimpleUploadedFile("照片.jpg", b"MZ\x90\x00 this is not a picture", content_type="image/jpeg")
    with today_is(dt.date(2026, 9, 25)), pytest.raises(ValidationError) as raised:
        submit(nanning_entry, files=[fake])
    assert "files" in raised.value.message_dict


def test_the_tracking_code_is_e_mailed_when_the_contact_is_an_address(
    people, nanning_entry, django_capture_on_commit_callbacks
):
    with today_is(dt.date(2026, 9, 25)), django_capture_on_commit_callbacks(execute=True):
        complaint = submit(nanning_entry, contact="li.ming@example.cn")
    sent = [m for m in mail.outbox if m.to == ["li.ming@example.cn"]]
    assert len(sent) == 1 and complaint.tracking_code_display in sent[0].body


# ---------------------------------------------------------------- the public form


def _post(client, entry, **extra):
    data = {
        "entry": entry.pk,
        "happened_on": "2026-09-20",
        "content": CONTENT,
        "name": "李明",
        "contact": "13877112345",
        **captcha_solved(),
        **extra,
    }
    return client.post(reverse("complaints:new"), data)


def test_the_public_form_takes_a_complaint_and_shows_the_code_once(people, nanning_entry, client):
    with today_is(dt.date(2026, 9, 25)):
        response = _post(client, nanning_entry)
    assert response.status_code == 302 and response["Location"] == reverse("complaints:received")
    complaint = Complaint.objects.get()
    assert complaint.tracking_code_display in client.get(response["Location"]).content.decode()


def test_a_wrong_answer_keeps_what_was_typed_and_marks_every_missing_field(people, nanning_entry, client):
    response = _post(client, nanning_entry, captcha_1="0", contact="")
    assert response.status_code == 400
    page = response.content.decode()
    assert CONTENT in page and "is-invalid" in page
    assert not Complaint.objects.exists()


def test_the_picture_is_answered_once_and_a_wrong_answer_saves_nothing(people, nanning_entry, client):
    page = client.get(reverse("complaints:new")).content.decode()
    with today_is(dt.date(2026, 9, 25)):
        wrong = _post(client, nanning_entry, **captcha_on(page, right=False))
        assert wrong.status_code == 400 and not Complaint.objects.exists()
        refused = wrong.content.decode()
        assert "输入的字母与图片不符。请输入新图片中的字母。" in refused and CONTENT in refused
        assert 'value="李明"' in refused and 'value="13877112345"' in refused
        right = captcha_on(refused)
        assert _post(client, nanning_entry, **right).get("Location") == reverse("complaints:received")
        assert _post(client, nanning_entry, **right).status_code == 400
    assert Complaint.objects.count() == 1


def test_the_public_form_is_rate_limited_per_address(people, nanning_entry, client):
    with today_is(dt.date(2026, 9, 25)):
        statuses = [_post(client, nanning_entry).status_code for _ in range(4)]
    assert statuses == [302, 302, 302, 429]
    assert Complaint.objects.count() == 3


def test_the_code_is_read_in_any_case_with_or_without_hyphens(people, nanning_entry, client):
    with today_is(dt.date(2026, 9, 25)):
        complaint = submit(nanning_entry)
    for typed in (
        complaint.tracking_code,
        complaint.tracking_code_display.lower(),
        f" {complaint.tracking_code_display} ",
    ):
        page = client.post(reverse("complaints:track"), {"code": typed}).content.decode()
        assert 'id="result"' in page and CONTENT in page, typed
    assert 'id="result"' not in client.post(reverse("complaints:track"), {"code": "ABCD-EFGH-JKMN"}).content.decode()


# ---------------------------------------------------------------- handling


def test_the_handler_accepts_investigates_concludes_and_replies(people, nanning_entry, client):
    with today_is(dt.date(2026, 9, 25)):
        complaint = submit(nanning_entry)
        by = people.city_nanning
        complaint_act(complaint=complaint, step="accept", by=by)
        complaint_act(complaint=complaint, step="investigate", by=by)
        with pytest.raises(ValidationError):
            complaint_act(complaint=complaint, step="conclude", by=by, text="属实。")  # no outcome
        complaint_act(
            complaint=complaint, step="conclude", by=by, outcome="upheld", text="经现场核查，监考人员擅离岗位属实。"
        )
        with pytest.raises(WorkflowError):
            complaint_act(complaint=complaint, step="accept", by=by)
        complaint_act(complaint=complaint, step="reply", by=by, text="经查属实，已责令机构整改并记入信用档案。")
    complaint.refresh_from_db()
    assert complaint.status == "replied" and complaint.outcome == "upheld"
    record = CreditRecord.objects.get(complaint=complaint)
    assert record.kind == "complaint" and record.entry == nanning_entry
    assert [e.status for e in complaint.events.all()] == [
        "received",
        "accepted",
        "investigating",
        "concluded",
        "replied",
    ]
    page = client.post(reverse("complaints:track"), {"code": complaint.tracking_code}).content.decode()
    assert "已责令机构整改" in page
    assert "经现场核查" not in page  # the findings stay inside


def test_a_complaint_not_upheld_leaves_the_credit_record_alone(people, nanning_entry):
    with today_is(dt.date(2026, 9, 25)):
        complaint = submit(nanning_entry)
        complaint_act(complaint=complaint, step="accept", by=people.centre)
        complaint_act(complaint=complaint, step="conclude", by=people.centre, outcome="not_upheld", text="不属实。")
    assert not CreditRecord.objects.exists()


@pytest.mark.parametrize("name", ["city_liuzhou", "police_nanning", "agency_nanning", "admin"])
def test_only_the_bureau_of_the_city_or_the_centre_handles(people, nanning_entry, name):
    with today_is(dt.date(2026, 9, 25)):
        complaint = submit(nanning_entry)
    with pytest.raises(PermissionDenied):
        complaint_act(complaint=complaint, step="accept", by=getattr(people, name))
    complaint.refresh_from_db()
    assert complaint.status == "received"


def test_declining_needs_reasons_the_complainant_reads(people, nanning_entry):
    with today_is(dt.date(2026, 9, 25)):
        complaint = submit(nanning_entry)
        with pytest.raises(ValidationError):
            complaint_act(complaint=complaint, step="decline", by=people.city_nanning)
        complaint_act(complaint=complaint, step="decline", by=people.city_nanning, text="不属于本部门职责。")
    complaint.refresh_from_db()
    assert complaint.status == "declined" and complaint.reply == "不属于本部门职责。"


@pytest.mark.parametrize(
    ("today", "reminded"), [(dt.date(2026, 10, 21), 0), (dt.date(2026, 10, 22), 0), (dt.date(2026, 10, 23), 1)]
)
def test_an_open_complaint_is_overdue_the_day_after_its_deadline(people, nanning_entry, today, reminded):
    with today_is(dt.date(2026, 9, 25)):
        complaint = submit(nanning_entry)
    before = people.city_nanning.notifications.count()
    with today_is(today):
        assert complaints_overdue_notify() == reminded
    assert people.city_nanning.notifications.count() == before + reminded
    assert complaint.overdue_on(today) is bool(reminded)


def test_the_police_of_the_city_read_the_complaints_of_its_agencies(people, nanning_entry, client_for):
    with today_is(dt.date(2026, 9, 25)):
        complaint = submit(nanning_entry)
    url = reverse("supervision:complaint_detail", args=[complaint.pk])
    assert client_for(people.police_nanning).get(url).status_code == 200
    assert client_for(people.police_liuzhou).get(url).status_code == 404
    assert client_for(people.agency_nanning).get(url).status_code == 403


def test_the_complainants_name_and_contact_are_the_handling_bureaus_only(people, nanning_entry, client_for):
    """The public form promises 您的姓名和联系方式仅承办人员可见: the police of the city read the complaint, not who
    made it."""
    with today_is(dt.date(2026, 9, 25)):
        complaint = submit(nanning_entry)
    url = reverse("supervision:complaint_detail", args=[complaint.pk])
    handler = client_for(people.city_nanning).get(url).content.decode()
    police = client_for(people.police_nanning).get(url).content.decode()
    assert "李明" in handler and "13877112345" in handler
    assert "李明" not in police and "13877112345" not in police
    assert "仅承办部门可见" in police


# ---------------------------------------------------------------- the tracking code after a reload (post-redirect-get)


def test_reloading_the_received_page_shows_the_code_again_and_files_nothing_more(people, nanning_entry, client):
    with today_is(dt.date(2026, 9, 25)):
        posted = _post(client, nanning_entry)
    code = Complaint.objects.get().tracking_code_display
    for _reload in range(3):
        page = client.get(posted["Location"])
        assert page.status_code == 200 and page["Cache-Control"] == "no-store"
        assert code in page.content.decode()
    assert Complaint.objects.count() == 1


def test_the_code_is_shown_only_to_the_browser_that_sent_it(people, nanning_entry, client):
    with today_is(dt.date(2026, 9, 25)):
        _post(client, nanning_entry)
    code = Complaint.objects.get().tracking_code_display
    from django.test import Client

    stranger = Client().get(reverse("complaints:received"))
    assert stranger.status_code == 200
    assert code not in stranger.content.decode() and "没有可显示的投诉" in stranger.content.decode()


@pytest.mark.parametrize(("seconds", "shown"), [(29 * 60 + 59, True), (30 * 60 + 1, False)])
def test_the_code_is_shown_again_for_thirty_minutes(people, nanning_entry, client, seconds, shown):
    import time
    from unittest import mock

    with today_is(dt.date(2026, 9, 25)):
        _post(client, nanning_entry)
    code = Complaint.objects.get().tracking_code_display
    with mock.patch("portal.lib.tracking.time.time", return_value=time.time() + seconds):
        page = client.get(reverse("complaints:received")).content.decode()
    assert (code in page) is shown
