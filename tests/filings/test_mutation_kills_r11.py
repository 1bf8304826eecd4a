"""Round 11's mutation run over the day's merged work (draw11: the record of the experts' draw; home11: the new
agency's way to the filing): each test here failed with a planted bug the existing tests let through, and passes
on the product as it is."""

from __future__ import annotations

import pytest
from django.urls import reverse

from agencies.models import Workflow
from filings.models import Application, PanelDraw, PanelMember
from filings.services import (
    application_create,
    application_reopen,
    application_submit,
    application_transition,
    application_withdraw,
)
from filings.services import review as review_services
from portal.lib import randomdraw
from tests.filings.factories import ExpertFactory, directory_entry, make_call, nanning_submission
from tests.filings.test_filing_progress_home import GX_STEPS, _panel
from tests.filings.test_panel import experts, in_assessment  # noqa: F401  (fixtures)

pytestmark = pytest.mark.django_db


# ---------------------------------------------------------------- the draw's record


def _descending(drawn: list[int]) -> bool:
    return drawn[0] > drawn[1]


def test_a_draw_is_made_from_the_pool_in_ascending_order_whatever_order_the_database_gives(
    people,
    client_for,
    experts,  # noqa: F811
    monkeypatch,
):
    """Mutation: the pool not sorted before the sample: the database returns the experts in no set order (the
    users have no ordering; PostgreSQL's DISTINCT may hash), so replaying the record (the published stream over
    the stored seed and candidates, what the panel page says anyone can check) gave other experts than those drawn."""
    eligible = review_services.eligible_experts
    monkeypatch.setattr(
        review_services, "eligible_experts", lambda *args, **kwargs: list(reversed(eligible(*args, **kwargs)))
    )
    application = in_assessment(people)
    client = client_for(people.centre)
    url = reverse("filings:panel", args=[application.pk])
    assert client.post(url, {"action": "draw", "count": "2"}).status_code == 302
    draw = PanelDraw.objects.get(application=application)
    assert draw.pool == sorted(expert.pk for expert in experts)
    assert randomdraw.pick(randomdraw.Stream(bytes.fromhex(draw.seed)), draw.pool, 2) == draw.drawn
    assert ", ".join(str(pk) for pk in draw.pool) in client.get(url).content.decode()


def test_the_draws_record_names_the_experts_drawn_in_their_order_and_the_occupations(
    people,
    client_for,
    experts,  # noqa: F811
    monkeypatch,
):
    """Mutations: the record's “experts drawn” listed in the candidates' order instead of the order drawn (what
    the published stream gives back); its specialty rule showing the occupation codes instead of
    their names."""
    pool = sorted(expert.pk for expert in experts)

    def drawn(n: int) -> list[int]:
        return randomdraw.pick(randomdraw.Stream(n.to_bytes(16, "big")), pool, 2)

    # A seed whose draw is not in ascending order, so that the two orders differ.
    seed = next(f"{n:032x}" for n in range(100) if _descending(drawn(n)))
    monkeypatch.setattr(review_services.secrets, "token_hex", lambda _n: seed)
    application = in_assessment(people)
    client = client_for(people.centre)
    url = reverse("filings:panel", args=[application.pk])
    assert client.post(url, {"action": "draw", "count": "2", "by_specialty": "on"}).status_code == 302
    draw = PanelDraw.objects.get(application=application)
    page = client.get(url).content.decode()
    record = page.split('id="draws"', 1)[1].split("</ul>", 1)[0]
    drawn = [expert for expert in experts if expert.pk in draw.drawn]
    left = [expert for expert in experts if expert.pk not in draw.drawn]
    assert len(drawn) == 2 and len(left) == 2
    experts_line = record.split("</dd>", 2)[1]
    for expert in drawn:
        assert expert.display_name in experts_line
    for expert in left:
        assert expert.display_name not in experts_line
    by_pk = {expert.pk: expert.display_name for expert in experts}
    assert draw.seed == seed and "、".join(by_pk[pk] for pk in draw.drawn) in experts_line
    rule_line = record.split("</dd>", 1)[0]
    assert "保卫管理员" in rule_line and "3-02-02-00" not in rule_line


# ---------------------------------------------------------------- a new agency's way to the filing


def test_the_panel_follows_the_application_under_way_over_a_later_withdrawn_one(people, client_for):
    """Mutation: the panel followed the latest application whatever its state: an agency with a draft in one call
    that withdrew its submission in another was told it had ended, with no way to its draft."""
    draft = application_create(organisation=people.org_nanning, call=make_call("gx-second"), by=people.agency_nanning)
    submitted = nanning_submission(people)
    application_withdraw(application=submitted, by=people.agency_nanning)  # the latest change: an ended one
    panel = _panel(client_for, people.agency_nanning)
    assert panel["standing"] == "草稿已保存，尚未提交"
    assert panel["button"] == "继续填写草稿"
    assert panel["href"] == reverse("filings:application_edit", args=[draft.pk])


