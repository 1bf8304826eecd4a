"""The filled application form (附件2) as a PDF: text read back with poppler, fonts, draft marks, queries."""

from __future__ import annotations

import datetime as dt
import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from agencies.models import Call, CallVersion, Organisation, Workflow
from filings import pdf as application_pdfs
from filings.examples import sample_application_data
from filings.models import Application, ApplicationVersion, State
from tests.portal.factories import region

ORGANISATION = "南宁市安盾职业技能培训学校"
USCC = "52450100MJA7K3Q8X0"
LEGAL_REPRESENTATIVE = "李䶮"  # U+4DAE, CJK Ext A
MANAGER = "陈𡃁"  # U+210C1, CJK Ext B
COMMITMENT = "按照“谁评价、谁负责、谁发证”原则承担主体责任"
CITY_OPINION = "经审核，该单位材料真实、场地设备符合要求，同意推荐。"

LEVELS = {"3-02-02-00": [3, 2, 1], "4-07-05-01": [5, 4, 3, 2, 1], "4-07-05-04": [5, 4, 3]}
NAMES = {"3-02-02-00": "保卫管理员", "4-07-05-01": "保安员", "4-07-05-04": "消防设施操作员"}
SURNAMES = "黄韦李陈覃莫蒙梁刘潘"
GIVEN = ["建华", "丽萍", "志强", "海燕", "晓东", "文杰", "秀兰", "国庆", "明辉", "春梅"]


def _person(i: int, **extra) -> dict:
    return {
        "name": SURNAMES[i % 10] + GIVEN[(i * 3) % 10],
        "gender": "男" if i % 2 else "女",
        "education": ["大学本科", "大学专科", "硕士研究生"][i % 3],
        "title": ["一级/高级技师", "二级/技师", "高级讲师"][i % 3],
        **extra,
    }


def form_data(
    *, occupations: list[tuple[str, int]], people: int = 3, examiners: int = 8, testing_equipment: int = 0
) -> dict:
    """Raw form data as a draft stores it, realistically filled; ``occupations`` are (code, level) pairs."""
    names = list(dict.fromkeys(NAMES[code] for code, _level in occupations))
    managers = [
        _person(i, responsibility=["认定工作负责人", "考务管理", "质量管理"][i % 3], employment="full_time")
        for i in range(people)
    ]
    managers[0]["name"] = MANAGER
    base = sample_application_data(
        Organisation(name=ORGANISATION, uscc=USCC), occupations=[(c, NAMES[c], lv) for c, lv in occupations]
    )
    base["systems"].update({"other_established": "no", "other_attachment": ""})
    return {
        "basic": {
            "name": ORGANISATION,
            "address": "南宁市青秀区民族大道136号华润大厦B座12层",
            "office_ownership": "leased",
            "registration_authority": "南宁市民政局",
            "uscc": USCC,
            "scope": "region",
            "supervising_department": "南宁市人力资源和社会保障局",
            "nature": "private_non_enterprise",
            "legal_representative": LEGAL_REPRESENTATIVE,
            "legal_phone": "13807711234",
            "contact_name": "黄晓梅",
            "contact_title": "办公室主任",
            "contact_phone": "0771-5561234",
            "email": "andun-training-office@example.cn",
        },
        "occupations": [
            {
                "occupation": code,
                "work_type": "",
                "level": str(level),
                "basis": f"{NAMES[code]}国家职业技能标准（2020年版）",
                "person_times": str(2600 - 300 * (i % 5)),
                "start_date": f"{2016 + i % 4}-03-01",
                "theory_items": "1200",
                "skill_items": "45",
            }
            for i, (code, level) in enumerate(occupations)
        ],
        "advantages": {
            "text": "本机构自2016年起承担保卫管理员、保安员培训任务，累计培训评价6000余人次。\n"
            "参与自治区保安员培训教材编写和题库开发，拥有标准化考场和智能化考场各一个；"
            "与广西警察学院合作开展企业新型学徒制培训，学员遍及全区14个设区市。"
        },
        "managers": managers,
        "examiners": [
            _person(
                i + 3,
                employer=ORGANISATION if i % 2 == 0 else "广西警察学院",
                occupation=names[i % len(names)],
                examiner_number=f"4501{2019 + i % 5}{i:04d}",
            )
            for i in range(examiners)
        ],
        "experts": [_person(i + 5, employer="广西警察学院", specialty="治安保卫管理") for i in range(people)],
        "supervisors": [_person(i + 7, employer=ORGANISATION, duty="内部质量督导") for i in range(people)],
        # Sites, stations, equipment and systems as the demo fills them, with optional testing equipment.
        **{key: base[key] for key in ("site", "stations", "equipment", "systems")},
        "testing_equipment": [
            {"name": "数字测距仪", "model": "DL-100", "quantity": "2", "occupation": names[0]}
            for _ in range(testing_equipment)
        ],
    }


