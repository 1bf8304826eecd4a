"""Issue todo9 items 1 and 2: the police's opinion in the technical assessment. Their form says the agency
reads what they write and attach; when the centre accepts an application of their city they are told it waits
for their opinion (inbox and e-mail), and the message leaves their to-dos once the opinion is given."""

from __future__ import annotations

import pytest
from django.core import mail
from django.urls import reverse

from portal.models import Notification, Role
from tests.filings.test_police_opinion_waiting import _in_assessment
from tests.portal.factories import UserFactory
from tests.portal.inbox_page import read_subjects, todo_subjects


@pytest.fixture
def application(people):
    return _in_assessment(people, "柳州市平安卫士职业技能培训学校", "450200", people.city_liuzhou)


def test_the_police_form_says_the_agency_reads_the_opinion_and_the_attachments(people, client_for, application):
    page = client_for(people.police_liuzhou).get(reverse("filings:application_detail", args=[application.pk]))
    html = page.content.decode()
    assert "公安机关意见（评价机构可见）" in html
    assert "照片或扫描件（JPEG、PNG 或 PDF，可一次选择多个；评价机构可见）" in html
    # What the form says is true: the agency reads the opinion the police record.
    opinion = {"kind": "police_assessment", "notes": "技防设施符合要求。"}
    response = client_for(people.police_liuzhou).post(reverse("filings:record_add", args=[application.pk]), opinion)
    assert response.status_code == 302
    agency = application.organisation.users.get()
    assert (
        "技防设施符合要求。"
        in client_for(agency).get(reverse("filings:application_detail", args=[application.pk])).content.decode()
    )


OPINION_NEEDED = "柳州市平安卫士职业技能培训学校：备案申请 {} 待出具公安机关意见"


@pytest.fixture
def accepted(people, django_capture_on_commit_callbacks):
    """An application of 柳州 accepted by the centre, the messages of every step sent (e-mail too)."""
    people.police_liuzhou.email = "police@liuzhou.example"
    people.police_liuzhou.save(update_fields=["email"])
    with django_capture_on_commit_callbacks(execute=True):
        application = _in_assessment(people, "柳州市平安卫士职业技能培训学校", "450200", people.city_liuzhou)
    application.refresh_from_db()
    return application


def test_the_police_of_the_city_are_asked_for_their_opinion_once_the_centre_accepts(people, client_for, accepted):
    subject = OPINION_NEEDED.format(accepted.reference)
    assert subject in todo_subjects(client_for, people.police_liuzhou)
    message = Notification.objects.get(recipient=people.police_liuzhou, subject=subject)
    assert message.link == reverse("filings:application_detail", args=[accepted.pk])
    assert "录入公安机关意见（评价机构可见）" in message.body
    assert [m for m in mail.outbox if m.subject == subject and people.police_liuzhou.email in m.to]
    # Another city's police, the city bureau and the agency are not asked for it; nothing came before the acceptance.
    assert not Notification.objects.filter(subject=subject).exclude(recipient=people.police_liuzhou).exists()
    assert subject not in todo_subjects(client_for, people.police_nanning)


def test_the_request_leaves_the_to_dos_once_the_opinion_is_given(people, client_for, accepted):
    subject = OPINION_NEEDED.format(accepted.reference)
    colleague = UserFactory(role=Role.POLICE, department=people.police_liuzhou.department)
    # A wrong post (no opinion written) changes nothing.
    client_for(people.police_liuzhou).post(
        reverse("filings:record_add", args=[accepted.pk]), {"kind": "police_assessment", "notes": " "}
    )
    assert subject in todo_subjects(client_for, people.police_liuzhou)
    client_for(people.police_liuzhou).post(
        reverse("filings:record_add", args=[accepted.pk]), {"kind": "police_assessment", "notes": "同意。"}
    )
    assert subject not in todo_subjects(client_for, people.police_liuzhou)
    assert subject in read_subjects(client_for, people.police_liuzhou)
    # The colleague's copy is done too (the department's opinion is given).
    assert not Notification.objects.filter(recipient=colleague, subject=subject, read_at=None).exists()
