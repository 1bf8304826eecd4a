"""Named people per role and jurisdiction, shared by every test (healthchecks' alice/bob idea)."""

from __future__ import annotations

import io
from dataclasses import dataclass

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.cache import cache
from django.db.backends.postgresql.operations import DatabaseOperations
from django.test import Client

from agencies.models import Organisation
from portal.models import Department, Role, User
from tests.agencies.factories import OrganisationFactory
from tests.filings.factories import ExpertFactory
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
def _site_language_between_tests():
    """Each test starts in the site's language, as each request of a server does: the test client's request in
    English leaves English active in the thread (LocaleMiddleware activates, nothing deactivates), and a later
    test calling a service directly would write its messages in English."""
    from django.conf import settings as site
    from django.utils import translation

    translation.activate(site.LANGUAGE_CODE)
    yield
    translation.activate(site.LANGUAGE_CODE)


@pytest.fixture(autouse=True)
def _media_in_a_temporary_folder(settings, tmp_path_factory):
    """Uploads and rendered PDFs of the tests never land in the developer's var/media."""
    settings.MEDIA_ROOT = str(tmp_path_factory.getbasetemp() / "media")


@pytest.fixture(autouse=True)
def _clear_cache():
    cache.clear()
    yield
    cache.clear()
    # A flush makes new content types and a copied demo brings back its own (tests/demo_snapshot.py).
    ContentType.objects.clear_cache()


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
        # Experts of Guangxi's pool, as the centre finds them (a panel takes no expert without a pool profile).
        expert_assigned=ExpertFactory(username="expert_assigned"),
        expert_other=ExpertFactory(username="expert_other"),
        police_nanning=UserFactory(username="police_nanning", role=Role.POLICE, department=dept["police_nanning"]),
        police_liuzhou=UserFactory(username="police_liuzhou", role=Role.POLICE, department=dept["police_liuzhou"]),
        admin=UserFactory(username="admin", role=Role.ADMIN, is_staff=True, is_superuser=True),
        org_nanning=org_nanning,
        org_liuzhou=org_liuzhou,
    )


@pytest.fixture(autouse=True)
def _force_login_passes_the_second_factor(monkeypatch):
    """``client.force_login(official)`` gives a session that passed the second step too, as the official's
    signing in with password and code would: the one place Django-client tests get past the second factor.
    The second factor's own tests sign in through the pages (tests/portal/test_second_factor.py)."""
    from django_otp import DEVICE_ID_SESSION_KEY

    from portal.second_factor.services import authenticator_of, authenticator_set, needs_second_factor

    force_login = Client.force_login

    def force_login_verified(self, user, backend=None):
        force_login(self, user, backend)
        if needs_second_factor(user):
            device = authenticator_of(user) or authenticator_set(user=user, secret=TEST_TOTP_SECRET)
            session = self.session
            session[DEVICE_ID_SESSION_KEY] = device.persistent_id
            session.save()

    monkeypatch.setattr(Client, "force_login", force_login_verified)


# The authenticator secret the tests give an official who needs one (base32, as an app takes it).
TEST_TOTP_SECRET = "OCUKLVKNNDWD7NH2TURTZUK4RIIQLRYT"


@pytest.fixture
def round_trips(monkeypatch):
    """The Redis round trips made (one per packed send: a script or a pipeline is one)."""
    from redis.connection import AbstractConnection

    sent: list[bytes] = []
    send = AbstractConnection.send_packed_command

    def counted(self, command, check_health=True):
        sent.append(command)
        return send(self, command, check_health)

    monkeypatch.setattr(AbstractConnection, "send_packed_command", counted)
    return sent


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


def captcha_solved() -> dict[str, str]:
    """The two fields of a public form's picture challenge, answered right: a new picture's key and the letters
    it shows, read from django-simple-captcha's store (what a person reads off the picture)."""
    from captcha.models import CaptchaStore

    store = CaptchaStore.objects.get(hashkey=CaptchaStore.generate_key())
    return {"captcha_0": store.hashkey, "captcha_1": store.response}


def captcha_on(page: str, *, right: bool = True) -> dict[str, str]:
    """The picture challenge of a form as the page shows it: its key, and the letters its picture shows (read
    from captcha's store, as a person reads the picture) or a wrong answer."""
    import re

    from captcha.models import CaptchaStore

    key = re.search(r'name="captcha_0" value="([0-9a-f]{40})"', page).group(1)
    answer = CaptchaStore.objects.get(hashkey=key).response if right else "wrong"
    return {"captcha_0": key, "captcha_1": answer}


# The demo officials' authenticator secrets, as the README's demo-account table gives them.
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


def totp_code(username: str, secret: str | None = None) -> str:
    """A code an authenticator app set up with the user's secret shows now or 30 seconds later (the portal also
    accepts those of 30 seconds before): the earliest not yet used, since each code is accepted once."""
    import base64
    import time

    from django_otp.oath import TOTP
    from django_otp.plugins.otp_totp.models import TOTPDevice

    key = base64.b32decode(secret or DEMO_TOTP_SECRETS.get(username) or TEST_TOTP_SECRET)
    device = TOTPDevice.objects.filter(user__username=username, confirmed=True).first()
    last_t, drift = (device.last_t, device.drift) if device else (-1, 0)
    # The current step, else the next: the portal accepts one step either side, so the code still holds when the
    # clock passes a step boundary before the form arrives (the previous step's code would not).
    for step in (drift, drift + 1):
        code = TOTP(key, drift=step)
        if code.t() > last_t:
            return f"{code.token():06d}"
    time.sleep(30 - time.time() % 30 + 0.5)  # both steps spent: wait for the next one
    return totp_code(username, secret)


def seed_demo(*, fresh: bool = False) -> None:
    """What `make run` loads: every app's demo, through the command (it refuses to run when DEBUG is off).

    On PostgreSQL the command runs once per test process and later tests get its tables copied back
    (tests/demo_snapshot.py); ``fresh`` runs the command whatever is kept, for the tests of the command itself.
    """
    from django.core.management import call_command
    from django.test import override_settings

    from tests import demo_snapshot

    if not fresh and demo_snapshot.restore():
        return
    first = demo_snapshot.usable()
    with override_settings(DEBUG=True):
        call_command("seed_demo", stdout=io.StringIO())
    if first:
        demo_snapshot.keep()
