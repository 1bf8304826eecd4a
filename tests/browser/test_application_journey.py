"""The filing application in the browser: a new agency fills the whole form from empty and submits it; errors
show beside the fields and link from the submit page; nothing typed is lost when the session expires."""

from __future__ import annotations

import re
import subprocess

import pytest
from playwright.sync_api import Page, expect

from agencies.models import Organisation
from filings.examples import sample_pdf
from filings.forms import MANAGEMENT_SYSTEMS
from portal.lib.validators import uscc_expected_check_character
from portal.models import Region, Role, User
from tests.browser.conftest import SCREENSHOTS
from tests.browser.signin import sign_in
from tests.conftest import DEMO_PASSWORD, seed_demo

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

CALL_TITLE = "广西保卫管理员职业技能等级认定评价机构征集"
ORGANISATION = "南宁市邕安保安职业技能培训学校"
USERNAME = "agency_yongan"
PASSWORD = "Yongan-demo-2026"
LEGAL_REPRESENTATIVE = "农志坚"

BASIC = {
    "name": ORGANISATION,
    "address": "南宁市西乡塘区大学东路98号",
    "office_ownership": "leased",
    "registration_authority": "南宁市民政局",
    "scope": "region",
    "supervising_department": "南宁市人力资源和社会保障局",
    "nature": "private_non_enterprise",
    "legal_representative": LEGAL_REPRESENTATIVE,
    "legal_phone": "13907715678",
    "contact_name": "黄丽娟",
    "contact_title": "教务主任",
    "contact_phone": "0771-3216549",
    "email": "yongan@example.cn",
}
OCCUPATIONS = [
    {
        "occupation": "3-02-02-00",
        "work_type": "",
        "level": "3",
        "basis": "保卫管理员国家职业技能标准（2020年版）",
        "person_times": "3200",
        "start_date": "2018-09-01",
        "theory_items": "1500",
        "skill_items": "60",
    },
    {
        "occupation": "3-02-02-00",
        "work_type": "",
        "level": "2",
        "basis": "保卫管理员国家职业技能标准（2020年版）",
        "person_times": "2100",
        "start_date": "2020-03-15",
        "theory_items": "900",
        "skill_items": "30",
    },
]
ADVANTAGES = (
    "本校自2018年起开展保卫管理员培训，累计培训评价5300余人次；参与编写自治区保安员培训教材，"
    "建有标准化考场两个、智能化考场一个，在南宁市同类机构中规模领先。"
)
MANAGERS = [
    {
        "name": "农志坚",
        "gender": "男",
        "education": "硕士研究生",
        "title": "高级讲师",
        "responsibility": "认定工作负责人",
        "employment": "full_time",
    },
    {
        "name": "黄丽娟",
        "gender": "女",
        "education": "大学本科",
        "title": "一级/高级技师",
        "responsibility": "考务管理",
        "employment": "part_time",
    },
]
EXAMINERS = [
    {
        "name": name,
        "gender": gender,
        "education": "大学本科",
        "title": "一级/高级技师",
        "employer": employer,
        "occupation": "保卫管理员",
        "examiner_number": number,
    }
    for name, gender, employer, number in [
        ("韦国强", "男", ORGANISATION, "4501201900012"),
        ("陆晓燕", "女", ORGANISATION, "4501202000034"),
        ("蒙建平", "男", "广西警察学院", "4501202100056"),
    ]
]
EXPERTS = [
    {
        "name": "覃海明",
        "gender": "男",
        "education": "博士研究生",
        "title": "教授",
        "employer": "广西警察学院",
        "specialty": "治安保卫管理",
    },
    {
        "name": "梁秀兰",
        "gender": "女",
        "education": "硕士研究生",
        "title": "副教授",
        "employer": "广西大学",
        "specialty": "安全防范技术",
    },
]
SUPERVISORS = [
    {
        "name": "潘文杰",
        "gender": "男",
        "education": "大学本科",
        "title": "二级/技师",
        "employer": ORGANISATION,
        "duty": "内部质量督导",
    },
    {
        "name": "莫春梅",
        "gender": "女",
        "education": "大学专科",
        "title": "三级/高级工",
        "employer": ORGANISATION,
        "duty": "考场巡查",
    },
]
SITE = {
    "ownership": "leased",
    "lease_years": "10",
    "standard_rooms": "2",
    "standard_seats": "80",
    "smart_rooms": "1",
    "smart_seats": "40",
    "office_area": "350",
    "skill_site_area": "520",
    "video_surveillance": "yes",
}
STATIONS = [
    {"occupation": "保卫管理员", "stations": "12", "note": "模拟监控中心"},
    {"occupation": "保卫管理员", "stations": "8", "note": "门岗与巡逻实训区"},
]
EQUIPMENT = [
    {"name": "视频监控实训系统", "model": "HK-DS-8000", "quantity": "2", "occupation": "保卫管理员"},
    {"name": "门禁与报警演示设备", "model": "ZK-F22", "quantity": "4", "occupation": "保卫管理员"},
    {"name": "理论考试计算机", "model": "联想启天M430", "quantity": "40", "occupation": "保卫管理员"},
]
SYSTEMS = {
    **{f"{code}_established": "yes" for code, _label in MANAGEMENT_SYSTEMS},
    **{f"{code}_attachment": f"附件{index + 6}" for index, (code, _label) in enumerate(MANAGEMENT_SYSTEMS)},
}
MATERIALS = {
    "legal_registration": "法人登记证书",
    "work_plan": "认定工作方案",
    "training_history": "培训评价经历",
    "credit_report": "信用报告",
    "lease_contract": "场地租赁合同",
    "external_agreements": "外聘人员协议",
}
# The sticky save bar would cover the lower part of a card in its screenshot.
UNSTICK_SAVE_BAR = ".save-bar { position: static !important; }"
SECTION_KEYS = [
    "basic",
    "occupations",
    "advantages",
    "managers",
    "examiners",
    "experts",
    "supervisors",
    "site",
    "stations",
    "equipment",
    "testing_equipment",
    "systems",
    "declarations",
]
# 附件1 三 and 一（五）, as the agency declares them (a private non-enterprise unit: the enterprise-only statement
# is left blank, and its check is "not applicable").
DECLARATIONS = {
    "not_government_body": "yes",
    "no_violations": "yes",
    "civil_affairs_inspection": "yes",
    "no_bad_record": "yes",
    "training_main_duty": "yes",
    "business_scope": "yes",
    "business_scope_detail": "职业技能培训；职业技能评价",
}


