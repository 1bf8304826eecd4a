"""Notifications go to whom they concern, and a to-do leaves the inbox's unread once the work is done
(first-day finding qa5 item 3: the centre's inbox held the city bureau's "作出推荐…" message, and a "待您办理" for an
application already filed)."""

from __future__ import annotations

import pytest
from django.db import transaction
from django.urls import reverse

from filings.models import State
from filings.services import application_transition
from portal.models import Notification
from tests.filings.factories import nanning_submission

pytestmark = pytest.mark.django_db


def inbox(user) -> list[tuple[str, bool]]:
    """(subject and body, unread) of each message, oldest first."""
    return [
        (f"{n.subject} {n.body}", n.read_at is None) for n in Notification.objects.filter(recipient=user).order_by("id")
    ]


def test_the_city_is_asked_to_recommend_and_the_centre_is_not_told_of_the_submission(
    people, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        application = nanning_submission(people)
    assert application.state == State.CITY_REVIEW
    city = inbox(people.city_nanning)
    assert any("作出推荐" in text and unread for text, unread in city)
    assert all("作出推荐" not in text for text, _unread in inbox(people.centre))
    assert inbox(people.centre) == []


def test_recommended_in_the_same_transaction_the_city_gets_no_to_do_and_the_centre_is_asked_to_accept(
    people, django_capture_on_commit_callbacks
):
    """The demo's way (and a fast bureau's): submitted and recommended before the messages go out."""
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        application = nanning_submission(people)
        application_transition(application=application, by=people.city_nanning, name="recommend", text="同意推荐。")
    assert all(not unread for _text, unread in inbox(people.city_nanning))
    centre = inbox(people.centre)
    assert centre and all("作出推荐" not in text for text, _unread in centre)
    assert any(application.reference in text and "待您办理" in text and unread for text, unread in centre)


def test_the_to_do_is_read_once_the_step_is_taken(people, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        application = nanning_submission(people)
    link = reverse("filings:application_detail", args=[application.pk])
    assert Notification.objects.filter(recipient=people.city_nanning, link=link, read_at=None).count() == 1
    with django_capture_on_commit_callbacks(execute=True):
        application_transition(application=application, by=people.city_nanning, name="recommend", text="同意推荐。")
    assert Notification.objects.filter(recipient=people.city_nanning, link=link, read_at=None).count() == 0
    assert Notification.objects.filter(recipient=people.centre, link=link, read_at=None).count() == 1
    with django_capture_on_commit_callbacks(execute=True):
        application_transition(application=application, by=people.centre, name="accept", text="")
    assert Notification.objects.filter(recipient=people.centre, link=link, read_at=None).count() == 0
    # The agency's own messages are not the reviewers' to-dos: they stay as they were.
    assert Notification.objects.filter(recipient=people.agency_nanning, link=link, read_at=None).count() == 3
