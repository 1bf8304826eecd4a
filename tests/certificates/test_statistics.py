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


def test_the_figures_add_up_by_occupation_level_city_and_month_for_each_jurisdiction(people, client_for):
    """Tallies typed by hand over three sessions: 南宁's agency evaluating in 南宁 and in 柳州, 柳州's agency in
    柳州; each chart adds up the groups it folds together, and each official sees the sessions of the evaluations
    in their city and of the agencies registered there."""
    from tests.certificates.factories import session_of

    nanning = filed_entry(people.org_nanning, institution_code="S000045000001")
    liuzhou = filed_entry(people.org_liuzhou, institution_code="S000045000002")
    here = session_of(nanning, people.centre, code=GUARD, level=5)
    away = session_of(nanning, people.centre, code=GUARD, level=5)
    away.plan.city = liuzhou.region
    away.plan.save(update_fields=["city"])
    theirs = session_of(liuzhou, people.centre, code=MANAGER, level=3)
    guard, manager = here.plan.occupation, theirs.plan.occupation
    jan, feb, mar = dt.date(2026, 1, 1), dt.date(2026, 2, 1), dt.date(2026, 3, 1)
    for session, occupation, level, month, total, revoked in [
        (here, guard, 5, jan, 7, 1),
        (here, guard, 5, feb, 5, 0),
        (here, manager, 3, feb, 2, 0),
        (away, guard, 5, jan, 4, 2),
        (theirs, manager, 3, mar, 10, 3),
        (theirs, guard, 4, jan, 6, 0),
    ]:
        Tally.objects.create(
            session=session, occupation=occupation, level=level, month=month, total=total, revoked=revoked
        )

    def figures(user):
        data = statistics(user)
        return (
            data["total"],
            [(r["occupation__name"], r["level"], r["total"], r["revoked"]) for r in data["by_occupation"]],
            [
                (r["session__plan__city__code"], r["session__plan__city__name"], r["total"], r["revoked"])
                for r in data["by_city"]
            ],
            [(r["month"], r["total"], r["revoked"]) for r in data["by_month"]],
        )

    assert figures(people.centre) == (
        34,
        [("保卫管理员", 3, 12, 3), ("保安员", 5, 16, 3), ("保安员", 4, 6, 0)],
        [("450100", "南宁市", 14, 1), ("450200", "柳州市", 20, 5)],
        [(jan, 17, 3), (feb, 7, 0), (mar, 10, 3)],
    )
    assert figures(people.city_nanning) == (
        18,
        [("保卫管理员", 3, 2, 0), ("保安员", 5, 16, 3)],
        [("450100", "南宁市", 14, 1), ("450200", "柳州市", 4, 2)],
        [(jan, 11, 3), (feb, 7, 0)],
    )
    assert figures(people.police_nanning) == figures(people.city_nanning)
    assert figures(people.city_liuzhou) == (
        20,
        [("保卫管理员", 3, 10, 3), ("保安员", 5, 4, 2), ("保安员", 4, 6, 0)],
        [("450200", "柳州市", 20, 5)],
        [(jan, 10, 2), (mar, 10, 3)],
    )
    page = client_for(people.city_liuzhou).get(reverse("certificates:statistics"))
    charts = dict(page.context["charts"])
    assert page.context["total"] == 20
    assert [(bar["total"], bar["revoked"], bar["width"]) for bars in charts.values() for bar in bars] == [
        (10, 3, 100), (4, 2, 40), (6, 0, 60),
        (20, 5, 100),
        (10, 2, 100), (10, 3, 100),
    ]  # fmt: skip
    assert [bar["label"] for bar in list(charts.values())[2]] == ["2026-01", "2026-03"]
