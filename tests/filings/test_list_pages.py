"""What an official sees on the review queue, the applications list and the selection page, row by row: the
columns, the links, the filters and the forms (issue 16 item 4 rebuilt how the rows are drawn, not what they
show). Expectations typed from the catalogue (zh-hans) and the working-day rules, not read back from the code."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse
from django.utils import timezone

from filings.models import Application, State
from tests.filings.factories import bulk_applications, make_call
from tests.html_tables import body_rows

SHANGHAI = ZoneInfo("Asia/Shanghai")
THURSDAY = dt.date(2026, 12, 3)


@pytest.fixture
def on_thursday(monkeypatch):
    """The pages' "today": Thursday 3 December 2026 (no holiday in the fortnight before)."""
    monkeypatch.setattr(timezone, "localdate", lambda *args, **kwargs: THURSDAY)


def _three_waiting(people, call) -> list[Application]:
    """南宁's three applications waiting for the city: deadlines the day before, on and after Thursday."""
    bulk_applications(3, organisation=people.org_nanning, call=call, by=people.agency_nanning)
    applications = list(Application.objects.filter(call=call).order_by("pk"))
    started = dt.datetime(2026, 11, 23, 10, 0, tzinfo=SHANGHAI)  # Monday, ten days before
    for application, deadline in zip(applications, (dt.date(2026, 12, 2), THURSDAY, dt.date(2026, 12, 4)), strict=True):
        Application.objects.filter(pk=application.pk).update(stage_started_at=started, deadline=deadline)
    return applications


def test_the_queue_rows_show_the_agency_linked_its_call_reference_state_working_days_and_deadline(
    people, client_for, on_thursday
):
    call = make_call("rows-queue")
    late, due_today, due_tomorrow = _three_waiting(people, call)
    response = client_for(people.city_nanning).get(reverse("filings:queue"))
    title = call.current_version.title
    rows = [[(cell.text, cell.links) for cell in row] for row in body_rows(response.content.decode())]
    # Deadline first: the day before (overdue, marked), on the day (not overdue), the day after.
    # Working days after Monday 23 November up to Thursday 3 December: 24-27 and 30 November to 3 December, 8.
    assert rows == [
        [
            (f"南宁市安盾职业技能培训学校 {title}", [f"/filings/{late.pk}/"]),
            (late.reference, []),
            ("市级审核中", []),
            ("8", []),
            ("2026-12-02 逾期", []),
        ],
        [
            (f"南宁市安盾职业技能培训学校 {title}", [f"/filings/{due_today.pk}/"]),
            (due_today.reference, []),
            ("市级审核中", []),
            ("8", []),
            ("2026-12-03", []),
        ],
        [
            (f"南宁市安盾职业技能培训学校 {title}", [f"/filings/{due_tomorrow.pk}/"]),
            (due_tomorrow.reference, []),
            ("市级审核中", []),
            ("8", []),
            ("2026-12-04", []),
        ],
    ]
    page = response.content.decode()
    assert page.count('class="table-danger"') == 1
    # The filters a user types or picks, and the export of the same filter.
    for control in ('name="q"', 'name="state"', 'name="call"', 'name="occupation"', 'name="overdue"'):
        assert control in page
    assert f'<option value="{call.pk}">' in page
    assert reverse("filings:queue_export") + "?" in page


def test_an_application_without_a_deadline_shows_a_dash(people, client_for, on_thursday):
    """(Where it sorts is the database's: PostgreSQL puts no deadline last, SQLite first.)"""
    call = make_call("rows-queue-none")
    bulk_applications(1, organisation=people.org_nanning, call=call, by=people.agency_nanning)
    bulk_applications(1, organisation=people.org_nanning, call=call, deadline=THURSDAY, by=people.agency_nanning)
    rows = body_rows(client_for(people.city_nanning).get(reverse("filings:queue")).content.decode())
    assert sorted(row[4].text for row in rows) == ["2026-12-03", "—"]


