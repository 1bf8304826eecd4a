from agencies.selectors import organisations_visible_to
from tests.agencies.factories import OrganisationFactory
from tests.portal.factories import region


def names(user):
    return set(organisations_visible_to(user).values_list("name", flat=True))


def test_officials_see_only_their_jurisdiction(people):
    county = OrganisationFactory(name="青秀区某培训学校", region=region("450103"))
    assert names(people.city_nanning) == {people.org_nanning.name, county.name}
    assert names(people.police_liuzhou) == {people.org_liuzhou.name}
    assert names(people.centre) == {people.org_nanning.name, people.org_liuzhou.name, county.name}


def test_an_agency_sees_only_itself_and_an_expert_nothing(people):
    assert names(people.agency_liuzhou) == {people.org_liuzhou.name}
    assert names(people.expert_assigned) == set()


def test_a_guangxi_centre_does_not_see_shaanxi(people):
    xian = OrganisationFactory(name="西安某评价机构", region=region("610100"))
    assert xian.name not in names(people.centre)
    assert xian.name in names(people.admin)


def test_search_in_the_agency_list_stays_inside_the_jurisdiction(people, client_for):
    page = client_for(people.city_liuzhou).get("/agencies/", {"q": "培训"}).content.decode()
    assert people.org_liuzhou.name in page
    assert people.org_nanning.name not in page
