"""A session's page counts kept with its rows (``SessionCounts``, issue 16 item 4): after every service that writes
candidates, results, corrections, certificates or their PDFs (the Celery render task included), refused ones too,
the kept counts equal a fresh COUNT of the rows and are the figures typed here; the page shows the kept counts
without counting the rows; the data migration fills them for the sessions already there.

(Every certificates test also ends comparing the kept counts of each session with its rows: tests/certificates/
conftest.py.)"""

from __future__ import annotations

import datetime as dt
import importlib

import pytest
from django.apps import apps
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import TestCase
from django.urls import reverse

from certificates.models import Candidate, Certificate, ImportAttempt, SessionCounts
from certificates.selectors import COUNTED, counts_fresh
from certificates.services import (
    candidate_photo_set,
    certificate_revoke,
    certificates_issue,
    results_decide,
    results_publicise,
    results_report,
    session_create,
)
from certificates.tasks import render_certificates
from portal.lib.errors import WorkflowError
from tests.certificates.factories import ID_B, announced_plan, approved_session, filed_entry, recount, row
from tests.certificates.test_corrections import ROWS, close, upload
from tests.certificates.test_photos import png
from tests.supervision.factories import today_is

pytestmark = pytest.mark.django_db


def kept(session) -> tuple[int, ...]:
    """The kept counts (candidates, passed, corrected, issued, rendered), checked against a fresh count; the
    session's row must exist (no fallback to counting)."""
    counts = SessionCounts.objects.values(*COUNTED).get(session=session)
    assert counts == counts_fresh(session.pk)
    return tuple(counts[name] for name in COUNTED)


