"""What a first-day tester found on the second-half screens, as the user sees it (issue qa3)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from certificates.services import results_publicise
from supervision.models import Inspection
from supervision.services import complaint_submit
from tests.certificates.factories import ID_A, candidates, filed_entry, session_of
from tests.conftest import captcha_solved
from tests.supervision.factories import SECURITY_GUARD, SECURITY_MANAGER, filed_agency, today_is

pytestmark = pytest.mark.django_db

ZH = {"HTTP_ACCEPT_LANGUAGE": "zh-hans"}


@pytest.fixture
def nanning_entry(people):
    return filed_agency(
        people.org_nanning,
        people.agency_nanning,
        people.centre,
        occupations=((*SECURITY_MANAGER, (3, 2, 1)), (*SECURITY_GUARD, (5, 4, 3))),
    )


# ---------------------------------------------------------------- 2. the results notice's breadcrumb


def test_a_results_notices_breadcrumb_leads_to_the_notice_list(people, client_for):
    session = session_of(filed_entry(people.org_nanning, institution_code="S000045000001"), people.agency_nanning)
    candidates(session, [("张小三", ID_A)])
    with today_is(dt.date(2026, 11, 2)):
        notice = results_publicise(session=session, by=people.agency_nanning, window_days=5).notice
    html = client_for(people.centre).get(reverse("publicity:notice_detail", args=[notice.pk]), **ZH).content.decode()
    crumb = f'<a href="{reverse("filings:notice_list")}?kind=evaluation_results">公示管理</a>'
    assert crumb in html
    assert f'<a href="{reverse("certificates:session_list")}">公示管理</a>' not in html


# ---------------------------------------------------------------- 5. one term for the on-site supervision


def test_the_confirmation_speaks_of_on_site_supervision_and_names_the_complaint_once(people, nanning_entry, client_for):
    complaint = complaint_submit(
        entry=nanning_entry, happened_on=dt.date(2026, 9, 20), content="考场无视频监控。", anonymous=True
    )
    complaint.status = "accepted"
    complaint.save(update_fields=["status"])
    url = reverse("supervision:inspection_new", args=[nanning_entry.pk])
    response = client_for(people.city_nanning).post(url, {"plan": "", "complaint": complaint.pk}, **ZH)
    body = response.content.decode()
    assert response.status_code == 200
    assert f"确认对 {nanning_entry.organisation.name} 启动现场督导？" in body
    assert f"针对投诉{complaint.pk}" in body and "投诉 投诉" not in body
    assert "确认启动现场督导" in body
    assert "现场检查" not in body and "开启" not in body
    assert not Inspection.objects.exists()


# ---------------------------------------------------------------- 10. charsets and addresses without their slash


def test_the_apis_405_names_its_charset(client):
    response = client.put("/api/v1/directory/")
    assert response.status_code == 405
    assert response["Content-Type"] == "application/json; charset=utf-8"
    assert response["Allow"] == "GET, HEAD"


def test_an_html_405_names_its_charset(client, people):
    client.force_login(people.agency_nanning)
    response = client.get(reverse("logout"))
    assert response.status_code == 405 and response["Content-Type"] == "text/html; charset=utf-8"


def test_a_post_to_the_api_without_its_slash_is_told_the_address(client):
    response = client.post("/api/v1/certificates/verify", {"name": "陆海涛"}, **ZH)
    assert response.status_code == 404
    assert response["Content-Type"] == "application/json; charset=utf-8"
    assert response.json() == {"detail": "此地址末尾须带斜杠：请将请求发送到 /api/v1/certificates/verify/。"}


def test_a_form_posted_without_its_slash_gets_a_page_naming_the_address(client):
    from supervision.models import Complaint

    response = client.post("/complaints/new", {"content": "考场无视频监控。"}, **ZH)
    body = response.content.decode()
    assert response.status_code == 404
    assert response["Content-Type"] == "text/html; charset=utf-8"
    assert "此地址末尾须带斜杠" in body and "<code>/complaints/new/</code>" in body
    assert not Complaint.objects.exists()


@pytest.mark.parametrize("method", ["get", "head"])
def test_a_get_without_its_slash_is_still_redirected(client, method):
    response = getattr(client, method)("/complaints/new")
    assert response.status_code == 301 and response["Location"] == "/complaints/new/"


def test_an_unknown_address_posted_to_is_a_plain_404(client):
    response = client.post("/no-such-page", **ZH)
    assert response.status_code == 404 and "此地址末尾须带斜杠" not in response.content.decode()


# ---------------------------------------------------------------- 12. the complaint's receipt copies its code


def test_the_complaint_receipt_has_the_copy_button_of_the_objection_receipt(nanning_entry, client):
    from supervision.models import Complaint

    data = {
        "entry": nanning_entry.pk,
        "happened_on": "2026-09-20",
        "content": "考场无视频监控。",
        "name": "李明",
        "contact": "13877112345",
        **captcha_solved(),
    }
    with today_is(dt.date(2026, 9, 25)):
        response = client.post(reverse("complaints:new"), data, **ZH)
    page = client.get(response["Location"], **ZH).content.decode()
    code = Complaint.objects.get().tracking_code_display
    assert f'<code class="fs-3 text-body fw-bold user-select-all" id="tracking-code">{code}</code>' in page
    assert 'id="copy-code" hidden><i class="bi bi-clipboard" aria-hidden="true"></i> 复制</button>' in page
    assert '<script src="/static/js/copy-code.js">' in page


# ---------------------------------------------------------------- 13. the masking example uses the city's own prefix


@pytest.mark.parametrize(
    ("organisation", "agency", "prefix"),
    [("org_liuzhou", "agency_liuzhou", "4502"), ("org_nanning", "agency_nanning", "4501")],
)
def test_the_masking_example_uses_the_sessions_city_prefix(people, client_for, organisation, agency, prefix):
    session = session_of(filed_entry(getattr(people, organisation)), getattr(people, agency))
    candidates(session, [("张小三", ID_A)])
    page = client_for(getattr(people, agency)).get(reverse("certificates:session_detail", args=[session.pk]), **ZH)
    html = page.content.decode()
    assert f"姓名和身份证号脱敏公示（张*三，{prefix}**********1234）。" in html
    other = {"4501": "4502", "4502": "4501"}[prefix]
    assert f"{other}**********1234" not in html


# ---------------------------------------------------------------- 4. back from the removal's confirmation


REMOVAL_FACTS = "2026年10月12日现场督导发现该机构伪造考试记录，经约谈仍未整改。"


def test_back_from_the_removal_confirmation_returns_to_the_form_with_the_facts(people, nanning_entry, client_for):
    from agencies.models import DirectoryEntry
    from supervision.models import Sanction
    from supervision.services.sanctions import PILOT_EXIT_CLAUSE

    centre = client_for(people.centre)
    url = reverse("supervision:sanction_new", args=[nanning_entry.pk])
    typed = {"kind": "removal", "facts": REMOVAL_FACTS, "basis": PILOT_EXIT_CLAUSE}
    confirm = centre.post(url, typed, **ZH).content.decode()
    assert '<button class="btn btn-outline-secondary" type="submit" name="confirmed" value="back">' in confirm
    assert "返回修改（不做任何变更，保留已填写的内容）" in confirm
    assert (
        "放弃" not in confirm
        and 'href="' + reverse("supervision:agency_file", args=[nanning_entry.pk]) + '" class' not in confirm
    )

    back = centre.post(url, {**typed, "confirmed": "back"}, **ZH)
    form = back.content.decode()
    assert back.status_code == 200
    assert back.templates[0].name == "supervision/sanction_form.html"
    assert REMOVAL_FACTS in form and '<option value="removal" selected>' in form
    assert "is-invalid" not in form
    assert not Sanction.objects.exists()
    nanning_entry.refresh_from_db()
    assert nanning_entry.status == DirectoryEntry.Status.ACTIVE
