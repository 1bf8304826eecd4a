"""The results import as a Celery job: the upload is stored and queued, the task checks every row and imports all
of it or refuses all of it with the marked workbook, the page follows its progress (a static script, no inline
one) and the stored upload does not outlive the check."""

from __future__ import annotations

import re

import pytest
from django.core.files.storage import default_storage
from django.test import TestCase
from django.urls import reverse

from certificates.importing import PROGRESS_EVERY
from certificates.models import Candidate, ImportAttempt
from certificates.services import results_check, results_upload
from certificates.tasks import check_results
from portal.lib.errors import WorkflowError
from tests.certificates.factories import ID_B, filed_entry, id_number, row, session_of, workbook


@pytest.fixture
def session(people):
    return session_of(filed_entry(people.org_nanning), people.agency_nanning)


def queued(session, people, rows) -> ImportAttempt:
    """An upload whose task has not run yet (the commit's callbacks are held back)."""
    with TestCase.captureOnCommitCallbacks(execute=False) as callbacks:
        attempt = results_upload(
            session=session, data=workbook(session, rows), filename="成绩.xlsx", by=people.agency_nanning
        )
    assert len(callbacks) == 1  # the task, queued once the upload is committed
    return attempt


def test_the_upload_is_stored_and_waits_for_its_task_with_nothing_imported(session, people):
    attempt = queued(session, people, [row()])
    assert attempt.status == ImportAttempt.Status.PENDING and attempt.progress == 0
    assert default_storage.exists(attempt.upload.name)
    assert not Candidate.objects.exists()


def test_the_task_imports_every_row_and_deletes_the_stored_upload(session, people):
    attempt = queued(session, people, [row(), row(name="李四", id_number=ID_B, gender="女")])
    stored = attempt.upload.name
    with TestCase.captureOnCommitCallbacks(execute=True):
        assert check_results.delay(attempt.pk).get() == ImportAttempt.Status.IMPORTED
    attempt.refresh_from_db()
    assert (attempt.status, attempt.rows, attempt.progress, attempt.upload.name) == ("imported", 2, 100, "")
    assert sorted(Candidate.objects.values_list("name", flat=True)) == ["张小三", "李四"]
    assert not default_storage.exists(stored)


def test_the_task_refuses_the_whole_file_for_one_bad_row_with_the_marked_workbook(session, people):
    attempt = queued(session, people, [row(), row(name="李四", id_number=ID_B, gender="女", skill_score=101)])
    with TestCase.captureOnCommitCallbacks(execute=True):
        check_results.delay(attempt.pk)
    attempt.refresh_from_db()
    assert attempt.status == ImportAttempt.Status.REFUSED and attempt.error_count == 1
    assert bytes(attempt.marked).startswith(b"PK") and attempt.upload.name == ""
    assert not Candidate.objects.exists()


def test_a_second_delivery_of_the_task_changes_nothing(session, people):
    attempt = queued(session, people, [row()])
    results_check(attempt_id=attempt.pk)
    first = list(Candidate.objects.values_list("pk", flat=True))
    assert results_check(attempt_id=attempt.pk).status == ImportAttempt.Status.IMPORTED
    assert list(Candidate.objects.values_list("pk", flat=True)) == first


def test_a_workbook_without_the_header_is_refused_by_the_task_with_its_reason(session, people):
    from io import BytesIO

    from openpyxl import Workbook

    book = Workbook()
    book.active.append(["姓名", "成绩"])
    buffer = BytesIO()
    book.save(buffer)
    with TestCase.captureOnCommitCallbacks(execute=True):
        attempt = results_upload(session=session, data=buffer.getvalue(), filename="x.xlsx", by=people.agency_nanning)
    attempt.refresh_from_db()
    assert attempt.status == ImportAttempt.Status.REFUSED and not attempt.marked
    assert "身份证号" in attempt.file_error


