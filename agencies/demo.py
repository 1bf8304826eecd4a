"""Demo calls for applications for `manage.py seed_demo`, dated relative to today so that they are open.

Written straight to the models (not through the services) so that running the seed again refreshes the same
versions instead of adding new ones.
"""

from __future__ import annotations

import datetime as dt

from django.db.models import QuerySet
from django.utils import timezone

from agencies.models import Call, CallVersion, ConditionProfile, Organisation, Scope, Workflow
from portal.demo import demo_user
from portal.lib.validators import uscc_expected_check_character
from portal.models import Region, Role

GUANGXI_ISSUER = "广西壮族自治区人力资源和社会保障厅 广西壮族自治区公安厅"
SECURITY_MANAGER = [{"occupation": "3-02-02-00", "levels": [3, 2, 1]}]


def material(code: str, label: str, required: bool = True, when: str = "") -> dict:
    return {"code": code, "label": label, "required": required, "when": when}


SECURITY_MANAGER_MATERIALS = [
    material("legal_registration", "法人登记证书复印件或统一社会信用代码"),
    material("work_plan", "职业技能等级认定工作方案及质量管控措施"),
    material("training_history", "培训评价经历材料"),
    material("credit_report", "信用报告"),
    material("lease_contract", "场地租赁协议或合同", when="leased"),
    material("external_agreements", "外聘专家、考评人员、内部质量督导员协议", when="external_staff"),
]

PILOT_MATERIALS = [
    material("application_form", "广西壮族自治区社会培训评价组织职业技能等级认定机构试点申请表"),
    material("legal_registration", "法人登记证书复印件"),
    material("pilot_work_plan", "职业技能等级认定试点工作方案"),
    material("examiner_proofs", "考务人员（考评人员、内部质量督导员、专家团队等）技能水平证明"),
    material("asset_proofs", "场地设备设施等资产有效证明文件"),
]


def seed_calls() -> list[str]:
    """Create or refresh the demo calls; safe to run again. Returns their codes."""
    today = timezone.localdate()
    now = timezone.now()
    days = dt.timedelta(days=1)
    security_manager_v1 = {
        "title": "广西保卫管理员职业技能等级认定评价机构征集",
        "issuer": GUANGXI_ISSUER,
        "document_number": "",
        "workflow": Workflow.CITY_FIRST,
        "opens_on": today - 30 * days,
        "closes_on": today + 30 * days,
        "scopes": [Scope.REGION, Scope.CITY],
        "offerings": SECURITY_MANAGER,
        "materials": SECURITY_MANAGER_MATERIALS,
        "notes": "联系方式：自治区职业技能鉴定中心 0771—5832198；自治区公安厅治安总队 0771—2892338。",
        "published_at": now - 30 * days,
    }
    calls = [
        (
            "gx-security-manager-2026",
            "450000",
            "guangxi-security-manager",
            [
                security_manager_v1,
                {
                    **security_manager_v1,
                    # The extension: the page says it on a dated line of its own, from the versions.
                    "closes_on": today + 60 * days,
                    "published_at": now - 5 * days,
                },
            ],
        ),
        (
            "gx-pilot-2020",
            "450000",
            "guangxi-2020-pilot",
            [
                {
                    "title": "广西社会培训评价组织职业技能等级认定试点征集",
                    "issuer": "广西壮族自治区人力资源和社会保障厅",
                    "document_number": "桂人社函〔2020〕203号",
                    "workflow": Workflow.BY_SCOPE,
                    "opens_on": dt.date(2020, 9, 1),
                    "closes_on": dt.date(2020, 12, 31),
                    "scopes": [Scope.NATIONAL, Scope.REGION, Scope.CITY],
                    "offerings": [
                        {"occupation": "4-10-01-02", "levels": [5, 4, 3]},
                        {"occupation": "4-03-02-01", "levels": [5, 4, 3, 2, 1]},
                        {"occupation": "6-31-01-03", "levels": [5, 4, 3, 2, 1]},
                    ],
                    "materials": PILOT_MATERIALS,
                    "notes": "申请面向本地市开展认定的，原则上申报三级（高级工）及以下等级。",
                    "published_at": dt.datetime(2020, 8, 28, 9, 0, tzinfo=dt.UTC),
                }
            ],
        ),
        (
            "sx-security-manager-2024",
            "610000",
            "shaanxi-security-manager",
            [
                {
                    "title": "陕西省保卫管理员职业技能等级认定评价机构备案",
                    "issuer": "陕西省公安厅 陕西省人力资源和社会保障厅",
                    "document_number": "陕公通字〔2023〕64号",
                    "workflow": Workflow.POLICE_FIRST,
                    "opens_on": today - 20 * days,
                    "closes_on": today + 90 * days,
                    "scopes": [Scope.REGION, Scope.CITY],
                    "offerings": SECURITY_MANAGER,
                    "materials": SECURITY_MANAGER_MATERIALS[:4],
                    "notes": "",
                    "published_at": now - 20 * days,
                }
            ],
        ),
    ]
    for code, province, profile_code, versions in calls:
        call, _ = Call.objects.update_or_create(code=code, defaults={"province": Region.objects.get(code=province)})
        profile = ConditionProfile.objects.get(code=profile_code)
        for number, fields in enumerate(versions, start=1):
            CallVersion.objects.update_or_create(
                call=call, number=number, defaults={**fields, "profile": profile, "rules": profile.rules}
            )
    return [code for code, *_ in calls]


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


