"""A department whose step was taken before the messages went out is not asked to take it (round 7's mutation
run: the city bureau received "新的待审核备案申请" for an application it had already recommended in the same
transaction, only marked read afterwards — a message asking it to review what it had reviewed)."""

from __future__ import annotations

import pytest
from django.db import transaction
from django.db.models import Q

from filings.services import application_transition
from portal.models import Notification
from tests.filings.factories import nanning_submission

pytestmark = pytest.mark.django_db


def test_recommended_before_the_messages_go_out_the_city_is_never_asked_to_review(
    people, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        application = nanning_submission(people)
        application_transition(application=application, by=people.city_nanning, name="recommend", text="同意推荐。")
    # "New filing application to review" (新的待审核备案申请), whichever language the messages are stored in.
    asked = Notification.objects.filter(recipient=people.city_nanning).filter(
        Q(subject__startswith="新的待审核备案申请") | Q(subject__startswith="New filing application to review")
    )
    assert list(asked.values_list("subject", flat=True)) == []
    # The centre, whose turn it is, is asked.
    assert Notification.objects.filter(recipient=people.centre, body__contains=application.reference).exists()
