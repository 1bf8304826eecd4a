"""A new agency's home shows the way to the filing (“如何办理备案”) until it is filed: the steps in order, where its
application stands, and one button for what to do next; no tables of zeros. A filed agency's home is as before
(issue home11)."""

from __future__ import annotations

import html
import re

import pytest
from django.urls import reverse

from agencies.models import Scope, Workflow
from filings import workflow
from filings.models import Application, State
from filings.services import application_create, application_transition, application_withdraw
from tests.filings.factories import directory_entry, make_call, nanning_submission

GX_STEPS = ["填写备案申请", "市人社局审核推荐", "省鉴定中心受理与专家评估", "公示", "备案回执", "进入目录"]


def _text(fragment: str) -> str:
    return re.sub(r"\s+", " ", html.unescape(re.sub(r"<[^>]+>", " ", fragment))).strip()


def _panel(client_for, user) -> dict | None:
    """What the agency reads in the panel: the steps (label, status), the current one, where it stands and the
    button (its text, and where it leads or the call it starts)."""
    page = client_for(user).get(reverse("home")).content.decode()
    if 'id="filing-progress"' not in page:
        return None
    start = page.index('id="filing-progress"')
    section = page[start : page.index("</section>", start)]
    steps = [
        (_text(re.search(r'class="filing-step-label">(.*?)</span>', body, re.S).group(1)), status)
        for status, body in re.findall(
            r'<li class="filing-step[^"]*"[^>]*data-status="(\w+)"[^>]*>(.*?)</li>', section, re.S
        )
    ]
    current = re.findall(r'<li [^>]*aria-current="step"[^>]*>(.*?)</li>', section, re.S)
    button = re.search(r"<(a|button)\b([^>]*)data-next-action[^>]*>(.*?)</\1>", section, re.S)
    href = re.search(r'href="([^"]+)"', button.group(2))
    call = re.search(r'name="call" value="(\d+)"', section)
    return {
        "steps": [label for label, _status in steps],
        "status": dict(steps),
        "current": _text(current[0]) if current else "",
        "standing": _text(re.search(r"data-standing-label>(.*?)</div>", section, re.S).group(1)),
        "button": _text(button.group(3)),
        "href": href.group(1) if href else "",
        "starts_call": int(call.group(1)) if call else None,
        "page": page,
    }


def test_an_agency_with_nothing_started_is_told_to_start_its_application(people, client_for):
    call = make_call("gx-open")
    panel = _panel(client_for, people.agency_nanning)
    assert panel is not None
    assert panel["steps"] == GX_STEPS
    assert panel["status"]["填写备案申请"] == "current"
    assert all(panel["status"][label] == "todo" for label in GX_STEPS[1:])
    assert panel["standing"] == "尚未开始"
    assert panel["button"] == "开始填写备案申请"
    assert panel["starts_call"] == call.pk
    assert "正在征集：保卫管理员职业技能等级认定评价机构征集" in panel["page"]
    # No tables of zeros before the filing: neither the report's dashboard nor an empty list of applications.
    assert "report-dashboard" not in panel["page"]
    assert "您还没有备案申请" not in panel["page"]
    # The button does what it says: a draft of that call, opened in the form.
    response = client_for(people.agency_nanning).post(reverse("filings:application_start"), {"call": call.pk})
    draft = Application.objects.get(organisation=people.org_nanning, call=call, state=State.DRAFT)
    assert response.url == reverse("filings:application_edit", args=[draft.pk])


def test_with_no_call_open_the_button_leads_to_the_calls(people, client_for):
    make_call("gx-closed", open_=False)
    panel = _panel(client_for, people.agency_nanning)
    assert panel["standing"] == "尚未开始"
    assert panel["button"] == "查看征集公告"
    assert panel["href"] == reverse("public_calls:list")  # the calls, not the agency's empty list of applications
    assert "目前没有面向贵机构开放的征集公告" in panel["page"]


def test_a_saved_draft_is_continued_from_the_home_page(people, client_for):
    draft = application_create(organisation=people.org_nanning, call=make_call("gx-draft"), by=people.agency_nanning)
    panel = _panel(client_for, people.agency_nanning)
    assert panel["current"].startswith("1 填写备案申请")
    assert panel["standing"] == "草稿已保存，尚未提交"
    assert panel["button"] == "继续填写草稿"
    assert "最后保存于" in panel["page"]
    assert panel["href"] == reverse("filings:application_edit", args=[draft.pk])