def _uscc(body: str) -> str:
    """A well-formed unified social credit code: the 17 characters given and their GB 32100 check character."""
    return body + uscc_expected_check_character(body)


# Shaanxi (police-first call): their applications are seeded by filings.demo.shaanxi.
ORGANISATIONS += [
    (
        "西安市秦盾职业技能培训学校",
        _uscc("52610113MJY4K2T7A"),
        "610100",
        Organisation.Nature.PRIVATE_NON_ENTERPRISE,
        "刘振西",
        "西安市雁塔区高新路52号秦盾大厦6层",
        "孙丽娟",
        "029-88321456",
        "qindun@example.cn",
    ),
    (
        "陕西华卫保安服务有限公司",
        _uscc("91610104MA6U3R8W5"),
        "610100",
        Organisation.Nature.ENTERPRISE,
        "韩卫国",
        "西安市莲湖区劳动南路118号",
        "杜晓燕",
        "029-84256789",
        "huawei-security@example.cn",
    ),
    (
        "西安市保安协会",
        _uscc("51610100MJX8P6H3C"),
        "610100",
        Organisation.Nature.ASSOCIATION,
        "冯建军",
        "西安市新城区西五路68号",
        "何敏",
        "029-87413520",
        "",
    ),
    (
        "宝鸡市安泰职业技能培训学校",
        _uscc("52610302MJY9D5N1B"),
        "610300",
        Organisation.Nature.PRIVATE_NON_ENTERPRISE,
        "任宝林",
        "宝鸡市渭滨区经二路96号",
        "姚春花",
        "0917-3215678",
        "antai@example.cn",
    ),
]

# (username, last name, first name, organisation name)
AGENCY_ACCOUNTS = [
    ("agency_nanning", "黄", "晓梅", "南宁市安盾职业技能培训学校"),
    ("agency_liuzhou", "莫", "丽华", "柳州市护航保安职业培训中心"),
    ("agency_xian", "孙", "丽娟", "西安市秦盾职业技能培训学校"),
    ("agency_baoji", "姚", "春花", "宝鸡市安泰职业技能培训学校"),
]


def demo_organisations() -> QuerySet[Organisation]:
    """The organisations made here, found by their USCC as ``seed`` finds them (``portal.demo.demo_reset``)."""
    return Organisation.objects.filter(uscc__in=[row[1] for row in ORGANISATIONS])


def seed() -> list[str]:
    """The calls, the demo organisations and their agency accounts; returns the user names."""
    seed_calls()
    regions = {r.code: r for r in Region.objects.all()}
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
    for username, last, first, organisation in AGENCY_ACCOUNTS:
        demo_user(username, Role.AGENCY, last, first, department=None, organisation=organisations[organisation])
    return [account[0] for account in AGENCY_ACCOUNTS]
