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
from django.db import connection
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
    with connection.cursor() as cursor:
        cursor.execute(
            """
            INSERT INTO certificates_candidate (session_id, "row", name, id_cipher, id_hash, id_masked, gender,
                work_type, level, guard_card_number, theory_exempt, passed, withheld)
            SELECT %s, i, '考生' || i, '\\x00'::bytea, md5(i::text) || md5('x' || i::text), '4501**********0000',
                'M', '', 5, '', false, true, false
            FROM generate_series(1, %s) AS i
            """,
            [session.pk, count],
        )
        cursor.execute(
            """
            INSERT INTO certificates_certificate (number, candidate_id, entry_id, holder_name, id_hash, id_masked,
                occupation_id, work_type, level, issued_on, status, revoked_reason, pdf)
            SELECT 'B' || lpad(c."row"::text, 21, '0'), c.id, %s, c.name, c.id_hash, c.id_masked, %s, '', 5,
                current_date - (c."row" %% 700), 'valid', '', ''
            FROM certificates_candidate c WHERE c.session_id = %s
            """,
            [plan.entry_id, plan.occupation_id, session.pk],
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
