"""Who made a panel, and from what (issue draw11): the centre's random draw and its own choice are recorded —
who, when, the pool drawn from, the specialty rule, the seed — on the panel page, in the application's history
and in the audit log; the agency reads the history without the experts' names. A panel takes only experts with
a profile in the call's province's pool, whatever a hand-made form sends."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import timezone

from filings.models import PanelDraw, PanelMember, StateChange
from portal.lib import randomdraw
from portal.models import AuditEvent, Notification
from tests.filings.factories import ExpertFactory
from tests.filings.test_panel import experts, in_assessment  # noqa: F401  (fixtures)
from tests.portal.factories import UserFactory, region

OTHER_OCCUPATION = "4-07-05-01"


@pytest.fixture(autouse=True)
def _english(settings):
    settings.LANGUAGE_CODE = "en"


@pytest.fixture
def named_centre(people):
    people.centre.last_name, people.centre.first_name = "张", "三"
    people.centre.save()
    return people.centre


def panel_page(client, application) -> str:
    response = client.get(reverse("filings:panel", args=[application.pk]))
    assert response.status_code == 200
    return response.content.decode()


def detail_page(client, application) -> str:
    response = client.get(reverse("filings:application_detail", args=[application.pk]))
    assert response.status_code == 200
    return response.content.decode()


def minute(moment) -> str:
    return timezone.localtime(moment).strftime("%Y-%m-%d %H:%M")


def panel_history(application) -> list[StateChange]:
    return list(application.history.filter(comment__startswith="Experts "))


@pytest.mark.parametrize(
    ("by_specialty", "pool", "rule"),
    [
        # Four experts of the security-manager occupation and one of another: the rule decides the pool.
        (True, 4, "by specialty"),
        (False, 5, "any specialty"),
    ],
)
def test_a_draw_keeps_who_drew_when_and_from_what(people, client_for, experts, named_centre, by_specialty, pool, rule):  # noqa: F811
    ExpertFactory(
        username="expert_fifth", last_name="黄", first_name="海", expert_profile__occupations=[OTHER_OCCUPATION]
    )
    application = in_assessment(people)
    client = client_for(named_centre)
    url = reverse("filings:panel", args=[application.pk])
    data = {"action": "draw", "count": "3", **({"by_specialty": "on"} if by_specialty else {})}
    assert client.post(url, data).status_code == 302

    draw = PanelDraw.objects.get(application=application)
    assert (draw.by, draw.department, draw.count, draw.by_specialty) == (
        named_centre,
        named_centre.department,
        3,
        by_specialty,
    )
    assert len(draw.pool) == pool
    assert draw.occupation_codes == (["3-02-02-00"] if by_specialty else [])
    # The draw can be made again from the record, and gives the panel the centre has.
    # The published stream and shuffle (portal/lib/randomdraw.py) over the stored pool and seed: the same experts.
    assert randomdraw.pick(randomdraw.Stream(bytes.fromhex(draw.seed)), sorted(draw.pool), 3) == draw.drawn
    assert set(application.panel.values_list("expert_id", flat=True)) == set(draw.drawn)
    assert set(application.panel.values_list("draw", flat=True)) == {draw.pk}

    summary = f"Experts drawn at random: 3 (pool of {pool}, {rule})"
    page = panel_page(client, application)
    assert summary in page
    assert f"{minute(draw.time)}</span>" in page and "张三" in page and str(named_centre.department) in page
    assert draw.seed in page and ", ".join(str(pk) for pk in draw.pool) in page
    assert page.count("</i> Drawn at random · ") == 3  # beside each expert drawn

    [row] = panel_history(application)
    assert (row.comment, row.actor, row.department) == (summary, named_centre, named_centre.department)
    history = detail_page(client, application)
    assert summary in history and "张三" in history and minute(row.time) in history
    event = AuditEvent.objects.get(action="panel_draw", object_id=str(application.pk))
    assert event.actor == named_centre and draw.seed in event.detail and summary in event.detail


def test_the_agency_reads_that_experts_were_drawn_but_not_who(people, client_for, experts, named_centre):  # noqa: F811
    application = in_assessment(people)
    client = client_for(named_centre)
    assert (
        client.post(reverse("filings:panel", args=[application.pk]), {"action": "draw", "count": "2"}).status_code
        == 302
    )
    names = [member.expert.display_name for member in application.panel.select_related("expert")]
    assert len(names) == 2
    page = detail_page(client_for(people.agency_nanning), application)
    assert "Experts drawn at random: 2 (pool of 4, any specialty)" in page
    for name in names:
        assert name not in page
    for expert in experts:
        assert expert.username not in page


def test_a_hand_choice_keeps_who_chose_and_when(people, client_for, experts, named_centre):  # noqa: F811
    application = in_assessment(people)
    client = client_for(named_centre)
    url = reverse("filings:panel", args=[application.pk])
    assert client.post(url, {"action": "assign", "experts": [experts[2].pk, experts[3].pk]}).status_code == 302
    member = PanelMember.objects.get(application=application, expert=experts[2])
    assert member.draw is None
    page = panel_page(client, application)
    assert f"Chosen by hand · {minute(member.assigned_at)} · 张三" in page
    assert 'id="draws"' not in page  # no draw made
    [row] = panel_history(application)
    assert (row.comment, row.actor) == ("Experts chosen from the pool: 2", named_centre)
    assert "Experts chosen from the pool: 2" in detail_page(client, application)


def test_a_panel_takes_only_experts_with_a_profile_in_the_calls_pool(people, client_for, experts):  # noqa: F811
    """On, below and above the pool: a profile in the call's province is taken; no profile at all, or a
    profile in another province, is refused by a hand-made POST with the reason beside the list, and nothing
    is saved (not even the right expert ticked with them)."""
    application = in_assessment(people)
    client = client_for(people.centre)
    url = reverse("filings:panel", args=[application.pk])
    no_profile = UserFactory(username="expert_bare", last_name="莫", first_name="无档")
    shaanxi = ExpertFactory(
        username="expert_shaanxi", last_name="薛", first_name="文博", expert_profile__province=region("610000")
    )
    for stranger, reason in (
        (no_profile, "莫无档 has no profile in the expert pool and cannot sit on a panel."),
        (shaanxi, "薛文博 is in another province&#x27;s pool, not in this call&#x27;s."),
    ):
        for ticked in ([stranger.pk], [experts[2].pk, stranger.pk]):
            response = client.post(url, {"action": "assign", "experts": ticked})
            assert response.status_code == 400
            page = response.content.decode()
            assert reason in page
            assert page.index(reason) < page.index('name="experts"')  # in the pick form, above the list
            assert not PanelMember.objects.filter(application=application).exists()
            assert not stranger.has_perm("filings.assess_application", application)
            assert panel_history(application) == []
    assert client.post(url, {"action": "assign", "experts": [experts[2].pk]}).status_code == 302
    assert list(application.panel.values_list("expert", flat=True)) == [experts[2].pk]


def test_the_refusal_reads_in_chinese(people, client_for, experts, settings):  # noqa: F811
    settings.LANGUAGE_CODE = "zh-hans"
    application = in_assessment(people)
    no_profile = UserFactory(username="expert_bare", last_name="莫", first_name="无档")
    response = client_for(people.centre).post(
        reverse("filings:panel", args=[application.pk]), {"action": "assign", "experts": [no_profile.pk]}
    )
    assert response.status_code == 400
    assert "莫无档 在专家库中没有专家档案，不能加入评估专家组。" in response.content.decode()
    assert not PanelMember.objects.filter(application=application).exists()


def test_an_expert_taken_off_the_panel_is_in_the_history_and_is_told(
    people,
    client_for,
    experts,  # noqa: F811
    named_centre,
    django_capture_on_commit_callbacks,
):
    """First-day tester: a drawn expert removed and replaced by hand left no trace in the history, and the expert
    was not told. The history says a member left and how they had come (never who: the agency reads it)."""
    application = in_assessment(people)
    client = client_for(named_centre)
    url = reverse("filings:panel", args=[application.pk])
    assert client.post(url, {"action": "draw", "count": "2"}).status_code == 302
    member = PanelMember.objects.filter(application=application).first()
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(url, {"action": "remove", "member": member.pk}).status_code == 302
    assert not PanelMember.objects.filter(pk=member.pk).exists()
    last = application.history.order_by("pk").last()
    assert (last.comment, last.actor) == ("An expert taken off the panel (drawn at random)", named_centre)
    assert member.expert.display_name not in last.comment
    told = Notification.objects.filter(recipient=member.expert, subject__startswith="You no longer assess")
    assert told.count() == 1 and application.reference in told.get().body
    others = PanelMember.objects.filter(application=application).values_list("expert", flat=True)
    assert not Notification.objects.filter(recipient__in=others, subject__startswith="You no longer").exists()


def test_the_draw_record_names_every_candidate_beside_its_id(people, client_for, experts):  # noqa: F811
    """First-day tester: the record listed the candidates' ids only (“7, 8”): nobody could tell who was in the pool."""
    application = in_assessment(people)
    client = client_for(people.centre)
    url = reverse("filings:panel", args=[application.pk])
    assert client.post(url, {"action": "draw", "count": "2"}).status_code == 302
    draw = PanelDraw.objects.get(application=application)
    page = panel_page(client, application)
    candidates = page.split('class="candidates">', 1)[1].split("</span>", 1)[0]
    for expert in experts:
        assert f"{expert.pk} {expert.display_name}" in candidates
    assert len(draw.pool) == len(experts)
