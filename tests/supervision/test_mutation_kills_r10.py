"""Round 10's mutation run over the week's merged work (todo9's to-dos, cal9's holidays, the cross-region
complaint): each test here failed with a planted bug the existing tests let through, and passes on the product as
it is."""

from __future__ import annotations

import datetime as dt

from django.urls import reverse

from portal.models import Notification
from supervision.services import registration_submit
from tests.portal.factories import region
from tests.portal.inbox_page import read_subjects, todo_subjects
from tests.supervision.factories import NANNING, new_plan, today_is
from tests.supervision.test_complaint_cross_region import _complaint, _plan, entry  # noqa: F401 (entry: a fixture)
from tests.supervision.test_complaints import submit
from tests.supervision.test_inbox_done import DETAILS, drawn  # noqa: F401 (drawn: a fixture)

AGENCY = "南宁市安盾职业技能培训学校"


def _opened_stays_to_do(client_for, user, text: str) -> Notification:
    """The user opens the message (its link in the inbox): read, it stays under 待办 marked 待办, not under 已读."""
    message = Notification.objects.get(recipient=user, subject__contains=text)
    assert message.subject in todo_subjects(client_for, user)
    assert client_for(user).get(reverse("notification_open", args=[message.pk])).status_code == 302
    message.refresh_from_db()
    assert message.read_at is not None and message.done_at is None
    assert message.subject in todo_subjects(client_for, user)
    assert message.subject not in read_subjects(client_for, user)
    return message


# ---------------------------------------------------------------- to-dos stay to do once opened


def test_an_opened_complaint_stays_the_bureaus_to_do(people, nanning_entry, client_for):
    """Mutation: the handlers' message about a new complaint not a to-do: opened once, it left 待办 while the
    complaint still waited to be accepted and answered."""
    submit(nanning_entry)
    _opened_stays_to_do(client_for, people.city_nanning, f"（关于{AGENCY}），答复期限")


def test_an_opened_drawn_inspection_stays_the_teams_to_do(people, drawn, client_for):  # noqa: F811
    """Mutation: the drawn inspection's message not a to-do: opened once, it left 待办 before the visit."""
    member = drawn.team.first()
    _opened_stays_to_do(client_for, member, f"双随机抽查：{drawn.entry.organisation.name}")


def test_an_opened_registration_stays_the_polices_to_do(people, nanning_entry, client_for):
    """Mutation: the police's message about a registration to confirm not a to-do: opened once, it left 待办
    though the registration was neither confirmed nor returned."""
    registration_submit(entry=nanning_entry, city=region(NANNING), by=people.agency_nanning, **DETAILS)
    _opened_stays_to_do(client_for, people.police_nanning, f"{AGENCY}的公安报备登记")


# ---------------------------------------------------------------- the holiday warning on the plan's page


WARNING = "考评日期中有法定节假日"


def test_the_plans_page_warns_of_a_holiday_on_its_last_exam_day_only(people, nanning_entry, client_for):
    """Mutation: the page looked at the first exam day alone: a plan of 31 December and 1 January showed no
    warning of 元旦."""
    client = client_for(people.agency_nanning)
    with today_is(dt.date(2026, 12, 1)):
        plan = new_plan(
            nanning_entry, people.agency_nanning, first_day=dt.date(2026, 12, 31), last_day=dt.date(2027, 1, 1)
        )
        html = client.get(reverse("supervision:plan_detail", args=[plan.pk])).content.decode()
        assert WARNING in html and "2027-01-01 元旦" in html and "2026-12-31 " not in html.split(WARNING, 1)[1][:80]
        below = new_plan(
            nanning_entry, people.agency_nanning, first_day=dt.date(2026, 12, 29), last_day=dt.date(2026, 12, 30)
        )
        assert WARNING not in client.get(reverse("supervision:plan_detail", args=[below.pk])).content.decode()


# ---------------------------------------------------------------- the cross-region complaint: not the home city


def test_a_complaint_on_an_evaluation_of_the_home_city_tells_nobody_of_a_cross_region_evaluation(
    people,
    entry,  # noqa: F811
):
    """Mutation: the "evaluation held in your city, outside its registered city" message sent whatever the city:
    南宁's police (and bureau) were told an evaluation of 南宁 in 南宁 was held outside its registered city."""
    complaint = _complaint(entry, _plan(people, entry, "450100"))
    url = reverse("supervision:complaint_detail", args=[complaint.pk])
    assert not Notification.objects.filter(recipient=people.police_nanning, link=url).exists()
    assert not Notification.objects.filter(link=url, subject__contains="组织的评价活动被投诉").exists()
    # The home bureau has its one to-do, the handling of the complaint.
    home = Notification.objects.filter(recipient=people.city_nanning, link=url)
    assert list(home.values_list("todo", flat=True)) == [True]
