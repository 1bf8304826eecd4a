"""Section 8 of the report: certificates obtained by staff of key security units (治安保卫重点单位; 陕公通字〔2023〕64号
四（二）: 治安保卫重点单位保卫管理员获取证书…情况). The agency's results workbook says for each candidate who employs
them and whether that employer is a key security unit; the report counts the certificates issued in the period to
such staff, the people they are, and the revoked ones. Expected values are counted by hand from the rows below."""

from __future__ import annotations

import datetime as dt
from io import BytesIO

import pytest
from django.test import TestCase
from openpyxl import load_workbook

from certificates.importing import COLUMNS, template_workbook
from certificates.models import Candidate, Certificate, ImportAttempt
from certificates.services import results_upload
from portal.models import Region
from reports.periods import Period
from reports.selectors import figures, report_content
from tests.certificates.factories import ID_A, ID_B, ID_C, candidates, filed_entry, row, session_of, workbook

pytestmark = pytest.mark.django_db
Q2 = Period(2025, 2)
ID_D = "450102198807152311"  # 陆海涛's, from the README's demo
_numbers = iter(range(1, 100))


def _certificate(candidate: Candidate, *, issued: dt.date, revoked: bool = False) -> Certificate:
    session = candidate.session
    return Certificate.objects.create(
        number=f"S0000450000012{next(_numbers):08d}",
        candidate=candidate,
        entry=session.plan.entry,
        holder_name=candidate.name,
        id_hash=candidate.id_hash,
        id_masked=candidate.id_masked,
        occupation=session.plan.occupation,
        level=candidate.level,
        issued_on=issued,
        status=Certificate.Status.REVOKED if revoked else Certificate.Status.VALID,
    )


@pytest.fixture
def issued(people):
    nanning = filed_entry(people.org_nanning)
    liuzhou = filed_entry(people.org_liuzhou, institution_code="S452024LZ001")
    first = session_of(nanning, people.agency_nanning)
    second = session_of(nanning, people.agency_nanning, level=4)
    a, c, d, e = candidates(first, [("甲", ID_A), ("丙", ID_C), ("丁", ID_D), ("戊", ID_B)])
    (b,) = candidates(second, [("甲", ID_A)])  # the same person (ID_A) certified again at level 4
    (f,) = candidates(session_of(liuzhou, people.agency_liuzhou, level=4), [("己", ID_C)])
    for candidate in (a, b, c, e, f):
        candidate.employer, candidate.key_unit = "广西电网有限责任公司", True
        candidate.save()
    d.employer = "某物业服务公司"  # not a key security unit
    d.save()
    _certificate(a, issued=dt.date(2025, 4, 1))  # first day of Q2: counted
    _certificate(b, issued=dt.date(2025, 6, 30))  # last day of Q2: counted, same holder as a
    _certificate(c, issued=dt.date(2025, 7, 1))  # the next quarter: not counted
    _certificate(d, issued=dt.date(2025, 5, 5))  # not a key unit: not counted
    _certificate(e, issued=dt.date(2025, 5, 6), revoked=True)  # counted, and counted as revoked
    _certificate(f, issued=dt.date(2025, 5, 7))  # 柳州: the province's report only


def _key_units(code: str) -> tuple:
    numbers = figures(report_content(region=Region.objects.get(code=code), period=Q2, today=dt.date(2025, 7, 10)))
    return (
        numbers["key_units.key_units.0"],
        numbers["key_units.key_units_holders.0"],
        numbers["key_units.key_units_revoked.0"],
    )


def test_the_city_report_counts_certificates_of_key_unit_staff_issued_in_the_quarter(issued):
    # issued a, b, e; holders ID_A and ID_B; revoked e
    assert _key_units("450100") == (3, 2, 1)


def test_the_province_report_adds_the_other_city(issued):
    # a, b, e of 南宁 and f of 柳州; holders ID_A, ID_B, ID_C
    assert _key_units("450000") == (4, 3, 1)


def test_another_city_counts_its_own_only(issued):
    assert _key_units("450200") == (1, 1, 0)


# ---------------------------------------------------------------- the results workbook carries the employer


def _upload(session, people, rows):
    with TestCase.captureOnCommitCallbacks(execute=True):
        attempt = results_upload(
            session=session, data=workbook(session, rows), filename="成绩.xlsx", by=people.agency_nanning
        )
    attempt.refresh_from_db()
    return attempt


def test_the_template_asks_for_the_employer_and_whether_it_is_a_key_unit(people):
    session = session_of(filed_entry(people.org_nanning), people.agency_nanning)
    sheet = load_workbook(BytesIO(template_workbook(session))).worksheets[0]
    keys = [column.key for column in COLUMNS]
    assert "employer" in keys and "key_unit" in keys
    formulas = [validation.formula1 for validation in sheet.data_validations.dataValidation]
    assert '"是,否"' in formulas


def test_the_upload_records_the_employer_and_the_key_unit(people):
    session = session_of(filed_entry(people.org_nanning), people.agency_nanning)
    attempt = _upload(
        session,
        people,
        [
            row(employer="广西电网有限责任公司南宁供电局", key_unit="是"),
            row(name="李丽", id_number=ID_B, gender="女", employer="某物业服务公司", key_unit="否"),
            row(name="王芳", id_number=ID_C, gender="女"),
        ],
    )
    assert attempt.status == ImportAttempt.Status.IMPORTED
    stored = {c.name: (c.employer, c.key_unit) for c in session.candidates.all()}
    assert stored == {
        "张小三": ("广西电网有限责任公司南宁供电局", True),
        "李丽": ("某物业服务公司", False),
        "王芳": ("", False),
    }


@pytest.mark.parametrize(
    ("values", "column"),
    [({"employer": "广西电网有限责任公司", "key_unit": "也许"}, "key_unit"), ({"key_unit": "是"}, "employer")],
)
def test_a_key_unit_answer_other_than_yes_or_no_or_without_employer_is_refused(people, values, column):
    session = session_of(filed_entry(people.org_nanning), people.agency_nanning)
    attempt = _upload(session, people, [row(**values)])
    assert attempt.status == ImportAttempt.Status.REFUSED
    assert not session.candidates.exists()
    assert column in {error["column"] for error in attempt.errors} or any(
        str(c.label) == error["column"] for c in COLUMNS if c.key == column for error in attempt.errors
    )
