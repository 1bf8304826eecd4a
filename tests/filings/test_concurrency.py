"""Requests racing each other: two officials acting on one application at the same moment make exactly one
transition; parallel drafts of one notice make one; parallel identical registrations make one account."""

import threading
import time
from unittest import mock

import pytest
from django.db import connection, connections
from django.test import Client
from django.urls import reverse

from agencies.models import Organisation
from filings import workflow
from filings.models import Application, State, StateChange
from filings.services import application_transition, selection_mark
from filings.services import selection as selection_services
from portal.lib.errors import WorkflowError
from portal.models import Role, User
from publicity.models import Notice, NoticeItem
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


def _selected(people, application: Application) -> Application:
    application_transition(application=application, by=people.city_nanning, name="recommend", text="同意。")
    application_transition(application=application, by=people.centre, name="accept")
    Application.objects.filter(pk=application.pk).update(state=State.ASSESSED, panel_score=88)
    application.refresh_from_db()
    return selection_mark(application=application, by=people.centre, selected=True, reason="靠前。")


def _in_parallel(count: int, work) -> list:
    """``work(i)`` in ``count`` threads released together, each on its own database connection."""
    barrier = threading.Barrier(count)
    outcomes: list = [None] * count

    def run(i):
        try:
            barrier.wait()
            outcomes[i] = work(i)
        except Exception as error:  # the test asserts on what each thread met
            outcomes[i] = error
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return outcomes


def _slowly(real):
    """``real`` after a pause, so that every parallel request has passed its checks before the first writes."""

    def slow(*args, **kwargs):
        time.sleep(0.4)
        return real(*args, **kwargs)

    return slow


@pytest.mark.django_db(transaction=True)
def test_five_parallel_new_notice_posts_make_one_draft_and_tell_the_others(reference_data, people):
    if connection.vendor != "postgresql":
        pytest.skip("needs real concurrent connections and row locks: runs on PostgreSQL (CI)")
    application = _selected(people, nanning_submission(people))
    post = {"call": application.call_id, "applications": [application.pk], "title": "公示", "window_days": "5"}

    # Signed in one after the other: the sessions are ready before the race, which is about the POSTs.
    clients = [Client() for _ in range(5)]
    for client in clients:
        client.force_login(people.centre, backend="django.contrib.auth.backends.ModelBackend")

    def new_notice(i):
        return clients[i].post(reverse("filings:notice_new"), post)

    with mock.patch.object(selection_services, "notice_create", side_effect=_slowly(selection_services.notice_create)):
        responses = _in_parallel(5, new_notice)

    assert Notice.objects.count() == 1
    assert NoticeItem.objects.filter(object_id=application.pk).count() == 1
    statuses = sorted(response.status_code for response in responses)
    assert statuses == [302, 400, 400, 400, 400], [(r.status_code, r.get("Location")) for r in responses]
    for response in responses:
        if response.status_code == 400:
            assert "已在另一份公示中" in response.content.decode()


@pytest.mark.django_db(transaction=True)
def test_two_parallel_identical_registrations_make_one_account_and_tell_the_other(reference_data):
    if connection.vendor != "postgresql":
        pytest.skip("needs real concurrent connections and unique indexes under load: runs on PostgreSQL (CI)")
    from tests.agencies.test_registration import form_data

    def register(_i):
        return Client().post(reverse("register"), form_data())

    with mock.patch.object(Organisation, "full_clean", autospec=True, side_effect=_slowly(Organisation.full_clean)):
        responses = _in_parallel(2, register)
    assert Organisation.objects.count() == 1
    assert User.objects.filter(username="dingxin").count() == 1
    assert sorted(response.status_code for response in responses) == [200, 200], responses
    refused = [r.content.decode() for r in responses if "已存在" in r.content.decode()]
    assert len(refused) == 1  # the form says which field is taken, with everything typed kept
    assert "具有 单位全称 的 机构 已存在" in refused[0] and 'value="dingxin"' in refused[0]