def test_no_second_upload_while_one_is_being_checked(session, people):
    queued(session, people, [row()])
    with pytest.raises(WorkflowError):
        results_upload(session=session, data=workbook(session, [row()]), filename="b.xlsx", by=people.agency_nanning)
    assert ImportAttempt.objects.count() == 1


def test_the_check_reports_its_progress_as_it_goes(session, people, monkeypatch):
    from certificates.services import imports as services

    monkeypatch.setattr(services, "PROGRESS_WRITE_SECONDS", 0)  # every report written, however fast the check
    seen: list[int] = []
    real = services._attempt_progress
    monkeypatch.setattr(services, "_attempt_progress", lambda pk, percent: (seen.append(percent), real(pk, percent)))
    rows = [row(name=f"考生{i}", id_number=id_number(i), gender="") for i in range(2 * PROGRESS_EVERY + 10)]
    attempt = queued(session, people, rows)
    results_check(attempt_id=attempt.pk)
    assert len(seen) == 2 and seen == sorted(seen) and 5 < seen[0] < seen[1] < 90
    assert Candidate.objects.count() == len(rows)


def test_the_page_follows_the_job_with_a_static_script_and_the_progress_endpoint(session, people, client_for):
    attempt = queued(session, people, [row()])
    client = client_for(people.agency_nanning)
    progress_url = reverse("certificates:session_progress", args=[session.pk])
    page = client.get(reverse("certificates:session_detail", args=[session.pk])).content.decode()
    assert f'data-progress-url="{progress_url}"' in page and 'data-progress-job="import"' in page
    assert "/static/certificates/progress" in page
    # No inline script (a Content-Security-Policy without 'unsafe-inline' is coming): every <script> has a src.
    assert all("src=" in tag for tag in re.findall(r"<script[^>]*>", page))
    assert client.get(progress_url).json()["import"] == {"done": False, "status": "pending", "percent": 0}
    results_check(attempt_id=attempt.pk)
    answer = client.get(progress_url).json()
    assert answer["import"] == {"done": True, "status": "imported", "percent": 100}
    page = client.get(reverse("certificates:session_detail", args=[session.pk])).content.decode()
    assert "data-progress-url" not in page and "成绩.xlsx" in page


def test_an_upload_through_the_page_is_checked_and_its_outcome_shown(session, people, client_for):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client = client_for(people.agency_nanning)
    data = workbook(session, [row(), row(name="张小三")])
    with TestCase.captureOnCommitCallbacks(execute=True):
        response = client.post(
            reverse("certificates:session_import", args=[session.pk]),
            {"workbook": SimpleUploadedFile("成绩.xlsx", data)},
        )
    assert response.status_code == 302
    page = client.get(reverse("certificates:session_detail", args=[session.pk])).content.decode()
    attempt = ImportAttempt.objects.get()
    assert attempt.status == ImportAttempt.Status.REFUSED
    assert reverse("certificates:import_marked", args=[session.pk, attempt.pk]) in page
    assert not Candidate.objects.exists()


@pytest.mark.parametrize(("minutes_ago", "blocks"), [(29, True), (31, False)])
def test_a_check_lost_for_half_an_hour_no_longer_blocks_the_next_upload(session, people, minutes_ago, blocks):
    import datetime as dt

    from django.utils import timezone

    lost = queued(session, people, [row()])
    ImportAttempt.objects.filter(pk=lost.pk).update(created=timezone.now() - dt.timedelta(minutes=minutes_ago))
    again = {"session": session, "data": workbook(session, [row()]), "filename": "b.xlsx", "by": people.agency_nanning}
    if blocks:
        with pytest.raises(WorkflowError):
            results_upload(**again)
        assert ImportAttempt.objects.count() == 1
    else:
        results_upload(**again)
        lost.refresh_from_db()
        assert lost.status == ImportAttempt.Status.REFUSED and lost.file_error == "校验未能完成：请重新上传。"
        assert ImportAttempt.objects.filter(status=ImportAttempt.Status.PENDING).count() == 1
