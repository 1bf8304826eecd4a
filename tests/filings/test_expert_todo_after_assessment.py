"""An expert's “you have been assigned” to-do ends with the expert's part of the assessment: when the scores are
handed in, and at the latest when the panel concludes (an expert who never handed in cannot score any more). The
demo seed assigns and scores within one transaction: that must leave no to-do either (issue home11)."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command
from django.db import transaction
from django.urls import reverse

from filings.models import PanelMember, State
from filings.services import panel_assign, panel_conclude, panel_declare, panel_score
from portal.models import Notification, Role, User
from portal.selectors import WAITING
from tests.filings.test_panel import SHEET_80, SHEET_90, experts, in_assessment  # noqa: F401 (the fixture)
from tests.portal.inbox_page import todo_subjects

# expert_assigned, expert_other, expert_third and expert_fourth in the Guangxi pool.
with_experts = pytest.mark.usefixtures("experts")

ASSIGNED = "您已被分配对 南宁市安盾职业技能培训学校 进行技术评估"


def _hand_in(application, expert, sheet):
    member = PanelMember.objects.get(application=application, expert=expert)
    panel_declare(member=member, by=expert, has_conflict=False)
    panel_score(member=member, by=expert, scores={k: str(v) for k, v in sheet.items()}, comment="", submit=True)


@with_experts
def test_the_panels_conclusion_ends_the_to_do_of_an_expert_who_never_handed_in(
    people, client_for, django_capture_on_commit_callbacks
):
    first, second = people.expert_assigned, people.expert_other
    late = User.objects.get(username="expert_third")
    application = in_assessment(people)
    with django_capture_on_commit_callbacks(execute=True):
        panel_assign(application=application, experts=[first, second, late], by=people.centre)
    _hand_in(application, first, SHEET_80)
    _hand_in(application, second, SHEET_90)
    member = PanelMember.objects.get(application=application, expert=late)
    panel_declare(member=member, by=late, has_conflict=False)
    # Still assessing: the late expert's to-do waits, the others' are done.
    assert ASSIGNED in todo_subjects(client_for, late)
    assert ASSIGNED not in todo_subjects(client_for, first)

    with django_capture_on_commit_callbacks(execute=True):
        panel_conclude(application=application, by=people.centre, conclusion="同意通过技术评估。")

    application.refresh_from_db()
    assert application.state == State.ASSESSED
    assert ASSIGNED not in todo_subjects(client_for, late)
    assert not Notification.objects.filter(WAITING, recipient=late).exists()
    # The message itself stays, under “read”: only its to-do is over.
    assert Notification.objects.filter(
        recipient=late, link=reverse("filings:assess", args=[application.pk]), done_at__isnull=False
    ).exists()


@with_experts
def test_assigning_and_handing_in_in_one_transaction_leaves_no_to_do(
    people, client_for, django_capture_on_commit_callbacks
):
    """What the demo seed does: the to-do is written with the assignment, so the hand-in that follows ends it (it
    was written after the commit, once the hand-in had already marked nothing done)."""
    first, second = people.expert_assigned, people.expert_other
    application = in_assessment(people)
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        panel_assign(application=application, experts=[first, second], by=people.centre)
        _hand_in(application, first, SHEET_80)
    assert ASSIGNED not in todo_subjects(client_for, first)
    # The expert who has not handed in still has it to do.
    assert ASSIGNED in todo_subjects(client_for, second)


def test_the_demo_leaves_experts_no_to_do_on_work_they_have_done(db, settings, django_capture_on_commit_callbacks):
    settings.DEBUG = True  # seed_demo refuses to run otherwise
    with django_capture_on_commit_callbacks(execute=True):
        call_command("seed_demo", stdout=io.StringIO())
    stale = []
    for notification in Notification.objects.filter(WAITING, todo=True, recipient__role=Role.EXPERT):
        member = PanelMember.objects.select_related("application").get(
            expert=notification.recipient, application__pk=notification.link.split("/")[2]
        )
        if member.application.state != State.ASSESSMENT or member.scores_submitted_at is not None:
            stale.append((notification.recipient.username, member.application.state))
    assert stale == []
    # The demo's experts still have real work waiting: 安盾's assessment, where expert2 has not handed in.
    assert Notification.objects.filter(WAITING, recipient__username="expert2", todo=True).exists()
