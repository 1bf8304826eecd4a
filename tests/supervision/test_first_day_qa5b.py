"""The last first-day tester's findings on the supervision side (issue qa5b items 2 to 6), as the user sees them.
Labels typed from the zh-hans catalogue; refused posts are checked for their effect (rows unchanged)."""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from supervision.models import Complaint, Plan, PoliceRegistration, RegistrationEvent, Sanction
from supervision.services import registration_resubmit, registration_return, registration_submit
from supervision.services.sanctions import PILOT_EXIT_CLAUSE
from supervision.views.plans import TABS
from tests.agencies.factories import OrganisationFactory
from tests.filings.factories import directory_entry
from tests.html_tables import body_rows
from tests.portal.factories import region
from tests.supervision.factories import LIUZHOU, NANNING, occupation

pytestmark = pytest.mark.django_db
FACTS = "考场监控未开启，经查属实。"
SANCTION_FORM = "supervision:sanction_new"


# ---------------------------------------------------------------- 2. the sanction form's dates and labels


def test_each_date_field_is_marked_with_the_measure_it_belongs_to(people, nanning_entry, client_for):
    page = client_for(people.city_nanning).get(reverse(SANCTION_FORM, args=[nanning_entry.pk])).content.decode()
    rectify = re.search(r'<div class="col-md-4" data-measure-field="rectification">(.*?)</div>\s*<div', page, re.S)
    until = re.search(r'<div class="col-md-4" data-measure-field="suspension">(.*?)</div>\s*<div', page, re.S)
    assert rectify and 'name="rectify_by"' in rectify.group(1) and "仅“责令整改”时填写。" in rectify.group(1)
    assert until and 'name="until"' in until.group(1) and "仅“暂停认定资格”时填写。" in until.group(1)
    assert "sanction-form.js" in page


@pytest.mark.parametrize(
    ("kind", "field", "message"),
    [
        ("warning", "until", "暂停截止日期仅适用于“暂停认定资格”；选择“警告”时请留空。"),
        ("warning", "rectify_by", "整改期限仅适用于“责令整改”；选择“警告”时请留空。"),
        ("rectification", "until", "暂停截止日期仅适用于“暂停认定资格”；选择“责令整改”时请留空。"),
        ("suspension", "rectify_by", "整改期限仅适用于“责令整改”；选择“暂停认定资格”时请留空。"),
    ],
)
def test_a_date_given_for_another_measure_is_refused_beside_its_field(
    people, nanning_entry, client_for, kind, field, message
):
    """Without script both dates show: one filled for the wrong measure is refused, not dropped unseen."""
    day = (timezone.localdate() + dt.timedelta(days=30)).isoformat()
    data = {"kind": kind, "facts": FACTS, "basis": PILOT_EXIT_CLAUSE, field: day}
    if kind == "rectification":
        data.setdefault("rectify_by", day)
    if kind == "suspension":
        data.setdefault("until", day)
    response = client_for(people.city_nanning).post(reverse(SANCTION_FORM, args=[nanning_entry.pk]), data)
    assert response.status_code == 400
    page = response.content.decode()
    assert re.search(rf'name="{field}"[^>]*is-invalid|is-invalid[^>]*name="{field}"', page), field
    assert message in page
    assert FACTS in page and f'value="{day}"' in page  # nothing typed is lost
    assert not Sanction.objects.exists()
    nanning_entry.refresh_from_db()
    assert nanning_entry.status == "active"


def test_a_removal_with_a_date_is_refused_before_its_confirmation(people, nanning_entry, client_for):
    day = (timezone.localdate() + dt.timedelta(days=30)).isoformat()
    data = {"kind": "removal", "facts": FACTS, "basis": PILOT_EXIT_CLAUSE, "until": day}
    response = client_for(people.centre).post(reverse(SANCTION_FORM, args=[nanning_entry.pk]), data)
    page = response.content.decode()
    assert response.status_code == 400 and "confirm-consequences" not in page
    assert "暂停截止日期仅适用于“暂停认定资格”；选择“移出目录”时请留空。" in page
    assert not Sanction.objects.exists()


