"""What the mutation run of round 3 found the suite did not check in certificates/ (bench/README.md,
"Mutation run: supervision, certificates, reports"): each test names the mutant it kills. Expected values come
from the sources: 桂人社函〔2020〕203号 三（五） (results reported to and approved by the HR bureau of the
agency's city; 谁评价、谁发证、谁负责), the Jiangsu notice 三 (scores out of 100, the 3-year card exemption counted
from the exam day), and the portal's contract that a child object is loaded through its parent (another
session's file is a 404)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from certificates.models import Candidate, Certificate, ImportAttempt, Session
from certificates.services import certificate_revoke, certificates_issue, results_decide, results_import
from portal.lib.errors import WorkflowError
from portal.models import AuditEvent
from supervision.models import Plan
from tests.certificates.factories import (
    ID_A,
    ID_B,
    ID_C,
    approved_session,
    candidates,
    filed_entry,
    row,
    session_of,
    workbook,
)
from tests.portal.factories import region

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@pytest.fixture
def entry(people):
    return filed_entry(people.org_nanning, institution_code="S000045000001")


def reported(entry, people, *, city: str | None = None) -> Session:
    """A session of the 南宁 agency with two candidates, its results reported to the HR bureau."""
    session = session_of(entry, people.agency_nanning)
    if city:
        Plan.objects.filter(pk=session.plan_id).update(city=region(city))
    candidates(session, [("张小三", ID_A), ("李丽", ID_B)])
    Session.objects.filter(pk=session.pk).update(status=Session.Status.REPORTED)
    session.refresh_from_db()
    return session


def upload_page(client, session, rows):
    data = SimpleUploadedFile("成绩.xlsx", workbook(session, rows), content_type=XLSX)
    return client.post(reverse("certificates:session_import", args=[session.pk]), {"workbook": data})


# ---------------------------------------------------------------- results sessions


def test_results_can_be_entered_on_the_first_exam_day_itself(entry, people, client_for):
    """C14, C33: "Results can be entered from the first exam day" — that day included."""
    plan = session_of(entry, people.agency_nanning, days_ago=0).plan
    Session.objects.filter(plan=plan).delete()
    client = client_for(people.agency_nanning)
    listing = client.get(reverse("certificates:session_list"))
    assert plan in list(listing.context["plans"])
    response = client.post(reverse("certificates:session_create"), {"plan": plan.pk})
    session = Session.objects.get(plan=plan)
    assert response.status_code == 302 and response["Location"] == reverse(
        "certificates:session_detail", args=[session.pk]
    )


# C15 (a returned session accepting results again) is killed by tests/certificates/test_corrections.py: after a
# return the agency answers with a correction of the rows concerned, and a correction before a return is refused.


# ---------------------------------------------------------------- the HR bureau's decision


def test_the_police_get_no_decision_form_and_cannot_approve(entry, people, client_for):
    """C21: the results are approved by the HR bureau; the police of the city read them only."""
    session = reported(entry, people)
    decide = reverse("certificates:session_decide", args=[session.pk])
    page = client_for(people.police_nanning).get(reverse("certificates:session_detail", args=[session.pk]))
    assert page.status_code == 200 and decide not in page.content.decode()
    with pytest.raises(PermissionDenied):
        results_decide(session=session, by=people.police_nanning, approve=True)
    session.refresh_from_db()
    assert session.status == Session.Status.REPORTED and session.decided_by is None
    bureau_page = client_for(people.city_nanning).get(reverse("certificates:session_detail", args=[session.pk]))
    assert decide in bureau_page.content.decode()


def test_the_bureau_of_the_evaluation_city_reads_but_the_agencys_own_city_decides(entry, people, client_for):
    """C22: a 南宁 agency evaluating in 柳州 reports to 南宁's bureau; 柳州's sees the session and cannot decide."""
    session = reported(entry, people, city="450200")
    liuzhou = client_for(people.city_liuzhou)
    page = liuzhou.get(reverse("certificates:session_detail", args=[session.pk]))
    assert page.status_code == 200
    decide = reverse("certificates:session_decide", args=[session.pk])
    assert decide not in page.content.decode()
    assert liuzhou.post(decide, {"decision": "approve"}).status_code == 403
    session.refresh_from_db()
    assert session.status == Session.Status.REPORTED
    client_for(people.city_nanning).post(decide, {"decision": "approve"})
    session.refresh_from_db()
    assert session.status == Session.Status.APPROVED and session.decided_by == people.city_nanning


def test_results_still_on_notice_or_just_publicised_cannot_be_approved(entry, people, client_for):
    """C23: only reported results are approved (the agency reports them after the notice)."""
    session = reported(entry, people)
    decide = reverse("certificates:session_decide", args=[session.pk])
    for status in (Session.Status.PUBLICITY, Session.Status.PUBLICISED, Session.Status.RESULTS):
        Session.objects.filter(pk=session.pk).update(status=status)
        client_for(people.city_nanning).post(decide, {"decision": "approve"})
        session.refresh_from_db()
        assert session.status == status and session.decided_by is None


def test_approval_and_return_are_audited_with_the_deciding_official(entry, people):
    """C24: every decision leaves an audit row naming who decided."""
    session = reported(entry, people)
    results_decide(session=session, by=people.city_nanning, approve=False, reasons="缺考评员签字")
    Session.objects.filter(pk=session.pk).update(status=Session.Status.REPORTED)
    results_decide(session=session, by=people.city_nanning, approve=True)
    rows = AuditEvent.objects.filter(object_id=str(session.pk), action__startswith="results_").order_by("time", "id")
    assert [(event.action, event.username, event.detail) for event in rows] == [
        ("results_return", "city_nanning", "缺考评员签字"),
        ("results_approve", "city_nanning", ""),
    ]


# ---------------------------------------------------------------- the row checks


@pytest.mark.parametrize(
    ("scores", "imported"),
    [
        ({"theory_score": 100, "skill_score": 100}, True),  # 百分制: full marks
        ({"theory_score": 0, "skill_score": 0}, True),
        ({"theory_score": 100.5, "skill_score": 80}, False),
        ({"theory_score": -1, "skill_score": 80}, False),
    ],
)
def test_scores_run_from_zero_to_one_hundred_inclusive(entry, people, scores, imported):
    """C32: the Jiangsu notice marks each part out of 100."""
    session = session_of(entry, people.agency_nanning)
    attempt = results_import(
        session=session, data=workbook(session, [row(**scores)]), filename="x.xlsx", by=people.agency_nanning
    )
    assert (attempt.status == ImportAttempt.Status.IMPORTED) is imported


def test_a_card_issued_on_the_exam_day_exempts_from_theory(entry, people):
    """C31: a card issued on the exam day is within 3 years before it (the rule counts that day as within)."""
    session = session_of(entry, people.agency_nanning)
    exam_day = session.plan.first_day
    values = {"theory_score": None, "guard_card_number": "桂公保字0001", "guard_card_date": exam_day}
    attempt = results_import(
        session=session, data=workbook(session, [row(**values)]), filename="x.xlsx", by=people.agency_nanning
    )
    assert attempt.status == ImportAttempt.Status.IMPORTED
    candidate = Candidate.objects.get(session=session)
    assert candidate.theory_exempt and candidate.passed


def test_a_certificate_of_another_level_does_not_block_the_next_level(entry, people):
    """C30: 一人多证 is the same occupation at the same level; a 中级 holder may sit 初级 (or 高级) elsewhere."""
    other = filed_entry(people.org_liuzhou, institution_code="S000045000002")
    held = approved_session(other, people.agency_liuzhou, 0, level=4)
    (candidate,) = candidates(held, [("张小三", ID_A)])
    Certificate.objects.create(
        number="S000045000002264000001",
        candidate=candidate,
        entry=other,
        holder_name="张小三",
        id_hash=candidate.id_hash,
        id_masked=candidate.id_masked,
        occupation=held.plan.occupation,
        level=4,
        issued_on=timezone.localdate(),
    )
    session = session_of(entry, people.agency_nanning, level=5)
    attempt = results_import(session=session, data=workbook(session, [row()]), filename="x", by=people.agency_nanning)
    assert attempt.status == ImportAttempt.Status.IMPORTED


# ---------------------------------------------------------------- children loaded through their parent


def test_another_agencys_candidate_is_not_revealed_under_ones_own_session(entry, people, client_for):
    """C35: the ID number in clear only for a candidate of the session in the address."""
    own = session_of(entry, people.agency_nanning)
    candidates(own, [("张小三", ID_A)])
    theirs = session_of(filed_entry(people.org_liuzhou), people.agency_liuzhou)
    (stranger,) = candidates(theirs, [("王五", ID_C)])
    url = reverse("certificates:candidate_reveal", args=[own.pk, stranger.pk])
    response = client_for(people.agency_nanning).post(url)
    assert response.status_code == 404 and ID_C not in response.content.decode()
    assert not AuditEvent.objects.filter(action="id_number_view").exists()


def test_another_agencys_marked_workbook_is_a_404_under_ones_own_session(entry, people, client_for):
    """C36: the marked copy of a refused upload belongs to its session."""
    own = session_of(entry, people.agency_nanning)
    theirs = session_of(filed_entry(people.org_liuzhou), people.agency_liuzhou)
    refused = results_import(
        session=theirs, data=workbook(theirs, [row(theory_score=101)]), filename="x", by=people.agency_liuzhou
    )
    assert refused.status == ImportAttempt.Status.REFUSED
    url = reverse("certificates:import_marked", args=[own.pk, refused.pk])
    assert client_for(people.agency_nanning).get(url).status_code == 404
    own_url = reverse("certificates:import_marked", args=[theirs.pk, refused.pk])
    assert client_for(people.agency_liuzhou).get(own_url).status_code == 200


def test_a_certificate_is_revoked_only_under_its_own_session(entry, people, client_for):
    """C34: a revocation posted under session A cannot reach a certificate of the agency's session B."""
    first = approved_session(entry, people.agency_nanning, 1)
    second = approved_session(entry, people.agency_nanning, 1, first=50)
    certificates_issue(session=first, by=people.agency_nanning)
    (other,) = certificates_issue(session=second, by=people.agency_nanning)
    url = reverse("certificates:revoke", args=[first.pk, other.pk])
    assert client_for(people.agency_nanning).post(url, {"reason": "误发"}).status_code == 404
    other.refresh_from_db()
    assert other.status == Certificate.Status.VALID and other.revoked_reason == ""