def make_application(
    people, *, data: dict, offerings=None, code: str = "gx-pdf", number: int = 1
) -> tuple[Application, ApplicationVersion]:
    """An application to a Guangxi call, with one submitted version holding ``data`` (as does the draft)."""
    today = timezone.localdate()
    call = Call.objects.create(code=code, province=region("450000"))
    call_version = CallVersion.objects.create(
        call=call,
        number=1,
        title="保卫管理员职业技能等级认定评价机构征集",
        issuer="广西壮族自治区人力资源和社会保障厅 广西壮族自治区公安厅",
        workflow=Workflow.CITY_FIRST,
        opens_on=today - dt.timedelta(days=10),
        closes_on=today + dt.timedelta(days=30),
        scopes=["region", "city"],
        offerings=offerings or [{"occupation": "3-02-02-00", "levels": [3, 2, 1]}],
        materials=[],
        rules=[],
        published_at=timezone.now(),
    )
    application = Application.objects.create(
        organisation=people.org_nanning,
        region=region("450100"),
        call=call,
        call_version=call_version,
        reference=f"BA452026{number:06d}",
        state=State.CITY_REVIEW,
        scope="region",
        data=data,
        created_by=people.agency_nanning,
    )
    signed = timezone.make_aware(dt.datetime(2026, 6, 18, 9, 30))
    version = ApplicationVersion.objects.create(
        application=application,
        number=1,
        call_version=call_version,
        data=data,
        commitment_name=LEGAL_REPRESENTATIVE,
        commitment_at=signed,
        submitted_by=people.agency_nanning,
        submitted_at=signed,
    )
    return application, version


def _poppler(command: str) -> str:
    if shutil.which(command) is None:
        message = f"{command} (Debian's poppler-utils) is needed to read the PDF back"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    return command


def _text(path: Path, *pages: int) -> str:
    args = [_poppler("pdftotext")]
    if pages:
        args += ["-f", str(pages[0]), "-l", str(pages[-1])]
    return subprocess.run([*args, str(path), "-"], capture_output=True, check=True).stdout.decode()


def _flat(text: str) -> str:
    """pdftotext breaks lines where table cells wrap: compare without whitespace."""
    return re.sub(r"\s+", "", text)


@pytest.fixture
def application(people):
    data = form_data(occupations=[("3-02-02-00", level) for level in (3, 2, 1)])
    return make_application(people, data=data)


@pytest.fixture
def version_pdf(application, tmp_path) -> Path:
    app, version = application
    path = tmp_path / "version.pdf"
    path.write_bytes(application_pdfs.application_pdf(app, version=version))
    return path


@pytest.fixture
def draft_pdf(application, tmp_path) -> Path:
    app, _version = application
    path = tmp_path / "draft.pdf"
    path.write_bytes(application_pdfs.application_pdf(app, version=None))
    return path


def test_version_pdf_holds_the_filled_form(version_pdf):
    assert version_pdf.read_bytes().startswith(b"%PDF-")
    text = _flat(_text(version_pdf))
    for expected in [
        ORGANISATION,
        USCC,
        "保卫管理员",
        "3-02-02-00",
        "三级/高级工",
        "二级/技师",
        "一级/高级技师",
        "市人力资源社会保障部门意见",
        "自治区人力资源社会保障部门意见",
        "(盖章)",
        COMMITMENT,
        "广西壮族自治区人力资源和社会保障厅制",
        "备注：考评的职业涉及到结果检测精度的需写检测设备",
        "2026年6月18日",  # 填报日期 and the commitment's date
    ]:
        assert expected in text, expected


