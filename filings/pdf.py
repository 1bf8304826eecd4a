"""The filled application form (附件2, 职业技能等级认定机构备案申请表) as a PDF.

``application_pdf`` turns the raw strings of a version (or of the working copy, for a draft preview) into
display-ready rows — choice values as the official form's ☑/☐ labels, occupation codes looked up in the
catalogue, level numbers as their labels — and renders ``templates/pdf/application.html`` through the shared
``portal.lib.pdf.render_pdf``. The labels printed are the official form's own Chinese wording, whatever the
language of the request. The number of queries does not depend on the number of rows.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Q
from django.utils import timezone, translation

from agencies.models import CallVersion, Level, Occupation, Organisation, Scope
from filings.forms import MANAGEMENT_SYSTEMS
from filings.models import Application, ApplicationVersion, State
from portal.lib.pdf import chinese_date, render_pdf

TEMPLATE = "pdf/application.html"
DRAFT_MARK = "草稿 仅供核对"

# The wording of the printed form, keyed by the stored choice values of filings.forms.
OWNERSHIP_LABELS = [("owned", "自有"), ("leased", "租赁")]
SITE_OWNERSHIP_LABELS = [*OWNERSHIP_LABELS, ("other", "其他")]
NATURE_LABELS = [
    (Organisation.Nature.ENTERPRISE, "企业"),
    (Organisation.Nature.PRIVATE_NON_ENTERPRISE, "民办非企业单位"),
    (Organisation.Nature.ASSOCIATION, "行业协会"),
    (Organisation.Nature.SCHOOL, "院校"),
]
EMPLOYMENT_LABELS = {"full_time": "专职", "part_time": "兼职"}
YES_NO_LABELS = [("yes", "是"), ("no", "否")]
SYSTEM_LABELS = {
    "exam_affairs": "考务管理办法",
    "examiners": "考评人员管理办法",
    "quality_supervision": "内部质量督导管理办法",
    "question_bank_certificates": "题库、证书管理办法",
    "job_duties": "各岗位职责",
    "exam_rules": "理论考试、操作考核规则",
    "archives_finance": "档案、财务管理制度",
    "equipment": "设备、设施管理制度",
    "other": "其他",
}


@dataclass(frozen=True)
class Choice:
    """One printed option of a choice field: ☑ when it is the stored value, ☐ otherwise."""

    label: str
    checked: bool

    @property
    def mark(self) -> str:
        return "☑" if self.checked else "☐"


@dataclass(frozen=True)
class Column:
    label: str
    width: float  # millimetres; the columns of a table add up to the 156 mm text width of pdf.css
    align: str = ""  # "center" or "number"


@dataclass
class RowTable:
    """A repeating section of the form: left-hand labels, column headings repeated on every page, rows."""

    labels: list[tuple[str, float]]  # [(group label, width mm), (sub-label, width mm), ...]
    columns: list[Column]
    rows: list[list[str]]
    empty_text: str = "（无）"
    key: str = ""

    @property
    def widths(self) -> list[str]:
        return [f"{width:g}mm" for width in [w for _label, w in self.labels] + [c.width for c in self.columns]]

    @property
    def body(self) -> list[list[tuple[str, str]]]:
        """The rows as (value, alignment class) cells."""
        aligns = [column.align for column in self.columns]
        return [list(zip(row, aligns, strict=True)) for row in self.rows]


@dataclass
class Document:
    """Everything the template prints, already as strings."""

    province: str
    is_draft: bool
    reference: str
    version_number: int | None
    footer: str
    cover: dict[str, str]
    commitment: dict[str, str]
    basic: dict[str, object]
    occupations: list[list[str]]
    advantages: list[str]
    personnel: list[RowTable]
    site: dict[str, object]
    stations: RowTable
    equipment: list[RowTable]
    systems: list[dict[str, object]]
    city_opinion: str = ""
    province_opinion: str = ""

    @property
    def tables(self) -> list[RowTable]:
        """人员基本情况 and 考核场地设备 in the form's order; "site" stands for the fixed site rows."""
        return [
            *self.personnel,
            RowTable(labels=[], columns=[], rows=[], key="site"),
            self.stations,
            *self.equipment,
        ]

    @property
    def province_level(self) -> str:
        """自治区 / 省: how the form names the provincial HR department (自治区人力资源社会保障部门意见)."""
        for suffix in ("自治区", "省"):
            if self.province.endswith(suffix):
                return suffix
        return self.province