def test_the_kept_counts_follow_every_service_and_equal_a_fresh_count(people, client_for):
    agency = people.agency_nanning
    entry = filed_entry(people.org_nanning, institution_code="S000045000001")
    session = session_create(plan=announced_plan(entry, agency), by=agency)
    assert kept(session) == (0, 0, 0, 0, 0)
    # Imported: 张小三 and 王五 pass, 李四 fails (skill 55); imported again with two rows, then all three.
    assert upload(session, people, ROWS).status == ImportAttempt.Status.IMPORTED
    assert kept(session) == (3, 2, 0, 0, 0)
    assert upload(session, people, ROWS[:2]).status == ImportAttempt.Status.IMPORTED
    assert kept(session) == (2, 1, 0, 0, 0)
    # A refused workbook (a bad ID number) imports nothing: the counts stay.
    assert upload(session, people, [row(id_number="450102199003071230")]).status == ImportAttempt.Status.REFUSED
    assert kept(session) == (2, 1, 0, 0, 0)
    assert upload(session, people, ROWS).status == ImportAttempt.Status.IMPORTED
    assert kept(session) == (3, 2, 0, 0, 0)
    with today_is(dt.date(2026, 11, 2)):
        session = results_publicise(session=session, by=agency, window_days=5)
    session = results_report(session=close(session, people, dt.date(2026, 11, 9)), by=agency)
    session = results_decide(session=session, by=people.city_nanning, approve=False, reasons="李四技能成绩录入有误。")
    assert kept(session) == (3, 2, 0, 0, 0)
    # The correction: 李四 passes now, corrected; a row unchanged (张小三) is not counted corrected.
    correction = [row(name="李四", id_number=ID_B, gender="女", skill_score=75), row()]
    assert upload(session, people, correction, correction=True).changed == 1
    assert kept(session) == (3, 3, 1, 0, 0)
    page = client_for(people.city_nanning).get(reverse("certificates:session_detail", args=[session.pk]))
    assert "考生3人，合格3人" in page.content.decode()
    # Publicised again, reported, approved: the corrections are decided, none counts as corrected any more.
    with today_is(dt.date(2026, 11, 16)):
        session = results_publicise(session=session, by=agency, window_days=5)
    session = close(session, people, dt.date(2026, 11, 23))
    session = results_report(session=session, by=agency, answer="李四技能成绩已按原始记录更正。")
    session = results_decide(session=session, by=people.city_nanning, approve=True)
    assert kept(session) == (3, 3, 0, 0, 0)
    # Issued: three certificates, none rendered until the Celery task runs after the commit; then all three.
    with TestCase.captureOnCommitCallbacks(execute=False) as after_issue:
        certificates_issue(session=session, by=agency)
    assert kept(session) == (3, 3, 0, 3, 0)
    with pytest.raises(WorkflowError):  # issued once only
        certificates_issue(session=session, by=agency)
    with TestCase.captureOnCommitCallbacks(execute=True):
        for callback in after_issue:
            callback()
    assert kept(session) == (3, 3, 0, 3, 3)
    assert render_certificates.delay(session.pk).get() == 0  # a second delivery renders nothing, counts nothing
    assert kept(session) == (3, 3, 0, 3, 3)
    # Revoked: rendered again, marked revoked (the task after the commit); a revocation refused changes nothing.
    certificate = Certificate.objects.get(holder_name="李四")
    with TestCase.captureOnCommitCallbacks(execute=False) as after_revoke:
        certificate_revoke(certificate=certificate, by=agency, reason="冒名顶替参加考试。")
    assert kept(session) == (3, 3, 0, 3, 2)
    with pytest.raises(WorkflowError):
        certificate_revoke(certificate=certificate, by=agency, reason="再次吊销。")
    with pytest.raises(ValidationError):
        certificate_revoke(certificate=Certificate.objects.get(holder_name="王五"), by=agency, reason=" ")
    assert kept(session) == (3, 3, 0, 3, 2)
    with TestCase.captureOnCommitCallbacks(execute=True):
        for callback in after_revoke:
            callback()
    assert kept(session) == (3, 3, 0, 3, 3)
    # A photo given after issue: that certificate is rendered again.
    zhang = Candidate.objects.get(name="张小三")
    with TestCase.captureOnCommitCallbacks(execute=False) as after_photo:
        candidate_photo_set(candidate=zhang, photo=SimpleUploadedFile("photo.png", png()), by=agency)
    assert kept(session) == (3, 3, 0, 3, 2)
    with TestCase.captureOnCommitCallbacks(execute=True):
        for callback in after_photo:
            callback()
    assert kept(session) == (3, 3, 0, 3, 3)
    # A photo while the certificate is not rendered yet (the PDF gone, the task not run): nothing to take back.
    with TestCase.captureOnCommitCallbacks(execute=False):
        candidate_photo_set(candidate=zhang, photo=SimpleUploadedFile("photo.png", png()), by=agency)
        assert kept(session) == (3, 3, 0, 3, 2)
        candidate_photo_set(candidate=zhang, photo=SimpleUploadedFile("photo.png", png()), by=agency)
    assert kept(session) == (3, 3, 0, 3, 2)
    # Revoking a certificate whose PDF is not rendered takes nothing back either.
    with TestCase.captureOnCommitCallbacks(execute=False):
        certificate_revoke(certificate=Certificate.objects.get(holder_name="张小三"), by=agency, reason="证书造假。")
    assert kept(session) == (3, 3, 0, 3, 2)
    assert render_certificates.delay(session.pk).get() == 1
    assert kept(session) == (3, 3, 0, 3, 3)
    html = client_for(agency).get(reverse("certificates:session_detail", args=[session.pk])).content.decode()
    assert "考生3人，合格3人" in html and "已生成3份，共3份。" in html
    # Deleting the session (a cascade) takes its counts with it.
    Certificate.objects.filter(candidate__session=session).delete()
    session.delete()
    assert not SessionCounts.objects.exists()