def test_rare_characters_in_names_come_back_as_text(version_pdf):
    text = _text(version_pdf)
    assert LEGAL_REPRESENTATIVE in text
    assert MANAGER in text
    assert "𡃁" in text and "䶮" in text


def test_choices_are_printed_as_checkboxes(version_pdf):
    text = _flat(_text(version_pdf))
    assert "☑租赁" in text and "☐自有" in text  # 办公场地权属
    assert "☑全区" in text and "☐全市" in text  # 评价范围
    assert "☑民办非企业单位" in text and "☐企业" in text  # 单位性质
    assert "☑专职" not in text  # employment is a column, not a checkbox
    assert "专职" in text


def test_cover_and_commitment_come_first(version_pdf):
    cover = _flat(_text(version_pdf, 1))
    assert cover.startswith("广西壮族自治区职业技能等级认定机构备案申请表")
    assert f"备案机构：{ORGANISATION}" in cover
    assert "填报日期：2026年6月18日" in cover
    commitment = _flat(_text(version_pdf, 2))
    assert f"我{ORGANISATION}（单位）郑重承诺" in commitment
    assert f"法定代表（签字）：{LEGAL_REPRESENTATIVE}" in commitment


def test_footer_names_the_application_and_its_version(version_pdf):
    text = _text(version_pdf, 3)
    assert "备案申请编号 BA452026000001 第1版" in text


def test_an_embedded_cjk_font_draws_the_text(version_pdf):
    listing = subprocess.run([_poppler("pdffonts"), str(version_pdf)], capture_output=True, check=True)
    fonts = listing.stdout.decode().splitlines()[2:]
    embedded_cjk = [line for line in fonts if ("CJK" in line or "Noto" in line) and " yes " in line]
    assert embedded_cjk, listing.stdout.decode()


def test_a_submitted_version_carries_no_draft_mark(version_pdf):
    assert "草稿" not in _text(version_pdf)


def test_draft_is_watermarked_and_undated(draft_pdf):
    text = _text(draft_pdf)
    assert "草稿" in text
    assert "仅供核对" in text
    flat = _flat(text)
    assert "填报日期：草稿" in flat
    assert "草稿（未提交）" in flat
    assert ORGANISATION in flat and MANAGER in text
    # Every page says it is a draft.
    pages = text.split("\f")[:-1]
    assert pages and all("草稿" in page for page in pages)


def test_opinion_boxes_are_empty_unless_the_city_opinion_is_given(application, tmp_path):
    app, version = application
    without = application_pdfs.build_document(app, version=version)
    assert without.city_opinion == ""
    path = tmp_path / "opinion.pdf"
    path.write_bytes(application_pdfs.application_pdf(app, version=version, city_opinion=CITY_OPINION))
    assert CITY_OPINION in _flat(_text(path))
    # Read top to bottom: the opinion sits in the city box, above the provincial one.
    layout = subprocess.run(
        [_poppler("pdftotext"), "-layout", str(path), "-"], capture_output=True, check=True
    ).stdout.decode()
    last_page = _flat(layout.split("\f")[-2])
    assert last_page.index(CITY_OPINION[:5]) < last_page.index("自治区人力")


def test_display_rows_are_built_from_the_raw_strings(application):
    app, version = application
    doc = application_pdfs.build_document(app, version=version)
    assert doc.occupations[0] == [
        "保卫管理员",
        "3-02-02-00",
        "—",
        "三级/高级工",
        "保卫管理员国家职业技能标准（2020年版）",
        "2600",
        "2016年3月1日",
    ]
    managers = doc.personnel[0]
    assert managers.rows[0][0] == MANAGER and managers.rows[0][-1] == "专职"
    assert [c.label for c in doc.basic["scope_choices"]] == ["全区", "全市"]
    assert doc.systems[0]["label"] == "考务管理办法"
    assert [c.checked for c in doc.systems[-1]["established"]] == [False, True]  # 其他: 否
    assert doc.tables[-1].key == "testing_equipment" and doc.tables[-1].rows == []


