"""The inbox: every message goes to the recipient's inbox and, when they have an address, by e-mail."""

import pytest
from django.urls import reverse

from filings.notifications import notify_submitted
from portal.models import Notification
from portal.services import notify
from portal.tasks import send_notification_email
from tests.filings.factories import nanning_submission
from tests.portal.factories import UserFactory

BASE = "https://portal.example.gov.cn"


@pytest.fixture(autouse=True)
def _base_url(settings):
    settings.PORTAL_BASE_URL = BASE


def _send(users, django_capture_on_commit_callbacks, **kwargs):
    message = {"subject": "待办：审核申请", "body": "发生了什么。\n下一步：审核。", "link": "/filings/1/", **kwargs}
    with django_capture_on_commit_callbacks(execute=True):
        return notify(users=users, **message)


def test_notify_puts_the_message_in_every_inbox_and_emails_it_with_the_absolute_link(
    db, mailoutbox, django_capture_on_commit_callbacks
):
    with_address = UserFactory(email="li@hr.nanning.example.gov.cn")
    without_address = UserFactory(email="")
    _send([with_address, without_address, with_address], django_capture_on_commit_callbacks)
    assert with_address.notifications.count() == 1
    assert without_address.notifications.count() == 1
    assert [mail.to for mail in mailoutbox] == [["li@hr.nanning.example.gov.cn"]]
    assert mailoutbox[0].subject == "待办：审核申请"
    assert "下一步：审核。" in mailoutbox[0].body
    assert f"{BASE}/filings/1/" in mailoutbox[0].body
    assert with_address.notifications.get().emailed
    assert not without_address.notifications.get().emailed


def test_a_message_without_a_link_points_the_email_to_the_inbox(db, mailoutbox, django_capture_on_commit_callbacks):
    user = UserFactory(email="li@hr.nanning.example.gov.cn")
    _send([user], django_capture_on_commit_callbacks, link="")
    assert f"{BASE}/inbox/" in mailoutbox[0].body


def test_an_inactive_user_is_not_notified(db, mailoutbox, django_capture_on_commit_callbacks):
    gone = UserFactory(email="gone@example.cn", is_active=False)
    assert _send([gone], django_capture_on_commit_callbacks) == []
    assert mailoutbox == []


def test_no_email_leaves_before_the_transaction_commits(db, mailoutbox, django_capture_on_commit_callbacks):
    user = UserFactory(email="li@hr.nanning.example.gov.cn")
    with django_capture_on_commit_callbacks() as callbacks:
        notify(users=[user], subject="s", body="b")
    assert mailoutbox == [] and len(callbacks) == 1


def test_a_link_outside_the_portal_is_refused(db):
    with pytest.raises(ValueError):
        notify(users=[UserFactory()], subject="s", body="b", link="https://elsewhere.example.com/")


def test_the_email_task_sends_a_message_only_once(db, mailoutbox):
    user = UserFactory(email="li@hr.nanning.example.gov.cn")
    notification = Notification.objects.create(recipient=user, subject="s", body="b")
    send_notification_email(notification.pk)
    send_notification_email(notification.pk)
    assert len(mailoutbox) == 1


def test_the_inbox_shows_only_ones_own_messages_newest_first_and_unread_highlighted(people, client_for):
    Notification.objects.create(recipient=people.city_nanning, subject="较早的消息", body="b")
    Notification.objects.create(recipient=people.city_nanning, subject="最新的消息", body="b")
    Notification.objects.create(recipient=people.city_liuzhou, subject="柳州的消息", body="b")
    page = client_for(people.city_nanning).get(reverse("inbox")).content.decode()
    assert page.index("最新的消息") < page.index("较早的消息")
    assert "柳州的消息" not in page
    assert page.count("list-group-item-primary") == 2
    assert 'badge rounded-pill text-bg-danger">2<' in page


def test_opening_a_message_marks_it_read_and_follows_its_link(people, client_for):
    notification = Notification.objects.create(recipient=people.city_nanning, subject="s", body="b", link="/filings/")
    response = client_for(people.city_nanning).get(reverse("notification_open", args=[notification.pk]))
    assert response.status_code == 302 and response["Location"] == "/filings/"
    notification.refresh_from_db()
    assert notification.read_at is not None


def test_another_users_message_is_not_found(people, client_for):
    notification = Notification.objects.create(recipient=people.city_nanning, subject="s", body="b")
    response = client_for(people.city_liuzhou).get(reverse("notification_open", args=[notification.pk]))
    assert response.status_code == 404
    notification.refresh_from_db()
    assert notification.read_at is None


def test_mark_all_read_clears_only_ones_own_unread_messages(people, client_for):
    for _ in range(3):
        Notification.objects.create(recipient=people.city_nanning, subject="s", body="b")
    other = Notification.objects.create(recipient=people.city_liuzhou, subject="s", body="b")
    client = client_for(people.city_nanning)
    assert client.post(reverse("inbox_mark_all_read")).status_code == 302
    assert not people.city_nanning.notifications.filter(read_at=None).exists()
    other.refresh_from_db()
    assert other.read_at is None
    assert reverse("inbox_mark_all_read") not in client.get(reverse("inbox")).content.decode()


def test_a_submission_tells_the_reviewers_and_the_agency_what_to_do_next(people):
    application = nanning_submission(people)
    Notification.objects.all().delete()
    notify_submitted(application.pk, 1)
    reviewer = people.city_nanning.notifications.get()
    assert people.org_nanning.name in reviewer.subject
    assert reviewer.link == reverse("filings:application_detail", args=[application.pk])
    received = people.agency_nanning.notifications.get()
    assert application.reference in received.body
    assert "南宁市人力资源和社会保障局" in received.body
    assert not people.city_liuzhou.notifications.exists()


def test_a_broker_outage_does_not_fail_the_request_and_the_sweeper_sends_later(
    people, django_capture_on_commit_callbacks, mailoutbox
):
    import datetime as dt
    from unittest import mock

    from kombu.exceptions import OperationalError

    from portal.services import notification_emails_sweep, notify
    from portal.tasks import send_notification_email

    people.city_nanning.email = "city@example.cn"
    people.city_nanning.save()
    down = mock.patch.object(send_notification_email, "apply_async", side_effect=OperationalError("down"))
    with down, django_capture_on_commit_callbacks(execute=True):
        [note] = notify(users=[people.city_nanning], subject="主题", body="正文")
    assert mailoutbox == []
    note.refresh_from_db()
    assert note.emailed is False
    assert notification_emails_sweep(older_than=dt.timedelta(0)) == 1
    assert [m.to for m in mailoutbox] == [["city@example.cn"]]
    assert notification_emails_sweep(older_than=dt.timedelta(0)) == 0
