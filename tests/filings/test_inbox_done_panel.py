"""The expert's “you have been assigned” leaves the to-do part of the inbox once the scores are handed in (or a
conflict is declared, or the expert is taken off the panel); the centre's “assign another expert” once another is
assigned (first-day tester, round 8)."""

from __future__ import annotations

import pytest

from filings.models import PanelMember
from filings.services import panel_assign, panel_declare, panel_remove, panel_score
from tests.filings.test_panel import SHEET_80, experts, in_assessment  # noqa: F401 (the fixture)
from tests.portal.inbox_page import todo_subjects

pytestmark = pytest.mark.usefixtures("experts")

ASSIGNED = "您已被分配对 南宁市安盾职业技能培训学校 进行技术评估"


def _assigned(people, capture, expert):
    application = in_assessment(people)
    with capture(execute=True):
        panel_assign(application=application, experts=[expert], by=people.centre)
    return application, PanelMember.objects.get(application=application, expert=expert)


def test_handing_in_the_scores_ends_the_experts_to_do_saving_them_does_not(
    people,
    client_for,
    django_capture_on_commit_callbacks,
):
    _application, member = _assigned(people, django_capture_on_commit_callbacks, people.expert_assigned)
    assert ASSIGNED in todo_subjects(client_for, people.expert_assigned)
    panel_declare(member=member, by=people.expert_assigned, has_conflict=False)
    scores = {code: str(points) for code, points in SHEET_80.items()}
    panel_score(member=member, by=people.expert_assigned, scores=scores, comment="", submit=False)
    assert ASSIGNED in todo_subjects(client_for, people.expert_assigned)
    panel_score(member=member, by=people.expert_assigned, scores=scores, comment="", submit=True)
    assert ASSIGNED not in todo_subjects(client_for, people.expert_assigned)


def test_a_conflict_ends_the_experts_to_do_and_the_centres_ends_when_another_is_assigned(
    people,
    client_for,
    django_capture_on_commit_callbacks,
):
    application, member = _assigned(people, django_capture_on_commit_callbacks, people.expert_assigned)
    with django_capture_on_commit_callbacks(execute=True):
        panel_declare(member=member, by=people.expert_assigned, has_conflict=True, declaration="曾在该机构任职。")
    assert ASSIGNED not in todo_subjects(client_for, people.expert_assigned)
    conflict = [s for s in todo_subjects(client_for, people.centre) if "利益冲突" in s]
    assert len(conflict) == 1
    with django_capture_on_commit_callbacks(execute=True):
        panel_assign(application=application, experts=[people.expert_other], by=people.centre)
    assert not [s for s in todo_subjects(client_for, people.centre) if "利益冲突" in s]


def test_an_expert_taken_off_the_panel_has_nothing_left_to_do(
    people,
    client_for,
    django_capture_on_commit_callbacks,
):
    _application, member = _assigned(people, django_capture_on_commit_callbacks, people.expert_assigned)
    panel_remove(member=member, by=people.centre)
    assert ASSIGNED not in todo_subjects(client_for, people.expert_assigned)