def test_a_province_wide_application_of_the_pilot_skips_the_citys_step(people, client_for):
    """Mutation: the steps read for a city-wide application whatever the application's scope: a province-wide
    agency of the 2020 pilot (its application goes straight to the centre) was shown the city's review."""
    draft = application_create(
        organisation=people.org_nanning,
        call=make_call("gx-pilot", workflow=Workflow.BY_SCOPE),
        by=people.agency_nanning,
    )
    Application.objects.filter(pk=draft.pk).update(scope="region")
    panel = _panel(client_for, people.agency_nanning)
    assert panel["steps"] == [GX_STEPS[0], *GX_STEPS[2:]]
    Application.objects.filter(pk=draft.pk).update(scope="city")  # city-wide: the city reviews it first
    assert _panel(client_for, people.agency_nanning)["steps"] == GX_STEPS


def test_with_two_calls_open_the_agency_chooses_one(people, client_for):
    """Mutation: one call open or several, the button started the first: with two open, it started an application
    of a call the agency had not chosen. Below (one call) it starts that call; above (two) it leads to the list."""
    first = make_call("gx-one")
    panel = _panel(client_for, people.agency_nanning)
    assert panel["button"] == "开始填写备案申请" and panel["starts_call"] == first.pk
    make_call("gx-two")
    panel = _panel(client_for, people.agency_nanning)
    assert panel["button"] == "选择征集公告并开始申请"
    assert panel["starts_call"] is None
    assert panel["href"] == reverse("filings:application_list")


def test_an_application_withdrawn_twice_ended_at_the_step_of_its_last_withdrawal(people, client_for):
    """Mutation: the step an ended application stopped at read from its first arrival in that state: withdrawn
    once from the city's review, reopened, sent again and withdrawn from the centre's acceptance, it was shown
    stopped at the city's step, which it had passed."""
    agency = people.agency_nanning
    application = nanning_submission(people)
    application_withdraw(application=application, by=agency)  # from the city's review
    application_reopen(application=application, by=agency)
    application_submit(application=application, by=agency, commitment_name="张三", consent=True)
    application_transition(application=application, by=people.city_nanning, name="recommend", text="同意推荐。")
    application_transition(
        application=application, by=people.centre, name="request_correction", sections={"site": "请补充场地照片。"}
    )
    application_submit(application=application, by=agency, commitment_name="张三", consent=True)  # to the centre
    application_withdraw(application=application, by=agency)  # from the centre's acceptance
    panel = _panel(client_for, agency)
    assert panel["standing"].startswith("已终止")
    assert panel["status"]["市人社局审核推荐"] == "done"
    assert panel["status"]["省鉴定中心受理与专家评估"] == "ended"


def test_the_steps_before_anything_is_started_are_those_of_the_open_call(people, client_for):
    """Mutation: the steps of an agency with nothing started read from the province's latest call, open or not:
    with a police-first call open and a later city-first one closed, the police's step was left out."""
    make_call("gx-police-open", workflow=Workflow.POLICE_FIRST)
    make_call("gx-later-closed", open_=False)
    panel = _panel(client_for, people.agency_nanning)
    assert panel["standing"] == "尚未开始"
    # The police-first route, in its own words (tests/filings/test_route_step_labels.py).
    assert panel["steps"] == [
        GX_STEPS[0],
        "公安机关评估并提出备案意见",
        "同级人社部门复核备案材料",
        "省人社厅受理与专家评估",
        *GX_STEPS[3:],
    ]


def test_a_filed_agency_applying_again_keeps_its_usual_home(people, client_for):
    """Mutation: the panel shown to an agency in the directory whose latest application is not the filed one: a
    filed agency starting a new application (more occupations) was shown the way to a filing it already has."""
    directory_entry(people.org_nanning)
    application_create(organisation=people.org_nanning, call=make_call("gx-again"), by=people.agency_nanning)
    assert _panel(client_for, people.agency_nanning) is None
    page = client_for(people.agency_nanning).get(reverse("home")).content.decode()
    assert "report-dashboard" in page and "我的备案申请" in page


def test_an_expert_whose_profile_left_the_pool_is_refused_by_a_hand_made_post(people, client_for, experts):  # noqa: F811
    """Mutation: the profile's “active” flag not checked: an expert taken out of the pool (profile deactivated,
    the account still active) could be put on a panel by a hand-made POST. Refused with the reason, nothing saved;
    the same expert back in the pool is taken."""
    retired = ExpertFactory(username="expert_retired", last_name="黎", first_name="退", expert_profile__active=False)
    application = in_assessment(people)
    client = client_for(people.centre)
    url = reverse("filings:panel", args=[application.pk])
    response = client.post(url, {"action": "assign", "experts": [experts[2].pk, retired.pk]})
    assert response.status_code == 400
    assert "黎退 不在评审专家库中。" in response.content.decode()
    assert not PanelMember.objects.filter(application=application).exists()
    assert not retired.has_perm("filings.assess_application", application)
    retired.expert_profile.active = True
    retired.expert_profile.save()
    assert client.post(url, {"action": "assign", "experts": [retired.pk]}).status_code == 302
    assert list(application.panel.values_list("expert", flat=True)) == [retired.pk]
