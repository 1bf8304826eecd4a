"""Registration offers only the regions of the provinces with a filing route (issue acct12).

Only Guangxi (city bureau first) and Shaanxi (police first) receive filings (DESIGN.md §2; README: the review
workflows of Guangxi and Shaanxi). An agency that registered in another province of the regions table (Jiangsu,
whose norms the portal quotes; Chongqing) could never apply: such a region is not offered, and one posted all
the same is refused beside the field, with everything else the user typed kept."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from agencies.models import Organisation
from portal.models import User
from tests.agencies.test_registration import field_errors, form_data, register
from tests.portal.factories import region

REFUSED = "本平台仅受理广西壮族自治区、陕西省的评价机构备案：请在上述省（区）中选择贵单位登记注册地所在的市或县（区）。"
HELP = "本平台受理广西壮族自治区、陕西省的评价机构备案。"


def _options(page: str) -> list[str]:
    select = re.search(r'<select name="region".*?</select>', page, re.S).group(0)
    return re.findall(r'<option value="\d+"[^>]*>([^<]+)</option>', select)


def test_the_region_list_offers_guangxi_and_shaanxi_only(db, client):
    page = client.get(reverse("register")).content.decode()
    assert re.findall(r'<optgroup label="([^"]+)">', page) == ["广西壮族自治区", "陕西省"]
    options = _options(page)
    assert "广西壮族自治区 · 南宁市 · 青秀区" in options and "陕西省 · 杨凌示范区" in options
    assert [o for o in options if not o.startswith(("广西壮族自治区 · ", "陕西省 · "))] == []
    assert not any("江苏省" in o or "无锡市" in o or "重庆市" in o for o in options)
    assert HELP in page


@pytest.mark.parametrize("code", ["320200", "320281", "500000", "450000"])
def test_a_region_outside_the_filing_provinces_is_refused_beside_the_field_and_nothing_typed_is_lost(
    db, client, django_capture_on_commit_callbacks, code
):
    """无锡市 and its 江阴市 (Jiangsu), 重庆市 (no route), and a province itself (not a city or county)."""
    response = register(client, django_capture_on_commit_callbacks, region=str(region(code).pk))
    page = response.content.decode()
    assert response.status_code == 200
    assert field_errors(page, "region").strip() == REFUSED
    assert not Organisation.objects.exists() and not User.objects.filter(username="dingxin").exists()
    for typed in ("南宁市鼎信职业技能评价中心", "韦建国", "南宁市青秀区民族大道 100 号", "13877112345", "dingxin"):
        assert f'value="{typed}"' in page
    assert "huangli@dingxin.example.cn" in page


@pytest.mark.parametrize(
    "code",
    [
        "450100",  # 南宁市
        "450103",  # 南宁市青秀区 (a county)
        "610100",  # 西安市
        "610403",  # 杨凌示范区
    ],
)
def test_a_city_or_county_of_guangxi_or_shaanxi_registers(db, client, django_capture_on_commit_callbacks, code):
    response = register(client, django_capture_on_commit_callbacks, region=str(region(code).pk))
    assert response.status_code == 200 and field_errors(response.content.decode(), "region").strip() == ""
    assert Organisation.objects.get(name="南宁市鼎信职业技能评价中心").region == region(code)
    assert User.objects.get(username="dingxin").organisation.region.code == code


def test_the_refusal_is_in_english_on_the_english_page(db, client, django_capture_on_commit_callbacks):
    client.cookies["django_language"] = "en"
    with django_capture_on_commit_callbacks(execute=True):
        page = client.post(reverse("register"), form_data(region=str(region("320200").pk))).content.decode()
    assert field_errors(page, "region").strip() == (
        "The portal receives the filings of 广西壮族自治区、陕西省 only: choose a city or county of these "
        "provinces, where your organisation is registered."
    )
