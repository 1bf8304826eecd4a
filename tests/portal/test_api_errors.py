"""Every error of the public API (/api/) is JSON with a Chinese message, as its OpenAPI document says: 405 with
Allow for the wrong method, 400 for a malformed body, 415 for a body of another type, 404 for an unknown address
or object."""

from __future__ import annotations

import json

import pytest
from django.urls import reverse

from certificates.models import Verification

DIRECTORY = "/api/v1/directory/"
CERTIFICATE_VERIFY = "/api/v1/certificates/verify/"


def json_error(response, status: int) -> str:
    assert response.status_code == status
    assert response["Content-Type"].startswith("application/json")
    return response.json()["detail"]


@pytest.mark.parametrize("method", ["post", "put", "patch", "delete"])
def test_a_read_only_address_refuses_other_methods_in_json_with_allow(client, db, method):
    response = getattr(client, method)(DIRECTORY)
    detail = json_error(response, 405)
    assert response["Allow"] == "GET, HEAD"
    assert detail == f"此地址不接受 {method.upper()} 请求，可用的请求方法：GET, HEAD。"


def test_head_is_answered_like_get(client, db):
    assert client.head(DIRECTORY).status_code == 200


@pytest.mark.parametrize("method", ["get", "head", "put", "delete"])
def test_the_post_only_verification_refuses_get_in_json(client, db, method):
    """The verification is POST only: GET was answered by ninja with a bare, empty 405 before."""
    response = getattr(client, method)(CERTIFICATE_VERIFY)
    assert response.status_code == 405
    assert response["Allow"] == "POST"
    if method != "head":
        assert json_error(response, 405) == f"此地址不接受 {method.upper()} 请求，可用的请求方法：POST。"


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ('{"number": "S0000450000', "请求体不是有效的 JSON。"),
        ("[1, 2]", "请求体必须是一个 JSON 对象。"),
        ('"张三"', "请求体必须是一个 JSON 对象。"),
    ],
)
def test_a_malformed_json_body_is_a_400_that_says_so(client, db, body, message):
    response = client.post(CERTIFICATE_VERIFY, data=body, content_type="application/json")
    assert json_error(response, 400) == message
    assert not Verification.objects.filter(found=True).exists()


def test_a_body_of_another_media_type_is_a_415(client, db):
    response = client.post(CERTIFICATE_VERIFY, data="number=1&name=张三", content_type="text/plain")
    detail = json_error(response, 415)
    assert detail == "请求体的类型须为 application/json 或 application/x-www-form-urlencoded。"


def test_an_empty_json_object_still_says_which_fields_are_missing(client, db):
    response = client.post(CERTIFICATE_VERIFY, data="{}", content_type="application/json")
    assert "name" in response.json()["errors"]
    assert response.status_code == 400


@pytest.mark.parametrize("path", ["/api/v1/nothing/", "/api/v2/directory/", "/api/", "/api/v1/directory/abc/"])
def test_an_unknown_address_under_api_is_a_json_404(client, db, path):
    assert json_error(client.get(path), 404) == "此地址下没有找到内容。"


def test_a_missing_slash_is_still_redirected(client, db):
    response = client.get("/api/v1/directory")
    assert response.status_code == 301
    assert response["Location"] == DIRECTORY


def test_an_unknown_address_elsewhere_is_still_the_portal_page(client, db):
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    assert response["Content-Type"].startswith("text/html")


def test_the_openapi_document_lists_the_errors_of_every_operation(client, db):
    document = client.get(reverse("public:api_openapi")).json()
    for path, operations in document["paths"].items():
        for method, operation in operations.items():
            responses = operation["responses"]
            assert {"404", "405"} <= set(responses), (path, method)
            assert "Allow" in responses["405"]["headers"]
            assert ("415" in responses) is (method == "post"), (path, method)
    verify = document["paths"][CERTIFICATE_VERIFY]["post"]["responses"]
    assert {"400", "404", "405", "415", "429"} <= set(verify)
    assert "400" not in document["paths"]["/api/v1/openapi.json"]["get"]["responses"]


def test_the_openapi_document_has_one_key_per_status_so_swagger_ui_can_read_it(client, db):
    """ninja keys an operation's own answers by int, the added errors by string: both once each in the JSON.
    A status written twice ("400" from both) made Swagger UI's parser refuse the whole document."""

    def no_repeats(pairs):
        keys = [key for key, _value in pairs]
        assert len(keys) == len(set(keys)), sorted(key for key in keys if keys.count(key) > 1)
        return dict(pairs)

    document = json.loads(client.get(reverse("public:api_openapi")).content, object_pairs_hook=no_repeats)
    verify = document["paths"][CERTIFICATE_VERIFY]["post"]["responses"]
    # Each added error carries an example of its own status, not the 405 message for all of them.
    examples = {
        status: response["content"]["application/json"]["example"]["detail"]
        for status, response in verify.items()
        if status in ("404", "405")
    }
    assert "没有找到" in examples["404"]
    assert "不接受" in examples["405"]
