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


@pytest.fixture
def reported(people):
    """A session of 南宁's agency with two candidates, its results reported to the bureau."""
    from certificates.models import Session
    from certificates.services import results_report
    from tests.certificates.factories import ID_A, ID_B, candidates, filed_entry, session_of

    entry = filed_entry(people.org_nanning, institution_code="S000045000001")
    session = session_of(entry, people.agency_nanning)
    candidates(session, [("张小三", ID_A), ("李丽", ID_B)])
    Session.objects.filter(pk=session.pk).update(status=Session.Status.PUBLICISED)
    return results_report(session=session, by=people.agency_nanning)
