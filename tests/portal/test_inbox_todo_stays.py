"""Issue todo9 item 3: opening a to-do in the inbox only marks it read; it stays under 待办 until its work is done.
A plain message (nothing asked) moves to 已读 when opened."""

from __future__ import annotations

import pytest
from django.urls import reverse

from filings.examples import sample_application_data, sample_pdf
from filings.services import (
    application_create,
    application_save_draft,
    application_submit,
    application_transition,
    attachment_add,
)
from portal.models import Notification
from tests.filings.factories import GX_MATERIALS, make_call
from tests.portal.inbox_page import read_subjects, todo_subjects


@pytest.fixture
def recommended(people, django_capture_on_commit_callbacks):
    """An application of 南宁 recommended by the city bureau: the centre's to-do (accept it) is in its inbox."""
    agency = people.agency_nanning
    with django_capture_on_commit_callbacks(execute=True):
        application = application_create(organisation=people.org_nanning, call=make_call("todo9"), by=agency)
        data = sample_application_data(people.org_nanning, occupations=[("3-02-02-00", "保卫管理员", 3)])
        application_save_draft(application=application, data=data, by=agency)
        for material in GX_MATERIALS:
            attachment_add(application=application, material=material["code"], uploaded=sample_pdf("s"), by=agency)
        legal = data["basic"]["legal_representative"]
        application_submit(application=application, by=agency, commitment_name=legal, consent=True)
        application_transition(application=application, by=people.city_nanning, name="recommend", text="同意推荐。")
    application.refresh_from_db()
    return application


def _open(client_for, user, notification):
    return client_for(user).get(reverse("notification_open", args=[notification.pk]))


def _badge(client_for, user) -> str:
    page = client_for(user).get(reverse("inbox")).content.decode()
    start = page.index('data-inbox-tab="todo"')
    return page[start : page.index("</a>", start)]


def test_an_opened_to_do_stays_to_do_until_its_work_is_done(
    people, client_for, recommended, django_capture_on_commit_callbacks
):
    todo = Notification.objects.get(recipient=people.centre, todo=True)
    assert recommended.reference in todo.subject
    assert todo.subject in todo_subjects(client_for, people.centre)
    response = _open(client_for, people.centre, todo)
    assert response.status_code == 302 and response.url == reverse("filings:application_detail", args=[recommended.pk])
    todo.refresh_from_db()
    assert todo.read_at is not None and todo.done_at is None
    # Opened, nothing done: still under 待办 (counted, marked 待办, no longer 新), not under 已读.
    assert todo.subject in todo_subjects(client_for, people.centre)
    assert todo.subject not in read_subjects(client_for, people.centre)
    assert '<span class="badge rounded-pill text-bg-primary">1</span>' in _badge(client_for, people.centre)
    # “Mark all as read” does not do the work either.
    client_for(people.centre).post(reverse("inbox_mark_all_read"))
    assert todo.subject in todo_subjects(client_for, people.centre)
    # The centre accepts: the work is done, the message moves to 已读, marked 已办结.
    with django_capture_on_commit_callbacks(execute=True):
        application_transition(application=recommended, by=people.centre, name="accept")
    assert todo.subject not in todo_subjects(client_for, people.centre)
    assert todo.subject in read_subjects(client_for, people.centre)
    assert (
        'data-todo="done">已办结' in client_for(people.centre).get(reverse("inbox"), {"show": "read"}).content.decode()
    )


def test_a_plain_message_moves_to_read_when_opened(people, client_for, recommended):
    plain = Notification.objects.filter(recipient=people.agency_nanning, todo=False).first()
    assert plain is not None and plain.subject in todo_subjects(client_for, people.agency_nanning)
    _open(client_for, people.agency_nanning, plain)
    assert plain.subject not in todo_subjects(client_for, people.agency_nanning)
    assert plain.subject in read_subjects(client_for, people.agency_nanning)
