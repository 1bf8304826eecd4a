"""Public look-ups limited per client address (issue 14, item 6): the directory, receipt verification and their
APIs answer 429 past PUBLIC_LOOKUP_LIMIT, with a Chinese message (JSON for the API) and Retry-After."""

from __future__ import annotations

import pytest

from portal.lib.ratelimit import Limit, counted

LOOKUPS = ["/directory/", "/verify/", "/api/v1/directory/", "/api/v1/receipts/verify/?token=unknown"]


@pytest.fixture
def limit_of_three(settings):
    settings.PUBLIC_LOOKUP_LIMIT = 3
    settings.PUBLIC_LOOKUP_WINDOW_SECONDS = 60


@pytest.mark.parametrize("url", LOOKUPS)
def test_the_fourth_look_up_in_the_window_is_refused_and_another_address_still_served(client, db, limit_of_three, url):
    statuses = [client.get(url).status_code for _ in range(4)]
    assert 429 not in statuses[:3] and statuses[3] == 429
    assert client.get(url, REMOTE_ADDR="10.9.8.7").status_code != 429


def test_the_page_says_it_in_chinese_with_retry_after(client, db, limit_of_three):
    for _ in range(3):
        client.get("/directory/")
    response = client.get("/directory/?page=2")
    assert response.status_code == 429 and response["Retry-After"] == "60"
    assert "查询过于频繁" in response.content.decode()


def test_the_api_answers_json_in_chinese(client, db, limit_of_three):
    for _ in range(3):
        client.get("/api/v1/directory/")
    response = client.get("/api/v1/receipts/verify/?token=x")  # the same address, another look-up: one budget
    assert response.status_code == 429 and response["Content-Type"].startswith("application/json")
    assert response["Retry-After"] == "60"
    assert "请稍后再试" in response.json()["detail"]


def test_other_public_pages_are_not_counted(client, db, limit_of_three):
    statuses = [client.get("/notices/").status_code for _ in range(5)]
    assert 429 not in statuses


def test_below_the_limit_nothing_is_refused(client, db, settings):
    settings.PUBLIC_LOOKUP_LIMIT = 5
    assert 429 not in [client.get("/directory/").status_code for _ in range(5)]


def test_a_count_is_per_window_and_per_scope(db):
    limit = Limit(2, 60)
    assert [counted("a", "10.0.0.1", limit) for _ in range(3)] == [1, 2, 3]
    assert counted("b", "10.0.0.1", limit) == 1
    assert counted("a", "10.0.0.2", limit) == 1
