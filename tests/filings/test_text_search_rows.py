"""The queue's and the applications list's text search finds what it found before its organisations travel as one
array (``portal.lib.lookups.InArray``) and Chinese text stopped testing the credit codes (issue 16 item 4): the
rows a user reads for a name, a credit code and a reference number as typed, on SQLite and PostgreSQL. These pass
on the code before the change too, except the last two, which say what the change is for."""

from __future__ import annotations

import re

import pytest
from django.db import connection
from django.db.models import F, Q
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from agencies.models import Organisation
from filings.models import Application
from portal.lib.lookups import InArray
from tests.agencies.factories import OrganisationFactory
from tests.filings.factories import bulk_applications, make_call
from tests.portal.factories import region

ROW_NAME = re.compile(r'<td>(?:<a href="/filings/\d+/">)?(南宁市[^<]+|柳州市[^<]+)(?:</a>)?(?:<div|</td>)')


@pytest.fixture
def agencies(people):
    call = make_call("search-rows")
    nanning = region("450100")
    made = {
        "鼎": OrganisationFactory(name="南宁市鼎盛职业技能培训学校", uscc="52450100MJA7K3Q8A1", region=nanning),
        "鼎2": OrganisationFactory(name="南宁市鼎新保安培训中心", uscc="52450100MJA7K3Q8B2", region=nanning),
        "other": OrganisationFactory(name="南宁市安达职业培训学校", uscc="52450100MJA7K3Q8C3", region=nanning),
        "liuzhou": OrganisationFactory(
            name="柳州市鼎立职业培训学校", uscc="52450200MJA7K3Q8D4", region=region("450200")
        ),
    }
    for key, organisation in made.items():
        bulk_applications(2, organisation=organisation, call=call, by=people.agency_nanning)
        made[key] = organisation
    return made


def names_found(client, url: str, typed: str) -> list[str]:
    return ROW_NAME.findall(client.get(url, {"state": "all", "q": typed}).content.decode())


@pytest.mark.parametrize("url_name", ["filings:queue", "filings:application_list"])
def test_chinese_text_finds_the_applications_of_the_organisations_so_named_in_the_jurisdiction(
    people, client_for, agencies, url_name
):
    found = names_found(client_for(people.city_nanning), reverse(url_name), "鼎")
    assert sorted(found) == sorted([agencies["鼎"].name] * 2 + [agencies["鼎2"].name] * 2)
    assert names_found(client_for(people.centre), reverse(url_name), "鼎立") == [agencies["liuzhou"].name] * 2
    assert names_found(client_for(people.city_nanning), reverse(url_name), "鼎立") == []  # 柳州's: not 南宁's


def test_a_credit_code_as_typed_finds_its_organisation(people, client_for, agencies):
    client = client_for(people.city_nanning)
    url = reverse("filings:queue")
    assert names_found(client, url, " ｍｊａ７ｋ３ｑ８ａ１ ") == [agencies["鼎"].name] * 2  # full-width, lower case
    assert names_found(client, url, "q8b2") == [agencies["鼎2"].name] * 2
    assert sorted(set(names_found(client, url, "52450100MJA7K3Q8"))) == sorted(
        organisation.name for key, organisation in agencies.items() if key != "liuzhou"
    )


def test_a_reference_number_finds_its_application_only(people, client_for, agencies):
    application = Application.objects.filter(organisation=agencies["other"]).order_by("pk").first()
    Application.objects.filter(pk=application.pk).update(reference="BA4501002026SR0042")
    client = client_for(people.city_nanning)
    page = client.get(reverse("filings:queue"), {"state": "all", "q": "sr0042"}).content.decode()
    assert ROW_NAME.findall(page) == [agencies["other"].name]
    assert "BA4501002026SR0042" in page


def test_text_matching_no_organisation_finds_nothing_and_says_so(people, client_for, agencies):
    page = client_for(people.city_nanning).get(reverse("filings:queue"), {"state": "all", "q": "无此机构"})
    assert ROW_NAME.findall(page.content.decode()) == []
    assert "没有符合条件的记录" in page.content.decode() or "Nothing matches." in page.content.decode()