def _text(value) -> str:
    return "" if value is None else str(value).strip()


def choices(options, selected) -> list[Choice]:
    selected = _text(selected)
    return [Choice(label, str(value) == selected) for value, label in options]


def display_date(raw) -> str:
    """A typed ISO date as 2019年3月1日; anything else exactly as typed."""
    text = _text(raw)
    try:
        return chinese_date(dt.date.fromisoformat(text))
    except ValueError:
        return text


def level_label(raw) -> str:
    try:
        level = Level(int(_text(raw)))
    except ValueError:
        return _text(raw)
    with translation.override("zh-hans"):
        return str(level.label)


def scope_label(scope: str, province: str) -> str:
    """评价范围 as the province's form prints it: 全区 in an autonomous region, 全省 elsewhere."""
    if scope == Scope.REGION:
        return "全区" if province.endswith("自治区") else "全省" if province.endswith("省") else "全市"
    return {Scope.NATIONAL: "全国", Scope.CITY: "全市", Scope.COUNTY: "全县"}.get(scope, scope)


def scope_options(call_version: CallVersion, province: str) -> list[tuple[str, str]]:
    allowed = [value for value, _label in Scope.choices if value in (call_version.scopes or [])]
    return [(value, scope_label(value, province)) for value in allowed or [Scope.REGION, Scope.CITY]]


def _rows(data: dict, key: str) -> list[dict]:
    rows = data.get(key) or []
    return [row for row in rows if isinstance(row, dict)]


def _section(data: dict, key: str) -> dict:
    section = data.get(key) or {}
    return section if isinstance(section, dict) else {}


def occupation_catalogue(call_version: CallVersion, rows: list[dict]) -> dict[str, Occupation]:
    """Occupations by code and by name: the call's offer (read once per call version), then the catalogue
    for codes a row names that the call no longer offers — one query at most, whatever the number of rows."""
    known: dict[str, Occupation] = {}
    for occupation in call_version.offered_occupations:
        known[occupation.code] = known[occupation.name] = occupation
    missing = {_text(row.get("occupation")) for row in rows} - set(known) - {""}
    if missing:
        for occupation in Occupation.objects.filter(Q(code__in=missing) | Q(name__in=missing)):
            known[occupation.code] = known[occupation.name] = occupation
    return known


def occupation_rows(call_version: CallVersion, rows: list[dict]) -> list[list[str]]:
    catalogue = occupation_catalogue(call_version, rows)
    result = []
    for row in rows:
        raw = _text(row.get("occupation"))
        occupation = catalogue.get(raw)
        result.append(
            [
                occupation.name if occupation else raw,
                occupation.code if occupation else "",
                _text(row.get("work_type")) or "—",
                level_label(row.get("level")),
                _text(row.get("basis")),
                _text(row.get("person_times")),
                display_date(row.get("start_date")),
            ]
        )
    return result


GROUP = 11.0  # width of the left-hand group labels (备案单位基本信息, 人员基本情况, ...), mm
SUB = 13.0

PERSON_COLUMNS = [Column("姓名", 0, "center"), Column("性别", 0, "center"), Column("文化程度", 0, "center")]


def _person_table(key, sub_label, rows, extra: list[tuple[Column, str]], widths: list[float]) -> RowTable:
    columns = [*PERSON_COLUMNS, *(column for column, _field in extra)]
    columns = [Column(column.label, width, column.align) for column, width in zip(columns, widths, strict=True)]
    fields = ["name", "gender", "education", *(name for _column, name in extra)]
    table_rows = []
    for row in rows:
        values = [_text(row.get(name)) for name in fields]
        if "employment" in fields:
            index = fields.index("employment")
            values[index] = EMPLOYMENT_LABELS.get(values[index], values[index])
        table_rows.append(values)
    return RowTable(labels=[("人员\n基本\n情况", GROUP), (sub_label, SUB)], columns=columns, rows=table_rows, key=key)


