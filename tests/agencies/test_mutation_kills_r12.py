"""Round 12's mutation run over the day's merged work (search12: the directory's level words and a district's
reach; acct12: registration in the filing provinces only): each test here failed with a planted bug the existing
tests let through, and passes on the product as it is."""

from __future__ import annotations

import pytest

from tests.agencies.directory_page import box as _box
from tests.agencies.directory_page import follow as _follow
from tests.agencies.directory_page import links as _links
from tests.agencies.directory_page import search as _search
from tests.agencies.directory_page import selected as _selected
from tests.agencies.directory_page import words_line as _line
from tests.agencies.test_directory_level_words import agencies  # noqa: F401  (fixtures and data)

pytestmark = pytest.mark.django_db


def test_looking_in_the_names_instead_drops_the_dropdowns_level_the_word_replaced(agencies, client):  # noqa: F811
    """Mutation: the “look for the words in the names instead” link kept the level chosen in the dropdown before
    the level word replaced it: with 一级 chosen and “技师” typed (二级), the link looked for “技师” in the names
    at level 1 and found nothing, though 南宁技师学院 has the word in its name (filed at levels 4 and 3)."""
    names, page = _search(client, q="技师", level="1")
    assert _line(page) == "已按等级“二级/技师”筛选" and _selected(page, "f-level") == ["2"]
    names, page = _follow(client, _links(page)[-1])
    assert names == ["南宁技师学院"]
    assert _selected(page, "f-level") == [] and _box(page) == '"技师"' and _line(page) is None
