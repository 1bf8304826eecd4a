"""Selection (择优遴选) and publicity (公示): the ranking, the notice and its window, objections end to end."""

from __future__ import annotations

import datetime as dt
import re
from types import SimpleNamespace
from unittest import mock

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from filings.examples import sample_application_data, sample_pdf
from filings.models import Application, State, StateChange
from filings.services import (
    application_create,
    application_save_draft,
    application_submit,
    application_transition,
    attachment_add,
    selection_mark,
)
from filings.services import selection_notice_create as notice_create
from portal.lib import ratelimit
from portal.lib.errors import WorkflowError
from portal.models import Notification, Role, WorkdayOverride
from publicity.models import Notice, NoticeItem, Objection
from publicity.services import notice_close, notice_publish, notices_close_due, objection_handle, objection_raise
from tests.agencies.factories import OrganisationFactory
from tests.conftest import captcha_on, captcha_solved
from tests.filings.factories import GX_MATERIALS, nanning_submission
from tests.portal.factories import UserFactory, region

SECURITY_MANAGER = [("3-02-02-00", "保卫管理员", level) for level in (3, 2, 1)]


@pytest.fixture(autouse=True)
def _english(settings):
    """The pages in English, so that the assertions read the msgids (the Chinese is the translators' work)."""
    settings.LANGUAGE_CODE = "en"


def on(day: dt.date):
    """Today is ``day`` for the services and the views."""
    return mock.patch("django.utils.timezone.localdate", return_value=day)


def _submitted(people, organisation, agency) -> Application:
    call = nanning_submission(people).call
    application = application_create(organisation=organisation, call=call, by=agency)
    data = sample_application_data(organisation, occupations=SECURITY_MANAGER)
    application_save_draft(application=application, data=data, by=agency)
    for material in GX_MATERIALS:
        attachment_add(application=application, material=material["code"], uploaded=sample_pdf("scan"), by=agency)
    application_submit(application=application, by=agency, commitment_name="张三", consent=True)
    application.refresh_from_db()
    return application


def _assessed(people, application: Application, city, score) -> Application:
    application_transition(application=application, by=city, name="recommend", text="同意推荐。")
    application_transition(application=application, by=people.centre, name="accept")
    Application.objects.filter(pk=application.pk).update(state=State.ASSESSED, panel_score=score)
    application.refresh_from_db()
    return application


@pytest.fixture
def field(people):
    """Three assessed applications of one call: two in 南宁 (88 and 92 points), one in 柳州 (75)."""
    nanning_a = _assessed(people, nanning_submission(people), people.city_nanning, 88)
    org_b = OrganisationFactory(name="南宁市金盾保安培训中心", region=region("450100"))
    agency_b = UserFactory(username="agency_jindun", role=Role.AGENCY, organisation=org_b)
    nanning_b = _assessed(people, _submitted(people, org_b, agency_b), people.city_nanning, 92)
    liuzhou = _assessed(people, _submitted(people, people.org_liuzhou, people.agency_liuzhou), people.city_liuzhou, 75)
    return SimpleNamespace(a=nanning_a, b=nanning_b, liuzhou=liuzhou, call=nanning_a.call)


def _select(people, *applications):
    for application in applications:
        selection_mark(application=application, by=people.centre, selected=True, reason="得分靠前，布局合理。")


def _publish(people, field, *applications, days: int = 5) -> Notice:
    _select(people, *applications)
    notice = notice_create(
        call=field.call,
        by=people.centre,
        title="遴选结果公示",
        body="现予以公示。",
        window_days=days,
        applications=applications,
    )
    return notice_publish(notice=notice, by=people.centre)


def item_of(notice: Notice, application: Application) -> NoticeItem:
    return notice.items.get(object_id=application.pk)


def answered() -> dict:
    return captcha_solved()


# Where a raised objection is sent (post-redirect-get); a refused one goes back to the notice.
RECEIVED = "/objections/received/"


