"""Verification by ID number and name shows every certificate of the person, newest first, masked; the API keeps
issue 12's contract (``{"found": true, "certificate": {...}}``, the newest) with the ``certificates`` list
alongside. A wrong name still answers exactly ``{"found": false}``."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from certificates.models import Certificate, Session
from certificates.services import certificates_issue
from tests.certificates.factories import GUARD, ID_A, ID_B, MANAGER, candidates, filed_entry, session_of

API = "/api/v1/certificates/verify/"
PAGE = "/certificates/verify/"


def issue(entry, people, *, code: str, level: int, on: dt.date, holders) -> list[Certificate]:
    session = session_of(entry, people.agency_nanning, code=code, level=level)
    candidates(session, holders)
    Session.objects.filter(pk=session.pk).update(status=Session.Status.APPROVED)
    session.refresh_from_db()
    issued = certificates_issue(session=session, by=people.agency_nanning)
    Certificate.objects.filter(pk__in=[c.pk for c in issued]).update(issued_on=on)
    return issued


@pytest.fixture
def three(people) -> list[str]:
    """张小三 holds three certificates (2024, 2026, 2025: issued in that order); 李丽 one."""
    entry = filed_entry(people.org_nanning, institution_code="S000045000001")
    first = issue(entry, people, code=GUARD, level=5, on=dt.date(2024, 5, 6), holders=[("张小三", ID_A)])
    second = issue(
        entry, people, code=MANAGER, level=3, on=dt.date(2026, 3, 2), holders=[("张小三", ID_A), ("李丽", ID_B)]
    )
    third = issue(entry, people, code=GUARD, level=4, on=dt.date(2025, 7, 1), holders=[("张小三", ID_A)])
    return [second[0].number, third[0].number, first[0].number]  # newest first


def test_the_api_answers_the_newest_and_every_certificate_newest_first(client, three):
    asked = json.dumps({"id_number": ID_A, "name": "张小三"})
    body = client.post(API, data=asked, content_type="application/json").json()
    assert body["found"] is True
    assert body["certificate"]["number"] == three[0]
    assert [c["number"] for c in body["certificates"]] == three
    assert [c["issued_on"] for c in body["certificates"]] == ["2026-03-02", "2025-07-01", "2024-05-06"]
    for certificate in body["certificates"]:
        assert (certificate["holder_name"], certificate["id_number"]) == ("张*三", "4501**********1238")
    assert "张小三" not in json.dumps(body, ensure_ascii=False) and ID_A not in json.dumps(body)


def test_a_wrong_name_answers_exactly_not_found(client, three):
    response = client.post(API, data=json.dumps({"id_number": ID_A, "name": "张小四"}), content_type="application/json")
    assert response.content == b'{"found": false}'


def test_the_page_lists_every_certificate_of_the_person_masked(client, three):
    page = client.post(PAGE, {"id_number": ID_A, "name": "张小三"}).content.decode()
    positions = [page.index(number) for number in three]
    assert positions == sorted(positions)
    assert page.count("4501**********1238") == 3 and "张小三" not in page.split("<form")[-1].split("</form>")[-1]
    assert ID_A not in page.split("</form>")[-1]
    assert "6101" not in page  # 李丽's certificate is hers


def test_by_number_the_page_shows_only_that_certificate(client, three):
    page = client.post(PAGE, {"number": three[2], "name": "张小三"}).content.decode()
    assert three[2] in page and three[0] not in page and three[1] not in page
