"""A province-sized data set for the load harness, built straight into the tables (bulk inserts, no services).

- ``agencies`` filed agencies (the directory of ``bench/directory_search.py``: every city and county of the
  reference regions, 90 % active), each with its filed application and a ready filing receipt;
- applications in every other state of the review, spread over the 14 Guangxi cities, added until the total
  reaches the size asked for (so the sizes grow one after the other in one database);
- the officials whose pages are measured: the 南宁 city bureau and the centre of Guangxi;
- ``certificates(n)``: n certificates (1,000,000 by default) for the public verification, written by the
  database itself (``INSERT … SELECT generate_series``).

Everything is built once: a second run on the same database finds the data and adds only what is missing.

Each application carries the complete example of the 附件2 form (``filings.examples``), as real ones do: a
page that decodes the form data it does not show pays for it here as it would in production.
"""

from __future__ import annotations

import datetime as dt
import json
import secrets

from django.core.serializers.json import DjangoJSONEncoder
from django.db import connection, transaction
from django.utils import timezone

# States of the applications that are not filed, with their share (in thousandths).
STATES = {
    "draft": 100,
    "city_review": 250,
    "correction": 50,
    "acceptance": 150,
    "assessment": 150,
    "assessed": 50,
    "selected": 20,
    "not_selected": 30,
    "publicity": 20,
    "refused": 30,
    "not_recommended": 30,
    "withdrawn": 40,
    "ministry_review": 30,
    "publicised": 50,
}


def _agencies(count: int) -> None:
    from bench.directory_search import populate
    from filings.examples import sample_application_data
    from filings.models import Application, ApplicationVersion, InstitutionCode, Receipt
    from portal.models import User

    populate(count)
    now = timezone.now()
    codes = Application.objects.filter(state="filed").select_related("directory_entry")
    InstitutionCode.objects.bulk_create(
        (InstitutionCode(code=a.directory_entry.institution_code, application=a, provisional=False) for a in codes),
        batch_size=2_000,
    )
    filed = list(Application.objects.filter(state="filed").select_related("organisation"))
    clerk = User.objects.get(username="bench-clerk")
    data = sample_application_data(filed[0].organisation, occupations=[("3-02-02-00", "保卫管理员", 3)])
    ApplicationVersion.objects.bulk_create(
        (
            ApplicationVersion(
                application=application,
                number=1,
                call_version_id=application.call_version_id,
                data={**data, "basic": {**data["basic"], "name": application.organisation.name}},
                commitment_name="张三",
                commitment_at=now,
                submitted_by=clerk,
            )
            for application in filed
        ),
        batch_size=1_000,
    )
    receipts = [
        Receipt(
            application=application,
            version_number=1,
            number=f"GXBA{application.pk:08d}",
            token=secrets.token_urlsafe(24),
            status=Receipt.Status.READY,
            rendered_at=now,
        )
        for application in filed
    ]
    Receipt.objects.bulk_create(receipts, batch_size=2000)


def _officials():
    from portal.models import Department, Region, Role, User

    nanning = Region.objects.get(code="450100")
    guangxi = Region.objects.get(code="450000")
    kind = Department.Kind
    bureau = Department.objects.create(name="南宁市人力资源和社会保障局", kind=kind.HR_BUREAU, region=nanning)
    centre = Department.objects.create(name="广西职业技能鉴定中心", kind=kind.APPRAISAL_CENTRE, region=guangxi)
    User.objects.create(username="load-city", role=Role.CITY_HR, department=bureau, is_active=True)
    User.objects.create(username="load-centre", role=Role.CENTRE, department=centre, is_active=True)


def _call():
    from agencies.models import Call, CallVersion, Occupation, Workflow
    from portal.models import Region

    guangxi = Region.objects.get(code="450000")
    call = Call.objects.create(code="load-security-manager", province=guangxi)
    occupation = Occupation.objects.get(code="3-02-02-00")
    today = timezone.localdate()
    CallVersion.objects.create(
        call=call,
        number=1,
        title="保卫管理员职业技能等级认定评价机构征集",
        issuer="广西壮族自治区人力资源和社会保障厅",
        workflow=Workflow.CITY_FIRST,
        opens_on=today - dt.timedelta(days=400),
        closes_on=today + dt.timedelta(days=400),
        scopes=["city", "region"],
        offerings=[{"code": occupation.code, "levels": [3, 2, 1]}],
        published_at=timezone.now(),
    )
    return call


