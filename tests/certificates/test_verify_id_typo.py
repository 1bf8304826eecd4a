"""First-day finding: an ID number with a wrong check character (a typing mistake) was answered "未查到相符的证书",
as if the certificate did not exist. An ID number that cannot be anyone's is now told beside its field (page) or
as a 400 naming the field (API); a possible ID number that matches nobody is still "not found"."""

from __future__ import annotations

from tests.agencies.test_registration import field_errors
from tests.certificates.factories import ID_A, ID_B
from tests.certificates.test_verification import PAGE, post_json

TYPO = ID_A[:-1] + ("0" if ID_A[-1] != "0" else "1")  # the check character mistyped
CHECK = "校验"


def test_the_page_tells_a_mistyped_id_number_beside_its_field_and_keeps_what_was_typed(client, db):
    response = client.post(PAGE, {"id_number": TYPO, "name": "张小三"})
    html = response.content.decode()
    assert response.status_code == 400
    assert CHECK in field_errors(html, "id_number")
    assert "请填写证书编号或身份证号" not in html  # the ID number was given, only mistyped
    assert TYPO in html and "张小三" in html
    assert "未查到" not in html


def test_the_api_answers_400_naming_the_field(client, db):
    response = post_json(client, {"id_number": TYPO, "name": "张小三"})
    assert response.status_code == 400
    assert "id_number" in response.json()["errors"]


def test_a_possible_id_number_of_nobody_is_still_not_found(client, db):
    assert post_json(client, {"id_number": ID_B, "name": "张小三"}).json() == {"found": False}
    page = client.post(PAGE, {"id_number": ID_B, "name": "张小三"})
    assert page.status_code == 200 and "未查到" in page.content.decode()
