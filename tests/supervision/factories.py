"""Filed agencies with a real filing behind them, and the plans and registrations of supervision built on them.

A filed agency here went the whole way: its application (the 附件2 form of ``filings.examples``) was submitted
under a Guangxi call, publicised, reported to the ministry and approved, which entered it in the directory.
Its roster (考评人员, 内部质量督导员) is the filed version's, with the names below so the tests can name them.
"""

from __future__ import annotations

import datetime as dt
from contextlib import contextmanager
from unittest import mock

from agencies.models import DirectoryEntry, Occupation
from portal.models import Department, Region, Role, User
from tests.filings.factories import GX_MATERIALS, make_call
from tests.portal.factories import DepartmentFactory, UserFactory, region

SECURITY_MANAGER = ("3-02-02-00", "保卫管理员")
SECURITY_GUARD = ("4-07-05-01", "保安员")

# The filed roster: four examiners per occupation; two internal quality supervisors, one of whom (黄建华) is
# also an examiner of 保卫管理员 — the filing allows it, a plan must keep the two roles apart.
EXAMINERS = {
    "保卫管理员": ["黄建华", "韦海燕", "李秀兰", "陈春梅"],
    "保安员": ["覃志强", "莫文杰", "蒙明辉", "梁丽萍"],
}
SUPERVISORS = ["潘国庆", "黄建华"]
SUPERVISOR = "潘国庆"  # on the roster as supervisor only

NANNING, LIUZHOU, GUILIN = "450100", "450200", "450300"
XIAN = "610100"


@contextmanager
def today_is(day: dt.date):
    """The portal's today (``timezone.localdate``) is ``day``."""
    with mock.patch("django.utils.timezone.localdate", return_value=day):
        yield


def filed_agency(
    organisation,
    agency: User,
    centre: User,
    *,
    scope: str = "region",
    occupations=((*SECURITY_MANAGER, (3, 2, 1)),),
) -> DirectoryEntry:
    """``organisation``'s filing, submitted by ``agency`` and approved through the centre (``centre``): its
    directory entry. ``occupations`` are (code, name, levels) triples, all offered by the call and filed."""
    from filings.examples import sample_application_data, sample_pdf
    from filings.models import Application, State
    from filings.services import (
        application_create,
        application_save_draft,
        application_submit,
        attachment_add,
        ministry_report,
        ministry_result,
    )

    call = make_call(
        f"supervision-{organisation.pk}",
        offerings=[{"occupation": code, "levels": list(levels)} for code, _name, levels in occupations],
    )
    application = application_create(organisation=organisation, call=call, by=agency)
    rows = [(code, name, level) for code, name, levels in occupations for level in levels]
    data = sample_application_data(organisation, occupations=rows, scope=scope)
    _name_roster(data)
    application_save_draft(application=application, data=data, by=agency)
    for material in GX_MATERIALS:
        attachment_add(application=application, material=material["code"], uploaded=sample_pdf("scan"), by=agency)
    legal = data["basic"]["legal_representative"]
    application_submit(application=application, by=agency, commitment_name=legal, consent=True)
    # The review (city, centre, experts, publicity) is the filings tests' business: straight to publicised.
    Application.objects.filter(pk=application.pk).update(state=State.PUBLICISED)
    today = _real_today()
    ministry_report(application=application, by=centre, reported_on=today)
    ministry_result(application=application, by=centre, approved=True, result_on=today)
    application.refresh_from_db()
    entry = application.directory_entry
    assert entry is not None and entry.scope == scope
    return entry


def _real_today() -> dt.date:
    from django.utils import timezone

    return timezone.localdate()


def _name_roster(data: dict) -> None:
    """Give the sample form's examiners and supervisors the names of ``EXAMINERS`` and ``SUPERVISORS``."""
    taken: dict[str, int] = {}
    for row in data["examiners"]:
        occupation = row["occupation"]
        index = taken.get(occupation, 0)
        row["name"] = EXAMINERS[occupation][index]
        taken[occupation] = index + 1
    data["supervisors"] = [{**data["supervisors"][0], "name": name} for name in SUPERVISORS]


def occupation(code: str = SECURITY_MANAGER[0]) -> Occupation:
    return Occupation.objects.get(code=code)


def plan_fields(**overrides) -> dict:
    """A complete plan in 南宁 for 保卫管理员 level 3: three examiners of the roster, the supervisor apart."""
    fields = {
        "city": region(NANNING),
        "occupation": occupation(),
        "work_type": "",
        "level": 3,
        "first_day": dt.date(2026, 3, 16),
        "last_day": dt.date(2026, 3, 17),
        "venue": "南宁市安盾职业技能培训学校考点",
        "venue_address": "南宁市青秀区民族大道136号",
        "expected_candidates": 60,
        "examiners": ["韦海燕", "李秀兰", "陈春梅"],
        "supervisor": SUPERVISOR,
        "fee": "380.00",
        "notes": "保卫管理员三级/高级工认定，理论知识考试与操作技能考核。",
    }
    fields.update(overrides)
    return fields


def official(username: str, role: str, department_name: str, kind: str, code: str) -> User:
    """An official of a department of the region ``code`` (e.g. the provincial public-security department)."""
    department = DepartmentFactory(name=department_name, kind=kind, region=region(code))
    return UserFactory(username=username, role=role, department=department)


def provincial_police() -> User:
    return official("police_guangxi", Role.POLICE, "广西壮族自治区公安厅", Department.Kind.PUBLIC_SECURITY, "450000")


def city(code: str) -> Region:
    return region(code)


def city_scope_agency(people) -> tuple[DirectoryEntry, User]:
    """A city-wide agency of 柳州 (filed for 保卫管理员 level 3, the highest a city scope allows) and its user."""
    from tests.agencies.factories import OrganisationFactory

    organisation = OrganisationFactory(
        name="柳州市城中区平安保安培训学校", uscc="52450200MJ0000000X", region=region(LIUZHOU)
    )
    agency = UserFactory(username="agency_liuzhou_city", role=Role.AGENCY, organisation=organisation)
    entry = filed_agency(organisation, agency, people.centre, scope="city", occupations=((*SECURITY_MANAGER, (3,)),))
    return entry, agency


def new_plan(entry: DirectoryEntry, by: User, **overrides):
    """A plan saved through the service (a draft), from ``plan_fields`` with ``overrides``."""
    from supervision.services import plan_save

    return plan_save(entry=entry, by=by, **plan_fields(**overrides))


def liuzhou_venue(**overrides) -> dict:
    """The fields that move a plan to a venue of 柳州."""
    return {
        "city": region(LIUZHOU),
        "venue": "柳州市职业技能公共实训基地",
        "venue_address": "柳州市城中区文昌路19号",
        **overrides,
    }


def issued(inspection, by: User, rating: str = "poor"):
    """The inspection completed (every checklist item answered, rated): its findings and rectification orders are
    issued to the agency only then."""
    from supervision.models import CHECKLIST
    from supervision.services.inspections import inspection_checklist_save, inspection_complete

    results = {code: {"result": "ok", "note": ""} for code, _label in CHECKLIST}
    inspection_checklist_save(inspection=inspection, by=by, results=results)
    return inspection_complete(inspection=inspection, by=by, rating=rating, summary="现场督导完成。")
