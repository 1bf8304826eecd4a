"""A results session's candidates as the HR bureau reviewing its report reads them (issue 16 item 4): a hundred a
page in the order of the imported rows, counted in the header and the pager; the same rows and columns as before
for a session of up to a hundred (these pass on the code before the paging too); the page answering the reading of
an ID number is the one holding that candidate; as many queries for 130 candidates as for 5."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from certificates.models import Candidate
from tests.certificates.factories import approved_session, candidates, filed_entry, id_number, session_of
from tests.html_tables import body_rows

pytestmark = pytest.mark.django_db


def _names(html: str) -> list[str]:
    return [row[0].text for row in body_rows(html) if row and row[0].text.startswith("考生")]


def _session(people, count: int):
    session = approved_session(filed_entry(people.org_nanning), people.agency_nanning, count)
    Candidate.objects.filter(session=session, row=3).update(passed=False)  # 考生1 did not pass
    return session


def test_a_sessions_rows_show_each_candidate_with_masked_id_scores_and_result(people, client_for):
    session = _session(people, 3)
    html = client_for(people.city_nanning).get(reverse("certificates:session_detail", args=[session.pk]))
    html = html.content.decode()
    rows = [[cell.text for cell in row] for row in body_rows(html) if row and row[0].text.startswith("考生")]
    masked = [Candidate.objects.get(session=session, row=r).id_masked for r in (2, 3, 4)]
    reveal = "显示身份证号明文（查看将被记录）"  # the HR bureau may read it, each reading recorded
    assert [row[:7] for row in rows] == [
        ["考生0", f"{masked[0]} {reveal}", "80.0", "80.0", "—", "—", "合格"],
        ["考生1", f"{masked[1]} {reveal}", "80.0", "80.0", "—", "—", "不合格"],
        ["考生2", f"{masked[2]} {reveal}", "80.0", "80.0", "—", "—", "合格"],
    ]
    assert "考生3人，合格2人" in html
    assert "第 1 页" not in html  # one page: no pager


def test_a_hundred_candidates_a_page_in_row_order_with_the_pager_on_the_sessions_address(people, client_for):
    session = _session(people, 130)
    url = reverse("certificates:session_detail", args=[session.pk])
    client = client_for(people.city_nanning)
    first = client.get(url).content.decode()
    assert _names(first) == [f"考生{i}" for i in range(100)]
    assert "考生130人，合格129人" in first and "第 1 页，共 2 页" in first
    assert f'href="{url}?page=2"' in first
    second = client.get(url + "?page=2").content.decode()
    assert _names(second) == [f"考生{i}" for i in range(100, 130)]
    assert "第 2 页，共 2 页" in second and f'href="{url}?page=1"' in second
    assert "考生130人，合格129人" in second
    assert _names(client.get(url + "?page=9").content.decode()) == _names(second)  # past the end: the last page


def test_reading_an_id_number_on_the_second_page_shows_that_page(people, client_for):
    session = _session(people, 130)
    candidate = Candidate.objects.get(session=session, name="考生117")
    client = client_for(people.city_nanning)
    page = client.post(
        reverse("certificates:candidate_reveal", args=[session.pk, candidate.pk]), follow=True
    ).content.decode()
    assert id_number(117) in page
    assert "考生117" in _names(page) and "第 2 页，共 2 页" in page


def _count(client, url: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured.captured_queries)


@pytest.mark.parametrize("page", ["", "?page=99"])
def test_a_session_asks_as_many_queries_for_130_candidates_as_for_5(people, client_for, page):
    client = client_for(people.city_nanning)
    entry = filed_entry(people.org_nanning)
    small = approved_session(entry, people.agency_nanning, 5)
    large = approved_session(entry, people.agency_nanning, 130, first=1000)
    urls = [reverse("certificates:session_detail", args=[s.pk]) + page for s in (small, large)]
    client.get(urls[0])
    assert _count(client, urls[0]) == _count(client, urls[1])


def test_the_progress_counts_the_certificates_issued_and_those_rendered(people, client_for):
    """3 candidates issued a certificate, 2 of them rendered: the page and its progress answer say 2 of 3."""
    from certificates.models import Certificate, Session

    session = _session(people, 3)
    for candidate in Candidate.objects.filter(session=session).order_by("row"):
        Certificate.objects.create(
            number=f"TEST-{candidate.row:04d}",
            candidate=candidate,
            entry=session.plan.entry,
            holder_name=candidate.name,
            id_hash=candidate.id_hash,
            id_masked=candidate.id_masked,
            occupation=session.plan.occupation,
            level=candidate.level,
            issued_on=dt.date(2026, 11, 2),
            pdf="" if candidate.row == 3 else f"certificates/2026/11/{candidate.row}.pdf",
        )
    Session.objects.filter(pk=session.pk).update(status=Session.Status.ISSUED)
    client = client_for(people.city_nanning)
    progress = client.get(reverse("certificates:session_progress", args=[session.pk])).json()["certificates"]
    assert (progress["issued"], progress["rendered"], progress["percent"], progress["done"]) == (3, 2, 67, False)
    html = client.get(reverse("certificates:session_detail", args=[session.pk])).content.decode()
    assert "已生成2份，共3份。" in html


def test_the_sessions_list_shows_the_latest_evaluation_first_whatever_order_they_were_entered(people, client_for):
    from django.utils import timezone

    from tests.certificates.factories import session_of

    entry = filed_entry(people.org_nanning)
    sessions = {days: session_of(entry, people.agency_nanning, days_ago=days) for days in (30, 10, 20, 40, 15)}
    html = client_for(people.city_nanning).get(reverse("certificates:session_list")).content.decode()
    shown = [(row[1].links[0], row[2].text) for row in body_rows(html) if len(row) == 4]
    today = timezone.localdate()
    assert shown == [
        (reverse("certificates:session_detail", args=[sessions[d].pk]), f"{today - dt.timedelta(days=d):%Y-%m-%d}")
        for d in (10, 15, 20, 30, 40)
    ]


def test_a_refused_photo_on_the_second_page_answers_that_page_with_the_message(people, client_for):
    """The agency gives 考生117 (row 118 of 130: page 2) a file that is no image: the answer is page 2 with that
    candidate's row and the message, not page 1 where the candidate is nowhere."""
    session = session_of(filed_entry(people.org_nanning), people.agency_nanning)
    candidates(session, [(f"考生{i}", id_number(i)) for i in range(130)])
    candidate = Candidate.objects.get(session=session, name="考生117")
    url = reverse("certificates:candidate_photo_upload", args=[session.pk, candidate.pk])
    broken = SimpleUploadedFile("photo.png", b"\x89PNG\r\n\x1a\n" + b"\0" * 200)
    response = client_for(people.agency_nanning).post(url, {"photo": broken})
    page = response.content.decode()
    assert response.status_code == 400
    assert "第 2 页，共 2 页" in page and "考生117" in _names(page) and "考生0" not in _names(page)
    assert "不是完整的图片" in page
    candidate.refresh_from_db()
    assert not candidate.photo


