"""Least knowledge (issue 14, item 8): the agency reads its assessors' findings without their names; the centre
reads both."""

from __future__ import annotations

import pytest
from django.urls import reverse

from filings.services import record_add
from portal.models import Role
from tests.filings.test_panel import assessed, declared, experts  # noqa: F401  (fixtures)

POLICE_NOTES = "考场视频监控覆盖完整，同意备案。"
EXPERT_NOTES = "实地查看：理论考场30座，实操场地符合要求。"


@pytest.fixture(autouse=True)
def _english(settings):
    settings.LANGUAGE_CODE = "en"


@pytest.fixture
def with_records(people, assessed):  # noqa: F811
    people.police_nanning.last_name, people.police_nanning.first_name = "覃", "警官"
    people.police_nanning.save()
    declared(assessed, people.expert_assigned)
    record_add(application=assessed, by=people.expert_assigned, kind="site_visit", notes=EXPERT_NOTES)
    record_add(application=assessed, by=people.police_nanning, kind="police_assessment", notes=POLICE_NOTES)
    return assessed


def page_of(client, application) -> str:
    response = client.get(reverse("filings:application_detail", args=[application.pk]))
    assert response.status_code == 200
    return response.content.decode()


def test_the_agency_reads_the_findings_without_the_assessors_names(people, client_for, with_records):
    page = page_of(client_for(people.agency_nanning), with_records)
    assert POLICE_NOTES in page and EXPERT_NOTES in page
    assert "覃警官" not in page and "陈志远" not in page
    assert "police_nanning" not in page and "expert_assigned" not in page
    # What it needs to answer them: which kind of assessor wrote each note.
    assert str(Role.POLICE.label) in page and str(Role.EXPERT.label) in page


@pytest.mark.parametrize("name", ["centre", "city_nanning"])
def test_the_officials_read_the_assessors_names_beside_their_findings(people, client_for, with_records, name):
    page = page_of(client_for(getattr(people, name)), with_records)
    assert POLICE_NOTES in page and EXPERT_NOTES in page
    assert "覃警官" in page and "陈志远" in page