def personnel_tables(data: dict) -> list[RowTable]:
    title = Column("技术职务或职业资格等级", 0)
    employer = Column("所在单位", 0)
    return [
        _person_table(
            "managers",
            "管理\n人员",
            _rows(data, "managers"),
            [
                (Column("技术职务或职业资格", 0), "title"),
                (Column("拟负责认定工作", 0), "responsibility"),
                (Column("专(兼)职", 0, "center"), "employment"),
            ],
            [18, 11, 18, 30, 35, 20],
        ),
        _person_table(
            "examiners",
            "考评\n人员",
            _rows(data, "examiners"),
            [
                (title, "title"),
                (employer, "employer"),
                (Column("考评职业(项目)", 0), "occupation"),
                (Column("考评员编号", 0), "examiner_number"),
            ],
            [14, 10, 17, 21, 25, 20, 25],
        ),
        _person_table(
            "experts",
            "专家\n队伍",
            _rows(data, "experts"),
            [(title, "title"), (employer, "employer"), (Column("专业方向", 0), "specialty")],
            [17, 10, 17, 28, 32, 28],
        ),
        _person_table(
            "supervisors",
            "内部\n质量\n督导员",
            _rows(data, "supervisors"),
            [(title, "title"), (employer, "employer"), (Column("岗位/职责", 0), "duty")],
            [17, 10, 17, 28, 32, 28],
        ),
    ]


SITE_LABEL = 18.0  # 场地权属 / 理论知识考试 / 技能操作考核
SITE_COLUMNS = (44.0, 25.0, 45.0)


def station_table(data: dict) -> RowTable:
    columns = [
        Column("职业(工种)", SITE_COLUMNS[0]),
        Column("工位数", SITE_COLUMNS[1], "center"),
        Column("备注", SITE_COLUMNS[2]),
    ]
    rows = [[_text(row.get(name)) for name in ("occupation", "stations", "note")] for row in _rows(data, "stations")]
    return RowTable(
        labels=[("考核\n场地\n设备", GROUP), ("考核\n场地", SUB), ("技能操作\n考核", SITE_LABEL)],
        columns=columns,
        rows=rows,
        key="stations",
    )


def equipment_tables(data: dict) -> list[RowTable]:
    tables = []
    for key, label in (("equipment", "考核\n设备"), ("testing_equipment", "检测\n设备")):
        columns = [
            Column("设备名称", 40),
            Column("型号", 32),
            Column("数量(台/套)", 20, "center"),
            Column("用于鉴定职业(项目)", 40),
        ]
        rows = [
            [_text(row.get(name)) for name in ("name", "model", "quantity", "occupation")] for row in _rows(data, key)
        ]
        tables.append(
            RowTable(
                labels=[("考核\n场地\n设备", GROUP), (label, SUB)],
                columns=columns,
                rows=rows,
                empty_text="（不涉及）" if key == "testing_equipment" else "（无）",
                key=key,
            )
        )
    return tables


def site_context(data: dict) -> dict[str, object]:
    site = _section(data, "site")
    return {
        "ownership": choices(SITE_OWNERSHIP_LABELS, site.get("ownership")),
        "lease_years": _text(site.get("lease_years")) if _text(site.get("ownership")) == "leased" else "",
        "standard_rooms": _text(site.get("standard_rooms")),
        "standard_seats": _text(site.get("standard_seats")),
        "smart_rooms": _text(site.get("smart_rooms")),
        "smart_seats": _text(site.get("smart_seats")),
        "office_area": _text(site.get("office_area")),
        "skill_site_area": _text(site.get("skill_site_area")),
        "video_surveillance": choices(YES_NO_LABELS, site.get("video_surveillance")),
        "widths": [f"{width:g}mm" for width in (GROUP, SUB, SITE_LABEL, *SITE_COLUMNS)],
    }


def systems_rows(data: dict) -> list[dict[str, object]]:
    systems = _section(data, "systems")
    return [
        {
            "label": SYSTEM_LABELS.get(code, str(label)),
            "established": choices(YES_NO_LABELS, systems.get(f"{code}_established")),
            "attachment": _text(systems.get(f"{code}_attachment")),
        }
        for code, label in MANAGEMENT_SYSTEMS
    ]