def test_the_queues_last_page_holds_the_last_rows_in_the_same_order(people, client_for):
    """Read backwards from the end (``ListPaginator``): 120 applications on pages of 50, the third page is rows
    101-120 of the order the first page starts, deadline first."""
    call = make_call("rows-queue-pages")
    bulk_applications(120, organisation=people.org_nanning, call=call, by=people.agency_nanning)
    for n, application in enumerate(Application.objects.filter(call=call).order_by("pk")):
        # Deadlines repeat (three applications a day, 40 days): the order falls back on the stage and the id.
        Application.objects.filter(pk=application.pk).update(deadline=dt.date(2027, 1, 1) + dt.timedelta(days=n // 3))
    expected = list(
        Application.objects.filter(call=call)
        .order_by("deadline", "stage_started_at", "pk")
        .values_list("pk", flat=True)
    )
    client = client_for(people.city_nanning)
    shown = []
    for number in (1, 2, 3):
        response = client.get(reverse("filings:queue"), {"state": "all", "page": number})
        assert response.context["page"].paginator.num_pages == 3
        shown += [row["application"].pk for row in response.context["rows"]]
    assert shown == expected
    last = client.get(reverse("filings:queue"), {"state": "all", "page": 99})  # past the end: the last page
    assert [row["application"].pk for row in last.context["rows"]] == expected[100:]


def test_the_applications_list_links_an_agencys_draft_to_its_form_and_an_officials_row_to_the_page(people, client_for):
    call = make_call("rows-list")
    bulk_applications(1, organisation=people.org_nanning, call=call, deadline=THURSDAY, by=people.agency_nanning)
    submitted = Application.objects.get(call=call)
    Application.objects.filter(pk=submitted.pk).update(updated=dt.datetime(2026, 11, 30, 9, 5, tzinfo=SHANGHAI))
    draft = Application.objects.create(
        organisation=people.org_nanning,
        region=people.org_nanning.region,
        call=call,
        call_version=call.current_version,
        state=State.DRAFT,
        created_by=people.agency_nanning,
    )
    title = call.current_version.title
    agency = body_rows(client_for(people.agency_nanning).get(reverse("filings:application_list")).content.decode())
    by_link = {row[0].links[0]: [cell.text for cell in row] for row in agency}
    assert by_link[f"/filings/{draft.pk}/edit/"] == [
        "草稿",
        "南宁市安盾职业技能培训学校",
        title,
        "草稿",
        "—",
        by_link[f"/filings/{draft.pk}/edit/"][5],
    ]
    assert by_link[f"/filings/{submitted.pk}/"] == [
        submitted.reference,
        "南宁市安盾职业技能培训学校",
        title,
        "市级审核中",
        "2026-12-03",
        "2026-11-30 09:05",
    ]
    official = body_rows(client_for(people.city_nanning).get(reverse("filings:application_list")).content.decode())
    # The city never sees the draft; its row opens the application's page.
    assert [[cell.text for cell in row] for row in official] == [by_link[f"/filings/{submitted.pk}/"]]
    assert official[0][0].links == [f"/filings/{submitted.pk}/"]


def test_the_selection_rows_show_rank_agency_occupations_city_score_state_and_the_decision_form(people, client_for):
    call = make_call("rows-selection")
    bulk_applications(3, organisation=people.org_nanning, call=call, state=State.ASSESSED, by=people.agency_nanning)
    first, second, third = Application.objects.filter(call=call).order_by("pk")
    Application.objects.filter(pk=first.pk).update(panel_score=90)
    Application.objects.filter(pk=second.pk).update(panel_score=90)
    Application.objects.filter(pk=third.pk).update(
        panel_score=70, state=State.NOT_SELECTED, selection_reason="布局已满"
    )
    response = client_for(people.centre).get(reverse("filings:selection", args=[call.pk]))
    page = response.content.decode()
    rows = body_rows(page)
    ranking = [row for row in rows if len(row) == 5]
    # Equal scores share the first rank; the third is third. An undecided row is followed by its form's row.
    assert [row[0].text for row in ranking] == ["1", "1", "3"]
    assert [row[1].links for row in ranking] == [[f"/filings/{a.pk}/"] for a in (first, second, third)]
    assert ranking[2][1].text == f"南宁市安盾职业技能培训学校 {third.reference} 理由：布局已满"
    assert [row[2].text for row in ranking] == ["南宁市 —"] * 3
    assert [row[3].text for row in ranking] == ["90.00", "90.00", "70.00"]
    assert [row[4].text for row in ranking] == ["已评估", "已评估", "不予遴选"]
    for application in (first, second):
        assert f'<input type="hidden" name="application" value="{application.pk}">' in page
        assert f'id="reason-{application.pk}" name="reason" value="" placeholder="作出决定的理由（必填）"' in page
    assert f'id="reason-{third.pk}"' not in page
    assert page.count('name="decision" value="select"') == 2 and page.count('name="decision" value="not_select"') == 2
    assert page.count('name="csrfmiddlewaretoken"') >= 2


def test_an_officials_home_lists_what_waits_oldest_first_with_state_and_date(people, client_for):
    call = make_call("rows-home")
    bulk_applications(2, organisation=people.org_nanning, call=call, by=people.agency_nanning)
    newer, older = Application.objects.filter(call=call).order_by("pk")
    Application.objects.filter(pk=older.pk).update(stage_started_at=dt.datetime(2026, 11, 2, 9, 0, tzinfo=SHANGHAI))
    Application.objects.filter(pk=newer.pk).update(stage_started_at=dt.datetime(2026, 11, 20, 9, 0, tzinfo=SHANGHAI))
    response = client_for(people.city_nanning).get(reverse("home"))
    page = response.content.decode()
    assert [a.pk for a in response.context["queue"]] == [older.pk, newer.pk]
    for application, since in ((older, "2026-11-02"), (newer, "2026-11-20")):
        link = f'href="{reverse("filings:application_detail", args=[application.pk])}"'
        entry = page[page.index(link) : page.index("</a>", page.index(link))]
        assert "南宁市安盾职业技能培训学校" in entry and "市级审核中" in entry
        assert application.reference in entry and since in entry


def test_the_selection_pages_together_are_the_whole_ranking_in_order(people, client_for):
    """The page's rows are sorted among the scores the page spans only (issue 16 item 4): 120 applications whose
    scores straddle the pages' edges (eight apiece, some without a score, which come last) read page by page are
    the whole ranking: score descending, then the organisation's name, then the id."""
    call = make_call("rows-selection-pages")
    bulk_applications(120, organisation=people.org_nanning, call=call, state=State.ASSESSED, by=people.agency_nanning)
    scores = {}
    for n, application in enumerate(Application.objects.filter(call=call).order_by("pk")):
        score = None if n % 11 == 0 else 60 + (n * 7) % 15  # 15 scores, eight or so of each, mixed by id
        scores[application.pk] = score
        Application.objects.filter(pk=application.pk).update(panel_score=score)
    expected = sorted(scores, key=lambda pk: (scores[pk] is None, -(scores[pk] or 0), pk))
    client = client_for(people.centre)
    url = reverse("filings:selection", args=[call.pk])
    shown, ranks = [], []
    for number in (1, 2, 3):
        rows = client.get(url, {"page": number}).context["rows"]
        shown += [row["pk"] for row in rows]
        ranks += [row["rank"] for row in rows]
    assert shown == expected
    # A rank is one more than the applications scored above: the first of each score.
    assert ranks == [expected.index(next(pk for pk in expected if scores[pk] == scores[p])) + 1 for p in expected]
    assert [row["pk"] for row in client.get(url, {"page": 99}).context["rows"]] == expected[100:]


def test_a_selection_page_deep_in_one_large_score_reads_it_backwards_and_shows_the_same_rows(people, client_for):
    """60 scored 90 and 60 without a score: the third page lies in the last two thirds of the unscored group and
    is read from its end; every page still shows the rows of the whole ranking in order."""
    call = make_call("rows-selection-deep")
    bulk_applications(120, organisation=people.org_nanning, call=call, state=State.ASSESSED, by=people.agency_nanning)
    ids = list(Application.objects.filter(call=call).order_by("pk").values_list("pk", flat=True))
    Application.objects.filter(pk__in=ids[1::2]).update(panel_score=90)
    expected = ids[1::2] + ids[0::2]
    client = client_for(people.centre)
    url = reverse("filings:selection", args=[call.pk])
    shown = []
    for number in (1, 2, 3):
        shown += [row["pk"] for row in client.get(url, {"page": number}).context["rows"]]
    assert shown == expected


def test_the_queue_and_the_applications_list_say_how_many_rows_they_hold_in_all(people, client_for):
    """A list that fits on one page still says its total (a first-day user could not tell a full page of 50 from
    a list cut short), and a list over several pages gives the whole count, not the page's."""
    call = make_call("rows-total")
    bulk_applications(3, organisation=people.org_nanning, call=call, by=people.agency_nanning)
    city = client_for(people.city_nanning)
    for url in (reverse("filings:queue"), reverse("filings:application_list")):
        assert "共 3 条" in city.get(url).content.decode(), url
    bulk_applications(50, organisation=people.org_nanning, call=call, by=people.agency_nanning)
    for url in (reverse("filings:queue"), reverse("filings:application_list")):
        page = city.get(url).content.decode()
        assert "共 53 条" in page, url
        assert "第 1 页，共 2 页" in page, url
