"""Demo departments and officials' accounts for `manage.py seed_demo` (development and demonstrations only).

Each app has its own ``demo.py`` with a ``seed()``; the command runs them in the order of
``settings.DEMO_SEEDERS`` (this one first), in one transaction."""

from __future__ import annotations

from django.conf import settings
from django.db import transaction
from django.utils.module_loading import import_string

from portal.models import Department, Region, Role, User
from portal.second_factor.services import authenticator_set

DEMO_PASSWORD = "Portal-demo-2026"  # noqa: S105  the published demo password (README); seed_demo refuses DEBUG off

DEPARTMENTS = [
    # (name, kind, region code)
    ("广西壮族自治区职业技能鉴定中心", Department.Kind.APPRAISAL_CENTRE, "450000"),
    ("南宁市人力资源和社会保障局", Department.Kind.HR_BUREAU, "450100"),
    ("柳州市人力资源和社会保障局", Department.Kind.HR_BUREAU, "450200"),
    ("南宁市公安局", Department.Kind.PUBLIC_SECURITY, "450100"),
    ("柳州市公安局", Department.Kind.PUBLIC_SECURITY, "450200"),
    # Shaanxi (陕公通字〔2023〕64号, police first): the agency applies to the local public-security organ, which
    # assesses and sends its filing opinion to the same-level HR department; the HR department reviews and
    # files. Shaanxi has no separate appraisal centre in that text — the provincial HR department itself
    # (陕西省人力资源和社会保障厅, co-issuer of the call) accepts and files — so it carries the kind this portal
    # gives the provincial filing authority (APPRAISAL_CENTRE: the kind the centre role's queues look for).
    ("陕西省人力资源和社会保障厅", Department.Kind.APPRAISAL_CENTRE, "610000"),
    ("西安市人力资源和社会保障局", Department.Kind.HR_BUREAU, "610100"),
    ("宝鸡市人力资源和社会保障局", Department.Kind.HR_BUREAU, "610300"),
    ("陕西省公安厅", Department.Kind.PUBLIC_SECURITY, "610000"),
    ("西安市公安局", Department.Kind.PUBLIC_SECURITY, "610100"),
    ("宝鸡市公安局", Department.Kind.PUBLIC_SECURITY, "610300"),
]

# (username, role, last name, first name, department name or None)
ACCOUNTS = [
    ("admin", Role.ADMIN, "系统", "管理员", None),
    ("centre", Role.CENTRE, "欧", "明", "广西壮族自治区职业技能鉴定中心"),
    ("city_nanning", Role.CITY_HR, "黄", "立新", "南宁市人力资源和社会保障局"),
    ("city_liuzhou", Role.CITY_HR, "韦", "红", "柳州市人力资源和社会保障局"),
    ("police_nanning", Role.POLICE, "李", "强", "南宁市公安局"),
    ("police_liuzhou", Role.POLICE, "刘", "斌", "柳州市公安局"),
    ("expert1", Role.EXPERT, "陈", "志远", None),
    ("expert2", Role.EXPERT, "蒙", "丽萍", None),
    # Shaanxi
    ("sx_centre", Role.CENTRE, "张", "卫华", "陕西省人力资源和社会保障厅"),
    ("city_xian", Role.CITY_HR, "王", "建平", "西安市人力资源和社会保障局"),
    ("city_baoji", Role.CITY_HR, "杨", "帆", "宝鸡市人力资源和社会保障局"),
    ("police_shaanxi", Role.POLICE, "高", "峰", "陕西省公安厅"),
    ("police_xian", Role.POLICE, "赵", "刚", "西安市公安局"),
    ("police_baoji", Role.POLICE, "马", "军", "宝鸡市公安局"),
    ("sx_expert1", Role.EXPERT, "薛", "文博", None),
    ("sx_expert2", Role.EXPERT, "雷", "静", None),
]


# The demo officials' authenticator secrets (base32), fixed so that a tester can add them to an authenticator app
# (or run `manage.py demo_totp <user name>`): the README's demo-account table gives each one on its row.
DEMO_TOTP_SECRETS = {
    "admin": "6QSQ32MNO6VRSFTFG3G5CCCAPQSJSJL6",
    "centre": "7JMWJCHDOHCHXJAV7YB2ZVAIAOCKJJQB",
    "city_nanning": "5SZ6VCHSD3FWERJ333YYZRDCRGXK2DYA",
    "city_liuzhou": "YXPOPJJJGIHAVSTGFLJ44NGZNQGYKI72",
    "police_nanning": "SGBJUODUI6N3VQWQVQVCGCKHHBXMASJX",
    "police_liuzhou": "FVDIPHFUZTO4ZFQIHAOFNMUDW4RPZKCK",
    "expert1": "XYESNJPUAGVS4K4YYLBAR6PHUGKIBSOU",
    "expert2": "XDOSMA4UNDXOCEX366GFFFKIGMJCQ63T",
    "sx_centre": "TIR5I3SJXOXBIV6QXUR26LW5T4TMSAS6",
    "city_xian": "XGSNSVRCONGYXKUJIREXWE6D4LQIILKB",
    "city_baoji": "SHMIUAJCLUO6FGZTKF3PDRZNLHXITNML",
    "police_shaanxi": "N6MRSQJZC2EJW7PYUGRH54DYKRVO774D",
    "police_xian": "EBPBUHLXMEXEJ6VN3EY62JDRBTV7CLJD",
    "police_baoji": "PMDIE2CIMGRHKMHCOPOP235LEAIORXPL",
    "sx_expert1": "E3PNWRJV4PMQMVKQ2L52LEDIFINR3ZY3",
    "sx_expert2": "6676FMKRMBT6OZFDUK5LWB454WEDFNG2",
}


def demo_user(username: str, role: str, last: str, first: str, **affiliation) -> User:
    """Create or refresh one demo account with the demo password."""
    user, _ = User.objects.update_or_create(
        username=username,
        defaults={
            "role": role,
            "last_name": last,
            "first_name": first,
            "email": f"{username}@example.cn",
            "is_staff": role == Role.ADMIN,
            "is_superuser": role == Role.ADMIN,
            "is_active": True,
            **affiliation,
        },
    )
    user.set_password(DEMO_PASSWORD)
    user.save(update_fields=["password", "password_changed_at"])
    return user


def seed() -> list[str]:
    """Departments and officials; returns the user names."""
    regions = {r.code: r for r in Region.objects.all()}
    departments = {}
    for name, kind, code in DEPARTMENTS:
        departments[name], _ = Department.objects.update_or_create(
            name=name, defaults={"kind": kind, "region": regions[code]}
        )
    for username, role, last, first, department in ACCOUNTS:
        user = demo_user(username, role, last, first, department=departments.get(department), organisation=None)
        authenticator_set(user=user, secret=DEMO_TOTP_SECRETS[username])  # enrolled: the second step asks a code
    return [account[0] for account in ACCOUNTS]


@transaction.atomic
def seed_demo() -> list[str]:
    """Create or refresh the demo data of every app; safe to run again. Returns the demo user names."""
    usernames: list[str] = []
    for path in settings.DEMO_SEEDERS:
        usernames += import_string(path)() or []
    return usernames