def object_to(client, notice, application, **extra):
    data = {
        "item": item_of(notice, application).pk,
        "name": "王建军",
        "contact": "13977212345",
        "content": "该机构的考核场地面积不足。",
        **answered(),
        **extra,
    }
    return client.post(reverse("notices:objection_create", args=[notice.pk]), data)


# ---------------------------------------------------------------- selection


def test_ranking_is_by_panel_score_with_the_spread_over_cities_beside_it(people, field, client_for):
    _select(people, field.b)
    response = client_for(people.centre).get(reverse("filings:selection", args=[field.call.pk]))
    assert response.status_code == 200
    assert [row["pk"] for row in response.context["rows"]] == [field.b.pk, field.a.pk, field.liuzhou.pk]
    assert [row["rank"] for row in response.context["rows"]] == [1, 2, 3]
    layout = {c["city"].name: (c["selected"], c["assessed"], c["undecided"]) for c in response.context["layout"]}
    assert layout == {"南宁市": (1, 2, 1), "柳州市": (0, 1, 1)}
    content = response.content.decode()
    assert content.index("南宁市金盾保安培训中心") < content.index("南宁市安盾职业技能培训学校")


def test_selection_needs_a_reason_and_keeps_what_was_typed(people, field, client_for):
    client = client_for(people.centre)
    url = reverse("filings:selection", args=[field.call.pk])
    response = client.post(url, {"application": field.a.pk, "decision": "select", "reason": "  "})
    assert response.status_code == 400
    assert "Give the reason for this decision." in response.content.decode()
    field.a.refresh_from_db()
    assert field.a.state == State.ASSESSED

    response = client.post(url, {"application": field.a.pk, "decision": "", "reason": "综合得分第二"})
    assert response.status_code == 400
    assert 'value="综合得分第二"' in response.content.decode()

    response = client.post(url, {"application": field.a.pk, "decision": "not_select", "reason": "同城已有高分机构"})
    assert response.status_code == 302
    field.a.refresh_from_db()
    assert field.a.state == State.NOT_SELECTED
    assert field.a.selection_reason == "同城已有高分机构"
    assert field.a.history.last().comment == "同城已有高分机构"


def test_only_the_centre_selects(people, field):
    with pytest.raises(WorkflowError):
        selection_mark(application=field.a, by=people.city_nanning, selected=True, reason="同意")


# ---------------------------------------------------------------- the window on the working-day calendar


@pytest.mark.parametrize(
    ("published", "expected"),
    [
        # National Day 2026: 1–7 October off; Saturday 10 October is an adjusted working day.
        (dt.date(2026, 9, 30), dt.date(2026, 10, 12)),
        # Sunday 20 September 2026 is an adjusted working day (Mid-Autumn Friday 25 September is off).
        (dt.date(2026, 9, 18), dt.date(2026, 9, 23)),
        # Into 2027, which the holiday package does not know yet: Monday to Friday less 元旦 (Friday 1 January).
        (dt.date(2026, 12, 28), dt.date(2027, 1, 4)),
    ],
)
def test_the_window_is_five_working_days_counting_the_day_of_publication(people, field, published, expected):
    with on(published):
        notice = _publish(people, field, field.a)
    assert (notice.opens_on, notice.closes_on) == (published, expected)


def test_an_entered_2027_holiday_moves_the_closing_date(people, field):
    WorkdayOverride.objects.create(date=dt.date(2027, 1, 4), is_workday=False, note="调休")
    with on(dt.date(2026, 12, 28)):
        notice = _publish(people, field, field.a)
    assert notice.closes_on == dt.date(2027, 1, 5)


def test_the_window_length_is_set_per_notice(people, field):
    with on(dt.date(2026, 9, 30)):
        notice = _publish(people, field, field.a, days=7)
    assert notice.closes_on == dt.date(2026, 10, 14)


# ---------------------------------------------------------------- the centre's notice pages


