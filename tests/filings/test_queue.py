"""The reviewer's queue: jurisdiction, filters, working days, and a query count that does not grow."""

import datetime as dt

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.filings.factories import bulk_applications, make_call, nanning_submission


def test_the_queue_shows_what_waits_for_the_city_with_working_days(people, client_for):
    application = nanning_submission(people)
    page = client_for(people.city_nanning).get(reverse("filings:queue")).content.decode()
    assert application.organisation.name in page and application.reference in page
    assert client_for(people.centre).get(reverse("filings:queue")).content.decode().count(application.reference) == 0


def test_overdue_filter_and_highlight(people, client_for):
    call = make_call("queue-gx")
    bulk_applications(
        2, organisation=people.org_nanning, call=call, deadline=dt.date(2026, 1, 5), by=people.agency_nanning
    )
    bulk_applications(
        3, organisation=people.org_nanning, call=call, deadline=dt.date(2099, 1, 5), by=people.agency_nanning
    )
    page = client_for(people.city_nanning).get(reverse("filings:queue"), {"overdue": "1"}).content.decode()
    assert page.count("table-danger") == 2


def test_the_queue_needs_the_same_number_of_queries_for_5_or_60_applications(people, client_for):
    call = make_call("queue-size")
    client = client_for(people.city_nanning)

    def queries() -> int:
        with CaptureQueriesContext(connection) as context:
            assert client.get(reverse("filings:queue")).status_code == 200
        return len(context.captured_queries)

    bulk_applications(5, organisation=people.org_nanning, call=call, by=people.agency_nanning)
    few = queries()
    bulk_applications(55, organisation=people.org_nanning, call=call, by=people.agency_nanning)
    assert queries() == few


def test_police_of_a_city_first_province_open_the_queue_on_every_application_of_their_city(people, client_for):
    """In Guangxi the city bureau reviews first: nothing ever waits for the police, so their queue opens on all
    the applications of their city rather than on an always empty "waiting for me"."""
    submitted = nanning_submission(people)
    police = client_for(people.police_nanning).get(reverse("filings:queue"))
    assert police.context["state"] == "all"
    assert [row["application"].pk for row in police.context["rows"]] == [submitted.pk]
    # The city bureau, whose turn it is, still opens on what waits for it; 柳州's police see nothing of 南宁.
    assert client_for(people.city_nanning).get(reverse("filings:queue")).context["state"] == "mine"
    assert client_for(people.police_liuzhou).get(reverse("filings:queue")).context["rows"] == []