# ---------------------------------------------------------------- revocation and verification


def test_a_revoked_certificate_cannot_be_revoked_again(entry, people):
    """C40: the first revocation's date and reason stand."""
    session = approved_session(entry, people.agency_nanning, 1)
    (certificate,) = certificates_issue(session=session, by=people.agency_nanning)
    certificate_revoke(certificate=certificate, by=people.agency_nanning, reason="代考")
    certificate.refresh_from_db()
    first = (certificate.revoked_at, certificate.revoked_reason)
    with pytest.raises(WorkflowError):
        certificate_revoke(certificate=certificate, by=people.agency_nanning, reason="另一理由")
    certificate.refresh_from_db()
    assert (certificate.revoked_at, certificate.revoked_reason) == first == (first[0], "代考")
    assert AuditEvent.objects.filter(action="certificate_revoke").count() == 1


def test_verification_by_id_number_answers_the_latest_certificate(entry, people, client):
    """C28: "By ID number, the most recently issued of the holder's certificates"."""
    older = approved_session(entry, people.agency_nanning, 0, level=5)
    newer = approved_session(entry, people.agency_nanning, 0, level=4, days_ago=5)
    candidates(older, [("张小三", ID_A)])
    candidates(newer, [("张小三", ID_A)])
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr("django.utils.timezone.localdate", lambda: dt.date(2026, 3, 2))
        (first,) = certificates_issue(session=older, by=people.agency_nanning)
        patch.setattr("django.utils.timezone.localdate", lambda: dt.date(2026, 9, 1))
        (second,) = certificates_issue(session=newer, by=people.agency_nanning)
    assert first.issued_on < second.issued_on
    response = client.post("/certificates/verify/", {"id_number": ID_A, "name": "张小三"})
    page = response.content.decode()
    # Every certificate of the holder is listed, the most recently issued first.
    assert second.number in page and first.number in page
    assert page.index(second.number) < page.index(first.number)
    api = client.post("/api/v1/certificates/verify/", {"id_number": ID_A, "name": "张小三"}).json()
    assert api["certificate"]["number"] == second.number
