"""Queues and lists: a text search on the organisation's name, the reference number and the credit code; pages
instead of a cut at 200 rows; an Excel export of exactly what the filter shows, every page of it."""

from io import BytesIO

from django.urls import reverse
from openpyxl import load_workbook

from tests.agencies.factories import OrganisationFactory
from tests.filings.factories import bulk_applications, make_call, nanning_submission
from tests.portal.factories import region


def rows_of(response) -> list[tuple]:
    return list(load_workbook(BytesIO(response.content)).active.iter_rows(values_only=True))[1:]


def test_the_queue_finds_an_application_by_name_reference_or_credit_code_as_typed(people, client_for):
    application = nanning_submission(people)
    # Another agency of the same city, which the search must leave out.
    other = OrganisationFactory(name="南宁市另一职业技能培训学校", region=region("450100"))
    bulk_applications(3, organisation=other, call=application.call, by=people.agency_nanning)
    client = client_for(people.city_nanning)
    url = reverse("filings:queue")
    for typed in ("安盾", f"  {application.reference.lower()} ", people.org_nanning.uscc.lower()):
        page = client.get(url, {"state": "all", "q": typed}).content.decode()
        assert people.org_nanning.name in page, typed
        assert other.name not in page, typed
    assert other.name in client.get(url, {"state": "all"}).content.decode()


def test_the_queue_export_has_every_row_of_the_filter_and_only_those(people, client_for):
    call = make_call()
    other = OrganisationFactory(name="南宁市另一职业技能培训学校", region=region("450100"))
    bulk_applications(60, organisation=people.org_nanning, call=call, by=people.agency_nanning)
    bulk_applications(5, organisation=other, call=call, by=people.agency_nanning)
    client = client_for(people.city_nanning)
    response = client.get(reverse("filings:queue_export"), {"state": "all", "q": "安盾"})
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    rows = rows_of(response)
    assert len(rows) == 60  # more than one page of the queue (50)
    assert {row[0] for row in rows} == {people.org_nanning.name}
    assert rows[0][1] == people.org_nanning.uscc


def test_the_list_has_pages_instead_of_stopping_at_two_hundred(people, client_for):
    bulk_applications(230, organisation=people.org_nanning, call=make_call(), by=people.agency_nanning)
    client = client_for(people.centre)
    last = client.get(reverse("filings:application_list"), {"page": 5}).content.decode()
    assert "第 5 页，共 5 页" in last
    assert last.count('class="badge text-bg-primary"') == 30
    assert len(rows_of(client.get(reverse("filings:application_export")))) == 230


def test_the_list_export_follows_the_search(people, client_for):
    application = nanning_submission(people)
    bulk_applications(3, organisation=people.org_liuzhou, call=application.call, by=people.agency_liuzhou)
    rows = rows_of(client_for(people.centre).get(reverse("filings:application_export"), {"q": application.reference}))
    assert [(row[0], row[1]) for row in rows] == [(application.reference, people.org_nanning.name)]


def test_an_agency_exports_only_its_own_applications(people, client_for):
    call = make_call()
    bulk_applications(2, organisation=people.org_nanning, call=call, by=people.agency_nanning)
    bulk_applications(2, organisation=people.org_liuzhou, call=call, by=people.agency_liuzhou)
    rows = rows_of(client_for(people.agency_nanning).get(reverse("filings:application_export")))
    assert {row[1] for row in rows} == {people.org_nanning.name}


def test_the_directory_export_follows_the_search(people, client):
    from tests.filings.factories import directory_entry

    nanning = directory_entry(people.org_nanning)
    directory_entry(people.org_liuzhou)
    rows = rows_of(client.get(reverse("directory:export"), {"q": people.org_nanning.name}))
    assert [(row[0], row[1]) for row in rows] == [(people.org_nanning.name, nanning.institution_code)]
    assert len(rows_of(client.get(reverse("directory:export")))) == 2


def test_the_centre_exports_its_notices_one_row_per_agency(people, client_for):
    from tests.test_access_effects import published_notice

    notice = published_notice(people, nanning_submission(people))
    rows = rows_of(client_for(people.centre).get(reverse("filings:notice_export")))
    assert [(row[0], row[5]) for row in rows] == [(notice.title, people.org_nanning.name)]
    assert rows[0][3] == notice.opens_on.isoformat() and "保卫管理员" in rows[0][8]


def test_the_queue_export_marks_overdue_only_after_the_deadline_day(people, client_for):
    import datetime as dt

    from django.utils import timezone

    today = timezone.localdate()
    call = make_call()
    bulk_applications(1, organisation=people.org_nanning, call=call, deadline=today, by=people.agency_nanning)
    yesterday = today - dt.timedelta(days=1)
    bulk_applications(1, organisation=people.org_nanning, call=call, deadline=yesterday, by=people.agency_nanning)
    response = client_for(people.city_nanning).get(reverse("filings:queue_export"), {"state": "all"})
    overdue = {row[7]: row[8] for row in rows_of(response)}
    assert set(overdue) == {today.isoformat(), yesterday.isoformat()}
    assert not overdue[today.isoformat()]  # the deadline day itself is still in time, as on the queue page
    assert overdue[yesterday.isoformat()]
