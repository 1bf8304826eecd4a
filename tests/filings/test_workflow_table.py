"""The transition tables of ``filings.workflow`` against a table written out by hand from the source documents.

- Guangxi (保卫管理员 call 一（二）, city first): the agency submits to its city HR bureau, which reviews and recommends
  (审核推荐) to the autonomous region's skill-appraisal centre; the centre answers within 10 working days whether it
  accepts (桂人社函〔2020〕203号 三（二）); HR with public security run the technical assessment (技术评估) and select
  (择优遴选); the centre publishes the selected agencies (网上公示); those without an upheld objection go to the
  ministry (报人力资源社会保障部审核), which codes them, and the centre issues the filing receipt (备案回执).
- Shaanxi (陕公通字〔2023〕64号 三（一）, police first): the agency applies to the local public-security organ, which
  assesses and sends its opinion (备案意见) to the same-level HR bureau, which reviews it.
- The 2020 pilot (桂人社函〔2020〕203号 三（一）, by scope): city scope through the city centre, which gives its first
  opinion; province-wide (and, in this portal, national) scope straight to the autonomous region's centre.

Each reviewer may also return an application for correction (补正, DESIGN.md 2.3), which the agency answers by
resubmitting to the reviewer who asked; the agency may withdraw while its application waits for a reviewer (a
product rule, not in the seeds).
"""

import datetime as dt
from unittest import mock

import pytest
from django.core.exceptions import PermissionDenied

from agencies.models import Workflow
from filings import workflow
from filings.models import Application, State
from filings.services import application_transition
from filings.services.review import overdue_notify
from portal.lib.errors import WorkflowError
from portal.models import AuditEvent, Notification, Role
from tests.filings.factories import nanning_submission

CITY_FIRST, POLICE_FIRST, BY_SCOPE = "city_first", "police_first", "by_scope"
VARIANTS = [CITY_FIRST, POLICE_FIRST, BY_SCOPE]

# The target of a resubmission: back to the state of the reviewer who asked for the correction.
BACK = None

AGENCY, CITY_HR, CENTRE, POLICE = "agency", "city_hr", "centre", "police"


def _city_review(variant: str) -> set[tuple]:
    return {
        (variant, "recommend", "city_review", "acceptance", CITY_HR),
        (variant, "not_recommend", "city_review", "not_recommended", CITY_HR),
        (variant, "request_correction", "city_review", "correction", CITY_HR),
    }


def _centre_to_filing(variant: str) -> set[tuple]:
    return {
        (variant, "accept", "acceptance", "assessment", CENTRE),
        (variant, "refuse", "acceptance", "refused", CENTRE),
        (variant, "request_correction", "acceptance", "correction", CENTRE),
        (variant, "conclude", "assessment", "assessed", CENTRE),
        (variant, "select", "assessed", "selected", CENTRE),
        (variant, "not_select", "assessed", "not_selected", CENTRE),
        (variant, "publish_notice", "selected", "publicity", CENTRE),
        (variant, "uphold_objection", "publicity", "objection_upheld", CENTRE),
        (variant, "close_notice", "publicity", "publicised", CENTRE),
        (variant, "report_to_ministry", "publicised", "ministry_review", CENTRE),
        (variant, "file", "ministry_review", "filed", CENTRE),
        (variant, "ministry_reject", "ministry_review", "ministry_rejected", CENTRE),
    }


def _agency(variant: str, *waiting: str) -> set[tuple]:
    return {(variant, "withdraw", state, "withdrawn", AGENCY) for state in waiting} | {
        (variant, "resubmit", "correction", BACK, AGENCY)
    }


# (workflow, transition name, source state, target state, role)
EXPECTED: set[tuple] = (
    {(CITY_FIRST, "submit", "draft", "city_review", AGENCY)}
    | _agency(CITY_FIRST, "city_review", "acceptance")
    | _city_review(CITY_FIRST)
    | _centre_to_filing(CITY_FIRST)
    | {(POLICE_FIRST, "submit", "draft", "police_review", AGENCY)}
    | _agency(POLICE_FIRST, "police_review", "city_review", "acceptance")
    | {
        (POLICE_FIRST, "give_opinion", "police_review", "city_review", POLICE),
        (POLICE_FIRST, "request_correction", "police_review", "correction", POLICE),
    }
    | _city_review(POLICE_FIRST)
    | _centre_to_filing(POLICE_FIRST)
    | {
        (BY_SCOPE, "submit", "draft", "city_review", AGENCY),
        (BY_SCOPE, "submit_to_centre", "draft", "acceptance", AGENCY),
    }
    | _agency(BY_SCOPE, "city_review", "acceptance")
    | _city_review(BY_SCOPE)
    | _centre_to_filing(BY_SCOPE)
)

# The agency's withdrawal is one row shared by the variants; its police_review source is never reached where
# there is no police review. Listed so the comparison stays exact; reachability is asserted below.
UNREACHABLE: set[tuple] = {
    (CITY_FIRST, "withdraw", "police_review", "withdrawn", AGENCY),
    (BY_SCOPE, "withdraw", "police_review", "withdrawn", AGENCY),
}