@pytest.mark.parametrize(
    ("kind", "field"),
    [("warning", None), ("rectification", "rectify_by"), ("suspension", "until")],
)
def test_each_measure_with_its_own_date_alone_is_decided(people, nanning_entry, client_for, kind, field):
    data = {"kind": kind, "facts": FACTS, "basis": PILOT_EXIT_CLAUSE}
    if field:
        data[field] = (timezone.localdate() + dt.timedelta(days=30)).isoformat()
    if kind == "suspension":
        data["confirmed"] = "yes"  # a suspension takes the confirmation step first (issue qa6 item 2)
    response = client_for(people.city_nanning).post(reverse(SANCTION_FORM, args=[nanning_entry.pk]), data)
    assert response.status_code == 302
    assert Sanction.objects.get().kind == kind


def test_the_removal_confirmation_names_what_was_typed_with_the_forms_own_labels(people, nanning_entry, client_for):
    client = client_for(people.centre)
    url = reverse(SANCTION_FORM, args=[nanning_entry.pk])
    form = client.get(url).content.decode()
    labels = ["处理措施", "查明的事实", "处理依据（引用条款：文件、条目及原文）"]
    for name, label in zip(("kind", "facts", "basis"), labels, strict=True):
        assert re.search(rf'<label\s+for="id_{name}"[^>]*>\s*{re.escape(label)}', form), label
    page = client.post(url, {"kind": "removal", "facts": FACTS, "basis": PILOT_EXIT_CLAUSE}).content.decode()
    shown = re.findall(r'<dt class="col-sm-3">([^<]*)</dt><dd class="col-sm-9">([^<]*)</dd>', page)
    assert shown == [(labels[0], "移出目录"), (labels[1], FACTS), (labels[2], PILOT_EXIT_CLAUSE)]
    assert "违规事实" not in page  # the confirmation's own label before


# ---------------------------------------------------------------- 3. the complaints list


def _complaint(entry, content: str, *, days: int = 10, status: str = Complaint.Status.RECEIVED) -> Complaint:
    today = timezone.localdate()
    return Complaint.objects.create(
        entry=entry,
        happened_on=today - dt.timedelta(days=20),
        content=content,
        tracking_code=f"QA5B{Complaint.objects.count():08d}",
        deadline=today + dt.timedelta(days=days),
        status=status,
    )


@pytest.fixture
def complaints(people, nanning_entry):
    other = directory_entry(OrganisationFactory(name="南宁市邕城职业技能培训学校", region=region(NANNING)))
    return [
        _complaint(nanning_entry, "考场未核验考生身份证件，有人替考。" * 5),
        _complaint(nanning_entry, "收费高于公告标准。", status=Complaint.Status.REPLIED),
        _complaint(other, "考评员与考生是亲属，未回避。", days=-2),
    ]


def _list(client, query: str = "") -> str:
    response = client.get(reverse("supervision:complaints") + query)
    assert response.status_code == 200
    return response.content.decode()


def test_the_list_has_a_number_a_date_received_and_a_summary(people, client_for, complaints):
    page = _list(client_for(people.city_nanning))
    heads = re.findall(r'<th scope="col"[^>]*>([^<]*)</th>', page)
    assert heads == ["投诉编号", "收到日期", "被投诉机构及内容摘要", "承办部门", "状态", "答复期限"]
    assert "已收到" not in "".join(heads)
    rows = {row[0].text: row for row in body_rows(page)}
    first = rows[str(complaints[0].pk)]
    assert first[0].links == [reverse("supervision:complaint_detail", args=[complaints[0].pk])]
    summary = first[2].text
    assert summary.startswith("南宁市安盾职业技能培训学校") and "考场未核验考生身份证件" in summary
    assert (
        summary.endswith(("…", "...")) and len(summary) < len("南宁市安盾职业技能培训学校") + 70
    )  # 60 characters at most
    assert "收费高于公告标准。" in rows[str(complaints[1].pk)][2].text  # short: whole
    assert re.search(r'<td class="text-nowrap" data-label="答复期限">', page)  # each cell names its column on a phone


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("替考", [0]),  # words of the complaint
        ("邕城", [2]),  # words of the agency's name
        ("安盾", [0, 1]),
        ("NUMBER", [1]),  # the complaint's number
    ],
)
def test_the_search_finds_by_number_agency_or_words(people, client_for, complaints, query, expected):
    if query == "NUMBER":
        query = str(complaints[1].pk)
    page = _list(client_for(people.city_nanning), f"?q={query}")
    shown = [row[0].text for row in body_rows(page)]
    assert sorted(shown) == sorted(str(complaints[i].pk) for i in expected)
    assert f"共 {len(expected)} 条" in page and "清除筛选条件" in page


