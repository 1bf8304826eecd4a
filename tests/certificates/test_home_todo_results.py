"""我的待办 of a city's HR bureau counts the results reported to it: those of the agencies of its city, which it
approves (桂人社函〔2020〕203号 三（五）: results reported to and approved by the HR bureau of the agency's city),
not those of another city's agency that evaluated in its city; and a result leaves the list once decided."""

from __future__ import annotations

import pytest

from certificates.models import Session
from tests.certificates.factories import ID_A, ID_B, candidates, filed_entry, session_of
from tests.portal.factories import region

pytestmark = pytest.mark.django_db

TO_APPROVE = "待审核的成绩上报"


def todo_of(client) -> dict[str, int]:
    response = client.get("/")
    assert response.status_code == 200
    return {str(item.label): item.count for item in response.context["todo"]}


def test_reported_results_wait_for_the_bureau_of_the_agencys_city_only(people, client_for):
    entry = filed_entry(people.org_nanning, institution_code="S000045000001")
    session = session_of(entry, people.agency_nanning)
    # The 南宁 agency held this evaluation in 柳州 (a cross-region evaluation).
    session.plan.city = region("450200")
    session.plan.save(update_fields=["city"])
    candidates(session, [("张小三", ID_A), ("李丽", ID_B)])
    Session.objects.filter(pk=session.pk).update(status=Session.Status.REPORTED)

    assert todo_of(client_for(people.city_nanning))[TO_APPROVE] == 1
    assert TO_APPROVE not in todo_of(client_for(people.city_liuzhou))

    Session.objects.filter(pk=session.pk).update(status=Session.Status.APPROVED)
    assert TO_APPROVE not in todo_of(client_for(people.city_nanning))