EXPECTED_STATES = {
    CITY_FIRST: set(State.values) - {"police_review"},
    POLICE_FIRST: set(State.values),
    BY_SCOPE: set(State.values) - {"police_review"},
}


def code_rows(variant: str) -> set[tuple]:
    return {
        (variant, t.name, str(source), None if t.target is None else str(t.target), str(t.role))
        for t in workflow.TABLES[Workflow(variant)]
        for source in t.sources
    }


def expected_rows(variant: str) -> set[tuple]:
    return {row for row in EXPECTED | UNREACHABLE if row[0] == variant}


def reachable(variant: str) -> set[str]:
    """States reachable from the draft through the variant's table (a resubmission returns to its reviewer)."""
    rows = code_rows(variant)
    seen, todo = {"draft"}, ["draft"]
    while todo:
        state = todo.pop()
        for _variant, _name, source, target, _role in rows:
            if source == state and target is not None and target not in seen:
                seen.add(target)
                todo.append(target)
    return seen


# ---------------------------------------------------------------- the tables


def test_the_tables_cover_exactly_the_three_documented_variants():
    assert {str(variant) for variant in workflow.TABLES} == set(VARIANTS)


@pytest.mark.parametrize("variant", VARIANTS)
def test_the_code_table_equals_the_documented_table(variant):
    found, expected = code_rows(variant), expected_rows(variant)
    assert found == expected, {"missing": expected - found, "unexpected": found - expected}


@pytest.mark.parametrize("variant", VARIANTS)
def test_every_documented_state_is_reachable_and_no_other(variant):
    assert reachable(variant) == EXPECTED_STATES[variant]
    for row in UNREACHABLE:
        if row[0] == variant:
            assert row[2] not in reachable(variant)


@pytest.mark.parametrize("variant", VARIANTS)
def test_find_allows_exactly_the_documented_moves_and_refuses_every_other(variant):
    allowed = {(name, source): (target, role) for _v, name, source, target, role in expected_rows(variant)}
    names = {row[1] for row in EXPECTED} | {t.name for table in workflow.TABLES.values() for t in table}
    for state in State.values:
        for name in sorted(names):
            transition = workflow.find(variant, name, state)
            if (name, state) in allowed:
                assert transition is not None, (variant, name, state)
                target = None if transition.target is None else str(transition.target)
                assert (target, str(transition.role)) == allowed[(name, state)], (variant, name, state)
            else:
                assert transition is None, (variant, name, state)


@pytest.mark.parametrize("variant", VARIANTS)
def test_available_offers_each_role_exactly_its_documented_moves_in_each_state(variant):
    rows = expected_rows(variant)
    for state in State.values:
        for role in Role.values:
            offered = [t.name for t in workflow.available(variant, state, role)]
            assert len(offered) == len(set(offered)), (variant, state, role, offered)
            expected = {name for _v, name, source, _target, r in rows if source == state and r == role}
            assert set(offered) == expected, (variant, state, role)


@pytest.mark.parametrize("variant", VARIANTS)
def test_the_centre_cannot_accept_while_the_city_still_reviews(variant):
    assert workflow.find(variant, "accept", "city_review") is None
    assert [t.name for t in workflow.available(variant, "city_review", CENTRE)] == []
    assert {t.name for t in workflow.available(variant, "city_review", CITY_HR)} == {
        "recommend",
        "not_recommend",
        "request_correction",
    }


@pytest.mark.parametrize("variant", VARIANTS)
def test_a_refusal_lands_in_refused_and_a_recommendation_in_acceptance(variant):
    assert workflow.find(variant, "refuse", "acceptance").target == "refused"
    assert workflow.find(variant, "recommend", "city_review").target == "acceptance"
    assert workflow.find(variant, "not_recommend", "city_review").target == "not_recommended"
    assert workflow.find(variant, "uphold_objection", "publicity").target == "objection_upheld"


@pytest.mark.parametrize("variant", VARIANTS)
def test_no_one_moves_an_application_out_of_a_final_state(variant):
    for state in ("withdrawn", "not_recommended", "refused", "not_selected", "objection_upheld"):
        for role in Role.values:
            assert workflow.available(variant, state, role) == [], (variant, state, role)
    for role in Role.values:
        assert workflow.available(variant, "filed", role) == []
        assert workflow.available(variant, "ministry_rejected", role) == []


def test_police_act_only_in_the_shaanxi_workflow():
    for variant in (CITY_FIRST, BY_SCOPE):
        for state in State.values:
            assert workflow.available(variant, state, POLICE) == [], (variant, state)
    assert {t.name for t in workflow.available(POLICE_FIRST, "police_review", POLICE)} == {
        "give_opinion",
        "request_correction",
    }
    assert workflow.available(POLICE_FIRST, "police_review", CITY_HR) == []