def new_agency_in_nanning() -> User:
    """A newly registered organisation in 南宁市 with one agency user: nothing filed yet."""
    nanning = Region.objects.get(code="450100")
    uscc = "52450100MJD3N7P2"
    uscc += "X" + uscc_expected_check_character(uscc + "X0")
    organisation = Organisation.objects.create(
        name=ORGANISATION,
        uscc=uscc,
        region=nanning,
        nature=Organisation.Nature.PRIVATE_NON_ENTERPRISE,
        legal_representative=LEGAL_REPRESENTATIVE,
        contact_name="黄丽娟",
        contact_phone="0771-3216549",
    )
    return User.objects.create_user(
        USERNAME, password=PASSWORD, role=Role.AGENCY, organisation=organisation, last_name="黄", first_name="丽娟"
    )


def fill_fields(page: Page, prefix: str, values: dict[str, str]) -> None:
    """Type or choose each value in the field the page names ``<prefix>-<name>``, in order."""
    for name, value in values.items():
        field = page.locator(f"#id_{prefix}-{name}")
        if field.get_attribute("readonly") is not None:
            assert field.input_value() == value  # registered facts are shown, not typed
        elif field.evaluate("el => el.tagName") == "SELECT":
            field.select_option(value)
        else:
            field.fill(value)


def fill_rows(page: Page, key: str, rows: list[dict[str, str]]) -> None:
    """Fill a repeating section, adding rows with its 添加一行 button as needed."""
    section = page.locator(f"#section-{key}")
    for index, row in enumerate(rows):
        if section.locator("tbody tr.form-row").count() <= index:
            section.get_by_role("button", name="添加一行").click()
        fill_fields(page, f"{key}-{index}", row)
    expect(section.locator("tbody tr.form-row")).to_have_count(len(rows))


def section_badge(page: Page, key: str):
    return page.locator(f"#section-{key} legend .badge")


def open_liuzhou_draft(page: Page, base_url: str) -> None:
    """agency_liuzhou signs in and opens the demo draft (partly filled) from the list."""
    sign_in(page, base_url, "agency_liuzhou", DEMO_PASSWORD)
    page.wait_for_url(f"{base_url}/")
    page.goto(f"{base_url}/filings/")
    page.get_by_role("link", name="草稿").first.click()
    page.wait_for_url(re.compile(r"/filings/\d+/edit/$"))


