"""The public list of announced evaluations (认定公告) offers the cities of the provinces whose evaluations it
announces, not every city of the country (first-day finding qa5 item 6: it listed Jiangsu's)."""

from __future__ import annotations

import pytest
from django.urls import reverse

from portal.models import Region
from tests.certificates.factories import announced_plan, filed_entry

pytestmark = pytest.mark.django_db


def city_choices(client) -> list[str]:
    response = client.get(reverse("evaluations:list"))
    assert response.status_code == 200
    return [label for value, label in response.context["form"].fields["city"].choices if value]


def test_the_city_filter_lists_the_cities_of_the_announcing_province_only(people, client_for):
    client = client_for(None)
    assert city_choices(client) == []  # nothing announced: no city to choose
    announced_plan(filed_entry(people.org_nanning), people.agency_nanning, days_ago=-20)
    cities = city_choices(client)
    guangxi = list(
        Region.objects.filter(level="city", code__startswith="45").order_by("code").values_list("name", flat=True)
    )
    assert cities == guangxi
    assert "南宁市" in cities and "柳州市" in cities
    assert "南京市" not in cities and "苏州市" not in cities and "西安市" not in cities
    page = client.get(reverse("evaluations:list")).content.decode()
    assert "南京市" not in page


def test_a_city_of_another_province_is_refused_and_lists_nothing(people, client_for):
    announced_plan(filed_entry(people.org_nanning), people.agency_nanning, days_ago=-20)
    nanjing = Region.objects.get(code="320100")
    response = client_for(None).get(reverse("evaluations:list"), {"city": nanjing.pk})
    assert response.status_code == 400
    assert list(response.context["page"]) == []


def test_a_province_with_plans_not_announced_offers_no_city(people, client_for):
    """Only announced evaluations bring their province's cities: a draft evaluation in 西安 is on no public list, so
    the filter offers no city of Shaanxi (round 7's mutation run: any plan, announced or not, did)."""
    from supervision.models import Plan
    from tests.portal.factories import region

    announced_plan(filed_entry(people.org_nanning), people.agency_nanning, days_ago=-20)
    draft = announced_plan(filed_entry(people.org_liuzhou), people.agency_liuzhou, days_ago=-30)
    Plan.objects.filter(pk=draft.pk).update(status=Plan.Status.DRAFT, city=region("610100"))
    cities = city_choices(client_for(None))
    assert "南宁市" in cities
    assert "西安市" not in cities and "宝鸡市" not in cities


def test_the_cities_of_a_province_with_filed_agencies_are_offered_before_any_announcement(people, client_for):
    """First-day finding: Shaanxi's cities were missing while its filed agencies had announced nothing yet."""
    from agencies.models import DirectoryEntry
    from tests.agencies.factories import OrganisationFactory

    client = client_for(None)
    announced_plan(filed_entry(people.org_nanning), people.agency_nanning, days_ago=-20)
    xian = OrganisationFactory(
        name="西安市安泰职业技能培训学校", uscc="52610100MJ0000000X", region=Region.objects.get(code="610100")
    )
    entry = filed_entry(xian)
    cities = city_choices(client)
    assert "西安市" in cities and "宝鸡市" in cities and "南宁市" in cities
    assert "南京市" not in cities
    DirectoryEntry.objects.filter(pk=entry.pk).update(status=DirectoryEntry.Status.REMOVED)
    assert "西安市" not in city_choices(client)
