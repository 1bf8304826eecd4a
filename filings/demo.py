"""Demo applications for `manage.py seed_demo`, and the realistic filled-in data they (and tests) use."""

from __future__ import annotations

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction

from agencies.models import Call, Organisation
from filings.models import Application
from filings.services import application_create, application_save_draft, application_submit, attachment_add
from portal.models import User

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
    }


def _systems():
    from filings.forms import MANAGEMENT_SYSTEMS

    return MANAGEMENT_SYSTEMS


def sample_pdf(title: str) -> SimpleUploadedFile:
    """A small, valid one-page PDF to stand in for a scanned material."""
    body = b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
    body += b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
    return SimpleUploadedFile(f"{title}.pdf", body, content_type="application/pdf")


@transaction.atomic
def seed_applications() -> None:
    """南宁 has a submitted application to the Guangxi security-manager call, 柳州 a draft. Idempotent."""
    call = Call.objects.filter(code="gx-security-manager-2026").first()
    if call is None:
        return
    occupations = [("3-02-02-00", "保卫管理员", level) for level in (3, 2, 1)]
    nanning = Organisation.objects.get(uscc="52450100MJA7K3Q8X0")
    if not Application.objects.filter(organisation=nanning, call=call).exists():
        user = User.objects.get(username="agency_nanning")
        application = application_create(organisation=nanning, call=call, by=user)
        application_save_draft(
            application=application, data=sample_application_data(nanning, occupations=occupations), by=user
        )
        for material in application.call_version.materials:
            if material.get("required"):
                attachment_add(
                    application=application,
                    material=material["code"],
                    uploaded=sample_pdf(material["label"]),
                    by=user,
                )
        application_submit(application=application, by=user, commitment_name=nanning.legal_representative, consent=True)
    liuzhou = Organisation.objects.get(uscc="52450200MJB2R6T4WN")
    if not Application.objects.filter(organisation=liuzhou, call=call).exists():
        user = User.objects.get(username="agency_liuzhou")
        application = application_create(organisation=liuzhou, call=call, by=user)
        data = sample_application_data(liuzhou, occupations=occupations[:1], scope="city")
        data["basic"]["registration_authority"] = "柳州市民政局"
        data["basic"]["supervising_department"] = "柳州市人力资源和社会保障局"
        partial = {key: data[key] for key in ("basic", "occupations", "advantages", "managers")}
        partial["examiners"] = data["examiners"][:2]  # fewer than the call asks: the check shows it
        application_save_draft(application=application, data=partial, by=user)


# (username, specialty, occupation codes, employer)
EXPERT_PROFILES = [
    ("expert1", "治安保卫管理", ["3-02-02-00", "4-07-05-01"], "广西警察学院"),
    ("expert2", "安全防范技术", ["3-02-02-00"], "广西大学"),
]


@transaction.atomic
def seed_expert_profiles() -> None:
    """The demo experts' pool profiles (specialty, occupations, employer). Idempotent."""
    from agencies.models import Occupation
    from filings.models import ExpertProfile

    for username, specialty, codes, employer in EXPERT_PROFILES:
        user = User.objects.filter(username=username).first()
        if user is None:
            continue
        profile, _created = ExpertProfile.objects.update_or_create(
            user=user, defaults={"specialty": specialty, "employer_name": employer, "active": True}
        )
        profile.occupations.set(Occupation.objects.filter(code__in=codes))
