"""What the mutation run of round 3 found the suite did not check in supervision/ (bench/README.md, "Mutation run:
supervision, certificates, reports"): each test names the mutant it kills. Expected behaviour from the sources
and the design: 陕公通字〔2023〕64号 三（一） (registrations confirmed or returned by the police), the complaint
steps (accept before investigating and concluding; a declined complaint has had its answer), the exit mechanism
of the 2020 pilot 四（一） (a removed agency is out of the directory: nothing more to inspect or draw), and
双随机一公开 (inspectors drawn from the officials in post)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from agencies.models import DirectoryEntry
from filings.examples import sample_pdf
from portal.lib.errors import WorkflowError
from portal.models import Notification
from supervision.models import Complaint, ComplaintEvent, Inspection, Plan, PoliceRegistration, Rectification, Sanction
from supervision.selectors import plans_flagged
from supervision.services import (
    complaint_act,
    complaint_submit,
    plan_announce,
    plan_submit,
    registration_confirm,
    registration_return,
    registration_submit,
    sanction_decide,
    sanction_lift,
)
from supervision.services.complaints import complaints_overdue_notify
from supervision.services.draws import draw_define
from supervision.services.inspections import (
    finding_add,
    inspection_open,
    rectification_answer,
    rectification_close,
    rectification_escalate,
)
from supervision.services.sanctions import PILOT_EXIT_CLAUSE
from tests.portal.factories import region
from tests.supervision.factories import NANNING, issued, new_plan, today_is

MONDAY = dt.date(2026, 3, 2)  # an ordinary fortnight: no holiday between 2 and 16 March 2026
FIRST_DAY, LAST_DAY = dt.date(2026, 3, 16), dt.date(2026, 3, 17)  # the plan_fields' exam days
DETAILS = {"responsible": "黄建华", "phone": "13877112345", "sites": "南宁市青秀区民族大道136号 理论考场、实操考场"}
CONTENT = "2026年9月20日保卫管理员三级考试中，监考人员离开考场二十分钟，考生互相传递答案。"
FACTS = "2026年2月10日保卫管理员三级认定中，考场视频监控未开启，考评人员不足3名。"


# ---------------------------------------------------------------- police registration


def test_a_returned_registration_cannot_be_confirmed_until_the_agency_answers(people, nanning_entry, client_for):
    """S16: only a registration awaiting the police is confirmed; a returned one waits for the agency's answer."""
    registration = registration_submit(entry=nanning_entry, city=region(NANNING), by=people.agency_nanning, **DETAILS)
    registration_return(registration=registration, by=people.police_nanning, reasons="考点地址不全。")
    url = reverse("supervision:registration_detail", args=[registration.pk])
    client_for(people.police_nanning).post(url, {"action": "confirm"})
    registration.refresh_from_db()
    assert registration.status == PoliceRegistration.Status.RETURNED and registration.reasons == "考点地址不全。"
    assert [e.action for e in registration.events.order_by("pk")] == ["submit", "return"]
    with pytest.raises(WorkflowError):
        registration_confirm(registration=registration, by=people.police_nanning)


# ---------------------------------------------------------------- the workspace's flags


@pytest.mark.parametrize(("today", "flagged"), [(LAST_DAY, True), (LAST_DAY + dt.timedelta(days=1), False)])
def test_an_unregistered_evaluation_is_flagged_through_its_last_exam_day(people, nanning_entry, today, flagged):
    """S21: the police see the evaluation of an agency not registered with them until its last day is over."""
    with today_is(MONDAY):
        plan = new_plan(nanning_entry, people.agency_nanning)
        plan_submit(plan=plan, by=people.agency_nanning)
        plan_announce(plan=plan, by=people.agency_nanning)
    with today_is(today):
        assert (plan in plans_flagged(people.police_nanning)) is flagged


# ---------------------------------------------------------------- complaints


def submit(entry) -> Complaint:
    with today_is(dt.date(2026, 9, 25)):
        return complaint_submit(
            entry=entry, happened_on=dt.date(2026, 9, 20), content=CONTENT, name="李明", contact="13877112345"
        )


def test_a_complaint_not_yet_accepted_cannot_be_concluded(people, nanning_entry, client_for):
    """S22: received → accepted (or declined) → investigated → concluded; concluding skips no acceptance."""
    complaint = submit(nanning_entry)
    url = reverse("supervision:complaint_detail", args=[complaint.pk])
    client_for(people.city_nanning).post(url, {"step": "conclude", "outcome": "upheld", "text": "经查属实。"})
    complaint.refresh_from_db()
    assert complaint.status == Complaint.Status.RECEIVED and complaint.outcome == ""
    assert not nanning_entry.credit_records.exists()
    assert list(ComplaintEvent.objects.filter(complaint=complaint).values_list("status", flat=True)) == ["received"]


