"""The verification page answers a plainly valid request without building its form (issue 16 item 3), and every
other request as before: the by-ID-number answer with what was typed, the messages of an invalid request beside its
fields (400), the limit counted on invalid requests too."""

from __future__ import annotations

import pytest
from django.http import QueryDict

from certificates import views
from certificates.forms import VerifyForm
from tests.certificates.factories import ID_A
from tests.certificates.test_verification import PAGE, certificate  # noqa: F401  the fixture

pytestmark = pytest.mark.django_db


def test_a_valid_request_is_answered_without_building_the_form(client, certificate, monkeypatch):  # noqa: F811
    built = []  # forms of the request's data (the answer's marks are drawn once with a form of their own)

    def form(data=None, **kwargs):
        if isinstance(data, QueryDict):
            built.append(data)
        return VerifyForm(data, **kwargs)

    monkeypatch.setattr(views, "VerifyForm", form)
    response = client.post(PAGE, {"number": " S000045000001265999999 ", "name": "张小三"})
    content = response.content.decode()
    assert response.status_code == 200 and built == []
    assert "未查到相符的证书。" in content and 'value=" S000045000001265999999 "' in content
    found = client.post(PAGE, {"number": f" {certificate.number.lower()} ", "name": "张小三"}).content.decode()
    assert certificate.number in found and "张*三" in found and "4501**********1238" in found
    assert f'value=" {certificate.number.lower()} "' in found  # the field keeps what was typed


def test_by_id_number_the_page_shows_the_certificate_and_keeps_what_was_typed(client, certificate):  # noqa: F811
    response = client.post(PAGE, {"number": "", "id_number": ID_A.lower(), "name": "张小三"})
    content = response.content.decode()
    assert response.status_code == 200
    assert certificate.number in content and "张*三" in content and "4501**********1238" in content
    assert f'value="{ID_A.lower()}"' in content and 'value="张小三"' in content
    assert 'id="id_number" ' not in content and "is-invalid" not in content


def test_a_request_without_a_name_is_answered_400_with_the_fields_message(client, certificate):  # noqa: F811
    response = client.post(PAGE, {"number": certificate.number, "name": "  "}, HTTP_ACCEPT_LANGUAGE="zh-hans")
    content = response.content.decode()
    assert response.status_code == 400
    assert "请填写持证人姓名。" in content and 'aria-invalid="true"' in content
    assert f'value="{certificate.number}"' in content and "张*三" not in content


def test_a_request_with_neither_number_is_answered_400_saying_so(client, certificate):  # noqa: F811
    response = client.post(PAGE, {"number": " ", "id_number": "", "name": "张小三"})
    assert response.status_code == 400
    assert "请填写证书编号或身份证号。" in response.content.decode()


def test_an_overlong_number_is_refused_by_the_form(client, certificate):  # noqa: F811
    on_the_limit = client.post(PAGE, {"number": "N" * 40, "name": "张小三"})
    above = client.post(PAGE, {"number": "N" * 41, "name": "张小三"})
    assert on_the_limit.status_code == 200 and "alert-warning" in on_the_limit.content.decode()
    assert above.status_code == 400 and "alert-warning" not in above.content.decode()


def test_invalid_requests_count_against_the_limit(client, certificate, settings):  # noqa: F811
    settings.CERTIFICATE_VERIFY_LIMIT = 1
    assert client.post(PAGE, {"number": certificate.number, "name": "张小三"}).status_code == 200
    assert client.post(PAGE, {"number": certificate.number, "name": ""}).status_code == 429
