"""Every certificates test ends with each session's kept counts (``SessionCounts``, its page's figures) equal to a
fresh count of its rows: a service that writes candidates or certificates and forgets to move them fails the test
that calls it (issue 16 item 4). Rows a test writes around the services are counted again with
``tests.certificates.factories.recount``."""

from __future__ import annotations

import pytest


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_call(item):
    outcome = yield
    if outcome.excinfo is not None or (item.get_closest_marker("django_db") is None and "db" not in item.fixturenames):
        return
    assert_counts_kept()


def assert_counts_kept() -> None:
    from certificates.models import SessionCounts
    from certificates.selectors import COUNTED, counts_fresh

    for kept in SessionCounts.objects.values("session_id", *COUNTED):
        session_id = kept.pop("session_id")
        assert kept == counts_fresh(session_id), f"session {session_id}: kept counts differ from its rows"