def test_the_centre_drafts_a_notice_from_the_selected_applications(people, field, client_for):
    _select(people, field.a, field.b)
    client = client_for(people.centre)
    response = client.get(reverse("filings:notice_new"), {"call": field.call.pk})
    assert response.status_code == 200
    assert response.context["window_days"] == 5
    assert "公示" in response.context["title"]
    assert {row["application"].pk for row in response.context["rows"]} == {field.a.pk, field.b.pk}

    response = client.post(
        reverse("filings:notice_new"),
        {"call": field.call.pk, "applications": [field.a.pk], "title": "", "window_days": "5", "body": "正文"},
    )
    assert response.status_code == 400
    assert "Give the notice a title." in response.content.decode()
    assert "正文" in response.content.decode()

    response = client.post(
        reverse("filings:notice_new"),
        {"call": field.call.pk, "applications": [field.a.pk], "title": "公示", "window_days": "5", "body": "正文"},
    )
    notice = Notice.objects.get()
    assert response.status_code == 302
    assert notice.status == Notice.Status.DRAFT and [item.subject for item in notice.items.all()] == [field.a]

    with on(dt.date(2026, 9, 30)):
        client.post(reverse("publicity:notice_detail", args=[notice.pk]), {"action": "publish"})
    notice.refresh_from_db()
    field.a.refresh_from_db()
    assert notice.status == Notice.Status.PUBLISHED and notice.closes_on == dt.date(2026, 10, 12)
    assert notice.published_by == people.centre
    assert field.a.state == State.PUBLICITY


def test_a_notice_takes_only_selected_applications(people, field):
    _select(people, field.a)
    with pytest.raises(ValidationError) as error:
        notice_create(
            call=field.call, by=people.centre, title="公示", body="", window_days=5, applications=[field.a, field.b]
        )
    assert "applications" in error.value.message_dict


# ---------------------------------------------------------------- the public notice


def test_the_public_notice_needs_no_sign_in_and_shows_each_agency(people, field, client_for):
    notice = _publish(people, field, field.a, field.liuzhou)
    client = client_for(None)
    response = client.get(reverse("notices:notice_detail", args=[notice.pk]))
    assert response.status_code == 200
    content = response.content.decode()
    for text in ("南宁市安盾职业技能培训学校", "柳州市护航保安职业培训中心", "保卫管理员", "Level 3 / Senior worker"):
        assert text in content
    assert "Whole autonomous region" in content and "南宁市" in content and "柳州市" in content
    assert notice.closes_on.isoformat() in content
    assert 'name="captcha_1"' in content  # the objection form, during the window
    assert client.get(reverse("notices:notice_list")).status_code == 200


def test_a_draft_notice_is_not_public(people, field, client_for):
    _select(people, field.a)
    notice = notice_create(
        call=field.call, by=people.centre, title="草稿", body="", window_days=5, applications=[field.a]
    )
    assert client_for(None).get(reverse("notices:notice_detail", args=[notice.pk])).status_code == 404
    assert client_for(None).get(reverse("notices:notice_pdf", args=[notice.pk])).status_code == 404


