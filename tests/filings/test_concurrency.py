"""Two officials acting on one application at the same moment: exactly one transition happens."""

import threading
import time
from unittest import mock

import pytest
from django.db import connection, connections

from filings import workflow
from filings.models import Application, State, StateChange
from filings.services import application_transition
from portal.lib.errors import WorkflowError
from portal.models import Role
from tests.filings.factories import nanning_submission
from tests.portal.factories import UserFactory


@pytest.mark.django_db(transaction=True)
def test_two_reviewers_at_the_same_moment_make_exactly_one_transition(reference_data, people):
    if connection.vendor != "postgresql":
        pytest.skip("needs real concurrent connections and row locks: runs on PostgreSQL (CI)")
    application = nanning_submission(people)
    colleague = UserFactory(username="city_nanning_2", role=Role.CITY_HR, department=people.city_nanning.department)
    real_find = workflow.find

    def slow_find(*args, **kwargs):
        # Hold the row lock a moment, so the other official's request surely arrives while it is held.
        time.sleep(0.5)
        return real_find(*args, **kwargs)

    barrier = threading.Barrier(2)
    outcomes: dict[str, str] = {}

    def act(user, name, text):
        try:
            barrier.wait()
            application_transition(
                application=Application.objects.get(pk=application.pk),
                by=user,
                name=name,
                text=text,
                sections={"site": "补充材料"},
            )
            outcomes[name] = "done"
        except WorkflowError as error:
            outcomes[name] = str(error)
        finally:
            connections.close_all()

    with mock.patch.object(workflow, "find", side_effect=slow_find):
        threads = [
            threading.Thread(target=act, args=(people.city_nanning, "recommend", "同意推荐")),
            threading.Thread(target=act, args=(colleague, "request_correction", "")),
        ]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=30)

    assert sorted(outcomes.values()).count("done") == 1, outcomes
    refused = next(message for message in outcomes.values() if message != "done")
    application.refresh_from_db()
    assert application.state in (State.ACCEPTANCE, State.CORRECTION)
    assert application.get_state_display() in refused  # the loser is told the current state
    assert StateChange.objects.filter(application=application).exclude(role=Role.AGENCY).count() == 1
