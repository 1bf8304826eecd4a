"""The selection's and notices' counts kept by the database (``RankingTally``, issue 16 item 4): after every path
that writes an application (the services, refused ones included, a ``QuerySet.update``, a bulk insert, a delete)
the kept counts equal a fresh count of the applications, and the selection page shows the figures typed here."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db.models import Count, Value
from django.db.models.functions import Coalesce
from django.urls import reverse

from filings.models import Application, RankingTally, State
from filings.services import selection_mark
from filings.services import selection_notice_create as notice_create
from filings.services.selection import ranking_tallies_rebuild
from portal.lib.errors import WorkflowError
from publicity.services import notice_close, notice_publish, notices_close_due, objection_handle, objection_raise
from tests.publicity.test_notices import _english, field, item_of, on  # noqa: F401 (fixtures)

NANNING, LIUZHOU = "450100", "450200"


def fresh() -> dict:
    """The applications counted now, by call, city code, state and score (None: not scored)."""
    groups = (
        Application.objects.exclude(state=State.DRAFT)
        .exclude(submitted_at=None)
        .values("call_id", "region__code", "state")
        .annotate(score=Coalesce("panel_score", Value(Decimal(-1))), n=Count("pk"))
    )
    return {(g["call_id"], g["region__code"], g["state"], _score(g["score"])): g["n"] for g in groups}


def kept() -> dict:
    rows = RankingTally.objects.filter(n__gt=0).values_list("call_id", "region__code", "state", "score", "n")
    return {(call, code, state, _score(score)): n for call, code, state, score, n in rows}


def _score(score) -> int | None:
    return None if score == RankingTally.NO_SCORE else int(score)


def assert_kept(expected: dict | None = None) -> None:
    assert kept() == fresh()
    assert not RankingTally.objects.filter(n__lt=0).exists()
    if expected is not None:
        assert {(code, state, score): n for (_call, code, state, score), n in kept().items()} == expected


def test_the_kept_counts_equal_a_fresh_count_after_every_service_path(people, field):  # noqa: F811 (the fixture imported above)
    # Submitted, recommended, accepted by the services, then assessed with a score by a QuerySet.update (the
    # fixture): three assessed applications, 88 and 92 in 南宁, 75 in 柳州.
    assert_kept(
        {
            (NANNING, State.ASSESSED, 88): 1,
            (NANNING, State.ASSESSED, 92): 1,
            (LIUZHOU, State.ASSESSED, 75): 1,
        }
    )
    # Refused: no reason; an application already decided. Nothing moves.
    with pytest.raises(ValidationError):
        selection_mark(application=field.a, by=people.centre, selected=True, reason="  ")
    assert_kept({(NANNING, State.ASSESSED, 88): 1, (NANNING, State.ASSESSED, 92): 1, (LIUZHOU, State.ASSESSED, 75): 1})
    selection_mark(application=field.a, by=people.centre, selected=True, reason="得分靠前。")
    selection_mark(application=field.b, by=people.centre, selected=True, reason="得分靠前。")
    selection_mark(application=field.liuzhou, by=people.centre, selected=False, reason="布局已满。")
    with pytest.raises(WorkflowError):
        selection_mark(application=field.liuzhou, by=people.centre, selected=True, reason="再议。")
    assert_kept(
        {
            (NANNING, State.SELECTED, 88): 1,
            (NANNING, State.SELECTED, 92): 1,
            (LIUZHOU, State.NOT_SELECTED, 75): 1,
        }
    )
    # The notice: drafted (nothing moves), published (公示), an objection upheld, a close refused, then closed.
    with on(dt.date(2026, 9, 30)):
        notice = notice_create(
            call=field.call,
            by=people.centre,
            title="遴选结果公示",
            body="现予以公示。",
            window_days=5,
            applications=[field.a, field.b],
        )
        assert_kept()
        notice_publish(notice=notice, by=people.centre)
    assert_kept(
        {
            (NANNING, State.PUBLICITY, 88): 1,
            (NANNING, State.PUBLICITY, 92): 1,
            (LIUZHOU, State.NOT_SELECTED, 75): 1,
        }
    )
    with on(dt.date(2026, 10, 9)):
        upheld = objection_raise(
            notice=notice, item=item_of(notice, field.a), name="王", contact="13977212345", content="不实"
        )
        with pytest.raises(WorkflowError):
            notice_close(notice=notice, by=people.centre)
    assert_kept()
    objection_handle(objection=upheld, by=people.centre, upheld=True, reply="属实")
    assert notices_close_due(today=dt.date(2026, 10, 13)) == 1
    assert_kept(
        {
            (NANNING, State.OBJECTION_UPHELD, 88): 1,
            (NANNING, State.PUBLICISED, 92): 1,
            (LIUZHOU, State.NOT_SELECTED, 75): 1,
        }
    )
    assert ranking_tallies_rebuild() == 3
    assert_kept()
    # A recount leaves drafts out, as the trigger does (an application sent back to a draft by a QuerySet.update).
    Application.objects.filter(pk=field.liuzhou.pk).update(state=State.DRAFT)
    assert ranking_tallies_rebuild() == 2
    assert_kept({(NANNING, State.OBJECTION_UPHELD, 88): 1, (NANNING, State.PUBLICISED, 92): 1})


def test_writes_outside_the_services_are_counted_too(people, field):  # noqa: F811 (the fixture imported above)
    """A QuerySet.update of the score, the region, the call-less draft's submission; a bulk insert; a delete."""
    Application.objects.filter(pk=field.a.pk).update(panel_score=None)
    Application.objects.filter(pk=field.liuzhou.pk).update(region=field.a.region)
    assert_kept(
        {(NANNING, State.ASSESSED, None): 1, (NANNING, State.ASSESSED, 92): 1, (NANNING, State.ASSESSED, 75): 1}
    )
    copy = Application.objects.get(pk=field.b.pk)
    copy.pk, copy.reference, copy.directory_entry = None, "COPY-1", None
    Application.objects.bulk_create([copy])
    assert_kept(
        {(NANNING, State.ASSESSED, None): 1, (NANNING, State.ASSESSED, 92): 2, (NANNING, State.ASSESSED, 75): 1}
    )
    Application.objects.filter(reference="COPY-1").update(submitted_at=None)  # no longer counted: not submitted
    assert_kept(
        {(NANNING, State.ASSESSED, None): 1, (NANNING, State.ASSESSED, 92): 1, (NANNING, State.ASSESSED, 75): 1}
    )
    Application.objects.filter(reference="COPY-1").delete()
    Application.objects.filter(pk=field.b.pk).update(state=State.DRAFT)  # a draft is never counted
    assert_kept({(NANNING, State.ASSESSED, None): 1, (NANNING, State.ASSESSED, 75): 1})
    field.b.refresh_from_db()
    field.b.state = State.ASSESSED
    field.b.save()  # a model's save (every column written: the trigger counts what changed)
    field.b.save()
    assert_kept(
        {(NANNING, State.ASSESSED, None): 1, (NANNING, State.ASSESSED, 92): 1, (NANNING, State.ASSESSED, 75): 1}
    )


