"""Demo accounts and organisations for `manage.py seed_demo` (development and demonstrations only)."""

from __future__ import annotations

from django.db import transaction

from agencies.demo import seed_calls
from agencies.models import Organisation
from filings.demo import seed_applications, seed_expert_profiles
from filings.demo_filed import seed_filed
from filings.demo_publicity import seed_publicity
from filings.demo_review import seed_review
from portal.models import Department, Region, Role, User

DEMO_PASSWORD = "Portal-demo-2026"

DEPARTMENTS = [
    # (name, kind, region code)
    ("广西壮族自治区职业技能鉴定中心", Department.Kind.APPRAISAL_CENTRE, "450000"),
    ("南宁市人力资源和社会保障局", Department.Kind.HR_BUREAU, "450100"),
    ("柳州市人力资源和社会保障局", Department.Kind.HR_BUREAU, "450200"),
    ("南宁市公安局", Department.Kind.PUBLIC_SECURITY, "450100"),
    ("柳州市公安局", Department.Kind.PUBLIC_SECURITY, "450200"),
]

ORGANISATIONS = [
    # (name, uscc, region code, nature, legal representative, address, contact, phone, e-mail)
    (
        "南宁市安盾职业技能培训学校",
        "52450100MJA7K3Q8X0",
        "450100",
        Organisation.Nature.PRIVATE_NON_ENTERPRISE,
        "韦建国",
        "南宁市青秀区民族大道136号华润大厦B座12层",
        "黄晓梅",
        "0771-5561234",
        "andun@example.cn",
    ),
    (
        "柳州市护航保安职业培训中心",
        "52450200MJB2R6T4WN",
        "450200",
        Organisation.Nature.PRIVATE_NON_ENTERPRISE,
        "覃志强",
        "柳州市城中区文昌路18号",
        "莫丽华",
        "0772-2823456",
        "huhang@example.cn",
    ),
    (
        "广西卫安保安服务有限公司",
        "91450100MA5L2Y8K3G",
        "450100",
        Organisation.Nature.ENTERPRISE,
        "李卫东",
        "南宁市兴宁区朝阳路55号",
        "潘婷",
        "13877112345",
        "weian@example.cn",
    ),
    (
        "柳州市保安协会",
        "51450200MJC8T1P5X6",
        "450200",
        Organisation.Nature.ASSOCIATION,
        "蓝海涛",
        "柳州市城中区五一路9号",
        "梁静",
        "0772-2819876",
        "",
    ),
]

# (username, role, last name, first name, department name or None, organisation name or None)
ACCOUNTS = [
    ("admin", Role.ADMIN, "系统", "管理员", None, None),
    ("centre", Role.CENTRE, "欧", "明", "广西壮族自治区职业技能鉴定中心", None),
    ("city_nanning", Role.CITY_HR, "黄", "立新", "南宁市人力资源和社会保障局", None),
    ("city_liuzhou", Role.CITY_HR, "韦", "红", "柳州市人力资源和社会保障局", None),
    ("police_nanning", Role.POLICE, "李", "强", "南宁市公安局", None),
    ("police_liuzhou", Role.POLICE, "刘", "斌", "柳州市公安局", None),
    ("expert1", Role.EXPERT, "陈", "志远", None, None),
    ("expert2", Role.EXPERT, "蒙", "丽萍", None, None),
    ("agency_nanning", Role.AGENCY, "黄", "晓梅", None, "南宁市安盾职业技能培训学校"),
    ("agency_liuzhou", Role.AGENCY, "莫", "丽华", None, "柳州市护航保安职业培训中心"),
]


@transaction.atomic
def seed_demo() -> list[str]:
    """Create or refresh the demo data; safe to run again. Returns the demo user names."""
    seed_calls()
    regions = {r.code: r for r in Region.objects.all()}
    departments = {}
    for name, kind, code in DEPARTMENTS:
        departments[name], _ = Department.objects.update_or_create(
            name=name, defaults={"kind": kind, "region": regions[code]}
        )
    organisations = {}
    for name, uscc, code, nature, legal, address, contact, phone, email in ORGANISATIONS:
        organisations[name], _ = Organisation.objects.update_or_create(
            uscc=uscc,
            defaults={
                "name": name,
                "region": regions[code],
                "nature": nature,
                "legal_representative": legal,
                "address": address,
                "contact_name": contact,
                "contact_phone": phone,
                "email": email,
            },
        )
    for username, role, last, first, department, organisation in ACCOUNTS:
        user, _ = User.objects.update_or_create(
            username=username,
            defaults={
                "role": role,
                "last_name": last,
                "first_name": first,
                "email": f"{username}@example.cn",
                "department": departments.get(department),
                "organisation": organisations.get(organisation),
                "is_staff": role == Role.ADMIN,
                "is_superuser": role == Role.ADMIN,
                "is_active": True,
            },
        )
        user.set_password(DEMO_PASSWORD)
        user.save(update_fields=["password"])
    seed_applications()
    seed_expert_profiles()
    seed_review()
    seed_publicity()
    seed_filed()
    return [account[0] for account in ACCOUNTS]
