"""A complete, valid 附件2 form and a stand-in scan: what the demo seeds, and what the tests and the benchmarks
start from (``tests/filings/factories.py`` builds applications on it). Not demo data: a stable example of
the form, kept beside the form's definition so the two change together."""

from __future__ import annotations

from django.core.files.uploadedfile import SimpleUploadedFile

from agencies.models import Organisation

SURNAMES = "黄韦李陈覃莫蒙梁刘潘"
GIVEN = ["建华", "丽萍", "志强", "海燕", "晓东", "文杰", "秀兰", "国庆", "明辉", "春梅"]


def _person(index: int) -> tuple[str, str]:
    return SURNAMES[index % len(SURNAMES)] + GIVEN[(index * 3) % len(GIVEN)], "男" if index % 2 else "女"


def sample_application_data(
    organisation: Organisation,
    *,
    occupations: list[tuple[str, str, int]],
    scope: str = "region",
    people: int = 3,
    examiners_per_occupation: int = 4,
) -> dict:
    """A complete, valid application: ``occupations`` are (code, name, level) triples offered by the call."""
    names = list(dict.fromkeys(name for _code, name, _level in occupations))

    def people_rows(count: int, extra) -> list[dict]:
        rows = []
        for i in range(count):
            name, gender = _person(i)
            rows.append(
                {
                    "name": name,
                    "gender": gender,
                    "education": "大学本科",
                    "title": "一级/高级技师",
                    **extra(i),
                }
            )
        return rows

    return {
        "basic": {
            "name": organisation.name,
            "address": organisation.address or "南宁市青秀区民族大道136号",
            "office_ownership": "leased",
            "registration_authority": "南宁市民政局",
            "uscc": organisation.uscc,
            "scope": scope,
            "supervising_department": "南宁市人力资源和社会保障局",
            "nature": organisation.nature,
            "legal_representative": organisation.legal_representative,
            "legal_phone": "13807711234",
            "contact_name": organisation.contact_name,
            "contact_title": "办公室主任",
            "contact_phone": organisation.contact_phone,
            "email": organisation.email or "office@example.cn",
        },
        "occupations": [
            {
                "occupation": code,
                "work_type": "",
                "level": str(level),
                "basis": "保卫管理员国家职业技能标准（2020年版）" if code == "3-02-02-00" else "国家职业技能标准",
                "person_times": str(2600 - 700 * (i % 3)),
                "start_date": "2019-03-01",
                "theory_items": "1200",
                "skill_items": "45",
            }
            for i, (code, _name, level) in enumerate(occupations)
        ],
        "advantages": {
            "text": "本机构自2019年起承担保卫管理员、保安员培训任务，累计培训评价6000余人次；"
            "参与自治区保安员培训教材编写和题库开发，拥有标准化考场和智能化考场各一个。"
        },
        "managers": people_rows(
            people,
            lambda i: {
                "responsibility": ["认定工作负责人", "考务管理", "质量管理"][i % 3],
                "employment": "full_time",
            },
        ),
        "examiners": [
            {
                **row,
                "employer": organisation.name if i % 2 == 0 else "广西警察学院",
                "occupation": names[i % len(names)],
                "examiner_number": f"4501{2019 + i % 5}{i:04d}",
            }
            for i, row in enumerate(people_rows(examiners_per_occupation * len(names), lambda i: {}))
        ],
        "experts": people_rows(people, lambda i: {"employer": "广西警察学院", "specialty": "治安保卫管理"}),
        "supervisors": people_rows(max(people, 2), lambda i: {"employer": organisation.name, "duty": "内部质量督导"}),
        "site": {
            "ownership": "leased",
            "lease_years": "8",
            "standard_rooms": "2",
            "standard_seats": "60",
            "smart_rooms": "1",
            "smart_seats": "40",
            "office_area": "320",
            "skill_site_area": "400",
            "video_surveillance": "yes",
            # Asked where the call's norms check them (Wuxi); ignored by the other calls.
            "largest_room_seats": "30",
            "desk_spacing_cm": "90",
            "exam_office": "yes",
            "paper_vault": "yes",
            "archive_room": "yes",
        },
        "stations": [{"occupation": name, "stations": "20", "note": "模拟监控中心、门岗"} for name in names],
        "equipment": [
            {"name": "视频监控实训系统", "model": "HK-DS-8000", "quantity": "2", "occupation": names[0]},
            {"name": "门禁与报警演示设备", "model": "ZK-F22", "quantity": "4", "occupation": names[0]},
            {"name": "理论考试计算机", "model": "联想启天M430", "quantity": "40", "occupation": names[0]},
        ],
        "testing_equipment": [],
        "systems": {
            **{f"{code}_established": "yes" for code, _ in _systems()},
            **{f"{code}_attachment": f"附件{index + 6}" for index, (code, _) in enumerate(_systems())},
        },
        "management": {
            "head_name": "韦建国",
            "head_birth_date": "1972-05-16",
            "head_education": "大学本科",
            "head_qualification": "intermediate_title",
            "head_years": "12",
            "finance_staff": "2",
        },
        "declarations": {
            **{key: "yes" for key in _declarations()},
            "business_scope_detail": "职业技能培训；职业技能评价；安全技术防范培训",
        },
    }


def _systems():
    from agencies.profiles import WUXI_SYSTEMS
    from filings.forms import MANAGEMENT_SYSTEMS

    return [*MANAGEMENT_SYSTEMS, *WUXI_SYSTEMS]


def _declarations() -> list[str]:
    from agencies.profiles import PROFILES

    return [r["params"]["key"] for p in PROFILES for r in p["rules"] if r["kind"] == "declaration"]


def sample_pdf(title: str) -> SimpleUploadedFile:
    """A small, valid one-page PDF to stand in for a scanned material; its title is in it as a comment, so that
    two materials are two different files (the same file twice in one slot is refused). Complete with its
    cross-reference table and ``startxref``, as the upload checks parse it (``portal.lib.upload_pdf``)."""
    objects = [
        b"<</Type/Catalog/Pages 2 0 R>>",
        b"<</Type/Pages/Kids[3 0 R]/Count 1>>",
        b"<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]>>",
    ]
    body = b"%PDF-1.4\n%" + title.encode() + b"\n"
    offsets = []
    for number, content in enumerate(objects, start=1):
        offsets.append(len(body))
        body += b"%d 0 obj" % number + content + b"endobj\n"
    xref = len(body)
    body += b"xref\n0 4\n0000000000 65535 f \n" + b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    body += b"trailer<</Size 4/Root 1 0 R>>\nstartxref\n%d\n%%%%EOF\n" % xref
    return SimpleUploadedFile(f"{title}.pdf", body, content_type="application/pdf")