def test_a_filter_without_result_says_so_and_offers_to_clear_it(people, client_for, complaints):
    page = _list(client_for(people.city_nanning), "?q=不存在的内容&status=received")
    assert "没有符合筛选条件的投诉。" in page and "暂无投诉" not in page
    clear = re.search(r'<a class="btn btn-outline-secondary btn-sm" href="([^"]*)">清除筛选条件</a>', page)
    assert clear and clear.group(1) == reverse("supervision:complaints")


def test_an_empty_list_without_filter_says_there_is_none_yet(people, client_for):
    page = _list(client_for(people.city_nanning))
    assert "暂无投诉。" in page and "没有符合筛选条件" not in page and "清除筛选条件" not in page


def test_the_search_stays_inside_the_jurisdiction(people, client_for, complaints, liuzhou_entry):
    theirs = _complaint(liuzhou_entry, "考场未核验考生身份证件。")
    page = _list(client_for(people.city_nanning), f"?q={theirs.pk}")
    assert [row[0].text for row in body_rows(page)] == []
    page = _list(client_for(people.city_nanning), "?q=考场未核验")
    assert [row[0].text for row in body_rows(page)] == [str(complaints[0].pk)]


# ---------------------------------------------------------------- 4. a registration lists sites of its own city


def _register(entry, agency, city_code: str, sites: str):
    return registration_submit(
        entry=entry, city=region(city_code), by=agency, responsible="王五", phone="0772-5550000", sites=sites
    )


def test_a_registration_with_liuzhous_police_listing_a_nanning_site_is_refused(people, nanning_entry):
    with pytest.raises(ValidationError) as raised:
        _register(
            nanning_entry,
            people.agency_nanning,
            LIUZHOU,
            "南宁市安盾职业技能培训学校考核基地：南宁市青秀区民族大道136号",
        )
    (message,) = raised.value.message_dict["sites"]
    assert "南宁市" in message and "柳州市" in message
    assert not PoliceRegistration.objects.exists() and not RegistrationEvent.objects.exists()


@pytest.mark.parametrize(
    "sites",
    [
        "柳州市职工培训中心：柳州市城中区公园路12号",
        "柳州考点：城中区公园路12号（南宁路口）",  # names its own city: other names pass
        "城中区公园路12号",  # no city named: nothing to compare
    ],
)
def test_sites_in_the_registrations_city_or_without_a_city_pass(people, nanning_entry, sites):
    registration = _register(nanning_entry, people.agency_nanning, LIUZHOU, sites)
    assert registration.city.name == "柳州市" and registration.sites == sites


def test_a_returned_registration_cannot_be_answered_with_another_citys_sites(people, nanning_entry):
    registration = _register(nanning_entry, people.agency_nanning, LIUZHOU, "柳州市职工培训中心")
    registration_return(registration=registration, by=people.police_liuzhou, reasons="请补充考点地址。")
    with pytest.raises(ValidationError) as raised:
        registration_resubmit(
            registration=registration,
            by=people.agency_nanning,
            answer="已补充。",
            responsible="王五",
            phone="0772-5550000",
            sites="南宁市青秀区民族大道136号",
        )
    assert "sites" in raised.value.message_dict
    registration.refresh_from_db()
    assert registration.status == PoliceRegistration.Status.RETURNED and registration.sites == "柳州市职工培训中心"


# ---------------------------------------------------------------- 5. and 6. one count of the agencies, 共 N 条


def _stat(page: str) -> int:
    found = re.search(
        r"data-jurisdiction-agencies>(\d+)</a></div>\s*<div class=\"stat-label\">辖区评价机构</div>", page
    )
    assert found, "no count of the jurisdiction's agencies"
    return int(found.group(1))