def grow(total: int, *, agencies: int) -> int:
    """Bring the database to ``total`` applications (the filed ones included); returns how many were added."""
    from agencies.models import Call, Organisation
    from filings.examples import sample_application_data
    from filings.models import Application
    from portal.models import Region, User

    if not Organisation.objects.exists():
        _agencies(agencies)
        _officials()
        _call()
    existing = Application.objects.count()
    if existing >= total:
        return 0
    call = Call.objects.get(code="load-security-manager")
    version = call.versions.get()
    clerk = User.objects.get(username="load-centre")
    cities = list(Region.objects.filter(level=Region.Level.CITY, code__startswith="45").order_by("code"))
    organisations = list(Organisation.objects.filter(region__in=cities).order_by("pk").only("pk", "region_id"))
    if not organisations:
        organisations = list(Organisation.objects.order_by("pk").only("pk", "region_id"))
    data = sample_application_data(organisations[0], occupations=[("3-02-02-00", "保卫管理员", 3)])
    states = [state for state, share in STATES.items() for _ in range(share)]
    # One statement: PostgreSQL makes the rows itself (generate_series), the same rows the ORM loop made.
    computed = {
        "organisation_id": "(%(organisations)s::bigint[])[1 + n %% cardinality(%(organisations)s::bigint[])]",
        "region_id": "(%(cities)s::bigint[])[1 + n %% cardinality(%(cities)s::bigint[])]",
        "call_id": "%(call)s",
        "call_version_id": "%(version)s",
        "reference": "CASE WHEN st = 'draft' THEN NULL ELSE 'LOAD-' || lpad(n::text, 7, '0') END",
        "state": "st",
        "scope": "CASE WHEN n %% 3 = 0 THEN 'region' ELSE 'city' END",
        "data": "%(data)s::jsonb",
        "created": "now()",
        "updated": "now()",
        "created_by_id": "%(clerk)s",
        "submitted_at": "CASE WHEN st = 'draft' THEN NULL ELSE started END",
        "stage_started_at": "started",
        "deadline": "CASE WHEN st = 'draft' THEN NULL ELSE current_date + (n %% 30 - 10) END",
        "panel_score": "CASE WHEN st IN ('assessed', 'selected', 'not_selected') THEN 60 + n %% 40 END",
    }
    params = {
        "organisations": [o.pk for o in organisations],
        "cities": [c.pk for c in cities],
        "call": call.pk,
        "version": version.pk,
        "data": json.dumps(data, ensure_ascii=False, cls=DjangoJSONEncoder),
        "clerk": clerk.pk,
        "states": states,
        "start": existing,
        "stop": total,
    }
    columns, values = [], []
    for field in Application._meta.concrete_fields:
        if field.primary_key:
            continue
        columns.append(field.column)
        if field.column in computed:
            values.append(computed[field.column])
        else:  # the model's default (an empty text, list or mapping, or NULL)
            params[f"default_{field.column}"] = field.get_db_prep_save(field.get_default(), connection)
            values.append(f"%(default_{field.column})s")
    sql = f"""
        INSERT INTO {Application._meta.db_table} ({", ".join(columns)})
        SELECT {", ".join(values)}
        FROM (
            SELECT n, (%(states)s::text[])[1 + (n * 7919) %% cardinality(%(states)s::text[])] AS st,
                   now() - make_interval(days => n %% 60, hours => n %% 24) AS started
            FROM generate_series(%(start)s, %(stop)s - 1) AS n
        ) AS g
    """
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        added = cursor.rowcount
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    return added


def certificates(count: int) -> str:
    """``count`` certificates written with SQL (``INSERT … SELECT generate_series``, server-side), plus the one
    of ``HOLDER``, whose number is returned; kept when the database already has them (a second run reuses them)."""
    from bench.certificates import HOLDER, HOLDER_ID, setup_session
    from certificates import crypto
    from certificates.idnumbers import mask_id
    from certificates.models import Candidate, Certificate

    known = Certificate.objects.filter(holder_name=HOLDER).first()
    if known is not None:  # built by an earlier run
        return known.number
    session, _agency = setup_session(n=2)
    plan = session.plan
    # Every column of the two tables is written (the rest with its model default), so that a column added to the
    # models later cannot break the bench with a NOT NULL violation.
    _insert(
        Candidate,
        {
            "session_id": "%(session)s",
            "row": "i",
            "name": "'考生' || i",
            "id_cipher": "'\\x00'::bytea",
            "id_hash": "md5(i::text) || md5('x' || i::text)",
            "id_masked": "'4501**********0000'",
            "gender": "'M'",
            "level": "5",
            "passed": "true",
        },
        "generate_series(1, %(count)s) AS i",
        {"session": session.pk, "count": count},
    )
    _insert(
        Certificate,
        {
            "number": """'B' || lpad(c."row"::text, 21, '0')""",
            "candidate_id": "c.id",
            "entry_id": "%(entry)s",
            "holder_name": "c.name",
            "id_hash": "c.id_hash",
            "id_masked": "c.id_masked",
            "occupation_id": "%(occupation)s",
            "level": "5",
            "issued_on": """current_date - (c."row" %% 700)""",
            "status": "'valid'",
        },
        "certificates_candidate c WHERE c.session_id = %(session)s",
        {"entry": plan.entry_id, "occupation": plan.occupation_id, "session": session.pk},
    )
    candidate = Candidate.objects.create(
        session=session,
        row=count + 1,
        name=HOLDER,
        id_cipher=crypto.encrypt(HOLDER_ID),
        id_hash=crypto.lookup_hash(HOLDER_ID),
        id_masked=mask_id(HOLDER_ID),
        gender="M",
        level=5,
        passed=True,
    )
    certificate = Certificate.objects.create(
        number="S000045000001265999999",
        candidate=candidate,
        entry=plan.entry,
        holder_name=HOLDER,
        id_hash=candidate.id_hash,
        id_masked=candidate.id_masked,
        occupation=plan.occupation,
        level=5,
        issued_on=plan.first_day,
    )
    from certificates.services import tallies_rebuild

    tallies_rebuild(session=session)  # what the statistics page reads (certificates_issue writes them)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    return certificate.number


