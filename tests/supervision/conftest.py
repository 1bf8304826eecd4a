"""Filed agencies for the supervision tests (built before any test moves the portal's today)."""

from __future__ import annotations

import pytest

from tests.supervision.factories import SECURITY_GUARD, SECURITY_MANAGER, city_scope_agency, filed_agency


@pytest.fixture
def nanning_entry(people):
    """南宁's province-wide agency, filed for 保卫管理员 levels 3–1 and 保安员 levels 5–3."""
    return filed_agency(
        people.org_nanning,
        people.agency_nanning,
        people.centre,
        occupations=((*SECURITY_MANAGER, (3, 2, 1)), (*SECURITY_GUARD, (5, 4, 3))),
    )


@pytest.fixture
def liuzhou_entry(people):
    """柳州's province-wide agency, filed for 保卫管理员 levels 3–1."""
    return filed_agency(people.org_liuzhou, people.agency_liuzhou, people.centre)


@pytest.fixture
def city_scope(people):
    """(entry, agency user) of a city-wide agency of 柳州."""
    return city_scope_agency(people)
