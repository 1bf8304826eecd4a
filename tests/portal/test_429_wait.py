"""First-day finding: the "too many" pages said "请几分钟后再试" without a time and without the help desk. They now
say the longest wait in minutes, from the limit's own window, and name the support contact."""

from __future__ import annotations

import pytest

from portal.lib.ratelimit import Limit

CONTACT = "信息中心 0771-5555555"


@pytest.mark.parametrize(("seconds", "minutes"), [(1, 1), (59, 1), (60, 1), (61, 2), (600, 10), (3600, 60)])
def test_the_wait_in_whole_minutes(seconds, minutes):
    assert Limit(3, seconds).minutes == minutes


@pytest.mark.parametrize(("window", "told"), [(60, "最多 1 分钟后即可再试"), (600, "最多 10 分钟后即可再试")])
def test_the_look_ups_page_says_the_wait_and_the_contact(client, db, settings, window, told):
    settings.PUBLIC_LOOKUP_LIMIT = 3
    settings.PUBLIC_LOOKUP_WINDOW_SECONDS = window
    settings.PORTAL_SUPPORT_CONTACT = CONTACT
    for _ in range(3):
        client.get("/directory/")
    response = client.get("/directory/?page=2")
    html = response.content.decode()
    assert response.status_code == 429 and response["Retry-After"] == str(window)
    assert told in html and CONTACT in html
    if window > 60:  # the page's own sentence does not promise a minute either
        assert "一分钟" not in html


def test_the_certificate_page_past_its_limit_says_the_wait_and_the_contact(client, db, settings):
    settings.CERTIFICATE_VERIFY_LIMIT = 2
    settings.CERTIFICATE_VERIFY_WINDOW_SECONDS = 60
    settings.PORTAL_SUPPORT_CONTACT = CONTACT
    for _ in range(2):
        client.post("/certificates/verify/", {"number": "S1", "name": "张三"})
    response = client.post("/certificates/verify/", {"number": "S1", "name": "张三"})
    html = response.content.decode()
    assert response.status_code == 429
    assert "最多 1 分钟后即可再试" in html and CONTACT in html