def test_a_declined_complaint_is_not_reminded_as_overdue(people, nanning_entry):
    """S25: a declined complaint has had its answer (the reasons the complainant reads); it is never overdue."""
    complaint = submit(nanning_entry)
    with today_is(dt.date(2026, 9, 28)):
        complaint_act(complaint=complaint, step="decline", by=people.city_nanning, text="不属于本部门职责。")
    before = people.city_nanning.notifications.count()
    # Received Friday 25 September 2026 (a holiday), due 22 October: the day after, it would be overdue.
    with today_is(dt.date(2026, 10, 23)):
        assert complaints_overdue_notify() == 0
    assert people.city_nanning.notifications.count() == before


# ---------------------------------------------------------------- sanctions


def test_after_a_suspension_is_lifted_a_new_one_can_be_decided(people, nanning_entry):
    """S33: "lift that suspension first" — once lifted, a new suspension is possible."""
    with today_is(MONDAY):
        first = sanction_decide(
            entry=nanning_entry,
            kind="suspension",
            facts=FACTS,
            basis=PILOT_EXIT_CLAUSE,
            by=people.city_nanning,
            until=dt.date(2026, 4, 30),
        )
        sanction_lift(sanction=first, reason="整改到位，复查合格。", by=people.city_nanning)
        second = sanction_decide(
            entry=nanning_entry,
            kind="suspension",
            facts="再次违规：考评人员不足3名。",
            basis=PILOT_EXIT_CLAUSE,
            by=people.city_nanning,
            until=dt.date(2026, 5, 31),
        )
    nanning_entry.refresh_from_db()
    assert nanning_entry.status == DirectoryEntry.Status.SUSPENDED
    assert nanning_entry.suspended_until == dt.date(2026, 5, 31)
    assert Sanction.objects.filter(kind="suspension").count() == 2 and second.number.endswith("2号")


# ---------------------------------------------------------------- inspections and rectification orders


def ordered(people, entry) -> Rectification:
    inspection = inspection_open(entry=entry, by=people.police_nanning)
    finding = finding_add(
        inspection=inspection, by=people.police_nanning, text="未张贴考场规则。", requirement="张贴。"
    )
    issued(inspection, people.police_nanning)
    return finding.rectification


def test_a_closed_order_cannot_be_escalated(people, nanning_entry, client_for):
    """S40: a verified (closed) order is done; escalation is for an order not rectified."""
    order = ordered(people, nanning_entry)
    rectification_answer(rectification=order, by=people.agency_nanning, answer="已张贴。", files=[sample_pdf("照片")])
    rectification_close(rectification=order, by=people.police_nanning, note="核实。")
    before = Notification.objects.filter(recipient=people.city_nanning).count()
    url = reverse("supervision:rectification_detail", args=[order.pk])
    client_for(people.police_nanning).post(url, {"action": "escalate", "note": "复查不合格。"})
    order.refresh_from_db()
    assert order.status == Rectification.Status.CLOSED and order.note == "核实。"
    assert Notification.objects.filter(recipient=people.city_nanning).count() == before
    with pytest.raises(WorkflowError):
        rectification_escalate(rectification=order, by=people.police_nanning, note="复查不合格。")


def test_another_agency_cannot_answer_the_order(people, nanning_entry):
    """S41 (also killed by the chain test, through the page): only the agency the order was given to answers it,
    checked here on the order's rows."""
    order = ordered(people, nanning_entry)
    with pytest.raises(PermissionDenied):
        rectification_answer(
            rectification=order, by=people.agency_liuzhou, answer="已张贴。", files=[sample_pdf("照片")]
        )
    order.refresh_from_db()
    assert order.status == Rectification.Status.OPEN and order.answer == "" and not order.evidence.exists()


def test_a_removed_agency_is_not_inspected(people, nanning_entry):
    """S42: removed from the directory (移出目录), the agency has nothing left to inspect."""
    with today_is(MONDAY):
        sanction_decide(entry=nanning_entry, kind="removal", facts=FACTS, basis=PILOT_EXIT_CLAUSE, by=people.centre)
    nanning_entry.refresh_from_db()  # as the inspection page loads it
    with pytest.raises(WorkflowError):
        inspection_open(entry=nanning_entry, by=people.city_nanning)
    assert not Inspection.objects.exists()


# ---------------------------------------------------------------- random draws


def test_a_draw_over_every_status_leaves_removed_agencies_out(people, nanning_entry, liuzhou_entry):
    """S44: the "all statuses" pool holds active and suspended agencies, never a removed one."""
    with today_is(MONDAY):
        sanction_decide(entry=liuzhou_entry, kind="removal", facts=FACTS, basis=PILOT_EXIT_CLAUSE, by=people.centre)
    draw = draw_define(
        by=people.centre,
        title="全区抽查",
        n=1,
        m=1,
        seed_source="福彩3D",
        status="",
        seed_published_on=timezone.localdate(),
    )
    assert draw.agency_ids == [nanning_entry.pk]


def test_an_official_no_longer_in_post_is_not_drawn(people, nanning_entry):
    """S45: the inspector pool is the active officials of the jurisdiction."""
    people.police_liuzhou.is_active = False
    people.police_liuzhou.save(update_fields=["is_active"])
    draw = draw_define(
        by=people.centre, title="全区抽查", n=1, m=1, seed_source="福彩3D", seed_published_on=timezone.localdate()
    )
    assert people.police_liuzhou.pk not in draw.inspector_ids
    assert people.police_nanning.pk in draw.inspector_ids and people.city_liuzhou.pk in draw.inspector_ids


