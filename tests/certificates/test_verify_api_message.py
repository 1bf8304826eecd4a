"""The verification API's 400 reads as Chinese sentences (first-day finding qa5 item 8: ``{}`` answered
"name: …"); the contract stays: ``detail`` a text, ``errors`` by field name."""

from __future__ import annotations

import json

import pytest

pytestmark = pytest.mark.django_db

API = "/api/v1/certificates/verify/"


def post_json(client, data):
    return client.post(API, data=json.dumps(data), content_type="application/json")


def test_an_empty_body_is_told_in_chinese_what_to_give(client):
    response = post_json(client, {})
    assert response.status_code == 400
    body = response.json()
    assert body["detail"] == "请填写持证人姓名。请填写证书编号或身份证号。"
    assert set(body["errors"]) == {"name", "__all__"}


def test_a_message_that_does_not_name_its_field_gets_the_fields_label(client):
    response = post_json(client, {"number": "S" * 41, "name": "张三"})
    assert response.status_code == 400
    detail = response.json()["detail"]
    assert detail.startswith("证书编号：") and "number" not in detail
    assert "number" in response.json()["errors"]


def test_a_number_and_a_name_are_enough(client):
    response = post_json(client, {"number": "S000045000001265000001", "name": "张三"})
    assert response.status_code == 200 and response.json() == {"found": False}