def test_a_submitted_application_waits_at_the_city_and_asks_nothing(people, client_for):
    application = nanning_submission(people)
    panel = _panel(client_for, people.agency_nanning)
    assert panel["status"]["填写备案申请"] == "done"
    assert panel["status"]["市人社局审核推荐"] == "current"
    assert panel["status"]["省鉴定中心受理与专家评估"] == "todo"
    assert panel["standing"] == "已提交，等待审核：市级审核中"
    assert panel["button"] == "查看申请"
    assert panel["href"] == reverse("filings:application_detail", args=[application.pk])
    # Recommended and accepted: the centre's step.
    application_transition(application=application, by=people.city_nanning, name="recommend", text="同意推荐。")
    application_transition(application=application, by=people.centre, name="accept")
    panel = _panel(client_for, people.agency_nanning)
    assert panel["status"]["市人社局审核推荐"] == "done"
    assert panel["status"]["省鉴定中心受理与专家评估"] == "current"
    assert panel["status"]["公示"] == "todo"


def test_a_returned_application_shows_who_returned_it_and_leads_to_the_reasons(people, client_for):
    application = nanning_submission(people)
    application_transition(
        application=application, by=people.city_nanning, name="request_correction", sections={"site": "补充租赁合同。"}
    )
    panel = _panel(client_for, people.agency_nanning)
    assert panel["status"]["市人社局审核推荐"] == "returned"
    assert "已退回，待补正" in panel["current"]  # the words of the application list's 待补正 badge
    assert panel["standing"] == "已退回，待补正"
    assert panel["button"] == "查看退回原因并修改"
    assert f"{application.reference} · 退回于" in panel["page"]
    assert panel["href"] == reverse("filings:application_edit", args=[application.pk])
    # The form it leads to lists the reasons.
    form = client_for(people.agency_nanning).get(panel["href"]).content.decode()
    assert "补充租赁合同。" in form


def test_an_application_returned_by_the_centre_is_returned_at_the_centres_step(people, client_for):
    application = nanning_submission(people)
    application_transition(application=application, by=people.city_nanning, name="recommend", text="同意推荐。")
    application_transition(
        application=application, by=people.centre, name="request_correction", sections={"site": "请补充场地照片。"}
    )
    panel = _panel(client_for, people.agency_nanning)
    assert panel["status"]["市人社局审核推荐"] == "done"
    assert panel["status"]["省鉴定中心受理与专家评估"] == "returned"


def test_an_ended_application_says_where_it_stopped(people, client_for):
    application = nanning_submission(people)
    application_transition(application=application, by=people.city_nanning, name="not_recommend", text="人员不足。")
    panel = _panel(client_for, people.agency_nanning)
    assert panel["status"]["市人社局审核推荐"] == "ended"
    assert panel["standing"] == "已终止：不予推荐"
    assert panel["button"] == "查看原因"
    assert panel["href"] == reverse("filings:application_detail", args=[application.pk])


def test_a_withdrawn_application_stopped_at_the_step_it_was_withdrawn_from(people, client_for):
    application = nanning_submission(people)
    application_withdraw(application=application, by=people.agency_nanning)
    panel = _panel(client_for, people.agency_nanning)
    assert panel["status"]["填写备案申请"] == "done"
    assert panel["status"]["市人社局审核推荐"] == "ended"


def test_a_police_first_province_shows_the_police_step(people, client_for):
    application_create(
        organisation=people.org_nanning,
        call=make_call("police-first", workflow=Workflow.POLICE_FIRST),
        by=people.agency_nanning,
    )
    panel = _panel(client_for, people.agency_nanning)
    # In the police-first route's own words (陕公通字〔2023〕64号 三（一）): the police's filing opinion, the same-level
    # HR department's re-check, the provincial HR department (tests/filings/test_route_step_labels.py).
    assert panel["steps"] == [
        GX_STEPS[0],
        "公安机关评估并提出备案意见",
        "同级人社部门复核备案材料",
        "省人社厅受理与专家评估",
        *GX_STEPS[3:],
    ]


def test_a_filed_agency_keeps_its_usual_home(people, client_for):
    directory_entry(people.org_nanning)
    assert _panel(client_for, people.agency_nanning) is None
    page = client_for(people.agency_nanning).get(reverse("home")).content.decode()
    assert "report-dashboard" in page
    assert "我的备案申请" in page


@pytest.mark.parametrize(
    ("variant", "scope", "states"),
    [
        (
            Workflow.CITY_FIRST,
            Scope.CITY,
            [
                "draft",
                "city_review",
                "acceptance",
                "assessment",
                "assessed",
                "selected",
                "publicity",
                "publicised",
                "ministry_review",
                "filed",
            ],
        ),
        (
            Workflow.POLICE_FIRST,
            Scope.CITY,
            [
                "draft",
                "police_review",
                "city_review",
                "acceptance",
                "assessment",
                "assessed",
                "selected",
                "publicity",
                "publicised",
                "ministry_review",
                "filed",
            ],
        ),
        (
            Workflow.BY_SCOPE,
            Scope.REGION,
            [
                "draft",
                "acceptance",
                "assessment",
                "assessed",
                "selected",
                "publicity",
                "publicised",
                "ministry_review",
                "filed",
            ],
        ),
    ],
)
def test_the_way_to_the_filing_is_the_workflows_own(variant, scope, states):
    assert workflow.path_to_filing(variant, scope) == states