@pytest.mark.parametrize(
    ("name", "page"),
    [("考生98", 1), ("考生99", 1), ("考生100", 2)],
    ids=["below-the-last-of-page-1", "the-hundredth-last-of-page-1", "the-hundred-and-first"],
)
def test_reading_an_id_number_at_the_pages_edge_shows_the_page_holding_that_candidate(people, client_for, name, page):
    """A hundred a page: the 100th candidate (考生99) is the last row of page 1, the 101st the first of page 2."""
    session = _session(people, 130)
    candidate = Candidate.objects.get(session=session, name=name)
    client = client_for(people.city_nanning)
    html = client.post(
        reverse("certificates:candidate_reveal", args=[session.pk, candidate.pk]), follow=True
    ).content.decode()
    assert name in _names(html) and f"第 {page} 页，共 2 页" in html
    assert id_number(int(name.removeprefix("考生"))) in html


def test_a_corrected_candidate_who_passed_counts_among_those_passed(people, client_for):
    """考生0 corrected after review and passed, 考生1 failed, 考生2 passed: 3 candidates, 2 passed."""
    session = _session(people, 3)
    Candidate.objects.filter(session=session, row=2).update(corrected=True)
    html = client_for(people.city_nanning).get(reverse("certificates:session_detail", args=[session.pk]))
    assert "考生3人，合格2人" in html.content.decode()
