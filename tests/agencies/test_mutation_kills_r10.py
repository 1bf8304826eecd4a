"""Round 10's mutation run over the week's merged work (pub9: the directory's search of several words and its
note of hidden matches): each test here failed with a planted bug the existing tests let through, and passes on
the product as it is."""

from __future__ import annotations

import pytest

from agencies.selectors import MAX_REGIONS_NAMED, directory_search
from portal.models import Region
from tests.agencies.test_directory_search_words import _entry, _found, _suspend, agencies  # noqa: F401

pytestmark = pytest.mark.django_db


def _counties(n: int) -> list[Region]:
    """``n`` counties of 柳州 whose names hold 新港 (as a whole country's reference data would have hundreds; no
    reference region holds 新港, whereas 西安 has a 新城区)."""
    liuzhou = Region.objects.get(code="450200")
    return [
        Region.objects.create(code=f"4599{k:02d}", name=f"第{k}新港区", level=Region.Level.COUNTY, parent=liuzhou)
        for k in range(n)
    ]


@pytest.mark.parametrize(("counties", "found"), [(MAX_REGIONS_NAMED, True), (MAX_REGIONS_NAMED + 1, False)])
def test_a_word_naming_too_many_regions_names_none(people, counties, found):
    """Mutation: no limit on the regions a word names: “新港” named every 新港区 of the country and took in their
    agencies, however many. At the limit (50 regions) the word still names them; above it, none."""
    first = _counties(counties)[0]
    _entry("神盾安保职业技能培训学校", first.code, "52450200MJ0000201A")
    names = [entry.organisation.name for entry in directory_search(q="新港 神盾")]
    assert names == (["神盾安保职业技能培训学校"] if found else [])
    # The agency's name is still found by its own words.
    assert [entry.organisation.name for entry in directory_search(q="神盾 安保")] == ["神盾安保职业技能培训学校"]


def test_a_search_of_suspended_agencies_says_nothing_is_hidden(people, agencies, client):  # noqa: F811
    """Mutation: the note “N more suspended or removed agencies match” computed whatever status was chosen: a
    search among suspended agencies said the active ones matching were suspended or removed ones hidden."""
    _suspend(agencies["yongcheng"], people.city_nanning)
    names, page = _found(client, "邕城", status="suspended")
    assert names == ["南宁市邕城保安培训学校"]
    assert 'id="hidden-matches"' not in page and "已暂停或已移出的机构符合" not in page
    # The default (active only) still says it.
    names, page = _found(client, "邕城")
    assert names == ["邕城职业技能评价中心"] and "另有 1 家已暂停或已移出的机构符合，" in page
