"""An expert's assignments in the order they deal with them (first-day tester, demo12: the expert's home listed
the finished assignments first). What awaits the expert comes first — the panel still open and their scores not
handed in — the nearest deadline first; what is finished follows, the most recently finished first."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from filings.examples import sample_application_data, sample_pdf
from filings.models import Application, PanelMember, State
from filings.services import (
    application_create,
    application_save_draft,
    application_submit,
    application_transition,
    attachment_add,
    panel_assign,
)
from portal.models import Role
from tests.agencies.factories import OrganisationFactory
from tests.filings.factories import GX_MATERIALS
from tests.filings.test_panel import in_assessment, liuzhou_submission
from tests.portal.factories import UserFactory, region

NOW = timezone.now()


@pytest.fixture(autouse=True)
def _english(settings):
    settings.LANGUAGE_CODE = "en"


def _assessment(people, make) -> Application:
    application = make(people)
    if application.state != State.ASSESSMENT:
        application_transition(application=application, by=people.city_liuzhou, name="recommend", text="同意推荐。")
        application_transition(application=application, by=people.centre, name="accept")
    application.refresh_from_db()
    panel_assign(application=application, experts=[people.expert_assigned], by=people.centre)
    return application


def _four(people):
    """Four assignments of one expert: two awaiting (deadlines 10 and 3 days ahead), two finished (handed in two
    days ago; a panel concluded, handed in five days ago)."""
    first = _assessment(people, in_assessment)
    second = _assessment(people, liuzhou_submission)
    third = _assessment(people, lambda p: _another(p, "third"))
    fourth = _assessment(people, lambda p: _another(p, "fourth"))
    today = timezone.localdate()
    Application.objects.filter(pk=first.pk).update(deadline=today + dt.timedelta(days=10))
    Application.objects.filter(pk=second.pk).update(deadline=today + dt.timedelta(days=3))
    # Finished: handed in two days ago, with the earliest deadline of all (a finished one's deadline is no matter).
    Application.objects.filter(pk=third.pk).update(deadline=today + dt.timedelta(days=1))
    PanelMember.objects.filter(application=third).update(
        has_conflict=False, scores_submitted_at=NOW - dt.timedelta(days=2)
    )
    # Finished: the panel concluded, the expert handed in five days ago.
    Application.objects.filter(pk=fourth.pk).update(state=State.ASSESSED, deadline=None)
    PanelMember.objects.filter(application=fourth).update(
        has_conflict=False, scores_submitted_at=NOW - dt.timedelta(days=5)
    )
    return {"awaiting_later": first, "awaiting_sooner": second, "done_recent": third, "done_older": fourth}


def _another(people, word: str) -> Application:
    organisation = OrganisationFactory(name=f"柳州市{word}职业技能培训学校", region=region("450200"))
    agency = UserFactory(username=f"agency_{word}", role=Role.AGENCY, organisation=organisation)
    call = Application.objects.filter(organisation=people.org_liuzhou).first().call
    application = application_create(organisation=organisation, call=call, by=agency)
    data = sample_application_data(organisation, occupations=[("3-02-02-00", "保卫管理员", 3)])
    application_save_draft(application=application, data=data, by=agency)
    for material in GX_MATERIALS:
        attachment_add(application=application, material=material["code"], uploaded=sample_pdf("scan"), by=agency)
    application_submit(
        application=application, by=agency, commitment_name=data["basic"]["legal_representative"], consent=True
    )
    return application


EXPECTED = ["awaiting_sooner", "awaiting_later", "done_recent", "done_older"]


def _order(page: str, rows: dict) -> list[str]:
    names = {application.organisation.name: key for key, application in rows.items()}
    found = [(page.index(name), key) for name, key in names.items() if name in page]
    return [key for _position, key in sorted(found)]


def test_the_experts_home_lists_what_awaits_them_first(people, client_for):
    rows = _four(people)
    page = client_for(people.expert_assigned).get(reverse("home")).content.decode()
    assert _order(page, rows) == EXPECTED


def test_my_assessments_lists_what_awaits_first(people, client_for):
    rows = _four(people)
    page = client_for(people.expert_assigned).get(reverse("filings:assessments")).content.decode()
    assert _order(page, rows) == EXPECTED
    statuses = re.findall(r'<span class="badge text-bg-\w+">([^<]+)</span>', page)
    assert statuses == ["Declaration pending", "Declaration pending", "Scores handed in", "Panel concluded"]


def test_an_awaiting_assignment_without_a_deadline_comes_after_those_with_one(people, client_for):
    rows = _four(people)
    Application.objects.filter(pk=rows["awaiting_sooner"].pk).update(deadline=None)
    page = client_for(people.expert_assigned).get(reverse("home")).content.decode()
    assert _order(page, rows) == ["awaiting_later", "awaiting_sooner", "done_recent", "done_older"]
