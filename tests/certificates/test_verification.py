"""Public verification, page and API, per the issue's contract: masking, not-found ≡ mismatch, 429, the log."""

from __future__ import annotations

import json

import pytest
from django.urls import reverse

from certificates.models import Certificate, Session, Verification
from certificates.services import certificate_revoke, certificates_issue
from tests.certificates.factories import ID_A, candidates, filed_entry, session_of

API = "/api/v1/certificates/verify/"
PAGE = "/certificates/verify/"


@pytest.fixture
def certificate(people) -> Certificate:
    entry = filed_entry(people.org_nanning, institution_code="S000045000001")
    session = session_of(entry, people.agency_nanning)
    candidates(session, [("张小三", ID_A)])
    Session.objects.filter(pk=session.pk).update(status=Session.Status.APPROVED)
    session.refresh_from_db()
    (issued,) = certificates_issue(session=session, by=people.agency_nanning)
    return issued


def post_json(client, data, **extra):
    return client.post(API, data=json.dumps(data), content_type="application/json", **extra)


def test_found_by_number_and_name_answers_the_certificate_masked(client, certificate):
    response = post_json(client, {"number": certificate.number, "name": "张小三"})
    assert response.status_code == 200
    body = response.json()
    # By number, the list alongside holds the one found (tests/certificates/test_holder_certificates.py).
    assert body.pop("certificates") == [body["certificate"]]
    assert body == {
        "found": True,
        "certificate": {
            "number": certificate.number,
            "holder_name": "张*三",
            "id_number": "4501**********1238",
            "occupation": "保安员",
            "occupation_code": "4-07-05-01",
            "work_type": "",
            "level": 5,
            "level_label": body["certificate"]["level_label"],
            "agency": "南宁市安盾职业技能培训学校",
            "issued_on": certificate.issued_on.isoformat(),
            "status": "valid",
            "status_label": body["certificate"]["status_label"],
            "revoked_on": None,
        },
    }
    assert "张小三" not in response.content.decode() and ID_A not in response.content.decode()


def test_form_fields_are_accepted_as_well_as_json(client, certificate):
    response = client.post(API, {"number": certificate.number, "name": "张小三"})
    assert response.status_code == 200 and response.json()["found"] is True


def test_found_by_id_number_and_name(client, certificate):
    response = post_json(client, {"id_number": ID_A.lower(), "name": "张小三"})
    assert response.json()["certificate"]["number"] == certificate.number


def test_an_unknown_number_and_a_wrong_name_answer_the_very_same_bytes(client, certificate):
    unknown = post_json(client, {"number": "S000045000001265999999", "name": "张小三"})
    mismatch = post_json(client, {"number": certificate.number, "name": "张小四"})
    wrong_id_name = post_json(client, {"id_number": ID_A, "name": "李四"})
    assert unknown.status_code == mismatch.status_code == wrong_id_name.status_code == 200
    assert unknown.content == mismatch.content == wrong_id_name.content
    assert unknown.json() == {"found": False}


def test_a_revoked_certificate_verifies_as_revoked(client, certificate, people):
    certificate_revoke(certificate=certificate, by=people.agency_nanning, reason="考试作弊，经查实撤销。")
    body = post_json(client, {"number": certificate.number, "name": "张小三"}).json()
    assert body["found"] is True and body["certificate"]["status"] == "revoked"
    assert body["certificate"]["revoked_on"] is not None


def test_past_the_limit_an_address_gets_429_and_another_address_does_not(client, certificate, settings):
    settings.CERTIFICATE_VERIFY_LIMIT = 3
    statuses = [post_json(client, {"number": certificate.number, "name": "张小三"}).status_code for _ in range(4)]
    assert statuses == [200, 200, 200, 429]
    refused = post_json(client, {"number": certificate.number, "name": "张小三"})
    assert refused.status_code == 429 and int(refused["Retry-After"]) == settings.CERTIFICATE_VERIFY_WINDOW_SECONDS
    other = post_json(client, {"number": certificate.number, "name": "张小三"}, REMOTE_ADDR="10.1.2.3")
    assert other.status_code == 200


def test_every_verification_is_logged_without_the_name_or_the_id_number(client, certificate, settings):
    settings.CERTIFICATE_VERIFY_LIMIT = 3
    post_json(client, {"number": certificate.number, "name": "张小三"})
    post_json(client, {"id_number": ID_A, "name": "李四"})
    client.post(PAGE, {"number": certificate.number, "name": "张小三"})
    post_json(client, {"number": certificate.number, "name": "张小三"})
    logged = list(Verification.objects.order_by("pk").values_list("channel", "found", "by_id_number", "limited"))
    assert logged == [
        ("api", True, False, False),
        ("api", False, True, False),
        ("page", True, False, False),
        ("api", False, False, True),
    ]
    stored = " ".join(str(v) for v in Verification.objects.values_list("number", "ip"))
    assert "张小三" not in stored and ID_A not in stored


