"""Demo departments and officials' accounts for `manage.py seed_demo` (development and demonstrations only).

Each app has its own ``demo.py`` with a ``seed()``; the command runs them in the order of
``settings.DEMO_SEEDERS`` (this one first), in one transaction."""

from __future__ import annotations

from importlib import import_module

from django.apps import apps
from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import connection, models, transaction
from django.db.models import Q
from django.utils.module_loading import import_string

from portal.lib import publiccache
from portal.models import AuditChainHead, AuditEvent, Department, Notification, Region, Role, User
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
    # Enough of Guangxi's pool for the panel page's default draw of three (filings.models.PanelDraw.DEFAULT_COUNT)
    # to succeed on the applications awaiting a panel, with some left to replace an expert who declares a conflict.
    ("expert3", Role.EXPERT, "覃", "海峰", None),
    ("expert4", Role.EXPERT, "梁", "晓雯", None),
    ("expert5", Role.EXPERT, "农", "建军", None),
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
    "expert3": "I66QQSF3SRYQENQOLF6AY2AZVNBEVJ7G",
    "expert4": "N2NFXSMYCYJNL7US3JQQIFQKZXNBUCQF",
    "expert5": "GZJVUEXOPHR5EYLHHBEMJPFFMHWNKZ4W",
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
def seed_demo(*, reset: bool = False) -> list[str]:
    """Create or refresh the demo data of every app; safe to run again. Returns the demo user names.

    A run finds what an earlier run made and leaves it as it is, changed or not; with ``reset`` the demo's own
    rows are deleted first (``demo_reset``), so that the run rebuilds the demo as the README describes it."""
    if reset:
        demo_reset()
    usernames: list[str] = []
    for path in settings.DEMO_SEEDERS:
        usernames += import_string(path)() or []
    return usernames


def _hooks(name: str) -> list:
    """The function ``name`` of each seeder's module that has one (``agencies.demo.demo_organisations``)."""
    modules = [import_module(path.rsplit(".", 1)[0]) for path in settings.DEMO_SEEDERS]
    return [getattr(module, name) for module in modules if hasattr(module, name)]


def demo_reset() -> dict[str, int]:
    """Delete what the demo made, so that seeding again rebuilds it; returns the rows deleted per model.

    The demo's own rows are its organisations' (each seeder's module that makes some returns them from
    ``demo_organisations()``), everything that hangs off them by a foreign key or a generic relation (applications,
    directory entries, plans, complaints, sessions, certificates… at any depth), the rows the seeders name in
    ``demo_roots(organisations)`` (the demo's notices, draw and reports) with what hangs off those, and the inbox
    of the demo accounts. Kept: the organisations and every user account themselves (refreshed by the seeders),
    the audit log (it records what happened, and refuses deletion), and every row that hangs off nothing of the
    demo's — a notice listing a demo application beside another agency's keeps the other agency's item.

    Inside the caller's transaction; the foreign keys are checked when it commits (Django declares them
    deferrable), so the rows can go in any order, past the PROTECT that guards them from a careless delete."""
    organisation_model = User._meta.get_field("organisation").related_model  # portal imports no feature app
    pks = {pk for hook in _hooks("demo_organisations") for pk in hook().values_list("pk", flat=True)}
    organisations = organisation_model.objects.filter(pk__in=pks)
    kept = {organisation_model: pks}
    accounts = User.objects.filter(Q(username__in=[account[0] for account in ACCOUNTS]) | Q(organisation__in=pks))
    roots = [Notification.objects.filter(recipient__in=accounts)]
    for hook in _hooks("demo_roots"):
        roots += hook(organisations)
    collected: dict[type[models.Model], set] = {}
    for queryset in roots:
        collected.setdefault(queryset.model, set()).update(queryset.values_list("pk", flat=True))
    nulled = _collect(collected, kept)
    with connection.cursor() as cursor:
        for model, field, pks in nulled:
            model._base_manager.filter(**{f"{field.name}__in": pks}).exclude(pk__in=collected.get(model, ())).update(
                **{field.name: None}
            )
        for model, pks in collected.items():
            for chunk in _chunks(sorted(pks)):
                table, column = connection.ops.quote_name(model._meta.db_table), model._meta.pk.column
                marks = ", ".join(["%s"] * len(chunk))
                cursor.execute(f"DELETE FROM {table} WHERE {connection.ops.quote_name(column)} IN ({marks})", chunk)  # noqa: S608  names from the models, values as parameters
    publiccache.bump("directory", "receipts")
    return {model._meta.label: len(pks) for model, pks in collected.items() if pks}


# Never deleted by a reset: the accounts (the audit log refers to them) and the audit log itself.
NEVER_DELETED = (User, AuditEvent, AuditChainHead)


def _collect(collected: dict, kept: dict) -> list[tuple]:
    """Add to ``collected`` every row that refers to a collected or kept row, until nothing more is found;
    returns the SET_NULL references to collected rows from rows that stay, to clear."""
    nulled = []
    changed = True
    while changed:
        changed = False
        nulled = []
        for model in apps.get_models(include_auto_created=True):
            if model._meta.proxy or not model._meta.managed or issubclass(model, NEVER_DELETED) or model in kept:
                continue
            found: set = set()
            for field in model._meta.concrete_fields:
                if not field.is_relation or field.related_model is None:
                    continue
                target = field.related_model._meta.concrete_model
                targets = collected.get(target, set()) | kept.get(target, set())
                if not targets:
                    continue
                if field.remote_field.on_delete is models.SET_NULL:
                    if collected.get(target):
                        nulled.append((model, field, list(collected[target])))
                    continue
                found.update(
                    model._base_manager.filter(**{f"{field.name}__pk__in": targets}).values_list("pk", flat=True)
                )
            for relation in model._meta.private_fields:
                if isinstance(relation, GenericForeignKey):
                    found.update(_generic_references(model, relation, collected))
            new = found - collected.get(model, set())
            if new:
                collected.setdefault(model, set()).update(new)
                changed = True
    return nulled


def _generic_references(model, relation: GenericForeignKey, collected: dict) -> set:
    object_field = model._meta.get_field(relation.fk_field)
    found: set = set()
    for target, pks in collected.items():
        if not pks:
            continue
        values = [object_field.to_python(str(pk)) for pk in pks]
        content_type = ContentType.objects.get_for_model(target, for_concrete_model=False)
        found.update(
            model._base_manager.filter(
                **{relation.ct_field: content_type, f"{relation.fk_field}__in": values}
            ).values_list("pk", flat=True)
        )
    return found


def _chunks(values: list, size: int = 500):
    for start in range(0, len(values), size):
        yield values[start : start + size]
