"""The certificate statistics page (issue 16): its figures come from the sessions' tallies, written with the
certificates, and must equal what counting the certificates gives; its queries do not grow with them."""

from __future__ import annotations

import datetime as dt

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from certificates.models import Certificate, Tally
from certificates.selectors import statistics
from certificates.services import certificate_revoke, certificates_issue, tallies_rebuild
from tests.certificates.factories import GUARD, MANAGER, approved_session, filed_entry


def _issue(entry, people, count: int, *, first: int, code: str, level: int) -> list[Certificate]:
    session = approved_session(entry, people.agency_nanning, count, first=first, code=code, level=level)
    return certificates_issue(session=session, by=people.agency_nanning)


def test_the_figures_count_every_certificate_issued_and_revoked(people):
    entry = filed_entry(people.org_nanning, institution_code="S000045000001")
    guards = _issue(entry, people, 3, first=0, code=GUARD, level=5)
    _issue(entry, people, 30, first=100, code=MANAGER, level=3)
    certificate_revoke(certificate=guards[0], by=people.agency_nanning, reason="证书信息有误。")
    month = timezone.localdate().replace(day=1)

    data = statistics(people.city_nanning)

    assert data["total"] == 33
    by_occupation = {(r["occupation__name"], r["level"]): (r["total"], r["revoked"]) for r in data["by_occupation"]}
    assert by_occupation == {("保安员", 5): (3, 1), ("保卫管理员", 3): (30, 0)}
    assert [(r["session__plan__city__code"], r["total"], r["revoked"]) for r in data["by_city"]] == [("450100", 33, 1)]
    assert [(r["month"], r["total"], r["revoked"]) for r in data["by_month"]] == [(month, 33, 1)]
    # Outside the jurisdiction of the evaluation and of the agency: nothing.
    assert statistics(people.city_liuzhou)["total"] == 0
    assert statistics(people.city_liuzhou)["by_city"] == []


def test_rebuilding_the_tallies_gives_the_figures_the_services_wrote(people):
    entry = filed_entry(people.org_nanning, institution_code="S000045000001")
    issued = _issue(entry, people, 4, first=0, code=GUARD, level=5)
    certificate_revoke(certificate=issued[1], by=people.agency_nanning, reason="重复发证。")
    # Two issued in an earlier month (as the load harness writes them, around the services).
    Certificate.objects.filter(pk__in=[issued[2].pk, issued[3].pk]).update(issued_on=dt.date(2025, 3, 9))
    written = statistics(people.centre)
    session = issued[0].candidate.session

    tallies_rebuild(session=session)

    rebuilt = statistics(people.centre)
    assert rebuilt["total"] == 4
    assert {(r["month"], r["total"], r["revoked"]) for r in rebuilt["by_month"]} == {
        (dt.date(2025, 3, 1), 2, 0),
        (timezone.localdate().replace(day=1), 2, 1),
    }
    assert written["total"] == rebuilt["total"] and written["by_occupation"] == rebuilt["by_occupation"]
    assert Tally.objects.filter(session=session).count() == 2


def test_the_page_costs_the_same_queries_for_3_and_for_30_certificates(people, client_for):
    entry = filed_entry(people.org_nanning, institution_code="S000045000001")
    client = client_for(people.centre)
    url = reverse("certificates:statistics")
    _issue(entry, people, 3, first=0, code=GUARD, level=5)
    client.get(url)  # the first request after signing in renews the session
    with CaptureQueriesContext(connection) as few:
        first = client.get(url)
    _issue(entry, people, 27, first=100, code=MANAGER, level=3)
    with CaptureQueriesContext(connection) as many:
        second = client.get(url)
    assert len(many.captured_queries) == len(few.captured_queries)
    assert first.context["total"] == 3 and second.context["total"] == 30
    assert "30" in second.content.decode()
