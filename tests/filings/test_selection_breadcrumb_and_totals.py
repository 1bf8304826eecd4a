"""First-day finding qa5 item 7: the selection page's breadcrumb leads back to its call (and the calls list), and
the list of evaluation agencies (评价机构) says how many it holds in all."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from agencies.models import Organisation
from tests.agencies.factories import OrganisationFactory
from tests.filings.factories import make_call
from tests.portal.factories import region

pytestmark = pytest.mark.django_db


def breadcrumb_links(page: str) -> list[str]:
    trail = re.search(r'<ol class="breadcrumb">(.*?)</ol>', page, re.S).group(1)
    return re.findall(r'href="([^"]+)"', trail)


def test_the_selection_breadcrumb_leads_back_to_its_call(people, client_for):
    call = make_call("breadcrumb-selection")
    page = client_for(people.centre).get(reverse("filings:selection", args=[call.pk])).content.decode()
    assert breadcrumb_links(page) == ["/", "/agencies/calls/", f"/agencies/calls/{call.pk}/"]


def test_the_agencies_list_says_how_many_it_holds_in_all(people, client_for):
    for n in range(30):
        OrganisationFactory(name=f"南宁市第{n}职业培训学校", region=region("450100"))
    total = Organisation.objects.filter(region__path__startswith=region("450100").path).count()
    page = client_for(people.city_nanning).get(reverse("agencies:organisation_list")).content.decode()
    assert f"共 {total} 条" in page
    assert total > 25  # more than one page: the count is the list's, not the page's