def test_a_new_agency_fills_the_whole_form_and_submits_it(live_server, page_factory, screenshot, tmp_path):
    seed_demo()
    new_agency_in_nanning()
    page = page_factory()
    page.on("dialog", lambda dialog: dialog.accept())
    sign_in(page, live_server.url, USERNAME, PASSWORD)
    page.wait_for_url(f"{live_server.url}/")
    page.goto(f"{live_server.url}/filings/")
    call = page.locator(".list-group-item", has_text=CALL_TITLE)
    call.get_by_role("button", name="申请").click()
    page.wait_for_url(re.compile(r"/filings/\d+/edit/$"))
    edit_page = page.url
    expect(page.get_by_role("heading", name="备案申请表")).to_be_visible()

    fill_fields(page, "basic", BASIC)
    fill_fields(page, "basic", {"uscc": Organisation.objects.get(name=ORGANISATION).uscc})
    fill_rows(page, "occupations", OCCUPATIONS)
    fill_fields(page, "advantages", {"text": ADVANTAGES})
    fill_rows(page, "managers", MANAGERS)
    fill_rows(page, "examiners", EXAMINERS)
    fill_rows(page, "experts", EXPERTS)
    fill_rows(page, "supervisors", SUPERVISORS)
    fill_fields(page, "site", SITE)
    fill_rows(page, "stations", STATIONS)
    fill_rows(page, "equipment", EQUIPMENT)
    # Testing equipment does not apply to this occupation: a row added by mistake is removed again.
    testing = page.locator("#section-testing_equipment")
    testing.get_by_role("button", name="添加一行").click()
    fill_fields(page, "testing_equipment-0", {"name": "误加的设备"})
    testing.get_by_role("button", name="删除此行").click()
    expect(testing.locator("tbody tr.form-row")).to_have_count(0)
    fill_fields(page, "systems", SYSTEMS)
    fill_fields(page, "declarations", DECLARATIONS)
    expect(page.locator("#dirty-status")).to_have_text("有未保存的修改")

    page.get_by_role("button", name="保存草稿").click()
    expect(page.get_by_text("草稿已保存。")).to_be_visible()
    expect(page.locator(".invalid-feedback:visible")).to_have_count(0)
    for key in SECTION_KEYS:
        if key != "testing_equipment":
            expect(section_badge(page, key)).to_have_text("已完成")
    expect(page.locator("#section-examiners tbody tr.form-row")).to_have_count(3)
    expect(page.locator("#id_examiners-2-name")).to_have_value("蒙建平")
    expect(page.locator("#id_systems-equipment_attachment")).to_have_value("附件13")

    for code, title in MATERIALS.items():
        path = tmp_path / f"{title}.pdf"
        path.write_bytes(sample_pdf(title).read())
        item = page.locator(f"#material-{code}")
        item.locator('input[type="file"]').set_input_files(path)
        item.get_by_role("button", name="上传").click()
        expect(item.get_by_role("link", name=path.name)).to_be_visible()
    page.reload()
    for code, title in MATERIALS.items():
        expect(page.locator(f"#material-{code}").get_by_role("link", name=f"{title}.pdf")).to_be_visible()
    expect(page.locator("#conditions .badge", has_text="不符合")).to_have_count(0)

    page.evaluate("window.scrollTo(0, 0)")
    screenshot(page, "application-form-complete")
    for key in [*SECTION_KEYS, "materials", "conditions"]:
        target = page.locator(f"#section-{key}" if key in SECTION_KEYS else f"#{key}")
        path = SCREENSHOTS / f"application-form-{key.replace('_', '-')}.png"
        target.screenshot(path=str(path), style=UNSTICK_SAVE_BAR)

    page.get_by_role("button", name="核查并提交").click()
    page.wait_for_url(re.compile(r"/filings/\d+/submit/(#.*)?$"))
    expect(page.locator("#problems")).to_have_count(0)
    page.get_by_label("法定代表人").fill(LEGAL_REPRESENTATIVE)
    page.get_by_label("本人代表本单位作出上述承诺").check()
    screenshot(page, "application-submit")
    page.get_by_role("button", name="提交申请").click()
    page.wait_for_url(re.compile(r"/filings/\d+/(#.*)?$"))
    expect(page.get_by_text("第 1 版已提交")).to_be_visible()
    expect(page.locator(".badge", has_text="市级审核中")).to_be_visible()
    expect(page.get_by_role("link", name="第 1 版")).to_be_visible()
    screenshot(page, "application-submitted")
    assert page.url != edit_page

    with page.expect_download() as download_info:
        page.get_by_role("link", name="下载申请表 PDF").click()
    download = download_info.value
    pdf = tmp_path / "application.pdf"
    download.save_as(pdf)
    assert download.suggested_filename.endswith("-v1.pdf")
    assert pdf.read_bytes().startswith(b"%PDF")
    for old in SCREENSHOTS.glob("application-pdf-*.png"):
        old.unlink()
    subprocess.run(
        ["pdftoppm", "-r", "60", "-png", str(pdf), str(SCREENSHOTS / "application-pdf")], check=True, timeout=120
    )
    assert len(list(SCREENSHOTS.glob("application-pdf-*.png"))) >= 3


