"""What the audit log used to miss: reopening, draft saves, changes in the administration site, the client's
address on rows written by services that were not handed the request, refused uploads and refused access as
security events, and details written in readable Chinese."""

import datetime as dt
from unittest import mock

import pytest
from axes.models import AccessAttempt
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from filings.services import application_create, application_withdraw
from portal.models import AuditEvent, WorkdayOverride
from tests.filings.factories import make_call, nanning_submission

IP = "10.20.30.40"


def events(action: str):
    return AuditEvent.objects.filter(action=action).order_by("pk")


def test_reopening_a_withdrawn_application_is_recorded_with_the_address(people, client_for):
    application = nanning_submission(people)
    application_withdraw(application=application, by=people.agency_nanning)
    client = client_for(people.agency_nanning)
    client.post(reverse("filings:application_reopen", args=[application.pk]), REMOTE_ADDR=IP)
    [event] = events("application_reopen")
    assert (event.username, event.ip, event.object_id) == ("agency_nanning", IP, str(application.pk))


def test_draft_saves_are_recorded_once_per_ten_minutes(people, client_for):
    application = application_create(organisation=people.org_nanning, call=make_call(), by=people.agency_nanning)
    client = client_for(people.agency_nanning)
    url = reverse("filings:application_edit", args=[application.pk])
    client.post(url, {"basic-address": "南宁市青秀区"}, headers={"X-Autosave": "1"}, REMOTE_ADDR=IP)
    client.post(url, {"basic-address": "南宁市青秀区民族大道"}, headers={"X-Autosave": "1"}, REMOTE_ADDR=IP)
    assert [(e.username, e.ip) for e in events("draft_save")] == [("agency_nanning", IP)]
    later = timezone.now() + dt.timedelta(minutes=11)
    with mock.patch("django.utils.timezone.now", return_value=later):
        client.post(url, {"basic-address": "南宁市青秀区民族大道 100 号"}, REMOTE_ADDR=IP)
    assert events("draft_save").count() == 2


def test_a_holiday_added_in_the_administration_site_is_recorded_in_chinese(people, client_for):
    client = client_for(people.admin)
    response = client.post(
        reverse("admin:portal_workdayoverride_add"),
        {"date": "2027-10-08", "is_workday": "", "note": "国庆调休"},
        REMOTE_ADDR=IP,
    )
    assert response.status_code == 302 and WorkdayOverride.objects.filter(date="2027-10-08").exists()
    [event] = events("admin_change")
    assert (event.username, event.ip) == ("admin", IP)
    assert event.detail.startswith("添加了") and "2027-10-08" in event.detail


def test_a_lockout_reset_in_the_administration_site_is_recorded(people, client_for):
    attempt = AccessAttempt.objects.create(
        username="agency_nanning", ip_address="10.0.0.9", user_agent="x", failures_since_start=5
    )
    client = client_for(people.admin)
    url = reverse("admin:axes_accessattempt_delete", args=[attempt.pk])
    assert client.post(url, {"post": "yes"}, REMOTE_ADDR=IP).status_code == 302
    [event] = events("admin_change")
    assert event.detail.startswith("删除了") and event.ip == IP


def test_a_role_change_in_the_administration_site_says_what_changed(people, client_for):
    from django.contrib.admin.models import CHANGE, LogEntry

    LogEntry.objects.log_actions(
        user_id=people.admin.pk,
        queryset=[people.police_nanning],
        action_flag=CHANGE,
        change_message=[{"changed": {"fields": ["Role", "Active"]}}],
        single_object=True,
    )
    [event] = events("admin_change")
    assert event.detail == "修改了用户“police_nanning”：已修改角色 和 正常。"


def test_rows_of_services_not_handed_the_request_carry_the_clients_address(people, client_for):
    from filings.examples import sample_pdf

    application = application_create(organisation=people.org_nanning, call=make_call(), by=people.agency_nanning)
    client_for(people.agency_nanning).post(
        reverse("filings:attachment_upload", args=[application.pk]),
        {"material": "work_plan", "file": sample_pdf("工作方案")},
        REMOTE_ADDR=IP,
    )
    [event] = events("attachment_add")
    assert event.ip == IP
    assert event.detail == "职业技能等级认定工作方案及质量管控措施：工作方案.pdf"


def test_a_refused_upload_is_a_security_event_that_survives_the_rollback(people, client_for):
    application = application_create(organisation=people.org_nanning, call=make_call(), by=people.agency_nanning)
    program = SimpleUploadedFile("年度报告.pdf", b"MZ\x90\x00" + b"\x00" * 200, content_type="application/pdf")
    client_for(people.agency_nanning).post(
        reverse("filings:attachment_upload", args=[application.pk]),
        {"material": "work_plan", "file": program},
        REMOTE_ADDR=IP,
    )
    assert not application.attachments.exists()
    [event] = events("upload_rejected")
    assert (event.username, event.ip, event.result) == ("agency_nanning", IP, "failure")
    assert "年度报告.pdf" in event.detail and "程序" in event.detail


@pytest.mark.parametrize(("who", "url"), [("agency_nanning", "/audit/"), ("police_nanning", "/agencies/calls/new/")])
def test_refused_access_is_a_security_event(people, client_for, who, url):
    response = client_for(getattr(people, who)).get(url, REMOTE_ADDR=IP)
    assert response.status_code == 403
    [event] = events("access_denied")
    assert (event.username, event.ip, event.result) == (who, IP, "failure")
    assert url in event.detail and "拒绝访问" in event.detail


def test_details_read_as_chinese(people):
    nanning_submission(people)
    assert events("application_submit").get().detail == "第 1 版"
