"""Sessions of results for the certificates tests: a filed agency (written straight into the directory), an
announced plan whose exam day has passed, its session, and results workbooks built from the template."""

from __future__ import annotations

import datetime as dt
from io import BytesIO

from django.utils import timezone
from openpyxl import load_workbook

from agencies.models import DirectoryEntry, Occupation
from certificates.importing import template_workbook
from certificates.models import Session
from portal.models import User
from supervision.models import Plan
from tests.filings.factories import directory_entry

GUARD, MANAGER = "4-07-05-01", "3-02-02-00"
APPROVALS = ((GUARD, (5, 4, 3, 2, 1)), (MANAGER, (3, 2, 1)))

# Valid ID numbers (GB 11643-1999), check characters worked by hand.
ID_A = "450102199003071238"  # a man born 1990-03-07
ID_B = "610102198506152342"  # a woman born 1985-06-15
ID_C = "11010519491231002X"  # the standard's own example, a woman


def filed_entry(organisation, **overrides) -> DirectoryEntry:
    return directory_entry(organisation, approvals=APPROVALS, **overrides)


def announced_plan(entry: DirectoryEntry, by: User, *, code: str = GUARD, level: int = 5, days_ago: int = 10) -> Plan:
    first = timezone.localdate() - dt.timedelta(days=days_ago)
    return Plan.objects.create(
        entry=entry,
        city=entry.region,
        occupation=Occupation.objects.get(code=code),
        level=level,
        first_day=first,
        last_day=first,
        venue="本部考场",
        venue_address="南宁市青秀区民族大道136号",
        expected_candidates=30,
        examiners=["甲", "乙", "丙"],
        supervisor="丁",
        fee="300",
        status=Plan.Status.ANNOUNCED,
        announced_at=timezone.now() - dt.timedelta(days=30),
        created_by=by,
    )


def session_of(entry: DirectoryEntry, by: User, **plan_options) -> Session:
    return Session.objects.create(plan=announced_plan(entry, by, **plan_options), created_by=by)


def row(**values) -> dict:
    """A clean 保安员 level-5 row, changed by ``values`` (keys of ``certificates.importing.COLUMNS``)."""
    return {
        "name": "张小三",
        "id_number": ID_A,
        "gender": "男",
        "occupation": "保安员",
        "work_type": "",
        "level": 5,
        "guard_card_number": "",
        "guard_card_date": None,
        "theory_score": 72,
        "skill_score": 80,
        "review_score": None,
        "defence_score": None,
        **values,
    }


def workbook(session: Session, rows: list[dict]) -> bytes:
    """The session's template filled with ``rows``."""
    from certificates.importing import COLUMNS

    book = load_workbook(BytesIO(template_workbook(session)))
    sheet = book.worksheets[0]
    # From the second row: the template's empty data rows are formatted (ID numbers as text), so ``append`` would
    # write below them.
    for index, values in enumerate(rows, start=2):
        for position, column in enumerate(COLUMNS, start=1):
            sheet.cell(row=index, column=position, value=values.get(column.key))
    buffer = BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def candidates(session: Session, people_ids: list[tuple[str, str]], *, passed: bool = True) -> list:
    """Candidates written straight into the table: (name, ID number) pairs, all passed (or all failed)."""
    from certificates import crypto
    from certificates.idnumbers import gender, mask_id
    from certificates.models import Candidate

    return [
        Candidate.objects.create(
            session=session,
            row=index,
            name=name,
            id_cipher=crypto.encrypt(number),
            id_hash=crypto.lookup_hash(number),
            id_masked=mask_id(number),
            gender=gender(number),
            level=session.plan.level,
            theory_score=80 if passed else 40,
            skill_score=80,
            passed=passed,
        )
        for index, (name, number) in enumerate(people_ids, start=2)
    ]


def id_number(serial: int, *, region: str = "450102") -> str:
    """A valid ID number, different for each ``serial`` (up to 365,000): born on the (serial // 1000)-th day
    of 1990, sequence code serial % 1000."""
    from certificates.idnumbers import check_character

    born = dt.date(1990, 1, 1) + dt.timedelta(days=serial // 1000)
    first17 = f"{region}{born:%Y%m%d}{serial % 1000:03d}"
    return first17 + check_character(first17)


def approved_session(entry: DirectoryEntry, by: User, count: int, *, first: int = 0, **plan_options) -> Session:
    """A session approved by the HR bureau with ``count`` passed candidates (ID numbers from serial ``first``)."""
    session = session_of(entry, by, **plan_options)
    candidates(session, [(f"考生{i}", id_number(first + i)) for i in range(count)])
    Session.objects.filter(pk=session.pk).update(status=Session.Status.APPROVED)
    session.refresh_from_db()
    return session


def recount(session: Session) -> None:
    """The session's kept counts (``SessionCounts``) counted again after rows written straight into the tables, as
    the load harness does (``certificates.services.tallies_rebuild``)."""
    from certificates.services.common import counts_rebuild

    counts_rebuild(session.pk)