def test_the_notice_pdf_lists_the_agencies(people, field, client_for):
    notice = _publish(people, field, field.a)
    response = client_for(None).get(reverse("notices:notice_pdf", args=[notice.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.getvalue().startswith(b"%PDF-")


# ---------------------------------------------------------------- objections


def test_an_objection_from_raising_to_the_reply(people, field, client_for):
    notice = _publish(people, field, field.a, field.b)
    public = client_for(None)
    response = object_to(public, notice, field.a, files=[sample_pdf("现场照片")])
    assert response.status_code == 302 and response["Location"] == reverse("notices:objection_received")
    response = public.get(response["Location"])
    upheld = Objection.objects.get(item__object_id=field.a.pk)
    # Short, in an alphabet with no 0/O or 1/I/L, shown in groups of four.
    assert len(upheld.tracking_code) == 12 and not set(upheld.tracking_code) & set("0O1IL")
    assert upheld.tracking_code_display in response.content.decode()
    assert upheld.attachments.get().content_type == "application/pdf"
    assert Notification.objects.filter(recipient=people.centre, subject__contains="安盾").exists()

    object_to(public, notice, field.b, content="该机构考评人员不足。")
    dismissed = Objection.objects.get(item__object_id=field.b.pk)

    centre = client_for(people.centre)
    detail = reverse("publicity:notice_detail", args=[notice.pk])
    response = centre.post(detail, {"action": "handle", "objection": upheld.pk, "decision": "uphold", "reply": ""})
    assert response.status_code == 400
    assert "Write the reply the objector will read." in response.content.decode()
    centre.post(detail, {"action": "handle", "objection": upheld.pk, "decision": "uphold", "reply": "经核查属实。"})
    centre.post(
        detail, {"action": "handle", "objection": dismissed.pk, "decision": "dismiss", "reply": "经核查，不属实。"}
    )

    field.a.refresh_from_db()
    field.b.refresh_from_db()
    assert field.a.state == State.OBJECTION_UPHELD
    assert field.b.state == State.PUBLICITY
    assert StateChange.objects.filter(
        application=field.a, to_state=State.OBJECTION_UPHELD, comment="经核查属实。"
    ).exists()
    page = public.get(reverse("notices:notice_detail", args=[notice.pk]))
    assert [e.item.object_id for e in page.context["entries"]] == [field.b.pk]
    assert [e.item.object_id for e in page.context["removed"]] == [field.a.pk]

    tracked = public.post(reverse("notices:objection_track"), {"code": dismissed.tracking_code})
    assert tracked.status_code == 200
    assert "经核查，不属实。" in tracked.content.decode() and "Dismissed" in tracked.content.decode()

    forged = public.post(reverse("notices:objection_track"), {"code": dismissed.tracking_code[:-2] + "xy"})
    assert forged.status_code == 200
    assert "No objection was found with this tracking code." in forged.content.decode()
    assert "经核查" not in forged.content.decode()


def test_objections_are_refused_after_the_window(people, field, client_for):
    with on(dt.date(2026, 9, 30)):
        notice = _publish(people, field, field.a)
    client = client_for(None)
    with on(dt.date(2026, 10, 12)):
        assert object_to(client, notice, field.a).get("Location") == RECEIVED  # the last day still counts
    with on(dt.date(2026, 10, 13)):
        response = object_to(client, notice, field.a, content="晚到的异议")
        assert response.status_code == 302
        page = client.get(response.url)
    assert "objections are no longer accepted" in page.content.decode()
    assert 'name="captcha_1"' not in page.content.decode()
    assert Objection.objects.count() == 1


def test_a_wrong_answer_to_the_picture_loses_nothing(people, field, client_for):
    notice = _publish(people, field, field.a)
    response = object_to(client_for(None), notice, field.a, captcha_1="zzzzz", content="考评员名单与实际不符")
    assert response.status_code == 400
    content = response.content.decode()
    assert "The letters do not match the picture. Type the letters of the new picture." in content
    assert "考评员名单与实际不符" in content and 'value="王建军"' in content and 'value="13977212345"' in content
    assert not Objection.objects.exists()


def test_the_picture_on_the_notice_is_answered_once_and_a_wrong_answer_saves_nothing(people, field, client_for):
    notice = _publish(people, field, field.a)
    client = client_for(None)
    client.cookies["django_language"] = "zh-hans"
    page = client.get(reverse("notices:notice_detail", args=[notice.pk])).content.decode()
    picture = re.search(r'<img src="(/captcha/[0-9a-f]{40}/)"', page).group(1)
    assert client.get(picture)["Content-Type"] == "image/png"
    wrong = object_to(client, notice, field.a, content="考评员名单与实际不符", **captcha_on(page, right=False))
    assert wrong.status_code == 400 and not Objection.objects.exists()
    refused = wrong.content.decode()
    assert re.search(r'id="captcha-error"[^>]*>输入的字母与图片不符。请输入新图片中的字母。<', refused)
    assert "考评员名单与实际不符" in refused and 'value="王建军"' in refused
    right = captcha_on(refused)  # the new picture of the refusal page
    assert object_to(client, notice, field.a, **right).get("Location") == RECEIVED
    assert Objection.objects.count() == 1
    assert object_to(client, notice, field.a, **right).status_code == 400  # the same answer again
    assert Objection.objects.count() == 1


def test_a_solved_picture_cannot_be_replayed(people, field, client_for):
    notice = _publish(people, field, field.a)
    client = client_for(None)
    solved = answered()
    assert object_to(client, notice, field.a, **solved).get("Location") == RECEIVED
    assert object_to(client, notice, field.a, **solved).status_code == 400
    assert Objection.objects.count() == 1


def test_floods_are_answered_with_429(people, field, client_for, monkeypatch):
    notice = _publish(people, field, field.a)
    client = client_for(None)
    # Ten seconds into a calendar hour, whatever the clock says: a slow run must not cross a window meanwhile.
    start = 3600 * 500_000 + 10.0
    monkeypatch.setattr(ratelimit, "_now", lambda: start)
    for _ in range(3):
        assert object_to(client, notice, field.a).get("Location") == RECEIVED
    response = object_to(client, notice, field.a)
    assert response.status_code == 429
    assert "Too many submissions" in response.content.decode()
    assert response["Retry-After"] == "60"
    # A minute later two more fit in the hour; the sixth does not.
    monkeypatch.setattr(ratelimit, "_now", lambda: start + 61)
    assert object_to(client, notice, field.a).get("Location") == RECEIVED
    assert object_to(client, notice, field.a).get("Location") == RECEIVED
    assert object_to(client, notice, field.a).status_code == 429
    assert Objection.objects.count() == 5


def test_an_html_file_named_pdf_is_refused(people, field, client_for):
    notice = _publish(people, field, field.a)
    disguised = SimpleUploadedFile(
        "证明.pdf", b"<html><script>alert(1)</script></html>", content_type="application/pdf"
    )
    response = object_to(client_for(None), notice, field.a, files=[disguised])
    assert response.status_code == 400
    assert "is not a PDF, JPEG or PNG file" in response.content.decode()
    assert not Objection.objects.exists()


def test_at_most_three_attachments(people, field):
    notice = _publish(people, field, field.a)
    with pytest.raises(ValidationError) as error:
        objection_raise(
            notice=notice,
            item=item_of(notice, field.a),
            name="王",
            contact="13977212345",
            content="异议",
            files=[sample_pdf(str(n)) for n in range(4)],
        )
    assert "files" in error.value.message_dict


# ---------------------------------------------------------------- closing the notice


def test_closing_moves_the_rest_on_and_waits_for_pending_objections(people, field):
    with on(dt.date(2026, 9, 30)):
        notice = _publish(people, field, field.a, field.b)
    with on(dt.date(2026, 10, 9)):
        upheld = objection_raise(
            notice=notice, item=item_of(notice, field.a), name="王", contact="13977212345", content="不实"
        )
        pending = objection_raise(
            notice=notice, item=item_of(notice, field.b), name="李", contact="13877112345", content="不实"
        )
        with pytest.raises(WorkflowError, match="runs until 2026-10-12"):
            notice_close(notice=notice, by=people.centre)
    objection_handle(objection=upheld, by=people.centre, upheld=True, reply="属实")
    with pytest.raises(WorkflowError, match="still wait"):
        notice_close(notice=notice, by=people.centre, today=dt.date(2026, 10, 13))
    assert notices_close_due(today=dt.date(2026, 10, 13)) == 0

    objection_handle(objection=pending, by=people.centre, upheld=False, reply="不属实")
    assert notices_close_due(today=dt.date(2026, 10, 13)) == 1
    notice.refresh_from_db()
    field.a.refresh_from_db()
    field.b.refresh_from_db()
    assert notice.status == Notice.Status.CLOSED
    assert (field.a.state, field.b.state) == (State.OBJECTION_UPHELD, State.PUBLICISED)
    closing = field.b.history.last()
    assert (closing.to_state, closing.actor) == (State.PUBLICISED, people.centre)


def test_the_centre_closes_the_notice_from_its_page(people, field, client_for):
    with on(dt.date(2026, 9, 30)):
        notice = _publish(people, field, field.a)
    client = client_for(people.centre)
    url = reverse("publicity:notice_detail", args=[notice.pk])
    with on(dt.date(2026, 10, 12)):
        client.post(url, {"action": "close"})
    notice.refresh_from_db()
    assert notice.status == Notice.Status.PUBLISHED
    with on(dt.date(2026, 10, 13)):
        assert client.post(url, {"action": "close"}).status_code == 302
    notice.refresh_from_db()
    field.a.refresh_from_db()
    assert notice.status == Notice.Status.CLOSED and field.a.state == State.PUBLICISED


def test_an_empty_objection_marks_every_missing_field_even_with_a_wrong_picture_answer(people, field, client_for):
    notice = _publish(people, field, field.a)
    response = client_for(None).post(
        reverse("notices:objection_create", args=[notice.pk]),
        {"item": "", "name": "", "contact": "", "content": "", "captcha_0": "x", "captcha_1": ""},
    )
    assert response.status_code == 400
    assert set(response.context["errors"]) == {"item", "name", "contact", "content", "captcha"}
    assert not Objection.objects.exists()


@pytest.mark.parametrize(
    ("contact", "accepted"),
    [
        ("1380000abcd", False),
        ("139", False),
        ("13877112345", True),
        ("0771-5832198", True),
        ("wang@example.cn", True),
        ("wang@", False),
    ],
)
def test_the_objectors_contact_must_be_a_phone_number_or_an_e_mail(people, field, client_for, contact, accepted):
    notice = _publish(people, field, field.a)
    response = object_to(client_for(None), notice, field.a, contact=contact)
    assert (response.get("Location") == RECEIVED) is accepted
    assert Objection.objects.filter(contact=contact).exists() is accepted
    if not accepted:
        assert "errors" in response.context and "contact" in response.context["errors"]
        assert response.context["posted"]["contact"] == contact  # what was typed is kept


def test_a_tracking_code_is_found_whatever_the_case_spacing_or_grouping(people, field, client_for):
    notice = _publish(people, field, field.a)
    objection = objection_raise(
        notice=notice, item=item_of(notice, field.a), name="王", contact="wang@example.cn", content="场地面积不足。"
    )
    public = client_for(None)
    code = objection.tracking_code
    for typed in (code.lower(), f" {objection.tracking_code_display} ", " ".join(code[i : i + 4] for i in (0, 4, 8))):
        tracked = public.post(reverse("notices:objection_track"), {"code": typed})
        assert tracked.context["objection"] == objection, typed
    wrong = code[:-1] + ("2" if code[-1] != "2" else "3")
    assert public.post(reverse("notices:objection_track"), {"code": wrong}).context["objection"] is None


def test_an_objector_who_gave_an_e_mail_receives_the_tracking_code(
    people, field, mailoutbox, django_capture_on_commit_callbacks
):
    notice = _publish(people, field, field.a)
    with django_capture_on_commit_callbacks(execute=True):
        objection = objection_raise(
            notice=notice, item=item_of(notice, field.a), name="王", contact="wang@example.cn", content="场地面积不足。"
        )
        objection_raise(notice=notice, item=item_of(notice, field.a), name="李", contact="13877112345", content="不实")
    sent = [m for m in mailoutbox if "wang@example.cn" in m.to]
    assert len(sent) == 1 and objection.tracking_code_display in sent[0].body
    assert not [m for m in mailoutbox if "13877112345" in " ".join(m.to)]


def test_reloading_the_objection_received_page_shows_the_code_again_and_raises_nothing_more(people, field, client_for):
    notice = _publish(people, field, field.a)
    public = client_for(None)
    posted = object_to(public, notice, field.a)
    code = Objection.objects.get().tracking_code_display
    for _reload in range(2):
        page = public.get(posted["Location"])
        assert page.status_code == 200 and code in page.content.decode()
        assert page["Cache-Control"] == "no-store"
    assert Objection.objects.count() == 1
    from django.test import Client

    stranger = Client().get(RECEIVED).content.decode()
    assert code not in stranger and "No objection to show" in stranger