def test_unknown_and_malformed_values_are_printed_as_typed(people):
    data = form_data(occupations=[("3-02-02-00", 3)])
    data["occupations"].append({"occupation": "9-99-99-99", "level": "七", "start_date": "2019年春"})
    app, version = make_application(people, data=data, code="gx-pdf-odd")
    rows = application_pdfs.build_document(app, version=version).occupations
    assert rows[1][:2] == ["9-99-99-99", ""]
    assert rows[1][3] == "七" and rows[1][6] == "2019年春"


def test_occupation_no_longer_offered_is_looked_up_in_the_catalogue(people):
    data = form_data(occupations=[("3-02-02-00", 3), ("4-07-05-01", 4)])
    app, version = make_application(people, data=data, code="gx-pdf-cat")
    rows = application_pdfs.build_document(app, version=version).occupations
    assert rows[1][:2] == ["保安员", "4-07-05-01"]
    assert rows[1][3] == "四级/中级工"


def test_queries_do_not_grow_with_the_rows(people):
    def count(rows: int, code: str) -> int:
        data = form_data(occupations=[("3-02-02-00", 3)] * rows, people=rows, examiners=rows)
        app, version = make_application(people, data=data, code=code, number=rows)
        app = Application.objects.get(pk=app.pk)
        version = ApplicationVersion.objects.get(pk=version.pk)
        with CaptureQueriesContext(connection) as queries:
            application_pdfs.build_document(app, version=version)
        return len(queries)

    assert count(1, "gx-pdf-q1") == count(30, "gx-pdf-q30")


CENTRE_OPINION = "经审核，该单位符合征集条件，同意受理并组织技术评估。"


def _version_pdf_text(client, application, tmp_path) -> str:
    from django.urls import reverse

    response = client.get(reverse("filings:version_pdf", args=[application.pk, 1]))
    assert response.status_code == 200
    path = tmp_path / "from-the-view.pdf"
    path.write_bytes(response.getvalue())
    layout = subprocess.run(
        [_poppler("pdftotext"), "-layout", str(path), "-"], capture_output=True, check=True
    ).stdout.decode()
    return _flat(layout.split("\f")[-2])


@pytest.mark.parametrize(("typed", "printed"), [(CENTRE_OPINION, CENTRE_OPINION), ("", "同意受理。")])
def test_the_provincial_box_prints_the_centres_opinion_below_the_citys(people, client_for, tmp_path, typed, printed):
    from filings.services import application_transition
    from tests.filings.factories import nanning_submission

    submitted = nanning_submission(people)
    application_transition(application=submitted, by=people.city_nanning, name="recommend", text=CITY_OPINION)
    client = client_for(people.centre)
    before = _version_pdf_text(client, submitted, tmp_path)
    assert CITY_OPINION in before and printed not in before
    application_transition(application=submitted, by=people.centre, name="accept", text=typed)
    last_page = _version_pdf_text(client, submitted, tmp_path)
    # pdftotext -layout reads each box's text before its side label: the city's, its label, then the centre's.
    assert last_page.index(CITY_OPINION) < last_page.index("市人力资源") < last_page.index(printed)
    assert last_page.index(printed) < last_page.index("自治区人力")


def test_a_refusal_prints_its_reasons_in_the_provincial_box(people, client_for, tmp_path):
    from filings.services import application_transition
    from tests.filings.factories import nanning_submission

    submitted = nanning_submission(people)
    application_transition(application=submitted, by=people.city_nanning, name="recommend", text=CITY_OPINION)
    application_transition(application=submitted, by=people.centre, name="refuse", text="考核场地不足。")
    last_page = _version_pdf_text(client_for(people.centre), submitted, tmp_path)
    assert last_page.index("市人力资源") < last_page.index("不予受理。考核场地不足。") < last_page.index("自治区人力")