def test_errors_show_beside_the_fields_and_the_submit_page_links_to_them(live_server, page_factory, screenshot):
    seed_demo()
    page = page_factory()
    open_liuzhou_draft(page, live_server.url)
    page.locator("#id_basic-contact_phone").fill("0772-123")
    page.locator("#id_occupations-0-person_times").fill("-20")
    page.get_by_role("button", name="保存草稿").click()

    expect(page.get_by_text("草稿已保存。")).to_be_visible()
    phone = page.locator("#id_basic-contact_phone")
    expect(phone).to_have_value("0772-123")
    expect(phone).to_have_class(re.compile(r"\bis-invalid\b"))
    expect(phone.locator("xpath=..").locator(".invalid-feedback")).to_have_text(
        "请输入 11 位手机号码（例如 13877112345）或带区号的固定电话号码（例如 0771-5832198）。"
    )
    count = page.locator("#id_occupations-0-person_times")
    expect(count).to_have_value("-20")
    expect(count.locator("xpath=..").locator(".invalid-feedback")).to_have_text("数值不能为负数。")
    expect(section_badge(page, "basic")).to_have_text("待完善")
    page.locator("#section-basic").screenshot(
        path=str(SCREENSHOTS / "application-form-errors-basic.png"), style=UNSTICK_SAVE_BAR
    )

    page.get_by_role("button", name="核查并提交").click()
    page.wait_for_url(re.compile(r"/filings/\d+/submit/(#.*)?$"))
    problems = page.locator("#problems")
    phone_problem = problems.locator('a[href$="#id_basic-contact_phone"]')
    expect(phone_problem).to_have_count(1)
    expect(phone_problem).to_contain_text("联系电话")
    expect(problems.locator('a[href$="#id_occupations-0-person_times"]')).to_contain_text("数值不能为负数")
    expect(page.get_by_role("button", name="提交申请")).to_be_disabled()
    screenshot(page, "application-submit-problems")

    phone_problem.click()
    page.wait_for_url(re.compile(r"/edit/#id_basic-contact_phone$"))
    expect(page.locator("#id_basic-contact_phone")).to_be_in_viewport()
    expect(page.locator("#id_basic-contact_phone")).to_have_value("0772-123")


def test_nothing_typed_is_lost_when_the_session_expires(live_server, page_factory, screenshot):
    seed_demo()
    page = page_factory()
    page.on("dialog", lambda dialog: dialog.accept())
    open_liuzhou_draft(page, live_server.url)
    edit_page = page.url
    page.locator("#id_basic-contact_title").fill("培训部副主任")
    page.context.clear_cookies()  # the session ends (30 minutes without activity) while the page stays open
    page.locator("#id_advantages-text").fill("新增：2025年承办全市保安员职业技能竞赛。")

    banner = page.locator("#session-banner")
    expect(banner).to_be_visible(timeout=12_000)  # the next autosave, at most 8 s away, is refused
    expect(banner).to_contain_text("您已退出登录")
    screenshot(page, "application-session-expired")

    page.goto(f"{live_server.url}/accounts/login/?next={edit_page.removeprefix(live_server.url)}")
    page.get_by_label("用户名").fill("agency_liuzhou")
    page.get_by_label("密码").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="登录").click()
    page.wait_for_url(edit_page)

    expect(page.locator("#restore-banner")).to_be_visible()
    expect(page.locator("#restore-banner")).to_contain_text("已从本浏览器恢复您上次未保存的内容")
    expect(page.locator("#id_basic-contact_title")).to_have_value("培训部副主任")
    expect(page.locator("#id_advantages-text")).to_have_value("新增：2025年承办全市保安员职业技能竞赛。")
    screenshot(page, "application-restored")

    page.get_by_role("button", name="保存草稿").click()
    expect(page.get_by_text("草稿已保存。")).to_be_visible()
    expect(page.locator("#restore-banner")).to_be_hidden()
    expect(page.locator("#id_basic-contact_title")).to_have_value("培训部副主任")