def basic_context(data: dict, organisation: Organisation, call_version: CallVersion, province: str) -> dict:
    basic = _section(data, "basic")
    values = {name: _text(value) for name, value in basic.items()}
    return {
        **values,
        "name": values.get("name") or organisation.name,
        "office_ownership_choices": choices(OWNERSHIP_LABELS, basic.get("office_ownership")),
        "scope_choices": choices(scope_options(call_version, province), basic.get("scope")),
        "nature_choices": choices(NATURE_LABELS, basic.get("nature")),
    }


def paragraphs(text) -> list[str]:
    return [line.strip() for line in _text(text).splitlines() if line.strip()]


def build_document(
    application: Application, *, version: ApplicationVersion | None, city_opinion: str = "", province_opinion: str = ""
) -> Document:
    """The display-ready content of the form for a submitted version, or for the working copy (a draft)."""
    is_draft = version is None
    data = (application.data if is_draft else version.data) or {}
    call_version = application.call_version if is_draft else version.call_version
    province = application.call.province.name
    organisation = application.organisation
    basic = basic_context(data, organisation, call_version, province)
    reference = application.reference or ""
    if is_draft:
        footer = f"备案申请编号 {reference or '（提交后生成）'} 草稿（未提交）"
    else:
        footer = f"备案申请编号 {reference or '—'} 第{version.number}版"
    return Document(
        province=province,
        is_draft=is_draft,
        reference=reference,
        version_number=None if is_draft else version.number,
        footer=footer,
        cover={
            "name": basic["name"],
            "address": basic.get("address", ""),
            "phone": basic.get("contact_phone", ""),
            "contact": basic.get("contact_name", ""),
            "date": "草稿" if is_draft else chinese_date(version.submitted_at),
        },
        commitment={
            "organisation": basic["name"],
            "name": "" if is_draft else version.commitment_name,
            "date": "" if is_draft else chinese_date(version.commitment_at),
            "signed_at": "" if is_draft else timezone.localtime(version.commitment_at).strftime("%Y-%m-%d %H:%M"),
        },
        basic=basic,
        occupations=occupation_rows(call_version, _rows(data, "occupations")),
        advantages=paragraphs(_section(data, "advantages").get("text")),
        personnel=personnel_tables(data),
        site=site_context(data),
        stations=station_table(data),
        equipment=equipment_tables(data),
        systems=systems_rows(data),
        city_opinion=_text(city_opinion),
        province_opinion=_text(province_opinion),
    )


def province_opinion_of(application: Application) -> str:
    """The provincial centre's opinion as its box on the form prints it: what it wrote when it accepted (an
    acceptance without words reads 同意受理。) or its reasons for refusing; nothing before it has decided."""
    decided = application.history.filter(from_state=State.ACCEPTANCE, to_state__in=(State.ASSESSMENT, State.REFUSED))
    decision = decided.order_by("-time", "-pk").values_list("to_state", flat=True).first()
    if decision == State.ASSESSMENT:
        return application.centre_opinion or "同意受理。"
    if decision == State.REFUSED:
        return f"不予受理。{application.centre_opinion}"
    return ""


def application_pdf(
    application: Application, *, version: ApplicationVersion | None, city_opinion: str = "", province_opinion: str = ""
) -> bytes:
    """Render a submitted version, or the working copy when ``version`` is None (a watermarked draft).

    ``city_opinion`` is printed in the box 市人力资源社会保障部门意见, ``province_opinion`` in the box of the
    provincial department (自治区/省人力资源社会保障部门意见); the boxes are empty otherwise.
    """
    document = build_document(
        application, version=version, city_opinion=city_opinion, province_opinion=province_opinion
    )
    data = application.data if version is None else version.data
    return render_pdf(
        TEMPLATE,
        {
            "application": application,
            "version": version,
            "data": data,
            "doc": document,
            "draft_mark": DRAFT_MARK,
            "city_opinion": document.city_opinion,
            "province_opinion": document.province_opinion,
        },
    )
