"""Named people per role and jurisdiction, shared by every test (healthchecks' alice/bob idea)."""

from __future__ import annotations

import io
from dataclasses import dataclass

import pytest
from django.core.cache import cache
from django.db.backends.postgresql.operations import DatabaseOperations

from agencies.models import Organisation
from portal.models import Department, Role, User
from tests.agencies.factories import OrganisationFactory
from tests.portal.factories import DepartmentFactory, UserFactory, region

ROLE_NAMES = [
    "anonymous",
    "agency_nanning",
    "agency_liuzhou",
    "city_nanning",
    "city_liuzhou",
    "centre",
    "expert_assigned",
    "expert_other",
    "police_nanning",
    "police_liuzhou",
    "admin",
]


@dataclass
class People:
    agency_nanning: User
    agency_liuzhou: User
    city_nanning: User
    city_liuzhou: User
    centre: User
    expert_assigned: User
    expert_other: User
    police_nanning: User
    police_liuzhou: User
    admin: User
    org_nanning: Organisation
    org_liuzhou: Organisation

    def get(self, name: str) -> User | None:
        return None if name == "anonymous" else getattr(self, name)


_sql_flush = DatabaseOperations.sql_flush


def _sql_flush_past_the_audit_guard(self, style, tables, **kwargs):
    """A transactional test empties every table with TRUNCATE at its end; the audit log's trigger refuses that
    (portal/migrations/0007_audit_trigger.py), so the test harness, as the tables' owner, sets it aside around
    its own flush. The application never flushes."""
    statements = _sql_flush(self, style, tables, **kwargs)
    if "portal_auditevent" not in tables or not statements:
        return statements
    return [
        "ALTER TABLE portal_auditevent DISABLE TRIGGER USER;",
        *statements,
        "ALTER TABLE portal_auditevent ENABLE TRIGGER USER;",
    ]


DatabaseOperations.sql_flush = _sql_flush_past_the_audit_guard


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _tasks_run_inline(settings):
    """Tasks run inline in tests, whatever broker the environment names (the Celery app reads the Django
    settings on each access); the worker tests (tests/filings/test_worker.py) switch this off again and run a
    real worker against the real broker."""
    settings.CELERY_TASK_ALWAYS_EAGER = True
    # With no worker, the verification log is written at once (tests/certificates/test_verification_log.py
    # switches the Redis buffer on).
    settings.VERIFICATION_LOG_BUFFERED = False
    # Public answers are not cached (tests/portal/test_public_cache.py switches the cache on): a test's
    # transaction never commits, so the services' version bumps (on commit) would not run.
    settings.PUBLIC_CACHE_SECONDS = 0


@pytest.fixture(autouse=True)
def _media_in_a_temporary_folder(settings, tmp_path_factory):
    """Uploads and rendered PDFs of the tests never land in the developer's var/media."""
    settings.MEDIA_ROOT = str(tmp_path_factory.getbasetemp() / "media")


@pytest.fixture(autouse=True)
def _clear_cache():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def people(db) -> People:
    hr = Department.Kind.HR_BUREAU
    police = Department.Kind.PUBLIC_SECURITY
    dept = {
        "centre": DepartmentFactory(
            name="广西壮族自治区职业技能鉴定中心",
            kind=Department.Kind.APPRAISAL_CENTRE,
            region=region("450000"),
        ),
        "city_nanning": DepartmentFactory(name="南宁市人力资源和社会保障局", kind=hr, region=region("450100")),
        "city_liuzhou": DepartmentFactory(name="柳州市人力资源和社会保障局", kind=hr, region=region("450200")),
        "police_nanning": DepartmentFactory(name="南宁市公安局", kind=police, region=region("450100")),
        "police_liuzhou": DepartmentFactory(name="柳州市公安局", kind=police, region=region("450200")),
    }
    org_nanning = OrganisationFactory(name="南宁市安盾职业技能培训学校", region=region("450100"))
    org_liuzhou = OrganisationFactory(name="柳州市护航保安职业培训中心", region=region("450200"))
    return People(
        agency_nanning=UserFactory(username="agency_nanning", role=Role.AGENCY, organisation=org_nanning),
        agency_liuzhou=UserFactory(username="agency_liuzhou", role=Role.AGENCY, organisation=org_liuzhou),
        city_nanning=UserFactory(username="city_nanning", role=Role.CITY_HR, department=dept["city_nanning"]),
        city_liuzhou=UserFactory(username="city_liuzhou", role=Role.CITY_HR, department=dept["city_liuzhou"]),
        centre=UserFactory(username="centre", role=Role.CENTRE, department=dept["centre"]),
        expert_assigned=UserFactory(username="expert_assigned", role=Role.EXPERT),
        expert_other=UserFactory(username="expert_other", role=Role.EXPERT),
        police_nanning=UserFactory(username="police_nanning", role=Role.POLICE, department=dept["police_nanning"]),
        police_liuzhou=UserFactory(username="police_liuzhou", role=Role.POLICE, department=dept["police_liuzhou"]),
        admin=UserFactory(username="admin", role=Role.ADMIN, is_staff=True, is_superuser=True),
        org_nanning=org_nanning,
        org_liuzhou=org_liuzhou,
    )


@pytest.fixture
def client_for(client):
    """A test client signed in as the named person (or anonymous)."""

    def make(person: User | None):
        client.logout()
        if person is not None:
            client.force_login(person, backend="django.contrib.auth.backends.ModelBackend")
        return client

    return make


@pytest.fixture
def reference_data(transactional_db):
    """Transactional tests flush the database after each test, reference rows from migrations included."""
    from agencies.models import ConditionProfile, Occupation
    from agencies.profiles import load_profiles
    from agencies.reference import load_occupations
    from certificates.models import PassRule
    from certificates.reference import load_pass_rules
    from portal.models import Region
    from portal.reference import load_regions

    load_regions(Region)
    load_occupations(Occupation)
    load_profiles(ConditionProfile)
    load_pass_rules(PassRule, Occupation)


# The demo accounts and their password, as the README's table gives them to a tester (``manage.py seed_demo``
# makes them; tests that drive the demo run that command rather than importing any app's demo module).
DEMO_PASSWORD = "Portal-demo-2026"
DEMO_ACCOUNTS = [
    "admin",
    "centre",
    "city_nanning",
    "city_liuzhou",
    "police_nanning",
    "police_liuzhou",
    "expert1",
    "expert2",
    "agency_nanning",
    "agency_liuzhou",
]


def seed_demo() -> None:
    """What `make run` loads: every app's demo, through the command (it refuses to run when DEBUG is off)."""
    from django.core.management import call_command
    from django.test import override_settings

    with override_settings(DEBUG=True):
        call_command("seed_demo", stdout=io.StringIO())