def _insert(model, values: dict[str, str], source: str, params: dict, *, conflict: str = "") -> int:
    """``INSERT INTO`` the model's table ``SELECT`` every concrete column but the key from ``source``: the SQL
    expression ``values`` gives for it (by column name), else the field's default (an empty text, list or
    mapping, ``now()`` for a time stamp, or NULL). A NOT NULL column left without either fails loudly: the rows
    keep every invariant of the models. ``conflict``: what follows ``ON CONFLICT`` (rows already written by an
    earlier run are skipped). Returns the number of rows written."""
    quote = connection.ops.quote_name
    params = dict(params)
    columns, expressions = [], []
    for field in model._meta.concrete_fields:
        if field.primary_key:
            continue
        columns.append(quote(field.column))
        if field.column in values:
            expressions.append(values[field.column])
        else:
            params[f"default_{field.column}"] = field.get_db_prep_save(field.get_default(), connection)
            expressions.append(f"%(default_{field.column})s")
    unknown = set(values) - {field.column for field in model._meta.concrete_fields}
    assert not unknown, (model, unknown)
    sql = f"INSERT INTO {model._meta.db_table} ({', '.join(columns)}) SELECT {', '.join(expressions)} FROM {source}"
    if conflict:
        sql += f" ON CONFLICT {conflict}"
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.rowcount


# ---------------------------------------------------------------- supervision and results at scale
#
# Proportional to the size (applications): police registrations for one filed agency in 20 applications (every
# agency at 100,000) plus a registration in a second city for one in four of those filed beyond their city; an
# evaluation plan for one application in ten (10,000 at 100,000: two per agency over two years, from 18 months
# ago to 6 months ahead) in every state, with the cross-region reports a plan outside the agency's city needs;
# a results session with 10 candidates for two in three past announced evaluations, in every state, and the
# certificates (with their tallies) of the issued ones; one complaint and one inspection in 50 applications (over
# the Guangxi agencies, in every state, with findings and rectification orders in every state), one sanction in
# 500, and the credit record lines of each. Each city of the reference regions gets its HR bureau and police
# with one official each (``load-hr-<code>``, ``load-police-<code>``; 南宁's are ``load-city`` and
# ``load-police``), who decide, handle and inspect.

# Rows per application, by table (1 / ratio).
REGISTRATIONS_PER = 20
PLANS_PER = 10
COMPLAINTS_PER = 50
INSPECTIONS_PER = 50
SANCTIONS_PER = 500
CANDIDATES = 10
STRIDE = 7919  # a prime: entries taken in a scattered order, so that a small size spreads over every city


def _supervision_people():
    """The HR bureau and police of every city of the reference regions, one official each, and the agency user
    that writes the plans and sessions. Returns (cities, agency user)."""
    from agencies.models import DirectoryEntry
    from portal.models import Department, Region, Role, User

    kind = Department.Kind
    cities = list(Region.objects.filter(level=Region.Level.CITY).order_by("code"))
    rows = []
    for city in cities:
        hr, _created = Department.objects.get_or_create(
            name=f"{city.name}人力资源和社会保障局", defaults={"kind": kind.HR_BUREAU, "region": city}
        )
        police, _created = Department.objects.get_or_create(
            name=f"{city.name}公安局", defaults={"kind": kind.PUBLIC_SECURITY, "region": city}
        )
        hr_name = "load-city" if city.code == "450100" else f"load-hr-{city.code}"
        police_name = "load-police" if city.code == "450100" else f"load-police-{city.code}"
        hr_user, _created = User.objects.get_or_create(
            username=hr_name, defaults={"role": Role.CITY_HR, "department": hr, "is_active": True}
        )
        police_user, _created = User.objects.get_or_create(
            username=police_name, defaults={"role": Role.POLICE, "department": police, "is_active": True}
        )
        rows.append((city.pk, hr.pk, hr_user.pk, police_user.pk))
    entry = DirectoryEntry.objects.order_by("pk").first()
    agency, _created = User.objects.get_or_create(
        username="load-agency", defaults={"role": Role.AGENCY, "organisation_id": entry.organisation_id}
    )
    return rows, agency


def _supervision_tables(cities: list[tuple]) -> tuple[int, int]:
    """Two temporary tables the statements below join: ``load_city`` (a city's HR bureau and officials) and
    ``load_entry`` (the filed agencies in a scattered order, each with its city, a second city of its province
    and its place among the Guangxi ones). Returns (agencies, Guangxi agencies)."""
    from agencies.models import DirectoryEntry
    from portal.models import Region

    regions = {r.pk: r for r in Region.objects.all()}
    by_province: dict[str, list[int]] = {}
    for region in sorted(regions.values(), key=lambda r: r.code):
        if region.level == Region.Level.CITY:
            by_province.setdefault(region.code[:2], []).append(region.pk)
    # The directory's agencies (not the certificate bench's own, made after them).
    entries = list(
        DirectoryEntry.objects.exclude(organisation__name__startswith="南宁基准")
        .order_by("pk")
        .values_list("pk", "region_id", "scope", "status")
    )

    def city_of(region):  # a county's city; None for a county of a municipality (重庆: no city to register in)
        city = region if region.level == Region.Level.CITY else regions.get(region.parent_id)
        return city if city is not None and city.level == Region.Level.CITY else None

    entries = [entry for entry in entries if city_of(regions[entry[1]]) is not None]
    count = len(entries)
    rows, guangxi = [], 0
    for idx in range(count):
        pk, region_id, scope, status = entries[(idx * STRIDE) % count]
        region = regions[region_id]
        home = city_of(region).pk
        siblings = by_province[region.code[:2]]
        away = siblings[(siblings.index(home) + 1 + pk % 3) % len(siblings)]
        gx = None
        if region.code.startswith("45"):
            gx, guangxi = guangxi, guangxi + 1
        rows.append((idx, pk, region_id, home, away, scope, status, gx))
    with connection.cursor() as cursor:
        cursor.execute("DROP TABLE IF EXISTS load_city; DROP TABLE IF EXISTS load_entry")
        cursor.execute(
            "CREATE TEMP TABLE load_city AS SELECT * FROM unnest(%s::bigint[], %s::bigint[], %s::bigint[], "
            "%s::bigint[]) AS t(city_id, hr_dept, hr_user, police_user)",
            [list(column) for column in zip(*cities, strict=True)],
        )
        cursor.execute(
            "CREATE TEMP TABLE load_entry AS SELECT * FROM unnest(%s::int[], %s::bigint[], %s::bigint[], "
            "%s::bigint[], %s::bigint[], %s::text[], %s::text[], %s::int[]) "
            "AS t(idx, entry_id, region_id, home, away, scope, status, gx)",
            [list(column) for column in zip(*rows, strict=True)],
        )
        cursor.execute("CREATE INDEX ON load_entry (idx); CREATE INDEX ON load_entry (gx); ANALYZE load_entry")
    return count, guangxi