def test_a_cross_region_plan_is_reported_to_that_citys_hr_bureau_not_its_police(people, nanning_entry):
    """S09, S10: a plan outside the agency's city is reported to that city's HR bureau (柳州), which must be told
    to consent; its police have no say in it."""
    from tests.supervision.factories import liuzhou_venue

    with today_is(dt.date(2026, 9, 21)):
        plan = new_plan(
            nanning_entry,
            people.agency_nanning,
            **liuzhou_venue(first_day=dt.date(2026, 10, 20), last_day=dt.date(2026, 10, 20)),
        )
        plan_submit(plan=plan, by=people.agency_nanning)
    plan.refresh_from_db()
    assert plan.status == Plan.Status.AWAITING_CONSENT
    link = reverse("supervision:plan_detail", args=[plan.pk])
    assert Notification.objects.filter(recipient=people.city_liuzhou, link=link).count() == 1
    assert not Notification.objects.filter(recipient=people.police_liuzhou, link=link).exists()


# ---------------------------------------------------------------- the row lock of a registration's decision


@pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks need PostgreSQL (SQLite locks the file)")
@pytest.mark.django_db(transaction=True)
def test_two_police_officers_deciding_at_once_decide_once(reference_data):
    """S46: one officer confirms while another returns the same registration: the row lock makes the second
    wait and find it decided, so the registration has one decision and one event, not two."""
    import threading
    import time
    from unittest import mock

    from portal.models import Department, Role
    from supervision.models import RegistrationEvent
    from tests.agencies.factories import OrganisationFactory
    from tests.certificates.factories import filed_entry
    from tests.portal.factories import DepartmentFactory, UserFactory

    organisation = OrganisationFactory(name="南宁并发报备学校", region=region(NANNING))
    agency = UserFactory(username="race_agency", role=Role.AGENCY, organisation=organisation)
    police = DepartmentFactory(name="南宁市公安局", kind=Department.Kind.PUBLIC_SECURITY, region=region(NANNING))
    officers = [UserFactory(username=f"race_police_{n}", role=Role.POLICE, department=police) for n in (1, 2)]
    entry = filed_entry(organisation)
    registration = registration_submit(entry=entry, city=region(NANNING), by=agency, **DETAILS)
    original_save = PoliceRegistration.save
    barrier = threading.Barrier(2)
    outcomes: list[str] = []

    def slow_save(self, *args, **kwargs):
        time.sleep(0.3)  # between reading the status and writing the decision
        return original_save(self, *args, **kwargs)

    def decide(officer, confirm: bool):
        from django.db import connection as thread_connection

        try:
            barrier.wait(timeout=10)
            if confirm:
                registration_confirm(registration=registration, by=officer)
            else:
                registration_return(registration=registration, by=officer, reasons="考点地址不全。")
            outcomes.append("decided")
        except WorkflowError:
            outcomes.append("refused")
        finally:
            thread_connection.close()

    with mock.patch.object(PoliceRegistration, "save", slow_save):
        threads = [threading.Thread(target=decide, args=(officer, n == 0)) for n, officer in enumerate(officers)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=60)
    assert sorted(outcomes) == ["decided", "refused"]
    decisions = RegistrationEvent.objects.filter(registration=registration).exclude(action="submit")
    assert decisions.count() == 1


@pytest.mark.parametrize(("workdays", "due"), [(1, dt.date(2026, 3, 3)), (60, dt.date(2026, 5, 28))])
def test_a_rectification_order_may_be_given_one_to_sixty_working_days(people, nanning_entry, workdays, due):
    """S39: the order's page offers "between 1 and 60 working days", both ends included. From Monday 2 March
    2026, 1 working day is Tuesday 3 March; 60 cross Qingming (4–6 April) and Labour Day (1–5 May, Saturday
    9 May worked): 3–31 March (21), 1–3 and 7–30 April (42), 6–9 May (46), 11–15 (51), 18–22 (56), 25–28 (60)."""
    with today_is(MONDAY):
        inspection = inspection_open(entry=nanning_entry, by=people.city_nanning)
        finding = finding_add(
            inspection=inspection,
            by=people.city_nanning,
            text="未张贴考场规则。",
            requirement="张贴。",
            workdays=workdays,
        )
    assert finding.rectification.deadline == due


def test_a_sanction_reaches_the_agency_and_the_officials_of_its_city(people, nanning_entry):
    """S37: the agency and the officials of its city (HR bureau, police) and the centre are told of a decision,
    with the link to it; the other city's officials are not, nor the official who decided it (round 8)."""
    with today_is(MONDAY):
        sanction = sanction_decide(
            entry=nanning_entry, kind="warning", facts=FACTS, basis=PILOT_EXIT_CLAUSE, by=people.city_nanning
        )
    link = reverse("supervision:sanction_detail", args=[sanction.pk])
    told = set(Notification.objects.filter(link=link).values_list("recipient__username", flat=True))
    assert told == {"agency_nanning", "police_nanning", "centre"}