def test_the_page_and_its_progress_show_the_kept_counts_without_counting_the_rows(people, client_for):
    """The kept row says a million candidates: the page believes it (it no longer counts them); without its row a
    session is counted afresh."""
    session = approved_session(filed_entry(people.org_nanning), people.agency_nanning, 3)
    recount(session)
    SessionCounts.objects.filter(session=session).update(
        candidates=1_000_001, passed=999_999, issued=1_000_001, rendered=500_000
    )
    client = client_for(people.city_nanning)
    url = reverse("certificates:session_detail", args=[session.pk])
    html = client.get(url).content.decode()
    assert "考生1000001人，合格999999人" in html and "已生成500000份，共1000001份。" in html
    assert "第 1 页，共 10001 页" in html  # the pager's count is the kept one too
    progress = client.get(reverse("certificates:session_progress", args=[session.pk])).json()["certificates"]
    assert (progress["issued"], progress["rendered"], progress["percent"], progress["done"]) == (
        1_000_001,
        500_000,
        50,
        False,
    )
    SessionCounts.objects.filter(session=session).delete()
    html = client.get(url).content.decode()
    assert "考生3人，合格3人" in html


def test_the_migration_fills_the_counts_of_the_sessions_already_there(people):
    entry = filed_entry(people.org_nanning, institution_code="S000045000001")
    session = approved_session(entry, people.agency_nanning, 4)
    Candidate.objects.filter(session=session, row=3).update(passed=False, corrected=True)
    with TestCase.captureOnCommitCallbacks(execute=False):
        certificates_issue(session=session, by=people.agency_nanning)
    Certificate.objects.filter(holder_name="考生0").update(pdf="certificates/2026/11/0.pdf")
    empty = approved_session(entry, people.agency_nanning, 0, code="3-02-02-00", level=3)
    SessionCounts.objects.all().delete()
    importlib.import_module("certificates.migrations.0010_session_counts").fill(apps, None)
    assert kept(session) == (4, 3, 1, 3, 1)
    assert kept(empty) == (0, 0, 0, 0, 0)


def test_rows_written_around_the_services_are_counted_by_the_rebuild_and_a_session_without_its_row_gets_one(
    people,
):
    """The factory writes candidates straight into the table (as the load harness does with SQL): the session has
    no kept row until a service writes, which counts it from the rows; ``tallies_rebuild`` recounts the rest."""
    from certificates.services import tallies_rebuild

    session = approved_session(
        filed_entry(people.org_nanning, institution_code="S000045000001"), people.agency_nanning, 3
    )
    assert not SessionCounts.objects.filter(session=session).exists()
    with TestCase.captureOnCommitCallbacks(execute=False):
        certificates_issue(session=session, by=people.agency_nanning)
    assert kept(session) == (3, 3, 0, 3, 0)
    Certificate.objects.filter(holder_name="考生0").update(pdf="certificates/2026/11/0.pdf")
    Candidate.objects.filter(session=session, row=3).update(corrected=True)
    tallies_rebuild(session=session)
    assert kept(session) == (3, 3, 1, 3, 1)


def test_a_session_with_its_kept_counts_asks_as_many_queries_for_130_candidates_as_for_5(people, client_for):
    """The queries of the page read the kept row, one query, whatever the size (the rows are not counted)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = client_for(people.city_nanning)
    entry = filed_entry(people.org_nanning)
    urls, queries = [], []
    for count, first in ((5, 0), (130, 1000)):
        session = approved_session(entry, people.agency_nanning, count, first=first)
        recount(session)
        urls.append(reverse("certificates:session_detail", args=[session.pk]))
    client.get(urls[0])
    for url in urls:
        with CaptureQueriesContext(connection) as captured:
            html = client.get(url).content.decode()
        queries.append([query["sql"] for query in captured.captured_queries])
    assert "考生130人，合格130人" in html
    assert len(queries[0]) == len(queries[1])
    counted = [sql for sql in queries[1] if "COUNT(" in sql.upper() and "certificates_candidate" in sql]
    assert counted == []  # nor the pager: it takes the kept count