def _total(page: str) -> int:
    found = re.search(r"<p [^>]*data-list-total>共 (\d+) 条</p>", page)
    assert found, "no 共 N 条"
    return int(found.group(1))


@pytest.mark.parametrize("name", ["police_nanning", "city_nanning"])
def test_the_home_page_counts_the_agencies_the_workspace_lists(people, client_for, nanning_entry, liuzhou_entry, name):
    """南宁 has one organisation registered and one filed agency of its own, one organisation never filed, and
    柳州's agency evaluating in 南宁: the workspace lists 2 agencies, and the home page says 2, not the 2
    organisations registered in the city."""
    OrganisationFactory(name="南宁市未备案培训学校", region=region(NANNING))
    first = timezone.localdate() + dt.timedelta(days=40)
    Plan.objects.create(
        entry=liuzhou_entry,
        city=region(NANNING),
        occupation=occupation(),
        level=3,
        first_day=first,
        last_day=first,
        venue="南宁考点",
        venue_address="南宁市青秀区民族大道1号",
        expected_candidates=30,
        examiners=["甲", "乙", "丙"],
        supervisor="丁",
        fee="300",
        status=Plan.Status.ANNOUNCED,
        created_by=people.agency_liuzhou,
    )
    client = client_for(getattr(people, name))
    home = client.get(reverse("home")).content.decode()
    workspace = client.get(reverse("supervision:workspace")).content.decode()
    assert _stat(home) == 2 == _total(workspace)
    assert len(body_rows(workspace)) == 2
    assert "辖区注册机构" in home  # the organisations' list says what it lists


def test_liuzhous_police_count_their_own(people, client_for, nanning_entry, liuzhou_entry):
    client = client_for(people.police_liuzhou)
    home = client.get(reverse("home")).content.decode()
    assert _stat(home) == 1 == _total(client.get(reverse("supervision:workspace")).content.decode())


@pytest.mark.parametrize("tab", TABS)
def test_every_workspace_tab_says_its_total_without_asking_again(people, client_for, nanning_entry, tab):
    """The total is the pager's own count: no query of the page is asked twice."""
    client = client_for(people.police_nanning)
    url = f"{reverse('supervision:workspace')}?tab={tab}"
    client.get(url)  # the session's first save
    with CaptureQueriesContext(connection) as captured:
        page = client.get(url).content.decode()
    expected = {"agencies": 1}.get(tab, 0)
    assert _total(page) == expected
    repeated = [sql for sql, n in Counter(q["sql"] for q in captured.captured_queries).items() if n > 1]
    assert repeated == []


@pytest.mark.parametrize("prefix", ["", "#"])
def test_the_search_finds_a_complaint_by_a_number_of_several_digits(people, client_for, nanning_entry, prefix):
    """Complaint numbers grow past 9 within days: 投诉 12 is found by typing 12 (or #12), as its page shows it
    (round 7's mutation run: only one-digit numbers were found)."""
    rows = [_complaint(nanning_entry, "考场未核验考生身份证件。") for _ in range(12)]
    wanted = rows[-1]
    assert wanted.pk >= 10
    page = _list(client_for(people.city_nanning), f"?q={prefix}{wanted.pk}".replace("#", "%23"))
    assert [row[0].text for row in body_rows(page)] == [str(wanted.pk)]


@pytest.mark.parametrize("status", ["suspended", "removed"])
def test_a_suspended_or_removed_agency_is_counted_where_the_workspace_lists_it(
    people, client_for, nanning_entry, status
):
    """An agency suspended or removed stays under the department's supervision (its sanctions, rectifications and
    credit record): the workspace lists it, and the home page's count says the same number (round 7's mutation
    run: a count of active agencies only went unnoticed)."""
    type(nanning_entry).objects.filter(pk=nanning_entry.pk).update(status=status)
    client = client_for(people.police_nanning)
    home = client.get(reverse("home")).content.decode()
    workspace = client.get(reverse("supervision:workspace")).content.decode()
    assert len(body_rows(workspace)) == 1
    assert _stat(home) == 1 == _total(workspace)