def supervision(size: int) -> dict[str, int]:
    """Bring the supervision and results data to its share of ``size`` applications (see above); a second run
    finds the rows and adds only what is missing. Returns the rows written, by table."""
    with transaction.atomic():  # all or nothing: a failed run leaves the data as it found it
        return _supervision(size)


def _supervision(size: int) -> dict[str, int]:
    from certificates.models import Candidate, Certificate, Session, Tally
    from supervision.models import (
        Complaint,
        ComplaintEvent,
        CreditRecord,
        CrossRegionReport,
        Finding,
        Inspection,
        Plan,
        PoliceRegistration,
        Rectification,
        RegistrationEvent,
        Sanction,
    )

    cities, agency = _supervision_people()
    count, guangxi = _supervision_tables(cities)
    added: dict[str, int] = {}
    p = {"agency": agency.pk, "count": count, "guangxi": guangxi}

    # Police registrations: each agency with the police of its own city; one in four of those filed beyond
    # their city also with a second city. 15 % awaiting the police, 10 % returned, the rest confirmed.
    registered = min(count, size // REGISTRATIONS_PER)
    status = "CASE WHEN e.idx %% 20 < 3 THEN 'submitted' WHEN e.idx %% 20 < 5 THEN 'returned' ELSE 'confirmed' END"
    for label, city, where in (
        ("registrations (own city)", "e.home", "TRUE"),
        ("registrations (second city)", "e.away", "e.idx %% 4 = 0 AND e.scope <> 'city' AND e.away <> e.home"),
    ):
        added[label] = _insert(
            PoliceRegistration,
            {
                "entry_id": "e.entry_id",
                "city_id": city,
                "home": f"{city} = e.region_id",
                "responsible": "'韦' || (ARRAY['立新', '海燕', '建国', '秀梅'])[1 + e.idx %% 4]",
                "phone": "'0771-' || lpad((5200000 + e.idx)::text, 7, '0')",
                "sites": "'考点一：' || c.city_id || ' 号路 ' || (1 + e.idx %% 90) || ' 号'",
                "status": status,
                "submitted_at": "now() - make_interval(days => (e.idx * 13) %% 700 + 3)",
                "decided_at": f"CASE WHEN {status} = 'submitted' THEN NULL "
                "ELSE now() - make_interval(days => (e.idx * 13) %% 700) END",
                "decided_by_id": f"CASE WHEN {status} = 'submitted' THEN NULL ELSE c.police_user END",
                "reasons": f"CASE WHEN {status} = 'returned' THEN '考点地址不全，请补充门牌号和联系人。' ELSE '' END",
            },
            f"load_entry e JOIN load_city c ON c.city_id = {city} WHERE e.idx < %(registered)s AND {where}",
            {**p, "registered": registered},
            conflict="ON CONSTRAINT one_registration_per_city DO NOTHING",
        )
    for action, condition, actor, text in (
        ("submit", "TRUE", "%(agency)s", "''"),
        ("confirm", "r.status = 'confirmed'", "r.decided_by_id", "''"),
        ("return", "r.status = 'returned'", "r.decided_by_id", "r.reasons"),
    ):
        added[f"registration events ({action})"] = _insert(
            RegistrationEvent,
            {
                "registration_id": "r.id",
                "action": f"'{action}'",
                "actor_id": actor,
                "time": "r.submitted_at" if action == "submit" else "r.decided_at",
                "text": text,
            },
            f"supervision_policeregistration r WHERE {condition} AND NOT EXISTS (SELECT 1 FROM "
            f"supervision_registrationevent x WHERE x.registration_id = r.id AND x.action = '{action}')",
            p,
        )

    # Evaluation plans over two years (from 540 days ago to 180 days ahead), one in five of an agency filed
    # beyond its city in a second city; past: announced (one in 20 withdrawn); ahead: announced, ready, draft,
    # withdrawn, and, outside the agency's city, awaiting consent or refused.
    existing = Plan.objects.filter(created_by=agency).count()
    target = size // PLANS_PER
    from agencies.models import Occupation

    guard = Occupation.objects.get(code="4-07-05-01").pk  # 保安员, levels 5 to 3
    manager = Occupation.objects.get(code="3-02-02-00").pk  # 保卫管理员, levels 3 to 1
    city = "CASE WHEN n %% 5 = 0 AND e.scope <> 'city' THEN e.away ELSE e.home END"
    day = "current_date + ((n * 37) %% 720 - 540)"
    status = f"""CASE
        WHEN {day} <= current_date THEN CASE WHEN n %% 20 = 0 THEN 'withdrawn' ELSE 'announced' END
        WHEN n %% 20 IN (0, 1) THEN 'draft'
        WHEN n %% 20 = 2 THEN 'withdrawn'
        WHEN n %% 20 = 3 THEN 'ready'
        WHEN n %% 20 = 4 AND ({city}) <> e.region_id THEN 'awaiting_consent'
        WHEN n %% 20 = 5 AND ({city}) <> e.region_id THEN 'refused'
        ELSE 'announced' END"""
    added["plans"] = _insert(
        Plan,
        {
            "entry_id": "e.entry_id",
            "city_id": city,
            "occupation_id": "CASE WHEN n %% 4 = 0 THEN %(guard)s ELSE %(manager)s END",
            "level": "CASE WHEN n %% 4 = 0 THEN 5 - (n / 4) %% 3 ELSE 3 - n %% 3 END",
            "first_day": day,
            "last_day": f"{day} + n %% 3",
            "venue": "'第' || (1 + n %% 9) || '考场'",
            "venue_address": "'民族大道 ' || (1 + n %% 200) || ' 号'",
            "expected_candidates": "20 + n %% 80",
            "examiners": """'["黄立新", "韦海燕", "陆建国"]'::jsonb""",
            "supervisor": "'覃秀梅'",
            "fee": "300 + (n %% 5) * 50",
            "notes": "'报名请携带身份证原件。'",
            "status": status,
            "created_by_id": "%(agency)s",
            "created": f"({day})::timestamptz - interval '30 days'",
            "announced_at": f"CASE WHEN {status} = 'announced' THEN ({day})::timestamptz - interval '15 days' END",
        },
        "generate_series(%(start)s, %(stop)s - 1) AS n JOIN load_entry e ON e.idx = n %% %(count)s",
        {
            **p,
            "start": existing,
            "stop": target,
            "guard": guard,
            "manager": manager,
        },
    )
    status = """CASE p.status WHEN 'awaiting_consent' THEN 'pending' WHEN 'refused' THEN 'refused'
        ELSE 'consented' END"""
    added["cross-region reports"] = _insert(
        CrossRegionReport,
        {
            "plan_id": "p.id",
            "department_id": "c.hr_dept",
            "status": status,
            "submitted_at": "p.created + interval '1 day'",
            "deadline": "(p.created + interval '15 days')::date",
            "decided_at": f"CASE WHEN {status} = 'pending' THEN NULL ELSE p.created + interval '5 days' END",
            "decided_by_id": f"CASE WHEN {status} = 'pending' THEN NULL ELSE c.hr_user END",
            "reasons": f"CASE WHEN {status} = 'refused' THEN '考点与本市同期认定活动冲突，请调整日期。' ELSE '' END",
        },
        "supervision_plan p JOIN agencies_directoryentry d ON d.id = p.entry_id "
        "JOIN load_city c ON c.city_id = p.city_id "
        "WHERE p.created_by_id = %(agency)s AND p.city_id <> d.region_id AND p.status <> 'draft'",
        p,
        conflict="(plan_id) DO NOTHING",
    )

    # Results sessions: two in three past announced evaluations, in every state (the older the further on).
    status = """(ARRAY['results', 'publicity', 'publicised', 'reported', 'returned', 'approved', 'issued',
        'issued', 'issued', 'issued'])[1 + p.id %% 10]"""
    decided = f"{status} IN ('returned', 'approved', 'issued')"
    added["sessions"] = _insert(
        Session,
        {
            "plan_id": "p.id",
            "status": status,
            "created_by_id": "%(agency)s",
            "created": "p.last_day::timestamptz + interval '1 day'",
            "imported_at": "p.last_day::timestamptz + interval '2 days'",
            "publicised_on": f"CASE WHEN {status} NOT IN ('results', 'publicity') THEN p.last_day + 12 END",
            "report_due": f"CASE WHEN {status} NOT IN ('results', 'publicity') THEN p.last_day + 26 END",
            "reported_at": f"CASE WHEN {status} IN ('reported', 'returned', 'approved', 'issued') "
            "THEN p.last_day::timestamptz + interval '20 days' END",
            "decided_at": f"CASE WHEN {decided} THEN p.last_day::timestamptz + interval '25 days' END",
            "decided_by_id": f"CASE WHEN {decided} THEN c.hr_user END",
            "return_reasons": f"CASE WHEN {status} = 'returned' THEN '第 3 行考生理论成绩与原始记录不符。' ELSE '' END",
        },
        "supervision_plan p JOIN load_city c ON c.city_id = p.city_id WHERE p.created_by_id = %(agency)s "
        "AND p.status = 'announced' AND p.last_day < current_date AND p.id %% 3 <> 2",
        p,
        conflict="(plan_id) DO NOTHING",
    )
    added["candidates"] = _insert(
        Candidate,
        {
            "session_id": "s.id",
            "row": "i",
            "name": "(ARRAY['黄', '韦', '陆', '覃', '梁', '李'])[1 + (s.id + i) %% 6] || "
            "(ARRAY['立新', '海燕', '建国', '秀梅', '志强'])[1 + i %% 5]",
            "id_cipher": "'\\x00'::bytea",
            "id_hash": "md5('load-' || s.id || '-' || i) || md5('candidate-' || s.id || '-' || i)",
            "id_masked": "'4501**********' || lpad(((s.id * 10 + i) %% 10000)::text, 4, '0')",
            "gender": "CASE WHEN i %% 2 = 0 THEN 'F' ELSE 'M' END",
            "level": "p.level",
            "employer": "CASE WHEN i %% 3 = 0 THEN '南宁轨道交通集团' ELSE '' END",
            "key_unit": "i %% 3 = 0",
            "theory_score": "CASE WHEN i = 7 THEN 52 ELSE 60 + (s.id + i * 7) %% 38 END",
            "skill_score": "60 + (s.id * 3 + i) %% 39",
            "passed": "i <> 7",
        },
        f"certificates_session s JOIN supervision_plan p ON p.id = s.plan_id CROSS JOIN generate_series(1, "
        f"{CANDIDATES}) AS i WHERE p.created_by_id = %(agency)s",
        p,
        conflict="ON CONSTRAINT one_candidate_per_session DO NOTHING",
    )
    # The sessions and candidates just written, counted for the planner: on a database built by earlier rounds (a
    # million candidates of the verification bench, statistics from before these rows) the join below was planned
    # as if they were not there and ran for more than 11 minutes; on fresh statistics it takes seconds.
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE certificates_session; ANALYZE certificates_candidate; ANALYZE supervision_plan")
    added["certificates (issued sessions)"] = _insert(
        Certificate,
        {
            "number": "'L' || lpad(k.id::text, 21, '0')",
            "candidate_id": "k.id",
            "entry_id": "p.entry_id",
            "holder_name": "k.name",
            "id_hash": "k.id_hash",
            "id_masked": "k.id_masked",
            "occupation_id": "p.occupation_id",
            "level": "k.level",
            "issued_on": "p.last_day + 30",
            "status": "CASE WHEN k.id %% 50 = 0 THEN 'revoked' ELSE 'valid' END",
            "revoked_at": "CASE WHEN k.id %% 50 = 0 THEN p.last_day::timestamptz + interval '60 days' END",
            "revoked_reason": "CASE WHEN k.id %% 50 = 0 THEN '以欺骗手段取得证书。' ELSE '' END",
        },
        "certificates_candidate k JOIN certificates_session s ON s.id = k.session_id "
        "JOIN supervision_plan p ON p.id = s.plan_id "
        "WHERE p.created_by_id = %(agency)s AND s.status = 'issued' AND k.passed",
        p,
        conflict="(number) DO NOTHING",
    )
    added["tallies"] = _insert(
        Tally,
        {
            "session_id": "t.session_id",
            "occupation_id": "t.occupation_id",
            "level": "t.level",
            "month": "t.month",
            "total": "t.total",
            "revoked": "t.revoked",
        },
        "(SELECT k.session_id, c.occupation_id, c.level, date_trunc('month', c.issued_on)::date AS month, "
        "count(*) AS total, count(*) FILTER (WHERE c.status = 'revoked') AS revoked "
        "FROM certificates_certificate c JOIN certificates_candidate k ON k.id = c.candidate_id "
        "JOIN certificates_session s ON s.id = k.session_id JOIN supervision_plan p ON p.id = s.plan_id "
        "WHERE p.created_by_id = %(agency)s GROUP BY 1, 2, 3, 4) AS t",
        p,
        conflict="ON CONSTRAINT one_tally_per_group DO NOTHING",
    )

    # Complaints about the Guangxi agencies, in every state; one in three names one of the agency's evaluations.
    status = """(ARRAY['received', 'received', 'accepted', 'accepted', 'investigating', 'investigating',
        'concluded', 'replied', 'replied', 'replied', 'replied', 'declined'])[1 + n %% 12]"""
    created = "now() - make_interval(days => (n * 11) %% 400, hours => n %% 24)"
    concluded = f"{status} IN ('concluded', 'replied')"
    added["complaints"] = _insert(
        Complaint,
        {
            "entry_id": "e.entry_id",
            # The agency's latest announced evaluation held before the complaint.
            "plan_id": "CASE WHEN n %% 3 = 0 THEN (SELECT max(x.id) FROM supervision_plan x "
            f"WHERE x.entry_id = e.entry_id AND x.status = 'announced' AND x.first_day <= ({created})::date) END",
            "happened_on": f"({created})::date - 5",
            "content": "'考场未核验考生身份证件，且有人代考。考试当天监考人员仅两人。'",
            "anonymous": "n %% 4 = 0",
            "name": "CASE WHEN n %% 4 = 0 THEN '' ELSE '梁志强' END",
            "contact": "CASE WHEN n %% 4 = 0 THEN '' ELSE '1390771' || lpad((n %% 10000)::text, 4, '0') END",
            "tracking_code": "'LOADC' || lpad(n::text, 7, '0')",
            "ip": "'127.0.0.1'::inet",
            "created": created,
            "department_id": "c.hr_dept",
            "deadline": f"({created})::date + 28",
            "status": status,
            "outcome": f"CASE WHEN {concluded} THEN (CASE WHEN n %% 2 = 0 THEN 'upheld' ELSE 'not_upheld' END) "
            "ELSE '' END",
            "conclusion": f"CASE WHEN {concluded} THEN '经现场核查，考场身份核验记录不全。' ELSE '' END",
            "reply": f"CASE WHEN {status} IN ('replied', 'declined') THEN '感谢您的监督，已责令机构整改。' ELSE '' END",
            "handler_id": f"CASE WHEN {status} = 'received' THEN NULL ELSE c.hr_user END",
            "replied_at": f"CASE WHEN {status} IN ('replied', 'declined') THEN {created} + interval '20 days' END",
        },
        "generate_series(0, %(stop)s - 1) AS n JOIN load_entry e ON e.gx = n %% %(guangxi)s "
        "JOIN load_city c ON c.city_id = e.home",
        {**p, "stop": size // COMPLAINTS_PER},
        conflict="(tracking_code) DO NOTHING",
    )
    for label, condition, time, actor in (
        ("received", "TRUE", "k.created", "NULL::bigint"),
        ("current", "k.status <> 'received'", "coalesce(k.replied_at, k.created + interval '10 days')", "k.handler_id"),
    ):
        added[f"complaint events ({label})"] = _insert(
            ComplaintEvent,
            {
                "complaint_id": "k.id",
                "status": "'received'" if label == "received" else "k.status",
                "actor_id": actor,
                "time": time,
                "text": "k.reply" if label == "current" else "''",
            },
            f"supervision_complaint k WHERE k.tracking_code LIKE 'LOADC%%' AND {condition} AND NOT EXISTS "
            "(SELECT 1 FROM supervision_complaintevent x WHERE x.complaint_id = k.id AND x.status = "
            f"{'%(received)s' if label == 'received' else 'k.status'})",
            {"received": "received"},
        )

    # Inspections of the Guangxi agencies by their city's HR bureau: after a complaint (one in five), of an
    # evaluation (one in five), or special; one in six still in progress; the others rated.
    existing = Inspection.objects.count()
    rating = "(ARRAY['good', 'adequate', 'poor'])[1 + n %% 3]"
    checklist = f"""jsonb_build_object(
        'identity', jsonb_build_object('result', CASE WHEN {rating} = 'poor' THEN 'fail' ELSE 'ok' END,
            'note', CASE WHEN {rating} = 'poor' THEN '未逐一核验身份证' ELSE '' END),
        'seating', jsonb_build_object('result', 'ok', 'note', ''),
        'video', jsonb_build_object('result', CASE WHEN {rating} = 'good' THEN 'ok' ELSE 'fail' END, 'note', ''),
        'video_linked', jsonb_build_object('result', 'na', 'note', ''),
        'examiners', jsonb_build_object('result', 'ok', 'note', '3 名考评员在场'),
        'supervisor', jsonb_build_object('result', 'ok', 'note', ''),
        'papers', jsonb_build_object('result', 'ok', 'note', ''),
        'notice', jsonb_build_object('result', 'ok', 'note', ''))"""
    complaint = "(SELECT min(k.id) FROM supervision_complaint k WHERE k.entry_id = e.entry_id)"
    open_ = "n %% 6 = 0"
    visited = "current_date - (n * 17) %% 500"
    plan = (  # an announced evaluation of the agency on or before the visit
        "(SELECT max(x.id) FROM supervision_plan x WHERE x.entry_id = e.entry_id AND x.status = 'announced' "
        f"AND x.first_day <= {visited})"
    )
    added["inspections"] = _insert(
        Inspection,
        {
            "entry_id": "e.entry_id",
            "plan_id": f"CASE WHEN n %% 5 = 1 THEN {plan} END",
            "complaint_id": f"CASE WHEN n %% 5 = 0 THEN {complaint} END",
            "source": f"CASE WHEN n %% 5 = 0 AND {complaint} IS NOT NULL THEN 'complaint' ELSE 'special' END",
            "inspector_id": "c.hr_user",
            "department_id": "c.hr_dept",
            "visited_on": visited,
            "checklist": f"CASE WHEN {open_} THEN '{{}}'::jsonb ELSE {checklist} END",
            "rating": f"CASE WHEN {open_} THEN '' ELSE {rating} END",
            "summary": f"CASE WHEN {open_} THEN '' ELSE '考场秩序总体正常，视频监控部分未覆盖。' END",
            "status": f"CASE WHEN {open_} THEN 'open' ELSE 'completed' END",
            "created": f"({visited})::timestamptz",
            "completed_at": f"CASE WHEN {open_} THEN NULL ELSE ({visited})::timestamptz + interval '1 day' END",
        },
        "generate_series(%(start)s, %(stop)s - 1) AS n JOIN load_entry e ON e.gx = (n * 3) %% %(guangxi)s "
        "JOIN load_city c ON c.city_id = e.home",
        {**p, "start": existing, "stop": size // INSPECTIONS_PER},
    )
    with connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO supervision_inspection_team (inspection_id, user_id) SELECT id, inspector_id "
            "FROM supervision_inspection ON CONFLICT DO NOTHING"
        )
    # Findings: one for an adequate inspection, two for a poor one; a rectification order on every other
    # finding, in each of its states.
    added["findings"] = _insert(
        Finding,
        {
            "inspection_id": "i.id",
            "text": "(ARRAY['1 号考场视频监控未开启。', '未逐一核验考生身份证件。'])[j]",
            "created": "i.completed_at",
        },
        "supervision_inspection i CROSS JOIN generate_series(1, 2) AS j WHERE i.status = 'completed' AND "
        "(j = 1 AND i.rating IN ('adequate', 'poor') OR j = 2 AND i.rating = 'poor') AND NOT EXISTS "
        "(SELECT 1 FROM supervision_finding x WHERE x.inspection_id = i.id)",
        {},
    )
    status = "(ARRAY['open', 'answered', 'closed', 'escalated'])[1 + (f.id / 2) %% 4]"
    added["rectifications"] = _insert(
        Rectification,
        {
            "finding_id": "f.id",
            "requirement": "'开启全部考场视频监控并接入管理系统，报送整改报告。'",
            "deadline": "i.visited_on + 21",
            "status": status,
            "ordered_by_id": "i.inspector_id",
            "ordered_at": "f.created",
            "answer": f"CASE WHEN {status} = 'open' THEN '' ELSE '已完成整改，附视频监控截图。' END",
            "answered_at": f"CASE WHEN {status} = 'open' THEN NULL ELSE f.created + interval '10 days' END",
            "decided_by_id": f"CASE WHEN {status} IN ('closed', 'escalated') THEN i.inspector_id END",
            "decided_at": f"CASE WHEN {status} IN ('closed', 'escalated') THEN f.created + interval '15 days' END",
            "note": f"CASE WHEN {status} = 'escalated' THEN '整改不到位。' ELSE '' END",
        },
        "supervision_finding f JOIN supervision_inspection i ON i.id = f.inspection_id WHERE f.id %% 2 = 0",
        {},
        conflict="(finding_id) DO NOTHING",
    )
    # Sanctions: warnings, orders to rectify, suspensions (ended), and removals of the removed agencies.
    kind = "(ARRAY['warning', 'rectification', 'suspension', 'warning'])[1 + n %% 4]"
    decided = "current_date - (n * 29) %% 600"
    added["sanctions"] = _insert(
        Sanction,
        {
            "entry_id": "e.entry_id",
            "kind": f"CASE WHEN e.status = 'removed' THEN 'removal' ELSE {kind} END",
            "number": "'桂人社监〔' || extract(year FROM current_date)::int || '〕L' || lpad(n::text, 6, '0') || '号'",
            "facts": "'评价过程中未按规定核验考生身份，经责令整改后仍未改正。'",
            "basis": "'《关于开展职业技能等级认定试点工作的通知》四（一）'",
            "department_id": "c.hr_dept",
            "decided_by_id": "c.hr_user",
            "decided_on": decided,
            "rectify_by": f"CASE WHEN e.status <> 'removed' AND {kind} = 'rectification' THEN {decided} + 30 END",
            "until": f"CASE WHEN e.status <> 'removed' AND {kind} = 'suspension' THEN {decided} + 90 END",
            "lifted_on": f"CASE WHEN e.status <> 'removed' AND {kind} = 'suspension' THEN {decided} + 90 END",
            "lift_reason": f"CASE WHEN e.status <> 'removed' AND {kind} = 'suspension' THEN '暂停期满。' ELSE '' END",
            "created": f"({decided})::timestamptz",
        },
        "generate_series(0, %(stop)s - 1) AS n JOIN load_entry e ON e.gx = (n * 7) %% %(guangxi)s "
        "JOIN load_city c ON c.city_id = e.home",
        {**p, "stop": size // SANCTIONS_PER},
        conflict="(number) DO NOTHING",
    )
    for label, source in (
        (
            "sanction",
            "'sanction', s.decided_on, '处理决定 ' || s.number, s.decided_by_id, s.id, NULL::bigint, NULL::bigint, "
            "s.entry_id FROM supervision_sanction s WHERE NOT EXISTS (SELECT 1 FROM supervision_creditrecord x "
            "WHERE x.sanction_id = s.id)",
        ),
        (
            "complaint",
            "'complaint', k.replied_at::date, '投诉属实：' || k.conclusion, k.handler_id, NULL, k.id, NULL, k.entry_id "
            "FROM supervision_complaint k WHERE k.outcome = 'upheld' AND k.replied_at IS NOT NULL AND NOT EXISTS "
            "(SELECT 1 FROM supervision_creditrecord x WHERE x.complaint_id = k.id)",
        ),
        (
            "finding",
            "'finding', f.created::date, '督导发现：' || f.text, i.inspector_id, NULL, NULL, f.id, i.entry_id "
            "FROM supervision_finding f JOIN supervision_inspection i ON i.id = f.inspection_id WHERE NOT EXISTS "
            "(SELECT 1 FROM supervision_creditrecord x WHERE x.finding_id = f.id)",
        ),
    ):
        added[f"credit records ({label})"] = _insert(
            CreditRecord,
            {
                "kind": "t.kind",
                "recorded_on": "t.recorded_on",
                "summary": "t.summary",
                "recorded_by_id": "t.recorded_by::bigint",
                "sanction_id": "t.sanction_id::bigint",
                "complaint_id": "t.complaint_id::bigint",
                "finding_id": "t.finding_id::bigint",
                "entry_id": "t.entry_id",
            },
            f"(SELECT {source}) AS t(kind, recorded_on, summary, recorded_by, sanction_id, complaint_id, "
            "finding_id, entry_id)",
            {},
        )
    with connection.cursor() as cursor:
        cursor.execute("DROP TABLE IF EXISTS load_city; DROP TABLE IF EXISTS load_entry; ANALYZE")
    return added
