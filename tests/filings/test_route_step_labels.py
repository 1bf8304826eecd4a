"""The steps of the way to the filing are named as the application's province route names them (first-day tester,
demo12: Shaanxi's agencies read Guangxi's wording — the city bureau's “审核推荐”, the “省鉴定中心”).

Written from the documents:
- Guangxi (桂人社函, 附件 of the security-manager call): the agency submits to its city HR bureau, which reviews and
  recommends (审核推荐) to the autonomous region's skill-appraisal centre (自治区职业技能鉴定中心), which accepts and
  organises the experts' technical assessment.
- Shaanxi (陕公通字〔2023〕64号 三（一）): the agency applies to the local public-security organ, which assesses it and
  gives its filing opinion (提出备案意见) to the same-level HR department; that department re-checks the materials
  (复核备案材料); the provincial HR department (陕西省人力资源和社会保障厅) files — Shaanxi has no separate appraisal
  centre.
"""

from __future__ import annotations

import html
import re

import pytest
from django.urls import reverse

from agencies.models import Workflow
from filings.examples import sample_application_data, sample_pdf
from filings.services import (
    application_create,
    application_save_draft,
    application_submit,
    application_transition,
    attachment_add,
)
from portal.models import Department, Role
from tests.agencies.factories import OrganisationFactory
from tests.filings.factories import GX_MATERIALS, make_call, nanning_submission
from tests.filings.test_filing_progress_home import _panel
from tests.portal.factories import DepartmentFactory, UserFactory, region

GUANGXI_STEPS = ["填写备案申请", "市人社局审核推荐", "省鉴定中心受理与专家评估", "公示", "备案回执", "进入目录"]
SHAANXI_STEPS = [
    "填写备案申请",
    "公安机关评估并提出备案意见",
    "同级人社部门复核备案材料",
    "省人社厅受理与专家评估",
    "公示",
    "备案回执",
    "进入目录",
]


@pytest.fixture(autouse=True)
def _chinese(settings):
    settings.LANGUAGE_CODE = "zh-hans"


@pytest.fixture
def xian(db):
    """A 西安 agency and Shaanxi's officials: 西安's police and HR bureau, the provincial HR department."""
    organisation = OrganisationFactory(name="西安市秦盾职业技能培训学校", region=region("610100"))

    def official(username, role, name, kind, code):
        department = DepartmentFactory(name=name, kind=kind, region=region(code))
        return UserFactory(username=username, role=role, department=department)

    return {
        "organisation": organisation,
        "agency": UserFactory(username="agency_xian", role=Role.AGENCY, organisation=organisation),
        "police": official("police_xian", Role.POLICE, "西安市公安局", Department.Kind.PUBLIC_SECURITY, "610100"),
        "city": official("city_xian", Role.CITY_HR, "西安市人力资源和社会保障局", Department.Kind.HR_BUREAU, "610100"),
        "centre": official(
            "sx_centre", Role.CENTRE, "陕西省人力资源和社会保障厅", Department.Kind.APPRAISAL_CENTRE, "610000"
        ),
    }


def _shaanxi_submission(xian):
    call = make_call("sx-test", province="610000", workflow=Workflow.POLICE_FIRST, scopes=("city",))
    agency = xian["agency"]
    application = application_create(organisation=xian["organisation"], call=call, by=agency)
    data = sample_application_data(xian["organisation"], occupations=[("3-02-02-00", "保卫管理员", 3)], scope="city")
    application_save_draft(application=application, data=data, by=agency)
    for material in GX_MATERIALS:
        attachment_add(application=application, material=material["code"], uploaded=sample_pdf("scan"), by=agency)
    legal = data["basic"]["legal_representative"]
    application_submit(application=application, by=agency, commitment_name=legal, consent=True)
    application.refresh_from_db()
    return application


def test_a_shaanxi_agency_reads_the_police_first_route_in_shaanxis_words(xian, client_for):
    _shaanxi_submission(xian)
    panel = _panel(client_for, xian["agency"])
    assert panel["steps"] == SHAANXI_STEPS
    assert panel["status"]["填写备案申请"] == "done"
    assert panel["status"]["公安机关评估并提出备案意见"] == "current"
    for guangxi_only in ("市人社局审核推荐", "省鉴定中心受理与专家评估"):
        assert guangxi_only not in panel["page"]


def test_a_shaanxi_application_returned_by_the_police_is_marked_at_the_police_step(xian, client_for):
    application = _shaanxi_submission(xian)
    application_transition(
        application=application, by=xian["police"], name="request_correction", sections={"site": "请补充租赁合同。"}
    )
    panel = _panel(client_for, xian["agency"])
    assert panel["steps"] == SHAANXI_STEPS
    assert panel["status"]["公安机关评估并提出备案意见"] == "returned"
    assert panel["status"]["同级人社部门复核备案材料"] == "todo"


def test_a_shaanxi_agency_with_nothing_started_reads_shaanxis_route(xian, client_for):
    make_call("sx-open", province="610000", workflow=Workflow.POLICE_FIRST, scopes=("city",))
    panel = _panel(client_for, xian["agency"])
    assert panel["steps"] == SHAANXI_STEPS
    assert panel["status"]["填写备案申请"] == "current"


def test_a_guangxi_agency_keeps_guangxis_words(people, client_for):
    nanning_submission(people)
    panel = _panel(client_for, people.agency_nanning)
    assert panel["steps"] == GUANGXI_STEPS
    assert panel["status"]["市人社局审核推荐"] == "current"


def _opinions_and_history(page: str) -> tuple[str, str]:
    def text(fragment: str) -> str:
        return re.sub(r"\s+", " ", html.unescape(re.sub(r"<[^>]+>", " ", fragment))).strip()

    opinions = page[page.index(">意见<") : page.index("</dl>", page.index(">意见<"))]
    history = page[page.index(">办理记录<") :]
    return text(opinions), text(history)


def test_the_shaanxi_application_page_names_the_provincial_hr_department(xian, client_for):
    application = _shaanxi_submission(xian)
    application_transition(application=application, by=xian["police"], name="give_opinion", text="同意备案。")
    application_transition(application=application, by=xian["city"], name="recommend", text="复核无误。")
    application_transition(application=application, by=xian["centre"], name="accept", text="予以受理。")
    page = client_for(xian["agency"]).get(reverse("filings:application_detail", args=[application.pk]))
    opinions, history = _opinions_and_history(page.content.decode())
    assert "公安机关 同意备案。" in opinions
    assert "省人社厅 予以受理。" in opinions
    assert "鉴定中心" not in opinions
    assert "省人社厅 · 陕西省人力资源和社会保障厅" in history
    assert "鉴定中心" not in history


def test_the_guangxi_application_page_names_the_appraisal_centre(people, client_for):
    application = nanning_submission(people)
    application_transition(application=application, by=people.city_nanning, name="recommend", text="同意推荐。")
    application_transition(application=application, by=people.centre, name="accept", text="予以受理。")
    page = client_for(people.agency_nanning).get(reverse("filings:application_detail", args=[application.pk]))
    opinions, history = _opinions_and_history(page.content.decode())
    assert "省级职业技能鉴定中心 予以受理。" in opinions
    assert "省级职业技能鉴定中心 · 广西壮族自治区职业技能鉴定中心" in history
