"""Issue qa6 item 3: the city home's 待确认代码 link and the organisations list's ?pending=1 filter share one
definition (``agencies.selectors.organisations_pending_code``): the link's number is the list's total."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from agencies.models import Organisation
from portal.models import Region
from tests.agencies.factories import OrganisationFactory

pytestmark = pytest.mark.django_db
ZH = {"HTTP_ACCEPT_LANGUAGE": "zh-hans"}


def _pending_link(home: str) -> tuple[str, int]:
    match = re.search(r'href="([^"]*\?pending=1)" data-pending-codes>[^<]*<span class="badge[^"]*">(\d+)</span>', home)
    assert match, "the 待确认代码 link with its number"
    return match.group(1), int(match.group(2))


def test_the_pending_code_link_opens_a_list_of_as_many_organisations(people, client_for):
    nanning, liuzhou = Region.objects.get(code="450100"), Region.objects.get(code="450200")
    OrganisationFactory(name="南宁市新注册待确认学校", region=nanning, uscc_needs_confirmation=True)
    old = OrganisationFactory(name="南宁市早先注册待确认学校", region=nanning, uscc_needs_confirmation=True)
    Organisation.objects.filter(pk=old.pk).update(created=timezone.now() - dt.timedelta(days=90))
    OrganisationFactory(name="南宁市代码无误学校", region=nanning)
    OrganisationFactory(name="柳州市待确认学校", region=liuzhou, uscc_needs_confirmation=True)

    client = client_for(people.city_nanning)
    url, number = _pending_link(client.get(reverse("home"), **ZH).content.decode())
    assert number == 2
    response = client.get(url, **ZH)
    listed = response.context["page"].paginator.count
    body = response.content.decode()
    assert listed == number == 2
    assert "南宁市新注册待确认学校" in body and "南宁市早先注册待确认学校" in body
    assert "南宁市代码无误学校" not in body and "柳州市待确认学校" not in body


def test_no_link_to_an_empty_list_when_no_code_awaits_confirmation(people, client_for):
    OrganisationFactory(name="南宁市代码无误学校", region=Region.objects.get(code="450100"))
    home = client_for(people.city_nanning).get(reverse("home"), **ZH).content.decode()
    assert "?pending=1" not in home and "暂无待确认代码" in home
