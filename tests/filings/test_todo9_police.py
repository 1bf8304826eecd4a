"""Issue todo9 items 1 and 2: the police's opinion in the technical assessment. Their form says the agency
reads what they write and attach; when the centre accepts an application of their city they are told it waits
for their opinion (inbox and e-mail), and the message leaves their to-dos once the opinion is given."""

from __future__ import annotations

import pytest
from django.core import mail
from django.urls import reverse

from portal.models import Notification
from tests.filings.test_police_opinion_waiting import _in_assessment


@pytest.fixture
def application(people):
    return _in_assessment(people, "柳州市平安卫士职业技能培训学校", "450200", people.city_liuzhou)


def test_the_police_form_says_the_agency_reads_the_opinion_and_the_attachments(people, client_for, application):
    page = client_for(people.police_liuzhou).get(
        reverse("filings:application_detail", args=[application.pk])
    )
    html = page.content.decode()
    assert "公安机关意见（评价机构可见）" in html
    assert "照片或扫描件（JPEG、PNG 或 PDF，可一次选择多个；评价机构可见）" in html
    # What the form says is true: the agency reads the opinion the police record.
    response = client_for(people.police_liuzhou).post(
        reverse("filings:record_add", args=[application.pk]), {"kind": "police_assessment", "notes": "技防设施符合要求。"}
    )
    assert response.status_code == 302
    agency = application.organisation.users.get()
    assert "技防设施符合要求。" in client_for(agency).get(
        reverse("filings:application_detail", args=[application.pk])
    ).content.decode()
