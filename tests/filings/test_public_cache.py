"""Public answers cached with versioned keys (issue 16): served from the cache without touching the database,
and a change made through the services is visible to the very next request."""

from __future__ import annotations

import pytest
from django.test import Client

from agencies.services import directory_remove, directory_suspend
from filings.models import Receipt
from filings.services.filing import receipt_regenerate
from portal.lib.display import ELDER_COOKIE
from tests.filings.factories import directory_entry

TOKEN = "f3c1a9e0b7d24c6e8a5f1d2c3b4a5968"


@pytest.fixture(autouse=True)
def cache_on(settings):
    settings.PUBLIC_CACHE_SECONDS = 600


@pytest.fixture
def entry(people):
    return directory_entry(people.org_nanning, institution_code="Y4501000001", approvals=[("3-02-02-00", (3,))])


@pytest.fixture
def receipt(entry):
    return Receipt.objects.create(
        application=entry.application, version_number=1, number="桂技鉴备〔2024〕0001号", token=TOKEN,
        status=Receipt.Status.READY,
    )  # fmt: skip


def test_a_second_visit_is_served_without_the_database(client, entry, django_assert_num_queries):
    first = client.get("/directory/")
    assert first.status_code == 200 and "南宁市安盾职业技能培训学校" in first.content.decode()
    with django_assert_num_queries(0):
        second = Client().get("/directory/")
    assert second.status_code == 200 and "南宁市安盾职业技能培训学校" in second.content.decode()


def test_a_suspension_leaves_the_default_listing_at_once(client, entry, people, django_capture_on_commit_callbacks):
    assert "南宁市安盾职业技能培训学校" in client.get("/directory/").content.decode()
    api = client.get("/api/v1/directory/").json()
    assert [row["name"] for row in api["results"]] == ["南宁市安盾职业技能培训学校"]
    import datetime as dt

    with django_capture_on_commit_callbacks(execute=True):
        directory_suspend(entry=entry, until=dt.date.today() + dt.timedelta(days=30), reason="整改", by=people.centre)
    assert "南宁市安盾职业技能培训学校" not in Client().get("/directory/").content.decode()
    assert Client().get("/api/v1/directory/").json()["count"] == 0
    page = Client().get(f"/directory/{entry.pk}/").content.decode()
    assert "整改" in page


def test_a_removal_shows_on_the_entry_page_at_once(client, entry, people, django_capture_on_commit_callbacks):
    assert "移出目录" not in client.get(f"/directory/{entry.pk}/").content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        directory_remove(entry=entry, reason="违规发放证书", by=people.centre)
    assert "违规发放证书" in Client().get(f"/directory/{entry.pk}/").content.decode()


def test_without_the_services_bump_the_cached_answer_stays(client, entry, people):
    """The control: the version bump is what makes the change visible (here the commit never happens)."""
    import datetime as dt

    assert client.get("/api/v1/directory/").json()["count"] == 1
    directory_suspend(entry=entry, until=dt.date.today() + dt.timedelta(days=30), reason="整改", by=people.centre)
    assert Client().get("/api/v1/directory/").json()["count"] == 1


def test_a_receipt_being_produced_again_no_longer_verifies_at_once(
    client, receipt, people, django_capture_on_commit_callbacks
):
    assert client.get(f"/api/v1/receipts/verify/?token={TOKEN}").status_code == 200
    with django_capture_on_commit_callbacks() as callbacks:
        receipt_regenerate(receipt=receipt, by=people.centre)
    for callback in callbacks:  # the commit's version bump; not the re-rendering task, which would make it ready
        if callback.__qualname__ == "bump.<locals>._bump":
            callback()
    assert Client().get(f"/api/v1/receipts/verify/?token={TOKEN}").status_code == 404


def test_a_cached_page_sets_no_cookie_for_any_visitor_and_the_language_switch_works(entry):
    first, second = Client(enforce_csrf_checks=True), Client(enforce_csrf_checks=True)
    first.get("/directory/")
    page = second.get("/directory/")
    assert page.status_code == 200 and not page.cookies
    assert "csrfmiddlewaretoken" not in page.content.decode() and "@@csrf-token@@" not in page.content.decode()
    switched = second.get("/i18n/setlang/", {"language": "en", "next": "/directory/"})  # the menu's GET form
    assert switched.status_code == 302 and switched["Location"] == "/directory/"
    assert 'lang="en"' in second.get("/directory/").content.decode()
    assert 'lang="zh-hans"' in first.get("/directory/").content.decode()


def test_a_signed_in_visitor_is_not_served_the_anonymous_page(client, client_for, entry, people):
    client.get("/directory/")
    page = client_for(people.city_nanning).get("/directory/").content.decode()
    assert people.city_nanning.username in page or people.city_nanning.display_name in page


def test_a_renamed_organisation_is_found_and_sorted_by_its_new_name(client, entry, django_capture_on_commit_callbacks):
    assert client.get("/api/v1/directory/?q=安盾").json()["count"] == 1
    organisation = entry.organisation
    organisation.name = "南宁市新盾职业技能培训学校"
    with django_capture_on_commit_callbacks(execute=True):
        organisation.save()
    entry.refresh_from_db()
    assert entry.name == "南宁市新盾职业技能培训学校"
    assert Client().get("/api/v1/directory/?q=安盾").json()["count"] == 0
    assert [r["name"] for r in Client().get("/api/v1/directory/?q=新盾").json()["results"]] == [entry.name]


@pytest.mark.parametrize("first_on", [False, True])
def test_a_cached_page_comes_in_the_elder_mode_the_visitor_chose(entry, settings, first_on):
    """First-day finding: switching 长辈模式 on a cached directory page showed the page as it was cached."""
    settings.PUBLIC_CACHE_SECONDS = 600
    plain, elder = Client(), Client()
    elder.cookies[ELDER_COOKIE] = "1"
    visitors = [elder, plain] if first_on else [plain, elder]
    for visitor in visitors:  # the first one's page is cached
        visitor.get("/directory/")
    assert '<html lang="zh-hans" class="elder"' in elder.get("/directory/").content.decode()
    assert '<html lang="zh-hans" class=""' in plain.get("/directory/").content.decode()