def test_a_request_without_a_name_is_a_400_naming_the_field(client):
    response = post_json(client, {"number": "S000045000001265000001"})
    assert response.status_code == 400 and "name" in response.json()["errors"]


def test_the_api_answers_no_get(client):
    assert client.get(API).status_code == 405


def test_the_openapi_document_describes_the_verification(client):
    document = client.get(reverse("public:api_openapi")).json()
    operation = document["paths"][API]["post"]
    assert operation["operationId"] == "certificateVerify"
    assert set(operation["requestBody"]["content"]) == {"application/json", "application/x-www-form-urlencoded"}
    assert {"200", "400", "429"} <= set(operation["responses"])


def test_the_page_shows_the_certificate_masked(client, certificate):
    response = client.post(PAGE, {"number": certificate.number, "name": "张小三"})
    content = response.content.decode()
    assert response.status_code == 200
    assert certificate.number in content and "张*三" in content and "4501**********1238" in content
    assert "张小三" not in content.replace('value="张小三"', "") and ID_A not in content


def test_the_page_says_the_same_for_an_unknown_number_and_a_wrong_name(client, certificate):
    unknown = client.post(PAGE, {"number": "S000045000001265999999", "name": "张小三"}).content.decode()
    mismatch = client.post(PAGE, {"number": certificate.number, "name": "张小四"}).content.decode()
    assert "alert-warning" in unknown and "alert-warning" in mismatch
    assert "4501" not in mismatch and "张*" not in mismatch


def test_the_page_is_limited_too(client, certificate, settings):
    settings.CERTIFICATE_VERIFY_LIMIT = 1
    client.post(PAGE, {"number": certificate.number, "name": "张小三"})
    assert client.post(PAGE, {"number": certificate.number, "name": "张小三"}).status_code == 429


def test_reading_an_id_number_in_clear_is_for_the_agency_and_the_reviewing_bureau_and_is_audited(
    certificate, people, client_for
):
    from portal.models import AuditEvent

    url = reverse("certificates:candidate_reveal", args=[certificate.candidate.session_id, certificate.candidate_id])
    page = client_for(people.agency_nanning).get(
        reverse("certificates:session_detail", args=[certificate.candidate.session_id])
    )
    assert ID_A not in page.content.decode() and "4501**********1238" in page.content.decode()
    assert client_for(people.police_nanning).post(url).status_code == 403
    assert not AuditEvent.objects.filter(action="id_number_view").exists()
    for person in (people.agency_nanning, people.city_nanning):
        response = client_for(person).post(url, follow=True)
        assert ID_A in response.content.decode() and response["Cache-Control"] == "no-store"
    readers = AuditEvent.objects.filter(action="id_number_view").values_list("username", "object_id")
    assert sorted(readers) == sorted(
        [("agency_nanning", str(certificate.candidate_id)), ("city_nanning", str(certificate.candidate_id))]
    )


def test_the_revocation_day_is_the_day_in_china(client, certificate, people):
    """Revoked at 01:30 on 3 December in Beijing (17:30 UTC on the 2nd): the public reads 2026-12-03, not the UTC
    day before."""
    import datetime as dt
    from zoneinfo import ZoneInfo

    certificate_revoke(certificate=certificate, by=people.agency_nanning, reason="考试作弊，经查实撤销。")
    revoked = dt.datetime(2026, 12, 3, 1, 30, tzinfo=ZoneInfo("Asia/Shanghai"))
    Certificate.objects.filter(pk=certificate.pk).update(revoked_at=revoked)
    body = post_json(client, {"number": certificate.number, "name": "张小三"}).json()
    assert body["certificate"]["revoked_on"] == "2026-12-03"


def test_the_page_labels_the_agency_as_the_certifying_one(client, certificate):
    """The certificate's agency issues it (发证机构); 发文单位 is the issuer of a document, not of a certificate."""
    html = client.post(PAGE, {"number": certificate.number, "name": "张小三"}, HTTP_ACCEPT_LANGUAGE="zh-hans")
    html = html.content.decode()
    assert "发证机构" in html and "发文单位" not in html
    assert "南宁市安盾职业技能培训学校" in html
