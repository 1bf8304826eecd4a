"""An objection to a results notice concerns more than the centre that answers it (qa9c item 1): the agency
whose results they are and the city HR bureau that reviews them are told when it is raised, naming the
candidate, the session and the agency; the session's page shows the pending objection to all three; the
answer, either way, is told to the agency."""

from __future__ import annotations

import datetime as dt

from django.urls import reverse

from portal.models import Notification
from tests.certificates.test_results_objections import objection, publicised  # noqa: F401 (fixtures)
from tests.supervision.factories import today_is


def _told(user, needle):
    return Notification.objects.filter(recipient=user, subject__contains=needle)


def test_the_agency_and_the_reviewing_bureau_are_told_of_an_objection(publicised, objection, people):  # noqa: F811
    agency_told = _told(people.agency_nanning, "张*三")
    assert agency_told.count() == 1
    message = agency_told.get()
    assert publicised.plan.label in message.subject
    assert "异议" in message.subject
    assert "省鉴定中心" in message.body and "不予颁发证书" in message.body
    assert message.link == reverse("certificates:session_detail", args=[publicised.pk])

    bureau_told = _told(people.city_nanning, "张*三")
    assert bureau_told.count() == 1
    assert people.org_nanning.name in bureau_told.get().subject
    assert publicised.plan.label in bureau_told.get().body
    # Not the bureau of another city, nor another agency.
    assert not _told(people.city_liuzhou, "张*三").exists()
    assert not _told(people.agency_liuzhou, "张*三").exists()


def test_the_session_page_shows_the_pending_objection_to_agency_bureau_and_centre(
    publicised,  # noqa: F811
    objection,  # noqa: F811
    people,
    client_for,
):
    page_url = reverse("certificates:session_detail", args=[publicised.pk])
    for user in (people.agency_nanning, people.city_nanning, people.centre):
        text = client_for(user).get(page_url, HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
        assert "data-pending-objections" in text, user
        pending = text.split("data-pending-objections", 1)[1].split("</div>", 1)[0]
        assert "1 条异议待省鉴定中心答复" in pending
        assert f'data-objection="{objection.pk}"' in pending and "张*三" in pending
        assert "李*" not in pending  # the candidate no one objected to


def test_an_answered_objection_leaves_the_session_page_and_the_agency_is_told_the_outcome(
    publicised,  # noqa: F811
    objection,  # noqa: F811
    people,
    client_for,
):
    detail = reverse("publicity:notice_detail", args=[publicised.notice.pk])
    with today_is(dt.date(2026, 11, 4)):
        client_for(people.centre).post(
            detail, {"action": "handle", "objection": objection.pk, "decision": "dismiss", "reply": "经核查，不属实。"}
        )
    told = _told(people.agency_nanning, "异议不成立")
    assert told.count() == 1
    assert "张*三" in told.get().subject and "经核查，不属实。" in told.get().body
    page = client_for(people.agency_nanning).get(reverse("certificates:session_detail", args=[publicised.pk]))
    assert "data-pending-objections" not in page.content.decode()


def test_no_objection_no_pending_box(publicised, people, client_for):  # noqa: F811
    page = client_for(people.agency_nanning).get(reverse("certificates:session_detail", args=[publicised.pk]))
    assert "data-pending-objections" not in page.content.decode()
    assert not _told(people.city_nanning, "异议").exists()