def test_the_selection_page_shows_the_ranks_and_spread_typed_here(people, field, client_for):  # noqa: F811 (the fixture imported above)
    """92 and 88 in 南宁 (one selected), 75 in 柳州: ranks 1, 2, 3; 南宁 1 of 2 selected, 1 to decide; 柳州 0 of 1."""
    selection_mark(application=field.b, by=people.centre, selected=True, reason="得分靠前。")
    response = client_for(people.centre).get(reverse("filings:selection", args=[field.call.pk]))
    rows = response.context["rows"]
    assert [(row["pk"], row["rank"], row["score"]) for row in rows] == [
        (field.b.pk, 1, Decimal("92")),
        (field.a.pk, 2, Decimal("88")),
        (field.liuzhou.pk, 3, Decimal("75")),
    ]
    assert [(row["organisation"], row["city"].code, row["selected"], row["open"]) for row in rows] == [
        ("南宁市金盾保安培训中心", NANNING, True, False),
        (field.a.organisation.name, NANNING, False, True),
        (field.liuzhou.organisation.name, LIUZHOU, False, True),
    ]
    # 金盾 applied for the security manager at three levels: listed from level 3 down, as the application lists them.
    levels = "Level 3 / Senior worker、Level 2 / Technician、Level 1 / Senior technician"
    assert rows[0]["occupations"] == f"保卫管理员：{levels}"
    layout = [
        (c["city"].code, c["assessed"], c["selected"], c["undecided"], c["percent"]) for c in response.context["layout"]
    ]
    assert layout == [(NANNING, 2, 1, 1, 50), (LIUZHOU, 1, 0, 1, 0)]
    assert response.context["totals"] == {"assessed": 3, "selected": 1, "undecided": 2}
    assert response.context["page"].paginator.count == 3
    notices = client_for(people.centre).get(reverse("filings:notice_list"))
    (call,) = notices.context["calls"]
    assert (call["assessed"], call["undecided"], call["selected"]) == (3, 2, 1)
    # 88 selected too, then 92 on a published notice (公示): the spread still counts it selected; the notices page
    # counts the selected not yet on a notice.
    selection_mark(application=field.a, by=people.centre, selected=True, reason="得分靠前。")
    notice = notice_create(
        call=field.call,
        by=people.centre,
        title="遴选结果公示",
        body="现予以公示。",
        window_days=5,
        applications=[field.b],
    )
    notice_publish(notice=notice, by=people.centre)
    response = client_for(people.centre).get(reverse("filings:selection", args=[field.call.pk]))
    assert [(row["pk"], row["state_label"]) for row in response.context["rows"]] == [
        (field.b.pk, "Under public notice"),
        (field.a.pk, "Selected"),
        (field.liuzhou.pk, "Assessed"),
    ]
    layout = [(c["city"].code, c["assessed"], c["selected"], c["undecided"]) for c in response.context["layout"]]
    assert layout == [(NANNING, 2, 2, 0), (LIUZHOU, 1, 0, 1)]
    (call,) = client_for(people.centre).get(reverse("filings:notice_list")).context["calls"]
    assert (call["assessed"], call["undecided"], call["selected"]) == (3, 1, 1)


def test_the_city_sees_only_its_own_counts(people, field):  # noqa: F811 (the fixture imported above)
    from filings.selectors import ranking_tallies_visible_to

    def by_city(user):
        return sorted(ranking_tallies_visible_to(user).filter(n__gt=0).values_list("region__code", "n"))

    assert by_city(people.centre) == [(NANNING, 1), (NANNING, 1), (LIUZHOU, 1)]
    assert by_city(people.city_nanning) == [(NANNING, 1), (NANNING, 1)]
    assert by_city(people.agency_nanning) == [] and by_city(people.expert_assigned) == []