@pytest.mark.parametrize(
    ("variant", "scope", "name", "target"),
    [
        (CITY_FIRST, "region", "submit", "city_review"),  # 保卫管理员 call: always to the city bureau
        (CITY_FIRST, "city", "submit", "city_review"),
        (POLICE_FIRST, "region", "submit", "police_review"),  # Shaanxi: always to the local police
        (POLICE_FIRST, "city", "submit", "police_review"),
        (BY_SCOPE, "city", "submit", "city_review"),  # pilot 三（一）: city scope to the city centre
        (BY_SCOPE, "region", "submit_to_centre", "acceptance"),  # province-wide: to the region's centre
        (BY_SCOPE, "national", "submit_to_centre", "acceptance"),
    ],
)
def test_a_submission_goes_to_the_first_reviewer_its_workflow_and_scope_name(variant, scope, name, target):
    transition = workflow.submit_transition(variant, scope)
    assert (transition.name, str(transition.target), str(transition.role)) == (name, target, AGENCY)


# ---------------------------------------------------------------- deadlines


def test_acceptance_is_answered_within_ten_working_days():
    # 桂人社函〔2020〕203号 三（二）: 在10个工作日内通知其是否受理
    assert workflow.STAGE_DEADLINES[State.ACCEPTANCE] == 10


def test_a_correction_has_no_deadline_for_the_agency():
    assert workflow.STAGE_DEADLINES[State.CORRECTION] is None


@pytest.mark.parametrize(
    ("today", "deadline"),
    [
        (dt.date(2026, 11, 2), dt.date(2026, 11, 16)),  # Monday: the day itself does not count
        (dt.date(2026, 11, 20), dt.date(2026, 12, 4)),  # Friday: two weekends skipped
    ],
)
def test_a_recommendation_gives_the_centre_ten_working_days(people, today, deadline):
    application = nanning_submission(people)
    with mock.patch("django.utils.timezone.localdate", return_value=today):
        application_transition(application=application, by=people.city_nanning, name="recommend", text="同意推荐")
    application.refresh_from_db()
    assert application.state == State.ACCEPTANCE
    assert application.deadline == deadline


def test_an_acceptance_is_overdue_only_after_its_tenth_working_day(people, django_capture_on_commit_callbacks):
    application = nanning_submission(people)
    with mock.patch("django.utils.timezone.localdate", return_value=dt.date(2026, 11, 2)):
        application_transition(application=application, by=people.city_nanning, name="recommend", text="同意推荐")
    with django_capture_on_commit_callbacks(execute=True):
        assert overdue_notify(today=dt.date(2026, 11, 16)) == 0  # the tenth working day: still in time
        assert overdue_notify(today=dt.date(2026, 11, 17)) == 1


# ---------------------------------------------------------------- refused moves change nothing


def snapshot(application: Application) -> dict:
    application = Application.objects.get(pk=application.pk)
    return {
        "state": application.state,
        "deadline": application.deadline,
        "return_state": application.return_state,
        "flagged_sections": application.flagged_sections,
        "city_opinion": application.city_opinion,
        "centre_opinion": application.centre_opinion,
        "history": list(application.history.values_list("id", "from_state", "to_state", "actor_id", "comment")),
        "audit_events": AuditEvent.objects.count(),
        "notifications": Notification.objects.count(),
    }


def attempt(application, person, name):
    with pytest.raises((WorkflowError, PermissionDenied)):
        application_transition(
            application=application, by=person, name=name, text="意见", sections={"site": "请补充租赁合同"}
        )


def test_refused_moves_under_city_review_leave_the_application_and_its_history_unchanged(
    people, django_capture_on_commit_callbacks
):
    application = nanning_submission(people)
    before = snapshot(application)
    assert before["state"] == State.CITY_REVIEW
    with django_capture_on_commit_callbacks(execute=True):
        attempt(application, people.centre, "accept")  # the centre acts only after the recommendation
        attempt(application, people.centre, "refuse")
        attempt(application, people.centre, "request_correction")
        attempt(application, people.city_nanning, "accept")  # the city bureau does not accept
        attempt(application, people.police_nanning, "give_opinion")  # no police step in Guangxi
        attempt(application, people.agency_nanning, "recommend")
    assert snapshot(application) == before


def test_a_refusal_lands_in_refused_and_nothing_moves_it_afterwards(people, django_capture_on_commit_callbacks):
    application = nanning_submission(people)
    application_transition(application=application, by=people.city_nanning, name="recommend", text="同意推荐")
    before = snapshot(application)
    assert before["state"] == State.ACCEPTANCE
    with django_capture_on_commit_callbacks(execute=True):
        attempt(application, people.city_nanning, "accept")  # the centre's step, not the city's
        attempt(application, people.city_nanning, "recommend")  # already recommended
        attempt(application, people.centre, "conclude")  # not yet under assessment
    assert snapshot(application) == before

    application_transition(application=application, by=people.centre, name="refuse", text="材料不符合要求")
    application.refresh_from_db()
    assert application.state == State.REFUSED
    last = application.history.order_by("-id").first()
    assert (last.from_state, last.to_state, last.actor) == (State.ACCEPTANCE, State.REFUSED, people.centre)

    refused = snapshot(application)
    with django_capture_on_commit_callbacks(execute=True):
        attempt(application, people.centre, "accept")
        attempt(application, people.centre, "refuse")
    assert snapshot(application) == refused