@pytest.mark.parametrize("wanted", ["none", "one", "some", "all"])
def test_in_array_keeps_the_rows_whose_column_is_listed_as_in_does(agencies, wanted):
    everyone = sorted(organisation.pk for organisation in agencies.values())
    ids = {"one": everyone[:1], "some": everyone[1:3], "all": everyone}.get(wanted, [])
    expected = list(Application.objects.filter(organisation_id__in=ids).order_by("pk").values_list("pk", flat=True))
    found = Application.objects.filter(InArray(F("organisation_id"), ids)).order_by("pk").values_list("pk", flat=True)
    assert list(found) == expected
    assert len(expected) == 2 * len(ids)
    either = Application.objects.filter(Q(InArray(F("organisation_id"), ids)) | Q(reference__isnull=True))
    assert either.count() == len(expected)  # ORed with another test (none of these has no reference)


def test_the_organisations_found_travel_as_one_parameter_on_postgresql(people, client_for, agencies):
    """500 organisations at province scale were 500 placeholders in each of the page's two queries."""
    client = client_for(people.city_nanning)
    client.get(reverse("filings:queue"), {"state": "all", "q": "鼎"})
    with CaptureQueriesContext(connection) as captured:
        client.get(reverse("filings:queue"), {"state": "all", "q": "鼎"})
    searched = [
        q["sql"]
        for q in captured.captured_queries
        if "filings_application" in q["sql"] and "organisation_id" in q["sql"]
    ]
    assert len(searched) >= 2  # the count and the page
    for sql in searched:
        if connection.vendor == "postgresql":
            assert re.search(r'"organisation_id" = ANY\(\'\{\d+(,\d+)*\}\'[^)]*::bigint\[\]\)', sql), sql
        else:
            assert re.search(r'"organisation_id" IN \(\d+(, \d+)*\)', sql), sql


def test_chinese_text_does_not_test_the_credit_codes(people, client_for, agencies):
    """A credit code is ASCII: testing 5,000 of them against a Chinese pattern was three quarters of the search's
    organisation scan."""
    client = client_for(people.city_nanning)
    with CaptureQueriesContext(connection) as captured:
        client.get(reverse("filings:queue"), {"state": "all", "q": "鼎"})
    organisations = [q["sql"] for q in captured.captured_queries if 'FROM "agencies_organisation"' in q["sql"]]
    assert organisations and all('"uscc"' not in sql for sql in organisations)
    with CaptureQueriesContext(connection) as captured:
        client.get(reverse("filings:queue"), {"state": "all", "q": "q8b2"})
    assert any('"uscc"' in q["sql"] for q in captured.captured_queries if 'FROM "agencies_organisation"' in q["sql"])
    assert Organisation.objects.count() >= 4


@pytest.mark.parametrize(
    ("typed", "found"),
    [
        ("鼎", ["南宁市ABC鼎盛培训学校", "南宁市abc鼎新培训中心"]),  # no cased letter: the names as stored
        ("c鼎", ["南宁市ABC鼎盛培训学校", "南宁市abc鼎新培训中心"]),  # a letter: any case, as before
        ("C鼎", ["南宁市ABC鼎盛培训学校", "南宁市abc鼎新培训中心"]),
        ("C鼎盛", ["南宁市ABC鼎盛培训学校"]),
        ("鼎新", ["南宁市abc鼎新培训中心"]),
        ("２０", []),  # full-width digits (no case) are typed as ASCII digits: no name holds "20"
    ],
)
def test_text_with_or_without_cased_letters_finds_the_same_names(people, client_for, typed, found):
    """Text without a letter that has a case compares the names as stored; with one, in any case: the rows are
    those of the same search in any case (names with Latin letters of both cases around the Chinese)."""
    call = make_call("search-case")
    # Credit codes of their own: the factory's sequence, shared by the whole run, can reach one holding "20".
    names = ("南宁市ABC鼎盛培训学校", "南宁市abc鼎新培训中心", "南宁市安达职业培训学校")
    for serial, name in enumerate(names, start=1):
        organisation = OrganisationFactory(name=name, region=region("450100"), uscc=f"52450100000009999{serial}")
        bulk_applications(1, organisation=organisation, call=call, by=people.agency_nanning)
    client = client_for(people.city_nanning)
    assert sorted(names_found(client, reverse("filings:queue"), typed)) == sorted(found)
