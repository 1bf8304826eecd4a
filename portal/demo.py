"""Demo departments and officials' accounts for `manage.py seed_demo` (development and demonstrations only).

Each app has its own ``demo.py`` with a ``seed()``; the command runs them in the order of
``settings.DEMO_SEEDERS`` (this one first), in one transaction."""

from __future__ import annotations

from django.conf import settings
from django.db import transaction
from django.utils.module_loading import import_string

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
]


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
    user.save(update_fields=["password"])
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
        demo_user(username, role, last, first, department=departments.get(department), organisation=None)
    return [account[0] for account in ACCOUNTS]


@transaction.atomic
def seed_demo() -> list[str]:
    """Create or refresh the demo data of every app; safe to run again. Returns the demo user names."""
    usernames: list[str] = []
    for path in settings.DEMO_SEEDERS:
        usernames += import_string(path)() or []
    return usernames
